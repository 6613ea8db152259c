"""Dates of birth: a date is personal data when a birth label stands before it ("sinh ngày",
"Ngày sinh:", "NS", a "Năm sinh" column, an MRZ line), in any of the ways Vietnamese writes
dates: 12/03/1985, 14 tháng 02 năm 1989, 1985 in "sinh năm 1985", 1999-12-29, 29DEC1999.
Other dates (of a document, an incident, an appointment) are not. The span is the value only.
The formats live in `mauson.vntext.dates`; this module knows only what makes a date a birth date.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from mauson.privacy.models import Entity, EntityType
from mauson.privacy.recognizers.context import Doc
from mauson.vntext.dates import Precision, written_dates

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


def _labelled(doc: Doc, start: int, precision: Precision) -> bool:
    """Whether a birth label stands before the date at `start`; a year alone must follow it closely."""
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
    return precision is not Precision.YEAR or len(between) <= 16


def find_dates(doc: Doc) -> Iterator[Entity]:
    for written in written_dates(doc.text):
        if _labelled(doc, written.start, written.precision):
            yield Entity(
                written.start, written.end, EntityType.DATE_OF_BIRTH, written.text, 0.9, "nhãn 'ngày sinh' đứng trước"
            )


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
