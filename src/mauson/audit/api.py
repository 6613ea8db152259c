"""JSON API for the audit log (`/api/v1/audit`), for administrators."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query

from mauson.audit import service
from mauson.audit.models import AuditFilters, AuditPage, ChainRead
from mauson.identity.actions import ensure
from mauson.web.deps import ActorDep, SessionDep

router = APIRouter(prefix="/api/v1/audit", tags=["audit"])


@router.get("", response_model=AuditPage, summary="Audit entries, newest first, with filters")
def list_entries(
    session: SessionDep,
    actor: ActorDep,
    actor_name: Annotated[str | None, Query(alias="actor", max_length=64)] = None,
    action: Annotated[str | None, Query(max_length=64)] = None,
    outcome: Annotated[str | None, Query(max_length=16)] = None,
    since: datetime | None = None,
    until: datetime | None = None,
    page: Annotated[int, Query(ge=1)] = 1,
    per_page: Annotated[int, Query(ge=1, le=500)] = 50,
) -> AuditPage:
    filters = AuditFilters(actor=actor_name, action=action, outcome=outcome, since=since, until=until)
    return service.list_entries(session=session, actor=actor, filters=filters, page=page, per_page=per_page)


@router.get("/verify", response_model=ChainRead, summary="Check the hash chain")
def verify(session: SessionDep, actor: ActorDep) -> ChainRead:
    ensure(actor, "audit-view")
    report = service.verify(session=session)
    return ChainRead(ok=report.ok, checked=report.checked, broken_id=report.broken_id, reason=report.reason)
