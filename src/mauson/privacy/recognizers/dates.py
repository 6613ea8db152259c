"""Dates of birth: a date is personal data when a birth label stands before it ("sinh ngày",
"Ngày sinh:", "NS", a "Năm sinh" column, an MRZ line), in any of the ways Vietnamese writes
dates: 12/03/1985, 14 tháng 02 năm 1989, 1985 in "sinh năm 1985", 1999-12-29, 29DEC1999.
Other dates (of a document, an incident, an appointment) are not. The span is the value only.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from mauson.privacy.models import Entity, EntityType
from mauson.privacy.recognizers.context import Doc

_D = "[0-9OolI]"
DATE_VALUE = re.compile(
    rf"(?<![\w/])(?:{_D}{{1,2}}[/.-]{_D}{{1,2}}[/.-]{_D}{{4}}"  # 12/03/1985, O3/O3/1983
    rf"|\d{{1,2}}\s+tháng\s+\d{{1,2}}\s*(?:,\s*)?năm\s+\d{{4}}"  # 14 tháng 02 năm 1989
    rf"|\d{{1,2}}\s+thang\s+\d{{1,2}}\s*(?:,\s*)?nam\s+\d{{4}}"
    rf"|\d{{4}}-\d{{2}}-\d{{2}}"  # 1985-03-12
    rf"|\d{{2}}(?:JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)\d{{4}}"  # 29DEC1999
    rf"|{_D}{{1,2}}[/.-]{_D}{{4}}"  # 03/1985
    rf"|(?:19|20)\d{{2}})(?![\w/])",
    re.IGNORECASE,
)
BIRTH_LABELS = (
    "ngay sinh",
    "sinh ngay",
    "sinh nam",
    "nam sinh",
    "ngay thang nam sinh",
    "sinh:",
    "ns:",
    "ns ",
    "dob",
    "date of birth",
    "birth",
    "sn:",
    "sn ",
    "sinh thang",
    "thang nam sinh",
    "(sinh",
)
MRZ_LINE = re.compile(r"^[A-Z0-9<]{28,44}$", re.MULTILINE)
# Words that, between the label and the value, show the date belongs to something else.
OTHER_EVENT = (
    "cap ngay",
    "ngay cap",
    "het han",
    "ngay ky",
    "ngay vi pham",
    "ngay nop",
    "ngay nhan",
    "ngay mat",
    "tu ngay",
    "den ngay",
    "ngay vao",
    "ngay ra",
    "nhap vien",
    "ngay kham",
)


IMMEDIATE_LABEL = re.compile(r"(?:\bsinh|\bns|\bsn|dob|birth)\s*(?:ngay|nam|thang|vao)?\s*[:.]?\s*$")


def _labelled(doc: Doc, start: int, value: str) -> bool:
    header = doc.header(start)
    if header:
        return any(label.strip(" :(") in header for label in BIRTH_LABELS)
    if IMMEDIATE_LABEL.search(doc.before(start, 24)):
        return True
    context = doc.before(start, 36)
    position = max(context.rfind(label) for label in BIRTH_LABELS)
    if position < 0:
        return False
    between = context[position:]
    if any(other in between for other in OTHER_EVENT):
        return False
    bare_year = value.isdigit() and len(value) == 4
    return not bare_year or len(between) <= 16


def find_dates(doc: Doc) -> Iterator[Entity]:
    for match in DATE_VALUE.finditer(doc.text):
        if _labelled(doc, match.start(), match.group(0)):
            yield Entity(*match.span(), EntityType.DATE_OF_BIRTH, match.group(0), 0.9, "nhãn 'ngày sinh' đứng trước")


def find_mrz_birth_dates(doc: Doc) -> Iterator[Entity]:
    """In a passport MRZ second line, the six digits after the nationality are YYMMDD of birth."""
    for line in MRZ_LINE.finditer(doc.text):
        field = re.search(r"[A-Z<]{3}(\d{6})\d[MF<]", line.group(0))
        if field:
            start = line.start() + field.start(1)
            yield Entity(start, start + 6, EntityType.DATE_OF_BIRTH, field.group(1), 0.85, "dòng MRZ hộ chiếu")


def find(doc: Doc) -> Iterator[Entity]:
    yield from find_dates(doc)
    yield from find_mrz_birth_dates(doc)
