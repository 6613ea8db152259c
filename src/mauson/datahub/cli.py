"""`mauson datasets ...` (work in progress)."""

from __future__ import annotations

import typer

datasets_app = typer.Typer(help="Kho dữ liệu (datasets).", no_args_is_help=True)
