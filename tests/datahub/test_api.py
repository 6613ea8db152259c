"""The data hub over HTTP against the real server: access levels, the privacy gate, queries,
downloads, DCAT, and the CKAN Action API driven by the real `ckanapi` client."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import httpx
import pytest
from ckanapi import NotFound, RemoteCKAN
from sqlalchemy import select, update

from mauson.audit.models import AuditEntry
from mauson.datahub.models import Access, Grant
from mauson.db import Database, utcnow
from mauson.identity.models import Role
from tests.datahub.conftest import FIXTURES, Ingest
from tests.factories import bearer, make_token, make_user


def _headers(database: Database, username: str, role: Role, org: str) -> dict[str, str]:
    return bearer(make_token(database, make_user(database, username=username, role=role, org=org)))


def test_rows_filter_sort_choose_columns_and_page(client: httpx.Client, ingest: Ingest) -> None:
    name = ingest("communes.csv")
    page = client.get(
        f"/api/v1/datasets/{name}/rows",
        params={"dan_so__gt": "10000", "sort": "-dan_so", "columns": "ten,dan_so", "limit": 2},
    )
    assert page.status_code == 200, page.text
    assert page.json() == {
        "columns": ["ten", "dan_so"],
        "rows": [["Tam Thanh", 45000], ["Thất Khê", 21000]],
        "total": 3,
        "truncated": False,
    }
    second = client.get(f"/api/v1/datasets/{name}/rows", params={"loai": "xa", "sort": "ma", "offset": 2}).json()
    assert second["rows"] == [["06211", "Đồng Đăng", "xa", 18000]] and second["total"] == 3
    unknown = client.get(f"/api/v1/datasets/{name}/rows", params={"khong_co": "1"})
    assert unknown.status_code == 422 and unknown.json()["error"]["code"] == "datahub.unknown_column"


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT * FROM read_csv('/etc/passwd')",
        "SELECT * FROM read_text('/etc/passwd')",
        "COPY data TO '/tmp/x.csv'",
        "ATTACH '/tmp/x.db' AS x",
        "INSTALL httpfs",
        "LOAD httpfs",
        "PRAGMA database_list",
        "SET enable_external_access = true",
        "SELECT 1; SELECT 2",
        "SELECT * FROM other_dataset",
    ],
)
def test_sql_is_select_only_and_sees_nothing_but_this_dataset(sql: str, client: httpx.Client, ingest: Ingest) -> None:
    name = ingest("communes.csv")
    ingest("residents.csv", title="other dataset", access=Access.RESTRICTED)
    response = client.post(f"/api/v1/datasets/{name}/sql", json={"sql": sql})
    assert response.status_code == 422, response.text
    assert response.json()["error"]["code"].startswith("datahub.sql")


def test_sql_answers_a_select_on_the_latest_version_with_a_row_limit(client: httpx.Client, ingest: Ingest) -> None:
    name = ingest("communes.csv")
    grouped = client.post(
        f"/api/v1/datasets/{name}/sql",
        json={"sql": "SELECT loai, sum(dan_so) AS n FROM data GROUP BY loai ORDER BY n DESC"},
    )
    assert grouped.json()["rows"] == [["xa", 48500], ["phuong", 45000]]
    limited = client.post(f"/api/v1/datasets/{name}/sql", json={"sql": "SELECT * FROM data_v1", "limit": 2}).json()
    assert len(limited["rows"]) == 2 and limited["truncated"] is True


def test_downloads_neutralise_formulas_and_come_in_four_formats(
    client: httpx.Client, ingest: Ingest, tmp_path: object
) -> None:
    path = FIXTURES.parent / "fixtures" / "communes.csv"
    name = ingest(path)
    csv_text = client.get(f"/api/v1/datasets/{name}/download", params={"format": "csv"}).content.decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(csv_text)))[1] == ["06040", "Thất Khê", "xa", "21000"]
    assert client.get(f"/api/v1/datasets/{name}/download", params={"format": "json"}).json()[0]["ten"] == "Thất Khê"
    assert client.get(f"/api/v1/datasets/{name}/download", params={"format": "parquet"}).content.startswith(b"PAR1")
    assert client.get(f"/api/v1/datasets/{name}/download", params={"format": "xlsx"}).content.startswith(b"PK")


def test_a_formula_cell_is_neutralised_in_csv(client: httpx.Client, ingest: Ingest, tmp_path: object) -> None:
    from pathlib import Path

    path = Path(str(tmp_path)) / "formula.csv"
    path.write_text('ten,ghi_chu\nA,"=HYPERLINK(""http://x"")"\nB,-5 ngày\n', encoding="utf-8")
    name = ingest(path)
    rows = list(csv.reader(io.StringIO(client.get(f"/api/v1/datasets/{name}/download").content.decode("utf-8-sig"))))
    assert rows[1][1] == '\'=HYPERLINK("http://x")' and rows[2][1] == "'-5 ngày"


def test_access_levels_and_every_non_public_read_is_audited(
    client: httpx.Client, ingest: Ingest, database: Database
) -> None:
    restricted = ingest("communes.csv", title="Nội bộ", org="SNV", access=Access.RESTRICTED)
    shared = ingest("communes.csv", title="Chia sẻ", org="SNV", access=Access.RESTRICTED)
    own = _headers(database, "can.bo.snv", Role.OFFICER, "SNV")
    other = _headers(database, "can.bo.syt", Role.VIEWER, "SYT")
    share = client.put(
        f"/api/v1/datasets/{shared}/access",
        json={"access": "shared", "organisations": ["SYT"], "days": 30},
        headers=own,
    )
    assert share.status_code == 200, share.text

    assert client.get(f"/api/v1/datasets/{restricted}/rows").status_code == 404
    assert client.get(f"/api/v1/datasets/{restricted}/rows", headers=other).status_code == 404
    assert client.get(f"/api/v1/datasets/{restricted}/rows", headers=own).status_code == 200
    assert client.get(f"/api/v1/datasets/{shared}/rows", headers=other).status_code == 200
    listed = {d["name"] for d in client.get("/api/v1/datasets", headers=other).json()}
    assert shared in listed and restricted not in listed

    with database.unit_of_work() as session:
        session.execute(update(Grant).values(expires_at=utcnow() - timedelta(days=1)))
    assert client.get(f"/api/v1/datasets/{shared}/rows", headers=other).status_code == 404

    with database.unit_of_work() as session:
        reads = session.scalars(select(AuditEntry).where(AuditEntry.action == "dataset.read")).all()
    assert [(r.actor_name, r.target_id) for r in reads] == [("can.bo.snv", restricted), ("can.bo.syt", shared)]


def test_the_privacy_gate_publishes_only_the_anonymised_derivative(
    client: httpx.Client, ingest: Ingest, database: Database
) -> None:
    name = ingest("residents.csv", title="Dân cư thôn", org="SNV", access=Access.RESTRICTED)
    editor = _headers(database, "bien.tap", Role.EDITOR, "SNV")
    report = client.get(f"/api/v1/datasets/{name}/privacy", headers=editor).json()
    personal = {c["name"]: c["type"] for c in report["columns"] if c["type"]}
    assert personal["Họ tên"] == "PERSON" and personal["Số điện thoại"] == "PHONE"
    assert report["k_anonymity"]["k"] == 1 and "Ngày sinh" in report["k_anonymity"]["quasi_identifiers"]

    refused = client.put(f"/api/v1/datasets/{name}/access", json={"access": "public"}, headers=editor)
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "dataset.personal_data"

    plan = {**report["proposed"], "Họ tên": "pseudonymise", "Số điện thoại": "mask"}
    made = client.post(f"/api/v1/datasets/{name}/derivative", json={"columns": plan, "k": 2}, headers=editor)
    assert made.status_code == 201, made.text
    derivative = made.json()
    assert derivative["source"] == name and not derivative["personal_data"]
    published = client.put(f"/api/v1/datasets/{derivative['name']}/access", json={"access": "public"}, headers=editor)
    assert published.status_code == 200

    rows = client.get(f"/api/v1/datasets/{derivative['name']}/rows").json()
    assert "Nguyễn Văn An" not in str(rows) and "0912345678" not in str(rows)
    assert any(str(cell).startswith("091") and "*" in str(cell) for row in rows["rows"] for cell in row)
    with database.unit_of_work() as session:
        decisions = session.scalars(
            select(AuditEntry).where(AuditEntry.action.in_(["dataset.derive", "dataset.access"]))
        ).all()
    assert sorted((d.action, d.actor_name, d.target_id) for d in decisions) == [
        ("dataset.access", "bien.tap", derivative["name"]),
        ("dataset.derive", "bien.tap", derivative["name"]),
    ]


def test_dcat_describes_the_catalogue_and_each_dataset(client: httpx.Client, ingest: Ingest) -> None:
    name = ingest("communes.csv", title="Xã, phường Lạng Sơn")
    catalogue = client.get("/api/v1/catalog.jsonld")
    assert catalogue.headers["content-type"].startswith("application/ld+json")
    assert catalogue.json()["dcat:dataset"][0]["dct:title"]["@value"] == "Xã, phường Lạng Sơn"
    one = client.get(f"/api/v1/datasets/{name}/dcat.jsonld").json()
    assert one["@type"] == "dcat:Dataset" and len(one["dcat:distribution"]) == 3


def test_a_ckan_client_lists_searches_and_queries_the_hub(server: str, ingest: Ingest) -> None:
    name = ingest("communes.csv", title="Danh sách xã, phường", org="SNV")
    ingest("residents.csv", title="Dân cư", org="SNV", access=Access.RESTRICTED)
    with RemoteCKAN(server) as ckan:
        assert ckan.action.package_list() == [name]
        found = ckan.action.package_search(
            q="danh sach xa", fq="organization:SNV", rows=5, **{"facet.field": ["res_format"]}
        )
        assert found["count"] == 1 and found["facets"] == {"res_format": {"CSV": 1}}
        package = ckan.action.package_show(id=name)
        resource_id = package["resources"][0]["id"]
        searched = ckan.action.datastore_search(resource_id=resource_id, filters={"loai": "phuong"})
        assert searched["records"] == [{"ma": "05977", "ten": "Tam Thanh", "loai": "phuong", "dan_so": 45000}]
        sql = ckan.action.datastore_search_sql(sql=f'SELECT count(*) AS n FROM "{resource_id}"')
        assert sql["records"] == [{"n": 4}]
        assert ckan.action.organization_list() == ["SNV"]
        with pytest.raises(NotFound):
            ckan.action.package_show(id="dan-cu")
