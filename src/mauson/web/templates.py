"""Jinja templates and the one `render()` every page uses.

Each module keeps its templates in `<module>/templates/`; the shared layout
(`base.html`, `error.html`) lives in `web/templates/`. `render()` adds what every
page needs: the actor, the navigation they may see, and the CSRF token for forms.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from mauson.db import LOCAL_TZ
from mauson.identity.actions import allowed
from mauson.identity.models import ANONYMOUS, ROLE_LABELS, Actor, Role
from mauson.vntext.amounts import written
from mauson.web.deps import CSRF_COOKIE, cookie_is_secure, csrf_form_token

PACKAGE_DIR = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class NavItem:
    """A link in the header; shown only to actors allowed `action` (None: everyone)."""

    href: str
    label: str
    action: str | None = None


def local_time(value: datetime | None, fmt: str = "%d/%m/%Y %H:%M") -> str:
    """Show a UTC timestamp in Vietnam's time, the way Vietnamese readers write dates."""
    return value.astimezone(LOCAL_TZ).strftime(fmt) if value else ""


def file_size(size: float) -> str:
    """A byte count as Vietnamese readers write it (decimal comma, units of 1000):
    a 200-byte CSV reads "200 byte", not "0.0 MB"; a round limit reads "2 MB", not "2,0 MB"."""
    for unit, scale in (("GB", 1e9), ("MB", 1e6), ("KB", 1e3)):
        if size >= scale:
            return f"{written(size / scale, 1).removesuffix(',0')} {unit}"
    return f"{size:.0f} byte"


def role_label(role: str | Role | None) -> str:
    return ROLE_LABELS.get(Role(role), str(role)) if role else "Khách"


def make_environment(modules: list[str]) -> Environment:
    """One environment searching `web/templates` and then each module's `templates/`."""
    folders = [PACKAGE_DIR / "web" / "templates"] + [PACKAGE_DIR / m / "templates" for m in modules]
    env = Environment(
        loader=FileSystemLoader([str(f) for f in folders if f.is_dir()]),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["local_time"] = local_time
    env.filters["role_label"] = role_label
    env.filters["file_size"] = file_size
    env.filters["number"] = written
    return env


def render(request: Request, template: str, context: dict[str, Any], *, status: int = 200) -> HTMLResponse:
    """Render a page with the layout's context, setting the CSRF cookie on first visit."""
    actor: Actor = getattr(request.state, "actor", ANONYMOUS)
    nav: list[NavItem] = request.app.state.nav
    page = {
        "request": request,
        "actor": actor,
        "nav": [item for item in nav if item.action is None or allowed(actor, item.action)],
        "current_path": request.url.path,
        "csrf_token": csrf_form_token(request),
        **context,
    }
    html = request.app.state.templates.get_template(template).render(page)
    response = HTMLResponse(html, status_code=status)
    new_cookie = getattr(request.state, "new_csrf_cookie", None)
    if new_cookie:
        response.set_cookie(
            CSRF_COOKIE, new_cookie, httponly=True, samesite="strict", secure=cookie_is_secure(request), path="/"
        )
    return response
