"""The data hub over HTTP against the real server: access levels, the privacy gate, queries,
downloads, DCAT, and the CKAN Action API driven by the real `ckanapi` client."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta
from typing import Any

import httpx
import pytest
from ckanapi import NotFound, RemoteCKAN
from sqlalchemy import select, update

from mauson.audit.models import AuditEntry
from mauson.datahub import service
from mauson.datahub.models import Access, Grant
from mauson.db import Database, utcnow
from mauson.identity.models import Role
from mauson.settings import Settings
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


def _derivations(database: Database) -> list[dict[str, Any]]:
    """The details of every `dataset.derive` audit entry, oldest first."""
    with database.unit_of_work() as session:
        entries = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "dataset.derive").order_by(AuditEntry.id)
        )
        return [json.loads(entry.details) for entry in entries]


# The request of the usability review: drop the identifiers, keep the home address and the ward.
ADDRESSES_KEPT = {
    "ho_ten": "drop",
    "so_cccd": "drop",
    "so_dien_thoai": "drop",
    "ngay_sinh": "drop",
    "dia_chi": "keep",
    "xa_phuong": "keep",
}


def test_a_house_number_and_street_column_is_personal_data_even_under_a_snake_case_header(
    client: httpx.Client, ingest: Ingest, database: Database
) -> None:
    name = ingest("students.csv", title="Học sinh", org="SNV", access=Access.RESTRICTED)
    editor = _headers(database, "bien.tap", Role.EDITOR, "SNV")
    report = client.get(f"/api/v1/datasets/{name}/privacy", headers=editor).json()
    personal = {c["name"]: c["type"] for c in report["columns"] if c["type"]}
    assert personal == {
        "ho_ten": "PERSON",
        "ngay_sinh": "DATE_OF_BIRTH",
        "so_cccd": "CCCD",
        "so_dien_thoai": "PHONE",
        "dia_chi": "ADDRESS",
    }
    assert report["proposed"]["dia_chi"] == "generalise" and "diem_toan" not in report["proposed"]

    kept = client.post(f"/api/v1/datasets/{name}/derivative", json={"columns": ADDRESSES_KEPT, "k": 2}, headers=editor)
    assert kept.status_code == 422 and kept.json()["error"]["code"] == "datahub.untreated_personal"
    assert "dia_chi" in kept.json()["error"]["message"]


def test_a_derivative_that_does_not_reach_its_k_is_refused_and_nothing_is_written(
    client: httpx.Client, ingest: Ingest, database: Database, settings: Settings
) -> None:
    """Each ward holds two students: kept as it is, the ward alone makes groups of two."""
    name = ingest("students.csv", title="Học sinh", org="SNV", access=Access.RESTRICTED)
    editor = _headers(database, "bien.tap", Role.EDITOR, "SNV")
    objects = sorted(service.store_for(settings).objects.rglob("*.parquet"))
    ward_kept = {**ADDRESSES_KEPT, "dia_chi": "drop"}

    refused = client.post(f"/api/v1/datasets/{name}/derivative", json={"columns": ward_kept, "k": 3}, headers=editor)
    assert refused.status_code == 422
    assert refused.json()["error"] == {
        "code": "datahub.k_not_reached",
        "message": (
            "Bản ẩn danh không đạt k = 3: trên các cột gần định danh còn giữ (xa_phuong), không nhóm dòng nào "
            "có đủ 3 dòng giống nhau. Hãy làm thô hoặc bỏ thêm các cột đó, hoặc chọn k nhỏ hơn. "
            "Chưa có gì được lưu."
        ),
    }
    assert client.get(f"/api/v1/datasets/{name}-an-danh", headers=editor).status_code == 404
    assert sorted(service.store_for(settings).objects.rglob("*.parquet")) == objects
    assert _derivations(database) == []


def test_a_derivative_keeps_column_types_and_records_the_k_asked_and_the_k_reached(
    client: httpx.Client, ingest: Ingest, database: Database
) -> None:
    name = ingest("students.csv", title="Học sinh", org="SNV", access=Access.RESTRICTED)
    editor = _headers(database, "bien.tap", Role.EDITOR, "SNV")
    proposed = client.get(f"/api/v1/datasets/{name}/privacy", headers=editor).json()["proposed"]
    plan = {**proposed, "xa_phuong": "keep"}  # a kept quasi-identifier counts towards k like a generalised one

    made = client.post(f"/api/v1/datasets/{name}/derivative", json={"columns": plan, "k": 2}, headers=editor)
    assert made.status_code == 201, made.text
    derivative = made.json()
    types = {c["name"]: c["type"] for c in derivative["resources"][0]["columns"]}
    assert types == {"ngay_sinh": "VARCHAR", "dia_chi": "VARCHAR", "xa_phuong": "VARCHAR", "diem_toan": "DOUBLE"}
    average = client.post(
        f"/api/v1/datasets/{derivative['name']}/sql", json={"sql": "SELECT avg(diem_toan) FROM data"}, headers=editor
    )
    assert average.json()["rows"] == [[7.5]]

    report = client.get(f"/api/v1/datasets/{derivative['name']}/privacy", headers=editor).json()
    assert report["k_anonymity"]["k"] == 2 and "xa_phuong" in report["k_anonymity"]["quasi_identifiers"]
    recorded = {"k_asked": 2, "k_reached": 2, "suppressed_rows": 0}
    assert report["anonymisation"].items() >= recorded.items()
    assert [d.items() >= recorded.items() for d in _derivations(database)] == [True]


def test_a_public_derivative_is_replaced_only_when_the_editor_says_so(
    client: httpx.Client, ingest: Ingest, database: Database
) -> None:
    name = ingest("students.csv", title="Học sinh", org="SNV", access=Access.RESTRICTED)
    editor = _headers(database, "bien.tap", Role.EDITOR, "SNV")
    proposed = client.get(f"/api/v1/datasets/{name}/privacy", headers=editor).json()["proposed"]
    first = client.post(f"/api/v1/datasets/{name}/derivative", json={"columns": proposed}, headers=editor).json()
    copy = first["name"]
    assert client.put(f"/api/v1/datasets/{copy}/access", json={"access": "public"}, headers=editor).status_code == 200

    again = {"columns": {**proposed, "xa_phuong": "keep"}, "k": 2}
    refused = client.post(f"/api/v1/datasets/{name}/derivative", json=again, headers=editor)
    assert refused.status_code == 409
    assert refused.json()["error"] == {
        "code": "dataset.replace_public",
        "message": (
            f"Bản ẩn danh «{copy}» đang công khai: phiên bản mới sẽ thay ngay dữ liệu mọi người đang xem. "
            "Nếu đã xem kỹ cách xử lý từng cột, hãy đánh dấu «Thay bản đang công khai» (API: "
            '"replace_public": true); hoặc chuyển bản đó về «Nội bộ cơ quan» trước. Chưa có gì được lưu.'
        ),
    }
    assert len(client.get(f"/api/v1/datasets/{copy}").json()["resources"][0]["versions"]) == 1

    replaced = client.post(
        f"/api/v1/datasets/{name}/derivative", json={**again, "replace_public": True}, headers=editor
    )
    assert replaced.status_code == 201, replaced.text
    assert len(client.get(f"/api/v1/datasets/{copy}").json()["resources"][0]["versions"]) == 2
    assert [d["replaced_public"] for d in _derivations(database)] == [False, True]


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
