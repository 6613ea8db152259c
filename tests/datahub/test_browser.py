"""Done when: an editor uploads personal data in a real browser, sees the privacy report, cannot
publish it, publishes the anonymised derivative; an anonymous user queries it by REST and CKAN."""

from __future__ import annotations

from urllib.parse import urlsplit

import httpx
from ckanapi import RemoteCKAN

from mauson.db import Database
from mauson.identity.models import Role
from tests.browser import sign_in
from tests.datahub.conftest import FIXTURES
from tests.factories import make_user


def test_an_editor_publishes_only_the_anonymised_derivative_and_citizens_query_it(
    browser: object,
    server: str,
    database: Database,
) -> None:
    make_user(database, username="bien.tap", role=Role.EDITOR, org="SNV")
    page = browser.new_page(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    sign_in(page, server, "bien.tap")

    page.goto(f"{server}/datasets")
    page.get_by_role("link", name="Tải lên bộ dữ liệu").click()
    page.get_by_label("Tệp dữ liệu").set_input_files(str(FIXTURES / "residents.csv"))
    page.get_by_label("Tên bộ dữ liệu").fill("Dân cư thôn Nà Pàn")
    page.get_by_role("button", name="Tải lên").click()
    assert page.locator("#validation-summary").inner_text() == "8 dòng hợp lệ, 0 dòng bị loại."
    report = page.locator("#privacy-report").inner_text()
    assert "Họ tên" in report and "Số điện thoại" in report and "k = 1" in report

    page.get_by_label("Ai được xem").select_option("public")
    page.get_by_role("button", name="Lưu quyền truy cập").click()
    assert "Không thể công khai" in page.locator("#dataset-error").inner_text()
    assert page.locator("#access-level").inner_text() == "Nội bộ cơ quan"

    page.get_by_label("k tối thiểu").fill("2")
    page.get_by_role("button", name="Tạo bản ẩn danh").click()
    assert "Bản ẩn danh của" in page.locator("#derivative-of").inner_text()
    page.get_by_label("Ai được xem").select_option("public")
    page.get_by_role("button", name="Lưu quyền truy cập").click()
    assert page.locator("#access-level").inner_text() == "Công khai"
    assert "mọi người, kể cả người chưa đăng nhập" in page.locator("#access-saved").inner_text()
    name = urlsplit(page.url).path.rsplit("/", 1)[-1]

    rows = httpx.get(f"{server}/api/v1/datasets/{name}/rows").json()
    assert rows["total"] > 0 and "Họ tên" not in rows["columns"] and "Nguyễn Văn An" not in str(rows)
    with RemoteCKAN(server) as ckan:
        assert ckan.action.package_list() == [name]
        resource_id = ckan.action.package_show(id=name)["resources"][0]["id"]
        assert ckan.action.datastore_search(resource_id=resource_id)["total"] == rows["total"]
