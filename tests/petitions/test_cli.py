"""`mauson petitions`: the batch triage's exact output, retraining, import and escalation."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select

from mauson.db import Database
from mauson.petitions import intake
from mauson.petitions.classifier import load
from mauson.petitions.models import Petition, PetitionCorrection, PetitionCreate
from tests.conftest import Invoke
from tests.factories import CLERK
from tests.petitions import FIXTURES


def _batch_input(tmp_path: Path) -> Path:
    lines = [json.loads(line) for line in (FIXTURES / "train_sample.jsonl").read_text("utf-8").splitlines()]
    path = tmp_path / "in.jsonl"
    fields = ("id", "text", "submitted_at", "channel")
    path.write_text("".join(json.dumps({k: r[k] for k in fields}, ensure_ascii=False) + "\n" for r in lines[::-1]))
    return path


def test_the_batch_writes_one_line_per_input_in_input_order(cli: Invoke, tmp_path: Path) -> None:
    result = cli("petitions", "triage", "--jsonl", str(_batch_input(tmp_path)))
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["id"] for line in lines] == ["p226", "p208", "p207", "p043", "p015", "p003", "p002"]
    assert set(lines[0]) == {"id", "category", "agency", "urgency", "commune", "duplicate_of"}
    by_id = {line["id"]: line for line in lines}
    assert by_id["p003"]["duplicate_of"] == "p002" and by_id["p002"]["duplicate_of"] is None
    assert by_id["p015"]["urgency"] == "khan_cap" and by_id["p002"]["commune"] == "Xã Thất Khê"


def test_one_text_is_explained_in_vietnamese(cli: Invoke) -> None:
    result = cli("petitions", "triage", "mat nuoc 4 ngay o phuong Ky Lua, cong ty cap nuoc ko tra loi")
    assert "Lĩnh vực: Điện, nước" in result.stdout and "Xã/phường: Phường Kỳ Lừa" in result.stdout
    assert cli("petitions", "triage", "  ").exit_code == 1
    accented = cli("petitions", "triage", "Tôi là Lò Văn Sài, SĐT 0912345678. Mất nước 4 ngày ở phường Kỳ Lừa.")
    assert "nước" in accented.stdout.split("Lĩnh vực:")[1].splitlines()[0], "the deciding words as written"
    assert "Dữ liệu cá nhân: Họ tên, Số điện thoại" in accented.stdout


def test_a_bad_line_names_its_number(cli: Invoke, tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"id": 1, "text": "ok"}\n{"id": 2}\n')
    result = cli("petitions", "triage", "--jsonl", str(path))
    assert result.exit_code == 1 and "Dòng 2" in result.output


def test_training_learns_from_files_and_officers_corrections(cli: Invoke, database: Database, tmp_path: Path) -> None:
    with database.unit_of_work() as session:
        petition = intake.submit(
            session=session, actor=CLERK, data=PetitionCreate(text="Loa kẹo kéo hát karaoke đến nửa đêm")
        )
        petition.category = "van_hoa_du_lich"
        session.add(PetitionCorrection(petition_id=petition.id, field="category", new_value="van_hoa_du_lich"))
    output = tmp_path / "model.npz.gz"
    result = cli("petitions", "train", "--source", str(FIXTURES / "train_sample.jsonl"), "-o", str(output))
    assert result.exit_code == 0, result.output
    assert "1 sửa đổi của cán bộ" in result.stdout
    model = load(output)
    assert model.meta["sources"] == ["seed.jsonl", "train_sample.jsonl", "corrections"]


def test_import_stores_and_triages_and_escalate_flags_overdue_cases(
    cli: Invoke, database: Database, tmp_path: Path
) -> None:
    assert cli("petitions", "import", str(_batch_input(tmp_path))).exit_code == 0
    with database.unit_of_work() as session:
        rows = list(session.scalars(select(Petition).order_by(Petition.submitted_at)))
        assert len(rows) == 7 and all(p.status == "da_phan_loai" for p in rows)
        assert rows[1].duplicate_of_id == rows[0].id  # p003 after p002
    result = cli("petitions", "escalate")
    assert result.exit_code == 0 and result.stdout.startswith("7 phản ánh quá hạn")  # all dated 2026, due long ago


def test_demo_load_submits_the_demo_petitions_once_triaged_with_their_communes(cli: Invoke, database: Database) -> None:
    first = cli("demo", "load")
    assert first.exit_code == 0, first.output
    assert "Phản ánh mẫu: 16 phản ánh" in first.output
    with database.unit_of_work() as session:
        petitions = list(session.scalars(select(Petition)))
        assert len(petitions) == 16 and all(p.category for p in petitions)
        assert len({p.commune_code for p in petitions if p.commune_code}) >= 8, "the map has places to show"
        assert any(p.urgency == "khan_cap" for p in petitions), "the fire reaches the emergency lane"
    assert "Phản ánh mẫu" not in cli("demo", "load").output
