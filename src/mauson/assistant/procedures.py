"""The procedure catalogue: import it, read one procedure, list and count them.

Functions take a session and flush; the caller's unit of work commits, so an import that fails
half-way leaves nothing behind. The catalogue is public information: reads are not audited,
imports are (one entry per import, with its counts).
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from importlib import resources
from typing import Any

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session

from mauson.assistant.catalogue import CatalogueError, iter_catalogue
from mauson.assistant.models import ImportReport, Procedure, ProcedureData
from mauson.audit import service as audit
from mauson.audit.models import AuditEvent
from mauson.db import utcnow
from mauson.errors import NotFound
from mauson.identity.models import Actor
from mauson.vntext.normalize import fold, normalize

FLUSH_EVERY = 200  # rows written per flush; flushed rows leave the session to keep memory flat
MAX_LIMIT = 500


def content_hash(data: ProcedureData) -> str:
    """SHA-256 of the parsed record: equal hashes mean nothing the platform keeps has changed."""
    return hashlib.sha256(data.model_dump_json().encode()).hexdigest()


def _values(data: ProcedureData) -> dict[str, Any]:
    values = data.model_dump(mode="json")
    values["name_folded"] = fold(data.name)
    values["source_hash"] = content_hash(data)
    return values


class _Importer:
    """One import's state: the known codes and hashes, what was seen, and the report."""

    def __init__(self, session: Session) -> None:
        self.session = session
        rows = session.execute(select(Procedure.code, Procedure.id, Procedure.source_hash))
        self.known = {code: (procedure_id, digest) for code, procedure_id, digest in rows}
        self.seen: dict[str, int] = {}
        self.pending: list[Procedure] = []
        self.report = ImportReport()

    def take(self, number: int, item: ProcedureData | CatalogueError) -> None:
        self.report.read += 1
        if isinstance(item, CatalogueError):
            self.report.rejected.append((item.line, item.reason))
            return
        if item.code in self.seen:
            reason = f"mã thủ tục {item.code} đã có ở dòng {self.seen[item.code]}; dòng này bị bỏ qua."
            self.report.rejected.append((number, reason))
            return
        self.seen[item.code] = number
        self.report.coverage.add(item)
        self._store(item)
        if len(self.pending) >= FLUSH_EVERY:
            self.flush()

    def _store(self, data: ProcedureData) -> None:
        values = _values(data)
        known = self.known.get(data.code)
        if known is None:
            now = utcnow()
            self.pending.append(Procedure(**values, imported_at=now, updated_at=now))
            self.session.add(self.pending[-1])
            self.report.created += 1
        elif known[1] != values["source_hash"]:
            procedure = self.session.get_one(Procedure, known[0])
            for key, value in values.items():
                setattr(procedure, key, value)
            procedure.updated_at = utcnow()
            self.pending.append(procedure)
            self.report.updated += 1
        else:
            self.report.unchanged += 1

    def flush(self) -> None:
        self.session.flush()
        for procedure in self.pending:
            self.session.expunge(procedure)
        self.pending.clear()


def import_catalogue(
    *,
    session: Session,
    actor: Actor,
    lines: Iterable[str],
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Import a catalogue in JSON Lines; idempotent, so running it again changes nothing.

    A procedure already stored is rewritten only when its parsed content changed. A corrupt line
    is reported with its number and the rest imported; a file that is not a catalogue at all is
    refused (`Invalid`) before anything is written. `progress` receives each line number read.
    """
    importer = _Importer(session)
    for number, item in iter_catalogue(lines):
        importer.take(number, item)
        if progress is not None:
            progress(number)
    importer.flush()
    report = importer.report
    details = {
        "read": report.read,
        "created": report.created,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "rejected": len(report.rejected),
    }
    audit.record(session=session, actor=actor, event=AuditEvent("procedure.import", "procedure", details=details))
    return report


def find_procedure(*, session: Session, code: str) -> Procedure | None:
    """One procedure by its national code (ma_thu_tuc), e.g. 1.001193; None when there is none."""
    return session.scalar(select(Procedure).where(Procedure.code == code.strip()))


# A national procedure code as the catalogue writes it (all 2,642 codes have this shape), standing
# alone in a text: "thủ tục 1.001193 cần gì", not a part of "21.0011930" or of a date.
PROCEDURE_CODE = re.compile(r"(?<![\d.])\d\.\d{6}(?![\d])")


def named_procedure(*, session: Session, text: str) -> Procedure | None:
    """The first procedure of the catalogue whose code the text writes out, if any: the code the
    assistant and the pages print ("mã 1.001193") is what a citizen copies back."""
    for code in PROCEDURE_CODE.findall(text):
        procedure = find_procedure(session=session, code=code)
        if procedure is not None:
            return procedure
    return None


def get_procedure_or_raise(*, session: Session, code: str) -> Procedure:
    """One procedure by its national code (ma_thu_tuc), e.g. 1.001193."""
    procedure = find_procedure(session=session, code=code)
    if procedure is None:
        raise NotFound(
            f"Không có thủ tục hành chính mã '{code}'. Hãy kiểm tra lại mã (ví dụ: 1.001193).",
            code="procedure.not_found",
        )
    return procedure


def _same_name(name: str) -> str:
    """An agency's name as compared: the catalogue writes one agency in several cases ("Công an cấp
    Xã", "Công An Tỉnh" beside "Công an tỉnh"), and a citizen types it in any."""
    return " ".join(normalize(name).casefold().split())


def _agencies(session: Session) -> dict[str, list[tuple[str, int]]]:
    """Each agency (`_same_name`) with the ways the catalogue writes it and how many procedures
    write each, the most common first."""
    grouped: dict[str, list[tuple[str, int]]] = {}
    for name, count in _counts(session, Procedure.agency):
        grouped.setdefault(_same_name(name), []).append((name, count))
    return grouped


def agency_spellings(*, session: Session, agency: str) -> list[str]:
    """Every way the catalogue writes `agency`, whatever its case ("Công an cấp xã" → ["Công an cấp
    Xã"]); empty when no procedure names it. SQLite's lower() leaves "Đ" and accented capitals as
    they are, so names are compared here rather than in SQL."""
    return sorted(name for name, _ in _agencies(session).get(_same_name(agency), []))


def agency_as_written(*, session: Session, agency: str) -> str:
    """`agency` as most procedures write it, for a filter that compares exact text (the search
    index's): "Công an cấp xã" → "Công an cấp Xã"; as given when no procedure names it."""
    spellings = _agencies(session).get(_same_name(agency))
    return spellings[0][0] if spellings else agency


def _filters(
    session: Session, query: str | None, field: str | None, level: str | None, agency: str | None
) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if query and query.strip():
        conditions.append(
            or_(
                Procedure.code == query.strip(),
                Procedure.name_folded.contains(fold(normalize(query)), autoescape=True),
            )
        )
    if field:
        conditions.append(Procedure.field == normalize(field))
    if level:
        conditions.append(Procedure.levels.contains(normalize(level), autoescape=True))
    if agency:  # any case: "Công an cấp xã" had listed nothing, the catalogue writing "Công an cấp Xã"
        conditions.append(Procedure.agency.in_(agency_spellings(session=session, agency=agency)))
    return conditions


def list_procedures(
    *,
    session: Session,
    query: str | None = None,
    field: str | None = None,
    level: str | None = None,
    agency: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> list[Procedure]:
    """Procedures by code, filtered in plain SQL: a code or words of the name (with or without
    accents), a field (lĩnh vực), a level ("Cấp xã"), an agency. Ranked search is `search`'s job."""
    statement = (
        select(Procedure)
        .where(*_filters(session, query, field, level, agency))
        .order_by(Procedure.code)
        .offset(max(0, offset))
        .limit(min(max(1, limit), MAX_LIMIT))
    )
    return list(session.scalars(statement))


def count_procedures(
    *,
    session: Session,
    query: str | None = None,
    field: str | None = None,
    level: str | None = None,
    agency: str | None = None,
) -> int:
    """How many procedures `list_procedures` would list with these filters, over all its pages."""
    statement = select(func.count()).select_from(Procedure).where(*_filters(session, query, field, level, agency))
    return session.scalar(statement) or 0


def _counts(session: Session, column: Any) -> list[tuple[str, int]]:
    rows = session.execute(select(column, func.count()).where(column.is_not(None)).group_by(column))
    return sorted(((value, count) for value, count in rows), key=lambda item: (-item[1], item[0]))


AGENCY_CHOICE_CHARS = 120


def facets(*, session: Session) -> dict[str, list[tuple[str, int]]]:
    """How many procedures per field, per level and per agency, the largest first.

    A procedure done at several levels ("Cấp tỉnh, Cấp xã") counts once for each of them.
    """
    levels: Counter[str] = Counter()
    for combination, count in _counts(session, Procedure.levels):
        for level in combination.split(","):
            if level.strip():
                levels[level.strip()] += count
    # one choice per agency whatever its case, as most procedures write it
    agencies = [(spellings[0][0], sum(n for _, n in spellings)) for spellings in _agencies(session).values()]
    return {
        "fields": _counts(session, Procedure.field),
        "levels": sorted(levels.items(), key=lambda item: (-item[1], item[0])),
        # a cell listing a dozen agencies is no choice to offer; its procedures stay searchable
        "agencies": sorted(
            ((name, n) for name, n in agencies if len(name) <= AGENCY_CHOICE_CHARS),
            key=lambda item: (-item[1], item[0]),
        ),
    }


def iter_all(*, session: Session) -> Iterator[Procedure]:
    """Every procedure, in batches, for indexing the whole catalogue without loading it at once."""
    yield from session.scalars(select(Procedure).order_by(Procedure.id).execution_options(yield_per=200))


def demo_lines() -> list[str]:
    """The bundled demo sample of the catalogue (`assistant/data/procedures_demo.jsonl`)."""
    return (resources.files("mauson.assistant") / "data" / "procedures_demo.jsonl").read_text("utf-8").splitlines()
