"""Ingest: every format in, typed Parquet out, versions with what changed, and bad input refused."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from openpyxl import Workbook

from mauson.datahub import service
from mauson.datahub.models import Access, ColumnDoc
from mauson.db import Database
from mauson.errors import Conflict, Invalid, TooLarge
from mauson.identity.service import SYSTEM
from mauson.settings import Settings
from tests.datahub.conftest import FIXTURES, Ingest


def _dataset(database: Database, name: str) -> dict[str, object]:
    with database.unit_of_work() as session:
        dataset = service.get_visible_or_raise(session=session, actor=SYSTEM, name=name)
        return service.describe(session=session, dataset=dataset).model_dump()


def _prepare(settings: Settings, path: Path, max_bytes: int = 10_000_000) -> list[service.Prepared]:
    return service.prepare(store=service.store_for(settings), source=path, filename=path.name, max_bytes=max_bytes)


def test_a_semicolon_csv_is_typed_and_stored_once_by_its_content(
    ingest: Ingest, database: Database, settings: Settings
) -> None:
    first = ingest("communes.csv", title="Xã, phường")
    again = ingest("communes.csv", title="Xã, phường")
    one, two = _dataset(database, first), _dataset(database, again)
    columns = {c["name"]: c["type"] for c in one["resources"][0]["columns"]}  # type: ignore[index]
    assert columns == {"ma": "VARCHAR", "ten": "VARCHAR", "loai": "VARCHAR", "dan_so": "BIGINT"}
    sha = one["resources"][0]["versions"][0]["sha256"]  # type: ignore[index]
    assert sha == two["resources"][0]["versions"][0]["sha256"]  # type: ignore[index]
    assert first != again
    stored = list((settings.data_dir / "datahub" / "objects").rglob("*.parquet"))
    assert [p.name for p in stored] == [f"{sha}.parquet"]


@pytest.mark.parametrize("fixture", ["cp1258.csv", "utf16.csv"])
def test_legacy_encodings_read_as_vietnamese(
    fixture: str, ingest: Ingest, database: Database, settings: Settings
) -> None:
    name = ingest(fixture)
    with database.unit_of_work() as session:
        dataset = service.get_visible_or_raise(session=session, actor=SYSTEM, name=name)
        rows = service.read_rows(store=service.store_for(settings), dataset=dataset)
    assert rows.columns == ["mã", "tên"] and rows.rows == [[1, "Thất Khê"], [2, "Đồng Đăng"]]


def test_ragged_rows_are_reported_with_their_line_numbers(settings: Settings) -> None:
    (table,) = _prepare(settings, FIXTURES / "ragged.csv")
    assert table.rows == 2 and table.rejected == 2
    assert [(r["line"], r["reason"]) for r in table.rejections] == [
        (3, "dòng thiếu ô so với dòng tiêu đề"),
        (4, "dòng thừa ô so với dòng tiêu đề"),
    ]


def test_a_column_of_mixed_types_is_kept_as_text_without_losing_rows(settings: Settings, tmp_path: Path) -> None:
    path = tmp_path / "mixed.csv"
    path.write_text("ma,so\n" + "".join(f"{i},{i}\n" for i in range(30_000)) + "30000,không rõ\n", encoding="utf-8")
    (table,) = _prepare(settings, path)
    assert table.rows == 30_001 and table.rejected == 0
    assert {c["name"]: c["type"] for c in table.columns}["so"] == "VARCHAR"
    assert table.warnings == ["Cột 'so' có giá trị lẫn nhiều kiểu; được lưu dạng văn bản."]


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"", "datahub.empty"),
        (b"ma,ten\n", "datahub.header_only"),
        (b"ma,,ten\n1,2,3\n", "datahub.blank_column"),
        (b"ma,ten,Ma\n1,2,3\n", "datahub.duplicate_column"),
        ("Lµm giÊy khai sinh cho con ë x· nµo th× ®­îc".encode() * 3, "text.legacy_font"),
    ],
)
def test_bad_csv_files_are_refused_with_a_reason(content: bytes, code: str, settings: Settings, tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(Invalid) as refused:
        _prepare(settings, path)
    assert refused.value.code == code


def test_a_file_over_the_limit_is_refused_before_anything_is_written(settings: Settings) -> None:
    with pytest.raises(TooLarge):
        _prepare(settings, FIXTURES / "residents.csv", max_bytes=100)
    assert not list((settings.data_dir / "datahub").rglob("*.parquet"))


def test_every_sheet_of_a_workbook_becomes_a_table(ingest: Ingest, database: Database, tmp_path: Path) -> None:
    workbook = Workbook()
    first = workbook.active
    first.title = "Dân số"
    first.append(["Xã", "Dân số"])
    first.append(["Thất Khê", 21000])
    second = workbook.create_sheet("Diện tích")
    second.append(["Xã", "Km2"])
    second.append(["Thất Khê", 12.5])
    workbook.create_sheet("Trống")
    path = tmp_path / "xa.xlsx"
    workbook.save(path)
    described = _dataset(database, ingest(path))
    assert [(r["name"], r["rows"]) for r in described["resources"]] == [("Dân số", 1), ("Diện tích", 1)]  # type: ignore[attr-defined]
    assert described["formats"] == ["XLSX"]


def test_a_zip_bomb_workbook_is_refused(settings: Settings, tmp_path: Path) -> None:
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"<" + b"a" * 50_000_000)
    with pytest.raises(Invalid) as refused:
        _prepare(settings, path)
    assert refused.value.code == "datahub.zip_bomb"


def test_json_and_parquet_are_ingested(settings: Settings, tmp_path: Path) -> None:
    as_json = tmp_path / "xa.json"
    as_json.write_text(json.dumps([{"ma": "06040", "dan_so": 21000}, {"ma": "06100", "dan_so": 9500}]))
    as_parquet = tmp_path / "xa.parquet"
    pq.write_table(pa.table({"ma": ["06040"], "dan_so": [21000]}), as_parquet)
    (from_json,) = _prepare(settings, as_json)
    (from_parquet,) = _prepare(settings, as_parquet)
    assert (from_json.format, from_json.rows) == ("JSON", 2)
    assert (from_parquet.format, from_parquet.rows) == ("PARQUET", 1)


def test_a_new_upload_is_a_version_with_what_changed_and_the_dictionary_survives(
    ingest: Ingest, database: Database, settings: Settings, tmp_path: Path
) -> None:
    name = ingest("communes.csv")
    with database.unit_of_work() as session:
        dataset = service.get_visible_or_raise(session=session, actor=SYSTEM, name=name)
        docs = [ColumnDoc(name="dan_so", description="Dân số trung bình", unit="người")]
        service.document_columns(session=session, actor=SYSTEM, dataset=dataset, docs=docs)
    newer = tmp_path / "communes.csv"
    newer.write_text("ma;ten;dan_so;dien_tich\n06040;Thất Khê;21500;120.5\n", encoding="utf-8")
    tables = _prepare(settings, newer)
    with database.unit_of_work() as session:
        dataset = service.get_visible_or_raise(session=session, actor=SYSTEM, name=name)
        service.add_version(session=session, actor=SYSTEM, dataset=dataset, tables=tables)
    resource = _dataset(database, name)["resources"][0]  # type: ignore[index]
    latest, first = resource["versions"]
    assert (latest["number"], first["number"]) == (2, 1)
    assert latest["changes"] == {
        "first": False,
        "added": ["dien_tich"],
        "removed": ["loai"],
        "retyped": [],
        "rows_before": 4,
        "rows": 1,
    }
    dan_so = next(c for c in resource["columns"] if c["name"] == "dan_so")
    assert (dan_so["description"], dan_so["unit"]) == ("Dân số trung bình", "người")
    with database.unit_of_work() as session:
        dataset = service.get_visible_or_raise(session=session, actor=SYSTEM, name=name)
        old = service.read_rows(store=service.store_for(settings), dataset=dataset, version=1)
    assert old.total == 4  # the old version stays queryable


def test_personal_data_cannot_be_ingested_as_public(settings: Settings, database: Database) -> None:
    tables = _prepare(settings, FIXTURES / "residents.csv")
    assert {c["name"] for c in tables[0].privacy if c["type"]} >= {"Họ tên", "Số điện thoại"}
    with database.unit_of_work() as session, pytest.raises(Conflict) as refused:
        service.create_dataset(
            session=session, actor=SYSTEM, tables=tables, title="Dân cư", organisation_code="SYT", access=Access.PUBLIC
        )
    assert "Họ tên" in refused.value.message and "dữ liệu cá nhân" in refused.value.message
