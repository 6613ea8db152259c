"""The `mauson` command. Each module adds its own sub-command here.

Example: mauson db upgrade && mauson demo load && mauson serve
"""

from __future__ import annotations

import json
from typing import Annotated

import typer
import uvicorn

from mauson.app import create_app
from mauson.assistant import laws, procedures
from mauson.assistant.cli import ask_command, laws_app, procedures_app
from mauson.assistant.service import reindex_procedures
from mauson.audit.cli import audit_app
from mauson.console import CliState, MausonGroup, operator, state
from mauson.datahub import demo as datahub_demo
from mauson.datahub.cli import datasets_app
from mauson.identity import service as identity
from mauson.identity.cli import orgs_app, tokens_app, users_app
from mauson.petitions import demo as petitions_demo
from mauson.petitions.classifier import model_in_use
from mauson.petitions.cli import petitions_app
from mauson.privacy.cli import pii_app
from mauson.settings import get_settings
from mauson.vntext.cli import vntext_app

app = typer.Typer(cls=MausonGroup, help="Mẫu Sơn – nền tảng trí tuệ nhân tạo của tỉnh Lạng Sơn.", no_args_is_help=True)
db_app = typer.Typer(help="Cơ sở dữ liệu (database).", no_args_is_help=True)
config_app = typer.Typer(help="Cấu hình (settings).", no_args_is_help=True)
demo_app = typer.Typer(help="Dữ liệu mẫu (demo data).", no_args_is_help=True)

for name, sub in [
    ("db", db_app),
    ("config", config_app),
    ("demo", demo_app),
    ("users", users_app),
    ("tokens", tokens_app),
    ("orgs", orgs_app),
    ("audit", audit_app),
    ("pii", pii_app),
    ("procedures", procedures_app),
    ("laws", laws_app),
    ("datasets", datasets_app),
    ("petitions", petitions_app),
    ("vntext", vntext_app),
]:
    app.add_typer(sub, name=name)


app.command("ask")(ask_command)


@app.callback()
def root(ctx: typer.Context) -> None:
    """Build the settings once (environment, mauson.toml) for every sub-command."""
    if ctx.obj is None:
        ctx.obj = CliState(get_settings())


@app.command()
def serve(
    ctx: typer.Context,
    host: Annotated[str | None, typer.Option(help="Địa chỉ lắng nghe (mặc định theo cấu hình)")] = None,
    port: Annotated[int | None, typer.Option(help="Cổng (mặc định theo cấu hình)")] = None,
) -> None:
    """Serve the web pages and the API.

    Example: mauson serve --host 127.0.0.1 --port 8000
    """
    cli = state(ctx)
    application = create_app(cli.settings, cli.database)
    bind_host, bind_port = host or cli.settings.host, port or cli.settings.port
    typer.echo(f"Mẫu Sơn đang chạy tại http://{bind_host}:{bind_port}  (Ctrl+C để dừng)")
    uvicorn.run(application, host=bind_host, port=bind_port, log_level="info", proxy_headers=True)


@db_app.command("upgrade")
def db_upgrade(ctx: typer.Context) -> None:
    """Apply migrations, seed the organisation tree, create the first admin if none exists.

    Example: mauson db upgrade
    """
    cli = state(ctx)
    cli.database.upgrade()
    with cli.database.unit_of_work() as session:
        changed = identity.seed_organisations(session=session)
        first_admin = identity.ensure_first_admin(session=session)
    typer.echo(
        f"Cơ sở dữ liệu đã được cập nhật lên phiên bản mới nhất ({cli.database.engine.dialect.name}); "
        f"{changed} cơ quan được thêm hoặc cập nhật."
    )
    if first_admin:
        username, password = first_admin
        typer.echo("")
        typer.echo("Đã tạo tài khoản quản trị đầu tiên. Mật khẩu chỉ hiện MỘT LẦN này:")
        typer.echo(f"    tên đăng nhập: {username}")
        typer.echo(f"    mật khẩu:      {password}")
        typer.echo("Hãy đăng nhập và đổi mật khẩu ngay.")
        typer.echo("")


@config_app.command("show")
def config_show(ctx: typer.Context) -> None:
    """Print the effective settings as JSON, secrets hidden.

    Example: mauson config show
    """
    typer.echo(json.dumps(state(ctx).settings.public_view(), ensure_ascii=False, indent=2))


@demo_app.command("load")
def demo_load(ctx: typer.Context) -> None:
    """Load the bundled demo data (accounts, procedures, a law, datasets, petitions); safe to run again.

    Example: mauson demo load
    """
    with state(ctx).database.unit_of_work() as session:
        identity.seed_organisations(session=session)
        created = identity.load_demo_users(session=session, actor=operator())
        report = procedures.import_catalogue(session=session, actor=operator(), lines=procedures.demo_lines())
        if report.created or report.updated or not state(ctx).search.count("procedure"):
            reindex_procedures(session=session, index=state(ctx).search)
        law_report = laws.import_laws(session=session, actor=operator(), files=laws.law_files(laws.demo_directory()))
        if law_report.created or law_report.updated or not state(ctx).search.count("law"):
            laws.reindex_laws(session=session, index=state(ctx).search)
        datahub_demo.load(session=session, actor=operator(), settings=state(ctx).settings)
        model = model_in_use(state(ctx).settings.data_dir)
        petitions = petitions_demo.load(session=session, actor=operator(), model=model)
    if not created and not report.created and not report.updated:
        typer.echo("Dữ liệu mẫu đã có sẵn.")
    for username, password in created:
        typer.echo(f"Tài khoản mẫu {username}: mật khẩu một lần {password}")
    if report.created or report.updated:
        typer.echo(f"Thủ tục hành chính mẫu: {report.created} thêm mới, {report.updated} cập nhật.")
    if petitions:
        typer.echo(f"Phản ánh mẫu: {petitions} phản ánh đã được tiếp nhận và phân loại.")


def main() -> None:
    """Entry point of the `mauson` script."""
    app()
