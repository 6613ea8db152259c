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

RESIDENCE_LABELS = ("thuong tru", "tam tru", "noi o", "dia chi", "tru tai", "o tai", "hktt", "cho o", "cu tru",
                    "dc:", "dc ", "nha o tai", "nha tai", "song tai", "o:", "nguoi o", "luu tru tai", "address",
                    "dang o", "hien o", "cu ngu", "tam tru tai", "noi cu tru", "que o")
NOT_PERSONAL_BEFORE = ("que quan", "noi sinh", "truong thon", "truong ban", "truong khu", "tru so", "dia diem",
                       "xay ra", "tai khu vuc", "thua dat", "to ban do", "dia chi co quan", "dia chi tru so",
                       "sinh ra", "van phong")
UNIT_WORDS = ("so nha", "so ", "ngo", "ngach", "hem", "duong", "pho", "to ", "to dan pho", "khu", "khoi", "thon",
              "ban ", "xom", "lang", "ap", "xa", "phuong", "thi tran", "tt ", "tt.", "huyen", "quan", "tinh",
              "thanh pho", "tp", "tx", "thi xa", "kiot", "ki-ot", "ki ot", "phong", "can ho", "khach san",
              "nha nghi", "cum", "p.", "x.", "h.", "q.")
SEGMENT_START = re.compile(r"(?:thon|ban|khu|khoi|xom|to|so nha|so \d)\b")
_STOP = re.compile(r"[;\n|()]| - |\. (?=[A-ZĐ])|\.$")


def _starts_like_address(folded_segment: str, original_segment: str) -> bool:
    text = folded_segment.lstrip()
    if any(text.startswith(word) for word in UNIT_WORDS):
        return True
    words = original_segment.strip().split()
    return 0 < len(words) <= 3 and all(w[:1].isupper() for w in words)


def _extent(doc: Doc, start: int) -> int:
    """Where an address that starts at `start` ends: the last comma part that is an address part."""
    stop = _STOP.search(doc.text, start)
    limit = stop.start() if stop else len(doc.text)
    end = start
    position = start
    while position < limit:
        comma = doc.text.find(",", position, limit)
        part_end = limit if comma == -1 else comma
        folded_part = doc.folded[position:part_end]
        if position > start and not _starts_like_address(folded_part, doc.text[position:part_end]):
            break
        end = part_end
        if comma == -1:
            break
        position = comma + 1
    return len(doc.text[:end].rstrip(" .,:"))


def _value_start(doc: Doc, position: int) -> int:
    """Skip the ':' and 'tại' that sit between a label and its value."""
    match = re.compile(r"[\s:]*(?:tai\s+|o\s+)?").match(doc.folded, position)
    return match.end() if match else position


def find_labelled(doc: Doc) -> Iterator[Entity]:
    for label in RESIDENCE_LABELS:
        for match in re.finditer(re.escape(label), doc.folded):
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
                yield Entity(match.start(), end, EntityType.ADDRESS, doc.text[match.start() : end], 0.75,
                             "trường địa chỉ trong bản ghi về một người")


def find_columns(doc: Doc) -> Iterator[Entity]:
    headers = ("dia chi", "noi o", "thuong tru", "tam tru", "thon", "ban", "noi cu tru", "cho o")
    for (start, end), header in doc._cells.items():
        if end > start and any(header.startswith(h) for h in headers):
            yield Entity(start, end, EntityType.ADDRESS, doc.text[start:end], 0.8, f"cột '{header}'")
