"""Request dependencies shared by every router: the database session, the actor, CSRF.

One session per request, opened by `unit_of_work()` around the route function, so a
route's writes and their audit entries commit together before the response is sent.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterator
from typing import Annotated
from urllib.parse import urlencode

from fastapi import Depends, Form, Request
from sqlalchemy.orm import Session

from mauson.db import Database
from mauson.errors import Forbidden, Unauthorized
from mauson.identity import service as identity
from mauson.identity.models import ANONYMOUS, Actor, Scope
from mauson.search.service import SearchIndex
from mauson.settings import Settings

SESSION_COOKIE = "mauson_session"
CSRF_COOKIE = "mauson_csrf"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class Redirect(Exception):
    """Raised by page dependencies to send the browser elsewhere (login, password change)."""

    def __init__(self, location: str) -> None:
        super().__init__(location)
        self.location = location


def get_settings_dep(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_session(request: Request) -> Iterator[Session]:
    database: Database = request.app.state.database
    with database.unit_of_work() as session:
        yield session


def get_search(request: Request) -> SearchIndex:
    index: SearchIndex = request.app.state.search
    return index


SettingsDep = Annotated[Settings, Depends(get_settings_dep)]
SearchDep = Annotated[SearchIndex, Depends(get_search)]
SessionDep = Annotated[Session, Depends(get_session, scope="function")]


def client_ip(request: Request) -> str | None:
    return request.client.host if request.client else None


def get_actor(request: Request, session: SessionDep) -> Actor:
    """Who sends this request: a bearer token, else a session cookie, else anonymous.

    The actor is also kept on `request.state` so the page layout shows the login state.
    """
    actor = _identify(request, session)
    request.state.actor = actor
    return actor


def _identify(request: Request, session: Session) -> Actor:
    ip = client_ip(request)
    authorization = request.headers.get("authorization")
    if authorization:
        scheme, _, secret = authorization.partition(" ")
        if scheme.lower() != "bearer" or not secret.strip():
            raise Unauthorized("Tiêu đề Authorization phải có dạng 'Bearer <token>'.", code="auth.bad_header")
        actor = identity.actor_from_api_token(session=session, secret=secret.strip(), ip=ip)
        if request.method not in SAFE_METHODS and Scope.WRITE not in actor.scopes:
            raise Forbidden("Token này chỉ có quyền đọc (scope 'read').", code="auth.scope")
        return actor
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        actor_or_none = identity.actor_from_web_session(session=session, token=cookie, ip=ip)
        if actor_or_none is not None:
            is_api_write = request.url.path.startswith("/api/") and request.method not in SAFE_METHODS
            if is_api_write:
                check_csrf_token(request, request.headers.get(CSRF_HEADER, ""))
            return actor_or_none
    return ANONYMOUS.from_address(ip, "api" if request.url.path.startswith("/api/") else "web")


ActorDep = Annotated[Actor, Depends(get_actor)]


def _here(request: Request) -> str:
    return f"{request.url.path}?{request.url.query}" if request.url.query else request.url.path


def login_url(request: Request) -> str:
    """The login page, told to come back to this very page: its path and its query (a filtered inbox,
    a chosen reply template), percent-encoded so that the query stays one `next` value. The login page
    only follows a local `next` (`identity.pages._safe_next`), never another site."""
    return "/login?" + urlencode({"next": _here(request)}, safe="/")


def password_url(next_page: str) -> str:
    """The password change a one-time password must go through first, told where to go after it."""
    return "/account/password" if next_page == "/" else "/account/password?" + urlencode({"next": next_page}, safe="/")


def get_page_user(request: Request, actor: ActorDep) -> Actor:
    """A logged-in actor for a page; otherwise redirect to login (or to the password change)."""
    if not actor.is_authenticated:
        raise Redirect(login_url(request))
    if actor.must_change_password and request.url.path != "/account/password":
        raise Redirect(password_url(_here(request)))
    return actor


PageUserDep = Annotated[Actor, Depends(get_page_user)]


# --- CSRF: a random cookie per browser, and forms carry its HMAC under the secret key ---


def csrf_form_token(request: Request) -> str:
    """The token a form on this page must send back; creates the browser's CSRF cookie if needed."""
    cookie = request.cookies.get(CSRF_COOKIE) or getattr(request.state, "new_csrf_cookie", None)
    if not cookie:
        cookie = secrets.token_urlsafe(32)
        request.state.new_csrf_cookie = cookie
    return _sign(request, cookie)


def _sign(request: Request, value: str) -> str:
    settings: Settings = request.app.state.settings
    assert settings.secret_key is not None
    key = settings.secret_key.get_secret_value().encode()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


def check_csrf_token(request: Request, token: str) -> None:
    cookie = request.cookies.get(CSRF_COOKIE, "")
    if not cookie or not token or not hmac.compare_digest(_sign(request, cookie).encode(), token.encode()):
        raise Forbidden(
            "Biểu mẫu đã hết hạn hoặc không hợp lệ (thiếu mã CSRF). Hãy tải lại trang rồi gửi lại.",
            code="csrf.invalid",
        )


def require_csrf(request: Request, csrf_token: Annotated[str, Form()] = "") -> None:
    """Dependency for every HTML form POST."""
    check_csrf_token(request, csrf_token)


CsrfDep = Depends(require_csrf)


def cookie_is_secure(request: Request) -> bool:
    mode = request.app.state.settings.cookie_secure
    return mode == "always" or (mode == "auto" and request.url.scheme == "https")
