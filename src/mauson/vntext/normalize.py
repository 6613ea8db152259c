"""Unicode and spelling normalisation of Vietnamese text, and diacritics folding for matching.

Vietnamese text arrives in NFC, NFD (Mac, some web forms), and with the tone mark placed in
either of two accepted ways ("hoà" or "hòa", "thuỷ" or "thủy"). `normalize()` gives one form:
NFC, tone marks placed the traditional way that official documents use ("Ủy ban", "hòa",
"thủy", "khỏe"), whitespace tidied. `fold()` strips
every diacritic, including đ → d, for accent-insensitive matching.

Finders that match on folded text but must point into the text as given use `Composed.of(text)`
(the NFC text and the way back to the given offsets) and `fold_aligned()` (folding that keeps
every offset).
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass
from functools import cache

TONES = {"\u0300": "huyen", "\u0301": "sac", "\u0303": "nga", "\u0309": "hoi", "\u0323": "nang"}
_TONE_MARKS = frozenset(TONES)
_VOWELS = frozenset("aăâeêioôơuưy")
_QUALITY = frozenset("ăâêôơư")
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
# Control characters are no text ("\x00khai sinh" pasted from a broken form was declined as unknown).
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Nor are the invisible characters text copied from chat apps and web pages carries inside words
# (zero-width joiners, word joiner, byte-order mark, soft hyphen): "kh\u00adai sinh" was two words
# and the question was declined. A zero-width space marks a break between words, so it is a space.
_INVISIBLE = re.compile(r"[\u00ad\u200c\u200d\u2060\ufeff]")
_SPACE_BEFORE_PUNCT = re.compile(r" +([,.;:!?%)\]}])")
_SPACE_AFTER_OPEN = re.compile(r"([(\[{]) +")
_BLANK_LINES = re.compile(r"\n{3,}")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def fold(text: str) -> str:
    """Strip all diacritics (đ → d too) and lower-case: 'Đồng Đăng' → 'dong dang'."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", stripped).lower()


def _fold_char(ch: str) -> str:
    """One letter without diacritics, lower-case, and always one character. `Ð` (eth) is read as
    `Đ`: old fonts and some forms type one for the other."""
    if ch in "đĐÐ":
        return "d"
    base = unicodedata.normalize("NFD", ch)[0]
    lowered = base.lower()
    return lowered if len(lowered) == 1 else base


@cache
def _fold_table() -> dict[int, str]:
    """Latin and Vietnamese letters folded; every other character maps to itself."""
    return {code: _fold_char(chr(code)) for code in [*range(0x0000, 0x0250), *range(0x1E00, 0x1F00)]}


def fold_aligned(text: str) -> str:
    """`text` folded letter by letter into exactly as many characters, so that an offset in the
    one is the same place in the other: a word found in the folded text can be cut from the text.
    On NFC text it reads like `fold()`; compose NFD text first (`Composed`), since a combining
    mark stays as it is."""
    return text.translate(_fold_table())


@dataclass(frozen=True)
class Composed:
    """A text in NFC and the way back to the text as it was given, for finders that work on NFC
    (or folded NFC) text but must answer with offsets into what their caller holds."""

    given: str
    text: str  # NFC
    starts: list[int] | None  # per character of `text`, where its letter starts in `given`; then len(given)

    @classmethod
    def of(cls, given: str) -> Composed:
        """Each letter with the combining marks after it is composed on its own, so every composed
        character knows the letter it came from. `starts` is None when `given` is already NFC."""
        if unicodedata.is_normalized("NFC", given):
            return cls(given, given, None)
        pieces: list[str] = []
        starts: list[int] = []
        for start, end in _letters(given):
            piece = unicodedata.normalize("NFC", given[start:end])
            pieces.append(piece)
            starts.extend([start] * len(piece))
        starts.append(len(given))
        return cls(given, "".join(pieces), starts)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """`text[start:end]` as offsets into `given`; a span that ends inside a letter takes all of it."""
        if self.starts is None:
            return start, end
        first = self.starts[start]
        if end <= start:
            return first, first
        return first, self.starts[bisect.bisect_right(self.starts, self.starts[end - 1])]


def _letters(text: str) -> list[tuple[int, int]]:
    """(start, end) of each character with the combining marks that follow it."""
    spans = []
    start = 0
    while start < len(text):
        end = start + 1
        while end < len(text) and unicodedata.combining(text[end]):
            end += 1
        spans.append((start, end))
        start = end
    return spans


def has_diacritics(text: str) -> bool:
    """True when the text carries any Vietnamese diacritic (tone, vowel mark or đ)."""
    return fold(text) != text.lower()


def _split_tone(syllable: str) -> tuple[str, str | None]:
    """Remove the tone mark: ('hoà' → 'hoa', grave). Vowel-quality marks (ơ, â, ...) stay."""
    tone = None
    kept = []
    for ch in unicodedata.normalize("NFD", syllable):
        if ch in _TONE_MARKS:
            tone = ch
        else:
            kept.append(ch)
    return unicodedata.normalize("NFC", "".join(kept)), tone


def _tone_position(base: str) -> int | None:
    """Index in `base` (toneless, NFC) of the vowel that carries the tone (traditional rule)."""
    lower = base.lower()
    # "qu" and "gi" before a vowel are initial consonants: quý, giá.
    start = 2 if lower[:2] in ("qu", "gi") and len(lower) > 2 and lower[2] in _VOWELS else 0
    while start < len(lower) and lower[start] not in _VOWELS:
        start += 1
    end = start
    while end < len(lower) and lower[end] in _VOWELS:
        end += 1
    cluster = lower[start:end]
    if not cluster:
        return None
    if "ươ" in cluster:
        return start + cluster.index("ươ") + 1
    marked = [i for i, ch in enumerate(cluster) if ch in _QUALITY]
    if marked:
        return start + marked[-1]
    has_final = end < len(lower)
    if len(cluster) == 1:
        return start
    if len(cluster) == 3:
        return start + 1
    return start + len(cluster) - 1 if has_final else start


def place_tone(syllable: str) -> str:
    """Put the syllable's tone mark where the traditional rule puts it ('hoà' → 'hòa')."""
    base, tone = _split_tone(syllable)
    if tone is None:
        return syllable
    position = _tone_position(base)
    if position is None:
        return syllable
    marked = unicodedata.normalize("NFC", base[position] + tone)
    return base[:position] + marked + base[position + 1 :]


def normalize_tones(text: str) -> str:
    """Apply `place_tone` to every word of the text."""
    return _WORD.sub(lambda m: place_tone(m.group(0)), text)


def clean_whitespace(text: str) -> str:
    """One space between words, none before closing punctuation, at most one blank line; control
    characters count as spaces, invisible ones as nothing."""
    text = _INVISIBLE.sub("", _CONTROLS.sub(" ", text))
    lines = [_SPACES.sub(" ", line).strip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    joined = "\n".join(lines)
    joined = _SPACE_BEFORE_PUNCT.sub(r"\1", joined)
    joined = _SPACE_AFTER_OPEN.sub(r"\1", joined)
    return _BLANK_LINES.sub("\n\n", joined).strip()


def normalize(text: str) -> str:
    """The platform's canonical form of Vietnamese text: NFC, modern tone placement, tidy spaces."""
    return clean_whitespace(normalize_tones(nfc(text)))
