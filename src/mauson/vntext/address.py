"""Places in free text: find the communes a petition talks about, and read postal addresses.

Citizens write "xã Tân Liên cũ", "thị trấn Đồng Đăng", "Ky Lua", "P. Tam Thanh, TP Lạng Sơn";
officers need the commune as it is today. `find_units()` finds every mention of a Lạng Sơn unit
(new and pre-2025 names, with or without the type word and diacritics), resolves it through the
gazetteer and says how sure it is; `find_commune()` picks the one commune a text is about;
`parse_address()` splits an address into house number, street, hamlet, commune, district, province.

Speed: one precompiled token trie per province, walked over the folded text (diacritics and case
removed by a translation table that keeps offsets), so a 1,000-character petition takes well under
a millisecond. Precision: names that are also everyday words ("đoàn kết", "hòa bình", "đồng ý"),
streets named after places ("đường Bắc Sơn"), people ("đồng chí Hoàng Văn Thụ") and parts of
longer proper names ("Hồ Chí Minh") are not taken for communes unless a type word says so.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache

from mauson.errors import Invalid, MausonError
from mauson.vntext.gazetteer import (
    LANG_SON,
    TYPE_WORD_KINDS,
    TYPE_WORD_SPELLING,
    Gazetteer,
    OldDistrict,
    OldUnit,
    Province,
    Resolution,
    Unit,
    accent_key,
    gazetteer,
    name_key,
    split_kind,
)
from mauson.vntext.normalize import fold, normalize

_WORD = re.compile(r"[^\W_]+")
_ANY_UPPER = re.compile(r"[A-ZÀ-ÝĂĐĨŨƠƯẠ-Ỹ]")
_ANY_LOWER = re.compile(r"[a-zà-ýăđĩũơưạ-ỹ]")

# What may stand right before a name, in folded form. Each table says why it matters.
_TYPE_BEFORE = re.compile(
    r"(?<![^\W_])(?:(thi tran|thanh pho|thi xa|dac khu|phuong|huyen|quan|tinh|xa)\s+"
    r"|(tp|tt|tx)(?:\.\s*|\s+)|([pxhq])\.\s*)$"
)
# "nay là xã X", "nay thuộc phường Y": the writer gives the current unit.
_NOW_BEFORE = re.compile(
    r"(?<![^\W_])nay(?:\s+(?:la|thuoc|da la|da thuoc|thuoc ve|da nhap vao|nhap vao|sap nhap vao|la mot phan cua))?"
    r"\s*[:,]?\s*$"
)
# "khối 7 Hoàng Văn Thụ", "tổ 3 phường ...": town blocks exist in wards and towns, not in rural communes.
_URBAN_BEFORE = re.compile(r"(?<![^\W_])(khoi|khu pho|to dan pho|to)\s+\d+[a-z]?\s*,?\s*$")
_OLD_OR_NEW_AFTER = re.compile(r"\s*\(?\s*(cu|moi)(?![^\W_])")
# Words after which a name is not the commune: streets, people, products, hamlets, organisations.
_NOT_A_COMMUNE_BEFORE = re.compile(
    r"(?<![^\W_])(duong|pho|ngo|ngach|hem|kiet|dai lo|quoc lo|tinh lo|ong|ba|anh|chi|chu|bac|cu|dong chi|liet si"
    r"|anh hung|tuong|cam|quyt|hoi|ruou|che|mang|thach|dac san|nhan hieu|thuong hieu|thon|ban|xom|khoi|to|lang"
    r"|khu kinh te(?: cua khau)?|kkt)\s+$"
)
_SPELLED_BEFORE = {
    "duong": "đường", "pho": "phố", "ngo": "ngõ", "ngach": "ngách", "hem": "hẻm", "kiet": "kiệt", "ong": "ông",
    "ba": "bà", "chi": "chị", "chu": "chú", "bac": "bác", "cu": "cụ", "cam": "cam", "quyt": "quýt", "hoi": "hồi",
    "ruou": "rượu", "che": "chè", "mang": "măng", "thach": "thạch", "thon": "thôn", "ban": "bản", "xom": "xóm",
    "khoi": "khối", "to": "tổ", "lang": "làng", "tuong": "tướng", "khu pho": "khu phố", "to dan pho": "tổ dân phố",
}  # fmt: skip
# Landmarks named after the commune they stand in: "chợ Kỳ Lừa", "cửa khẩu Tân Thanh".
_LANDMARK_BEFORE = re.compile(
    r"(?<![^\W_])(cho|cua khau|ho|den|chua|nui|dong|thac|ga|ben xe|cum cong nghiep|cum cn|khu cong nghiep|kcn"
    r"|khu du lich|khu|truong|tram y te|ubnd|uy ban nhan dan|cong an|trung tam)\s+$"
)
_SPELLED_LANDMARK = {
    "cho": "chợ", "cua khau": "cửa khẩu", "ho": "hồ", "den": "đền", "chua": "chùa", "nui": "núi", "dong": "động",
    "thac": "thác", "ga": "ga", "khu": "khu", "truong": "trường", "cong an": "công an",
}  # fmt: skip
# Gap allowed between a commune and the district that qualifies it: "xã X (huyện Y)", "xã X cũ thuộc Y".
_QUALIFIER_GAP = re.compile(r"[\s,;(\[\-–—:]*(?:(?:cu|thuoc|cua|o|tai|ve|dia ban)\s+)*[\s(]*")
_DISTRICT_KINDS = frozenset({"huyen", "quan", "thi_xa", "thanh_pho"})
_SENTENCE_END = frozenset(".!?:;\n\"'“”(")

# Names of Lạng Sơn units that are also everyday phrases; measured on the law corpus and the
# procedure texts (lower-case hits), plus slogans and famous people. Without diacritics and case
# these cannot be told from the phrase, so a bare mention needs a type word or "cũ".
COMMON_PHRASES = frozenset(
    {
        "ai quoc", "bang huu", "bao lam", "binh phuc", "cao minh", "chi lang", "chi minh", "chien thang",
        "dao vien", "de tham", "dinh lap", "doan ket", "doi can", "dong dang", "dong kinh", "dong mo",
        "dong quan", "dong tan", "dong thang", "dong tien", "dong y", "hoa binh", "hoa lac", "hoa tham",
        "hoang van thu", "hoi hoan", "hop thanh", "hung dao", "huu lan", "huu lien", "khang chien", "kim dong",
        "lien hoi", "luong van tri", "mau son", "minh hoa", "minh khai", "minh tien", "nam quan", "nhac ky",
        "nhan ly", "quang trung", "quoc khanh", "quoc viet", "quyet thang", "tam thanh", "tan hoa", "tan lap",
        "tan thanh", "tan tien", "thai binh", "thanh long", "thong nhat", "trang dinh", "trang phai",
        "tri phuong", "trung thanh", "tu doan", "van nham", "van quan", "vinh yen", "yen binh",
    }
)  # fmt: skip

# Confidence of a mention, by the evidence around it (see `_confidence`).
NOW_TYPED, NOW_BARE = 0.97, 0.9
TYPED_MARKED, TYPED, TYPED_OLD = 0.95, 0.9, 0.85
BARE_OLD, LANDMARK, BARE, BARE_DISTRICT_NAME, BARE_NO_CASE = 0.85, 0.65, 0.6, 0.35, 0.4
DISTRICT_TYPED, DISTRICT_BARE = 0.5, 0.3


@dataclass(frozen=True)
class Mention:
    """One place in a text: where it is, what it names, what it means today, and how sure we are."""

    start: int  # character offsets in the text given, type word included ("xã Tân Liên")
    end: int
    text: str
    level: str  # "commune" or "district" (a pre-2025 district)
    name: str  # the official name matched: "Xã Tân Liên", "Phường Kỳ Lừa", "Huyện Cao Lộc"
    old: bool  # the text uses a pre-2025 name
    units: tuple[Unit, ...]  # the current units it may mean, best first
    confidence: float
    split: bool = False  # the old unit was divided: `units` are all the parts
    old_units: tuple[OldUnit, ...] = field(default=(), repr=False)

    @property
    def unit(self) -> Unit | None:
        """The single current unit meant, or None when several remain possible."""
        return self.units[0] if len(self.units) == 1 else None


@dataclass(frozen=True)
class CommuneGuess:
    """The commune a text is about, with the mentions that point to it."""

    unit: Unit
    confidence: float
    mentions: tuple[Mention, ...]


@dataclass(frozen=True)
class Address:
    """An address taken apart. `commune` is today's unit, even when the address uses an old name."""

    text: str
    house_number: str | None = None
    street: str | None = None
    hamlet: str | None = None  # "thôn Nà Pàn", "khối 7", "tổ 3"
    commune: Unit | None = None
    commune_candidates: tuple[Unit, ...] = ()  # when the commune cannot be settled (split or ambiguous)
    commune_as_written: str | None = None
    old_commune: OldUnit | None = None  # the pre-2025 unit the address names, if it uses an old name
    district: str | None = None  # the pre-2025 district ("Huyện Cao Lộc"), as the address gives it
    province: Province | None = None


# --- folding with offsets ----------------------------------------------------------------------


@cache
def _fold_table() -> dict[int, str]:
    """Per character, its folded form when that is one character: folding then keeps offsets."""
    table = {}
    for code in list(range(0x41, 0x5B)) + list(range(0xC0, 0x250)) + list(range(0x1E00, 0x1F00)):
        folded = fold(chr(code))
        if len(folded) == 1 and folded != chr(code):
            table[code] = folded
    return table


_FOLDED_WORDS: dict[str, str] = {}  # word → folded word; a language has few syllables, so this stays small


def _fold_word(word: str) -> str:
    folded = _FOLDED_WORDS.get(word)
    if folded is None:
        folded = word.translate(_fold_table())
        if len(_FOLDED_WORDS) > 200_000:
            _FOLDED_WORDS.clear()
        _FOLDED_WORDS[word] = folded
    return folded


def _marked(text: str) -> bool:
    """Whether the text carries any diacritic (a faster `has_diacritics` for short NFC spans)."""
    return text.translate(_fold_table()) != text.lower()


def _fold_keeping_offsets(text: str) -> tuple[str, list[int] | None]:
    """The folded text and, when it is not already NFC, the original offset of each folded char."""
    if unicodedata.is_normalized("NFC", text):
        return text.translate(_fold_table()), None
    chars: list[str] = []
    starts: list[int] = []
    i = 0
    while i < len(text):
        j = i + 1
        while j < len(text) and unicodedata.combining(text[j]):
            j += 1
        for ch in unicodedata.normalize("NFC", text[i:j]):
            chars.append(ch)
            starts.append(i)
        i = j
    starts.append(len(text))
    return "".join(chars).translate(_fold_table()), starts


# --- the matcher -------------------------------------------------------------------------------


@dataclass
class _Entry:
    """Everything one folded name can mean in the province."""

    key: str
    names: set[str] = field(default_factory=set)  # accent keys of the spellings
    units: list[Unit] = field(default_factory=list)
    olds: list[OldUnit] = field(default_factory=list)
    districts: list[OldDistrict] = field(default_factory=list)
    provinces: list[Province] = field(default_factory=list)


class _Node:
    """One word of the trie: the words that may follow, and the name that ends here (if any)."""

    __slots__ = ("children", "entry")

    def __init__(self) -> None:
        self.children: dict[str, _Node] = {}
        self.entry: _Entry | None = None


class _Matcher:
    """A token trie over the folded names of one province's units (new and old), its former
    districts, and every province name (to notice places outside the province)."""

    def __init__(self, gaz: Gazetteer, province: str) -> None:
        self.province = province
        self.root = _Node()
        for unit in gaz.units_in(province):
            self._entry(unit.short_name).units.append(unit)
        for old in gaz.old_units_in(province):
            self._entry(old.short_name).olds.append(old)
            if old.short_name.startswith("NT "):
                self._entry("Nông trường " + old.short_name[3:]).olds.append(old)
        for district in gaz.districts_in(province):
            self._entry(district.short_name).districts.append(district)
        for each in gaz.provinces:
            self._entry(each.short_name).provinces.append(each)
            for old_name in each.formed_from:
                self._entry(split_kind(old_name)[1]).provinces.append(each)

    def _entry(self, name: str) -> _Entry:
        node = self.root
        for token in name_key(name).split():
            node = node.children.setdefault(token, _Node())
        if node.entry is None:
            node.entry = _Entry(name_key(name))
        node.entry.names.add(accent_key(name))
        return node.entry

    def may_match(self, words: list[str]) -> bool:
        """Whether any name can start at one of these (lower-case) words: the quick first pass."""
        root = self.root.children
        following = None
        for word in words:
            folded = _fold_word(word)
            if following is not None and folded in following:
                return True
            node = root.get(folded)
            if node is not None and node.entry is not None:
                return True
            following = node.children if node is not None else None
        return False

    def scan(self, folded: str, tokens: list[tuple[int, int, str]]) -> list[tuple[int, int, _Entry]]:
        """Longest matches, left to right, as (first token, last token + 1, entry). The words of one
        name are separated by spaces (or a dash), never by other punctuation or a line break."""
        found = []
        i, n = 0, len(tokens)
        while i < n:
            node = self.root.children.get(tokens[i][2])
            j, best = i + 1, None
            while node is not None:
                if node.entry is not None:
                    best = (i, j, node.entry)
                if j >= n or not _joined(folded[tokens[j - 1][1] : tokens[j][0]]):
                    break
                node = node.children.get(tokens[j][2])
                j += 1
            if best:
                found.append(best)
                i = best[1]
            else:
                i += 1
        return found


def _joined(gap: str) -> bool:
    return gap == " " or (len(gap) <= 5 and not gap.strip(" -–") and "\n" not in gap)


def _matcher(gaz: Gazetteer, province: str) -> _Matcher:
    key = f"address.matcher.{province}"
    if key not in gaz.memo:
        gaz.memo[key] = _Matcher(gaz, province)
    matcher: _Matcher = gaz.memo[key]
    return matcher


# --- reading one match ------------------------------------------------------------------------


@dataclass
class _Text:
    """The text and its folded twin, with what we learn once about the whole text."""

    given: str  # as the caller passed it (offsets of mentions refer to this)
    original: str  # NFC
    folded: str
    offsets: list[int] | None
    cased: bool  # capital letters carry information (neither all-lower nor all-caps)
    accented: bool  # the writer uses diacritics

    @classmethod
    def of(cls, text: str) -> _Text:
        folded, offsets = _fold_keeping_offsets(text)
        nfc = text if offsets is None else unicodedata.normalize("NFC", text)
        uppers = len(_ANY_UPPER.findall(nfc))
        lowers = len(_ANY_LOWER.findall(nfc))
        return cls(text, nfc, folded, offsets, 0 < uppers < lowers, folded != nfc.lower())

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Offsets in the caller's text."""
        if self.offsets is None:
            return start, end
        return self.offsets[start], self.offsets[end]

    def spelled(self, start: int, end: int, table: dict[str, str], folded_word: str) -> bool:
        """Whether a function word is written as itself: with diacritics, 'phương' is not 'phường'."""
        written = self.original[start:end].lower()
        expected = table.get(folded_word)
        return expected is None or not _marked(written) or written == expected


@dataclass
class _Reading:
    start: int  # type word included
    name_start: int
    end: int
    after: int  # end of "cũ"/"mới" when present
    entry: _Entry
    kind: str | None
    marker: str | None  # "old", "new"
    now: bool  # "nay là ..."
    landmark: bool
    exact: bool  # spelled with the diacritics of one of the names (or no diacritics to compare)
    urban: bool  # after a town block ("khối 7"): a ward or town, not a rural commune
    cased: bool  # the text's capitals carry information
    district: str | None = None  # the former district that qualifies it ("xã X, huyện Y")
    as_district: bool = False  # it is itself such a qualifier
    skip: bool = False  # a province, or a place in another province


def _read(text: _Text, start: int, end: int, entry: _Entry) -> _Reading | None:
    kind, type_start = _type_before(text, start)
    written = text.original[start:end]
    exact = not _marked(written) or accent_key(written) in entry.names
    if kind is None and not _plausible_bare(text, start, end, written, entry, exact):
        return None
    head = type_start if kind else start
    marker, after = _marker_after(text, end)
    landmark = kind is None and _has_before(text, head, _LANDMARK_BEFORE, _SPELLED_LANDMARK)
    now = _NOW_BEFORE.search(text.folded, max(0, head - 40), head) is not None
    urban = _has_before(text, head, _URBAN_BEFORE, _SPELLED_BEFORE)
    return _Reading(head, start, end, after, entry, kind, marker, now, landmark, exact, urban, text.cased)


def _type_before(text: _Text, start: int) -> tuple[str | None, int]:
    match = _TYPE_BEFORE.search(text.folded, max(0, start - 12), start)
    if match is None:
        return None, start
    word = match.group(1) or match.group(2) or match.group(3)
    if not text.spelled(match.start(), match.start() + len(word), TYPE_WORD_SPELLING, word):
        return None, start
    return TYPE_WORD_KINDS[word], match.start()


def _marker_after(text: _Text, end: int) -> tuple[str | None, int]:
    match = _OLD_OR_NEW_AFTER.match(text.folded, end)
    if match is None:
        return None, end
    written = text.original[match.start(1) : match.end(1)].lower()
    if _marked(written) and written not in ("cũ", "mới"):
        return None, end
    if not _marked(written) and match.group(1) == "moi" and re.match(r"\s+[^\W\d_]", text.folded[match.end() :]):
        return None, end  # "moi nguoi" is "mọi người", not "mới"
    return ("old" if match.group(1) == "cu" else "new"), match.end()


def _has_before(text: _Text, start: int, pattern: re.Pattern[str], spelled: dict[str, str]) -> bool:
    """Whether `pattern` (its group 1: a word, in folded form) ends right before `start`, spelled right."""
    match = pattern.search(text.folded, max(0, start - 30), start)
    return match is not None and text.spelled(match.start(1), match.end(1), spelled, match.group(1))


def _plausible_bare(text: _Text, start: int, end: int, written: str, entry: _Entry, exact: bool) -> bool:
    """A name without a type word counts only when it looks like a proper name in its place."""
    if not (entry.units or entry.olds or entry.districts or entry.provinces) or not exact:
        return False
    if text.accented and not _marked(written) and any(_marked(n) for n in entry.names):
        return False  # "Dong Kinh" inside accented text is not how anyone writes Đông Kinh
    if _has_before(text, start, _NOT_A_COMMUNE_BEFORE, _SPELLED_BEFORE):
        return False
    if not text.cased:
        return entry.key not in COMMON_PHRASES or _marker_after(text, end)[0] == "old"
    words = written.split()
    if not all(w[0].isupper() for w in words):
        return False  # "đoàn kết", "hòa bình": everyday words
    return not _inside_longer_name(text, start, end)


def _inside_longer_name(text: _Text, start: int, end: int) -> bool:
    """'Hồ Chí Minh', 'Trần Hưng Đạo', 'Tổ quốc Việt Nam': a capitalised word right before or after."""
    before = text.original[max(0, start - 30) : start]
    previous = re.search(r"([^\W\d_]+)\s+$", before)
    if previous and previous.group(1)[0].isupper():
        head = before[: previous.start()].rstrip()
        sentence_start = not head or head[-1] in _SENTENCE_END
        if not sentence_start and not _has_before(text, start, _LANDMARK_BEFORE, _SPELLED_LANDMARK):
            return True
    following = re.match(r" ([^\W\d_]+)", text.original[end : end + 30])
    return following is not None and following.group(1)[0].isupper()


# --- from readings to mentions ---------------------------------------------------------------------


def find_units(text: str, *, province: str = LANG_SON) -> list[Mention]:
    """Every mention of a commune, ward or former district of `province` (Lạng Sơn by default) in `text`.

    Mentions come in text order, each with its span, the current unit(s) it means and a confidence:
    0.9+ with a type word or "nay là", about 0.6 for a capitalised bare name, lower for names that
    are also district names or everyday phrases. Places of another province are left out.
    """
    gaz = gazetteer()
    matcher = _matcher(gaz, gaz.province(province).code)
    if unicodedata.is_normalized("NFC", text) and not matcher.may_match(_WORD.findall(text.lower())):
        return []  # most texts name no place: this pass costs a fraction of the full one
    scanned = _Text.of(text)
    tokens = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(scanned.folded)]
    readings = [
        reading
        for first, last, entry in matcher.scan(scanned.folded, tokens)
        if (reading := _read(scanned, tokens[first][0], tokens[last - 1][1], entry)) is not None
    ]
    _attach_qualifiers(scanned, readings, matcher.province)
    mentions = [m for r in readings if not r.skip and (m := _mention(gaz, scanned, r, matcher.province))]
    return _settle_with_document(mentions)


def _attach_qualifiers(text: _Text, readings: list[_Reading], province: str) -> None:
    """'xã Tân Liên, huyện Cao Lộc': the district (or another province) right after a commune qualifies it."""
    for reading, following in itertools.pairwise(readings):
        gap = _QUALIFIER_GAP.match(text.folded, reading.after, following.start)
        if gap is None or gap.end() != following.start:
            continue
        entry = following.entry
        # A bare "Lạng Sơn" is the province; "TP Lạng Sơn" and a bare "Cao Lộc" are former districts.
        district_like = following.kind in _DISTRICT_KINDS or (following.kind is None and not entry.provinces)
        if entry.districts and district_like:
            reading.district = entry.districts[0].short_name
            following.as_district = True
        elif entry.provinces and following.kind in (None, "tinh", "thanh_pho"):
            reading.skip = reading.skip or all(p.code != province for p in entry.provinces)
            following.skip = True


def _mention(gaz: Gazetteer, text: _Text, reading: _Reading, province: str) -> Mention | None:
    start, end = text.span(reading.start, reading.end)
    written = text.given[start:end]
    if _is_district(reading):
        district = reading.entry.districts[0]
        units = tuple(gaz.unit(c) for c in district.units)
        confidence = DISTRICT_TYPED if reading.kind else DISTRICT_BARE
        return Mention(start, end, written, "district", district.name, True, units, confidence)
    if reading.kind == "tinh" or reading.kind in _DISTRICT_KINDS or not (reading.entry.units or reading.entry.olds):
        return None
    resolution = _resolve(gaz, text, reading, province)
    if resolution is None:
        return None
    name = resolution.old_units[0].name if resolution.old_units else resolution.units[0].name
    return Mention(
        start,
        end,
        written,
        "commune",
        name,
        not resolution.current,
        resolution.units,
        _confidence(reading, resolution),
        resolution.split,
        resolution.old_units,
    )


def _is_district(reading: _Reading) -> bool:
    """A former district: typed as one, qualifying a commune, or a bare name that can be nothing else."""
    entry = reading.entry
    if not entry.districts:
        return False
    if reading.kind in _DISTRICT_KINDS or reading.as_district:
        return True
    return reading.kind is None and not (entry.units or entry.olds or entry.provinces)


def _resolve(gaz: Gazetteer, text: _Text, reading: _Reading, province: str) -> Resolution | None:
    marker = "new" if reading.now else reading.marker
    written = text.original[reading.name_start : reading.end]
    kind = reading.kind
    if kind is None and reading.urban:
        kinds = {u.kind for u in reading.entry.units} | {o.kind for o in reading.entry.olds}
        kind = "phuong" if "phuong" in kinds else "thi_tran" if "thi_tran" in kinds else None
    key = (written, kind, marker, reading.district, province)
    cache: dict[tuple[str | None, ...], Resolution | None] = gaz.memo.setdefault("address.resolutions", {})
    if key not in cache:
        if len(cache) > 50_000:  # names repeat; a runaway stream of odd spellings must not grow memory
            cache.clear()
        try:
            cache[key] = gaz.resolve_parts(
                written, kind=kind, marker=marker, district=reading.district, province=province
            )
        except MausonError:
            cache[key] = None
    return cache[key]


def _confidence(reading: _Reading, resolution: Resolution) -> float:
    """Evidence first (type word, 'nay là', 'cũ', a landmark, capitals), then doubt (several candidates)."""
    typed = reading.kind is not None
    if reading.now:
        score = NOW_TYPED if typed else NOW_BARE
    elif typed:
        marked = reading.marker or reading.district
        score = TYPED_MARKED if marked else TYPED if resolution.current else TYPED_OLD
    elif reading.marker == "old":
        score = BARE_OLD
    elif reading.entry.districts or reading.entry.provinces or reading.entry.key in COMMON_PHRASES:
        score = max(BARE_DISTRICT_NAME, LANDMARK if reading.landmark else 0.0)
    elif not reading.cased:  # no capitals to tell a name from words: "cho ky lua", "o tan lien"
        score = LANDMARK * 0.85 if reading.landmark else BARE_NO_CASE
    else:
        score = LANDMARK if reading.landmark else BARE
        if not reading.landmark and reading.district is None and not resolution.current:
            score -= 0.05
    if not reading.exact:
        score *= 0.7
    if len(resolution.units) > 1:
        score *= 0.6
    elif resolution.alternatives and not (reading.marker or reading.district or reading.now):
        score *= 0.9
    return round(score, 3)


def _settle_with_document(mentions: list[Mention]) -> list[Mention]:
    """An ambiguous old name is settled by the rest of the text: a unit or district named elsewhere."""
    named = {m.units[0].code for m in mentions if m.level == "commune" and len(m.units) == 1 and m.confidence >= 0.8}
    districts = {m.name for m in mentions if m.level == "district"}
    districts |= {o.district for m in mentions if len(m.units) == 1 for o in m.old_units if o.district}
    return [
        _narrow(m, named, districts) if m.level == "commune" and len(m.units) > 1 and not m.split else m
        for m in mentions
    ]


def _narrow(mention: Mention, named: set[str], districts: set[str]) -> Mention:
    olds = tuple(o for o in mention.old_units if o.district in districts)
    codes = {t.code for o in olds for t in o.targets} or {u.code for u in mention.units if u.code in named}
    units = tuple(u for u in mention.units if u.code in codes)
    if len(units) != 1:
        return mention
    confidence = round(min(0.8, mention.confidence / 0.6), 3)
    return Mention(
        mention.start, mention.end, mention.text, mention.level, mention.name, mention.old,
        units, confidence, False, olds or mention.old_units,
    )  # fmt: skip


def find_commune(text: str, *, province: str = LANG_SON, min_confidence: float = 0.5) -> CommuneGuess | None:
    """The one commune the text is about, or None when it names none with enough confidence.

    Mentions of the same unit add up (1 - Π(1 - c)); mentions with several candidates and former
    districts alone ("huyện Cao Lộc" covers 8 units) do not choose a commune.
    """
    scores: dict[str, float] = {}
    evidence: dict[str, list[Mention]] = {}
    for mention in find_units(text, province=province):
        if mention.level != "commune" or mention.unit is None:
            continue
        code = mention.unit.code
        scores[code] = 1 - (1 - scores.get(code, 0.0)) * (1 - mention.confidence)
        evidence.setdefault(code, []).append(mention)
    if not scores:
        return None
    best = max(scores, key=lambda code: (scores[code], -evidence[code][0].start))
    if scores[best] < min_confidence:
        return None
    return CommuneGuess(evidence[best][0].unit or gazetteer().unit(best), round(scores[best], 3), tuple(evidence[best]))


# --- addresses ---------------------------------------------------------------------------------------

_HOUSE = re.compile(r"^(?:(?:so nha|so|sn|nha so)\.?\s*)?(\d+[\w/-]*)(?:\s+|$)")
_STREET = re.compile(r"^(?:(duong|pho|dai lo)|quoc lo|ql|tinh lo|ngo|ngach|hem|kiet)\.?(?:\s+|(?=\d))")
_HAMLET = re.compile(r"^(thon|ban|khu pho|khu|to dan pho|to|khoi|xom|lang|ap)\s+")
_SPELLED_PART = {
    "duong": "đường", "pho": "phố", "dai lo": "đại lộ", "thon": "thôn", "ban": "bản", "khu pho": "khu phố",
    "to dan pho": "tổ dân phố", "to": "tổ", "khoi": "khối", "xom": "xóm", "lang": "làng", "ap": "ấp",
}  # fmt: skip
# Where a part without commas still changes level: "thôn Nà Pàn xã Tân Liên huyện Cao Lộc".
_LEVEL_WORD = re.compile(
    r"(?<=\s)(xa|phuong|thi tran|huyen|thanh pho|thi xa|quan|tinh|tp|tx|tt|[pxh]\.)(?=\.?\s*[^\W\d_])"
)


def parse_address(text: str, *, province: str | None = LANG_SON) -> Address:
    """Split an address into its parts and resolve its commune to today's unit.

    Handles "Số 12 đường Trần Đăng Ninh, phường Tam Thanh, TP Lạng Sơn", "thôn Nà Pàn, xã Tân Liên,
    huyện Cao Lộc, tỉnh Lạng Sơn", text without diacritics and abbreviations (TP, TX, TT, H., X., P.).
    Names are looked up in `province` unless the address names its own province.
    """
    clean = normalize(text)
    if not name_key(clean):
        raise Invalid("Địa chỉ trống: hãy nhập số nhà, đường, thôn, xã, tỉnh.", code="address.empty")
    found: dict[str, str] = {}
    bare: list[str] = []
    for part in _address_parts(clean):
        _classify(part, found, bare)
    gaz = gazetteer()
    _place_bare_parts(gaz, found, bare)
    return _assemble_address(gaz, clean, found, province)


def _address_parts(text: str) -> list[str]:
    parts = []
    for chunk in re.split(r"[,;()]|\s[-–]\s", text):
        folded = fold(chunk)
        cuts = [0]
        for match in _LEVEL_WORD.finditer(folded):
            word = match.group(1)
            head = chunk[cuts[-1] : match.start()].strip()
            if split_kind(head + " x")[1] == "x" or not _spelled(chunk[match.start() : match.end()], word):
                continue  # right after another type word ("thành phố"), or "Quan Sơn" rather than "quận"
            cuts.append(match.start())
        cuts.append(len(chunk))
        parts += [chunk[a:b].strip() for a, b in itertools.pairwise(cuts) if chunk[a:b].strip()]
    return parts


def _spelled(written: str, folded_word: str) -> bool:
    accented = TYPE_WORD_SPELLING.get(folded_word) or _SPELLED_PART.get(folded_word)
    return accented is None or not _marked(written) or written.lower() == accented


def _classify(part: str, found: dict[str, str], bare: list[str]) -> None:
    """File one comma-separated part under house number, street, hamlet, commune, district or province."""
    folded = fold(part)
    kind, short = split_kind(part)
    if kind in ("xa", "phuong", "thi_tran", "dac_khu"):
        found.setdefault("commune", part)
    elif kind in ("huyen", "quan", "thi_xa", "thanh_pho"):
        found.setdefault("district", part)
    elif kind == "tinh":
        found["province"] = short
    elif house := _HOUSE.match(folded):
        found["house_number"] = part[house.start(1) : house.end(1)]
        rest = part[house.end() :].strip()
        if rest and not (_STREET.match(fold(rest)) or _HAMLET.match(fold(rest))):
            found.setdefault("street", rest)  # "12 Trần Hưng Đạo": a number then a name is a street
        elif rest:
            _classify(rest, found, bare)
    elif (street := _STREET.match(folded)) and _spelled(part[: street.end()].strip(" ."), street.group(0).strip(" .")):
        # "đường Lê Lợi" → "Lê Lợi"; an alley keeps its word: "ngõ 21 đường Lê Lợi".
        found.setdefault("street", part[street.end() :].strip() if street.group(1) else part)
    elif (hamlet := _HAMLET.match(folded)) and _spelled(part[: hamlet.end()].strip(), hamlet.group(1)):
        found.setdefault("hamlet", part)
    else:
        bare.append(part)


def _place_bare_parts(gaz: Gazetteer, found: dict[str, str], bare: list[str]) -> None:
    """Parts without a type word, right to left: a province, a former district, then the commune."""
    for part in reversed(bare):
        short = split_kind(part)[1]
        region = gaz.read_region(None, short)
        if region == "province" and "province" not in found:
            found["province"] = short
        elif region == "district" and "district" not in found and "commune" in found:
            found["district"] = part
        elif "commune" not in found:
            found["commune"] = part


def _assemble_address(gaz: Gazetteer, text: str, found: dict[str, str], province: str | None) -> Address:
    explicit = found.get("province")
    district = found.get("district")
    if district and gaz.read_region(*split_kind(district)) == "province":
        explicit, district = explicit or split_kind(district)[1], None  # "TP Hà Nội" is a province
    known = gaz.province_or_none(explicit) if explicit else None
    resolution = _address_commune(gaz, found.get("commune"), district, known, province)
    commune = resolution.unit if resolution else None
    candidates = resolution.units if resolution else ()
    if known is None and candidates and len({u.province_code for u in candidates}) == 1:
        known = gaz.province(candidates[0].province_code)
    return Address(
        text=text,
        house_number=found.get("house_number"),
        street=found.get("street"),
        hamlet=found.get("hamlet"),
        commune=commune,
        commune_candidates=candidates if commune is None else (),
        commune_as_written=found.get("commune") if resolution else None,
        old_commune=resolution.old_units[0] if resolution and len(resolution.old_units) == 1 else None,
        district=_district_name(gaz, district, known),
        province=known,
    )


def _address_commune(
    gaz: Gazetteer, written: str | None, district: str | None, known: Province | None, province: str | None
) -> Resolution | None:
    if not written:
        return None
    context = ", ".join(x for x in (district, f"tỉnh {known.short_name}" if known else None) if x)
    try:
        return gaz.resolve(written, context=context or None, province=province)
    except MausonError:
        return None


def _district_name(gaz: Gazetteer, written: str | None, province: Province | None) -> str | None:
    """The official name of the former district when the table knows it, else as written."""
    if not written:
        return None
    kind, short = split_kind(written)
    if province is not None:
        for district in gaz.districts_by_name(short, province.code):
            if kind in (None, district.kind):
                return district.name
    return written
