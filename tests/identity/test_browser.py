"""The account and token pages on a 390-pixel phone, in Debian's Chromium."""

from __future__ import annotations

from typing import Any

from mauson.db import Database
from mauson.identity.models import Role
from tests.browser import sign_in
from tests.factories import make_token, make_user


def _box(page: Any, selector: str) -> dict[str, float]:
    return dict(page.locator(selector).bounding_box())


def test_an_admin_on_a_phone_reaches_every_column_and_confirms_before_revoking(
    browser: object, server: str, database: Database
) -> None:
    admin = make_user(database, username="qt.dien.thoai", role=Role.ADMIN)
    make_user(database, username="nguoi.dung.co.ten.dang.nhap.dai", role=Role.AGENCY_ADMIN)
    make_token(database, admin)
    page = browser.new_page(viewport={"width": 390, "height": 844})  # type: ignore[attr-defined]
    sign_in(page, server, "qt.dien.thoai")
    assert _box(page, "header.site")["height"] < 844 / 4  # the menu leaves the first screen to the page
    for path in ("/admin/users", "/tokens"):
        page.goto(f"{server}{path}")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path  # the table scrolls in its box

    checkbox, label = _box(page, "input[name=write]"), _box(page, "label:has(input[name=write])")
    assert abs(checkbox["y"] - label["y"]) < 8 and label["height"] < 40  # on the line of its text
    page.get_by_role("link", name="Thu hồi token token of qt.dien.thoai").click()
    assert page.get_by_role("heading", name="Thu hồi token «token of qt.dien.thoai»?").is_visible()
    page.get_by_role("link", name="Hủy").click()
    assert "Còn hiệu lực" in page.locator("tbody").inner_text()
    page.get_by_role("link", name="Thu hồi token token of qt.dien.thoai").click()
    page.get_by_role("button", name="Thu hồi token").click()
    assert "Đã thu hồi" in page.locator("tbody").inner_text()
