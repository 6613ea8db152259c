"""Swear words and insults, found so that public pages can show them masked.

A citizen's petition is received whatever its words: anger at a broken road is no reason to lose
the report. But the public list and page of petitions are read by everyone, so the words of
`data/profanity.tsv` (written by the project) are shown there as "***"; officers read the text as
sent. A term is matched as whole words, with its accents; terms whose accentless form means
nothing else ("dm", "vcl") are also matched without accents ("DM", "dm"), anywhere.
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
    """(terms with accents, accentless forms of the unambiguous terms), each one alternation."""
    text = resources.files("mauson.vntext").joinpath("data", "profanity.tsv").read_text("utf-8")
    accented: list[str] = []
    folded: list[str] = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        term, mode = line.split("\t")
        accented.append(re.escape(normalize(term).lower()))
        if mode == "any":
            folded.append(re.escape(fold(term)))
    return (
        re.compile(_EDGE_BEFORE + "(?:" + "|".join(accented) + ")" + _EDGE_AFTER, re.IGNORECASE),
        re.compile(_EDGE_BEFORE + "(?:" + "|".join(folded) + ")" + _EDGE_AFTER, re.IGNORECASE),
    )


def mask_profanity(text: str) -> str:
    """`text` with each swear word or insult replaced by "***" (normalised text, NFC)."""
    accented, folded = _patterns()
    text = accented.sub(MASK, normalize(text))
    plain = fold(text)
    if len(plain) != len(text):  # folding maps each NFC letter to one letter; anything else is left as is
        return text
    for match in reversed(list(folded.finditer(plain))):
        text = text[: match.start()] + MASK + text[match.end() :]
    return text
