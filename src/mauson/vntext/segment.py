"""Splitting Vietnamese text: into sentences, syllables, and words.

Vietnamese writes words of several syllables with spaces between the syllables ("giấy khai
sinh" is two words, "giấy" and "khai sinh"); `words()` joins them with pyvi's CRF segmenter
(its model ships in the package). Sentence splitting knows the abbreviations of official
texts (TP., Tp., ThS., v.v., Điều 5.) and numbers written with dots (1.000.000, 1.000178).
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from mauson.vntext.normalize import nfc

# A run of letters and digits: a syllable as folded text, search terms and the classifiers count it.
WORD = re.compile(r"[^\W_]+")
SYLLABLE = re.compile(r"[^\W_]+(?:[.,/-][^\W_]+)*", re.UNICODE)
ABBREVIATIONS = (
    "tp",
    "tx",
    "tt",
    "p",
    "q",
    "h",
    "x",
    "ths",
    "ts",
    "pgs",
    "gs",
    "bs",
    "ks",
    "v.v",
    "tr",
    "đ/c",
    "ông",
    "bà",
    "st",
    "vd",
    "đ",
    "k",
    "kt",
    "tm",
    "q.ct",
    "pct",
    "nxb",
    "cty",
    "sđt",
)
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”’)\]]*\s+(?=[\"“‘(\[]?[A-ZĐÀ-Ỹ0-9])|\n\s*\n|(?<=[:;])\s*\n")


def syllables(text: str) -> list[str]:
    """Syllables and numbers, without punctuation: '3.500.000 đồng' → ['3.500.000', 'đồng']."""
    return SYLLABLE.findall(nfc(text))


@cache
def _tokenizer() -> Any:
    from pyvi import ViTokenizer  # loads its CRF model: done once, on first use

    return ViTokenizer


def words(text: str) -> list[str]:
    """Words, multi-syllable words joined by '_': 'giấy khai sinh' → ['giấy', 'khai_sinh']."""
    tokens: list[str] = _tokenizer().tokenize(nfc(text)).split()
    return [t for t in tokens if any(ch.isalnum() for ch in t)]


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Where each sentence of `text` starts and ends (surrounding spaces left out); abbreviations
    and numbers with dots do not end a sentence."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        if _abbreviated(text[start : match.start()]):
            continue
        spans.extend(_stripped(text, start, match.start()))
        start = match.end()
    spans.extend(_stripped(text, start, len(text)))
    return spans


def _abbreviated(before: str) -> bool:
    """Whether `before` ends with an abbreviation's dot ("TP.", "ThS.", "X."), which ends no sentence."""
    before = before.rstrip()
    last_word = before.rsplit(maxsplit=1)[-1].rstrip(".").lower() if before.split() else ""
    return before.endswith(".") and (last_word in ABBREVIATIONS or (len(last_word) == 1 and last_word.isalpha()))


def _stripped(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """[(start, end)] of `text[start:end]` without its surrounding spaces; [] when nothing else is there."""
    piece = text[start:end]
    if not piece.strip():
        return []
    return [(start + len(piece) - len(piece.lstrip()), end - len(piece) + len(piece.rstrip()))]


def sentences(text: str) -> list[str]:
    """Sentences of a text; abbreviations and numbers with dots do not end a sentence."""
    return [text[start:end] for start, end in sentence_spans(text)]


# Within a sentence, a clause ends at a comma, a semicolon, a colon, a bracket or a line break, at a
# full stop, "!" or "?" before a space whatever follows (a sentence is only ended before a capital, and
# "Tôi là Nguyễn Văn An. số CCCD …. cho hỏi …" typed in lower case is still three clauses), and before
# "nhưng", which turns to another matter ("tôi ở xã A nhưng cây đổ ở xã B"; typed bare, also before
# "những", where a new clause costs the readers nothing).
_CLAUSE_END = re.compile(r"[,;:()\n]|(?<=[.!?…])\s+|\s+(?=(?:nhưng|nhung)\b)", re.IGNORECASE)


def clause_spans(text: str) -> list[list[tuple[int, int]]]:
    """The clauses of each sentence of `text`, as (start, end) offsets into it: what a reader takes
    in one go, for reading a cue with only the words around it ("Năm ngoái, đồi sau nhà bị sạt lở":
    the date is a clause of its own; "Tôi là Nguyễn Văn An, hỏi về sổ đỏ": the introduction is).
    Abbreviations ("TP. Lạng Sơn") and numbers with dots end none."""
    return [_clauses(text, start, end) for start, end in sentence_spans(text)]


def _clauses(text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans, begin = [], start
    for match in _CLAUSE_END.finditer(text, start, end):
        if match.group()[0] not in ",;:()\n" and _abbreviated(text[begin : match.start()]):
            continue
        spans.append((begin, match.start()))
        begin = match.end()
    spans.append((begin, end))
    return [(a, b) for a, b in spans if WORD.search(text, a, b)]
