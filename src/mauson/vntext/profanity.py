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

from mauson.vntext.normalize import fold, fold_aligned, normalize
from mauson.vntext.phrases import read_table, whole_words

MASK = "***"


@cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """(terms with their accents, any case; the abbreviations folded), each one pattern."""
    rows = read_table("profanity.tsv")
    accented = [normalize(term).lower() for term, mode in rows if mode != "lowercase"]
    folded = [fold(term) for term, mode in rows if mode == "lowercase"]
    return whole_words(accented, re.IGNORECASE), whole_words(folded)


def mask_profanity(text: str) -> str:
    """`text` with each swear word or insult replaced by "***" (normalised text, NFC)."""
    accented, folded = _patterns()
    text = accented.sub(MASK, normalize(text))
    plain = fold_aligned(text)  # same offsets as `text`
    for match in reversed(list(folded.finditer(plain))):
        if text[match.start() : match.end()].islower():  # "dm", "đm"; not "ĐM" (định mức)
            text = text[: match.start()] + MASK + text[match.end() :]
    return text
