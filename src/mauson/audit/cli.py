"""`mauson audit`: check the audit log's hash chain from the server console."""

from __future__ import annotations

import typer

from mauson.audit import service
from mauson.console import fail, state

audit_app = typer.Typer(help="Nhật ký kiểm toán (audit).", no_args_is_help=True)


@audit_app.command("verify")
def verify(ctx: typer.Context) -> None:
    """Check every entry's hash and link; name the first broken entry and exit 1 if any.

    Example: mauson audit verify
    """
    with state(ctx).database.unit_of_work() as session:
        report = service.verify(session=session)
    if not report.ok:
        raise fail(f"chuỗi nhật ký bị phá vỡ tại mục {report.broken_id}: {report.reason}.")
    typer.echo(f"Chuỗi nhật ký nguyên vẹn: {report.checked} mục.")
