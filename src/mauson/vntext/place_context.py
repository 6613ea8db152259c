"""Reading a matched place name in its context: the words around it say what it is, if anything.

A type word before it ("xã", "P.", "TT"), "cũ"/"mới" after it, "nay là", a town block ("khối 7"),
a landmark ("chợ Kỳ Lừa") make it a place; names that are also everyday words ("đoàn kết",
"hòa bình", "đồng ý"), streets named after places ("đường Bắc Sơn"), people ("đồng chí Hoàng Văn
Thụ") and parts of longer proper names ("Hồ Chí Minh") are not taken for communes unless a type
word says so. `read_match()` turns one match of `mauson.vntext.place_matcher` into a `Reading`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from mauson.vntext.gazetteer import TYPE_WORD_KINDS, TYPE_WORD_SPELLING, accent_key
from mauson.vntext.normalize import Composed, fold_aligned
from mauson.vntext.place_matcher import PlaceEntry, marked

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


# --- reading one match ------------------------------------------------------------------------


@dataclass
class ScannedText:
    """The text and its folded twin, with what we learn once about the whole text."""

    given: str  # as the caller passed it (offsets of mentions refer to this)
    original: str  # NFC
    folded: str
    offsets: list[int] | None
    cased: bool  # capital letters carry information (neither all-lower nor all-caps)
    accented: bool  # the writer uses diacritics

    @classmethod
    def of(cls, text: str) -> ScannedText:
        composed = Composed.of(text)
        nfc, offsets = composed.text, composed.starts
        folded = fold_aligned(nfc)
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
        return expected is None or not marked(written) or written == expected


@dataclass
class Reading:
    """One match of the trie and what the words around it say; `address` turns it into a `Mention`."""

    start: int  # type word included
    name_start: int
    end: int
    after: int  # end of "cũ"/"mới" when present
    entry: PlaceEntry
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


def read_match(text: ScannedText, start: int, end: int, entry: PlaceEntry) -> Reading | None:
    """The match `text.folded[start:end]` read in its context, or None when it is not a place there."""
    kind, type_start = _type_before(text, start)
    written = text.original[start:end]
    exact = not marked(written) or accent_key(written) in entry.names
    if kind is None and not _plausible_bare(text, start, end, written, entry, exact):
        return None
    head = type_start if kind else start
    marker, after = _marker_after(text, end)
    landmark = kind is None and _has_before(text, head, _LANDMARK_BEFORE, _SPELLED_LANDMARK)
    now = _NOW_BEFORE.search(text.folded, max(0, head - 40), head) is not None
    urban = _has_before(text, head, _URBAN_BEFORE, _SPELLED_BEFORE)
    return Reading(head, start, end, after, entry, kind, marker, now, landmark, exact, urban, text.cased)


def _type_before(text: ScannedText, start: int) -> tuple[str | None, int]:
    match = _TYPE_BEFORE.search(text.folded, max(0, start - 12), start)
    if match is None:
        return None, start
    word = match.group(1) or match.group(2) or match.group(3)
    if not text.spelled(match.start(), match.start() + len(word), TYPE_WORD_SPELLING, word):
        return None, start
    return TYPE_WORD_KINDS[word], match.start()


def _marker_after(text: ScannedText, end: int) -> tuple[str | None, int]:
    match = _OLD_OR_NEW_AFTER.match(text.folded, end)
    if match is None:
        return None, end
    written = text.original[match.start(1) : match.end(1)].lower()
    if marked(written) and written not in ("cũ", "mới"):
        return None, end
    if not marked(written) and match.group(1) == "moi" and re.match(r"\s+[^\W\d_]", text.folded[match.end() :]):
        return None, end  # "moi nguoi" is "mọi người", not "mới"
    return ("old" if match.group(1) == "cu" else "new"), match.end()


def _has_before(text: ScannedText, start: int, pattern: re.Pattern[str], spelled: dict[str, str]) -> bool:
    """Whether `pattern` (its group 1: a word, in folded form) ends right before `start`, spelled right."""
    match = pattern.search(text.folded, max(0, start - 30), start)
    return match is not None and text.spelled(match.start(1), match.end(1), spelled, match.group(1))


def _plausible_bare(text: ScannedText, start: int, end: int, written: str, entry: PlaceEntry, exact: bool) -> bool:
    """A name without a type word counts only when it looks like a proper name in its place."""
    if not (entry.units or entry.olds or entry.districts or entry.provinces) or not exact:
        return False
    if text.accented and not marked(written) and any(marked(n) for n in entry.names):
        return False  # "Dong Kinh" inside accented text is not how anyone writes Đông Kinh
    if _has_before(text, start, _NOT_A_COMMUNE_BEFORE, _SPELLED_BEFORE):
        return False
    if not text.cased:
        return entry.key not in COMMON_PHRASES or _marker_after(text, end)[0] == "old"
    words = written.split()
    if not all(w[0].isupper() for w in words):
        return False  # "đoàn kết", "hòa bình": everyday words
    return not _inside_longer_name(text, start, end)


def _inside_longer_name(text: ScannedText, start: int, end: int) -> bool:
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
