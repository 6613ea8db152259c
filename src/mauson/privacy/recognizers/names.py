"""Person names: Vietnamese and ethnic-minority names, in any case, with or without diacritics.

A name is a run of two to four capitalised syllables that starts with a family name (the
lexicon in `privacy/data/surnames.txt`) and is not a place ("phường Hoàng Văn Thụ", "đường Bà
Triệu", "Thư viện Lê Quý Đôn" are not persons); or one to three capitalised syllables right
after a form of address (ông, bà, anh, chị, bác, cháu, đ/c...) or under a name label or column.
After a form of address the whole name is the person's even where a street bears it ("anh Hoàng
Văn Thụ"). A full name typed in lower case counts only where one is announced (a form of
address, a name label, "tôi là nguyễn văn nam") and only as family + middle + given name.
Each candidate is scored by a small naming model: how likely its syllables are as family, middle
and given names (given names from `privacy/data/given_names.txt`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources

from mauson.privacy.models import Entity, EntityType
from mauson.privacy.recognizers.context import Doc
from mauson.vntext.countries import foreign_countries
from mauson.vntext.gazetteer import LANG_SON, gazetteer
from mauson.vntext.normalize import fold_aligned

WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
MIDDLE_WORDS = (
    "Văn Thị Đức Ngọc Hữu Minh Thanh Quang Xuân Công Đình Bá Trọng Kim Hồng Gia Thu Mạnh Anh Tuấn Quốc "
    "Duy Việt Hoài Thúy Phương Thế Khánh Bảo Hải Tiến Đăng Chí Như Mỹ Diệu Tất Viết Sỹ Sĩ Nhật Tài Ánh"
).split()
TITLE_WORDS = (
    "ông",
    "bà",
    "anh",
    "chị",
    "em",
    "bác",
    "chú",
    "cô",
    "dì",
    "cậu",
    "mợ",
    "cháu",
    "cụ",
    "thím",
    "bé",
    "đ/c",
    "đồng chí",
    "bs",
    "ths",
    "ts",
    "ks",
    "ls",
    "gs",
    "pgs",
    "mr",
    "mrs",
    "ms",
    "người nhà",
    "thầy",
)
NAME_LABELS = (
    "ho ten",
    "ho va ten",
    "ten:",
    "nguoi khai",
    "nguoi nhan",
    "chu ho",
    "chu phuong tien",
    "nguoi nop",
    "nguoi yeu cau",
    "nguoi ky",
    "ky ten",
    "nguoi lien he",
    "nguoi bao tin",
    "benh nhan",
    "ho ten chu ho",
    "name",
    "full name",
    "ho ten nguoi",
    "chu so huu",
    "nguoi de nghi",
    "nguoi phan anh",
    "hoc sinh",
)
# Words before a capitalised run that make it a place, a school, a firm or a work, not a person.
# Written with their accents: in a line with accents they count only as written, so "hộ" (a
# household) is not "hồ" (a lake), "yêu cầu" holds no bridge and "anh Quân" no district (quận).
NOT_A_PERSON_BEFORE = (
    "đường",
    "phố",
    "phường",
    "xã",
    "trường",
    "thcs",
    "thpt",
    "tiểu học",
    "mầm non",
    "nhà xe",
    "tạp hóa",
    "tạp hoá",
    "cửa hàng",
    "shop",
    "hiệu",
    "nhà thuốc",
    "đại lý",
    "quốc tế",
    "thương hiệu",
    "công ty",
    "cty",
    "khu",
    "ngõ",
    "cầu",
    "chợ",
    "bệnh viện",
    "quảng trường",
    "cụm",
    "hẻm",
    "tp",
    "tỉnh",
    "huyện",
    "thị trấn",
    "nhà văn hóa",
    "nhà văn hoá",
    "tư tưởng",
    "tượng đài",
    "đền",
    "chùa",
    "giải",
    "quỹ",
    "hội",
    "đội",
    "đồi",
    "làng",
    "lăng",
    "bản",
    "ban",
    "thôn",
    "núi",
    "sông",
    "hồ",
    "suối",
    "đèo",
    "cửa khẩu",
    "phòng",
    "sở",
    "ubnd",
    "đảng bộ",
    "khách sạn",
    "nhà nghỉ",
    "nhà hàng",
    "tiệm",
    "thành phố",
    "quận",
    "quán",
    "tập đoàn",
    "hợp tác xã",
    "htx",
    "doanh nghiệp",
    "tuyến",
    "xe",
    "thư viện",
    "công viên",
    "bảo tàng",
    "đại lộ",
    "tưởng niệm",
    "lưu niệm",
    "di tích",
    "sân vận động",
    "nhà thi đấu",
    "trung tâm",
)
# A place word is a post or an owner's trade, not a place, after these: "trưởng thôn Hoàng Văn Tú",
# "phó phòng …", "chủ xe …", "lái xe …"; and "yêu cầu", "nhu cầu" hold no bridge (cầu).
ROLE_BEFORE_PLACE_WORD = ("trưởng", "phó", "chủ", "lái", "yêu", "nhu")
# Words that introduce a person by their household or post, where a capitalised run is someone's
# name and never a place's: "hộ Nguyễn Thị Phượng", "hộ gia đình …", "trưởng thôn Hoàng Văn Tú".
PERSON_ROLES = (
    "hộ",
    "hộ gia đình",
    "hộ dân",
    "chủ hộ",
    "trưởng thôn",
    "trưởng bản",
    "trưởng khu",
    "trưởng xóm",
    "phó trưởng thôn",
    "tổ trưởng",
)
# Capitalised pairs that look like names but are places or common phrases of Lạng Sơn texts.
_KNOWN_PLACES = frozenset(
    fold_aligned(p)
    for p in (
        "Hà Nội",
        "Hà Giang",
        "Hà Nam",
        "Hà Tĩnh",
        "Cao Bằng",
        "Cao Lộc",
        "Văn Lãng",
        "Văn Quan",
        "Lộc Bình",
        "Hoàng Văn Thụ",
        "Đồng Đăng",
        "Bình Gia",
        "Hồ Chí Minh",
        "Thái Nguyên",
        "Thái Bình",
        "Quảng Ninh",
        "Hữu Lũng",
        "Chi Lăng",
        "Tràng Định",
        "Đình Lập",
        "Bắc Sơn",
        "Tân Thanh",
        "Đông Kinh",
        "Tam Thanh",
        "Vĩnh Trại",
        "Kỳ Lừa",
        "Lương Văn Tri",
        "Mẫu Sơn",
        "Trần Đăng Ninh",
        "Phai Vệ",
        "Hoàng Đồng",
        "Mai Pha",
        "Việt Nam",
        "Trung Quốc",
        "Quan Hồ",
        "Lê Lợi",
        "Ngô Quyền",
        "Trần Hưng Đạo",
        "Lý Thái Tổ",
        "Bà Triệu",
        "Hai Bà Trưng",
        "Phan Bội Châu",
        "Lê Hồng Phong",
        "Chu Văn An",
        "Nguyễn Du",
        "Tô Thị",
        "Lý Thường Kiệt",
        "Nguyễn Trãi",
        "Hùng Vương",
        "Võ Thị Sáu",
        "Lê Đại Hành",
        "Đinh Tiên Hoàng",
        "Nguyễn Thái Học",
        "Hoàng Diệu",
        "Bắc Giang",
        "Bắc Ninh",
        "Bắc Kạn",
        "Lào Cai",
        "Thanh Hóa",
        "Nghệ An",
        "Ba Đình",
        "Lạng Sơn",
        "Xứ Lạng",
        "Kỳ Cùng",
        "Tam Thanh",
        "Nhị Thanh",
        "Tô Thị",
        # places whose first word is a form of address, read whole when they open a sentence
        "Anh Quốc",
        "Cô Tô",
        "Bà Rịa",
        "Bà Nà",
        "Bà Đen",
        "Bà Chúa Kho",
        "Ông Ích Khiêm",
        "Anh Sơn",  # a district of Nghệ An
    )
)


@cache
def place_names() -> frozenset[str]:
    """Folded names that are places, not people: a fixed list, every current and former commune,
    ward and district of Lạng Sơn from the gazetteer ("Hoàng Văn Thụ", "Đồng Đăng") and the
    foreign countries ("quốc tịch Hàn Quốc" is no one surnamed Hàn)."""
    gaz = gazetteer()
    names = [u.short_name for u in gaz.units_in(LANG_SON)]
    names += [country.name for country in foreign_countries()]
    names += [u.short_name for u in gaz.old_units_in(LANG_SON)]
    names += [d.short_name for d in gaz.districts_in(LANG_SON)]
    return _KNOWN_PLACES | {fold_aligned(name) for name in names}


@dataclass(frozen=True)
class Lexicon:
    """Words in two forms: lower-case with diacritics (for accented text) and folded (for text without)."""

    exact: frozenset[str]
    folded: frozenset[str]

    @classmethod
    def of(cls, words: list[str]) -> Lexicon:
        return cls(frozenset(w.lower() for w in words), frozenset(fold_aligned(w) for w in words))

    def __contains__(self, token: object) -> bool:
        assert isinstance(token, Token)
        return token.key in (self.folded if token.accentless else self.exact)


@cache
def _lexicon(name: str) -> Lexicon:
    text = (resources.files("mauson.privacy") / "data" / name).read_text("utf-8")
    return Lexicon.of([line.strip() for line in text.splitlines() if line.strip() and line[0] != "#"])


def surnames() -> Lexicon:
    return _lexicon("surnames.txt")


def given_names() -> Lexicon:
    return _lexicon("given_names.txt")


MIDDLE_NAMES = Lexicon.of(MIDDLE_WORDS)
TITLES = Lexicon.of(list(TITLE_WORDS))


def title_compounds() -> Lexicon:
    """Common words that open with a form of address ("bác sĩ", "chú ý", "bà con")."""
    return _lexicon("title_compounds.txt")


@dataclass(frozen=True, slots=True)
class Token:
    """A word, and the form to look it up by: folded when its line has no diacritics at all."""

    start: int
    end: int
    text: str
    folded: str
    accentless: bool

    @property
    def key(self) -> str:
        return self.folded if self.accentless else self.text.lower()

    @property
    def capitalised(self) -> bool:
        return self.text[0].isupper()

    @property
    def shouting(self) -> bool:
        return self.text.isupper() and len(self.text) > 1


def _tokens(doc: Doc) -> list[Token]:
    tokens = []
    for line_start, line_end in doc.lines():
        accentless = doc.accentless(line_start)
        for match in WORD.finditer(doc.text, line_start, line_end):
            start, end = match.span()
            tokens.append(Token(start, end, match.group(0), doc.folded[start:end], accentless))
    return _names_typed_without_accents(doc, tokens)


NAME_WORDS_AT_MOST = 4  # family, one or two middle names, given name: as the capitalised runs are read


def _names_typed_without_accents(doc: Doc, tokens: list[Token]) -> list[Token]:
    """Tokens where a name typed without accents follows a label, a self-introduction or a form of
    address in a line that has accents ("Tên tôi là Nguyen Van An", "Họ tên: tran thi mai"): many
    type their own name so on an accented form. Its words are looked up folded, as in a line
    without accents; elsewhere in such a line "Ban" stays "ban", not "Bàn"."""
    found = list(tokens)
    for index, token in enumerate(tokens):
        if token.accentless or token.folded not in surnames().folded or token.text.lower() != token.folded:
            continue
        if not (_after_title(doc, tokens, index) or _introduced(doc, token.start)):
            continue
        end = index + 1
        while (
            end < min(len(tokens), index + NAME_WORDS_AT_MOST)
            and _joined(doc, tokens[end - 1], tokens[end])
            and tokens[end].text.lower() == tokens[end].folded
        ):
            end += 1
        for k in range(index, end):
            found[k] = replace(tokens[k], accentless=True)
    return found


def _joined(doc: Doc, left: Token, right: Token) -> bool:
    """Two tokens of one name: separated by a single space (no punctuation, no line break)."""
    return doc.text[left.end : right.start] == " "


def name_score(tokens: list[Token]) -> float:
    """How much a run of tokens looks like a full name: family, middle and given name."""
    if len(tokens) < 2:
        return 0.0
    score = 0.55 if tokens[0] in surnames() else 0.0
    middle = tokens[1:-1]
    if middle and all(t in MIDDLE_NAMES or t in given_names() for t in middle):
        score += 0.2
    elif len(tokens) == 2 and tokens[1] in MIDDLE_NAMES:
        score += 0.05
    if tokens[-1] in given_names():
        score += 0.2
    elif len(tokens) >= 3 and tokens[1].folded in ("van", "thi"):
        score += 0.15  # an unlisted given name after Văn/Thị: Triệu Văn Páo, Lý Văn Sài
    return min(score, 0.99)


@dataclass(frozen=True)
class _WordsBefore:
    """Words that end the text before a position: as written in a line with accents, folded in a line
    without. In a line with accents a word typed bare counts folded only before a word typed bare
    too ("duong Le Loi"): "gọi cho Nguyễn Văn An" has no market (chợ) in it."""

    written: re.Pattern[str]
    folded: re.Pattern[str]
    last: frozenset[str]  # the last word of each, folded: most texts end in none of them

    @classmethod
    def of(cls, words: tuple[str, ...]) -> _WordsBefore:
        def pattern(forms: set[str]) -> re.Pattern[str]:
            alternatives = "|".join(map(re.escape, sorted(forms, key=len, reverse=True)))
            return re.compile(rf"(?:^|\s)(?P<word>{alternatives})\s*$")

        folded = {fold_aligned(w) for w in words}
        return cls(pattern(set(words)), pattern(folded), frozenset(w.split()[-1] for w in folded))

    def match(self, doc: Doc, start: int, width: int = 24) -> tuple[int, str] | None:
        """Where the word that ends the text before `start` begins, and that word as listed."""
        line_start = max(doc.line_span(start)[0], start - width)
        before = doc.folded[line_start:start].split()
        if not before or before[-1] not in self.last:
            return None
        found = None if doc.accentless(start) else self.written.search(doc.lowered[line_start:start])
        if found is None:
            found = self.folded.search(doc.folded[line_start:start])
            typed_bare = found is not None and _bare(doc, line_start + found.start("word")) and _bare(doc, start)
            if found is not None and not doc.accentless(start) and not typed_bare:
                found = None
        return (line_start + found.start("word"), found.group("word")) if found else None


def _bare(doc: Doc, start: int) -> bool:
    """Is the word at `start` typed without accents?"""
    word = WORD.match(doc.text, start)
    return word is not None and doc.lowered[start : word.end()] == doc.folded[start : word.end()]


PLACE_BEFORE = _WordsBefore.of(NOT_A_PERSON_BEFORE)
ROLE_BEFORE = _WordsBefore.of(ROLE_BEFORE_PLACE_WORD)
PERSON_ROLE_BEFORE = _WordsBefore.of(PERSON_ROLES)
PLACE_WORDS = Lexicon.of([w for w in NOT_A_PERSON_BEFORE if " " not in w])
# Words that mark a place only as written: without accents "o", "tai" and "vien" (viên: giáo viên,
# học viên) are other words, but "viện" is always an institution (học viện, bệnh viện).
WRITTEN_PLACE_BEFORE = re.compile(r"(?:^|\s)(?:ở|tại|viện)\s*$")


def _is_place_context(doc: Doc, start: int) -> bool:
    """Is the word at `start` the name of a street, a school, a place or a firm?"""
    place = PLACE_BEFORE.match(doc, start)
    if place and not ROLE_BEFORE.match(doc, place[0]) and not _after_person_role(doc, start):
        return True
    return WRITTEN_PLACE_BEFORE.search(doc.lowered[max(0, start - 6) : start]) is not None


def _after_person_role(doc: Doc, start: int) -> bool:
    """Is the word at `start` introduced by a household or a post ("hộ", "trưởng thôn")? Without
    accents a bare "ho" may be "hồ", a lake, and does not count."""
    role = PERSON_ROLE_BEFORE.match(doc, start, 30)
    return role is not None and not (doc.accentless(start) and role[1] == "ho")


def _is_heading(doc: Doc, start: int) -> bool:
    """A line written all in capitals (a document's heading), where capitals do not mark names."""
    line_start, line_end = doc.line_span(start)
    letters = [ch for ch in doc.text[line_start:line_end] if ch.isalpha()]
    return len(letters) > 12 and all(ch.isupper() for ch in letters)


def _after_title(doc: Doc, tokens: list[Token], index: int) -> bool:
    """Is tokens[index] preceded directly by a form of address (ông, bà, chị, đ/c...)?"""
    if index == 0:
        return False
    previous = tokens[index - 1]
    gap = doc.text[previous.end : tokens[index].start]
    if gap != " ":
        return False
    if previous.key == "c" and index >= 2 and tokens[index - 2].key == "đ":
        return True  # đ/c
    if index >= 2 and _joined(doc, tokens[index - 2], previous):
        pair = f"{tokens[index - 2].key} {previous.key}"  # đồng chí, người nhà
        if pair in (TITLES.folded if previous.accentless else TITLES.exact):
            return True
    return previous in TITLES and not previous.shouting


_FIELD_BREAK = re.compile(r"[;|\n\t]|\s{2,}|\d\.\s")


def _has_name_label(doc: Doc, start: int) -> bool:
    """The value at `start` is the field of a name label ("Họ tên:"), or in a name column."""
    header = doc.header(start)
    if header and any(header.startswith(label) for label in NAME_LABELS):
        return True
    field = _FIELD_BREAK.split(doc.before(start, 40))[-1].strip()
    if not field.endswith(":"):
        return field in NAME_LABELS
    label = field[:-1].strip()
    return any(label == name or label.startswith(name + " ") for name in NAME_LABELS)


def _runs(doc: Doc, tokens: list[Token]) -> Iterator[list[int]]:
    """Maximal runs (as token indexes) of capitalised tokens joined by single spaces."""
    run: list[int] = []
    for index, token in enumerate(tokens):
        if token.capitalised and run and _joined(doc, tokens[run[-1]], token):
            run.append(index)
            continue
        if run:
            yield run
        run = [index] if token.capitalised else []
    if run:
        yield run


def _full_names(doc: Doc, tokens: list[Token], run: list[int]) -> Iterator[Entity]:
    """Names that start with a family name inside a run of capitalised tokens (indexes)."""
    if _is_place_context(doc, tokens[run[0]].start):
        return
    i = 0
    while i < len(run):
        first = tokens[run[i]]
        if _is_place_context(doc, first.start) or _opens_with_street(tokens, run[i:]):
            return  # the rest of the run names that place, school or firm
        if first not in surnames():
            i += 1
            continue
        candidate = [tokens[k] for k in run[i : i + 4]]
        while len(candidate) > 2 and name_score(candidate) < name_score(candidate[:-1]):
            candidate.pop()
        labelled = _after_title(doc, tokens, run[i]) or _introduced(doc, first.start)
        score = name_score(candidate) + (0.1 if labelled or _after_person_role(doc, first.start) else 0.0)
        if first.shouting and not labelled and _is_heading(doc, first.start):
            break
        threshold = 0.8 if first.shouting and not labelled else 0.6
        # A place's name is a person's after a form of address or a label ("anh Hoàng Văn Thụ");
        # elsewhere the whole place name is passed over, so that no part of it reads as a name.
        place = not labelled and " ".join(t.folded for t in candidate) in place_names()
        name = len(candidate) >= 2 and score >= threshold and not place
        if name:
            start, end = first.start, candidate[-1].end
            yield Entity(start, end, EntityType.PERSON, doc.text[start:end], min(0.99, score), "mô hình họ tên")
        i += len(candidate) if name or place else 1


def _opens_with_street(tokens: list[Token], run: list[int]) -> bool:
    """'Đường Lê Lợi' at the start of a sentence: Đường is a rare family name and a common word for a
    street, so before another family name (not a middle name such as Văn) it is the street."""
    if len(run) < 2 or tokens[run[0]].key != "đường":
        return False
    second = tokens[run[1]]
    return second in surnames() and second not in MIDDLE_NAMES


INTRODUCTION = re.compile(
    r"(?:^|\s)(?:(?:toi|em|chau|minh|con)\s+(?:ten\s+)?la|ten(?:\s+(?:toi|em|chau|minh|con))?\s+la"
    r"|(?:toi|em|chau|minh|con)\s+ten)\s*:?\s*$"
)


def _introduced(doc: Doc, start: int) -> bool:
    """Does a name label or a self-introduction ('tôi là', 'tên tôi là', 'em tên') announce a name at `start`?"""
    return _has_name_label(doc, start) or INTRODUCTION.search(doc.before(start, 20)) is not None


def _lower_case_names(doc: Doc, tokens: list[Token]) -> Iterator[Entity]:
    """Full names typed in lower case ('gia đình ông nguyễn văn nam'): lower case carries no sign of a
    name, so only where one is announced, and only as family, middle (Văn, Thị, Đức...) and given
    name. Without accents a form of address is often another word ("co luong van phong" is "có
    lương văn phòng"), so there only a label or a self-introduction announces a name."""
    families = surnames().exact | surnames().folded  # lower-case forms only: capitalised words never match
    middles = MIDDLE_NAMES.exact | MIDDLE_NAMES.folded
    for index, family in enumerate(tokens[:-2]):
        if family.text not in families:
            continue
        middle, given = tokens[index + 1], tokens[index + 2]
        if middle.text not in middles or given.capitalised:
            continue
        shaped = family in surnames() and middle in MIDDLE_NAMES and given in given_names()
        joined = _joined(doc, family, middle) and _joined(doc, middle, given)
        titled = not family.accentless and _after_title(doc, tokens, index)
        if shaped and joined and (titled or _introduced(doc, family.start)):
            start, end = family.start, given.end
            reason = "họ tên viết thường sau cách xưng hô, nhãn hoặc lời giới thiệu"
            yield Entity(start, end, EntityType.PERSON, doc.text[start:end], 0.8, reason)


def _addressed_names(doc: Doc, tokens: list[Token], run: list[int]) -> Iterator[Entity]:
    """Short names after a form of address or under a name label: 'bác Sài', 'Họ tên: Mơ', also
    after a form of address that opens a sentence ('Ông Lộc cho biết'), unless the two together
    name a place ('Bà Triệu')."""
    first = tokens[run[0]]
    if _after_title(doc, tokens, run[0]) or _has_name_label(doc, first.start):
        names = run
    elif len(run) >= 2 and first in TITLES and not first.shouting and _joined(doc, first, tokens[run[1]]):
        if " ".join(tokens[k].folded for k in run[:4]) in place_names() or _is_place_context(doc, first.start):
            return  # "Bà Triệu", "quán Bà Hoa", "đường Ông Ích Khiêm"
        if _common_word(first, tokens[run[1]]) or _title_case(doc, tokens, run):
            return  # "Bác Sĩ trạm y tế…", "Ông Bà chúng tôi", "Anh Em Trong Xóm Đều Biết"
        names, first = run[1:], tokens[run[1]]
    else:
        return
    chosen = [tokens[k] for k in names[:3]]
    if any(t in PLACE_WORDS for t in chosen):
        return  # "Trường THCS ...", "Phường ...": an institution or a place, not a person
    # One word after a form of address is the person's even where a country bears it ("bà Nga").
    if len(chosen) > 1 and " ".join(t.folded for t in chosen) in place_names():
        return
    if _is_place_context(doc, first.start):
        return
    start, end = chosen[0].start, chosen[-1].end
    yield Entity(start, end, EntityType.PERSON, doc.text[start:end], 0.75, "tên sau cách xưng hô hoặc nhãn họ tên")


def _common_word(title: Token, word: Token) -> bool:
    """Do a form of address and the capitalised word after it make a common word of the language
    rather than a title and a name: a listed compound ("Bác Sĩ", "Chú Ý", "Bà Con") or a pair of
    forms of address ("Ông Bà", "Anh Em", "Cô Chú", "Em Bé")?"""
    if word in TITLES:
        return True
    pair = f"{title.key} {word.key}"
    compounds = title_compounds()
    return pair in (compounds.folded if word.accentless else compounds.exact)


TITLE_CASE_WORDS_AT_LEAST = 4


def _title_case(doc: Doc, tokens: list[Token], run: list[int]) -> bool:
    """Is the text written in Title Case, every word capitalised, so that capitals mark no name?
    A capitalised run longer than a title and a three-word name, or a line of four words or more
    all capitalised ("Anh Em Trong Xóm Đều Biết", "Thông Báo Lịch Tiếp Dân")."""
    if len(run) > 4:
        return True
    line_start, line_end = doc.line_span(tokens[run[0]].start)
    words = [t for t in tokens if line_start <= t.start < line_end]
    return len(words) >= TITLE_CASE_WORDS_AT_LEAST and all(t.capitalised for t in words)


def find(doc: Doc) -> Iterator[Entity]:
    tokens = _tokens(doc)
    for run in _runs(doc, tokens):
        found = list(_full_names(doc, tokens, run))
        yield from found
        if not found:
            yield from _addressed_names(doc, tokens, run)
    yield from _lower_case_names(doc, tokens)
