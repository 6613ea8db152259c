"""A real browser (Debian's Chromium, driven by Playwright) uses the platform as an admin would."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mauson.assistant import procedures
from mauson.datahub import demo
from mauson.db import Database
from mauson.identity.models import Role
from mauson.identity.service import SYSTEM
from mauson.settings import Settings
from tests.browser import sign_in
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


def test_results_take_the_keyboard_focus_when_the_page_comes_back(
    browser: object, server: str, database: Database
) -> None:
    """A screen reader starts reading at the results, not back at the top of the page."""
    make_user(database, username="can.bo", role=Role.OFFICER, org="SNV")
    page = browser.new_page()  # type: ignore[attr-defined]
    sign_in(page, server, "can.bo")
    page.goto(f"{server}/privacy")
    page.get_by_label("Văn bản").fill("Tôi là Nguyễn Văn Nam, số điện thoại 0912 345 678.")
    page.get_by_role("button", name="Kiểm tra").click()
    page.wait_for_load_state()
    assert page.evaluate("document.activeElement.id") == "found-heading"


def _load_demo_content(database: Database, settings: Settings) -> None:
    """The procedure catalogue and the data hub's datasets the demo ships: long field and agency
    names, wide tables, as the running product shows them."""
    with database.unit_of_work() as session:
        procedures.import_catalogue(session=session, actor=SYSTEM, lines=procedures.demo_lines())
        demo.load(session=session, actor=SYSTEM, settings=settings)


def _sideways_overflow(page: Any, url: str) -> int:
    """How many pixels the page at `url` is wider than the screen (0: no sideways scrolling)."""
    page.goto(url)
    return int(page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth"))


def test_the_public_pages_fit_a_phone_screen_without_sideways_scrolling(
    browser: object, server: str, database: Database, settings: Settings
) -> None:
    """The petition form's commune picker once widened the whole form past a 390-pixel screen; so did
    the procedure filters' long names and the data hub's tables, whose scrolling box had no style."""
    _load_demo_content(database, settings)
    make_user(database, username="bien.tap", role=Role.EDITOR, org="SNV")
    page = browser.new_page(viewport={"width": 390, "height": 844})  # type: ignore[attr-defined]
    public = ["/", "/assistant", "/procedures", "/laws", "/petitions", "/petitions/new", "/datasets"]
    for path in [*public, "/datasets/xa-phuong-lang-son", "/datasets/thu-tuc-theo-linh-vuc"]:
        assert _sideways_overflow(page, f"{server}{path}") == 0, path
    sign_in(page, server, "bien.tap")
    assert _sideways_overflow(page, f"{server}/datasets/xa-phuong-lang-son/edit") == 0


def test_the_api_examples_scroll_inside_their_box_on_a_desktop_screen(
    browser: object, server: str, database: Database, settings: Settings
) -> None:
    _load_demo_content(database, settings)
    page = browser.new_page(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    assert _sideways_overflow(page, f"{server}/datasets/thu-tuc-theo-linh-vuc") == 0
    examples = page.locator("section[aria-labelledby=api-heading] pre")
    assert examples.evaluate("pre => pre.scrollWidth > pre.clientWidth")  # the long lines scroll in the box


def test_on_a_phone_the_navigation_shows_where_the_reader_is(browser: object, server: str, database: Database) -> None:
    make_user(database, username="quan.tri", role=Role.ADMIN)
    page = browser.new_page(viewport={"width": 390, "height": 844})  # type: ignore[attr-defined]
    sign_in(page, server, "quan.tri")
    last = page.locator("header nav li a").last
    page.goto(f"{server}{last.get_attribute('href')}")
    inside = page.evaluate(
        """() => {
          const list = document.querySelector("header nav ul").getBoundingClientRect();
          const here = document.querySelector('header nav [aria-current="page"]').getBoundingClientRect();
          return [list.width < document.querySelector("header nav ul").scrollWidth,
                  here.left >= list.left && here.right <= list.right];
        }"""
    )
    assert inside == [True, True], "the row scrolls, and the current page's item is in view"
    assert page.evaluate("window.scrollY") == 0, "the page itself did not move"
