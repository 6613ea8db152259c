"""Every permission in the platform: named actions, and one rule per resource kind.

A rule called with no resource answers "may the actor do this to some resource of
that kind?", which is what a list or a route checks before it looks anything up.

`allowed()` answers a single check, `ensure()` raises `Forbidden`, and `visible()`
adds the matching WHERE clause to a list query, so lists and detail pages can never
disagree about who may see what (a hidden record answers 404, not 403).
Later modules add their actions to `RULES`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import Select, false

from mauson.errors import Forbidden, Unauthorized
from mauson.identity.models import Actor, ApiToken, Role, User

Rule = Callable[[Actor, Any], bool]
Query = TypeVar("Query", bound=Select[Any])


def _anyone(actor: Actor, resource: Any) -> bool:
    return True


def _authenticated(actor: Actor, resource: Any) -> bool:
    return actor.is_authenticated


def _admin(actor: Actor, resource: Any) -> bool:
    return actor.is_admin


def _manages_user(actor: Actor, user: User | None) -> bool:
    """Admins manage everyone; agency admins manage their own organisation's non-admins."""
    if actor.is_admin:
        return True
    if actor.role != Role.AGENCY_ADMIN:
        return False
    return user is None or (user.organisation_id == actor.organisation_id and user.role != Role.ADMIN)


def _sees_user(actor: Actor, user: User | None) -> bool:
    """Managers see whom they manage; everyone signed in sees themself."""
    if _manages_user(actor, user):
        return True
    return actor.is_authenticated and (user is None or user.id == actor.user_id)


def _owns_token(actor: Actor, token: ApiToken | None) -> bool:
    if actor.is_admin:
        return True
    return actor.is_authenticated and (token is None or token.user_id == actor.user_id)


def _staff(actor: Actor, resource: Any) -> bool:
    """Officers and the roles above them (not viewers or editors)."""
    return actor.role in (Role.ADMIN, Role.AGENCY_ADMIN, Role.OFFICER)


def _agency_admin_or_admin(actor: Actor, resource: Any) -> bool:
    return actor.role in (Role.ADMIN, Role.AGENCY_ADMIN)


def _edits_dataset(actor: Actor, dataset: Any) -> bool:
    """Admins; and officers, editors and agency admins of the dataset's publishing organisation."""
    if actor.is_admin:
        return True
    if actor.role not in (Role.AGENCY_ADMIN, Role.OFFICER, Role.EDITOR):
        return False
    return dataset is None or dataset.organisation_id == actor.organisation_id


RULES: dict[str, Rule] = {
    "org-view": _anyone,
    "user-view": _sees_user,
    "user-list": _manages_user,
    "user-create": _manages_user,
    "user-update": _manages_user,
    "token-create": _authenticated,
    "token-view": _owns_token,
    "token-revoke": _owns_token,
    "audit-view": _admin,
    "privacy-scan": _authenticated,
    "assistant-review": _staff,
    "privacy-decrypt": _agency_admin_or_admin,
    # datahub
    "dataset-edit": _edits_dataset,
    "dataset-publish": _edits_dataset,
    # petitions
    "petition-submit": _anyone,
    "petition-view": _staff,
    "petition-work": _staff,
    "petition-notifiers": _agency_admin_or_admin,
}

DENIED_MESSAGES: dict[str, str] = {
    "user-list": "Chỉ quản trị viên mới xem được danh sách người dùng.",
    "user-create": "Chỉ quản trị viên mới tạo được tài khoản.",
    "user-update": "Chỉ quản trị viên mới sửa được tài khoản này.",
    "audit-view": "Chỉ quản trị hệ thống mới xem được nhật ký kiểm toán.",
    "privacy-decrypt": "Chỉ quản trị viên cơ quan trở lên mới được giải mã dữ liệu cá nhân.",
}


def allowed(actor: Actor, action: str, resource: Any = None) -> bool:
    """May `actor` perform `action` on `resource` (None: on the kind in general)?"""
    if action not in RULES:
        raise KeyError(f"unknown action {action!r}: register it in mauson.identity.actions.RULES")
    return RULES[action](actor, resource)


def ensure(actor: Actor, action: str, resource: Any = None) -> None:
    """Raise `Unauthorized` for an anonymous actor, `Forbidden` for a known one, unless `allowed()`."""
    if allowed(actor, action, resource):
        return
    if not actor.is_authenticated:
        raise Unauthorized("Bạn cần đăng nhập để thực hiện thao tác này.", code="auth.required")
    message = DENIED_MESSAGES.get(action, "Bạn không có quyền thực hiện thao tác này.")
    raise Forbidden(message, code=f"{action}.forbidden")


def visible_users(stmt: Query, actor: Actor) -> Query:
    """Restrict a query over `User` to the users `actor` may see."""
    if actor.is_admin:
        return stmt
    if actor.role == Role.AGENCY_ADMIN:
        return stmt.where(User.organisation_id == actor.organisation_id, User.role != Role.ADMIN)
    if actor.is_authenticated:
        return stmt.where(User.id == actor.user_id)
    return stmt.where(false())


def visible_tokens(stmt: Query, actor: Actor) -> Query:
    """Restrict a query over `ApiToken` to the tokens `actor` may see."""
    if actor.is_admin:
        return stmt
    if actor.is_authenticated:
        return stmt.where(ApiToken.user_id == actor.user_id)
    return stmt.where(false())
