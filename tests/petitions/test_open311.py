"""Open311 GeoReport v2 as an app uses it: what it sends is read as sent, what it reads back is the
public view, and every refusal is Open311's `[{"code", "description"}]`, in Vietnamese."""

from __future__ import annotations

import httpx

from mauson.db import Database
from mauson.identity.models import Role, Scope
from tests.factories import bearer, make_token, make_user, windows_1258

POTHOLE = "Ổ gà lớn giữa đường ở phường Lương Văn Tri, xe máy ngã liên tục vào ban đêm."
FORM = {"content-type": "application/x-www-form-urlencoded"}


def _read(client: httpx.Client, created: httpx.Response) -> dict[str, object]:
    assert created.status_code == 200, created.text
    request_id = created.json()[0]["service_request_id"]
    response = client.get(f"/open311/v2/requests/{request_id}.json")
    return dict(response.json()[0])


def test_the_service_the_app_sent_is_the_petitions_field_and_finds_it_again(client: httpx.Client) -> None:
    sent = {"service_code": "moi_truong", "description": POTHOLE, "address_string": "Thôn Khòn Pổ, xã Hữu Lũng"}
    read = _read(client, client.post("/open311/v2/requests.json", data=sent))
    assert read["service_code"] == "moi_truong", "the sender's choice, not the triage's guess"
    found = client.get("/open311/v2/requests.json", params={"service_code": "moi_truong"}).json()
    assert [r["service_request_id"] for r in found] == [read["service_request_id"]]
    wrong = client.post("/api/v1/petitions", json={"text": POTHOLE, "category": "khong_co"})
    assert wrong.status_code == 422 and wrong.json()["error"]["code"] == "petitions.category"


def test_the_address_read_back_is_the_place_the_app_sent_not_the_commune_guessed(client: httpx.Client) -> None:
    sent = {"service_code": "giao_thong", "description": POTHOLE, "address_string": "Thôn Khòn Pổ, xã Hữu Lũng"}
    assert _read(client, client.post("/open311/v2/requests.json", data=sent))["address"] == "Thôn Khòn Pổ, xã Hữu Lũng"

    by_point = {"service_code": "giao_thong", "description": POTHOLE, "lat": "21.85", "long": "106.76"}
    assert _read(client, client.post("/open311/v2/requests.json", json=by_point))["address"] == "Phường Lương Văn Tri"


def test_a_form_body_sent_as_raw_utf8_is_stored_as_written(client: httpx.Client) -> None:
    """`curl -d description="Ổ gà…"` does not percent-encode: the bytes are UTF-8, not Latin-1."""
    raw = f"service_code=giao_thong&description={POTHOLE}&address_string=Thôn Khòn Pổ".encode()
    read = _read(client, client.post("/open311/v2/requests.json", content=raw, headers=FORM))
    assert read["description"] == POTHOLE and read["address"] == "Thôn Khòn Pổ"

    encoded = client.post(
        "/open311/v2/requests.json",
        data={"service_code": "giao_thong", "description": POTHOLE, "address_string": "Khòn Pổ"},
    )
    assert _read(client, encoded)["description"] == POTHOLE
    multipart = client.post(
        "/open311/v2/requests.json",
        data={"service_code": "giao_thong", "description": POTHOLE, "address_string": "Khòn Pổ"},
        files={"media": ("anh.jpg", b"\xff\xd8\xff\xe0", "image/jpeg")},
    )
    assert _read(client, multipart)["description"] == POTHOLE

    legacy = client.post("/open311/v2/requests.json", content=windows_1258(f"description={POTHOLE}"), headers=FORM)
    assert legacy.status_code == 400 and "mã hóa UTF-8" in legacy.json()[0]["description"]


def test_a_bad_coordinate_is_refused_naming_the_field_and_its_range(client: httpx.Client) -> None:
    def refusal(**point: str) -> str:
        sent = {"service_code": "giao_thong", "description": POTHOLE, **point}
        response = client.post("/open311/v2/requests.json", data=sent)
        assert response.status_code == 400 and response.json()[0]["code"] == 400
        return str(response.json()[0]["description"])

    assert refusal(lat="abc", long="106.76").startswith("lat (vĩ độ) phải là một số thập phân từ -90 đến 90")
    assert "đã nhận «95»" in refusal(lat="95", long="106.76")
    assert refusal(lat="21.85", long="200").startswith("long (kinh độ) phải là một số thập phân từ -180 đến 180")
    assert refusal(lat="21,85", long="106,76").startswith("lat (vĩ độ)"), "a decimal comma is not a number here"
    too_long = refusal(lat="21.85", long="106.76", phone="0" * 41)
    assert too_long == "Ô «phone» dài quá 40 ký tự: hãy rút ngắn lại."


def test_a_bad_query_is_refused_in_open311s_shape_in_vietnamese(client: httpx.Client) -> None:
    status = client.get("/open311/v2/requests.json?status=foo")
    assert status.status_code == 400
    assert status.json() == [
        {"code": 400, "description": "Trạng thái chỉ nhận một trong các giá trị: 'open' hoặc 'closed'."}
    ]
    date = client.get("/open311/v2/requests.json?start_date=abc")
    assert date.status_code == 400 and "start_date" in date.json()[0]["description"]
    assert "năm-tháng-ngày" in date.json()[0]["description"]
    assert client.get("/open311/v2/requests.json?status=open&start_date=2025-07-01").json() == []


def test_a_refused_token_is_answered_in_open311s_shape_too(client: httpx.Client, database: Database) -> None:
    sent = {"service_code": "giao_thong", "description": POTHOLE, "address_string": "Phường Lương Văn Tri"}
    basic = client.post("/open311/v2/requests.json", data=sent, headers={"Authorization": "Basic YWxhZGRpbjpv"})
    assert basic.status_code == 401 and basic.headers["www-authenticate"].startswith("Bearer")
    assert basic.json() == [{"code": 401, "description": "Tiêu đề Authorization phải có dạng 'Bearer <token>'."}]
    reader = make_user(database, username="ung.dung", role=Role.OFFICER, org="SXD")
    read_only = bearer(make_token(database, reader, scopes=(Scope.READ,)))
    refused = client.post("/open311/v2/requests.json", data=sent, headers=read_only)
    assert refused.status_code == 403 and refused.json()[0]["description"].startswith("Token này chỉ có quyền đọc")
