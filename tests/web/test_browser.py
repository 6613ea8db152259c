"""A real browser (Debian's Chromium, driven by Playwright) uses the platform as an admin would."""

from __future__ import annotations

from pathlib import Path

from mauson.db import Database
from mauson.identity.models import Role
from tests.factories import PASSWORD, make_user


def test_an_admin_logs_in_creates_a_user_and_sees_it_in_the_audit_log(
    browser: object, server: str, database: Database, tmp_path: Path
) -> None:
    make_user(database, username="quan.tri", role=Role.ADMIN)
    page = browser.new_page(viewport={"width": 390, "height": 844})  # type: ignore[attr-defined]
    page.goto(f"{server}/")
    page.get_by_role("link", name="Đăng nhập").click()
    page.get_by_label("Tên đăng nhập").fill("quan.tri")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    assert page.get_by_text("Xin chào,").is_visible()

    page.get_by_role("link", name="Người dùng").click()
    page.get_by_label("Tên đăng nhập").fill("hoang.van.nam")
    page.get_by_label("Họ và tên").fill("Hoàng Văn Nam")
    page.get_by_label("Vai trò").select_option("officer")
    page.get_by_label("Cơ quan").select_option("SYT")
    page.get_by_role("button", name="Tạo tài khoản").click()
    assert page.locator("#one-time-password").inner_text().count("-") == 3

    page.get_by_role("link", name="Nhật ký kiểm toán").click()
    page.get_by_label("Hành động (bắt đầu bằng)").fill("user.create")
    page.keyboard.press("Enter")
    page.wait_for_url("**action=user.create**")
    row = page.locator("tbody tr").first
    assert "user.create" in row.inner_text() and "hoang.van.nam" in row.inner_text()
    assert "quan.tri" in row.inner_text()
    page.screenshot(path=str(tmp_path / "audit.png"), full_page=True)


def test_the_skip_link_is_the_first_thing_the_keyboard_reaches(browser: object, server: str) -> None:
    page = browser.new_page()  # type: ignore[attr-defined]
    page.goto(f"{server}/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused.strip() == "Bỏ qua, đến nội dung chính"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"


def test_the_public_pages_fit_a_phone_screen_without_sideways_scrolling(browser: object, server: str) -> None:
    """The petition form's commune picker once widened the whole form past a 390-pixel screen."""
    page = browser.new_page(viewport={"width": 390, "height": 844})  # type: ignore[attr-defined]
    for path in ("/", "/assistant", "/procedures", "/laws", "/petitions", "/petitions/new", "/datasets"):
        page.goto(f"{server}{path}")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
