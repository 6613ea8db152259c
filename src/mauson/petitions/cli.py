"""`mauson petitions ...` (work in progress)."""

from __future__ import annotations

import typer

petitions_app = typer.Typer(help="Phản ánh, kiến nghị (petitions).", no_args_is_help=True)
