"""Identity tables and the schemas the API reads and writes.

`Actor` is who is acting on a request or a command: a logged-in user, a machine
holding an API token, the CLI operator, or an anonymous citizen.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mauson.db import Base, UTCDateTime, utcnow


class Role(StrEnum):
    """What a user may do; each role includes nothing implicitly, see `actions.py`."""

    ADMIN = "admin"
    AGENCY_ADMIN = "agency_admin"
    OFFICER = "officer"
    EDITOR = "editor"
    VIEWER = "viewer"


ROLE_LABELS: dict[Role, str] = {
    Role.ADMIN: "Quản trị hệ thống",
    Role.AGENCY_ADMIN: "Quản trị cơ quan",
    Role.OFFICER: "Cán bộ xử lý",
    Role.EDITOR: "Biên tập viên",
    Role.VIEWER: "Người xem",
}


class Scope(StrEnum):
    """What an API token may do on top of its owner's role: read only, or also write."""

    READ = "read"
    WRITE = "write"


class Organisation(Base):
    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(32))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    unit_name: Mapped[str | None] = mapped_column(String(200))

    parent: Mapped[Organisation | None] = relationship(remote_side=[id])


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(32))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    organisation: Mapped[Organisation] = relationship()

    @property
    def lockout_ends(self) -> datetime | None:
        """When a lockout after too many wrong passwords ends; None when the user may log in."""
        return self.locked_until if self.locked_until and self.locked_until > utcnow() else None


class ApiToken(Base):
    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    prefix: Mapped[str] = mapped_column(String(16), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    scopes: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= utcnow()

    @property
    def scope_list(self) -> list[str]:
        return [s for s in self.scopes.split(",") if s]


class WebSession(Base):
    """A browser login; the cookie holds a random token whose SHA-256 is stored here."""

    __tablename__ = "web_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ip: Mapped[str | None] = mapped_column(String(64))
    user_agent: Mapped[str | None] = mapped_column(String(300))

    user: Mapped[User] = relationship()


@dataclass(frozen=True)
class Actor:
    """Who acts, and from where: every permission check and audit entry starts here."""

    user_id: int | None = None
    username: str = "anonymous"
    role: Role | None = None
    organisation_id: int | None = None
    scopes: frozenset[str] = field(default_factory=lambda: frozenset({Scope.READ, Scope.WRITE}))
    ip: str | None = None
    via: str = "web"
    must_change_password: bool = False

    @property
    def is_authenticated(self) -> bool:
        return self.role is not None

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    def from_address(self, ip: str | None, via: str) -> Actor:
        """The same actor seen at another address or through another channel."""
        return Actor(
            user_id=self.user_id,
            username=self.username,
            role=self.role,
            organisation_id=self.organisation_id,
            scopes=self.scopes,
            ip=ip,
            via=via,
            must_change_password=self.must_change_password,
        )


ANONYMOUS = Actor()


class OrganisationRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    code: str
    name: str
    kind: str
    parent_id: int | None
    unit_name: str | None


class UserCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    username: str = Field(min_length=3, max_length=64, pattern=r"^[a-z0-9][a-z0-9._-]*$")
    full_name: str = Field(min_length=1, max_length=200)
    email: str | None = Field(default=None, max_length=200)
    role: Role = Role.VIEWER
    organisation_code: str = Field(min_length=1, max_length=32)
    password: str | None = Field(
        default=None, min_length=10, max_length=200, description="Left empty: a one-time password is generated."
    )


class UserUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    full_name: str | None = Field(default=None, min_length=1, max_length=200)
    email: str | None = Field(default=None, max_length=200)
    role: Role | None = None
    is_active: bool | None = None


class UserRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    username: str
    full_name: str
    email: str | None
    role: Role
    organisation_id: int
    is_active: bool
    must_change_password: bool
    locked_until: datetime | None = Field(description="Set while logins are refused after too many wrong passwords.")
    last_login_at: datetime | None
    created_at: datetime


class UserCreated(BaseModel):
    """A new user and, when the platform generated it, the one-time password (shown once)."""

    user: UserRead
    one_time_password: str | None


class PasswordReset(BaseModel):
    """A user whose password a manager reset, and the one-time password to hand over (shown once)."""

    user: UserRead
    one_time_password: str


class TokenCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=100)
    scopes: list[Scope] = Field(default_factory=lambda: [Scope.READ], min_length=1)
    expires_in_days: int = Field(default=90, ge=1, le=730)
    user_id: int | None = Field(default=None, description="Admins may create a token for another user.")


class TokenRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    user_id: int
    name: str
    prefix: str
    scopes: list[str] = Field(validation_alias="scope_list")
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None
    last_used_at: datetime | None


class TokenCreated(BaseModel):
    """The token record and its secret value, which is never shown again."""

    token: TokenRead
    secret: str


class MeRead(BaseModel):
    username: str
    role: str | None
    organisation_id: int | None
    scopes: list[str]
    via: str
