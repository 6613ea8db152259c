"""The documentation keeps up with the code: every setting and every command is described."""

from __future__ import annotations

from pathlib import Path

import typer

from mauson.cli import app
from mauson.settings import Settings

DOCS = Path(__file__).resolve().parent.parent / "docs"


def _commands(typer_app: typer.Typer, prefix: str = "mauson") -> list[str]:
    names = [f"{prefix} {c.name or (c.callback.__name__ if c.callback else '')}" for c in typer_app.registered_commands]
    for group in typer_app.registered_groups:
        assert group.typer_instance is not None
        names += _commands(group.typer_instance, f"{prefix} {group.name}")
    return names


def test_every_setting_is_documented() -> None:
    text = (DOCS / "settings.md").read_text("utf-8")
    missing = [f"MAUSON_{name.upper()}" for name in Settings.model_fields if f"MAUSON_{name.upper()}" not in text]
    assert not missing


def test_every_setting_has_a_description() -> None:
    assert all(field.description for field in Settings.model_fields.values())


def test_every_command_is_documented_with_an_example() -> None:
    text = (DOCS / "cli.md").read_text("utf-8")
    commands = _commands(app)
    assert "mauson users create" in commands and "mauson audit verify" in commands
    assert not [c for c in commands if f"`{c}" not in text]
