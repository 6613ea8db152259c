"""Addresses that locate a person: where someone lives, stays or can be reached.

An address follows a residence label (thường trú, tạm trú, nơi ở, địa chỉ, trú tại, HKTT...)
or stands as its own field of a person's record (a "thôn Nà Pàn" segment in a list line about
a named person, a "Thôn" or "Địa chỉ" column, "(thôn Khe Mò)" after a name). It runs across
commas for as long as the parts are address parts (số nhà, đường, thôn, xã, huyện, tỉnh, or a
capitalised place name). Agency addresses, incident places, land parcels, birthplaces and
"trưởng thôn X" are not personal addresses.

The plain word "ở" says where anything is ("lễ hội ở xã Bình Gia", "cháy nhà dân ở khối 5"), and
where a problem is must stay readable on public pages. So "ở" + an address is personal only when
a person stands right before it ("nhà tôi ở", "gia đình ông X ở", "chị ở") or when the address
is precise enough to find a house (số nhà, ngõ, ngách, hẻm with a number).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from mauson.privacy.models import Entity, EntityType
from mauson.privacy.recognizers.context import Doc
from mauson.privacy.recognizers.names import TITLE_WORDS
from mauson.vntext.normalize import fold_aligned

RESIDENCE_LABELS = (
    "thuong tru",
    "tam tru",
    "noi o",
    "dia chi",
    "tru tai",
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
# The unit words as written with accents: in a line that has them, "khói" (smoke) is not "khối"
# (a block of houses) nor "Ban" (a board) "bản" (a village), though each folds alike.
WRITTEN_UNIT_WORDS = frozenset(
    "số nhà|số|ngõ|ngách|hẻm|đường|phố|tổ dân phố|tổ|khu|khối|thôn|bản|xóm|làng|ấp|xã|phường|thị trấn|tt|"
    "huyện|quận|tỉnh|thành phố|tp|tx|thị xã|kiốt|ki-ốt|ki ốt|kiot|ki-ot|ki ot|phòng|căn hộ|khách sạn|nhà nghỉ|"
    "cụm|p|x|h|q".split("|")
)


def unit_word_at(folded: str, written: str, start: int, end: int) -> int | None:
    """Where a unit word ("thôn", "số nhà", "Thị trấn") that starts at `start` ends, else None.
    `folded` and `written` are the same text folded and as written (same offsets); a word written
    with accents must be the unit word's own spelling."""
    match = UNIT_WORDS.match(folded, start, end)
    if match is None:
        return None
    word = written[start : match.end()].strip(" .").lower()
    if word != fold_aligned(word) and word not in WRITTEN_UNIT_WORDS:
        return None
    return match.end()


SEGMENT_START = re.compile(r"(?:thon|ban|khu|khoi|xom|to|so nha|so \d)\b")
_STOP = re.compile(r"[;\n|()?]|\. (?=[A-ZĐ])|\.$")
_PART_BREAK = re.compile(r",| - ")


FIELD_LABELS = re.compile(r"(?:sdt|dt|dtdd|so dien thoai|dien thoai|email|cccd|cmnd|mst|stk|zalo|tel|ma so)\b")


def _starts_like_address(folded_segment: str, original_segment: str) -> bool:
    """Does a part begin like an address part: a unit word before a name or number, or a place name?"""
    folded = folded_segment.lstrip()
    if FIELD_LABELS.match(folded):
        return False  # the next field of the record ("SĐT 09...") has begun
    if unit_word_at(folded, original_segment.lstrip(), 0, len(folded)) is not None:
        return True
    words = original_segment.strip().split()
    shaped = all(w[:1].isupper() or (w.isdigit() and len(w) <= 4) for w in words)
    return 0 < len(words) <= 4 and shaped


_WORD = re.compile(r"\S+")


def _part_end(doc: Doc, start: int, end: int) -> int:
    """Cut a part where ordinary lower-case words follow its place name ('xã Xuân Long điều khiển').
    A unit word of two words ("thị trấn", "thành phố") is passed over whole, also where it opens
    the part in capitals ("Số nhà 12", "Thị trấn Cao Lộc"), which is no name."""
    seen_name = False
    position = start
    first = _WORD.search(doc.text, start, end)
    if first is not None and (opening := unit_word_at(doc.folded, doc.text, first.start(), end)) is not None:
        position = opening
    while (word := _WORD.search(doc.text, position, end)) is not None:
        position = word.end()
        if word.group(0)[:1].isupper() or word.group(0)[:1].isdigit():
            seen_name = True
        elif seen_name:
            unit = unit_word_at(doc.folded, doc.text, word.start(), end)
            if unit is None:
                return word.start()
            position = unit
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


AT_UNITS = (
    *("số", "nhà", "ngõ", "ngách", "hẻm", "đường", "phố", "tổ", "khu", "khối"),
    *("thôn", "bản", "xóm", "phường", "xã", "thị trấn"),
)
# Who can stand right before "ở" as the one who lives there: "I", "we", and a form of address
# ("chị ở", "ông bà ở") where accents tell them from other words ("chi o" may be "chỉ ở") ...
SELF_WORDS = ("tôi", "tui", "tớ", "mình", "chúng tôi", "chúng em", "chúng cháu")
# ... unless the word before makes them many: "bà con", "trẻ em", "các cháu", "anh em".
GROUP_WORDS = ("các", "những", "mọi", "trẻ", "bà", "anh", "chị", "con", "đàn")
# What may stand between the person and "ở": "nhà", "hiện đang", "vẫn", "sống", ", 65 tuổi,".
FILLER_WORDS = ("nhà", "hiện", "nay", "tại", "đang", "vẫn", "sống", "cùng")
# A number that finds a house ("số nhà 25", "ngõ 5"); not the number of an area ("khu dân cư số 1",
# "tổ dân phố số 3", "thôn số 5"), which says where a problem is, as a public page must keep showing.
PRECISE = re.compile(r"(?<!\w)(?:so nha|nha so|so|ngo|ngach|hem|kiet)\s+\d")
AREA_WORDS = re.compile(r"(?<!\w)(?:khu|khu dan cu|khu pho|to|to dan pho|khoi|cum|xom|thon|ban|ap|doi)\s+$")


AREA_AFTER = re.compile(r"\d+\s*,?\s*(?:khu|khu dan cu|khu pho|to|to dan pho|khoi|cum|xom|thon|ban|ap|doi)(?!\w)")


def finds_a_house(folded: str, start: int, end: int) -> bool:
    """Whether the folded text between `start` and `end` holds a number that finds a house: not
    the number of an area, before or after it ("khu dân cư số 1", "số 3 tổ dân phố 5")."""
    return any(
        not (
            match.group().startswith("so ")
            and (AREA_WORDS.search(folded, start, match.start()) or AREA_AFTER.match(folded, match.end() - 1))
        )
        for match in PRECISE.finditer(folded, start, end)
    )


@dataclass(frozen=True)
class _AtPatterns:
    """The patterns around "ở", for one way of writing: lower-cased text for accented lines,
    folded text (where "ở" is "o") for lines typed without accents."""

    accented: bool
    at: re.Pattern[str]  # "ở" before a unit word
    filler: re.Pattern[str]  # the filler that ends the text before "ở"
    person: re.Pattern[str]  # a person word that ends it
    group: re.Pattern[str]  # a group word + a person word that end it

    def text(self, doc: Doc) -> str:
        return doc.lowered if self.accented else doc.folded


@cache
def _at_patterns(accented: bool) -> _AtPatterns:
    def words(*group: str) -> str:
        forms = group if accented else tuple(fold_aligned(w) for w in group)
        return "(?:" + "|".join(re.escape(w) for w in sorted(set(forms), key=len, reverse=True)) + ")"

    person = rf"(?<!\w){words(*SELF_WORDS, *TITLE_WORDS) if accented else words(*SELF_WORDS)}$"
    return _AtPatterns(
        accented=accented,
        at=re.compile(rf"(?<!\w)(?:{words('ở')}\s+(?:{words('tại')}\s+)?|{words('tại')}\s+)(?={words(*AT_UNITS)}\b)"),
        filler=re.compile(rf"(?:[\s,]|(?<!\w)(?:{words(*FILLER_WORDS)}|\d+\s+{words('tuổi')})(?!\w))*$"),
        person=re.compile(person),
        group=re.compile(rf"(?<!\w){words(*GROUP_WORDS)}\s+{person}"),
    )


def _tied_to_person(doc: Doc, at: int, found: list[Entity], patterns: _AtPatterns) -> bool:
    """Does a person stand right before "ở" at `at`: a pronoun or a form of address ("nhà tôi",
    "chị"), or someone named or identified there ("gia đình ông Hoàng Văn Nam", "…, sinh năm 1988,")?"""
    line_start, _ = doc.line_span(at)
    text = patterns.text(doc)
    before = text[max(line_start, at - 40) : at]
    filler = patterns.filler.search(before)
    assert filler is not None, "the filler pattern matches at least the empty end"
    subject_end = at - len(before) + filler.start()
    if any(e.end == subject_end for e in found):
        return True
    subject = text[max(line_start, subject_end - 30) : subject_end]
    return patterns.person.search(subject) is not None and patterns.group.search(subject) is None


def find_lives_at(doc: Doc, found: list[Entity]) -> Iterator[Entity]:
    """An address after "ở" or "tại" ("ở tại", "đang ở") that is a person's home: tied to a person or
    precise enough to find a house ("karaoke tại số nhà 27 ngõ 8…" finds one as well as "ở").
    `found` is what was found before addresses (names, numbers, dates)."""
    for patterns in (_at_patterns(accented=True), _at_patterns(accented=False)):
        for match in patterns.at.finditer(patterns.text(doc)):
            if doc.accentless(match.start()) == patterns.accented:
                continue
            start = match.end()
            end = _extent(doc, start)
            # Without accents "o" is many words ("o xa" may be "ở xa"): the address must name something.
            named = patterns.accented or any(c.isdigit() or c.isupper() for c in doc.text[start:end])
            if end - start < 5 or not named:
                continue
            if finds_a_house(doc.folded, start, end):
                reason = "'ở', 'tại' + số nhà, ngõ, ngách"
            elif _tied_to_person(doc, match.start(), found, patterns):
                reason = "'ở', 'tại' + địa chỉ của một người"
            else:
                continue
            yield Entity(start, end, EntityType.ADDRESS, doc.text[start:end], 0.75, reason)


# A house found by its number wherever it is written, without "ở" or a label before it: "số nhà 27",
# "nhà số 15", "căn hộ 302"; "số 9" before a street or lane ("số 9 phố Cửa Nam", "số 15 ngõ 3"; not
# "số 3 tổ dân phố", an area); a number and a street after "nhà", "ở", "tại", "là" ("nhà ở 45 Trần
# Đăng Ninh", "nhà 27 đường Phai Vệ"). Matched folded; where a petition happened it still finds a
# household's door. Not a house: a number that counts a public thing or a stretch of road ("Trường
# Tiểu học số 1 đường Lê Lợi", "cống số 3", "tòa nhà số 1", "đoạn từ số 9 đến số 45 phố…").
HOUSE = re.compile(
    r"(?<!\w)(?:so nha|nha so|can ho(?: so)?)\s+[a-z]?\d"
    r"|(?<!\w)so\s+\d+[a-z]?(?:/\d+)*\s*,?\s+(?=(?:ngo|ngach|hem|kiet|duong|pho)\s)"
    r"|(?<!\w)(?:nha|o|tai|la)\s+(?P<number>\d+[a-z]?(?:/\d+)*)\s+(?P<street>(?:duong|pho|ngo)\s+)?(?=\w)"
)
PUBLIC_BEFORE = re.compile(
    r"(?<!\w)(?:truong|hoc|cong|cau|toa|cot|cot dien|tram|tram bien ap|san|ben|ben xe|kho|cho|nga tu|nga ba"
    r"|doan|tu|den|lo|van hoa|chung cu|khu|benh vien|tram y te|quoc lo|tinh lo|km)\s+$"
)


def find_houses(doc: Doc) -> Iterator[Entity]:
    """A house address, by its number: it locates a household on any page the text reaches."""
    for match in HOUSE.finditer(doc.folded):
        start = match.start("number") if match.group("number") else match.start()
        if match.group("number") and not (match.group("street") or doc.text[match.end()].isupper()):
            continue  # "ở 45 người": the number of something, not of a house on a named street
        if PUBLIC_BEFORE.search(doc.folded, max(0, match.start() - 16), match.start()):
            continue
        end = _extent(doc, start)
        if end - start >= 5:
            yield Entity(start, end, EntityType.ADDRESS, doc.text[start:end], 0.75, "số nhà")


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
            first = _PART_BREAK.split(doc.text[start:end], maxsplit=1)[0]  # the rest was read part by part
            if end - start >= 4 and _starts_like_address(doc.folded[start : start + len(first)], first):
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
