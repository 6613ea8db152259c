"""HTML pages: login and logout, the organisation tree, users and API tokens.

Lists change nothing when clicked: each action on a user or a token is a link to a page
that says what will happen and asks (`confirm.html`), and only that page's form acts.
The CSP allows no inline script, and a page works in every browser and screen reader.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated
from urllib.parse import parse_qs, urlsplit

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
    password_url,
)
from mauson.web.errors import error_headers
from mauson.web.templates import NavItem, render

router = APIRouter(include_in_schema=False)

NAV = [
    NavItem("/organisations", "Cơ quan, đơn vị"),
    NavItem("/admin/users", "Người dùng", "user-list"),
    NavItem("/tokens", "Token API", "token-create"),
]


MAX_NEXT = 2_000  # a page's path and query; longer is not a page of ours
# Pages that are steps on the way, never where one was going: after the login or the password
# change, going "back" to one of them would show the form just filled in again.
STEPS = ("/login", "/logout", "/account/password")


def _is_local(target: str) -> bool:
    """A path on this site ("/tokens"), not another site's ("//evil.example", "https://…", "/\\evil")."""
    return len(target) <= MAX_NEXT and target.startswith("/") and not target.startswith("//") and "\\" not in target


def _safe_next(target: str | None) -> str:
    """Where to go after the login or the password change: a local page only, never another site,
    and the page a step was itself on the way to rather than the step (`STEPS`)."""
    for _ in STEPS:  # a step's own `next` is followed, a step at a time
        if not target or not _is_local(target):
            return "/"
        url = urlsplit(target)
        if url.path not in STEPS:
            return target
        target = parse_qs(url.query).get("next", ["/"])[0]
    return "/"


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
        page = render(request, "login.html", context, status=outcome.error.status)
        page.headers.update(error_headers(outcome.error.status, outcome.error))
        return page
    token = service.start_web_session(
        session=session,
        user=outcome.user,
        ip=client_ip(request),
        user_agent=request.headers.get("user-agent"),
        hours=settings.session_hours,
    )
    target = password_url(_safe_next(next)) if outcome.user.must_change_password else _safe_next(next)
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


def _with_notice(target: str) -> str:
    """`target` with `password_changed=1`, which the layout shows a signed-in user as the confirmation."""
    page, hash_mark, fragment = target.partition("#")
    return f"{page}{'&' if '?' in page else '?'}password_changed=1{hash_mark}{fragment}"


@router.get("/account/password", response_class=HTMLResponse)
def password_form(request: Request, actor: PageUserDep, next: str = "/") -> HTMLResponse:
    return render(request, "password.html", {"error": None, "next": _safe_next(next)})


@router.post("/account/password", response_class=HTMLResponse, dependencies=[CsrfDep])
def change_password(
    request: Request,
    session: SessionDep,
    actor: PageUserDep,
    current: Annotated[str, Form(max_length=200)] = "",
    new: Annotated[str, Form(max_length=200)] = "",
    confirm: Annotated[str, Form(max_length=200)] = "",
    next: Annotated[str, Form()] = "/",
) -> Response:
    """Change one's password, then go on to the page one was on the way to, told it worked."""
    try:
        if new != confirm:
            raise Invalid("Hai lần nhập mật khẩu mới không khớp nhau.", code="user.password_mismatch")
        with session.begin_nested():
            service.change_password(session=session, actor=actor, current=current, new=new)
    except MausonError as error:
        context = {"error": error.message, "next": _safe_next(next)}
        return render(request, "password.html", context, status=error.status)
    return RedirectResponse(_with_notice(_safe_next(next)), status_code=303)


@router.get("/organisations", response_class=HTMLResponse)
def organisations(request: Request, session: SessionDep, actor: ActorDep) -> HTMLResponse:
    orgs = service.list_organisations(session=session)
    root = [o for o in orgs if o.parent_id is None]
    agencies = [o for o in orgs if o.parent_id is not None and o.kind not in service.COMMUNE_KINDS]
    communes = sorted((o for o in orgs if o.kind in service.COMMUNE_KINDS), key=lambda o: o.unit_name or o.name)
    context = {"root": root, "agencies": agencies, "communes": communes}
    return render(request, "organisations.html", context)


@dataclass(frozen=True)
class Confirmation:
    """The second step of a risky action: what will happen, the button that does it, the way back."""

    question: str
    consequence: str
    button: str
    action: str
    back: str
    state: str = ""  # what the form means to change, sent back with it (`service.password_state`)


def _confirm(request: Request, confirmation: Confirmation) -> HTMLResponse:
    return render(request, "confirm.html", {"confirmation": confirmation})


@dataclass(frozen=True)
class OneTimePassword:
    """A password the platform made for a user, shown to their manager once to hand over."""

    done: str
    username: str
    password: str | None


class UserAction(StrEnum):
    """What a manager does to an account from /admin/users, each confirmed on its own page."""

    DEACTIVATE = "deactivate"
    ACTIVATE = "activate"
    UNLOCK = "unlock"
    RESET_PASSWORD = "password-reset"  # noqa: S105 (a path segment, not a secret)


# (question about {username} ({full name}), what will happen, the button that does it)
USER_ACTION_TEXTS: dict[UserAction, tuple[str, str, str]] = {
    UserAction.DEACTIVATE: (
        "Khóa tài khoản {}?",
        "Người dùng không đăng nhập được nữa và mọi token API của họ ngừng hoạt động, cho đến khi bạn mở khóa lại.",
        "Khóa tài khoản",
    ),
    UserAction.ACTIVATE: (
        "Mở khóa tài khoản {}?",
        "Người dùng đăng nhập lại được bằng mật khẩu hiện tại; các token API còn hạn của họ hoạt động trở lại.",
        "Mở khóa tài khoản",
    ),
    UserAction.UNLOCK: (
        "Gỡ tạm khóa đăng nhập của {}?",
        "Tài khoản đang bị tạm khóa vì nhập sai mật khẩu nhiều lần. Sau khi gỡ, người dùng đăng nhập được ngay "
        "bằng mật khẩu hiện tại; nếu họ đã quên mật khẩu, hãy chọn «Đặt lại mật khẩu» thay vì gỡ tạm khóa.",
        "Gỡ tạm khóa",
    ),
    UserAction.RESET_PASSWORD: (
        "Đặt lại mật khẩu của {}?",
        "Mật khẩu cũ hết tác dụng và người dùng bị đăng xuất khỏi mọi trình duyệt. Hệ thống tạo một mật khẩu "
        "dùng một lần và chỉ hiện cho bạn một lần: hãy trao tận tay người dùng; họ phải đổi khi đăng nhập.",
        "Đặt lại mật khẩu",
    ),
}


def _users_page(
    request: Request,
    session: SessionDep,
    actor: Actor,
    *,
    error: str | None = None,
    issued: OneTimePassword | None = None,
    status: int = 200,
) -> HTMLResponse:
    context = {
        "users": service.list_users(session=session, actor=actor),
        "organisations": service.list_organisations(session=session),
        "roles": [(r.value, ROLE_LABELS[r]) for r in Role if actor.is_admin or r != Role.ADMIN],
        "error": error,
        "issued": issued,
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
    issued = OneTimePassword("Đã tạo tài khoản", user.username, one_time)
    return _users_page(request, session, actor, issued=issued, status=201)


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


@router.get("/admin/users/{user_id}/{action}", response_class=HTMLResponse)
def confirm_user_action(
    request: Request, user_id: int, action: UserAction, session: SessionDep, actor: PageUserDep
) -> HTMLResponse:
    user = service.get_manageable_user_or_raise(session=session, actor=actor, user_id=user_id)
    question, consequence, button = USER_ACTION_TEXTS[action]
    who = f"{user.username} ({user.full_name})"
    state = service.password_state(user) if action is UserAction.RESET_PASSWORD else ""
    confirmation = Confirmation(question.format(who), consequence, button, request.url.path, "/admin/users", state)
    return _confirm(request, confirmation)


@router.post("/admin/users/{user_id}/{action}", dependencies=[CsrfDep])
def act_on_user(
    request: Request,
    user_id: int,
    action: UserAction,
    session: SessionDep,
    actor: PageUserDep,
    state: Annotated[str, Form(max_length=64)] = "",
) -> Response:
    if action is UserAction.RESET_PASSWORD:
        try:
            with session.begin_nested():
                user, one_time = service.reset_password(
                    session=session, actor=actor, user_id=user_id, replacing=state or None
                )
        except MausonError as error:
            return _users_page(request, session, actor, error=error.message, status=error.status)
        issued = OneTimePassword("Đã đặt lại mật khẩu của", user.username, one_time)
        return _users_page(request, session, actor, issued=issued)
    if action is UserAction.UNLOCK:
        service.unlock_user(session=session, actor=actor, user_id=user_id)
    else:
        data = UserUpdate(is_active=action is UserAction.ACTIVATE)
        service.update_user(session=session, actor=actor, user_id=user_id, data=data)
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


@router.get("/tokens/{token_id}/revoke", response_class=HTMLResponse)
def confirm_revoke_token(request: Request, token_id: int, session: SessionDep, actor: PageUserDep) -> HTMLResponse:
    token = service.get_token_or_raise(session=session, actor=actor, token_id=token_id)
    confirmation = Confirmation(
        f"Thu hồi token «{token.name}»?",
        f"Phần mềm đang gửi token mst_{token.prefix}… bị từ chối ngay (lỗi 401). Không thể hoàn tác: "
        "muốn dùng tiếp, hãy tạo token mới.",
        "Thu hồi token",
        request.url.path,
        "/tokens",
    )
    return _confirm(request, confirmation)


@router.post("/tokens/{token_id}/revoke", dependencies=[CsrfDep])
def revoke_token(token_id: int, session: SessionDep, actor: PageUserDep) -> Response:
    service.revoke_token(session=session, actor=actor, token_id=token_id)
    return RedirectResponse("/tokens", status_code=303)
