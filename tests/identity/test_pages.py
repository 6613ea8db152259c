"""The login, user and token pages, as a browser without JavaScript would use them."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import func, select

from mauson.audit.models import AuditEntry
from mauson.db import Database
from mauson.identity.models import Role, User
from tests.factories import PASSWORD, form_token, log_in, make_user


def test_logging_in_sets_a_session_cookie_and_shows_the_user(client: httpx.Client, database: Database) -> None:
    make_user(database, username="thu.trang", role=Role.OFFICER)
    response = log_in(client, "thu.trang")
    assert response.status_code == 303 and response.headers["location"] == "/"
    cookie = response.headers["set-cookie"]
    assert "mauson_session=" in cookie and "HttpOnly" in cookie and "samesite=lax" in cookie.lower()
    assert "Xin chào, <strong>thu.trang</strong>" in client.get("/").text


def test_a_wrong_password_is_refused_in_vietnamese_and_audited(client: httpx.Client, database: Database) -> None:
    make_user(database, username="sai.mk")
    response = log_in(client, "sai.mk", "khong-dung")
    assert response.status_code == 401
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.text
    assert "mauson_session" not in response.headers.get("set-cookie", "")
    with database.unit_of_work() as session:
        entry = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        assert entry is not None
        assert (entry.action, entry.outcome, entry.actor_name) == ("auth.login", "failed", "sai.mk")


def test_after_five_failures_the_account_is_locked_for_a_while(client: httpx.Client, database: Database) -> None:
    make_user(database, username="bi.khoa")
    for _ in range(5):
        log_in(client, "bi.khoa", "sai-mat-khau")
    response = log_in(client, "bi.khoa", PASSWORD)
    assert response.status_code == 429
    assert "tạm khóa" in response.text and "nhờ quản trị viên mở khóa" in response.text
    assert 0 < int(response.headers["Retry-After"]) <= 15 * 60


def test_a_form_without_its_csrf_token_is_refused_and_nothing_is_written(
    client: httpx.Client, database: Database
) -> None:
    make_user(database, username="qt.csrf", role=Role.ADMIN)
    log_in(client, "qt.csrf")
    form = {"username": "gia.mao", "full_name": "Giả mạo", "role": "admin", "organisation_code": "SNV"}
    response = client.post("/admin/users", data=form)
    assert response.status_code == 403 and "CSRF" in response.text
    forged = client.post("/admin/users", data={**form, "csrf_token": "0" * 64})
    assert forged.status_code == 403
    with database.unit_of_work() as session:
        assert session.scalar(select(func.count()).select_from(User).where(User.username == "gia.mao")) == 0


def test_an_admin_creates_a_user_who_must_change_the_one_time_password(
    client: httpx.Client, server: str, database: Database
) -> None:
    make_user(database, username="qt.tao", role=Role.ADMIN)
    log_in(client, "qt.tao")
    form = {
        "username": "nong.van.ba",
        "full_name": "Nông Văn Ba",
        "role": "officer",
        "organisation_code": "05977",
        "csrf_token": form_token(client, "/admin/users"),
    }
    page = client.post("/admin/users", data=form)
    assert page.status_code == 201 and "Đã tạo tài khoản <strong>nong.van.ba</strong>" in page.text
    one_time = page.text.split('id="one-time-password">')[1].split("<")[0]

    with httpx.Client(base_url=server) as newcomer:
        first = log_in(newcomer, "nong.van.ba", one_time)
        assert first.headers["location"] == "/account/password"
        assert newcomer.get("/tokens").headers["location"] == "/account/password?next=/tokens"
        token = form_token(newcomer, "/account/password")
        changed = newcomer.post(
            "/account/password",
            data={
                "current": one_time,
                "new": "mat-khau-rieng-cua-ba",
                "confirm": "mat-khau-rieng-cua-ba",
                "csrf_token": token,
            },
        )
        assert changed.status_code == 303
        home = newcomer.get(changed.headers["location"]).text
        assert 'id="password-changed"' in home and "Đã đổi mật khẩu" in home
        assert newcomer.get("/tokens").status_code == 200
        assert "Đã đổi mật khẩu" not in newcomer.get("/").text  # said once, not on every visit


def test_a_one_time_password_is_changed_on_the_way_to_the_page_asked_for(
    server: str, database: Database, client: httpx.Client
) -> None:
    make_user(database, username="qt.moi", role=Role.ADMIN)
    log_in(client, "qt.moi")
    made = client.post(
        "/admin/users",
        data={
            "username": "be.van.tu",
            "full_name": "Bế Văn Tư",
            "role": "officer",
            "organisation_code": "05977",
            "csrf_token": form_token(client, "/admin/users"),
        },
    )
    one_time = made.text.split('id="one-time-password">')[1].split("<")[0]
    with httpx.Client(base_url=server) as newcomer:
        asked = newcomer.get("/tokens")
        assert asked.status_code == 303 and asked.headers["location"] == "/login?next=/tokens"
        first = log_in(newcomer, "be.van.tu", one_time, next_page="/tokens")
        assert first.headers["location"] == "/account/password?next=/tokens"
        inbox = newcomer.get("/officer/petitions", params={"status": "moi"}).headers["location"]
        assert inbox == "/account/password?next=/officer/petitions%3Fstatus%3Dmoi", "the query kept in one value"
        form = newcomer.get(first.headers["location"]).text
        assert 'name="next" value="/tokens"' in form
        new = {"current": one_time, "new": "mat-khau-rieng-cua-tu", "confirm": "mat-khau-rieng-cua-tu"}
        changed = newcomer.post(
            "/account/password",
            data={**new, "next": "/tokens", "csrf_token": form_token(newcomer, "/account/password")},
        )
        assert changed.headers["location"] == "/tokens?password_changed=1"
        landed = newcomer.get(changed.headers["location"]).text
        assert 'id="password-changed"' in landed and "<h1>Token API</h1>" in landed
    assert 'id="password-changed"' not in httpx.get(f"{server}/login?password_changed=1").text, "nobody else's"


@pytest.mark.parametrize(
    ("asked", "landing"),
    [
        ("/tokens", "/tokens"),
        ("//evil.example/x", "/"),
        ("https://evil.example/x", "/"),
        ("/\\evil.example", "/"),
        ("/account/password?next=/tokens", "/tokens"),  # a step on the way: where it was going
        ("/login?next=/account/password", "/"),
    ],
)
def test_after_the_login_one_goes_only_to_a_page_of_ours_never_back_to_a_form(
    client: httpx.Client, database: Database, asked: str, landing: str
) -> None:
    make_user(database, username="di.dau")
    assert log_in(client, "di.dau", next_page=asked).headers["location"] == landing


def test_invalid_user_form_shows_what_to_fix(client: httpx.Client, database: Database) -> None:
    make_user(database, username="qt.sai", role=Role.ADMIN)
    log_in(client, "qt.sai")
    form = {
        "username": "Tên Có Dấu",
        "full_name": "",
        "role": "viewer",
        "organisation_code": "SNV",
        "csrf_token": form_token(client, "/admin/users"),
    }
    page = client.post("/admin/users", data=form)
    assert page.status_code == 422 and "tên đăng nhập 3–64 ký tự" in page.text


def test_a_viewer_cannot_open_the_admin_pages(client: httpx.Client, database: Database) -> None:
    viewer = make_user(database, username="nguoi.xem", role=Role.VIEWER)
    log_in(client, "nguoi.xem")
    assert client.get("/admin/users").status_code == 403
    assert client.get(f"/admin/users/{viewer.id}/password-reset").status_code == 403
    assert client.get("/admin/audit").status_code == 403
    assert 'href="/admin/users"' not in client.get("/").text


def test_anonymous_visitors_are_sent_to_login(client: httpx.Client) -> None:
    response = client.get("/admin/users")
    assert response.status_code == 303 and response.headers["location"] == "/login?next=/admin/users"


def test_a_token_secret_is_shown_once_and_can_be_revoked(client: httpx.Client, database: Database) -> None:
    make_user(database, username="can.bo", role=Role.OFFICER)
    log_in(client, "can.bo")
    form = {"name": "Đồng bộ", "expires_in_days": "30", "csrf_token": form_token(client, "/tokens")}
    page = client.post("/tokens", data=form)
    secret = page.text.split('id="token-secret">')[1].split("<")[0]
    reloaded = client.post("/tokens", data=form)  # the page reloaded: no second token behind the user's back
    assert reloaded.status_code == 409 and "đã có token tên «Đồng bộ» còn hiệu lực" in reloaded.text
    assert 'id="token-secret"' not in reloaded.text
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"}).status_code == 200
    listing = client.get("/tokens").text
    assert secret not in listing and "chỉ đọc" in listing
    token_id = client.get("/api/v1/tokens", headers={"Authorization": f"Bearer {secret}"}).json()[0]["id"]
    confirm = client.get(f"/tokens/{token_id}/revoke")
    assert confirm.status_code == 200 and "Thu hồi token «Đồng bộ»?" in confirm.text
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"}).status_code == 200  # not yet
    done = client.post(
        f"/tokens/{token_id}/revoke", data={"csrf_token": form_token(client, f"/tokens/{token_id}/revoke")}
    )
    assert done.status_code == 303 and done.headers["location"] == "/tokens"
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"}).status_code == 401
    assert "Đã thu hồi" in client.get("/tokens").text
    again = client.post("/tokens", data={**form, "csrf_token": form_token(client, "/tokens")})
    assert again.status_code == 201, "a revoked token's name is free again"


def test_the_lists_keep_actions_in_their_own_column_as_links_to_a_confirmation(
    client: httpx.Client, database: Database
) -> None:
    """A click on the list changes nothing: every action first asks, on its own page."""
    make_user(database, username="qt.cot", role=Role.ADMIN)
    make_user(database, username="nhan.vien")
    log_in(client, "qt.cot")
    client.post("/tokens", data={"name": "Thử", "csrf_token": form_token(client, "/tokens")})
    for path in ("/tokens", "/admin/users"):
        page = client.get(path).text
        assert '<th scope="col">Thao tác</th>' in page
        assert 'method="post" action="/tokens/' not in page and 'method="post" action="/admin/users/' not in page
    users = client.get("/admin/users").text
    assert 'Khóa tài khoản<span class="visually-hidden"> nhan.vien</span>' in users
    assert 'Đặt lại mật khẩu<span class="visually-hidden"> nhan.vien</span>' in users


def test_an_admin_locks_an_account_only_after_confirming(client: httpx.Client, database: Database) -> None:
    make_user(database, username="qt.khoa", role=Role.ADMIN)
    target = make_user(database, username="se.bi.khoa")
    log_in(client, "qt.khoa")
    confirm = client.get(f"/admin/users/{target.id}/deactivate")
    assert confirm.status_code == 200 and "Khóa tài khoản se.bi.khoa (Người dùng se.bi.khoa)?" in confirm.text
    assert 'href="/admin/users" class="button secondary">Hủy</a>' in confirm.text
    with database.unit_of_work() as session:
        assert session.get(User, target.id).is_active  # type: ignore[union-attr]
    token = form_token(client, f"/admin/users/{target.id}/deactivate")
    assert client.post(f"/admin/users/{target.id}/deactivate", data={"csrf_token": token}).status_code == 303
    with database.unit_of_work() as session:
        assert not session.get(User, target.id).is_active  # type: ignore[union-attr]
    assert "Mở khóa tài khoản<span" in client.get("/admin/users").text


def test_an_admin_unlocks_a_locked_out_user_and_resets_a_forgotten_password(
    client: httpx.Client, server: str, database: Database
) -> None:
    make_user(database, username="qt.mo", role=Role.ADMIN)
    target = make_user(database, username="hay.quen")
    with httpx.Client(base_url=server) as forgetful:
        for _ in range(5):
            log_in(forgetful, "hay.quen", "sai-mat-khau")
        assert log_in(forgetful, "hay.quen").status_code == 429
    log_in(client, "qt.mo")
    assert "Tạm khóa đăng nhập đến" in client.get("/admin/users").text
    unlock = f"/admin/users/{target.id}/unlock"
    assert "Gỡ tạm khóa đăng nhập của hay.quen (Người dùng hay.quen)?" in client.get(unlock).text
    assert client.post(unlock, data={"csrf_token": form_token(client, unlock)}).status_code == 303
    assert "Tạm khóa đăng nhập đến" not in client.get("/admin/users").text

    reset = f"/admin/users/{target.id}/password-reset"
    confirm = client.get(reset).text
    assert "Đặt lại mật khẩu của hay.quen (Người dùng hay.quen)?" in confirm
    form = {"csrf_token": form_token(client, reset), "state": confirm.split('name="state" value="')[1].split('"')[0]}
    page = client.post(reset, data=form)
    assert page.status_code == 200 and "Đã đặt lại mật khẩu của <strong>hay.quen</strong>" in page.text
    one_time = page.text.split('id="one-time-password">')[1].split("<")[0]
    assert one_time not in client.get("/admin/users").text  # shown once
    again = client.post(reset, data=form)  # the page reloaded: the same form sent again
    assert again.status_code == 409 and "vừa được đặt lại" in again.text and 'id="one-time-password"' not in again.text
    with httpx.Client(base_url=server) as forgetful:
        assert log_in(forgetful, "hay.quen", one_time).headers["location"] == "/account/password", "still valid"


def test_logging_out_ends_the_session(client: httpx.Client, database: Database) -> None:
    make_user(database, username="ra.ve")
    log_in(client, "ra.ve")
    cookie = client.cookies.get("mauson_session")
    client.post("/logout", data={"csrf_token": form_token(client, "/")})
    assert "Đăng nhập" in client.get("/").text
    client.cookies.set("mauson_session", cookie or "")
    assert client.get("/tokens").status_code == 303


def test_the_organisation_page_lists_every_commune(client: httpx.Client) -> None:
    page = client.get("/organisations")
    assert page.status_code == 200
    assert "Xã, phường (65)" in page.text and "Phường Kỳ Lừa" in page.text and "Sở Dân tộc và Tôn giáo" in page.text


def test_unknown_pages_get_the_vietnamese_error_page(client: httpx.Client) -> None:
    page = client.get("/khong-co-trang-nay", headers={"accept": "text/html"})
    assert page.status_code == 404 and "<h1>Không tìm thấy</h1>" in page.text
