"""Personal-data scanning through the API, the officer's page and `mauson pii`."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
from sqlalchemy import select

from mauson.audit.models import AuditEntry
from mauson.db import Database
from mauson.identity.models import Role
from tests.conftest import Invoke
from tests.factories import bearer, form_token, log_in, make_token, make_user

LETTER = "Tôi là Lương Văn Tùng, CCCD 020085001234, SĐT 0912 345 678, trú tại thôn Nà Pàn, xã Tân Liên."


def _last_entry(database: Database) -> AuditEntry:
    with database.unit_of_work() as session:
        entry = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        assert entry is not None
        return entry


def test_the_api_scans_and_the_audit_log_keeps_counts_but_no_data(client: httpx.Client, database: Database) -> None:
    headers = bearer(make_token(database, make_user(database, username="can.bo", role=Role.OFFICER)))
    response = client.post("/api/v1/privacy/scan", json={"text": LETTER}, headers=headers)
    assert response.status_code == 200
    body = response.json()
    assert body["counts"] == {"ADDRESS": 1, "CCCD": 1, "PERSON": 1, "PHONE": 1}
    assert {e["text"] for e in body["entities"]} >= {"Lương Văn Tùng", "020085001234"}
    entry = _last_entry(database)
    assert entry.action == "privacy.scan" and "020085001234" not in entry.details and "Tùng" not in entry.details


def test_the_api_redacts_and_only_authorised_officers_decrypt(client: httpx.Client, database: Database) -> None:
    officer = bearer(make_token(database, make_user(database, username="can.bo.2", role=Role.OFFICER)))
    manager = bearer(make_token(database, make_user(database, username="qtv.so", role=Role.AGENCY_ADMIN)))
    masked = client.post("/api/v1/privacy/redact", json={"text": LETTER, "method": "mask"}, headers=officer).json()
    assert "020******234" in masked["text"]
    sealed = client.post("/api/v1/privacy/redact", json={"text": LETTER, "method": "encrypt"}, headers=officer).json()
    assert client.post("/api/v1/privacy/decrypt", json={"text": sealed["text"]}, headers=officer).status_code == 403
    opened = client.post("/api/v1/privacy/decrypt", json={"text": sealed["text"]}, headers=manager)
    assert opened.status_code == 200 and opened.json()["text"] == LETTER
    assert _last_entry(database).action == "privacy.decrypt"
    bad = client.post("/api/v1/privacy/redact", json={"text": LETTER, "method": "xoa-het"}, headers=officer)
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "invalid"


def test_anonymous_callers_cannot_scan(client: httpx.Client) -> None:
    assert client.post("/api/v1/privacy/scan", json={"text": LETTER}).status_code == 401


def test_the_page_highlights_the_data_and_offers_the_anonymised_text(client: httpx.Client, database: Database) -> None:
    make_user(database, username="van.thu", role=Role.OFFICER)
    log_in(client, "van.thu")
    page = client.post("/privacy", data={"text": LETTER, "method": "tag", "csrf_token": form_token(client, "/privacy")})
    assert page.status_code == 200
    assert '<mark class="pii pii-person" title="Họ tên">Lương Văn Tùng' in page.text
    assert "Tôi là [HỌ TÊN], CCCD [SỐ CCCD]" in page.text
    empty = client.post("/privacy", data={"text": "  ", "csrf_token": form_token(client, "/privacy")})
    assert empty.status_code == 422 and "Hãy dán văn bản" in empty.text


def test_cli_scan_prints_each_hit_and_jsonl_answers_one_line_per_input(cli: Invoke, tmp_path: Path) -> None:
    letter = tmp_path / "don.txt"
    letter.write_text(LETTER + "\n", encoding="utf-8")
    result = cli("pii", "scan", str(letter))
    assert result.exit_code == 0 and "CCCD" in result.output and "'020085001234'" in result.output
    batch = tmp_path / "in.jsonl"
    batch.write_text(
        json.dumps({"id": "a", "text": LETTER}) + "\n" + json.dumps({"id": "b", "text": "Trời mưa."}) + "\n"
    )
    lines = [json.loads(line) for line in cli("pii", "scan", "--jsonl", str(batch)).output.splitlines()]
    assert [line["id"] for line in lines] == ["a", "b"] and lines[1]["entities"] == []
    first = lines[0]["entities"][0]
    assert LETTER[first["start"] : first["end"]] == first["text"] and set(first) == {
        "start",
        "end",
        "type",
        "text",
        "score",
    }


def test_cli_redact_writes_the_output_file_whole_or_not_at_all(cli: Invoke, tmp_path: Path) -> None:
    source, target = tmp_path / "don.txt", tmp_path / "don-an.txt"
    source.write_text(LETTER, encoding="utf-8")
    assert cli("pii", "redact", str(source), "--method", "tag", "-o", str(target)).exit_code == 0
    assert target.read_text("utf-8").startswith("Tôi là [HỌ TÊN]")
    (tmp_path / "binary.bin").write_bytes(b"\x00\x01\x02 not text")
    failed = cli("pii", "redact", str(tmp_path / "binary.bin"), "-o", str(tmp_path / "out.txt"))
    assert failed.exit_code == 1 and "nhị phân" in failed.stderr
    assert not (tmp_path / "out.txt").exists() and not list(tmp_path.glob(".out.txt.*"))


def test_cli_table_reports_columns_and_the_generalisation_that_reaches_k(cli: Invoke, tmp_path: Path) -> None:
    csv_file = tmp_path / "ds.csv"
    rows = "\n".join(
        f'{n},Nông Văn Tùng{n},12/03/19{80 + n % 3},{"Nam" if n % 2 else "Nữ"},"thôn Nà Pàn, xã Tân Liên"'
        for n in range(1, 30)
    )
    csv_file.write_text("STT,Họ tên,Ngày sinh,Giới tính,Địa chỉ\n" + rows, encoding="utf-8")
    result = cli("pii", "table", str(csv_file), "--k", "3")
    assert result.exit_code == 0, result.output
    assert "Họ tên" in result.output and "Ngày sinh" in result.output and "k đạt được = " in result.output
    achieved = int(result.output.rsplit("k đạt được = ", 1)[1].split(".")[0])
    assert achieved >= 3
    missing = cli("pii", "table", str(csv_file), "--qi", "Nghề nghiệp")
    assert missing.exit_code == 1 and "Không có cột: Nghề nghiệp" in missing.stderr
