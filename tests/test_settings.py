"""Settings come from arguments, then MAUSON_* variables, then mauson.toml, then defaults."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from mauson.settings import Settings, get_settings


def test_defaults_put_everything_in_var_with_sqlite(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    settings = get_settings()
    assert settings.data_dir == Path("var")
    assert settings.effective_database_url == f"sqlite:///{tmp_path / 'var' / 'mauson.db'}"


def test_environment_beats_the_toml_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "mauson.toml"
    config.write_text('port = 9000\nhost = "0.0.0.0"\nllm_model = "qwen"\n')
    monkeypatch.setenv("MAUSON_CONFIG", str(config))
    monkeypatch.setenv("MAUSON_PORT", "9100")
    settings = Settings()
    assert (settings.port, settings.host, settings.llm_model) == (9100, "0.0.0.0", "qwen")


def test_the_secret_key_is_generated_once_with_mode_0600(tmp_path: Path) -> None:
    first = get_settings(data_dir=tmp_path / "data")
    second = get_settings(data_dir=tmp_path / "data")
    key_file = tmp_path / "data" / "secret_key"
    assert first.secret_key == second.secret_key and first.secret_key is not None
    assert len(first.secret_key.get_secret_value()) >= 48
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600


def test_the_public_view_hides_secrets_and_database_passwords(tmp_path: Path) -> None:
    settings = get_settings(
        data_dir=tmp_path,
        database_url="postgresql://mauson:rat-bi-mat@db.local:5432/mauson",
        llm_api_key="sk-123",
    )
    shown = settings.public_view()
    assert shown["database_url"] == "postgresql://mauson:***@db.local:5432/mauson"
    assert shown["llm_api_key"] == "********" and shown["secret_key"] == "********"
    assert "rat-bi-mat" not in str(shown) and "sk-123" not in str(shown)
