"""The audit table, the events written to it, and what the API shows of them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict
from sqlalchemy import Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from mauson.db import Base, UTCDateTime

GENESIS_HASH = "0" * 64


class AuditEntry(Base):
    """One entry; `hash` = SHA-256 of `prev_hash` and the entry's own fields.

    The ids are consecutive (1, 2, 3, ...) so a deleted row shows as a gap. The table
    refuses UPDATE and DELETE through triggers; the chain catches whoever drops them.
    """

    __tablename__ = "audit_entries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    actor_id: Mapped[int | None] = mapped_column(Integer, index=True)
    actor_name: Mapped[str] = mapped_column(String(64))
    ip: Mapped[str | None] = mapped_column(String(64))
    via: Mapped[str] = mapped_column(String(16))
    action: Mapped[str] = mapped_column(String(64), index=True)
    target_type: Mapped[str | None] = mapped_column(String(64))
    target_id: Mapped[str | None] = mapped_column(String(64))
    outcome: Mapped[str] = mapped_column(String(16))
    details: Mapped[str] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


@dataclass(frozen=True)
class AuditEvent:
    """Something worth recording: `action` is `<kind>.<verb>`, e.g. `user.create`."""

    action: str
    target_type: str | None = None
    target_id: str | int | None = None
    outcome: str = "ok"
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class AuditFilters:
    actor: str | None = None
    action: str | None = None
    outcome: str | None = None
    since: datetime | None = None
    until: datetime | None = None


@dataclass(frozen=True)
class ChainReport:
    """The result of `verify()`: how many entries were checked and the first broken one."""

    checked: int
    broken_id: int | None = None
    reason: str | None = None

    @property
    def ok(self) -> bool:
        return self.broken_id is None


class AuditEntryRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    occurred_at: datetime
    actor_id: int | None
    actor_name: str
    ip: str | None
    via: str
    action: str
    target_type: str | None
    target_id: str | None
    outcome: str
    details: str
    hash: str


class AuditPage(BaseModel):
    entries: list[AuditEntryRead]
    total: int
    page: int
    per_page: int


class ChainRead(BaseModel):
    ok: bool
    checked: int
    broken_id: int | None
    reason: str | None
