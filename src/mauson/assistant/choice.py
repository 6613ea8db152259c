"""Which of the two procedures just offered a citizen means, read from a short reply.

When the assistant asks "Bạn cần thủ tục nào?" (one service at two levels, or two of one family),
people answer the way they would at the one-stop counter: "cấp tỉnh", "cái thứ hai", "đăng ký
lại". Searched on its own such a reply finds nothing, so it is read against the two options: the
level it names, the position it names, or the words of one name the other lacks.
"""

from __future__ import annotations

from collections.abc import Sequence
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
ORDINAL_CUES: tuple[tuple[str, ...], ...] = (
    ("thu nhat", "dau tien", "so 1", "thu 1", "cai dau", "cai truoc"),
    ("thu hai", "thu 2", "so 2", "cai sau"),
)
# Words a reply may hold besides its choice; they tell the options apart no more than silence does.
# A reply with any other word (besides those of the two names and of the cues) is a new question.
FILLER = frozenset("cai thu tuc toi can la o cap cua ban a nhe di thi lam".split())


_LEVEL_WORDS = frozenset(word for cues in LEVEL_CUES.values() for cue in cues for word in cue.split())
_CUE_WORDS = _LEVEL_WORDS | {word for cues in ORDINAL_CUES for cue in cues for word in cue.split()}


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


def names_only_a_level(reply: str) -> bool:
    """ "cấp tỉnh", "ở xã ạ": a reply about the level of the procedure just discussed, not a question
    to search on its own (searched alone, "cấp tỉnh" found a passport procedure "thực hiện tại cấp tỉnh")."""
    words = set(_words(reply))
    return bool(words) and words <= FILLER | _LEVEL_WORDS and names_a_level(reply)


def chosen(reply: str, options: Sequence[Option]) -> int | None:
    """The position (0 or 1) of the option `reply` picks, or None when it picks neither clearly."""
    words = _words(reply)
    if not is_short_reply(reply) or len(options) != 2:
        return None
    names = [set(_words(option.name)) for option in options]
    if not set(words) <= names[0] | names[1] | FILLER | _CUE_WORDS:
        return None  # "kết hôn lại" after two birth registrations is a new question, not a choice
    padded = f" {' '.join(words)} "
    for position, cues in enumerate(ORDINAL_CUES):
        if _says(padded, cues):
            return position
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
