"""JSON API for organisations, users and API tokens (`/api/v1`)."""

from __future__ import annotations

from fastapi import APIRouter

from mauson.errors import Unauthorized
from mauson.identity import service
from mauson.identity.models import (
    MeRead,
    OrganisationRead,
    PasswordReset,
    TokenCreate,
    TokenCreated,
    TokenRead,
    UserCreate,
    UserCreated,
    UserRead,
    UserUpdate,
)
from mauson.web.deps import ActorDep, SessionDep

router = APIRouter(prefix="/api/v1", tags=["identity"])


@router.get("/me", response_model=MeRead, summary="Who am I (the caller's identity)")
def me(actor: ActorDep) -> MeRead:
    if not actor.is_authenticated:
        raise Unauthorized("Chưa đăng nhập: gửi tiêu đề 'Authorization: Bearer <token>'.", code="auth.required")
    return MeRead(
        username=actor.username,
        role=actor.role,
        organisation_id=actor.organisation_id,
        scopes=sorted(actor.scopes),
        via=actor.via,
    )


@router.get("/organisations", response_model=list[OrganisationRead], summary="Organisation tree (public)")
def list_organisations(session: SessionDep, actor: ActorDep) -> list[OrganisationRead]:
    return [OrganisationRead.model_validate(o) for o in service.list_organisations(session=session)]


@router.get("/organisations/{code}", response_model=OrganisationRead, summary="One organisation by code")
def get_organisation(code: str, session: SessionDep, actor: ActorDep) -> OrganisationRead:
    return OrganisationRead.model_validate(service.get_organisation_or_raise(session=session, code=code))


@router.get("/users", response_model=list[UserRead], summary="Users the caller manages")
def list_users(session: SessionDep, actor: ActorDep) -> list[UserRead]:
    return [UserRead.model_validate(u) for u in service.list_users(session=session, actor=actor)]


@router.post("/users", response_model=UserCreated, status_code=201, summary="Create a user")
def create_user(data: UserCreate, session: SessionDep, actor: ActorDep) -> UserCreated:
    user, one_time = service.create_user(session=session, actor=actor, data=data)
    return UserCreated(user=UserRead.model_validate(user), one_time_password=one_time)


@router.get("/users/{user_id}", response_model=UserRead, summary="One user")
def get_user(user_id: int, session: SessionDep, actor: ActorDep) -> UserRead:
    return UserRead.model_validate(service.get_user_or_raise(session=session, actor=actor, user_id=user_id))


@router.patch("/users/{user_id}", response_model=UserRead, summary="Change a user's name, role or status")
def update_user(user_id: int, data: UserUpdate, session: SessionDep, actor: ActorDep) -> UserRead:
    return UserRead.model_validate(service.update_user(session=session, actor=actor, user_id=user_id, data=data))


@router.post("/users/{user_id}/unlock", response_model=UserRead, summary="Lift a lockout after wrong passwords")
def unlock_user(user_id: int, session: SessionDep, actor: ActorDep) -> UserRead:
    return UserRead.model_validate(service.unlock_user(session=session, actor=actor, user_id=user_id))


@router.post(
    "/users/{user_id}/password-reset",
    response_model=PasswordReset,
    summary="Replace a forgotten password with a one-time one (shown once; must be changed at next login)",
)
def reset_password(user_id: int, session: SessionDep, actor: ActorDep) -> PasswordReset:
    user, one_time = service.reset_password(session=session, actor=actor, user_id=user_id)
    return PasswordReset(user=UserRead.model_validate(user), one_time_password=one_time)


@router.get("/tokens", response_model=list[TokenRead], summary="The caller's API tokens (admins: all)")
def list_tokens(session: SessionDep, actor: ActorDep) -> list[TokenRead]:
    return [TokenRead.model_validate(t) for t in service.list_tokens(session=session, actor=actor)]


@router.post("/tokens", response_model=TokenCreated, status_code=201, summary="Issue a token (secret shown once)")
def create_token(data: TokenCreate, session: SessionDep, actor: ActorDep) -> TokenCreated:
    return service.create_token(session=session, actor=actor, data=data)


@router.delete("/tokens/{token_id}", response_model=TokenRead, summary="Revoke a token")
def revoke_token(token_id: int, session: SessionDep, actor: ActorDep) -> TokenRead:
    return TokenRead.model_validate(service.revoke_token(session=session, actor=actor, token_id=token_id))
