"""Which of the two procedures just offered a citizen means, read from a short reply.

When the assistant asks "Bạn cần thủ tục nào?" (one service at two levels, or two of one family),
people answer the way they would at the one-stop counter: "cấp tỉnh", "cái thứ hai", "đăng ký
lại", "loại 2". Searched on its own such a reply finds nothing, or something unrelated ("cái thứ
ba" found a mortgage "cho bên thứ ba"), so it is read against the two options: the level it names,
the position it names, or the words of one name the other lacks. A position past the two is told
apart (`beyond`), to be answered by naming the two again.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise
from typing import Protocol

from mauson.vntext.normalize import fold
from mauson.vntext.segment import syllables

MAX_WORDS = 6  # a longer message is a new question, not a choice
# Words that name a level, folded; whole words, so "tinh" is "tỉnh" but not a part of another word.
# Not "sở" or "bộ": folded, they are also "sổ", "số", "bố", "bỏ".
LEVEL_CUES: dict[str, tuple[str, ...]] = {
    "Cấp xã": ("xa", "phuong", "thi tran", "ubnd xa"),
    "Cấp tỉnh": ("tinh", "cap tinh"),
    "Cấp bộ": ("cap bo", "trung uong"),
}
# Positions said without a number, folded: "cái đầu", "cái trước", "cái trên" is the first, "cái
# sau", "cái cuối", "cái dưới" the last (the options are listed one above the other).
FIRST_CUES = ("dau tien", "cai dau", "cai truoc", "cai tren")
LAST_CUES = ("cai sau", "cai cuoi", "cai duoi", "cuoi cung")
# A position said with a number follows one of these words: "thứ ba", "số 1", "loại 2", "mẫu số 2",
# "loại thứ hai", "cái 2". The word alone says nothing: "giấy phép lái xe hạng 2" names no position.
ORDINAL_HEADS = ("thu", "so", "loai", "mau", "cai")
# Numbers as words, folded, up to five: "sáu" folds onto the "sau" of "cái sau" (the latter).
# "nhất" and "tư" are ordinals only ("thứ nhất", "thứ tư"); "một", "bốn" follow "số", "loại".
NUMBER_WORDS = {"nhat": 1, "mot": 1, "hai": 2, "ba": 3, "tu": 4, "bon": 4, "nam": 5}
MAX_DIGIT_POSITION = 9  # "loại 10" is a grade or a class, not one of a handful of options
# Words a reply may hold besides its choice; they tell the options apart no more than silence does.
# A reply with any other word (besides those of the two names and of the cues) is a new question.
FILLER = frozenset("cai thu tuc toi can la o cap cua ban a nhe di thi lam".split())


_LEVEL_WORDS = frozenset(word for cues in LEVEL_CUES.values() for cue in cues for word in cue.split())
_CUE_WORDS = (
    _LEVEL_WORDS
    | {word for cue in FIRST_CUES + LAST_CUES for word in cue.split()}
    | set(ORDINAL_HEADS)
    | set(NUMBER_WORDS)
)


class Option(Protocol):
    name: str
    levels: str | None


def _words(text: str) -> list[str]:
    return [fold(s.lower()) for s in syllables(text)]


def _says(padded: str, cues: Sequence[str]) -> bool:
    return any(f" {cue} " in padded for cue in cues)


def names_a_level(text: str) -> bool:
    """Whether `text` names a level ("ở xã", "cấp tỉnh"), as whole words."""
    padded = f" {' '.join(_words(text))} "
    return any(_says(padded, cues) for cues in LEVEL_CUES.values())


def is_short_reply(reply: str) -> bool:
    """Short enough to be a reply to a question rather than a question of its own."""
    return 0 < len(_words(reply)) <= MAX_WORDS


def is_bare_pick(reply: str) -> bool:
    """Whether `reply` only picks by position ("cái sau", "cái thứ hai", "loại 2") and names nothing:
    with no offer standing there is nothing to pick from (searched, "cái sau" found drug
    rehabilitation), and the citizen is asked what they mean."""
    words = _words(reply)
    if not is_short_reply(reply) or not all(w in FILLER | _CUE_WORDS or _number(w) is not None for w in words):
        return False
    return _ordinal(words, [set(), set()]) is not None


def names_only_a_level(reply: str) -> bool:
    """ "cấp tỉnh", "ở xã ạ": a reply about the level of the procedure just discussed, not a question
    to search on its own (searched alone, "cấp tỉnh" found a passport procedure "thực hiện tại cấp tỉnh")."""
    words = set(_words(reply))
    return bool(words) and words <= FILLER | _LEVEL_WORDS and names_a_level(reply)


def _number(word: str) -> int | None:
    """The number a word says: "2", "02", "hai"; None for any other word."""
    if word.isdigit():
        return int(word) if 0 < int(word) <= MAX_DIGIT_POSITION else None
    return NUMBER_WORDS.get(word)


def _ordinal(words: Sequence[str], names: Sequence[set[str]]) -> int | None:
    """The position (0 for the first) the words name by order among the options, whether or not
    there are that many: "cái thứ ba" is 2 even when two were offered. A number only one name holds
    names that one ("số 2", "số hai" of "Phiếu lý lịch tư pháp số 1" and "… số 2", whichever came
    first), unless said as an ordinal ("cái thứ hai"); only a name's digits count, the "tư" of "tư
    pháp" is no 4."""
    numbers = {_number(word) for before, word in pairwise(["", *words]) if before != "thu"} - {None}
    holding = [position for position, name in enumerate(names) if numbers & {int(w) for w in name if w.isdigit()}]
    if len(holding) == 1:
        return holding[0]
    padded = f" {' '.join(words)} "
    if _says(padded, FIRST_CUES):
        return 0
    if _says(padded, LAST_CUES):
        return len(names) - 1
    for before, word in pairwise(words):
        number = _number(word)
        if before in ORDINAL_HEADS and number is not None:
            return number - 1
    return None


def _reply_words(reply: str, names: Sequence[set[str]]) -> list[str] | None:
    """The folded words of `reply` when it reads as a reply to the offer of two options with these
    `names`: short, and only words of the names, of the cues and filler; None for a new question
    ("kết hôn lại" after two birth registrations, "giấy phép lái xe hạng 2")."""
    words = _words(reply)
    if not is_short_reply(reply) or len(names) != 2:
        return None
    known = names[0] | names[1] | FILLER | _CUE_WORDS
    return words if all(word in known or _number(word) is not None for word in words) else None


def _names(options: Sequence[Option]) -> list[set[str]]:
    return [set(_words(option.name)) for option in options]


def beyond(reply: str, options: Sequence[Option]) -> bool:
    """Whether `reply` picks by order a position past the options offered ("cái thứ ba" of two).
    Such a reply is no new question (searched alone, it found a mortgage "cho bên thứ ba"); it is
    answered by naming the options again, which `chosen` cannot say: it returns a position to take."""
    names = _names(options)
    words = _reply_words(reply, names)
    position = None if words is None else _ordinal(words, names)
    return position is not None and position >= len(options)


def chosen(reply: str, options: Sequence[Option]) -> int | None:
    """The position (0 or 1) of the option `reply` picks, or None when it picks neither clearly."""
    names = _names(options)
    words = _reply_words(reply, names)
    if words is None:
        return None
    position = _ordinal(words, names)
    if position is not None:
        return position if position < len(options) else None
    padded = f" {' '.join(words)} "
    by_level = [
        position
        for position, option in enumerate(options)
        if any(level in (option.levels or "") and _says(padded, cues) for level, cues in LEVEL_CUES.items())
    ]
    if len(by_level) == 1:
        return by_level[0]
    said = set(words) - FILLER
    by_words = [position for position in (0, 1) if said & (names[position] - names[1 - position])]
    return by_words[0] if len(by_words) == 1 else None
