"""Health data: a diagnosis or condition tied to an identifiable person.

A condition phrase starts at a known head word (khuyết tật, nhiễm, lao, gãy, tăng huyết áp...)
after a cue (chẩn đoán, mắc bệnh, bị, điều trị do, dạng tật) or under a diagnosis label or column,
in a line or sentence that is about a person (a name, or a form of address). After "mắc bệnh",
"bị bệnh" (or "chứng") whatever follows is the disease, listed head word or not ("mắc bệnh tim
bẩm sinh"). The cue words stay outside the span. Aggregate statistics ("312 ca sốt xuất huyết")
are not anyone's health data.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from mauson.privacy.models import Entity, EntityType
from mauson.privacy.recognizers.context import Doc
from mauson.privacy.recognizers.names import place_names
from mauson.vntext.normalize import fold_aligned

CONDITION_WORDS = (
    "khuyết tật",
    "nhiễm",
    "tai biến",
    "liệt",
    "hen",
    "cận thị",
    "viễn thị",
    "loạn thị",
    "sâu răng",
    "lao",
    "chấn thương",
    "gãy",
    "phẫu thuật",
    "tăng huyết áp",
    "huyết áp",
    "đái tháo đường",
    "tiểu đường",
    "ung thư",
    "viêm",
    "suy",
    "sốt",
    "covid",
    "hiv",
    "trầm cảm",
    "tâm thần",
    "động kinh",
    "thiểu năng",
    "mang thai",
    "có thai",
    "thai",
    "sinh con",
    "sảy thai",
    "đột quỵ",
    "xơ gan",
    "thoái hóa",
    "bại não",
    "tự kỷ",
    "down",
    "thalassemia",
    "tan máu",
    "rối loạn",
    "nhồi máu",
    "dị tật",
    "mù",
    "điếc",
    "câm",
    "u ",
    "khối u",
    "bướu",
    "zona",
    "thủy đậu",
    "sởi",
    "tay chân miệng",
    "rubella",
    "cúm",
    "nghiện",
    "ngộ độc",
    "bỏng",
    "đa chấn thương",
    "vỡ",
    "dập",
    "rạn",
    "thoát vị",
    "sỏi",
    "trĩ",
    "gout",
    "gút",
    "parkinson",
    "alzheimer",
    "mất trí",
    "chậm phát triển",
    "sinh non",
    "sinh mổ",
    "đẻ",
    "vô sinh",
    "hiếm muộn",
    "glocom",
    "đục thủy tinh thể",
    "đau",
    "béo phì",
    "suy dinh dưỡng",
    "hở van",
    "thiếu máu",
    "lupus",
    "vảy nến",
    "lở loét",
    "nhiễm trùng",
    "xây xát",
    "lẫn",
    "theo dõi",
    "soi",
    "vận động",
    "nghe",
    "nhìn",
    "chấn động",
)
CONDITION_HEADS = tuple(fold_aligned(w) for w in CONDITION_WORDS)
CUES = (
    "chẩn đoán",
    "mắc bệnh",
    "mắc",
    "bị bệnh",
    "bị",
    "điều trị do",
    "điều trị",
    "dạng tật",
    "dạng khuyết tật",
    "bệnh lý",
    "bệnh",
    "kết luận",
    "tiền sử",
    "nhập viện do",
    "vì",
    "do",
    "lý do",
    "tên bệnh",
    "bệnh kèm",
    "chẩn đoán ra viện",
    "chẩn đoán vào viện",
    "răng hàm mặt",
    "mắt",
    "tai mũi họng",
    "nội khoa",
    "ngoại khoa",
)
# Cues after which whatever follows is a disease, whether or not its head word is listed above.
DISEASE_CUES = ("mắc bệnh", "bị bệnh", "mắc chứng", "bị chứng")
HEALTH_COLUMNS = ("dang tat", "chan doan", "benh", "tinh trang suc khoe", "ly do kham", "tat")
STAT_BEFORE = re.compile(
    r"\d[\d.,]*\s*(ca|truong hop|nguoi|benh nhan|hoc sinh|chau)\s*(?:(?:mac|bi)(?: benh| chung)?\s*)?$|"
    r"dich benh\s*$|phong,? chong[\w ]*$|"
    r"phuong phap dieu tri:?\s*$"
)
# Conditions specific enough to count without a cue word, right after ",", "(", ":" or "-" in a
# record about a person: "(thôn Đồng Bụt, khuyết tật vận động)", "82 tuổi, lẫn".
STRONG_HEADS = tuple(
    fold_aligned(w)
    for w in (
        "khuyết tật",
        "nhiễm hiv",
        "liệt",
        "tai biến",
        "hen phế quản",
        "cận thị",
        "lẫn",
        "động kinh",
        "ung thư",
        "đái tháo đường",
        "tăng huyết áp",
        "lao phổi",
        "sâu răng",
        "suy thận",
        "suy tim",
    )
)
_STRONG = re.compile("(?:" + "|".join(map(re.escape, STRONG_HEADS)) + r")(?!\w)")
_BARE_BEFORE = re.compile(r"(?:[,(:]|\s-|\S\s[A-ZĐÀ-Ỹ][^\s,]*)\s*$")
# Who a condition may belong to, as written with accents; folded for a line typed without them. In a
# line with accents only their own spelling counts: "Ống nước bị vỡ" has no "ông" in it.
PERSON_CUES = (
    "ông ",
    "bà ",
    "anh ",
    "chị ",
    "cháu ",
    "em ",
    "bác ",
    "bệnh nhân",
    "con tôi",
    "vợ tôi",
    "chồng tôi",
    "mẹ tôi",
    "bố tôi",
    "gia đình",
    "người bệnh",
    "học sinh",
    "họ tên",
    "cụ ",
    "tôi ",
)
_FOLDED_PERSON_CUES = tuple(fold_aligned(cue) for cue in PERSON_CUES)
_END = re.compile(
    r"[;\n|]|\. |\.$| \((?![a-zA-Z]\d)| nen | nhung | dang | tu nam | tu ngay | tu thang | tu nho| duoc | can |"
    r" de nghi | hien | da duoc | thuoc dien | o nha | tai | phai | khong | va giai| cua | la |,(?! (?:tam than|"
    r"liet|gay|viem|suy|dai thao|tang huyet|benh kem)) "
)


def _is_about_a_person(doc: Doc, start: int, people: list[Entity]) -> bool:
    """A person is named on the same line or just before, or addressed (ông, bà, cháu...)."""
    line_start, line_end = doc.line_span(start)
    if any(line_start <= p.start < line_end or 0 <= start - p.end <= 300 for p in people):
        return True
    if doc.accentless(start):
        window = doc.before(start, 120, same_line=False)
        return any(cue in window for cue in _FOLDED_PERSON_CUES)
    window = doc.lowered[max(0, start - 120) : start]
    return any(cue in window for cue in PERSON_CUES)


def _phrase_end(doc: Doc, start: int) -> int:
    """Where the condition phrase ends: a clause break, or a ')' that closes a bracket opened before it."""
    match = _END.search(doc.folded, start + 2)
    end = match.start() if match else len(doc.text)
    depth = 0
    for position in range(start, end):
        depth += {"(": 1, ")": -1}.get(doc.text[position], 0)
        if depth < 0:
            end = position
            break
    return len(doc.text[:end].rstrip(" ,.:"))


def _cued(doc: Doc, start: int) -> bool:
    """Does a cue word (chẩn đoán, bị, mắc...) or a 'Chẩn đoán:' label stand right before `start`?"""
    line_start, _ = doc.line_span(start)
    before = doc.lowered[max(line_start, start - 30) : start].rstrip(" :")
    accentless = doc.folded[max(line_start, start - 30) : start].rstrip(" :") == before
    cues = {fold_aligned(c) for c in CUES} if accentless else set(CUES)
    return any(before == cue or before.endswith((" " + cue, "(" + cue, "," + cue)) for cue in cues)


@cache
def _disease_cue_pattern(accented: bool) -> re.Pattern[str]:
    cues = DISEASE_CUES if accented else tuple(fold_aligned(c) for c in DISEASE_CUES)
    return re.compile(r"(?<![\w])(?:" + "|".join(cues) + r")\s+(?=\w)")


@cache
def _heads_pattern(accented: bool) -> re.Pattern[str]:
    words = CONDITION_WORDS if accented else CONDITION_HEADS
    return re.compile(r"(?<![\w])(?:" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + ")")


def find_columns(doc: Doc, people: list[Entity]) -> Iterator[Entity]:
    for (start, end), header in doc._cells.items():
        if end > start and any(header.startswith(h) for h in HEALTH_COLUMNS) and _is_about_a_person(doc, start, people):
            yield Entity(start, end, EntityType.HEALTH, doc.text[start:end], 0.7, f"cột '{header}'")


def _condition_starts(doc: Doc) -> Iterator[int]:
    """Where condition phrases start: a known head word after a cue (or a strong one bare in a
    record), or any word after a disease cue ("mắc bệnh tim bẩm sinh": no list names every disease)."""
    for accented, text in ((True, doc.lowered), (False, doc.folded)):
        for match in _heads_pattern(accented).finditer(text):
            start = match.start()
            if doc.accentless(start) == accented:
                continue
            line_start, _ = doc.line_span(start)
            bare = _STRONG.match(doc.folded, start) is not None
            bare = bare and _BARE_BEFORE.search(doc.text[max(line_start, start - 40) : start]) is not None
            if _cued(doc, start) or bare:
                yield start
        for match in _disease_cue_pattern(accented).finditer(text):
            if doc.accentless(match.start()) != accented:
                yield match.end()


def find(doc: Doc, people: list[Entity]) -> Iterator[Entity]:
    yield from find_columns(doc, people)
    for start in sorted(set(_condition_starts(doc))):
        if STAT_BEFORE.search(doc.before(start, 30)) or not _is_about_a_person(doc, start, people):
            continue
        end = _phrase_end(doc, start)
        if doc.text[start].isupper() and doc.folded[start:end].lower().strip(" .,") in place_names():
            continue  # "27 Ba Trieu, Dong Kinh": the ward of Đông Kinh typed bare, not epilepsy
        if end - start >= 2:
            yield Entity(
                start, end, EntityType.HEALTH, doc.text[start:end], 0.75, "tình trạng sức khỏe gắn với một người"
            )
