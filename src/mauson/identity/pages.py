"""HTML pages: login and logout, the organisation tree, users and API tokens."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from mauson.errors import Invalid, MausonError
from mauson.identity import service
from mauson.identity.models import ROLE_LABELS, Actor, Role, Scope, TokenCreate, UserCreate, UserUpdate
from mauson.web.deps import (
    SESSION_COOKIE,
    ActorDep,
    CsrfDep,
    PageUserDep,
    SessionDep,
    SettingsDep,
    client_ip,
    cookie_is_secure,
)
from mauson.web.templates import NavItem, render

router = APIRouter(include_in_schema=False)

NAV = [
    NavItem("/organisations", "Cơ quan, đơn vị"),
    NavItem("/admin/users", "Người dùng", "user-list"),
    NavItem("/tokens", "Token API", "token-create"),
]


def _safe_next(target: str | None) -> str:
    """Only follow local paths after login, never another site."""
    local = target and target.startswith("/") and not target.startswith("//") and "\\" not in target
    return target if local and target else "/"


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, actor: ActorDep, next: str = "/") -> HTMLResponse:
    return render(request, "login.html", {"next": _safe_next(next), "error": None, "username": ""})


@router.post("/login", dependencies=[CsrfDep])
def login(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    username: Annotated[str, Form(max_length=64)] = "",
    password: Annotated[str, Form(max_length=200)] = "",
    next: Annotated[str, Form()] = "/",
) -> Response:
    outcome = service.login(
        session=session,
        username=username,
        password=password,
        ip=client_ip(request),
        max_failures=settings.login_max_failures,
        lockout_minutes=settings.login_lockout_minutes,
    )
    if outcome.user is None:
        assert outcome.error is not None
        context = {"next": _safe_next(next), "error": outcome.error.message, "username": username}
        return render(request, "login.html", context, status=outcome.error.status)
    token = service.start_web_session(
        session=session,
        user=outcome.user,
        ip=client_ip(request),
        user_agent=request.headers.get("user-agent"),
        hours=settings.session_hours,
    )
    target = "/account/password" if outcome.user.must_change_password else _safe_next(next)
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=settings.session_hours * 3600,
        httponly=True,
        samesite="lax",
        secure=cookie_is_secure(request),
        path="/",
    )
    return response


@router.post("/logout", dependencies=[CsrfDep])
def logout(request: Request, session: SessionDep, actor: ActorDep) -> Response:
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        service.end_web_session(session=session, actor=actor, token=cookie)
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/account/password", response_class=HTMLResponse)
def password_form(request: Request, actor: PageUserDep) -> HTMLResponse:
    return render(request, "password.html", {"error": None, "done": False})


@router.post("/account/password", response_class=HTMLResponse, dependencies=[CsrfDep])
def change_password(
    request: Request,
    session: SessionDep,
    actor: PageUserDep,
    current: Annotated[str, Form(max_length=200)] = "",
    new: Annotated[str, Form(max_length=200)] = "",
    confirm: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    try:
        if new != confirm:
            raise Invalid("Hai lần nhập mật khẩu mới không khớp nhau.", code="user.password_mismatch")
        with session.begin_nested():
            service.change_password(session=session, actor=actor, current=current, new=new)
    except MausonError as error:
        return render(request, "password.html", {"error": error.message, "done": False}, status=error.status)
    return RedirectResponse("/?password_changed=1", status_code=303)


@router.get("/organisations", response_class=HTMLResponse)
def organisations(request: Request, session: SessionDep, actor: ActorDep) -> HTMLResponse:
    orgs = service.list_organisations(session=session)
    root = [o for o in orgs if o.parent_id is None]
    agencies = [o for o in orgs if o.parent_id is not None and o.kind not in service.COMMUNE_KINDS]
    communes = sorted((o for o in orgs if o.kind in service.COMMUNE_KINDS), key=lambda o: o.unit_name or o.name)
    context = {"root": root, "agencies": agencies, "communes": communes}
    return render(request, "organisations.html", context)


def _users_page(
    request: Request,
    session: SessionDep,
    actor: Actor,
    *,
    error: str | None = None,
    created: tuple[str, str | None] | None = None,
    status: int = 200,
) -> HTMLResponse:
    context = {
        "users": service.list_users(session=session, actor=actor),
        "organisations": service.list_organisations(session=session),
        "roles": [(r.value, ROLE_LABELS[r]) for r in Role if actor.is_admin or r != Role.ADMIN],
        "error": error,
        "created": created,
    }
    return render(request, "users.html", context, status=status)


@router.get("/admin/users", response_class=HTMLResponse)
def users(request: Request, session: SessionDep, actor: PageUserDep) -> HTMLResponse:
    return _users_page(request, session, actor)


@router.post("/admin/users", response_class=HTMLResponse, dependencies=[CsrfDep])
def create_user(
    request: Request,
    session: SessionDep,
    actor: PageUserDep,
    username: Annotated[str, Form(max_length=64)] = "",
    full_name: Annotated[str, Form(max_length=200)] = "",
    email: Annotated[str, Form(max_length=200)] = "",
    role: Annotated[str, Form(max_length=32)] = Role.VIEWER.value,
    organisation_code: Annotated[str, Form(max_length=32)] = "",
) -> HTMLResponse:
    try:
        data = _user_create(username, full_name, email, role, organisation_code)
        with session.begin_nested():
            user, one_time = service.create_user(session=session, actor=actor, data=data)
    except MausonError as error:
        return _users_page(request, session, actor, error=error.message, status=error.status)
    return _users_page(request, session, actor, created=(user.username, one_time), status=201)


def _user_create(username: str, full_name: str, email: str, role: str, organisation_code: str) -> UserCreate:
    """Turn form fields into `UserCreate`, with a Vietnamese message for bad values."""
    try:
        return UserCreate(
            username=username.strip().lower(),
            full_name=full_name.strip(),
            email=email.strip() or None,
            role=Role(role),
            organisation_code=organisation_code,
        )
    except ValueError as error:
        raise Invalid(
            "Thông tin chưa hợp lệ: tên đăng nhập 3–64 ký tự gồm chữ thường không dấu, số, dấu chấm, "
            "gạch dưới hoặc gạch ngang; họ tên không được để trống; chọn vai trò và cơ quan.",
            code="user.invalid",
        ) from error


@router.post("/admin/users/{user_id}/active", dependencies=[CsrfDep])
def set_user_active(
    user_id: int,
    session: SessionDep,
    actor: PageUserDep,
    active: Annotated[bool, Form()] = False,
) -> Response:
    service.update_user(session=session, actor=actor, user_id=user_id, data=UserUpdate(is_active=active))
    return RedirectResponse("/admin/users", status_code=303)


def _tokens_page(
    request: Request,
    session: SessionDep,
    actor: Actor,
    *,
    error: str | None = None,
    secret: str | None = None,
    status: int = 200,
) -> HTMLResponse:
    context = {"tokens": service.list_tokens(session=session, actor=actor), "error": error, "secret": secret}
    return render(request, "tokens.html", context, status=status)


@router.get("/tokens", response_class=HTMLResponse)
def tokens(request: Request, session: SessionDep, actor: PageUserDep) -> HTMLResponse:
    return _tokens_page(request, session, actor)


@router.post("/tokens", response_class=HTMLResponse, dependencies=[CsrfDep])
def create_token(
    request: Request,
    session: SessionDep,
    actor: PageUserDep,
    name: Annotated[str, Form(max_length=100)] = "",
    write: Annotated[bool, Form()] = False,
    expires_in_days: Annotated[int, Form(ge=1, le=730)] = 90,
) -> HTMLResponse:
    scopes = [Scope.READ, Scope.WRITE] if write else [Scope.READ]
    try:
        if not name.strip():
            raise Invalid("Hãy đặt tên cho token (ví dụ: 'đồng bộ dữ liệu Sở Y tế').", code="token.name_required")
        data = TokenCreate(name=name.strip(), scopes=scopes, expires_in_days=expires_in_days)
        with session.begin_nested():
            created = service.create_token(session=session, actor=actor, data=data)
    except MausonError as error:
        return _tokens_page(request, session, actor, error=error.message, status=error.status)
    return _tokens_page(request, session, actor, secret=created.secret, status=201)


@router.post("/tokens/{token_id}/revoke", dependencies=[CsrfDep])
def revoke_token(token_id: int, session: SessionDep, actor: PageUserDep) -> Response:
    service.revoke_token(session=session, actor=actor, token_id=token_id)
    return RedirectResponse("/tokens", status_code=303)
