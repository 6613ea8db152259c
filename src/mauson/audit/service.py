"""Writing, listing and verifying the hash-chained audit log.

`record()` runs inside the caller's transaction, so an audited write and its entry
commit or roll back together. Appends are serialised (SQLite: IMMEDIATE transactions;
PostgreSQL: a transaction-scoped advisory lock) so the chain never forks.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from mauson.audit.models import (
    GENESIS_HASH,
    AuditEntry,
    AuditEntryRead,
    AuditEvent,
    AuditFilters,
    AuditPage,
    ChainReport,
)
from mauson.db import as_aware, utcnow
from mauson.identity.actions import ensure
from mauson.identity.models import Actor

AUDIT_LOCK_KEY = 7_307_105  # arbitrary constant shared by every writer of the chain


def entry_hash(entry: AuditEntry) -> str:
    """SHA-256 over the previous hash and the entry's fields in a canonical JSON form."""
    payload = {
        "id": entry.id,
        "occurred_at": entry.occurred_at.isoformat(),
        "actor_id": entry.actor_id,
        "actor_name": entry.actor_name,
        "ip": entry.ip,
        "via": entry.via,
        "action": entry.action,
        "target_type": entry.target_type,
        "target_id": entry.target_id,
        "outcome": entry.outcome,
        "details": entry.details,
    }
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256((entry.prev_hash + canonical).encode()).hexdigest()


def record(*, session: Session, actor: Actor, event: AuditEvent) -> AuditEntry:
    """Append `event`, done by `actor`, to the chain (inside the caller's transaction)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": AUDIT_LOCK_KEY})
    last = session.execute(select(AuditEntry.id, AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1)).first()
    entry = AuditEntry(
        id=(last.id + 1) if last else 1,
        occurred_at=utcnow(),
        actor_id=actor.user_id,
        actor_name=actor.username,
        ip=actor.ip,
        via=actor.via,
        action=event.action,
        target_type=event.target_type,
        target_id=None if event.target_id is None else str(event.target_id),
        outcome=event.outcome,
        details=json.dumps(event.details, sort_keys=True, ensure_ascii=False, default=str),
        prev_hash=last.hash if last else GENESIS_HASH,
    )
    entry.hash = entry_hash(entry)
    session.add(entry)
    session.flush()
    return entry


def verify(*, session: Session) -> ChainReport:
    """Walk the chain in order and report the first entry that breaks it."""
    expected_id, expected_prev, checked = 1, GENESIS_HASH, 0
    rows = session.execute(select(AuditEntry).order_by(AuditEntry.id).execution_options(yield_per=1000))
    for entry in rows.scalars():
        if entry.id != expected_id:
            return ChainReport(checked, expected_id, f"mục {expected_id} đã bị xóa (thiếu trong chuỗi)")
        if entry.prev_hash != expected_prev:
            return ChainReport(checked, entry.id, f"mục {entry.id} không nối với mục trước (prev_hash sai)")
        if entry_hash(entry) != entry.hash:
            return ChainReport(checked, entry.id, f"nội dung mục {entry.id} đã bị sửa (hash không khớp)")
        expected_id, expected_prev, checked = entry.id + 1, entry.hash, checked + 1
    return ChainReport(checked)


def list_entries(
    *, session: Session, actor: Actor, filters: AuditFilters, page: int = 1, per_page: int = 50
) -> AuditPage:
    """A page of entries, newest first; reading the log is itself recorded."""
    ensure(actor, "audit-view")
    stmt = select(AuditEntry)
    conditions: list[Any] = []
    if filters.actor:
        conditions.append(AuditEntry.actor_name == filters.actor)
    if filters.action:
        conditions.append(AuditEntry.action.startswith(filters.action, autoescape=True))
    if filters.outcome:
        conditions.append(AuditEntry.outcome == filters.outcome)
    if filters.since:
        conditions.append(AuditEntry.occurred_at >= as_aware(filters.since))
    if filters.until:
        conditions.append(AuditEntry.occurred_at < as_aware(filters.until))
    stmt = stmt.where(*conditions)
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = session.scalars(stmt.order_by(AuditEntry.id.desc()).offset((page - 1) * per_page).limit(per_page))
    entries = [AuditEntryRead.model_validate(row) for row in rows]
    record(
        session=session,
        actor=actor,
        event=AuditEvent("audit.list", details={"filters": {k: v for k, v in vars(filters).items() if v}}),
    )
    return AuditPage(entries=entries, total=total, page=page, per_page=per_page)
