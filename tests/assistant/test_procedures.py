"""Importing the catalogue through the services, then reading it back (SQLite and PostgreSQL)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest
import typer
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner, Result

from mauson.assistant import procedures as service
from mauson.assistant.cli import procedures_app
from mauson.assistant.models import ImportReport, Procedure, ProcedureRead
from mauson.audit.models import AuditEntry
from mauson.console import CliState, MausonGroup
from mauson.db import Database
from mauson.errors import Invalid, NotFound
from mauson.identity.service import SYSTEM
from mauson.settings import Settings
from tests.assistant import line

CATALOGUE = [
    line("1.001193", "Thủ tục đăng ký khai sinh"),
    line("1.000894", "Thủ tục đăng ký kết hôn"),
    line(
        "1.012783",
        "Cấp đổi Giấy chứng nhận quyền sử dụng đất",
        cap_thuc_hien="Cấp tỉnh, Cấp xã",
        linh_vuc="Đất đai",
        co_quan_thuc_hien="Văn phòng đăng ký đất đai",
    ),
    line("3.000346", "Cấp giấy phép lái xe", cap_thuc_hien="Cấp bộ", linh_vuc="Đường bộ", co_quan_thuc_hien="Cục CSGT"),
]


def _import(database: Database, lines: list[str]) -> ImportReport:
    with database.unit_of_work() as session:
        return service.import_catalogue(session=session, actor=SYSTEM, lines=lines)


def _count(session: Session, model: type[Procedure] | type[AuditEntry]) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def _imports(session: Session) -> list[AuditEntry]:
    return list(session.scalars(select(AuditEntry).where(AuditEntry.action == "procedure.import")))


def test_import_is_idempotent_and_audited(database: Database) -> None:
    first = _import(database, CATALOGUE)
    assert (first.read, first.created, first.updated, first.unchanged, first.rejected) == (4, 4, 0, 0, [])
    assert (first.coverage.records, first.coverage.channels, first.coverage.complete) == (4, 4, 4)
    again = _import(database, CATALOGUE)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 4)
    with database.unit_of_work() as session:
        assert _count(session, Procedure) == 4
        entries = _imports(session)
    assert len(entries) == 2
    assert '"created": 4' in entries[0].details and '"unchanged": 4' in entries[1].details


def test_a_changed_record_is_updated_and_the_others_left_alone(database: Database) -> None:
    _import(database, CATALOGUE)
    with database.unit_of_work() as session:
        before = service.get_procedure_or_raise(session=session, code="1.000894")
        imported_at, updated_at = before.imported_at, before.updated_at
    changed = [*CATALOGUE]
    changed[1] = line("1.000894", "Thủ tục đăng ký kết hôn", so_quyet_dinh="999/QĐ-BTP")
    report = _import(database, changed)
    assert (report.created, report.updated, report.unchanged) == (0, 1, 3)
    with database.unit_of_work() as session:
        after = service.get_procedure_or_raise(session=session, code="1.000894")
        assert after.decision == "999/QĐ-BTP"
        assert after.imported_at == imported_at and after.updated_at > updated_at


def test_a_corrupt_line_is_reported_with_its_number_and_the_rest_imported(database: Database) -> None:
    lines = [CATALOGUE[0], '{"ma_thu_tuc": "1.000894", "ten_thu', CATALOGUE[2], line("1.000001", ""), CATALOGUE[0]]
    report = _import(database, lines)
    assert report.created == 2 and report.read == 5
    assert [number for number, _ in report.rejected] == [2, 4, 5]
    assert "JSON" in report.rejected[0][1] and "tên thủ tục" in report.rejected[1][1]
    assert report.rejected[2][1] == "mã thủ tục 1.001193 đã có ở dòng 1; dòng này bị bỏ qua."


def test_a_file_that_is_not_a_catalogue_is_refused_with_nothing_written(database: Database) -> None:
    with database.unit_of_work() as session:
        with pytest.raises(Invalid, match="không phải danh mục thủ tục hành chính"):
            service.import_catalogue(session=session, actor=SYSTEM, lines=["số,họ tên", "1,Nguyễn Văn A"] * 3)
        assert _count(session, Procedure) == 0 and _imports(session) == []


def test_a_procedure_reads_back_whole(database: Database) -> None:
    _import(database, CATALOGUE)
    with database.unit_of_work() as session:
        procedure = ProcedureRead.model_validate(service.get_procedure_or_raise(session=session, code=" 1.001193 "))
    assert procedure.name == "Thủ tục đăng ký khai sinh"
    desk = procedure.channels[0]
    assert (desk.channel, desk.working_days, desk.days_kind, desk.fee_dong) == ("Trực tiếp", 5, "working", 8000)
    assert procedure.documents[0].template == "Mau TKKS.docx"
    assert procedure.legal_bases[1].identifier == "123/2015/NĐ-CP"


def test_an_unknown_code_is_not_found_in_vietnamese(database: Database) -> None:
    with (
        database.unit_of_work() as session,
        pytest.raises(NotFound, match=r"Không có thủ tục hành chính mã '9\.999999'"),
    ):
        service.get_procedure_or_raise(session=session, code="9.999999")


@pytest.mark.parametrize(
    ("filters", "codes"),
    [
        ({}, ["1.000894", "1.001193", "1.012783", "3.000346"]),
        ({"query": "khai sinh"}, ["1.001193"]),
        ({"query": "dang ky ket hon"}, ["1.000894"]),
        ({"query": "GIẤY PHÉP LÁI XE"}, ["3.000346"]),
        ({"query": "1.012783"}, ["1.012783"]),
        ({"query": "100%_"}, []),
        ({"field": "Hộ tịch"}, ["1.000894", "1.001193"]),
        ({"level": "Cấp xã"}, ["1.000894", "1.001193", "1.012783"]),
        ({"level": "Cấp tỉnh"}, ["1.012783"]),
        ({"agency": "Cục CSGT"}, ["3.000346"]),
        ({"level": "Cấp xã", "field": "Đất đai"}, ["1.012783"]),
        ({"limit": 2, "offset": 1}, ["1.001193", "1.012783"]),
    ],
)
def test_list_filters(database: Database, filters: dict[str, str | int], codes: list[str]) -> None:
    _import(database, CATALOGUE)
    with database.unit_of_work() as session:
        found = service.list_procedures(session=session, **filters)  # type: ignore[arg-type]
        assert [p.code for p in found] == codes


def test_facets_count_fields_levels_and_agencies(database: Database) -> None:
    _import(database, CATALOGUE)
    with database.unit_of_work() as session:
        facets = service.facets(session=session)
        everything = [p.code for p in service.iter_all(session=session)]
    assert facets["fields"] == [("Hộ tịch", 2), ("Đường bộ", 1), ("Đất đai", 1)]
    assert facets["levels"] == [("Cấp xã", 3), ("Cấp bộ", 1), ("Cấp tỉnh", 1)]
    assert facets["agencies"] == [("Ủy ban nhân dân cấp xã", 2), ("Cục CSGT", 1), ("Văn phòng đăng ký đất đai", 1)]
    assert sorted(everything) == ["1.000894", "1.001193", "1.012783", "3.000346"]


def test_the_agency_filter_and_its_choices_ignore_how_the_catalogue_cases_a_name(database: Database) -> None:
    police = [  # as the catalogue writes them: "Công an cấp Xã" (43), "Công an tỉnh" (22) and "Công An Tỉnh" (1)
        line("1.000001", "Đăng ký thường trú", co_quan_thuc_hien="Công an cấp Xã"),
        line("1.000002", "Đăng ký tạm trú", co_quan_thuc_hien="Công an cấp Xã"),
        line("1.000003", "Cấp hộ chiếu", co_quan_thuc_hien="Công an tỉnh"),
        line("1.000004", "Cấp lại hộ chiếu", co_quan_thuc_hien="Công an tỉnh"),
        line("1.000005", "Cấp giấy thông hành", co_quan_thuc_hien="Công An Tỉnh"),
    ]
    _import(database, police)
    with database.unit_of_work() as session:
        for typed in ("Công an cấp xã", "công an cấp xã", "CÔNG AN CẤP XÃ", "Công an cấp Xã"):
            found = service.list_procedures(session=session, agency=typed)
            assert [p.code for p in found] == ["1.000001", "1.000002"], typed
        assert service.count_procedures(session=session, agency="công an tỉnh") == 3
        assert service.agency_as_written(session=session, agency="công an cấp xã") == "Công an cấp Xã"
        assert service.facets(session=session)["agencies"] == [("Công an tỉnh", 3), ("Công an cấp Xã", 2)]


def test_the_shipped_demo_sample_imports_whole(database: Database) -> None:
    sample = resources.files("mauson.assistant") / "data" / "procedures_demo.jsonl"
    lines = sample.read_text("utf-8").splitlines()
    report = _import(database, lines)
    assert 60 <= report.created == len(lines) <= 120 and report.rejected == []
    assert report.coverage.channels == report.coverage.records
    assert report.coverage.complete >= 0.9 * report.coverage.records
    with database.unit_of_work() as session:
        assert service.list_procedures(session=session, query="đăng ký khai sinh", level="Cấp xã")


# --- the `mauson procedures` commands ------------------------------------------------------------


def _cli(settings: Settings, database: Database, *args: str) -> Result:
    root = typer.Typer(cls=MausonGroup)
    root.add_typer(procedures_app, name="procedures")
    return CliRunner().invoke(root, ["procedures", *args], obj=CliState(settings, database))


def test_cli_import_prints_counts_coverage_and_rejected_lines(
    settings: Settings, database: Database, tmp_path: Path
) -> None:
    source = tmp_path / "tthc.jsonl"
    source.write_text("\n".join([CATALOGUE[0], "{hỏng", CATALOGUE[1]]) + "\n", encoding="utf-8")
    result = _cli(settings, database, "import", str(source))
    assert result.exit_code == 0, result.output
    assert "2 thủ tục mới, 0 cập nhật, 0 không đổi, 1 dòng bị từ chối" in result.stdout
    assert "cách thức nộp 2/2 (100,0 %)" in result.stdout
    assert "Dòng 2: không đọc được JSON" in result.stdout
    shown = _cli(settings, database, "show", "1.001193")
    assert shown.exit_code == 0, shown.output
    assert "1.001193 — Thủ tục đăng ký khai sinh" in shown.stdout
    assert "Trực tiếp: thời hạn 5 Ngày làm việc; phí, lệ phí: Lệ phí: 8.000 Đồng" in shown.stdout
    assert "Nghị định 123/2015/NĐ-CP" in shown.stdout


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("ma_thu_tuc,ten_thu_tuc\n1.001193,Đăng ký khai sinh\n".encode(), "không phải danh mục thủ tục hành chính"),
        (b"\x00\x01\x02binary", "nhị phân"),
    ],
)
def test_cli_refuses_a_wrong_file_in_one_line(
    settings: Settings, database: Database, tmp_path: Path, content: bytes, message: str
) -> None:
    source = tmp_path / "khong-phai.csv"
    source.write_bytes(content)
    result = _cli(settings, database, "import", str(source))
    assert result.exit_code == 1
    assert result.stderr.startswith("Lỗi: ") and message in result.stderr
    with database.unit_of_work() as session:
        assert _count(session, Procedure) == 0
