"""Phrase tables the project writes, and how their phrases are found in a text.

Several modules keep lists of Vietnamese phrases: everyday words and their official wording and
swear words as small tab-separated tables in `vntext/data/`, petition cues in code. All match them
the same way: as whole words, with the phrase's accents in a text that has accents ("sổ đỏ" is not
"sơ đồ" when the accents are there to tell), folded in a text typed without them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from importlib import resources

from mauson.vntext.normalize import fold, fold_aligned, has_diacritics, normalize

_EDGE_BEFORE, _EDGE_AFTER = r"(?<![\w])", r"(?![\w])"


def read_table(name: str) -> list[list[str]]:
    """The rows of `vntext/data/NAME`, split at tabs, without blank lines and "#" comments."""
    text = resources.files("mauson.vntext").joinpath("data", name).read_text("utf-8")
    return [line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#")]


def whole_words(phrases: Iterable[str], flags: int = 0) -> re.Pattern[str]:
    """One pattern that finds any of `phrases` as whole words, the longest first ("đụ má" before "đụ")."""
    choices = "|".join(re.escape(phrase) for phrase in sorted(phrases, key=len, reverse=True))
    return re.compile(f"{_EDGE_BEFORE}(?:{choices}){_EDGE_AFTER}", flags)


def comparable(text: str) -> tuple[str, bool]:
    """`text` as phrases are looked for in it (lower case with its accents when it has any, folded
    when it has none), and whether it has accents."""
    clean = normalize(text)
    accents = has_diacritics(clean)
    return (clean.lower() if accents else fold(clean)), accents


def said(haystack: str, accents: bool, accented: re.Pattern[str], folded: re.Pattern[str]) -> bool:
    """Whether a phrase is in `haystack` (from `comparable`): with its accents in a text that has
    them, folded in one that has none, and also folded where a text with accents has the phrase
    typed bare ("Khối 4 phường Tam Thanh mat dien tu sang"): the bare words tell nothing apart, so
    they cannot be another phrase's."""
    if not accents:
        return folded.search(haystack) is not None
    if accented.search(haystack):
        return True
    return any(not has_diacritics(haystack[m.start() : m.end()]) for m in folded.finditer(fold_aligned(haystack)))
