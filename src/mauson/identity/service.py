"""Organisations, users, logins, web sessions and API tokens: the domain logic.

Functions take a session and flush; the caller's unit of work commits. Every write
and every read of non-public identity data is recorded in the audit log.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from importlib import resources

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from mauson.audit import service as audit
from mauson.audit.models import AuditEvent
from mauson.db import LOCAL_TZ, utcnow
from mauson.errors import Conflict, Invalid, MausonError, NotFound, TooManyRequests, Unauthorized
from mauson.identity.actions import ensure, visible_tokens, visible_users
from mauson.identity.models import (
    Actor,
    ApiToken,
    Organisation,
    Role,
    Scope,
    TokenCreate,
    TokenCreated,
    TokenRead,
    User,
    UserCreate,
    UserUpdate,
    WebSession,
)

TOKEN_PREFIX = "mst_"  # noqa: S105 (a label, not a secret)
FIRST_ADMIN_USERNAME = "admin"
COMMUNE_KINDS = ("xa", "phuong")
SYSTEM = Actor(username="he-thong", role=Role.ADMIN, via="cli", ip="local")
_hasher = PasswordHasher()


# --- passwords ---------------------------------------------------------------------


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def password_matches(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def generate_password() -> str:
    """A one-time password that is easy to type: four groups of four letters and digits."""
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    return "-".join("".join(secrets.choice(alphabet) for _ in range(4)) for _ in range(4))


def _check_password_strength(password: str) -> None:
    if len(password) < 10:
        raise Invalid("Mật khẩu phải có ít nhất 10 ký tự.", code="user.weak_password")


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


# --- organisations -----------------------------------------------------------------


def seed_organisations(*, session: Session) -> int:
    """Create or update the shipped organisation tree; returns how many rows changed."""
    seed = json.loads((resources.files("mauson.identity") / "data" / "organisations.json").read_text("utf-8"))
    existing = {org.code: org for org in session.scalars(select(Organisation))}
    changed = 0
    for item in seed["organisations"]:
        org = existing.get(item["code"])
        if org is None:
            org = Organisation(code=item["code"])
            session.add(org)
            existing[item["code"]] = org
        parent = existing.get(item["parent"]) if item["parent"] else None
        values = {"name": item["name"], "kind": item["kind"], "unit_name": item.get("unit_name")}
        if any(getattr(org, key) != value for key, value in values.items()) or org.parent is not parent:
            for key, value in values.items():
                setattr(org, key, value)
            org.parent = parent
            changed += 1
    session.flush()
    if changed:
        event = AuditEvent("organisation.seed", details={"changed": changed})
        audit.record(session=session, actor=SYSTEM, event=event)
    return changed


def list_organisations(*, session: Session) -> list[Organisation]:
    """All organisations, the province first, then agencies, then communes and wards."""
    return list(session.scalars(select(Organisation).order_by(Organisation.parent_id.is_not(None), Organisation.id)))


@dataclass(frozen=True)
class DirectorySummary:
    organisations: int
    communes: int
    users: int


def directory_summary(*, session: Session) -> DirectorySummary:
    """Counts for the home page: organisations, communes and wards, user accounts."""
    count = func.count()
    return DirectorySummary(
        organisations=session.scalar(select(count).select_from(Organisation)) or 0,
        communes=session.scalar(select(count).select_from(Organisation).where(Organisation.kind.in_(COMMUNE_KINDS)))
        or 0,
        users=session.scalar(select(count).select_from(User)) or 0,
    )


def get_organisation_or_raise(*, session: Session, code: str) -> Organisation:
    org = session.scalar(select(Organisation).where(Organisation.code == code))
    if org is None:
        raise NotFound(
            f"Không có cơ quan mã '{code}'. Xem danh sách tại /organisations.", code="organisation.not_found"
        )
    return org


# --- users ---------------------------------------------------------------------------


def create_user(*, session: Session, actor: Actor, data: UserCreate) -> tuple[User, str | None]:
    """Create a user; without a password, a one-time one is generated and returned once."""
    org = get_organisation_or_raise(session=session, code=data.organisation_code)
    candidate = User(organisation_id=org.id, role=data.role.value)
    ensure(actor, "user-create", candidate)
    if session.scalar(select(User.id).where(User.username == data.username)) is not None:
        raise Conflict(f"Tên đăng nhập '{data.username}' đã có người dùng.", code="user.exists")
    one_time = None if data.password else generate_password()
    if data.password:
        _check_password_strength(data.password)
    user = User(
        username=data.username,
        full_name=data.full_name,
        email=data.email,
        role=data.role.value,
        organisation_id=org.id,
        password_hash=hash_password(data.password or one_time or ""),
        must_change_password=one_time is not None,
        is_active=True,
        failed_logins=0,
        created_at=utcnow(),
    )
    session.add(user)
    session.flush()
    details = {"username": user.username, "role": user.role, "organisation": org.code}
    audit.record(session=session, actor=actor, event=AuditEvent("user.create", "user", user.id, details=details))
    return user, one_time


def list_users(*, session: Session, actor: Actor) -> list[User]:
    """The users `actor` may manage (admins: all; agency admins: their organisation)."""
    ensure(actor, "user-list")
    users = list(session.scalars(visible_users(select(User), actor).order_by(User.username)))
    audit.record(session=session, actor=actor, event=AuditEvent("user.list", "user", details={"count": len(users)}))
    return users


def get_user_or_raise(*, session: Session, actor: Actor, user_id: int) -> User:
    """One user, if `actor` may see them; otherwise 404, as if it did not exist."""
    ensure(actor, "user-view")
    user = session.scalar(visible_users(select(User).where(User.id == user_id), actor))
    if user is None:
        raise NotFound(f"Không tìm thấy người dùng số {user_id}.", code="user.not_found")
    audit.record(session=session, actor=actor, event=AuditEvent("user.view", "user", user.id))
    return user


def get_user_by_username_or_raise(*, session: Session, actor: Actor, username: str) -> User:
    user = session.scalar(visible_users(select(User).where(User.username == username), actor))
    if user is None:
        raise NotFound(f"Không có người dùng '{username}'. Xem `mauson users list`.", code="user.not_found")
    return user


def load_demo_users(*, session: Session, actor: Actor) -> list[tuple[str, str]]:
    """Create the demo accounts that are missing; returns (username, one-time password) of new ones."""
    seed = json.loads((resources.files("mauson.identity") / "data" / "demo_users.json").read_text("utf-8"))
    created = []
    for item in seed["users"]:
        if session.scalar(select(User.id).where(User.username == item["username"])) is None:
            user, password = create_user(session=session, actor=actor, data=UserCreate(**item))
            created.append((user.username, password or ""))
    return created


def get_manageable_user_or_raise(*, session: Session, actor: Actor, user_id: int) -> User:
    """A user `actor` may change: 404 if they may not see them, 403 if they may only look."""
    user = get_user_or_raise(session=session, actor=actor, user_id=user_id)
    ensure(actor, "user-update", user)
    return user


def update_user(*, session: Session, actor: Actor, user_id: int, data: UserUpdate) -> User:
    user = get_manageable_user_or_raise(session=session, actor=actor, user_id=user_id)
    changes = data.model_dump(exclude_unset=True)
    if changes.get("role") == Role.ADMIN:
        ensure(actor, "user-update", User(role=Role.ADMIN.value))
    if user.id == actor.user_id and (changes.get("is_active") is False or "role" in changes):
        raise Invalid("Bạn không thể tự khóa hoặc đổi vai trò của chính mình.", code="user.self_change")
    for key, value in changes.items():
        setattr(user, key, value.value if isinstance(value, Role) else value)
    session.flush()
    details = {k: (v.value if isinstance(v, Role) else v) for k, v in changes.items()}
    audit.record(session=session, actor=actor, event=AuditEvent("user.update", "user", user.id, details=details))
    return user


def change_password(*, session: Session, actor: Actor, current: str, new: str) -> None:
    """Change the actor's own password after checking the current one."""
    user = session.get(User, actor.user_id) if actor.user_id else None
    if user is None:
        raise Unauthorized("Bạn cần đăng nhập để đổi mật khẩu.", code="auth.required")
    if not password_matches(user.password_hash, current):
        raise Invalid("Mật khẩu hiện tại không đúng.", code="user.wrong_password")
    _check_password_strength(new)
    if new == current:
        raise Invalid("Mật khẩu mới phải khác mật khẩu hiện tại.", code="user.same_password")
    user.password_hash = hash_password(new)
    user.must_change_password = False
    session.flush()
    audit.record(session=session, actor=actor, event=AuditEvent("user.change_password", "user", user.id))


def unlock_user(*, session: Session, actor: Actor, user_id: int) -> User:
    """Lift a lockout after too many wrong passwords, so the user may try again at once."""
    user = get_manageable_user_or_raise(session=session, actor=actor, user_id=user_id)
    details = {"was_locked": user.lockout_ends is not None}
    user.failed_logins, user.locked_until = 0, None
    session.flush()
    audit.record(session=session, actor=actor, event=AuditEvent("user.unlock", "user", user.id, details=details))
    return user


def password_state(user: User) -> str:
    """A fingerprint of the user's current password (of its salted hash), for a form to name the
    password it means to replace: sent twice, the form finds another one there (`reset_password`)."""
    return _digest(user.password_hash)[:16]


def reset_password(*, session: Session, actor: Actor, user_id: int, replacing: str | None = None) -> tuple[User, str]:
    """Replace a forgotten password with a one-time one, returned once for the manager to hand over.

    The old password stops working, the user's browser sessions end (whoever holds one may be
    why the password is being reset), any lockout is lifted, and the next login must set a
    password of the user's own. `replacing` (`password_state` when the form was shown) refuses a
    second reset from the same form: a reloaded page would otherwise void the password just
    handed over and show another.
    """
    user = get_manageable_user_or_raise(session=session, actor=actor, user_id=user_id)
    if user.id == actor.user_id:
        raise Invalid(
            "Bạn không thể tự đặt lại mật khẩu của mình; hãy dùng trang Đổi mật khẩu (/account/password).",
            code="user.self_reset",
        )
    if replacing is not None and not secrets.compare_digest(replacing.encode(), password_state(user).encode()):
        raise Conflict(
            f"Mật khẩu của {user.username} vừa được đặt lại hoặc đổi, nên lần này không đặt lại nữa: mật khẩu "
            "một lần đã hiện ra lúc đặt lại. Nếu vẫn cần mật khẩu mới, hãy chọn «Đặt lại mật khẩu» lần nữa.",
            code="user.reset_stale",
        )
    one_time = generate_password()
    user.password_hash = hash_password(one_time)
    user.must_change_password = True
    user.failed_logins, user.locked_until = 0, None
    details = {"sessions_ended": _end_web_sessions(session=session, user_id=user.id)}
    session.flush()
    event = AuditEvent("user.reset_password", "user", user.id, details=details)
    audit.record(session=session, actor=actor, event=event)
    return user, one_time


def _end_web_sessions(*, session: Session, user_id: int) -> int:
    """Log a user out of every browser; returns how many sessions ended."""
    owned = WebSession.user_id == user_id
    count = session.scalar(select(func.count()).select_from(WebSession).where(owned)) or 0
    session.execute(delete(WebSession).where(owned))
    return count


def ensure_first_admin(*, session: Session) -> tuple[str, str] | None:
    """Create the first admin if there is none; returns (username, one-time password) once."""
    if session.scalar(select(User.id).where(User.role == Role.ADMIN.value).limit(1)) is not None:
        return None
    data = UserCreate(
        username=FIRST_ADMIN_USERNAME,
        full_name="Quản trị hệ thống",
        role=Role.ADMIN,
        organisation_code="VPUBND",
    )
    _, password = create_user(session=session, actor=SYSTEM, data=data)
    assert password is not None
    return FIRST_ADMIN_USERNAME, password


def actor_for(user: User, *, ip: str | None, via: str, scopes: frozenset[str] | None = None) -> Actor:
    return Actor(
        user_id=user.id,
        username=user.username,
        role=Role(user.role),
        organisation_id=user.organisation_id,
        scopes=scopes if scopes is not None else frozenset({Scope.READ, Scope.WRITE}),
        ip=ip,
        via=via,
        must_change_password=user.must_change_password,
    )


# --- logins and web sessions -----------------------------------------------------------


@dataclass(frozen=True)
class LoginOutcome:
    """A login attempt's result. Failures are returned, not raised, so that the failed
    attempt and its audit entry are committed before the error is shown."""

    user: User | None
    error: MausonError | None = None


def login(
    *, session: Session, username: str, password: str, ip: str | None, max_failures: int, lockout_minutes: int
) -> LoginOutcome:
    """Check a username and password, counting failures and locking after too many."""
    user = session.scalar(select(User).where(User.username == username.strip().lower()))
    now = utcnow()
    attempt = Actor(username=username[:64] or "?", ip=ip, via="web")
    wrong = Unauthorized("Tên đăng nhập hoặc mật khẩu không đúng.", code="auth.invalid_credentials")
    if user is None or not user.is_active:
        audit.record(session=session, actor=attempt, event=AuditEvent("auth.login", outcome="failed"))
        return LoginOutcome(None, wrong)
    if user.lockout_ends:
        audit.record(session=session, actor=attempt, event=AuditEvent("auth.login", "user", user.id, "locked"))
        return LoginOutcome(None, _locked_out(user.lockout_ends))
    if not password_matches(user.password_hash, password):
        user.failed_logins += 1
        if user.failed_logins >= max_failures:
            user.locked_until = now + timedelta(minutes=lockout_minutes)
            user.failed_logins = 0
        session.flush()
        audit.record(session=session, actor=attempt, event=AuditEvent("auth.login", "user", user.id, "failed"))
        return LoginOutcome(None, wrong)
    user.failed_logins, user.locked_until, user.last_login_at = 0, None, now
    session.flush()
    actor = actor_for(user, ip=ip, via="web")
    audit.record(session=session, actor=actor, event=AuditEvent("auth.login", "user", user.id))
    return LoginOutcome(user)


def _locked_out(until: datetime) -> TooManyRequests:
    """The lockout error, with the time on the clock the user reads (the server may run in UTC)."""
    return TooManyRequests(
        f"Tài khoản tạm khóa do đăng nhập sai nhiều lần; thử lại sau {until.astimezone(LOCAL_TZ):%H:%M} "
        "hoặc nhờ quản trị viên mở khóa.",
        code="auth.locked",
        until=until,
    )


def start_web_session(*, session: Session, user: User, ip: str | None, user_agent: str | None, hours: int) -> str:
    """Open a browser session and return the cookie value (only its hash is stored).

    Expired sessions of every user are swept here, so the table does not grow forever.
    """
    session.execute(delete(WebSession).where(WebSession.expires_at <= utcnow()))
    token = secrets.token_urlsafe(32)
    session.add(
        WebSession(
            token_hash=_digest(token),
            user_id=user.id,
            created_at=utcnow(),
            expires_at=utcnow() + timedelta(hours=hours),
            ip=ip,
            user_agent=(user_agent or "")[:300],
        )
    )
    session.flush()
    return token


def actor_from_web_session(*, session: Session, token: str, ip: str | None) -> Actor | None:
    """The actor behind a session cookie, or None when it is unknown, expired or disabled."""
    web = session.scalar(select(WebSession).where(WebSession.token_hash == _digest(token)))
    if web is None or web.expires_at <= utcnow() or not web.user.is_active:
        return None
    return actor_for(web.user, ip=ip, via="web")


def end_web_session(*, session: Session, actor: Actor, token: str) -> None:
    web = session.scalar(select(WebSession).where(WebSession.token_hash == _digest(token)))
    if web is not None:
        session.delete(web)
        audit.record(session=session, actor=actor, event=AuditEvent("auth.logout", "user", web.user_id))
        session.flush()


# --- API tokens ----------------------------------------------------------------------


def create_token(*, session: Session, actor: Actor, data: TokenCreate) -> TokenCreated:
    """Issue a token; its secret is returned now and never again (only a hash is kept)."""
    ensure(actor, "token-create")
    owner_id = data.user_id or actor.user_id
    if owner_id is None:
        raise Invalid("Hãy chỉ rõ người dùng sở hữu token (user_id).", code="token.owner_required")
    owner = get_user_or_raise(session=session, actor=actor, user_id=owner_id)
    ensure(actor, "token-view", ApiToken(user_id=owner.id))
    _check_name_free(session, owner, data.name)
    prefix = secrets.token_hex(4)
    secret = f"{TOKEN_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken(
        user_id=owner.id,
        name=data.name,
        prefix=prefix,
        token_hash=_digest(secret),
        scopes=",".join(sorted({scope.value for scope in data.scopes})),
        created_at=utcnow(),
        expires_at=utcnow() + timedelta(days=data.expires_in_days),
    )
    session.add(token)
    session.flush()
    details = {"name": token.name, "owner": owner.username, "scopes": token.scope_list}
    audit.record(session=session, actor=actor, event=AuditEvent("token.create", "token", token.id, details=details))
    return TokenCreated(token=TokenRead.model_validate(token), secret=secret)


def _check_name_free(session: Session, owner: User, name: str) -> None:
    """A user's live tokens have distinct names: the list tells them apart by name, and a reloaded
    «Tạo token» page would otherwise issue a second token whose secret nobody saw."""
    live = select(ApiToken.id).where(
        ApiToken.user_id == owner.id,
        ApiToken.name == name,
        ApiToken.revoked_at.is_(None),
        ApiToken.expires_at > utcnow(),
    )
    if session.scalar(live) is not None:
        raise Conflict(
            f"{owner.username} đã có token tên «{name}» còn hiệu lực; secret của nó chỉ hiện một lần, lúc tạo. "
            "Hãy đặt tên khác, hoặc thu hồi token cũ rồi tạo lại.",
            code="token.name_taken",
        )


def list_tokens(*, session: Session, actor: Actor) -> list[ApiToken]:
    """Tokens the actor owns (admins: every token), newest first."""
    ensure(actor, "token-create")
    tokens = list(session.scalars(visible_tokens(select(ApiToken), actor).order_by(ApiToken.id.desc())))
    audit.record(session=session, actor=actor, event=AuditEvent("token.list", "token", details={"count": len(tokens)}))
    return tokens


def get_token_or_raise(*, session: Session, actor: Actor, token_id: int) -> ApiToken:
    """One token `actor` may revoke (their own; admins: any); otherwise 404."""
    ensure(actor, "token-revoke")
    token = session.scalar(visible_tokens(select(ApiToken).where(ApiToken.id == token_id), actor))
    if token is None:
        raise NotFound(f"Không tìm thấy token số {token_id}. Xem danh sách tại /tokens.", code="token.not_found")
    return token


def revoke_token(*, session: Session, actor: Actor, token_id: int) -> ApiToken:
    token = get_token_or_raise(session=session, actor=actor, token_id=token_id)
    if token.revoked_at is not None:
        raise Conflict("Token này đã bị thu hồi trước đó.", code="token.already_revoked")
    token.revoked_at = utcnow()
    session.flush()
    audit.record(session=session, actor=actor, event=AuditEvent("token.revoke", "token", token.id))
    return token


def actor_from_api_token(*, session: Session, secret: str, ip: str | None) -> Actor:
    """The actor a bearer token stands for; unknown, expired and revoked tokens are refused."""
    token = session.scalar(select(ApiToken).where(ApiToken.token_hash == _digest(secret)))
    if token is None:
        raise Unauthorized("Token API không hợp lệ.", code="auth.invalid_token")
    if token.revoked_at is not None:
        raise Unauthorized("Token API đã bị thu hồi; hãy tạo token mới.", code="auth.token_revoked")
    if token.expires_at <= utcnow():
        raise Unauthorized("Token API đã hết hạn; hãy tạo token mới.", code="auth.token_expired")
    if not token.user.is_active:
        raise Unauthorized("Tài khoản sở hữu token đã bị khóa.", code="auth.user_inactive")
    token.last_used_at = utcnow()
    return actor_for(token.user, ip=ip, via="api", scopes=frozenset(token.scope_list))
