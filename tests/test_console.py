"""The command line as an operator meets it on a new server."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from mauson.cli import app as cli_app
from mauson.console import CliState
from mauson.db import Database
from mauson.settings import Settings


def test_a_command_run_before_the_database_is_made_says_how_to_make_it(settings: Settings, tmp_path: Path) -> None:
    """`mauson ask` on a data dir without `mauson db upgrade` had printed a page of SQL traceback."""
    fresh = Database(f"sqlite:///{tmp_path / 'new.db'}")
    result = CliRunner().invoke(cli_app, ["ask", "làm giấy khai sinh cần gì"], obj=CliState(settings, fresh))
    assert result.exit_code == 1
    assert "mauson db upgrade" in result.output and "Traceback" not in result.output
    assert str(tmp_path / "new.db") in result.output, "names the database it looked in"


def test_retraining_before_the_database_is_made_writes_no_model(settings: Settings, tmp_path: Path) -> None:
    fresh, model = Database(f"sqlite:///{tmp_path / 'new.db'}"), tmp_path / "model.npz.gz"
    args = ["petitions", "train", "--no-corrections", "--output", str(model)]
    result = CliRunner().invoke(cli_app, args, obj=CliState(settings, fresh))
    assert result.exit_code == 1 and "mauson db upgrade" in result.output
    assert not model.exists(), "the model is written only once the run can finish"
