"""Swear words and insults, found so that public pages can show them masked.

A citizen's petition is received whatever its words: anger at a broken road is no reason to lose
the report. But the public list and page of petitions are read by everyone, so the words of
`data/profanity.tsv` (written by the project) are shown there as "***"; officers read the text as
sent. A term is matched as whole words, with its accents; the abbreviations ("đm", "vcl") also
without accents, but only in lower case ("ĐM" is also "định mức").
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

from mauson.vntext.normalize import fold, normalize

MASK = "***"
_EDGE_BEFORE, _EDGE_AFTER = r"(?<![\w])", r"(?![\w])"


@cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """(terms with their accents, any case; the abbreviations folded), each one alternation."""
    text = resources.files("mauson.vntext").joinpath("data", "profanity.tsv").read_text("utf-8")
    accented: list[str] = []
    folded: list[str] = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        term, mode = line.split("\t")
        if mode == "lowercase":
            folded.append(fold(term))
        else:
            accented.append(normalize(term).lower())
    return _alternation(accented, re.IGNORECASE), _alternation(folded)


def _alternation(terms: list[str], flags: int = 0) -> re.Pattern[str]:
    """One pattern of whole-word terms, the longest first ("đụ má" before "đụ")."""
    choices = "|".join(re.escape(term) for term in sorted(terms, key=len, reverse=True))
    return re.compile(f"{_EDGE_BEFORE}(?:{choices}){_EDGE_AFTER}", flags)


def mask_profanity(text: str) -> str:
    """`text` with each swear word or insult replaced by "***" (normalised text, NFC)."""
    accented, folded = _patterns()
    text = accented.sub(MASK, normalize(text))
    plain = fold(text)
    if len(plain) != len(text):  # folding maps each NFC letter to one letter; anything else is left as is
        return text
    for match in reversed(list(folded.finditer(plain))):
        if text[match.start() : match.end()].islower():  # "dm", "đm"; not "ĐM" (định mức)
            text = text[: match.start()] + MASK + text[match.end() :]
    return text
