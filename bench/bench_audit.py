"""Speed of the audit trail: what the hash chain costs per audited write, and how fast
`verify` walks the chain. The baseline, run in the same process on the same database,
is the same insert into a plain table with no chain and no lock.

Run: make bench   (or .venv/bin/python bench/bench_audit.py [--entries N] [--postgresql URL])
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from sqlalchemy import text

from mauson.audit import service as audit
from mauson.audit.models import AuditEvent
from mauson.db import Database
from mauson.identity.models import Actor, Role

CLERK = Actor(user_id=1, username="van.thu", role=Role.OFFICER, ip="10.0.0.1", via="web")


def plain_inserts(database: Database, count: int) -> float:
    with database.engine.begin() as connection:
        connection.execute(text("CREATE TABLE bench_plain (id INTEGER PRIMARY KEY, action VARCHAR(64), details TEXT)"))
    started = time.perf_counter()
    for n in range(count):
        with database.unit_of_work() as session:
            session.execute(
                text("INSERT INTO bench_plain (id, action, details) VALUES (:id, :action, :details)"),
                {"id": n + 1, "action": "document.file", "details": json.dumps({"n": n})},
            )
    return time.perf_counter() - started


def chained_appends(database: Database, count: int) -> float:
    started = time.perf_counter()
    for n in range(count):
        with database.unit_of_work() as session:
            audit.record(
                session=session, actor=CLERK, event=AuditEvent("document.file", "document", n, details={"n": n})
            )
    return time.perf_counter() - started


def verify_rate(database: Database) -> tuple[int, float]:
    started = time.perf_counter()
    with database.unit_of_work() as session:
        report = audit.verify(session=session)
    assert report.ok
    return report.checked, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entries", type=int, default=2000)
    parser.add_argument("--postgresql", help="URL of an empty PostgreSQL database to run on instead of SQLite")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.postgresql or f"sqlite:///{Path(tmp) / 'bench.db'}"
        database = Database(url)
        database.upgrade()
        baseline = plain_inserts(database, args.entries)
        chained = chained_appends(database, args.entries)
        checked, verify_seconds = verify_rate(database)
        database.dispose()
    print(f"backend: {database.engine.dialect.name}, entries: {args.entries}")
    print(f"plain insert (baseline): {args.entries / baseline:,.0f} transactions/s")
    print(f"audited append (hash chain): {args.entries / chained:,.0f} transactions/s")
    print(f"ratio chained/baseline time: {chained / baseline:.2f}x")
    print(f"verify: {checked / verify_seconds:,.0f} entries/s ({checked} entries in {verify_seconds * 1000:.0f} ms)")


if __name__ == "__main__":
    main()
