"""The audit log through the API, the admin page and `mauson audit verify`."""

from __future__ import annotations

import re

import httpx
from sqlalchemy import func, select, text

from mauson.audit.models import AuditEntry
from mauson.db import Database
from mauson.identity.models import Role
from tests.conftest import Invoke
from tests.factories import bearer, drop_audit_guards, log_in, make_token, make_user, record_events


def test_admins_filter_the_log_by_actor_and_action(client: httpx.Client, database: Database) -> None:
    admin = make_user(database, username="qt.nhatky", role=Role.ADMIN)
    headers = bearer(make_token(database, admin))
    record_events(database, 3)
    client.post(
        "/api/v1/users", json={"username": "x.y.z", "full_name": "X", "organisation_code": "STC"}, headers=headers
    )
    page = client.get("/api/v1/audit", params={"actor": "qt.nhatky", "action": "user."}, headers=headers).json()
    assert [e["action"] for e in page["entries"]] == ["user.create"]
    assert page["entries"][0]["ip"] == "127.0.0.1" and page["entries"][0]["via"] == "api"
    chain = client.get("/api/v1/audit/verify", headers=headers).json()
    assert chain["ok"] is True and chain["checked"] >= 5


def test_the_admin_page_shows_entries_and_a_broken_chain(client: httpx.Client, database: Database) -> None:
    make_user(database, username="qt.trang", role=Role.ADMIN)
    log_in(client, "qt.trang")
    page = client.get("/admin/audit", params={"action": "auth.login"})
    assert page.status_code == 200 and "Chuỗi băm nguyên vẹn" in page.text and "qt.trang" in page.text
    assert client.get("/admin/audit", params={"since": "", "until": "", "outcome": ""}).status_code == 200
    bad_date = client.get("/admin/audit", params={"since": "31/12/2025"})
    assert bad_date.status_code == 422 and "năm-tháng-ngày" in bad_date.text
    drop_audit_guards(database)
    with database.engine.begin() as connection:
        connection.execute(text("UPDATE audit_entries SET details = '{\"x\": 1}' WHERE id = 1"))
    assert "Chuỗi băm bị phá vỡ tại mục 1" in client.get("/admin/audit").text


def test_the_admin_page_says_each_action_and_result_in_vietnamese_and_keeps_the_code(
    client: httpx.Client, database: Database
) -> None:
    make_user(database, username="qt.doc", role=Role.ADMIN)
    log_in(client, "qt.doc")
    client.get("/admin/audit", params={"action": "auth."})  # this listing is itself recorded
    page = client.get("/admin/audit").text
    login = page.split("<td>qt.doc</td>")[-1].split("</tr>")[0]  # the oldest row of qt.doc: the login
    assert 'Đăng nhập <code class="code-note">auth.login</code>' in login
    assert '<span class="badge ok" title="ok">thành công</span>' in login
    listing = page.split("<td>qt.doc</td>")[1].split("</tr>")[0]  # the newest: the filtered listing
    assert 'Xem nhật ký kiểm toán <code class="code-note">audit.list</code>' in listing
    assert '<td class="details">bộ lọc: action = auth.</td>' in listing and "{&#34;" not in page
    checked = re.search(r"đã kiểm tra (\d+) mục", page)
    listed = re.search(r"(\d+) mục · trang", page)
    assert checked and listed and checked[1] == listed[1], "the chain and the list count the same entries"


def test_cli_verify_passes_on_a_fresh_database_and_names_the_tampered_entry(cli: Invoke, database: Database) -> None:
    assert cli("db", "upgrade").exit_code == 0
    record_events(database, 4)
    with database.unit_of_work() as session:
        total = session.scalar(select(func.count()).select_from(AuditEntry)) or 0
    ok = cli("audit", "verify")
    assert ok.exit_code == 0 and f"nguyên vẹn: {total} mục" in ok.output
    drop_audit_guards(database)
    with database.engine.begin() as connection:
        connection.execute(text("UPDATE audit_entries SET ip = '203.0.113.9' WHERE id = :id"), {"id": total - 1})
    broken = cli("audit", "verify")
    assert broken.exit_code == 1
    assert f"mục {total - 1}:" in broken.stderr and "đã bị sửa" in broken.stderr
