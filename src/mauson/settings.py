"""One `Settings` object, built on demand from `MAUSON_*` variables and `mauson.toml`.

Precedence, highest first: arguments passed to `Settings(...)`, environment variables,
the TOML file (`MAUSON_CONFIG`, else `./mauson.toml` when it exists), the defaults.
Nothing here runs at import time; `get_settings()` builds the object and prepares the
data directory (including the secret key, generated once and kept with mode 0600).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, SecretStr
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

SECRET_KEY_FILE = "secret_key"  # noqa: S105 (a file name)


def config_file_path() -> Path:
    """The TOML file to read: `MAUSON_CONFIG` if set, else `mauson.toml` in the working directory."""
    return Path(os.environ.get("MAUSON_CONFIG", "mauson.toml"))


class Settings(BaseSettings):
    """Everything an operator can configure. Each field is documented in docs/settings.md."""

    model_config = SettingsConfigDict(env_prefix="MAUSON_", extra="ignore")

    data_dir: Path = Field(
        default=Path("var"),
        description="Directory for the SQLite database, the secret key, dataset files and indexes.",
    )
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL of the records database; default: SQLite file `mauson.db` in the data dir.",
    )
    secret_key: SecretStr | None = Field(
        default=None,
        description="Key that signs CSRF tokens and keys pseudonyms; default: generated once into the data dir.",
    )
    host: str = Field(default="127.0.0.1", description="Address `mauson serve` listens on.")
    port: int = Field(default=8000, description="Port `mauson serve` listens on.")
    max_body_bytes: int = Field(
        default=1_048_576, description="Largest request body accepted, in bytes; larger ones get 413."
    )
    datahub_max_upload_bytes: int = Field(
        default=500_000_000,
        description="Largest dataset upload (web form or API), in bytes; streamed to disk, larger ones get 413.",
    )
    public_url: str | None = Field(
        default=None,
        description="Address people reach the platform at (https://mauson.langson.gov.vn), for links sent out "
        "in alerts and e-mails; default: http://HOST:PORT.",
    )
    session_hours: int = Field(default=12, description="How long a web login lasts, in hours.")
    cookie_secure: Literal["auto", "always", "never"] = Field(
        default="auto",
        description="Secure flag on cookies: `auto` sets it when the request came over HTTPS.",
    )
    login_max_failures: int = Field(
        default=5, description="Failed logins in a row after which an account is locked for a while."
    )
    login_lockout_minutes: int = Field(
        default=15, description="How long an account stays locked after too many failed logins."
    )
    llm_base_url: str | None = Field(
        default=None,
        description="Optional OpenAI-compatible endpoint (e.g. http://127.0.0.1:8080/v1); unused when empty.",
    )
    llm_model: str | None = Field(default=None, description="Model name to send to the LLM endpoint.")
    llm_api_key: SecretStr | None = Field(default=None, description="API key for the LLM endpoint, if it needs one.")

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        toml = TomlConfigSettingsSource(settings_cls, toml_file=config_file_path())
        return (init_settings, env_settings, toml)

    @property
    def effective_database_url(self) -> str:
        """The database URL in use, with the default SQLite file filled in."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'mauson.db').resolve()}"

    @property
    def link_base(self) -> str:
        """Where links sent out of the platform point: the configured public address, never a
        request's Host header, which any sender chooses (an alert's link could lead to their site)."""
        return (self.public_url or f"http://{self.host}:{self.port}").rstrip("/")

    def public_view(self) -> dict[str, Any]:
        """The effective settings with every secret replaced by a mask, for `config show`."""
        shown: dict[str, Any] = {}
        for name, value in self.model_dump().items():
            if isinstance(value, SecretStr) or "key" in name:
                shown[name] = "********" if value else None
            elif name == "database_url":
                shown[name] = _mask_password(self.effective_database_url)
            else:
                shown[name] = str(value) if isinstance(value, Path) else value
        return shown


def _mask_password(url: str) -> str:
    """Hide the password part of a database URL (`user:***@host`)."""
    scheme, sep, rest = url.partition("://")
    credentials, at, host = rest.rpartition("@")
    if not at or ":" not in credentials:
        return url
    user = credentials.split(":", 1)[0]
    return f"{scheme}{sep}{user}:***@{host}"


def load_or_create_secret(data_dir: Path) -> SecretStr:
    """Read the secret key from the data dir, creating it (mode 0600) on first run."""
    path = data_dir / SECRET_KEY_FILE
    if path.exists():
        return SecretStr(path.read_text().strip())
    data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key + "\n")
    return SecretStr(key)


def get_settings(**overrides: Any) -> Settings:
    """Build the settings, create the data directory, and fill in the secret key."""
    settings = Settings(**overrides)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    if settings.secret_key is None:
        settings = settings.model_copy(update={"secret_key": load_or_create_secret(settings.data_dir)})
    return settings
