"""`mauson users`, `mauson tokens`, `mauson orgs`: manage accounts from the server console."""

from __future__ import annotations

from typing import Annotated

import typer

from mauson.console import operator, state
from mauson.db import LOCAL_TZ
from mauson.identity import service
from mauson.identity.models import Role, Scope, TokenCreate, User, UserCreate

users_app = typer.Typer(help="Tài khoản người dùng (users).", no_args_is_help=True)
tokens_app = typer.Typer(help="Token API (tokens).", no_args_is_help=True)
orgs_app = typer.Typer(help="Cơ quan, đơn vị (organisations).", no_args_is_help=True)
UsernameArg = Annotated[str, typer.Argument(help="Tên đăng nhập, xem `mauson users list`")]


@users_app.command("create")
def create_user(
    ctx: typer.Context,
    username: Annotated[str, typer.Argument(help="Tên đăng nhập: chữ thường không dấu, số, . _ -")],
    full_name: Annotated[str, typer.Option("--full-name", help="Họ và tên")],
    org: Annotated[str, typer.Option("--org", help="Mã cơ quan, xem `mauson orgs list`")],
    role: Annotated[Role, typer.Option("--role", help="Vai trò")] = Role.VIEWER,
    email: Annotated[str | None, typer.Option("--email", help="Thư điện tử")] = None,
) -> None:
    """Create a user and print their one-time password (shown only now).

    Example: mauson users create nguyenvana --full-name "Nguyễn Văn A" --org SNV --role officer
    """
    data = UserCreate(username=username, full_name=full_name, organisation_code=org, role=role, email=email)
    with state(ctx).database.unit_of_work() as session:
        user, password = service.create_user(session=session, actor=operator(), data=data)
        typer.echo(f"Đã tạo tài khoản {user.username} ({role.value}, {org}).")
        typer.echo(f"Mật khẩu một lần (chỉ hiện lần này): {password}")


@users_app.command("list")
def list_users(ctx: typer.Context) -> None:
    """List every user with role, organisation and status.

    Example: mauson users list
    """
    with state(ctx).database.unit_of_work() as session:
        for user in service.list_users(session=session, actor=operator()):
            typer.echo(f"{user.id:>4}  {user.username:<24} {user.role:<13} {user.organisation.code:<8} {_status(user)}")


def _status(user: User) -> str:
    """An account's state as `users list` prints it, with a lockout's end on the province's clock."""
    if not user.is_active:
        return "đã khóa"
    if user.lockout_ends:
        return f"tạm khóa đăng nhập đến {user.lockout_ends.astimezone(LOCAL_TZ):%H:%M}"
    return "hoạt động"


@users_app.command("unlock")
def unlock_user(ctx: typer.Context, username: UsernameArg) -> None:
    """Let a user locked out by wrong passwords log in again now, with their current password.

    Example: mauson users unlock nguyenvana
    """
    with state(ctx).database.unit_of_work() as session:
        user = service.get_user_by_username_or_raise(session=session, actor=operator(), username=username)
        service.unlock_user(session=session, actor=operator(), user_id=user.id)
        typer.echo(f"Đã mở khóa đăng nhập cho {username}; số lần nhập sai được đặt lại về 0.")


@users_app.command("reset-password")
def reset_password(ctx: typer.Context, username: UsernameArg) -> None:
    """Give a user who forgot their password a one-time one (shown only now), to change at next login.

    Example: mauson users reset-password nguyenvana
    """
    with state(ctx).database.unit_of_work() as session:
        user = service.get_user_by_username_or_raise(session=session, actor=operator(), username=username)
        _, password = service.reset_password(session=session, actor=operator(), user_id=user.id)
        typer.echo(f"Đã đặt lại mật khẩu của {username}; người dùng phải đổi mật khẩu khi đăng nhập.")
        typer.echo(f"Mật khẩu một lần (chỉ hiện lần này): {password}")


@tokens_app.command("create")
def create_token(
    ctx: typer.Context,
    user: Annotated[str, typer.Option("--user", help="Tên đăng nhập của người sở hữu token")],
    name: Annotated[str, typer.Option("--name", help="Token dùng vào việc gì")],
    scope: Annotated[list[Scope], typer.Option("--scope", help="read (mặc định) và/hoặc write")] = [Scope.READ],  # noqa: B006
    days: Annotated[int, typer.Option("--days", min=1, max=730, help="Số ngày có hiệu lực")] = 90,
) -> None:
    """Issue an API token for a user and print it (shown only now).

    Example: mauson tokens create --user admin --name "đồng bộ dữ liệu" --scope read --days 30
    """
    with state(ctx).database.unit_of_work() as session:
        owner = service.get_user_by_username_or_raise(session=session, actor=operator(), username=user)
        data = TokenCreate(name=name, scopes=scope, expires_in_days=days, user_id=owner.id)
        created = service.create_token(session=session, actor=operator(), data=data)
        typer.echo(
            f"Token số {created.token.id} cho {user}, quyền {','.join(created.token.scopes)}, "
            f"hết hạn {created.token.expires_at:%d/%m/%Y}:"
        )
        typer.echo(created.secret)


@tokens_app.command("revoke")
def revoke_token(ctx: typer.Context, token_id: Annotated[int, typer.Argument(help="Số của token")]) -> None:
    """Revoke a token at once; clients using it get 401 from then on.

    Example: mauson tokens revoke 3
    """
    with state(ctx).database.unit_of_work() as session:
        service.revoke_token(session=session, actor=operator(), token_id=token_id)
        typer.echo(f"Đã thu hồi token số {token_id}.")


@orgs_app.command("list")
def list_organisations(ctx: typer.Context) -> None:
    """List the organisation tree: code, kind and name.

    Example: mauson orgs list
    """
    with state(ctx).database.unit_of_work() as session:
        for org in service.list_organisations(session=session):
            typer.echo(f"{org.code:<8} {org.kind:<11} {org.name}")
