"""Lexical analysis and highlighting: the same folding on the index side and the query side.

Terms are syllables folded to plain letters (`fold()`: diacritics stripped, đ → d, lower case),
cut at every character that is not a letter or a digit, plus each pair of neighbouring
syllables joined by "_". Folding ourselves, rather than trusting SQLite's `remove_diacritics`,
is what makes "đăng ký" match "dang ky" (FTS5 keeps đ as it is). Syllables with pairs ranked
as well as pyvi's segmented words on our probe and better than syllables alone (docs/search.md),
and they need no model and no accents.

Highlights are built from the stored original text, so the marked words keep their accents even
when the query had none; everything outside `<mark>` is HTML-escaped.
"""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

from mauson.vntext.normalize import fold
from mauson.vntext.segment import WORD

SNIPPET_CHARS = 240
_CONTEXT_BEFORE = 40
_MAX_MARKED = 400  # matches considered when choosing the snippet window


@lru_cache(maxsize=100_000)
def _folded(token: str) -> str:
    return fold(token)


def syllables(text: str) -> list[str]:
    """Folded syllables of `text`, in order: 'Đăng ký khai-sinh (2025)' → ['dang', 'ky', 'khai', 'sinh', '2025']."""
    return WORD.findall(fold(text))


def terms(text: str) -> list[str]:
    """Folded syllables, then each pair of neighbours that only spaces separate ('khai_sinh').

    The pairs stand in for Vietnamese words ("khai sinh", "hộ chiếu") without a segmenter: they
    reward a phrase over its syllables scattered, and they work the same on accentless text.
    """
    folded = fold(text)
    single: list[str] = []
    pairs: list[str] = []
    previous, previous_end = "", 0
    for match in WORD.finditer(folded):
        term = match.group(0)
        if previous and folded[previous_end : match.start()].isspace():
            pairs.append(f"{previous}_{term}")
        single.append(term)
        previous, previous_end = term, match.end()
    return single + pairs


def query_terms(text: str, limit: int) -> list[str]:
    """A query's distinct terms: its first `limit` distinct syllables, and the pairs among them."""
    found = terms(text)
    single = list(dict.fromkeys(term for term in found if "_" not in term))[:limit]
    kept = set(single)
    pairs = [pair for pair in dict.fromkeys(t for t in found if "_" in t) if set(pair.split("_")) <= kept]
    return single + pairs


def term_text(pieces: Iterable[str]) -> str:
    """What goes into a full-text column: the terms of all pieces, space-separated."""
    return " ".join(term for piece in pieces for term in terms(piece))


def _matches(text: str, wanted: frozenset[str]) -> list[tuple[int, int, str]]:
    """(start, end, term) of each token of `text` whose folded form is a wanted term."""
    found: list[tuple[int, int, str]] = []
    for match in WORD.finditer(text):
        for term in WORD.findall(_folded(match.group(0))):
            if term in wanted:
                found.append((match.start(), match.end(), term))
                break
    return found


def _window(text: str, found: list[tuple[int, int, str]], width: int) -> tuple[int, int]:
    """The span of about `width` characters holding the most distinct matched terms."""
    if len(text) <= width:
        return 0, len(text)
    best_start, best_count = 0, 0
    candidates = found[:_MAX_MARKED]
    inside: Counter[str] = Counter()
    j = 0
    for i, (start, _, term) in enumerate(candidates):  # two pointers: inside holds candidates[i:j]
        j = max(j, i)
        while j < len(candidates) and candidates[j][1] <= start + width - _CONTEXT_BEFORE:
            inside[candidates[j][2]] += 1
            j += 1
        if len(inside) > best_count:
            best_start, best_count = max(0, start - _CONTEXT_BEFORE), len(inside)
        if j > i:
            inside[term] -= 1
            if not inside[term]:
                del inside[term]
    begin = text.rfind(" ", 0, best_start + 1) + 1 if best_start else 0
    end = min(len(text), begin + width)
    if end < len(text):
        cut = text.rfind(" ", begin, end)
        end = cut if cut > begin else end
    return begin, end


def highlight(text: str, wanted: frozenset[str], width: int | None = SNIPPET_CHARS) -> str:
    """Escaped text (a snippet of about `width` characters, or all of it) with `<mark>` on matches."""
    found = _matches(text, wanted)
    begin, end = (0, len(text)) if width is None else _window(text, found, width)
    pieces = ["…"] if begin > 0 else []
    position = begin
    for start, stop, _ in found:
        if start < begin or stop > end:
            continue
        pieces += [html.escape(text[position:start]), "<mark>", html.escape(text[start:stop]), "</mark>"]
        position = stop
    pieces.append(html.escape(text[position:end]))
    if end < len(text):
        pieces.append("…")
    return "".join(pieces)
