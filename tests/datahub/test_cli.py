"""`mauson datasets ...` and `mauson demo load`, checked through their effect; and an ingest
killed with SIGKILL half-way leaves nothing visible behind."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from mauson.datahub import service
from mauson.db import Database
from mauson.identity.service import SYSTEM
from mauson.settings import Settings
from tests.conftest import Invoke
from tests.datahub.conftest import FIXTURES


def _names(database: Database) -> list[str]:
    with database.unit_of_work() as session:
        return [d.name for d in service.list_visible(session=session, actor=SYSTEM)]


def test_ingest_list_show_query_and_export(cli: Invoke, database: Database, tmp_path: Path) -> None:
    ingested = cli(
        "datasets",
        "ingest",
        str(FIXTURES / "communes.csv"),
        "--title",
        "Xã phường",
        "--org",
        "SNV",
        "--access",
        "public",
    )
    assert ingested.exit_code == 0, ingested.output
    assert "Đã tạo bộ dữ liệu 'xa-phuong' (public)." in ingested.output
    assert "xa-phuong\tpublic\tSNV\tXã phường" in cli("datasets", "list").output
    shown = json.loads(cli("datasets", "show", "xa-phuong").output)
    assert shown["resources"][0]["rows"] == 4
    queried = cli("datasets", "query", "xa-phuong", "SELECT ten FROM data WHERE loai = 'phuong'")
    assert queried.output.strip() == '{"ten": "Tam Thanh"}'
    target = tmp_path / "out.json"
    assert cli("datasets", "export", "xa-phuong", "--format", "json", "--output", str(target)).exit_code == 0
    assert json.loads(target.read_text())[0]["ten"] == "Thất Khê"


def test_public_ingest_of_personal_data_fails_with_the_privacy_report(cli: Invoke, database: Database) -> None:
    result = cli("datasets", "ingest", str(FIXTURES / "residents.csv"), "--org", "SNV", "--access", "public")
    assert result.exit_code == 1
    assert "Cột 'Họ tên' chứa dữ liệu cá nhân: Họ tên" in result.output
    assert "không thể công khai" in result.output
    assert _names(database) == []


def test_a_refused_sql_statement_is_one_error_line(cli: Invoke) -> None:
    cli("datasets", "ingest", str(FIXTURES / "communes.csv"), "--org", "SNV")
    result = cli("datasets", "query", "communes", "SELECT * FROM read_csv('/etc/passwd')")
    assert result.exit_code == 1 and result.output.startswith("Lỗi: ")


def test_demo_load_publishes_the_communes_and_procedure_counts(cli: Invoke, database: Database) -> None:
    assert cli("demo", "load").exit_code == 0
    assert cli("demo", "load").exit_code == 0  # safe to run again
    assert sorted(_names(database)) == ["thu-tuc-theo-linh-vuc", "xa-phuong-lang-son"]
    counted = cli("datasets", "query", "xa-phuong-lang-son", "SELECT count(*) AS n FROM data")
    assert counted.output.strip() == '{"n": 65}'


def test_an_ingest_killed_mid_way_leaves_no_half_dataset(
    cli: Invoke, database: Database, settings: Settings, tmp_path: Path
) -> None:
    big = tmp_path / "lon.csv"
    with big.open("w", encoding="utf-8") as handle:
        handle.write("ma,ten,so\n")
        for number in range(600_000):
            handle.write(f"{number},Thôn Nà Pàn số {number},{number * 3}\n")
    env = {
        **os.environ,
        "MAUSON_DATA_DIR": str(settings.data_dir),
        "MAUSON_DATABASE_URL": database.url,
        "MAUSON_SECRET_KEY": "test-secret-key-not-for-production",
    }
    command = [
        sys.executable,
        "-c",
        "from mauson.cli import main; main()",
        "datasets",
        "ingest",
        str(big),
        "--org",
        "SNV",
    ]
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    workspace = settings.data_dir / "datahub" / "tmp"
    deadline = time.monotonic() + 30
    while not any(workspace.glob("*/*")) and time.monotonic() < deadline:
        time.sleep(0.01)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL
    assert _names(database) == []
    again = cli("datasets", "ingest", str(big), "--org", "SNV")
    assert again.exit_code == 0, again.output
    assert _names(database) == ["lon"]


def test_the_installed_command_answers_sql(cli: Invoke, settings: Settings, database: Database) -> None:
    """SQL runs in a child process; started from the `mauson` script (not from pytest), a child
    that re-imported the whole application as its main module had no memory left for DuckDB."""
    cli("datasets", "ingest", str(FIXTURES / "communes.csv"), "--org", "SNV", "--access", "public")
    env = {
        **os.environ,
        "MAUSON_DATA_DIR": str(settings.data_dir),
        "MAUSON_DATABASE_URL": database.url,
        "MAUSON_SECRET_KEY": "test-secret-key-not-for-production",
    }
    command = [
        str(Path(sys.executable).parent / "mauson"),
        "datasets",
        "query",
        "communes",
        "SELECT count(*) AS n FROM data",
    ]
    done = subprocess.run(command, check=False, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1])["n"] > 0
