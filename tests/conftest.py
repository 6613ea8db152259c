"""Fixtures shared by the whole suite.

Every test that touches the database runs twice: on SQLite and on a real PostgreSQL
server started for the session (`postgres_server.py`). Each test gets its own fresh
database, cloned from a template that was migrated and seeded once per backend.
"""

from __future__ import annotations

import os
import shutil
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import uvicorn
from sqlalchemy import create_engine, text
from typer.testing import CliRunner, Result

from mauson.app import create_app
from mauson.cli import app as cli_app
from mauson.console import CliState
from mauson.db import Database
from mauson.identity import service as identity
from mauson.settings import Settings, get_settings
from tests.browser import CHROMIUM, CHROMIUM_ARGS
from tests.postgres_server import PostgresServer, free_port, start_server

TEMPLATE_DB = "mauson_template"
Invoke = Callable[..., Result]


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test reads the developer's MAUSON_* variables or mauson.toml."""
    for name in list(os.environ):
        if name.startswith("MAUSON_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("MAUSON_CONFIG", str(tmp_path / "absent.toml"))


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    try:
        server = start_server()
    except FileNotFoundError as error:
        if os.environ.get("MAUSON_REQUIRE_POSTGRES"):
            pytest.fail(f"PostgreSQL is required for this run: {error}")
        pytest.skip(str(error))
    yield server
    server.stop()


@dataclass(frozen=True)
class Template:
    backend: str
    location: str  # a file path for SQLite, the server URL for PostgreSQL


def _prepare(url: str) -> None:
    database = Database(url)
    database.upgrade()
    with database.unit_of_work() as session:
        identity.seed_organisations(session=session)
    database.dispose()


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def template(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Template:
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("template") / "template.db"
        _prepare(f"sqlite:///{path}")
        return Template("sqlite", str(path))
    server: PostgresServer = request.getfixturevalue("postgres_server")
    admin = create_engine(f"{server.url}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"CREATE DATABASE {TEMPLATE_DB}"))
    admin.dispose()
    _prepare(f"{server.url}/{TEMPLATE_DB}")
    return Template("postgresql", server.url)


@pytest.fixture
def database(template: Template, tmp_path: Path) -> Iterator[Database]:
    """A fresh, migrated database with the organisation tree, for this test only."""
    if template.backend == "sqlite":
        path = tmp_path / "mauson.db"
        shutil.copy(template.location, path)
        database = Database(f"sqlite:///{path}")
        yield database
        database.dispose()
        return
    name = f"test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(f"{template.location}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"CREATE DATABASE {name} TEMPLATE {TEMPLATE_DB}"))
    database = Database(f"{template.location}/{name}")
    yield database
    database.dispose()
    with admin.connect() as connection:
        connection.execute(text(f"DROP DATABASE {name} WITH (FORCE)"))
    admin.dispose()


@pytest.fixture
def settings(tmp_path: Path, database: Database) -> Settings:
    return get_settings(
        data_dir=tmp_path / "data", database_url=database.url, secret_key="test-secret-key-not-for-production"
    )


@pytest.fixture
def server(settings: Settings, database: Database) -> Iterator[str]:
    """The platform itself, served by uvicorn on a free loopback port."""
    app = create_app(settings, database)
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    instance = uvicorn.Server(config)
    thread = threading.Thread(target=instance.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not instance.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.01)
    yield f"http://127.0.0.1:{port}"
    instance.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def client(server: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server, timeout=20, follow_redirects=False) as http:
        yield http


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Debian's Chromium driven by Playwright (`playwright install` cannot work offline)."""
    playwright_api = pytest.importorskip("playwright.sync_api")
    if not CHROMIUM.exists():
        if os.environ.get("MAUSON_REQUIRE_BROWSER"):
            pytest.fail("Chromium is required for this run: apt-get install chromium")
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    with playwright_api.sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def cli(settings: Settings, database: Database) -> Invoke:
    """Run a `mauson` command against this test's database: `cli("users", "list")`."""
    runner = CliRunner()

    def invoke(*args: str) -> Result:
        return runner.invoke(cli_app, list(args), obj=CliState(settings, database))

    return invoke
