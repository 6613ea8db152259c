"""What a citizen reads when an address or a form value is wrong: Vietnamese, naming the field in
words, with the way back; API clients get the same sentences beside pydantic's own codes."""

from __future__ import annotations

import httpx

from mauson.db import Database
from mauson.identity.models import Role
from tests.factories import bearer, make_token, make_user

HTML = {"accept": "text/html"}


def test_an_id_that_cannot_exist_is_not_found_rather_than_invalid(client: httpx.Client) -> None:
    page = client.get("/petitions/abc", headers=HTML)
    assert page.status_code == 404
    assert "Không tìm thấy phản ánh «abc». Hãy kiểm tra lại địa chỉ." in page.text
    assert "path.petition_id" not in page.text
    assert 'aria-label="Điều hướng chính"' in page.text  # the site's navigation stays


def test_a_wrong_query_value_is_named_in_words_with_a_link_to_the_page_without_it(client: httpx.Client) -> None:
    page = client.get("/petitions", params={"page": "-1"}, headers=HTML)
    assert page.status_code == 422
    assert "Số trang phải từ 1 trở lên." in page.text and "query.page" not in page.text
    assert '<a href="/petitions" id="error-retry">' in page.text

    too_long = client.get("/procedures", params={"q": "đăng ký kết hôn " * 400, "level": "Cấp xã"}, headers=HTML)
    assert "Nội dung tìm kiếm dài quá 5.000 ký tự: hãy rút ngắn lại." in too_long.text
    assert 'href="/procedures?level=C%E1%BA%A5p+x%C3%A3" id="error-retry"' in too_long.text  # keeps the rest
    assert 'aria-current="page">Thủ tục hành chính' in too_long.text


def test_api_validation_errors_keep_their_codes_and_speak_vietnamese(client: httpx.Client, database: Database) -> None:
    admin = bearer(make_token(database, make_user(database, username="quan.tri", role=Role.ADMIN)))
    response = client.post("/api/v1/tokens", json={"expires_in_days": "mot"}, headers=admin)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert error["fields"] == [
        {
            "field": "name",
            "problem": "Còn thiếu tên: hãy điền vào rồi gửi lại.",
            "type": "missing",
            "loc": ["body", "name"],
        },
        {
            "field": "expires_in_days",
            "problem": "Số ngày hiệu lực phải là một số nguyên, ví dụ 1, 2, 3.",
            "type": "int_parsing",
            "loc": ["body", "expires_in_days"],
        },
    ]
    assert error["message"] == " ".join(field["problem"] for field in error["fields"])
