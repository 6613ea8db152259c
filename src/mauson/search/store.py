"""The index on disk: one SQLite file (WAL) with the documents, their vectors and an FTS5 table.

Why one file: every write (add, replace, remove, rebuild of a kind) is one SQLite transaction,
so a crash mid-write leaves the index as it was before, vectors and full text always agree,
and readers in other processes keep seeing the last committed state while a rebuild runs.

Tables: `docs` (one row per (kind, key): access, owner, the float32 vector as a BLOB, then the
stored text; the small columns come first so that filtering never reads long bodies),
`doc_fields` (exact-match filter values), `kinds` (the kinds indexed so far, each with a number),
and per kind N an FTS5 table `terms_N` (folded syllables and syllable pairs, rowid = docs.id,
columns title/body/meta) with its `terms_N_vocab` (document frequency per term). The vectors are
also held in memory as one matrix, reloaded when another connection has committed
(`PRAGMA data_version`) or after this one wrote.

Why one full-text table per kind: BM25 weighs a word by how rare it is among the documents of its
table. With one table for everything, importing 11,212 law articles changed the weights of every
procedure search (a word common in laws counted for less among procedures) and so the scores the
assistant decides to answer by. Each kind keeps its own vocabulary now; its scores do not move when
another kind grows. An index of the first format (one table for all) is converted when opened.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from mauson.errors import Conflict
from mauson.search.access import SqlParams
from mauson.search.dense import DIM, Vectors, encoder_id

FORMAT = "mauson-search/2"
FORMER_FORMAT = "mauson-search/1"  # one full-text table for all kinds; converted in place when opened
DATABASE = "index.sqlite"
Ids = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS docs (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    key TEXT NOT NULL,
    access TEXT NOT NULL CHECK (access IN ('public', 'internal', 'restricted')),
    owner_org_id INTEGER,
    dense_hash TEXT NOT NULL,
    vector BLOB NOT NULL,
    url TEXT,
    fields TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    UNIQUE (kind, key)
);
CREATE INDEX IF NOT EXISTS docs_scope ON docs (kind, access, owner_org_id);
CREATE TABLE IF NOT EXISTS doc_fields (
    doc_id INTEGER NOT NULL, name TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (doc_id, name)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS doc_fields_value ON doc_fields (name, value);
CREATE TABLE IF NOT EXISTS kinds (id INTEGER PRIMARY KEY, kind TEXT NOT NULL UNIQUE);
"""
# The full-text table of one kind (named by its number in `kinds`, so no kind's name reaches SQL).
TERMS_SCHEMA = """
CREATE VIRTUAL TABLE IF NOT EXISTS terms_{n} USING fts5 (
    title, body, meta, tokenize = "unicode61 remove_diacritics 0 tokenchars '_'"
);
CREATE VIRTUAL TABLE IF NOT EXISTS terms_{n}_vocab USING fts5vocab (terms_{n}, 'row');
"""


@dataclass(frozen=True)
class Row:
    """A document ready to store: its text, its folded terms per column and its vector."""

    kind: str
    key: str
    title: str
    body: str
    fields: dict[str, str]
    url: str | None
    access: str
    owner_org_id: int | None
    dense_hash: str
    vector: bytes
    terms: tuple[str, str, str]  # title, body, meta (field values), folded and space-separated


@dataclass(frozen=True)
class Stored:
    """What a hit shows of a stored document."""

    id: int
    kind: str
    key: str
    title: str
    body: str
    fields: dict[str, str]
    url: str | None


@dataclass(frozen=True)
class Where:
    """The WHERE fragment (over `docs d`) that selects the documents a search may consider."""

    sql: str
    params: SqlParams


class Store:
    """One open index file; safe to share between threads (one lock around the connection)."""

    def __init__(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self.path = directory / DATABASE
        self._lock = threading.RLock()
        self._db = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode = WAL")
        self._db.execute("PRAGMA synchronous = NORMAL")
        self._generation = 0
        self._cache: tuple[tuple[int, int], Ids, Vectors] | None = None
        try:
            with self.transaction():
                for statement in SCHEMA.split(";"):  # not executescript(): it would commit on its own
                    if statement.strip():
                        self._db.execute(statement)
                self._check_format()
        except BaseException:
            self._db.close()
            raise

    def _check_format(self) -> None:
        """Refuse an index written by another encoder (its vectors do not compare); convert one of
        the former format, whose vectors are good, to a full-text table per kind."""
        expected = {"format": FORMAT, "encoder": encoder_id()}
        found = dict(self._db.execute("SELECT name, value FROM meta").fetchall())
        if not found:
            self._db.executemany("INSERT INTO meta (name, value) VALUES (?, ?)", expected.items())
        elif found == {**expected, "format": FORMER_FORMAT}:
            self._split_terms_by_kind()
        elif found != expected:
            raise Conflict(
                f"Chỉ mục tìm kiếm {self.path} được tạo bởi phiên bản khác ({found.get('format')}, "
                f"{found.get('encoder')}); hãy xóa thư mục này rồi lập lại chỉ mục.",
                code="search.index_version",
            )

    def _split_terms_by_kind(self) -> None:
        """Move the former single full-text table's rows into one table per kind (same transaction)."""
        rows = self._db.execute(
            "SELECT d.kind, t.rowid, t.title, t.body, t.meta FROM doc_terms t JOIN docs d ON d.id = t.rowid"
        ).fetchall()
        for kind, *terms in rows:
            self._db.execute(self._insert_terms_sql(kind), terms)
        self._db.execute("DROP TABLE doc_terms_vocab")
        self._db.execute("DROP TABLE doc_terms")
        self._db.execute("UPDATE meta SET value = ? WHERE name = 'format'", (FORMAT,))

    def _terms_table(self, kind: str, *, create: bool) -> str | None:
        """The full-text table of `kind` ("terms_3"), made on its first document; None if it has none."""
        found = self._db.execute("SELECT id FROM kinds WHERE kind = ?", (kind,)).fetchone()
        if found is not None:
            return f"terms_{int(found[0])}"
        if not create:
            return None
        number = int(self._db.execute("INSERT INTO kinds (kind) VALUES (?) RETURNING id", (kind,)).fetchone()[0])
        for statement in TERMS_SCHEMA.format(n=number).split(";"):
            if statement.strip():
                self._db.execute(statement)
        return f"terms_{number}"

    def _insert_terms_sql(self, kind: str) -> str:
        table = self._terms_table(kind, create=True)
        return f"INSERT INTO {table} (rowid, title, body, meta) VALUES (?, ?, ?, ?)"  # noqa: S608

    def close(self) -> None:
        with self._lock:
            self._db.close()

    @contextmanager
    def transaction(self, *, write: bool = True) -> Iterator[None]:
        """One atomic unit: a write transaction, or a read snapshot that other commits cannot split."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE" if write else "BEGIN")
            try:
                yield
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")
            if write:
                self._generation += 1

    # --- writes (call inside `transaction()`) ---------------------------------------------

    def vectors_of(self, kind: str) -> dict[str, tuple[str, bytes]]:
        """key → (dense_hash, vector) of a kind's documents, so unchanged texts are not re-embedded."""
        with self._lock:
            rows = self._db.execute("SELECT key, dense_hash, vector FROM docs WHERE kind = ?", (kind,))
            return {key: (digest, vector) for key, digest, vector in rows}

    def delete(self, where_sql: str, params: Sequence[str | int]) -> int:
        """Delete the documents `where_sql` selects (over `docs`), with their terms and fields."""
        # where_sql is one of this module's fixed fragments; values travel as parameters
        ids = f"SELECT id FROM docs WHERE {where_sql}"  # noqa: S608
        kinds = [k for (k,) in self._db.execute(f"SELECT DISTINCT kind FROM docs WHERE {where_sql}", params)]  # noqa: S608
        for kind in kinds:
            table = self._terms_table(kind, create=False)
            if table is not None:
                self._db.execute(f"DELETE FROM {table} WHERE rowid IN ({ids})", params)  # noqa: S608
        self._db.execute(f"DELETE FROM doc_fields WHERE doc_id IN ({ids})", params)  # noqa: S608
        return self._db.execute(f"DELETE FROM docs WHERE {where_sql}", params).rowcount  # noqa: S608

    def insert(self, row: Row) -> None:
        """Store one document, replacing the one with the same (kind, key)."""
        self.delete("kind = ? AND key = ?", (row.kind, row.key))
        cursor = self._db.execute(
            "INSERT INTO docs (kind, key, access, owner_org_id, dense_hash, vector, url, fields, title, body)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                row.kind,
                row.key,
                row.access,
                row.owner_org_id,
                row.dense_hash,
                row.vector,
                row.url,
                json.dumps(row.fields, ensure_ascii=False),
                row.title,
                row.body,
            ),
        )
        doc_id = cursor.lastrowid
        self._db.executemany(
            "INSERT INTO doc_fields (doc_id, name, value) VALUES (?, ?, ?)",
            [(doc_id, name, value) for name, value in row.fields.items()],
        )
        self._db.execute(self._insert_terms_sql(row.kind), (doc_id, *row.terms))

    # --- reads (call inside `transaction(write=False)`) -----------------------------------

    def kinds(self) -> list[str]:
        """The kinds that have (or had) documents."""
        return [kind for (kind,) in self._db.execute("SELECT kind FROM kinds ORDER BY id")]

    def lexical(self, kind: str, match: str, where: Where, weights: tuple[float, float, float]) -> tuple[Ids, Floats]:
        """Every visible document of `kind` matching the FTS5 expression, with its BM25 score (higher is better)."""
        table = self._terms_table(kind, create=False)
        if table is None:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        # CROSS JOIN pins the full-text table as the outer loop: with a plain JOIN the planner may
        # walk `docs` by the access index and re-run the MATCH for every row (100 times slower).
        sql = (
            f"SELECT d.id, -bm25({table}, ?, ?, ?) FROM {table} CROSS JOIN docs d ON d.id = {table}.rowid"  # noqa: S608
            f" WHERE {table} MATCH ? AND {where.sql}"
        )
        rows = self._db.execute(sql, [*weights, match, *where.params]).fetchall()
        ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
        scores = np.fromiter((r[1] for r in rows), dtype=np.float64, count=len(rows))
        return ids, scores

    def document_frequencies(self, kind: str, terms: Sequence[str]) -> tuple[int, list[int]]:
        """Documents of `kind`, and how many of them contain each term (what FTS5's IDF uses)."""
        table = self._terms_table(kind, create=False)
        if table is None:
            return 0, [0] * len(terms)
        marks = ", ".join("?" * len(terms))
        found = dict(
            self._db.execute(f"SELECT term, doc FROM {table}_vocab WHERE term IN ({marks})", list(terms))  # noqa: S608
        )
        return self.count(kind), [found.get(term, 0) for term in terms]

    def visible_ids(self, where: Where) -> Ids:
        rows = self._db.execute(f"SELECT d.id FROM docs d WHERE {where.sql} ORDER BY d.id", where.params)  # noqa: S608
        return np.fromiter((r[0] for r in rows), dtype=np.int64)

    def vectors(self) -> tuple[Ids, Vectors]:
        """All ids (ascending) and their vectors as one matrix, cached until the index changes."""
        stamp = (self._db.execute("PRAGMA data_version").fetchone()[0], self._generation)
        if self._cache is None or self._cache[0] != stamp:
            rows = self._db.execute("SELECT id, vector FROM docs ORDER BY id").fetchall()
            ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
            matrix = np.frombuffer(b"".join(r[1] for r in rows), dtype=np.float32).reshape(len(rows), DIM)
            self._cache = (stamp, ids, matrix)
        return self._cache[1], self._cache[2]

    def fetch(self, ids: Sequence[int]) -> dict[int, Stored]:
        marks = ", ".join("?" * len(ids))
        rows = self._db.execute(
            f"SELECT id, kind, key, title, body, fields, url FROM docs WHERE id IN ({marks})",  # noqa: S608
            list(ids),
        )
        return {r[0]: Stored(r[0], r[1], r[2], r[3], r[4], json.loads(r[5]), r[6]) for r in rows}

    def count(self, kind: str | None = None) -> int:
        with self._lock:
            if kind is None:
                return int(self._db.execute("SELECT count(*) FROM docs").fetchone()[0])
            return int(self._db.execute("SELECT count(*) FROM docs WHERE kind = ?", (kind,)).fetchone()[0])
