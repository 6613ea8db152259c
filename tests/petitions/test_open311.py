"""Open311 GeoReport v2 as an app uses it: what it sends is read as sent, what it reads back is the
public view, and every refusal is Open311's `[{"code", "description"}]`, in Vietnamese."""

from __future__ import annotations

from datetime import timedelta

import httpx

from mauson.db import Database, utcnow
from mauson.identity.models import Actor, Role, Scope
from mauson.petitions import intake, workflow
from mauson.petitions.classifier import shipped_model
from mauson.petitions.models import PetitionCreate
from mauson.settings import Settings
from tests.factories import bearer, make_token, make_user, windows_1258

POTHOLE = "Ổ gà lớn giữa đường ở phường Lương Văn Tri, xe máy ngã liên tục vào ban đêm."
FIRE = "Cháy nhà ở thôn Nà Lừa, lửa đang lan sang nhà bên, có người mắc kẹt trên gác."
FORM = {"content-type": "application/x-www-form-urlencoded"}
ADMIN = Actor(user_id=1, username="quan.tri", role=Role.ADMIN, via="cli")


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
    status = client.get("/open311/v2/requests.json?status=open,foo")
    assert status.status_code == 400
    assert status.json() == [
        {
            "code": 400,
            "description": "status không nhận giá trị «foo»: chỉ nhận 'open', 'closed' hoặc cả hai, "
            "cách nhau bằng dấu phẩy.",
        }
    ]
    typo = client.get("/open311/v2/requests.json?service_code=giao_thong,giao_thon")
    assert typo.status_code == 400 and "«giao_thon»" in typo.json()[0]["description"], "a typo is not an empty list"
    date = client.get("/open311/v2/requests.json?start_date=abc")
    assert date.status_code == 400 and "start_date" in date.json()[0]["description"]
    assert "năm-tháng-ngày" in date.json()[0]["description"]
    assert client.get("/open311/v2/requests.json?status=open&start_date=2025-07-01").json() == []
    # refused before any route runs, still in Open311's shape
    huge = client.get("/open311/v2/requests.json?service_request_id=99999999999999999999")
    assert huge.status_code == 400 and "quá lớn" in huge.json()[0]["description"]
    nowhere = client.get("/open311/v2/khong-co.json")
    assert nowhere.status_code == 404 and nowhere.json()[0]["code"] == 404


def test_a_refused_token_is_answered_in_open311s_shape_too(client: httpx.Client, database: Database) -> None:
    sent = {"service_code": "giao_thong", "description": POTHOLE, "address_string": "Phường Lương Văn Tri"}
    basic = client.post("/open311/v2/requests.json", data=sent, headers={"Authorization": "Basic YWxhZGRpbjpv"})
    assert basic.status_code == 401 and basic.headers["www-authenticate"].startswith("Bearer")
    assert basic.json() == [{"code": 401, "description": "Tiêu đề Authorization phải có dạng 'Bearer <token>'."}]
    reader = make_user(database, username="ung.dung", role=Role.OFFICER, org="SXD")
    read_only = bearer(make_token(database, reader, scopes=(Scope.READ,)))
    refused = client.post("/open311/v2/requests.json", data=sent, headers=read_only)
    assert refused.status_code == 403 and refused.json()[0]["description"].startswith("Token này chỉ có quyền đọc")


def _submit(database: Database, text: str, category: str, days_ago: int = 0) -> int:
    """A petition received `days_ago` days ago (a hotline call dated by staff), in `category`."""
    when = utcnow() - timedelta(days=days_ago)
    data = PetitionCreate(text=text, category=category, submitted_at=when, channel="hotline")
    with database.unit_of_work() as session:
        return intake.submit(session=session, actor=ADMIN, data=data, model=shipped_model()).id


def _ids(client: httpx.Client, query: str) -> list[str]:
    response = client.get(f"/open311/v2/requests.json?{query}")
    assert response.status_code == 200, response.text
    return sorted(r["service_request_id"] for r in response.json())


def test_service_code_and_status_take_comma_separated_lists(client: httpx.Client, database: Database) -> None:
    road = _submit(database, POTHOLE, "giao_thong")
    smoke = _submit(database, "Xưởng gỗ đốt rác thải gây khói bụi cả đêm ở thôn Nà Lừa.", "moi_truong")
    _submit(database, "Trạm y tế xã đóng cửa cả ngày thứ bảy, người bệnh phải về.", "y_te")
    with database.unit_of_work() as session:
        workflow.reject(session=session, actor=ADMIN, petition_id=smoke, reason="Trùng với phản ánh trước")
    assert _ids(client, "service_code=giao_thong,moi_truong") == [str(road)], "a rejected one is not listed"
    both = _ids(client, "status=open,closed")
    assert both == _ids(client, "") and len(both) == 2
    assert _ids(client, "service_code=giao_thong&status=closed") == []


def test_ids_override_every_other_filter_and_find_what_the_single_view_finds(
    client: httpx.Client, database: Database
) -> None:
    first, second = (_submit(database, POTHOLE, "giao_thong", days_ago) for days_ago in (0, 200))
    with database.unit_of_work() as session:
        workflow.reject(session=session, actor=ADMIN, petition_id=first, reason="Nội dung không phải phản ánh")
    single = client.get(f"/open311/v2/requests/{first}.json").json()
    assert single[0]["status"] == "closed" and single[0]["status_notes"] == "Nội dung không phải phản ánh"
    listed = client.get(f"/open311/v2/requests.json?service_request_id={first}").json()
    assert listed == single, "the list and the single view agree"
    query = f"service_request_id={first},{second},abc,{2**40}&status=open&service_code=y_te"
    assert _ids(client, query) == sorted([str(first), str(second)]), "ids override status, service and dates"
    missing = client.get(f"/open311/v2/requests/{2**40}.json")
    assert missing.status_code == 404 and missing.json()[0]["code"] == 404


def test_without_dates_the_list_covers_the_last_90_days(client: httpx.Client, database: Database) -> None:
    recent, old = _submit(database, POTHOLE, "giao_thong", 10), _submit(database, POTHOLE, "giao_thong", 100)
    assert _ids(client, "") == [str(recent)]
    end = (utcnow() - timedelta(days=50)).date().isoformat()
    assert _ids(client, f"end_date={end}") == [str(old)], "the 90 days up to end_date"
    start = (utcnow() - timedelta(days=365)).date().isoformat()
    assert _ids(client, f"start_date={start}") == sorted([str(recent), str(old)])


def test_input_the_platform_refuses_is_an_open311_400(client: httpx.Client) -> None:
    sent = {"service_code": "giao_thong", "address_string": "Phường Lương Văn Tri"}
    short = client.post("/open311/v2/requests.json", data={**sent, "description": "ổ gà"})
    assert short.status_code == 400 and short.json()[0]["code"] == 400
    assert short.json()[0]["description"].startswith("Nội dung quá ngắn")
    email = client.post("/open311/v2/requests.json", data={**sent, "description": POTHOLE, "email": "0912345678"})
    assert email.status_code == 400 and "không phải địa chỉ email" in email.json()[0]["description"]


def test_xml_is_answered_in_open311s_shape_saying_only_json_is_served(client: httpx.Client) -> None:
    for response in (
        client.get("/open311/v2/services.xml"),
        client.get("/open311/v2/requests/1.xml"),
        client.post("/open311/v2/requests.xml", data={"service_code": "giao_thong", "description": POTHOLE}),
    ):
        assert response.status_code == 400 and response.json()[0]["code"] == 400
        assert response.json()[0]["description"].startswith("Máy chủ này chỉ trả lời dạng JSON")
    assert "/open311/v2/requests/1.json" in client.get("/open311/v2/requests/1.xml").json()[0]["description"]


def test_a_photo_link_is_received_with_the_request_and_the_notice_says_it_was_not_kept(client: httpx.Client) -> None:
    sent = {"service_code": "giao_thong", "description": POTHOLE, "address_string": "Phường Lương Văn Tri"}
    with_photo = client.post("/open311/v2/requests.json", data={**sent, "media_url": "https://anh.example/o-ga.jpg"})
    assert with_photo.status_code == 200
    assert "media_url không được lưu" in with_photo.json()[0]["service_notice"]
    assert _read(client, with_photo)["media_url"] is None
    without = client.post("/open311/v2/requests.json", data={**sent, "address_string": "Thôn Khòn Pổ"})
    assert "media_url" not in without.json()[0]["service_notice"]


def test_a_photo_file_sent_with_the_request_is_not_kept_and_the_notice_says_so(client: httpx.Client) -> None:
    sent = {"service_code": "giao_thong", "description": POTHOLE, "address_string": "Phường Lương Văn Tri"}
    uploaded = client.post(
        "/open311/v2/requests.json", data=sent, files={"media": ("o-ga.jpg", b"\xff\xd8\xff\xe0", "image/jpeg")}
    )
    assert uploaded.status_code == 200, uploaded.text
    notice = uploaded.json()[0]["service_notice"]
    assert "Ảnh gửi kèm qua tệp media không được lưu" in notice and "/petitions/new" in notice
    assert _read(client, uploaded)["media_url"] is None


def test_half_a_point_is_refused_saying_a_point_needs_both_coordinates(client: httpx.Client) -> None:
    """GeoReport v2: a location is lat & long, or address_string; a lat alone is no place."""
    sent = {"service_code": "giao_thong", "description": POTHOLE, "address_string": "Phường Lương Văn Tri"}
    no_long = client.post("/open311/v2/requests.json", data={**sent, "lat": "21.8"})
    assert no_long.status_code == 400 and no_long.json()[0]["code"] == 400
    assert no_long.json()[0]["description"].startswith("Có lat (vĩ độ) mà thiếu long (kinh độ)")
    no_lat = client.post("/open311/v2/requests.json", json={**sent, "long": "106.76"})
    assert no_lat.status_code == 400 and "thiếu lat (vĩ độ)" in no_lat.json()[0]["description"]
    assert client.get("/open311/v2/requests.json").json() == [], "nothing stored as half a point"


def test_the_notice_links_to_the_platforms_public_address_and_tells_an_emergency_whom_to_call(
    client: httpx.Client, settings: Settings
) -> None:
    """An app cannot open a bare path; a sender in danger is told to call, as the form's receipt tells them."""
    fire = client.post(
        "/open311/v2/requests.json",
        data={"service_code": "thien_tai_su_co", "description": FIRE, "address_string": "Thôn Nà Lừa"},
    )
    assert fire.status_code == 200, fire.text
    request_id, notice = fire.json()[0]["service_request_id"], fire.json()[0]["service_notice"]
    assert f"theo dõi tại {settings.link_base}/petitions/{request_id}." in notice
    assert intake.EMERGENCY_ADVICE in notice and "gọi ngay 114" in notice
    road = client.post(
        "/open311/v2/requests.json",
        data={"service_code": "giao_thong", "description": POTHOLE, "address_string": "Phường Lương Văn Tri"},
    )
    assert "gọi ngay" not in road.json()[0]["service_notice"], "no alarm for a pothole"


def test_the_service_for_everything_else_is_worded_as_vietnamese_says_it(client: httpx.Client) -> None:
    descriptions = {s["service_code"]: s["description"] for s in client.get("/open311/v2/services.json").json()}
    assert descriptions["khac"] == "Phản ánh, kiến nghị khác"
    assert descriptions["giao_thong"] == "Phản ánh, kiến nghị về giao thông"
