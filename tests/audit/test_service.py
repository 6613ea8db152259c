"""The audit chain: every write leaves an entry, and tampering is found and named."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from mauson.audit import service
from mauson.audit.models import AuditEntry, AuditEvent, AuditFilters
from mauson.db import Database
from mauson.errors import Conflict, Forbidden
from mauson.identity import service as identity
from mauson.identity.models import Actor, Role
from tests.factories import CLERK, drop_audit_guards, make_user, record_events


def test_entries_record_who_what_when_and_from_where(database: Database) -> None:
    record_events(database, 1)
    with database.unit_of_work() as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "document.file")).one()
    assert (entry.actor_name, entry.ip, entry.via, entry.action, entry.target_id) == (
        "van.thu",
        "10.1.2.3",
        "web",
        "document.file",
        "0",
    )
    assert entry.occurred_at.tzinfo is not None and len(entry.hash) == 64


def test_a_fresh_chain_verifies(database: Database) -> None:
    with database.unit_of_work() as session:
        seeded = service.verify(session=session)
    assert seeded.ok and seeded.checked == 1  # the organisation seed of `db upgrade`
    record_events(database, 5)
    with database.unit_of_work() as session:
        report = service.verify(session=session)
    assert report.ok and report.checked == 6


def test_the_table_refuses_updates_and_deletes(database: Database) -> None:
    record_events(database, 2)
    for statement in ("UPDATE audit_entries SET actor_name = 'x'", "DELETE FROM audit_entries"):
        with pytest.raises(DBAPIError, match="append-only"), database.engine.begin() as connection:
            connection.execute(text(statement))


def test_verify_names_the_first_altered_entry(database: Database) -> None:
    record_events(database, 6)
    drop_audit_guards(database)
    with database.engine.begin() as connection:
        connection.execute(text("UPDATE audit_entries SET actor_name = 'nguoi-khac' WHERE id IN (3, 5)"))
    with database.unit_of_work() as session:
        report = service.verify(session=session)
    assert report.broken_id == 3 and "đã bị sửa" in (report.reason or "")


def test_verify_notices_a_deleted_entry(database: Database) -> None:
    record_events(database, 4)
    drop_audit_guards(database)
    with database.engine.begin() as connection:
        connection.execute(text("DELETE FROM audit_entries WHERE id = 2"))
    with database.unit_of_work() as session:
        report = service.verify(session=session)
    assert report.broken_id == 2 and "xóa" in (report.reason or "")


def test_a_failed_write_leaves_no_entry(database: Database) -> None:
    make_user(database, username="trung.lap")
    with database.unit_of_work() as session:
        before = session.scalar(select(func.count()).select_from(AuditEntry))
    with pytest.raises(Conflict), database.unit_of_work() as session:
        service.record(session=session, actor=CLERK, event=AuditEvent("something.before"))
        identity.create_user(
            session=session,
            actor=identity.SYSTEM,
            data=identity.UserCreate(username="trung.lap", full_name="Lặp", organisation_code="SNV"),
        )
    with database.unit_of_work() as session:
        assert session.scalar(select(func.count()).select_from(AuditEntry)) == before


def test_concurrent_writers_keep_one_unbroken_chain(database: Database) -> None:
    errors: list[BaseException] = []

    def writer() -> None:
        try:
            record_events(database, 15)
        except BaseException as error:  # collected and asserted below
            errors.append(error)

    threads = [threading.Thread(target=writer) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    with database.unit_of_work() as session:
        report = service.verify(session=session)
    assert report.ok and report.checked == 1 + 60


def test_only_admins_list_entries_and_the_listing_is_itself_recorded(database: Database) -> None:
    record_events(database, 3)
    admin = Actor(user_id=1, username="qt", role=Role.ADMIN, ip="127.0.0.1")
    with pytest.raises(Forbidden), database.unit_of_work() as session:
        service.list_entries(session=session, actor=CLERK, filters=AuditFilters())
    with database.unit_of_work() as session:
        page = service.list_entries(session=session, actor=admin, filters=AuditFilters(action="document."))
    assert page.total == 3 and [e.target_id for e in page.entries] == ["2", "1", "0"]
    with database.unit_of_work() as session:
        last = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        assert last is not None and (last.action, last.actor_name) == ("audit.list", "qt")
