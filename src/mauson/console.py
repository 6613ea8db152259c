"""What every module's CLI sub-command shares: the state it runs with and how it fails.

The root command (`mauson.cli`) builds a `CliState` from the settings and puts it in
`ctx.obj`; sub-commands take it with `state(ctx)`. Domain errors end the command
with one Vietnamese line on stderr and exit status 1.
"""

from __future__ import annotations

import getpass
import json
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import typer
from sqlalchemy.exc import OperationalError, ProgrammingError
from typer.core import TyperGroup

from mauson.db import Database
from mauson.errors import Invalid, MausonError
from mauson.identity.models import Actor, Role
from mauson.search.service import SearchIndex, open_index
from mauson.settings import Settings


@dataclass
class CliState:
    settings: Settings
    _database: Database | None = field(default=None, repr=False)

    @cached_property
    def database(self) -> Database:
        return self._database or Database(self.settings.effective_database_url)

    @cached_property
    def search(self) -> SearchIndex:
        """The search index in the data dir (opened on first use)."""
        return open_index(self.settings.data_dir / "search")


def state(ctx: typer.Context) -> CliState:
    obj = ctx.find_root().obj
    if not isinstance(obj, CliState):
        raise RuntimeError("the root `mauson` command sets up the CLI state")
    return obj


def operator() -> Actor:
    """The person at the server's console: trusted as an administrator, audited by OS user."""
    try:
        name = getpass.getuser()
    except (KeyError, OSError):
        name = "unknown"
    return Actor(username=f"cli:{name}"[:64], role=Role.ADMIN, via="cli", ip="local")


def fail(message: str) -> typer.Exit:
    """Print `message` as the command's one error line and return the exit to raise."""
    typer.echo(f"Lỗi: {message}", err=True)
    return typer.Exit(1)


NO_SCHEMA = (
    "Cơ sở dữ liệu ở {url} chưa được tạo hoặc chưa được cập nhật. Hãy chạy `mauson db upgrade` "
    "(hoặc `make run`, làm cả việc đó), rồi chạy lại lệnh này."
)
# What a database without the tables or columns of this version says: SQLite in words, PostgreSQL by
# SQLSTATE (undefined table, undefined column).
MISSING_IN_SQLITE = ("no such table", "no such column")
MISSING_IN_POSTGRESQL = ("42P01", "42703")


class MausonGroup(TyperGroup):
    """The root command group: any domain error in any sub-command becomes one line and exit 1,
    and so does a command run on a database without this version's tables or columns (a data dir
    before its first `mauson db upgrade`, or after an update not yet applied), which had ended in a
    page of SQL traceback."""

    def invoke(self, ctx: Any) -> Any:  # Typer vendors click; its Context type is private
        try:
            return super().invoke(ctx)
        except MausonError as error:
            raise fail(error.message) from None
        except (OperationalError, ProgrammingError) as error:
            if not _schema_behind(error) or ctx.invoked_subcommand == "db":  # the upgrade's own failure is its own
                raise
            cli = ctx.obj
            url = cli.database.engine.url.render_as_string(hide_password=True) if isinstance(cli, CliState) else ""
            raise fail(NO_SCHEMA.format(url=url)) from None


def _schema_behind(error: OperationalError | ProgrammingError) -> bool:
    """Whether the database lacks a table or a column this version reads: never made, or not upgraded."""
    said = str(error.orig)
    return any(words in said for words in MISSING_IN_SQLITE) or getattr(error.orig, "sqlstate", None) in (
        MISSING_IN_POSTGRESQL
    )


def jsonl_record(raw: bytes, number: int, text_field: str) -> dict[str, Any]:
    """One line of a JSON Lines batch as `{"id": ..., text_field: "..."}`, or `Invalid` naming the line."""
    try:
        record = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise Invalid(f"Dòng {number} không phải JSON UTF-8 hợp lệ.", code="jsonl.invalid") from error
    if not isinstance(record, dict) or not _usable_id(record.get("id")) or not isinstance(record.get(text_field), str):
        shape = f'{{"id": "...", "{text_field}": "..."}}'
        raise Invalid(f"Dòng {number} phải có dạng {shape} (id là chuỗi hoặc số).", code="jsonl.invalid")
    return record


def jsonl_id(raw: bytes) -> str | int | float | None:
    """The id of a line that is no valid record, where it is JSON with one an output line can be
    matched by, so that the line's error still says which it is; None otherwise."""
    try:
        record = json.loads(raw.decode("utf-8-sig"))
    except ValueError:  # UnicodeDecodeError and JSONDecodeError both are
        return None
    ref = record.get("id") if isinstance(record, dict) else None
    return ref if _usable_id(ref) else None


def _usable_id(value: object) -> bool:
    """An id an output line can be matched by: a non-empty string or a number (null, an object or
    true cannot tell one line from another)."""
    if isinstance(value, bool):
        return False
    return isinstance(value, int | float) or (isinstance(value, str) and bool(value.strip()))
