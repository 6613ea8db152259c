"""Turning the two channels' raw evidence into one 0–1 score per document.

Reciprocal rank fusion would rank as well, but it only knows ranks: its top score is the same
for a perfect match and for the least bad of many poor ones, and the assistant needs a score
that says how good the best hit is, so it can decline out-of-scope questions. So each channel
is put on an absolute 0–1 scale and the two are mixed with fixed weights:

- lexical: FTS5's BM25 divided by the most BM25 could give for these query terms (each term's
  IDF × (k1 + 1), its limit when the term fills the document), i.e. how much of the query's
  weighted vocabulary the document holds, and how prominently;
- dense: the e5 cosine, stretched from its useful band (`DENSE_FLOOR`..`DENSE_CEIL`) to 0–1.

The weights and the band were chosen on a probe set of our own (docs/search.md), not on the
evaluation sets.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from mauson.search.models import Mode
from mauson.search.store import Floats

K1 = 1.2  # FTS5's fixed BM25 parameter
TITLE_WEIGHT, BODY_WEIGHT, META_WEIGHT = 3.0, 1.0, 1.0  # per-column term weights in BM25
LEXICAL_WEIGHT = 0.3  # share of the lexical channel in the hybrid score
DENSE_FLOOR, DENSE_CEIL = 0.80, 0.92  # e5 cosines below the floor carry no signal here
MIN_SCORE = 0.1  # a document "matches" (is returned and counted) from this score up


def bm25_ceiling(total_docs: int, frequencies: Sequence[int]) -> float:
    """The largest BM25 a document could reach for query terms with these document frequencies.

    Uses FTS5's own IDF, log((N - n + 0.5) / (n + 0.5)) floored at 1e-6, for the terms it
    would score; terms no document contains add nothing.
    """
    ceiling = 0.0
    for n in frequencies:
        if n:
            ceiling += max(math.log((total_docs - n + 0.5) / (n + 0.5)), 1e-6) * (K1 + 1)
    return ceiling


def lexical_scale(raw: Floats, ceiling: float) -> Floats:
    """BM25 scores as a share of the ceiling (0–1)."""
    if ceiling <= 0:
        return np.zeros_like(raw)
    scaled: Floats = np.clip(raw / ceiling, 0.0, 1.0)
    return scaled


def dense_scale(cosine: Floats) -> Floats:
    """Cosines stretched from the useful band to 0–1."""
    scaled: Floats = np.clip((cosine - DENSE_FLOOR) / (DENSE_CEIL - DENSE_FLOOR), 0.0, 1.0)
    return scaled


def combine(mode: Mode, lexical: Floats, dense: Floats | None) -> Floats:
    """The 0–1 score that ranks the hits: one channel alone, or the weighted mix."""
    if mode == Mode.BM25 or dense is None:
        return lexical
    if mode == Mode.DENSE:
        return dense
    mixed: Floats = LEXICAL_WEIGHT * lexical + (1 - LEXICAL_WEIGHT) * dense
    return mixed
