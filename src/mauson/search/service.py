"""The search service: index documents of any kind, and find them for an actor.

    index = open_index(settings.data_dir / "search")
    index.rebuild("procedure", documents, progress=bar)        # or add() / remove()
    result = index.search("lam giay khai sinh", actor=ANONYMOUS, kinds=["procedure"])

Each search scores every document the actor may see on two channels, BM25 over folded
syllables (SQLite FTS5) and e5 cosine similarity (vectors in memory), and mixes them into one
0–1 score (`rank.py`). Access control is a WHERE clause on both channels (`access.py`), so
hidden documents are never ranked, counted or highlighted. See docs/search.md.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from types import TracebackType

import numpy as np

from mauson.errors import Invalid
from mauson.identity.models import Actor
from mauson.search import dense, rank
from mauson.search.access import visible_clause
from mauson.search.models import MAX_FIELDS, Hit, Mode, SearchDocument, SearchResult
from mauson.search.store import Floats, Ids, Row, Store, Stored, Where
from mauson.search.text import highlight, query_terms, term_text
from mauson.vntext.normalize import normalize

Progress = Callable[[int, int], None]  # (documents done, documents in all)
FilterValue = str | Sequence[str]
MAX_QUERY_CHARS = 500  # longer queries are cut at a word boundary: questions are shorter than this
MAX_QUERY_TERMS = 32  # distinct syllables; the pairs among them come on top
MAX_LIMIT = 100


def open_index(directory: Path) -> SearchIndex:
    """Open (or create) the index kept in `directory`, usually `<data_dir>/search`."""
    return SearchIndex(directory)


class SearchIndex:
    """An index of documents of several kinds; share one per process (it is thread-safe)."""

    def __init__(self, directory: Path) -> None:
        self._store = Store(directory)

    def __enter__(self) -> SearchIndex:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        self._store.close()

    def count(self, kind: str | None = None) -> int:
        """Documents in the index (of one kind), whoever may see them: for operators, not users."""
        return self._store.count(kind)

    def add(self, documents: Iterable[SearchDocument], *, progress: Progress | None = None) -> int:
        """Add documents, replacing those with the same (kind, key); all of them or none."""
        rows = self._rows(_last_of_each(documents), progress)
        with self._store.transaction():
            for row in rows:
                self._store.insert(row)
        return len(rows)

    def rebuild(self, kind: str, documents: Iterable[SearchDocument], *, progress: Progress | None = None) -> int:
        """Make `documents` the whole content of `kind`, in one transaction.

        Vectors of documents whose embedded text did not change are reused, so re-running a
        rebuild after a few edits takes seconds. Searches see the old content until the commit.
        """
        items = _last_of_each(documents)
        if any(doc.kind != kind for doc in items):
            raise Invalid(f"Mọi tài liệu lập lại chỉ mục phải thuộc loại '{kind}'.", code="search.wrong_kind")
        rows = self._rows(items, progress)
        with self._store.transaction():
            self._store.delete("kind = ?", (kind,))
            for row in rows:
                self._store.insert(row)
        return len(rows)

    def remove(self, kind: str, keys: Iterable[str]) -> int:
        """Remove documents by (kind, key); returns how many were there."""
        wanted = list(dict.fromkeys(keys))
        removed = 0
        with self._store.transaction():
            for start in range(0, len(wanted), 500):  # stay under SQLite's limit on parameters
                chunk = wanted[start : start + 500]
                marks = ", ".join("?" * len(chunk))
                removed += self._store.delete(f"kind = ? AND key IN ({marks})", (kind, *chunk))
        return removed

    def _rows(self, documents: list[SearchDocument], progress: Progress | None) -> list[Row]:
        """Normalise, fold and embed the documents (reusing stored vectors where the text is unchanged)."""
        known: dict[tuple[str, str], tuple[str, bytes]] = {}
        for kind in {doc.kind for doc in documents}:
            known |= {(kind, key): value for key, value in self._store.vectors_of(kind).items()}
        clean = [_normalized(doc) for doc in documents]
        texts = [dense.passage_text(doc.title, doc.summary) for doc in clean]
        hashes = [dense.text_hash(text) for text in texts]
        vectors: list[bytes | None] = []
        for doc, digest in zip(clean, hashes, strict=True):
            stored = known.get((doc.kind, doc.key))
            vectors.append(stored[1] if stored and stored[0] == digest else None)
        missing = [i for i, vector in enumerate(vectors) if vector is None]
        done = len(documents) - len(missing)
        if progress is not None:
            progress(done, len(documents))

        def advance(n: int) -> None:
            nonlocal done
            done += n
            if progress is not None:
                progress(done, len(documents))

        fresh = dense.embed_passages([texts[i] for i in missing], advance)
        for i, vector in zip(missing, fresh, strict=True):
            vectors[i] = vector.tobytes()
        return [_row(doc, digest, vector or b"") for doc, digest, vector in zip(clean, hashes, vectors, strict=True)]

    def search(
        self,
        query: str,
        *,
        actor: Actor,
        kinds: Sequence[str] | None = None,
        filters: Mapping[str, FilterValue] | None = None,
        limit: int = 10,
        mode: Mode = Mode.HYBRID,
    ) -> SearchResult:
        """The documents `actor` may see that best match `query`, best first, with highlights.

        `kinds` limits the document kinds; `filters` requires exact field values (a list means
        any of them). `mode` ranks by one channel alone, for benchmarks. Raises `Invalid` for an
        empty query or a bad limit or filter.
        """
        started = time.perf_counter()
        text, terms = _prepare(query)
        if not 1 <= limit <= MAX_LIMIT:
            raise Invalid(f"Số kết quả phải từ 1 đến {MAX_LIMIT}.", code="search.bad_limit")
        chosen = None if kinds is None else [kinds] if isinstance(kinds, str) else list(kinds)
        where = _where(actor, chosen, filters)
        dense_text = dense.query_text(text) if mode != Mode.BM25 else None
        query_vector = dense.embed_query(dense_text) if dense_text is not None else None
        with self._store.transaction(write=False):
            visible = self._store.visible_ids(where)
            lexical = self._lexical(terms, chosen, where, visible) if mode != Mode.DENSE else np.zeros(len(visible))
            cosine = self._cosine(query_vector, visible) if query_vector is not None else None
            scores = rank.combine(mode, lexical, None if cosine is None else rank.dense_scale(cosine))
            order = [int(i) for i in np.argsort(-scores, kind="stable")[:limit] if scores[i] >= rank.MIN_SCORE]
            stored = self._store.fetch([int(visible[i]) for i in order])
        wanted = frozenset(terms)
        hits = [
            _hit(stored[int(visible[i])], float(scores[i]), None if cosine is None else float(cosine[i]), wanted)
            for i in order
        ]
        took = round((time.perf_counter() - started) * 1000, 2)
        total = int(np.count_nonzero(scores >= rank.MIN_SCORE))
        return SearchResult(hits=hits, total=total, took_ms=took, mode=mode, query=text, dense_query=dense_text)

    def _lexical(self, terms: list[str], kinds: Sequence[str] | None, where: Where, visible: Ids) -> Floats:
        """0–1 lexical score of each visible document (0 where no informative query term occurs).

        Each kind is scored against its own full-text table and term statistics (store.py says
        why), so a procedure's score does not depend on how many laws are indexed beside it.
        Terms in half a kind's documents or more get FTS5's floor IDF (1e-6) and so add nothing
        to any score; leaving them out of the MATCH changes no ranking and spares scoring
        thousands of rows for words like "thủ tục" or "cho".
        """
        scores = np.zeros(len(visible))
        for kind in self._store.kinds() if kinds is None else kinds:
            total_docs, frequencies = self._store.document_frequencies(kind, terms)
            informative = [(t, n) for t, n in zip(terms, frequencies, strict=True) if 0 < n < total_docs / 2]
            if not informative:
                continue
            match = " OR ".join('"' + term.replace('"', '""') + '"' for term, _ in informative)
            weights = (rank.TITLE_WEIGHT, rank.BODY_WEIGHT, rank.META_WEIGHT)
            ids, raw = self._store.lexical(kind, match, where, weights)
            ceiling = rank.bm25_ceiling(total_docs, [n for _, n in informative])
            scores[_positions(visible, ids)] = rank.lexical_scale(raw, ceiling)
        return scores

    def _cosine(self, query_vector: dense.Vectors, visible: Ids) -> Floats:
        """Cosine similarity of the query and each visible document."""
        ids, matrix = self._store.vectors()
        # einsum, not @: BLAS threads spin and slow a 5,000 × 384 product 15-fold on a busy machine
        cosine: Floats = np.einsum("ij,j->i", matrix, query_vector).astype(np.float64)[_positions(ids, visible)]
        return cosine


def _positions(sorted_ids: Ids, wanted: Ids) -> Ids:
    """Where each of `wanted` sits in `sorted_ids`; every one must be there (same snapshot)."""
    positions: Ids = np.searchsorted(sorted_ids, wanted)
    if len(wanted) and (positions.max() >= len(sorted_ids) or not np.array_equal(sorted_ids[positions], wanted)):
        raise RuntimeError("search index snapshot is inconsistent")
    return positions


def _prepare(query: str) -> tuple[str, list[str]]:
    """The query normalised and cut to size, and its distinct folded terms; Invalid if it has none."""
    if not isinstance(query, str):
        raise Invalid("Nội dung tìm kiếm phải là văn bản.", code="search.bad_query")
    text = normalize(query[: MAX_QUERY_CHARS * 4])
    if len(text) > MAX_QUERY_CHARS:
        cut = text.rfind(" ", 0, MAX_QUERY_CHARS + 1)
        text = text[: cut if cut > 0 else MAX_QUERY_CHARS].rstrip()
    terms = query_terms(text, MAX_QUERY_TERMS)
    if not terms:
        raise Invalid("Hãy nhập từ cần tìm (chữ hoặc số).", code="search.empty_query")
    return text, terms


def _where(actor: Actor, kinds: list[str] | None, filters: Mapping[str, FilterValue] | None) -> Where:
    """The actor's visibility rule, plus the kinds and field filters asked for."""
    if len(filters or {}) > MAX_FIELDS:
        raise Invalid(f"Tối đa {MAX_FIELDS} bộ lọc.", code="search.bad_filter")
    sql, params = visible_clause(actor)
    parts, values = [sql], list(params)
    if kinds is not None:
        parts.append(f"d.kind IN ({', '.join('?' * len(kinds))})" if kinds else "0")
        values += kinds
    for name, wanted in (filters or {}).items():
        options = [wanted] if isinstance(wanted, str) else list(wanted)
        if not name.isidentifier() or not options:
            raise Invalid(f"Bộ lọc '{name}' không hợp lệ.", code="search.bad_filter")
        marks = ", ".join("?" * len(options))
        parts.append(f"d.id IN (SELECT doc_id FROM doc_fields WHERE name = ? AND value IN ({marks}))")  # noqa: S608
        values += [name, *(normalize(str(option)) for option in options)]
    return Where(" AND ".join(parts), values)


def _last_of_each(documents: Iterable[SearchDocument]) -> list[SearchDocument]:
    """The documents, a repeated (kind, key) keeping its last version, as a later add would."""
    return list({(doc.kind, doc.key): doc for doc in documents}.values())


def _normalized(doc: SearchDocument) -> SearchDocument:
    """The platform's canonical text (NFC, traditional tone marks), so folding and display agree."""
    fields = {name: normalize(value) for name, value in doc.fields.items()}
    text = {"title": normalize(doc.title), "body": normalize(doc.body), "summary": normalize(doc.summary)}
    return doc.model_copy(update={**text, "fields": fields})


def _row(doc: SearchDocument, digest: str, vector: bytes) -> Row:
    terms = (term_text([doc.title]), term_text([doc.body]), term_text(doc.fields.values()))
    return Row(
        doc.kind,
        doc.key,
        doc.title,
        doc.body,
        doc.fields,
        doc.url,
        doc.access.value,
        doc.owner_org_id,
        digest,
        vector,
        terms,
    )


def _hit(doc: Stored, score: float, cosine: float | None, wanted: frozenset[str]) -> Hit:
    return Hit(
        kind=doc.kind,
        key=doc.key,
        title=doc.title,
        score=round(score, 4),
        highlight=highlight(doc.body, wanted),
        title_highlight=highlight(doc.title, wanted, width=None),
        fields=doc.fields,
        url=doc.url,
        dense_score=None if cosine is None else round(cosine, 4),
    )
