"""Builders for test data, through the platform's own services."""

from __future__ import annotations

import re

import httpx
from sqlalchemy import text

from mauson.audit import service as audit
from mauson.audit.models import AuditEvent
from mauson.db import Database
from mauson.identity import service as identity
from mauson.identity.models import Actor, Role, Scope, TokenCreate, User, UserCreate
from mauson.vntext.normalize import _split_tone

PASSWORD = "mat-khau-thu-nghiem-1"
CLERK = Actor(user_id=7, username="van.thu", role=Role.OFFICER, ip="10.1.2.3", via="web")


def make_user(
    database: Database,
    *,
    username: str,
    role: Role = Role.VIEWER,
    org: str = "SNV",
    password: str | None = PASSWORD,
) -> User:
    data = UserCreate(
        username=username, full_name=f"Người dùng {username}", role=role, organisation_code=org, password=password
    )
    with database.unit_of_work() as session:
        user, _ = identity.create_user(session=session, actor=identity.SYSTEM, data=data)
    return user


def make_token(
    database: Database,
    user: User,
    *,
    scopes: tuple[Scope, ...] = (Scope.READ, Scope.WRITE),
    days: int = 30,
    name: str | None = None,
) -> str:
    """A token's secret; a user's live tokens need distinct names, so a second one is named."""
    data = TokenCreate(
        name=name or f"token of {user.username}", scopes=list(scopes), expires_in_days=days, user_id=user.id
    )
    with database.unit_of_work() as session:
        return identity.create_token(session=session, actor=identity.SYSTEM, data=data).secret


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def form_token(client: httpx.Client, path: str) -> str:
    """Open a page as a browser would and return the CSRF token of its forms."""
    page = client.get(path)
    match = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert match, f"no form with a CSRF token on {path} (status {page.status_code})"
    return match.group(1)


def log_in(client: httpx.Client, username: str, password: str = PASSWORD, next_page: str = "/") -> httpx.Response:
    token = form_token(client, "/login")
    form = {"username": username, "password": password, "next": next_page, "csrf_token": token}
    return client.post("/login", data=form)


def record_events(database: Database, count: int) -> None:
    """Append `count` audit entries, each in its own transaction, as a clerk filing documents."""
    for n in range(count):
        with database.unit_of_work() as session:
            audit.record(session=session, actor=CLERK, event=AuditEvent("document.file", "document", n))


def drop_audit_guards(database: Database) -> None:
    """What an intruder with database rights would do first: remove the append-only triggers."""
    with database.engine.begin() as connection:
        if database.is_postgresql:
            connection.execute(text("DROP TRIGGER audit_entries_append_only ON audit_entries"))
        else:
            connection.execute(text("DROP TRIGGER audit_entries_no_update"))
            connection.execute(text("DROP TRIGGER audit_entries_no_delete"))


def windows_1258(text: str) -> bytes:
    """`text` as a legacy Vietnamese file holds it: Windows-1258 keeps the tone as a separate
    combining mark after the base letter."""
    return "".join(base + (tone or "") for base, tone in map(_split_tone, text)).encode("cp1258")
