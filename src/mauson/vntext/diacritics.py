"""Diacritic restoration: "lam giay khai sinh can gi" → "làm giấy khai sinh cần gì".

About one citizen in six types without accents, and the search and assistant modules match
far better on accented text, so they call `restore()` on such queries. The method is a syllable
trigram language model (interpolated Kneser–Ney, rare n-grams pruned) trained by `train()` on
the project's own text, decoded with a beam Viterbi search over the accented forms that the
training text shows for each folded syllable. Words that already carry diacritics, digits,
punctuation, spacing and capitalisation are kept as typed.

The shipped model lives in `data/diacritics.bin.gz` and is loaded lazily, once per process.
Reading the training text, the held-out split and the accuracy measure live in
`mauson.vntext.diacritics_corpus`.
"""

from __future__ import annotations

import array
import gzip
import importlib.resources
import json
import math
import os
import re
import sys
import tempfile
import unicodedata
import zlib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from itertools import pairwise
from pathlib import Path

from mauson.errors import Invalid
from mauson.vntext.normalize import fold, has_diacritics, normalize

FORMAT = "mauson-diacritics/1"
ARTEFACT = "diacritics.bin.gz"
BEAM = 10  # states kept per position; wider beams measured no better on held-out text
SPECIALS = ("<s>", "</s>", "<unk>", "<num>")
BOS, EOS, UNK, NUM = range(4)
_SCALE = 2000.0  # log10 probabilities are stored as -round(value * _SCALE) in uint16
_MAGIC = b"MSDR1\n"
_TOKEN = re.compile(r"[^\W\d_]+|\d+(?:[.,/]\d+)*")
LETTERS = re.compile(r"[^\W\d_]+")  # the syllables restoration works on


TYPED_WITH_ACCENTS = 0.5  # the share of accented words from which a text counts as typed with accents


def accented_share(text: str) -> float:
    """The share of the words of `text` written with diacritics: about 1 for Vietnamese typed with
    accents, about 0 for Vietnamese typed without."""
    words = LETTERS.findall(text)
    return sum(map(has_diacritics, words)) / len(words) if words else 0.0


def typed_with_accents(text: str) -> bool:
    """Whether most words of `text` carry their accents, so that an unaccented word in it is meant
    so ("phi nông nghiệp") rather than typed bare: one "đ" or "ạ" does not make a text accented."""
    return accented_share(text) >= TYPED_WITH_ACCENTS


def _case_classes() -> tuple[str, str]:
    """Lower- and upper-case Latin letters (Vietnamese included), for the camel-case split."""
    chars = [chr(c) for c in [*range(0x41, 0x5B), *range(0x61, 0x7B), *range(0xC0, 0x250), *range(0x1EA0, 0x1F00)]]
    return "".join(c for c in chars if c.islower()), "".join(c for c in chars if c.isupper())


_LOWER, _UPPER = _case_classes()
# Table cells in the procedures catalogue run together ("Hình thức nộpThời gian"): split there.
_CAMEL = re.compile(f"(?<=[{_LOWER}])(?=[{_UPPER}])")


def unglue_cells(text: str) -> str:
    """The text in NFC, with run-together table cells ("nộpThời gian") put on lines of their own.

    Training and measuring both read text through this, so they cut it the same way.
    """
    return _CAMEL.sub("\n", unicodedata.normalize("NFC", text))


@dataclass(frozen=True, eq=False)
class Model:
    """A pruned syllable trigram model in backoff form (log10), plus the candidate forms.

    Keys of the n-gram tables are ids packed into one int: `u * size + w`, `(u * size + v) * size + w`.
    """

    vocab: tuple[str, ...] = field(repr=False)
    unigram: list[float] = field(repr=False)
    unigram_backoff: list[float] = field(repr=False)
    bigram: dict[int, float] = field(repr=False)
    bigram_backoff: dict[int, float] = field(repr=False)
    trigram: dict[int, float] = field(repr=False)
    candidate: bytes = field(repr=False)  # 1 where the entry may be proposed for its folded syllable
    metadata: dict[str, str] = field(default_factory=dict)
    index: dict[str, int] = field(init=False, repr=False)
    candidates: dict[str, tuple[int, ...]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        """Derive the word index and, per folded syllable, its accented forms, most probable first."""
        object.__setattr__(self, "index", {word: i for i, word in enumerate(self.vocab)})
        groups: dict[str, list[int]] = defaultdict(list)
        for i, word in enumerate(self.vocab):
            if self.candidate[i]:
                groups[fold(word)].append(i)
        ranked = {key: tuple(sorted(ids, key=lambda i: -self.unigram[i])) for key, ids in groups.items()}
        object.__setattr__(self, "candidates", ranked)

    @property
    def size(self) -> int:
        return len(self.vocab)


# --- tokens -------------------------------------------------------------------------------


@lru_cache(maxsize=200_000)
def _canonical(token: str) -> str:
    """The model's spelling of a token: lower case, NFC, traditional tone placement."""
    return normalize(token.lower())


def _segments(text: str) -> Iterator[list[str]]:
    """Training runs of words (and `<num>`) that punctuation does not separate, canonical.

    Runs of two or more words none of which is accented are skipped: in our sources they are
    file names and English ("Mau 01-Phu luc I.docx"), and they would teach the model that
    "phu luc" is spelled without accents. Real Vietnamese almost never runs on that long
    without a single diacritic.
    """
    for run in _spans(unglue_cells(text)):
        words = [_canonical(word) for word, _, restorable in run if restorable is not None]
        if len(words) < 2 or any(map(_accented, words)):
            yield [SPECIALS[NUM] if restorable is None else _canonical(word) for word, _, restorable in run]


_accented = lru_cache(maxsize=200_000)(has_diacritics)


def _spans(text: str) -> Iterator[list[tuple[str, int, bool | None]]]:
    """Cut `text` into runs of (token, offset, restorable); restorable is None for a number.

    Punctuation and line breaks end a run; training and restoration cut text the same way.

    A single letter glued to a digit or underscore ("3a", "x_1", "G01") is a code and stays as
    typed; a longer word glued to a number ("viec100", "QD1") is still restored.
    """
    run: list[tuple[str, int, bool | None]] = []
    previous_end = 0
    for match in _TOKEN.finditer(text):
        gap = text[previous_end : match.start()]
        if run and (gap.strip() or "\n" in gap):
            yield run
            run = []
        token, start, end = match.group(0), match.start(), match.end()
        if token[0].isdigit():
            run.append((token, start, None))
        else:
            code = len(token) == 1 and (_is_glued(text, start - 1) or _is_glued(text, end))
            run.append((token, start, not code))
        previous_end = end
    if run:
        yield run


def _is_glued(text: str, position: int) -> bool:
    return 0 <= position < len(text) and (text[position].isdigit() or text[position] == "_")


# --- training -----------------------------------------------------------------------------


def train(
    corpus_lines: Iterable[str],
    *,
    min_count: int = 2,
    bigram_min_count: int = 1,
    trigram_min_count: int = 2,
    candidate_share: float = 0.002,
    metadata: Mapping[str, str] | None = None,
) -> Model:
    """Train a model from accented text (a line, paragraph or whole document per item).

    Words seen fewer than `min_count` times become `<unk>`; n-grams seen fewer times than
    their thresholds are pruned, which keeps the shipped file small at little cost in accuracy.
    An accented form is offered for its folded syllable only when it makes at least
    `candidate_share` of the most common form's count, so typos in the corpus stay out.
    """
    if min(min_count, bigram_min_count, trigram_min_count) < 1 or bigram_min_count > trigram_min_count:
        raise Invalid("Ngưỡng tần suất phải từ 1 trở lên, ngưỡng bigram không lớn hơn ngưỡng trigram.")
    words: Counter[str] = Counter()
    segments: list[list[str]] = []
    for line in corpus_lines:
        for segment in _segments(line):
            words.update(segment)
            segments.append(segment)
    vocab = _vocabulary(words, min_count)
    bigram, trigram = _count_ngrams(vocab, segments)
    del segments
    tables = _kneser_ney(len(vocab), bigram, trigram, bigram_min_count, trigram_min_count)
    candidate = _candidate_flags(vocab, words, candidate_share)
    info = {"format": FORMAT, "syllables": str(words.total()), **(metadata or {})}
    return Model(tuple(vocab), *tables, candidate=candidate, metadata=info)


def _vocabulary(words: Counter[str], min_count: int) -> list[str]:
    """Special tokens first, then the frequent words (at most what uint16 ids can hold)."""
    frequent = [w for w, c in words.most_common() if c >= min_count and w not in SPECIALS][: 65_536 - len(SPECIALS)]
    if not frequent:
        raise Invalid("Không có đủ văn bản tiếng Việt có dấu để huấn luyện mô hình khôi phục dấu.")
    return [*SPECIALS, *sorted(frequent)]


def _count_ngrams(vocab: Sequence[str], segments: list[list[str]]) -> tuple[Counter[int], Counter[int]]:
    """Raw bigram and trigram counts keyed by packed ids; each segment is padded with <s>, </s>."""
    ids = {w: i for i, w in enumerate(vocab)}
    size = len(vocab)
    bigram: Counter[int] = Counter()
    trigram: Counter[int] = Counter()
    for segment in segments:
        seq = [BOS, *(ids.get(w, UNK) for w in segment), EOS]
        bigram.update(u * size + w for u, w in pairwise(seq))
        trigram.update((u * size + v) * size + w for u, v, w in zip(seq, seq[1:], seq[2:], strict=False))
    return bigram, trigram


def _kneser_ney(
    size: int, bigram: Counter[int], trigram: Counter[int], bigram_min: int, trigram_min: int
) -> tuple[list[float], list[float], dict[int, float], dict[int, float], dict[int, float]]:
    """Interpolated Kneser–Ney, written out in backoff form so that decoding needs one lookup.

    Lower orders count distinct left neighbours (continuation counts); a bigram after <s> has
    no left neighbour, so it keeps its raw count, as KenLM does.
    """
    square = size * size
    continuation2: Counter[int] = Counter(key % square for key in trigram)
    for key, count in bigram.items():
        if key // size == BOS:
            continuation2[key] = count
    unigram = _unigram_probabilities(size, Counter(key % size for key in bigram))
    backoff1 = _context_backoffs(size, continuation2)
    unigram_backoff = [backoff1.get(i, 0.0) for i in range(size)]
    bigram_table = _level(size, continuation2, bigram, bigram_min, lambda key: unigram[key % size])

    def lower(key: int) -> float:
        return _bigram_score(key % square, size, bigram_table, unigram_backoff, unigram)

    trigram_table = _level(size, trigram, trigram, trigram_min, lower)
    backoff2 = _context_backoffs(size, trigram)
    bigram_backoff = {key: value for key, value in backoff2.items() if key in bigram_table}
    return unigram, unigram_backoff, bigram_table, bigram_backoff, trigram_table


def _discount(counts: Iterable[int]) -> float:
    """Kneser–Ney absolute discount from the counts of counts: n1 / (n1 + 2 n2)."""
    histogram = Counter(c for c in counts if c <= 2)
    n1, n2 = histogram[1], histogram[2]
    return n1 / (n1 + 2 * n2) if n1 and n2 else 0.5


def _unigram_probabilities(size: int, continuation: Counter[int]) -> list[float]:
    """log10 p(w) from continuation counts, interpolated with the uniform distribution."""
    total = sum(continuation.values())
    discount = _discount(continuation.values())
    floor = discount * len(continuation) / total / size
    probabilities = [max(continuation[i] - discount, 0.0) / total + floor for i in range(size)]
    probabilities[BOS] = floor
    return [math.log10(p) for p in probabilities]


def _context_backoffs(size: int, counts: Counter[int]) -> dict[int, float]:
    """log10 of the mass each context leaves to the lower order: D · N1+(ctx •) / c(ctx •)."""
    discount = _discount(counts.values())
    totals: Counter[int] = Counter()
    types: Counter[int] = Counter()
    for key, count in counts.items():
        totals[key // size] += count
        types[key // size] += 1
    return {ctx: math.log10(discount * types[ctx] / totals[ctx]) for ctx in totals}


def _level(
    size: int, counts: Counter[int], raw: Counter[int], keep_min: int, lower: Callable[[int], float]
) -> dict[int, float]:
    """log10 p(w | ctx) for the n-grams seen at least `keep_min` times, interpolated with `lower`."""
    discount = _discount(counts.values())
    backoff = _context_backoffs(size, counts)
    totals: Counter[int] = Counter()
    for key, count in counts.items():
        totals[key // size] += count
    table: dict[int, float] = {}
    for key, count in counts.items():
        if raw[key] >= keep_min:
            ctx = key // size
            own = max(count - discount, 0.0) / totals[ctx]
            table[key] = math.log10(own + 10 ** (backoff[ctx] + lower(key)))
    return table


def _bigram_score(key: int, size: int, bigram: dict[int, float], backoff: list[float], unigram: list[float]) -> float:
    found = bigram.get(key)
    return found if found is not None else backoff[key // size] + unigram[key % size]


def _candidate_flags(vocab: Sequence[str], words: Counter[str], share: float) -> bytes:
    """1 for each form common enough among the forms of its folded syllable to be proposed."""
    best: dict[str, int] = {}
    for word in vocab[len(SPECIALS) :]:
        key = fold(word)
        best[key] = max(best.get(key, 0), words[word])
    return bytes(int(i >= len(SPECIALS) and words[word] >= share * best[fold(word)]) for i, word in enumerate(vocab))


# --- storage ------------------------------------------------------------------------------


def save(model: Model, path: Path) -> None:
    """Write the model as one gzip file: a JSON header, then uint16 columns sorted by key.

    Sorted id columns compress well and the output is byte-identical for identical input, so
    a rebuild that changes nothing shows no diff. The write is atomic.
    """
    size = model.size
    bigram_keys = sorted(model.bigram)
    trigram_keys = sorted(model.trigram)
    columns: list[array.array[int]] = [
        _quantise(model.unigram),
        _quantise(model.unigram_backoff),
        array.array("H", [k // size for k in bigram_keys]),
        array.array("H", [k % size for k in bigram_keys]),
        _quantise([model.bigram[k] for k in bigram_keys]),
        _quantise([model.bigram_backoff.get(k, 0.0) for k in bigram_keys]),
        array.array("H", [k // (size * size) for k in trigram_keys]),
        array.array("H", [k // size % size for k in trigram_keys]),
        array.array("H", [k % size for k in trigram_keys]),
        _quantise([model.trigram[k] for k in trigram_keys]),
    ]
    header = {
        "format": FORMAT,
        "metadata": model.metadata,
        "vocab": list(model.vocab),
        "bigrams": len(bigram_keys),
        "trigrams": len(trigram_keys),
    }
    payload = b"".join([_MAGIC, _with_length(json.dumps(header, ensure_ascii=False).encode()), model.candidate])
    payload += b"".join(_little_endian(column) for column in columns)
    _write_atomically(path, gzip.compress(payload, compresslevel=9, mtime=0))


def _write_atomically(path: Path, data: bytes) -> None:
    """Write beside the target, then rename: a failed write never leaves half a model."""
    temporary: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, prefix=f".{path.name}.", delete=False) as handle:
            temporary = handle.name
            handle.write(data)
        os.chmod(temporary, 0o644)  # the temporary file is private; the model is for every reader
        os.replace(temporary, path)
        temporary = None
    except OSError as error:
        raise Invalid(f"Không ghi được mô hình vào {path}: {error.strerror or error}.") from error
    finally:
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)


def _quantise(values: Iterable[float]) -> array.array[int]:
    return array.array("H", [min(65_535, max(0, round(-v * _SCALE))) for v in values])


def _with_length(data: bytes) -> bytes:
    return len(data).to_bytes(4, "little") + data


def _little_endian(column: array.array[int]) -> bytes:
    if sys.byteorder == "big":
        column = array.array(column.typecode, column)
        column.byteswap()
    return column.tobytes()


def shipped_path() -> Path:
    """Where the shipped model sits in the installed package (in `src/` for a development install)."""
    return Path(str(importlib.resources.files("mauson.vntext").joinpath("data", ARTEFACT)))


def load(path: Path | None = None) -> Model:
    """Read a model written by `save`; without a path, the model shipped in the package."""
    try:
        if path is None:
            data = importlib.resources.files("mauson.vntext").joinpath("data", ARTEFACT).read_bytes()
        else:
            data = path.read_bytes()
    except OSError as error:
        where = path or ARTEFACT
        raise Invalid(
            f"Không đọc được mô hình khôi phục dấu {where}: hãy chạy `mauson vntext train-diacritics`."
        ) from error
    try:
        return _parse(gzip.decompress(data))
    except (OSError, EOFError, zlib.error, ValueError, KeyError, TypeError, IndexError) as error:
        raise Invalid(f"Tệp mô hình khôi phục dấu {path or ARTEFACT} bị hỏng hoặc sai định dạng.") from error


def _parse(payload: bytes) -> Model:
    if not payload.startswith(_MAGIC):
        raise ValueError("not a diacritics model")
    offset = len(_MAGIC)
    length = int.from_bytes(payload[offset : offset + 4], "little")
    header = json.loads(payload[offset + 4 : offset + 4 + length].decode())
    if header["format"] != FORMAT:
        raise ValueError(f"unsupported format {header['format']}")
    vocab = tuple(header["vocab"])
    size, bigrams, trigrams = len(vocab), header["bigrams"], header["trigrams"]
    offset += 4 + length
    candidate = payload[offset : offset + size]
    offset += size
    columns = []
    for count in (size, size, bigrams, bigrams, bigrams, bigrams, trigrams, trigrams, trigrams, trigrams):
        column = array.array("H")
        column.frombytes(payload[offset : offset + 2 * count])
        if sys.byteorder == "big":
            column.byteswap()
        if len(column) != count:
            raise ValueError("truncated model")
        columns.append(column)
        offset += 2 * count
    uni, uni_bo, bu, bw, blp, bbo, tu, tv, tw, tlp = columns
    bigram_keys = [u * size + w for u, w in zip(bu, bw, strict=True)]
    trigram_keys = [(u * size + v) * size + w for u, v, w in zip(tu, tv, tw, strict=True)]
    return Model(
        vocab=vocab,
        unigram=_unquantise(uni),
        unigram_backoff=_unquantise(uni_bo),
        bigram=dict(zip(bigram_keys, _unquantise(blp), strict=True)),
        bigram_backoff={k: v for k, v in zip(bigram_keys, _unquantise(bbo), strict=True) if v},
        trigram=dict(zip(trigram_keys, _unquantise(tlp), strict=True)),
        candidate=bytes(candidate),
        metadata=dict(header["metadata"]),
    )


def _unquantise(column: array.array[int]) -> list[float]:
    return [-q / _SCALE for q in column]


@cache
def shipped_model() -> Model:
    """The model in the package, read on first use and kept for the life of the process."""
    return load()


# --- restoration --------------------------------------------------------------------------


def restore(text: str, *, model: Model | None = None) -> str:
    """Put the diacritics back on accentless Vietnamese words: 'Lang Son' → 'Lạng Sơn'.

    Only accentless words the model knows are changed; spacing, punctuation, digits, case,
    unknown words ("UBND") and words typed with diacritics stay exactly as they were, and
    the words typed with diacritics still guide the choice for their neighbours.
    """
    text = unicodedata.normalize("NFC", text)
    if not LETTERS.search(text):
        return text
    model = model or shipped_model()
    pieces: list[str] = []
    position = 0
    for run in _spans(text):
        options = [_options(model, token, restorable) for token, _, restorable in run]
        best = _viterbi(model, [ids for ids, _ in options])
        for (token, start, _), (_, free), chosen in zip(run, options, best, strict=True):
            if free:
                pieces += [text[position:start], _match_case(token, model.vocab[chosen])]
                position = start + len(token)
    pieces.append(text[position:])
    return "".join(pieces)


def _options(model: Model, token: str, restorable: bool | None) -> tuple[tuple[int, ...], bool]:
    """The ids the decoder may choose for a token, and whether the token may change."""
    if restorable is None:
        return (NUM,), False
    if not restorable or has_diacritics(token):
        return (model.index.get(_canonical(token), UNK),), False
    ids = model.candidates.get(token.lower())
    return (ids, True) if ids else ((model.index.get(token.lower(), UNK),), False)


def _match_case(typed: str, word: str) -> str:
    """Carry the typed capitals over to the restored word, letter by letter ('UBND', 'Lang')."""
    if len(typed) != len(word):
        return typed
    return "".join(w.upper() if t.isupper() else w for t, w in zip(typed, word, strict=True))


def _viterbi(model: Model, options: list[tuple[int, ...]]) -> list[int]:
    """Best id sequence under the trigram model; states are the last two ids, beam-pruned."""
    size, square = model.size, model.size * model.size
    trigram, bigram, backoff2 = model.trigram, model.bigram, model.bigram_backoff
    unigram, backoff1 = model.unigram, model.unigram_backoff

    def score(u: int, v: int, w: int) -> float:
        found = trigram.get(u * square + v * size + w)
        if found is not None:
            return found
        context = backoff2.get(u * size + v, 0.0)
        found = bigram.get(v * size + w)
        return context + (found if found is not None else backoff1[v] + unigram[w])

    beam: dict[tuple[int, int], float] = {(-1, BOS): 0.0}
    history: list[dict[tuple[int, int], int]] = []
    for ids in options:
        scores: dict[tuple[int, int], float] = {}
        back: dict[tuple[int, int], int] = {}
        for (u, v), base in beam.items():
            for w in ids:
                total = base + score(u, v, w)
                if total > scores.get((v, w), -math.inf):
                    scores[v, w] = total
                    back[v, w] = u
        if len(scores) > BEAM:
            scores = dict(sorted(scores.items(), key=lambda item: item[1], reverse=True)[:BEAM])
        beam = scores
        history.append(back)
    state = max(beam, key=lambda s: beam[s] + score(s[0], s[1], EOS))
    path: list[int] = []
    for back in reversed(history):
        path.append(state[1])
        state = (back[state], state[0])
    return path[::-1]
