"""Addresses that locate a person: where someone lives, stays or can be reached.

An address follows a residence label (thường trú, tạm trú, nơi ở, địa chỉ, trú tại, HKTT...)
or stands as its own field of a person's record (a "thôn Nà Pàn" segment in a list line about
a named person, a "Thôn" or "Địa chỉ" column, "(thôn Khe Mò)" after a name). It runs across
commas for as long as the parts are address parts (số nhà, đường, thôn, xã, huyện, tỉnh, or a
capitalised place name). Agency addresses, incident places, land parcels, birthplaces and
"trưởng thôn X" are not personal addresses.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from mauson.privacy.models import Entity, EntityType
from mauson.privacy.recognizers.context import Doc

RESIDENCE_LABELS = (
    "thuong tru",
    "tam tru",
    "noi o",
    "dia chi",
    "tru tai",
    "o tai",
    "hktt",
    "cho o",
    "cu tru",
    "dc:",
    "dc ",
    "nha o tai",
    "nha tai",
    "song tai",
    "o:",
    "nguoi o",
    "luu tru tai",
    "address",
    "dang o",
    "hien o",
    "cu ngu",
    "tam tru tai",
    "noi cu tru",
    "que o",
    "tru cung",
    "ho khau",
    "dia diem kinh doanh",
    "thue tro",
    "o nha",
)
# The plain word "ở" (lives at) before an address, in accented text only ("o" is ambiguous without accents).
LIVES_AT = re.compile(r"(?<![\w])ở\s+(?=(?:số|thôn|bản|khu|khối|tổ|xóm|phố|đường|ngõ|nhà|phường|xã|thị trấn)\b)")
NOT_PERSONAL_BEFORE = (
    "que quan",
    "noi sinh",
    "truong thon",
    "truong ban",
    "truong khu",
    "tru so",
    "dia diem",
    "xay ra",
    "tai khu vuc",
    "thua dat",
    "to ban do",
    "dia chi co quan",
    "dia chi tru so",
    "sinh ra",
    "van phong",
)
UNIT_WORDS = re.compile(
    r"(?:so nha|so|ngo|ngach|hem|duong|pho|to dan pho|to|khu|khoi|thon|ban|xom|lang|ap|xa|phuong|thi tran|tt|"
    r"huyen|quan|tinh|thanh pho|tp|tx|thi xa|kiot|ki-ot|ki ot|phong|can ho|khach san|nha nghi|cum|p|x|h|q)"
    r"(?:\s+|\.\s*)(?=[\w\d])"
)
SEGMENT_START = re.compile(r"(?:thon|ban|khu|khoi|xom|to|so nha|so \d)\b")
_STOP = re.compile(r"[;\n|()?]|\. (?=[A-ZĐ])|\.$")
_PART_BREAK = re.compile(r",| - ")


FIELD_LABELS = re.compile(r"(?:sdt|dt|dtdd|so dien thoai|dien thoai|email|cccd|cmnd|mst|stk|zalo|tel|ma so)\b")


def _starts_like_address(folded_segment: str, original_segment: str) -> bool:
    """Does a part begin like an address part: a unit word before a name or number, or a place name?"""
    folded = folded_segment.lstrip()
    if FIELD_LABELS.match(folded):
        return False  # the next field of the record ("SĐT 09...") has begun
    if UNIT_WORDS.match(folded):
        return True
    words = original_segment.strip().split()
    shaped = all(w[:1].isupper() or (w.isdigit() and len(w) <= 4) for w in words)
    return 0 < len(words) <= 4 and shaped


def _part_end(doc: Doc, start: int, end: int) -> int:
    """Cut a part where ordinary lower-case words follow its place name ('xã Xuân Long điều khiển')."""
    words = list(re.finditer(r"\S+", doc.text[start:end]))
    seen_name = False
    for match in words:
        word = match.group(0)
        if word[:1].isupper() or word[:1].isdigit():
            seen_name = True
        elif seen_name and not UNIT_WORDS.match(doc.folded[start + match.start() : end]):
            return start + match.start()
    return end


def _extent(doc: Doc, start: int) -> int:
    """Where an address that starts at `start` ends: the last part (split by ',' or ' - ') that is an address part."""
    stop = _STOP.search(doc.text, start)
    limit = stop.start() if stop else len(doc.text)
    end = start
    position = start
    while position < limit:
        brk = _PART_BREAK.search(doc.text, position, limit)
        part_end = limit if brk is None else brk.start()
        if position > start and not _starts_like_address(doc.folded[position:part_end], doc.text[position:part_end]):
            break
        cut = _part_end(doc, position, part_end)
        end = cut
        if brk is None or cut < part_end:
            break
        position = brk.end()
    return len(doc.text[:end].rstrip(" .,:-"))


_BETWEEN_LABEL_AND_VALUE = re.compile(
    r"[\s:]*(?:(?:hien tai|hien nay|lien he|kinh doanh|thuong tru|cu tru|hop phap moi|moi|cua toi|ve)\s*)*"
    r"[\s:]*(?:tai\s+|o\s+|ve\s+)?"
)


def _value_start(doc: Doc, position: int) -> int:
    """Skip what sits between a label and its value: ':', 'hiện tại', 'tại', 'ở', 'về'."""
    match = _BETWEEN_LABEL_AND_VALUE.match(doc.folded, position)
    return match.end() if match else position


def find_lives_at(doc: Doc) -> Iterator[Entity]:
    for match in LIVES_AT.finditer(doc.lowered):
        end = _extent(doc, match.end())
        if end - match.end() >= 5:
            yield Entity(match.end(), end, EntityType.ADDRESS, doc.text[match.end() : end], 0.75, "'ở' + địa chỉ")


_LABEL_PATTERNS = [(label, re.compile(re.escape(label))) for label in RESIDENCE_LABELS]  # compiled once


def find_labelled(doc: Doc) -> Iterator[Entity]:
    for label, pattern in _LABEL_PATTERNS:
        for match in pattern.finditer(doc.folded):
            if match.start() > 0 and doc.folded[match.start() - 1].isalpha():
                continue
            before = doc.before(match.start(), 24)
            if any(word in before for word in NOT_PERSONAL_BEFORE) or "co quan" in doc.after(match.end(), 12):
                continue
            start = _value_start(doc, match.end())
            end = _extent(doc, start)
            if end - start >= 4 and _starts_like_address(doc.folded[start:end], doc.text[start:end]):
                yield Entity(start, end, EntityType.ADDRESS, doc.text[start:end], 0.85, f"nhãn '{label.strip()}'")


def find_record_segments(doc: Doc, people: list[Entity]) -> Iterator[Entity]:
    """'thôn/bản/khu ...' fields in a line about a named person, and '(thôn X)' after a name."""
    for person in people:
        line_start, line_end = doc.line_span(person.start)
        for match in SEGMENT_START.finditer(doc.folded, person.end, line_end):
            before = doc.folded[max(line_start, match.start() - 3) : match.start()]
            if match.start() > 0 and doc.folded[match.start() - 1].isalpha():
                continue
            if not re.search(r"(^|[-,(:|]\s*)$", before) or "truong" in doc.before(match.start(), 8):
                continue
            end = _extent(doc, match.start())
            if end - match.start() >= 5:
                yield Entity(
                    match.start(),
                    end,
                    EntityType.ADDRESS,
                    doc.text[match.start() : end],
                    0.75,
                    "trường địa chỉ trong bản ghi về một người",
                )


def find_columns(doc: Doc) -> Iterator[Entity]:
    headers = ("dia chi", "noi o", "thuong tru", "tam tru", "thon", "ban", "noi cu tru", "cho o")
    for (start, end), header in doc._cells.items():
        if end > start and any(header.startswith(h) for h in headers):
            yield Entity(start, end, EntityType.ADDRESS, doc.text[start:end], 0.8, f"cột '{header}'")
