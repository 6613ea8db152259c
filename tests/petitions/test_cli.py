"""`mauson petitions`: the batch triage's exact output, retraining, import and escalation."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from sqlalchemy import select

from mauson.db import Database
from mauson.identity.models import Actor, Role
from mauson.petitions import intake, workflow
from mauson.petitions.classifier import load, retrained_path, shipped_model, shipped_path
from mauson.petitions.models import Decision, Petition, PetitionAlert, PetitionCreate
from mauson.settings import Settings
from tests.conftest import Invoke
from tests.factories import make_user
from tests.petitions import FIXTURES
from tests.petitions.receivers import webhook_receiver

WATER = "Mất nước sinh hoạt 3 ngày nay ở khu đường Bắc Sơn, phường Kỳ Lừa, đề nghị kiểm tra đường ống."
LIGHTS = "Đèn đường trên đường Bà Triệu, phường Lương Văn Tri tắt cả tuần nay, buổi tối rất tối."


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


def _lines(tmp_path: Path, *records: dict[str, str] | str) -> Path:
    """A JSON Lines file of `records` (a string is written as it is: a line that is not JSON)."""
    path = tmp_path / "batch.jsonl"
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)) + "\n" for r in records))
    return path


def test_the_batch_gives_a_text_the_intake_refuses_no_labels_and_says_why(cli: Invoke, tmp_path: Path) -> None:
    path = _lines(
        tmp_path,
        {"id": "a", "text": "Cháy nhà!", "submitted_at": "2026-01-10T22:00:00+07:00"},
        {"id": "b", "text": "Cháy nhà ở thôn Nà Lừa, lửa đang lan sang nhà bên", "submitted_at": "2026-01-10T22:10:00"},
        {"id": "c", "text": " ", "submitted_at": "2026-01-10T22:20:00+07:00"},
        {"id": "b", "text": WATER, "submitted_at": "2026-01-10T22:30:00+07:00"},
    )
    result = cli("petitions", "triage", "--jsonl", str(path))
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["id"] for line in lines] == ["a", "b", "c", "b"], "one line out per line in"
    assert lines[0]["category"] is lines[0]["agency"] is lines[0]["urgency"] is None
    assert lines[0]["error"].startswith("Nội dung quá ngắn") and lines[2]["error"].startswith(
        "Nội dung phản ánh đang trống"
    )
    assert lines[1]["urgency"] == "khan_cap" and lines[1]["duplicate_of"] is None, (
        "a refused line is no one's first report"
    )
    assert "error" not in lines[1] and lines[3]["category"] == "dien_nuoc"
    assert "mã «b» lặp lại ở các dòng 2, 4" in result.stderr


def test_a_line_the_batch_cannot_read_gets_its_output_line_naming_it_and_the_rest_is_triaged(
    cli: Invoke, tmp_path: Path
) -> None:
    """As the import goes on past a bad line, so does the batch: one line out per line in, always."""
    path = _lines(
        tmp_path,
        {"id": "a", "text": WATER, "submitted_at": "2026-03-02T08:00:00+07:00"},
        '{"id": "b", "text": "Đường',  # cut off: not JSON
        {"text": LIGHTS, "submitted_at": "2026-03-02T09:00:00+07:00"},  # no id
        {"id": "d", "text": LIGHTS, "submitted_at": "02/12/2026 10:00"},  # not ISO 8601
        {"id": "e", "text": LIGHTS, "submitted_at": "2031-01-01T08:00:00+07:00"},  # the import refuses it too
        {"id": "f", "text": LIGHTS, "submitted_at": "2026-03-03T09:00:00+07:00"},
    )
    result = cli("petitions", "triage", "--jsonl", str(path))
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["id"] for line in lines] == ["a", None, None, "d", "e", "f"], "null where no id could be read"
    assert lines[0]["category"] == "dien_nuoc" and lines[5]["category"] is not None and "error" not in lines[5]
    assert all(line["category"] is line["urgency"] is None for line in lines[1:5])
    assert lines[1]["error"] == "Dòng 2 không phải JSON UTF-8 hợp lệ."
    assert lines[2]["error"].startswith("Dòng 3 phải có dạng")
    assert lines[3]["error"] == "Dòng 4: submitted_at không phải thời điểm ISO 8601."
    assert lines[4]["error"].startswith("Thời điểm gửi 01/01/2031 08:00 (giờ Việt Nam) ở tương lai")
    assert "Cảnh báo: Dòng 2 không phải JSON" in result.stderr
    assert "Cảnh báo: Dòng 5: Thời điểm gửi 01/01/2031" in result.stderr

    unreadable = cli("petitions", "triage", "--jsonl", str(_lines(tmp_path, "không phải JSON", {"id": 2})))
    assert unreadable.exit_code == 1 and "Không đọc được dòng nào" in unreadable.stderr
    assert [json.loads(line)["id"] for line in unreadable.stdout.splitlines()] == [None, "2"], "each still has its line"


STRAY_DOGS = [
    "Chó nhà ông Tư thả rông ra đường cắn người đi chợ",
    "cho tha rong can tre con o xom",
    "Chó không rọ mõm chạy khắp ngõ, trẻ con sợ",
    "Đàn chó thả rông sủa đêm và cắn gà nhà hàng xóm",
    "Nhiều chó thả rông chưa tiêm phòng dại ở thôn",
    "chó dữ thả rông cắn người giao hàng",
]


def _triaged_category(cli: Invoke, text: str) -> str:
    result = cli("petitions", "triage", text)
    assert result.exit_code == 0, result.output
    return next(line for line in result.stdout.splitlines() if line.startswith("Lĩnh vực:"))


def test_officers_corrections_teach_the_model_the_platform_triages_with(
    cli: Invoke, database: Database, settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Run where the project keeps its train file (../shared/eval): the default learns from it, as the
    shipped model did, and from the corrections; the model goes to the data dir, the package's stays."""
    (tmp_path / "shared" / "eval").mkdir(parents=True)
    shutil.copy(FIXTURES / "train_sample.jsonl", tmp_path / "shared" / "eval" / "petitions_train.jsonl")
    (tmp_path / "work").mkdir()
    monkeypatch.chdir(tmp_path / "work")
    shipped = shipped_path().read_bytes()
    admin = make_user(database, username="quan.tri", role=Role.ADMIN)
    officer = Actor(user_id=admin.id, username=admin.username, role=Role.ADMIN, via="web")
    with database.unit_of_work() as session:  # stray dogs are the veterinary service's, not the police's
        for text in STRAY_DOGS:
            data = PetitionCreate(text=text)
            petition = intake.submit(session=session, actor=officer, data=data, model=shipped_model())
            decision = Decision(category="nong_nghiep", agency="so_nn_mt", urgency="binh_thuong")
            workflow.decide(session=session, actor=officer, petition_id=petition.id, decision=decision)
    new_case = "Chó thả rông cắn trẻ con trước cổng trường"
    assert "Nông nghiệp" not in _triaged_category(cli, new_case)

    result = cli("petitions", "train")
    assert result.exit_code == 0, result.output
    with database.unit_of_work() as session:  # those the triage had right were accepted, not corrected
        corrected = len(workflow.corrected_examples(session=session, actor=officer))
    assert corrected >= 4
    sources = f"538 từ seed.jsonl, 7 từ petitions_train.jsonl, {corrected} sửa đổi của cán bộ"
    assert f"{545 + corrected} phản ánh ({sources})" in result.stdout
    assert "Phản ánh tới được phân loại bằng mô hình này" in result.stdout
    compared = re.search(r"trên 6 phản ánh gần nhất: đổi lĩnh vực (\d+), cơ quan (\d+), mức khẩn (\d+)", result.stdout)
    assert compared is not None and int(compared[1]) >= 3, "what the retraining changes is shown before it is used"
    retrained = retrained_path(settings.data_dir)
    assert load(retrained).meta["sources"] == ["seed.jsonl", "petitions_train.jsonl", "corrections"]
    assert shipped_path().read_bytes() == shipped, "the package's model is left as it was"
    assert "Nông nghiệp" in _triaged_category(cli, new_case)

    retrained.unlink()  # back to the shipped model
    assert "Nông nghiệp" not in _triaged_category(cli, new_case)


def test_a_retrained_model_that_cannot_be_read_leaves_triage_to_the_shipped_one_until_retrained(
    cli: Invoke, settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file copied in by hand, cut short: petitions are still received and triaged, and the
    operator can retrain over it."""
    broken = retrained_path(settings.data_dir)
    broken.parent.mkdir(parents=True)
    broken.write_bytes(b"x")
    assert "Lĩnh vực:" in _triaged_category(cli, "Đèn đường ở đầu thôn tắt cả tháng nay")
    (tmp_path / "shared" / "eval").mkdir(parents=True)
    shutil.copy(FIXTURES / "train_sample.jsonl", tmp_path / "shared" / "eval" / "petitions_train.jsonl")
    (tmp_path / "work").mkdir()
    monkeypatch.chdir(tmp_path / "work")
    assert cli("petitions", "train", "--no-corrections").exit_code == 0
    assert load(broken).meta["sources"] == ["seed.jsonl", "petitions_train.jsonl"]


def test_training_refuses_to_replace_a_model_with_one_that_forgets_a_file_it_learned_from(
    cli: Invoke, settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where the train file is missing, retraining the shipped model (seed + train) would drop a sixth of it."""
    monkeypatch.chdir(tmp_path)
    result = cli("petitions", "train")  # the platform triages with the shipped model until now
    assert result.exit_code == 1 and "đã học cả petitions_train.jsonl" in result.stderr and "--forget" in result.stderr
    assert not retrained_path(settings.data_dir).exists()
    assert cli("petitions", "train", "--forget").exit_code == 0, "a server without the train file may still retrain"
    assert load(retrained_path(settings.data_dir)).meta["sources"] == ["seed.jsonl"]
    retrained_path(settings.data_dir).unlink()
    model = tmp_path / "triage.npz.gz"
    shutil.copy(shipped_path(), model)
    result = cli("petitions", "train", "-o", str(model))
    assert result.exit_code == 1 and "đã học cả petitions_train.jsonl" in result.stderr
    assert model.read_bytes() == shipped_path().read_bytes(), "the model in place is left as it was"


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


def test_an_import_reports_each_refused_line_by_number_and_imports_the_rest_once(
    cli: Invoke, database: Database, tmp_path: Path
) -> None:
    path = _lines(
        tmp_path,
        {"id": "t1", "text": WATER, "submitted_at": "2026-03-02T08:00:00+07:00", "channel": "hotline"},
        {"id": "t2", "text": "ngắn quá", "submitted_at": "2026-03-02T08:05:00+07:00"},
        {"id": "t3", "text": LIGHTS, "submitted_at": "2030-01-01T08:00:00+07:00"},
        '{"id": "t4", "text": "Đường',
        {"id": "t5", "text": LIGHTS, "submitted_at": "2026-03-03T09:00:00+07:00", "channel": "fax"},
    )
    first = cli("petitions", "import", str(path))
    assert first.exit_code == 0, first.output
    assert "Dòng 2: Nội dung quá ngắn" in first.stdout
    assert "Dòng 3: Thời điểm gửi 01/01/2030 08:00 (giờ Việt Nam) ở tương lai" in first.stdout
    assert "Dòng 4 không phải JSON" in first.stdout
    assert "Đã đọc 5 dòng: 2 phản ánh mới, 0 dòng đã nhập trước đó (không nhập lại), 3 dòng bị từ chối." in first.stdout
    again = cli("petitions", "import", str(path))
    assert "0 phản ánh mới, 2 dòng đã nhập trước đó" in again.stdout
    with database.unit_of_work() as session:
        channels = [p.channel for p in session.scalars(select(Petition).order_by(Petition.submitted_at))]
    assert channels == ["hotline", "import"], "a channel the platform knows is kept, once"

    refused = cli("petitions", "import", str(_lines(tmp_path, {"id": "x", "text": "ngắn"})))
    assert refused.exit_code == 1 and "Dòng 1: Nội dung quá ngắn" in refused.stdout
    assert "Không nhập được dòng nào" in refused.stderr


def test_an_import_says_how_many_alerts_reached_someone(cli: Invoke, database: Database, tmp_path: Path) -> None:
    with webhook_receiver() as (url, received):
        assert cli("petitions", "notifier", "--org", "CAT", "--webhook", url).exit_code == 0
        result = cli("petitions", "import", str(_batch_input(tmp_path)))
    assert result.exit_code == 0, result.output
    with database.unit_of_work() as session:
        raised = len(list(session.scalars(select(PetitionAlert))))
    assert raised == 3 and len(received) == 1, "the fire reached the police; the health department has no receiver"
    assert received[0]["url"].startswith("http://"), "a link the duty officer can open, not a bare path"
    assert (
        "3 cảnh báo khẩn cấp đã lên bảng cảnh báo của cơ quan trực: 1 đã gửi đến nơi nhận, "
        "2 chưa gửi được đến ai (cơ quan chưa cấu hình nơi nhận cảnh báo)."
    ) in result.stdout


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
