"""The audit log page for administrators: filter, page through, see the chain's state."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from mauson.audit import service
from mauson.audit.models import AuditFilters
from mauson.db import LOCAL_TZ
from mauson.errors import Invalid
from mauson.web.deps import PageUserDep, SessionDep
from mauson.web.templates import NavItem, render

router = APIRouter(include_in_schema=False)

NAV = [NavItem("/admin/audit", "Nhật ký kiểm toán", "audit-view")]


def _start_of(day: date | None) -> datetime | None:
    return datetime.combine(day, time.min, LOCAL_TZ) if day else None


def _day(value: str, label: str) -> date | None:
    """A date from the filter form; an empty field means no bound."""
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        message = f"Ngày '{value}' ở ô '{label}' không hợp lệ; dùng dạng năm-tháng-ngày."
        raise Invalid(message, code="audit.bad_date") from error


@router.get("/admin/audit", response_class=HTMLResponse)
def audit_log(
    request: Request,
    session: SessionDep,
    actor: PageUserDep,
    actor_name: Annotated[str, Query(alias="actor", max_length=64)] = "",
    action: Annotated[str, Query(max_length=64)] = "",
    outcome: Annotated[str, Query(max_length=16)] = "",
    since_text: Annotated[str, Query(alias="since", max_length=10)] = "",
    until_text: Annotated[str, Query(alias="until", max_length=10)] = "",
    page: Annotated[int, Query(ge=1)] = 1,
) -> HTMLResponse:
    since, until = _day(since_text, "Từ ngày"), _day(until_text, "Đến ngày")
    filters = AuditFilters(
        actor=actor_name or None,
        action=action or None,
        outcome=outcome or None,
        since=_start_of(since),
        until=_start_of(until + timedelta(days=1)) if until else None,
    )
    result = service.list_entries(session=session, actor=actor, filters=filters, page=page, per_page=50)
    context = {
        "result": result,
        "chain": service.verify(session=session),
        "form": {"actor": actor_name, "action": action, "outcome": outcome, "since": since, "until": until},
        "last_page": max(1, -(-result.total // result.per_page)),
    }
    return render(request, "audit.html", context)
