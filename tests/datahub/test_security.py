"""Attacks on the data hub found in review: SQL that exhausts memory, old versions that bypass the
privacy gate, formula headers in workbooks."""

from __future__ import annotations

import io
import resource
import signal
import subprocess
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from openpyxl import load_workbook  # type: ignore[import-untyped]

from mauson.datahub import isolation, query
from mauson.datahub.models import Access
from mauson.datahub.service import resource_uuid
from mauson.db import Database
from mauson.errors import Invalid
from mauson.identity.models import Role
from tests.datahub.conftest import FIXTURES, Ingest
from tests.factories import bearer, make_token, make_user


def _headers(database: Database, username: str, role: Role, org: str) -> dict[str, str]:
    return bearer(make_token(database, make_user(database, username=username, role=role, org=org)))


@pytest.fixture
def table(tmp_path: Path) -> dict[str, Path]:
    path = tmp_path / "t.parquet"
    query.duckdb.execute(f"COPY (SELECT 1 AS a) TO '{path}' (FORMAT parquet)")
    return {"data": path}


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT repeat('x', 3)",
        "SELECT lpad('x', 3, 'y')",
        "SELECT rpad('x', 3, 'y')",
        "SELECT printf('%05d', 1)",
        "SELECT format('{:>5}', 'x')",
        "SELECT list_resize([1], 3)",
        "SELECT len(range(3))",
        "SELECT generate_series(1, 3)",
        "SELECT * FROM query('SELECT 1')",
        "SELECT * FROM query_table('data')",
        "SELECT (SELECT REPEAT(CAST(a AS VARCHAR), 2) FROM data)",
        "SELECT 'x'.lpad(9, 'y')",
        "SELECT system.main.repeat('x', 2)",
        "SELECT list_transform([1, 2], x -> repeat('a', x))",
        "SELECT replace(replace('xx', 'x', 'xx'), 'x', 'xx')",
        "SELECT regexp_replace('xx', 'x', 'xx', 'g')",
    ],
)
def test_functions_that_allocate_unbounded_memory_in_one_call_are_refused(sql: str, table: dict[str, Path]) -> None:
    """DuckDB's memory limit does not see these (one 1 GB string from `repeat('x', 1e9)`), and an
    interrupt cannot stop them mid-call: a single anonymous request took 4 GB and 7 s."""
    with pytest.raises(Invalid) as refused:
        query.run_sql(table, sql, seconds=2)
    assert refused.value.code == "datahub.sql_forbidden"


def test_a_query_over_the_memory_limit_stops_at_once(table: dict[str, Path]) -> None:
    with pytest.raises(Invalid) as refused:
        query.run_sql(table, "SELECT len(list(x)) FROM range(100000000) t(x)", seconds=20)
    assert refused.value.code == "datahub.sql_too_big"


def test_text_built_outside_duckdbs_memory_accounting_cannot_grow_the_server(table: dict[str, Path]) -> None:
    """Thirty casts of a large list to text took 4.5 GB and 8.6 s in the server process; the query
    now runs in a child whose address space the operating system caps, and the server stays small."""
    casts = ", ".join(f"CAST(l AS VARCHAR) AS c{n}" for n in range(30))
    sql = f"WITH x AS (SELECT list(i) AS l FROM range(8000000) r(i)) SELECT {casts} FROM x"
    peak_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(Invalid) as refused:
        query.run_sql(table, sql, seconds=5)
    assert refused.value.code == "datahub.sql_too_big"
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak_before < 100 * 1024  # KiB: under 100 MB


def test_a_query_process_that_overruns_its_time_is_killed(monkeypatch: pytest.MonkeyPatch) -> None:
    children: list[subprocess.Popen[bytes]] = []
    start = subprocess.Popen

    def recorded(*args: Any, **kwargs: Any) -> subprocess.Popen[bytes]:
        children.append(start(*args, **kwargs))
        return children[-1]

    monkeypatch.setattr(isolation.subprocess, "Popen", recorded)
    with pytest.raises(Invalid) as stopped:
        isolation.run_capped(time.sleep, 30, timeout=0.5)
    assert stopped.value.code == "datahub.sql_timeout"
    assert [child.returncode for child in children] == [-signal.SIGKILL], "killed, not left sleeping"


def test_a_result_over_the_size_limit_is_refused(table: dict[str, Path]) -> None:
    """Strings doubled by `||` stay inside the memory limit row by row; 10,000 of them did not."""
    doubled = ["a0 AS (SELECT 'xxxxxxxxxxxxxxxx' AS s)"] + [
        f"a{i} AS (SELECT s || s AS s FROM a{i - 1})" for i in range(1, 14)
    ]
    sql = f"WITH {', '.join(doubled)} SELECT s FROM a13, range(10000)"
    with pytest.raises(Invalid) as refused:
        query.run_sql(table, sql, max_rows=10_000, seconds=10)
    assert refused.value.code == "datahub.sql_too_big"


def test_table_functions_range_and_generate_series_still_work(table: dict[str, Path]) -> None:
    found = query.run_sql(table, "SELECT count(*) FROM range(10) r, generate_series(1, 2) g", seconds=2)
    assert found.rows == [[20]]


def test_an_old_version_with_personal_data_keeps_the_dataset_from_being_published(
    client: httpx.Client, ingest: Ingest, database: Database
) -> None:
    """Uploading a clean version over personal data must not open the old version to everyone
    (`version=1`, `data_v1`): the gate looks at every version, not only the latest."""
    name = ingest("residents.csv", title="Dân cư", org="SNV", access=Access.RESTRICTED)
    editor = _headers(database, "bien.tap", Role.EDITOR, "SNV")
    clean = (FIXTURES / "communes.csv").read_bytes()
    added = client.post(f"/api/v1/datasets/{name}/versions", content=clean, headers=editor)
    assert added.status_code == 201, added.text
    refused = client.put(f"/api/v1/datasets/{name}/access", json={"access": "public"}, headers=editor)
    assert refused.status_code == 409, refused.text
    assert refused.json()["error"]["code"] == "dataset.personal_data"
    assert client.get(f"/api/v1/datasets/{name}/rows", params={"version": 1}).status_code == 404


def test_xlsx_export_neutralises_formula_headers(client: httpx.Client, ingest: Ingest, tmp_path: Path) -> None:
    path = tmp_path / "formula-header.csv"
    path.write_text('"=HYPERLINK(""http://x"",""y"")",b\n"=1+1",2\n', encoding="utf-8")
    name = ingest(path)
    response = client.get(f"/api/v1/datasets/{name}/download", params={"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content))["data"]
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert [cell.data_type for cell in cells] == ["s", "s", "s", "n"]
    assert cells[0].value.startswith("'=") and cells[2].value == "'=1+1"


def test_an_editor_opens_the_page_of_a_dataset_too_big_for_the_k_anonymity_report(
    client: httpx.Client, ingest: Ingest, database: Database, tmp_path: Path
) -> None:
    path = tmp_path / "big.csv"
    path.write_text("ma,so\n" + "".join(f"{i},{i % 7}\n" for i in range(200_001)), encoding="utf-8")
    name = ingest(path, org="SNV", access=Access.RESTRICTED)
    editor = _headers(database, "bien.tap", Role.EDITOR, "SNV")
    assert client.get(f"/datasets/{name}", headers=editor).status_code == 200


def test_a_hidden_resource_answers_like_one_that_does_not_exist(client: httpx.Client, ingest: Ingest) -> None:
    """Resource ids are derived from the names (uuid5), so they can be computed: a hidden one must
    not answer differently, nor name its dataset."""
    hidden = ingest("residents.csv", title="Danh sách mật", org="SNV", access=Access.RESTRICTED)
    answers = []
    for resource_id in (resource_uuid(hidden, "residents"), resource_uuid("khong-co", "residents")):
        for action, params in (
            ("datastore_search", {"resource_id": resource_id}),
            ("datastore_search_sql", {"sql": f'SELECT * FROM "{resource_id}"'}),
        ):
            response = client.get(f"/api/3/action/{action}", params=params)
            assert response.status_code == 404 and hidden not in response.text
            answers.append((response.json()["error"]["code"], response.json()["error"]["message"].split("'")[0]))
    assert answers[:2] == answers[2:]
