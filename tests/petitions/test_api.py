"""The petitions API over HTTP against the real server: intake, workflow, emergencies, Open311."""

from __future__ import annotations

import time
from datetime import datetime

import httpx
from sqlalchemy import select

from mauson.db import LOCAL_TZ, Database
from mauson.identity.models import Organisation, Role
from mauson.identity.service import SYSTEM
from mauson.petitions import labels, workflow
from mauson.petitions.classifier import retrained_path
from mauson.petitions.models import Petition
from mauson.settings import Settings
from mauson.vntext.gazetteer import LANG_SON, gazetteer
from tests.factories import bearer, make_token, make_user
from tests.petitions.receivers import smtp_receiver, webhook_receiver

FIRE = (
    "CHÁY NHÀ ở khu phố chợ thị trấn Đồng Đăng cũ, lửa bốc lên, trên tầng có người đang kêu cứu. "
    "Tôi là Hoàng Thị Liên, SĐT 0917 630 284."
)
WATER = (
    "Tôi là Nguyễn Thị Hằng, SĐT 0936 872 104. Mất nước sinh hoạt 4 ngày ở khu đường Bắc Sơn, "
    "phường Kỳ Lừa, công ty cấp nước không trả lời."
)


def _officer(database: Database, username: str, org: str) -> dict[str, str]:
    return bearer(make_token(database, make_user(database, username=username, role=Role.OFFICER, org=org)))


def _commune_code(name: str) -> str:
    gaz = gazetteer()
    return next(unit.code for unit in gaz.units_in(gaz.province(LANG_SON).code) if unit.name == name)


def _wait_for(items: list[object], seconds: float = 5, count: int = 1) -> None:
    deadline = time.monotonic() + seconds
    while len(items) < count and time.monotonic() < deadline:
        time.sleep(0.05)


def test_a_citizen_submits_and_gets_a_triage_with_reasons_at_once(client: httpx.Client) -> None:
    """The triage comes back with the submission (its speed is bench/petitions.py's to measure)."""
    response = client.post("/api/v1/petitions", json={"text": WATER})
    assert response.status_code == 201, response.text
    body = response.json()
    triage = body["triage"]
    assert (triage["category"]["label"], triage["agency"]["label"]) == ("dien_nuoc", "cap_nuoc")
    assert triage["commune_name"] == "Phường Kỳ Lừa" and triage["category"]["words"]
    assert triage["personal_data"]["PHONE"] == 1
    assert body["status"] == "da_phan_loai" and body["tracking_code"]


def test_the_place_written_apart_from_the_text_finds_the_commune(client: httpx.Client) -> None:
    fallen = "Cây đổ chắn ngang đường sau bão, xe máy không qua được, đề nghị dọn gấp."
    by_form = {"text": fallen, "location_text": "Ngõ 2 đường Lê Lợi, phường Tam Thanh"}
    assert client.post("/api/v1/petitions", json=by_form).json()["triage"]["commune_name"] == "Phường Tam Thanh"
    by_app = {"service_code": "giao_thong", "description": fallen, "address_string": "Khu 4, phường Đông Kinh"}
    created = client.post("/open311/v2/requests.json", data=by_app).json()[0]
    read = client.get(f"/api/v1/public/petitions/{created['service_request_id']}").json()
    assert read["commune_name"] == "Phường Đông Kinh"
    nowhere = client.post("/api/v1/petitions", json={"text": fallen, "location_text": "gần cây đa đầu làng"}).json()
    assert nowhere["triage"]["commune_name"] is None
    named = {"text": "Cây đổ chắn đường ở phường Chi Lăng sau bão.", "location_text": "gần chợ Đông Kinh"}
    surer = client.post("/api/v1/petitions", json=named).json()["triage"]["commune_name"]
    assert surer == "Phường Lương Văn Tri", "a commune written out in the text beats a landmark near by"


def test_the_public_sees_status_and_masked_text_never_the_sender(client: httpx.Client) -> None:
    petition = client.post("/api/v1/petitions", json={"text": WATER, "contact_phone": "0936872104"}).json()
    public = client.get(f"/api/v1/public/petitions/{petition['id']}").json()
    assert "0936 872 104" not in public["text"] and "Nguyễn Thị Hằng" not in public["text"]
    assert "contact_phone" not in public and public["status_name"] == "Đã phân loại"
    private = client.post("/api/v1/petitions", json={"text": WATER, "is_public": False}).json()
    assert client.get(f"/api/v1/public/petitions/{private['id']}").json()["text"] is None
    stats = client.get("/api/v1/public/petition-stats").json()
    assert stats["total"] == 2 and stats["by_category"][0]["key"] == "dien_nuoc"


def test_an_officer_works_a_petition_to_a_reply_and_the_citizen_rates_it(
    client: httpx.Client, database: Database
) -> None:
    petition = client.post("/api/v1/petitions", json={"text": WATER}).json()
    builder = _officer(database, "cb.xaydung", "SXD")  # the water company's supervising department
    other = _officer(database, "cb.yte", "SYT")
    assert client.get(f"/api/v1/petitions/{petition['id']}", headers=other).status_code == 404
    assert [p["id"] for p in client.get("/api/v1/petitions", headers=builder).json()] == [petition["id"]]
    path = f"/api/v1/petitions/{petition['id']}"
    assert client.post(f"{path}/decision", json={"urgency": "cao"}, headers=builder).json()["status"] == "da_chuyen"
    assert client.post(f"{path}/assign", json={"officer_username": "cb.xaydung"}, headers=builder).status_code == 200
    answered = client.post(f"{path}/reply", json={"text": "Đã sửa đường ống, nước đã có lại."}, headers=builder).json()
    assert answered["status"] == "da_tra_loi" and answered["urgency"] == "cao"
    assert [e["action"] for e in answered["events"]] == ["submit", "triage", "decide", "assign", "reply"]
    public = client.get(f"/api/v1/public/petitions/{petition['id']}").json()
    assert public["reply"] == "Đã sửa đường ống, nước đã có lại."
    assert client.post(f"{path}/close", headers=builder).json()["status"] == "da_dong"
    again = client.post(f"{path}/reply", json={"text": "Lần nữa"}, headers=builder)
    assert again.status_code == 409 and again.json()["error"]["code"] == "petition.status", "closed is closed"


def test_an_interim_reply_keeps_the_case_open_and_a_later_reply_replaces_it(
    client: httpx.Client, database: Database
) -> None:
    petition = client.post("/api/v1/petitions", json={"text": WATER}).json()
    builder = _officer(database, "cb.xaydung", "SXD")
    path = f"/api/v1/petitions/{petition['id']}"
    client.post(f"{path}/decision", json={}, headers=builder)
    promise = "Công ty đã cử cán bộ kiểm tra thực tế; kết quả xử lý sẽ được thông báo sớm nhất."
    interim = client.post(f"{path}/reply", json={"text": promise, "interim": True}, headers=builder).json()
    assert interim["status_name"] == "Đang xử lý", "a promise is not an answer: the deadline keeps running"
    public = f"/api/v1/public/petitions/{petition['id']}"
    assert client.get(public).json()["reply"] == promise
    done = client.post(f"{path}/reply", json={"text": "Đã sửa đường ống, nước đã có lại."}, headers=builder).json()
    assert done["status_name"] == "Đã trả lời"
    correction = "Đã sửa đường ống; áp lực nước sẽ ổn định sau 2 ngày súc rửa."
    again = client.post(f"{path}/reply", json={"text": correction}, headers=builder).json()
    assert again["status_name"] == "Đã trả lời" and client.get(public).json()["reply"] == correction
    replies = [(e["to_status"], e["note"]) for e in again["events"] if e["action"] == "reply"]
    assert replies == [
        ("dang_xu_ly", f"Trả lời tạm: {promise}"),
        ("da_tra_loi", "Đã sửa đường ống, nước đã có lại."),
        ("da_tra_loi", correction),
    ], "each reply is kept in the history"


def test_a_low_rating_reopens_the_case_with_a_new_deadline_and_the_next_reply_is_rated_again(
    client: httpx.Client, database: Database
) -> None:
    rating, code, builder = _answered(client, database)
    path = rating.replace("/public", "").removesuffix("/rating")
    low = client.post(rating, json={"tracking_code": code, "rating": 2, "comment": "Chưa thấy ai đến kiểm tra"})
    assert low.status_code == 200 and low.json()["status_name"] == "Đang xử lý", "reopened, not closed"
    officer_view = client.get(path, headers=builder).json()
    assert (officer_view["rating"], officer_view["rating_comment"]) == (2, "Chưa thấy ai đến kiểm tra")
    assert officer_view["events"][-1]["note"] == (
        "Đánh giá 2/5: người gửi chưa hài lòng; phản ánh được mở lại để cơ quan trả lời lại"
        " — «Chưa thấy ai đến kiểm tra»"
    )
    due = datetime.fromisoformat(officer_view["due_at"])
    assert due > datetime.now(LOCAL_TZ) and not officer_view["overdue"], "5 working days from the rating"
    once = client.post(rating, json={"tracking_code": code, "rating": 1})
    assert once.status_code == 409, "one rating per reply"
    reply = {"text": "Chiều nay cán bộ đã đến kiểm tra và thay đoạn ống vỡ."}
    assert client.post(f"{path}/reply", json=reply, headers=builder).status_code == 200, "the agency replies again"
    again = client.post(rating, json={"tracking_code": code, "rating": 5})
    assert again.status_code == 200 and again.json()["status_name"] == "Đã đóng", "the new reply is rated"


def test_a_low_rating_reopens_a_case_the_agency_closed_before_the_sender_rated(
    client: httpx.Client, database: Database
) -> None:
    rating, code, builder = _answered(client, database)
    path = rating.replace("/public", "").removesuffix("/rating")
    assert client.post(f"{path}/close", headers=builder).status_code == 200
    low = client.post(rating, json={"tracking_code": code, "rating": 1, "comment": "Rác vẫn còn nguyên"})
    assert low.status_code == 200 and low.json()["status_name"] == "Đang xử lý"
    again = client.post(rating, json={"tracking_code": code, "rating": 1})
    assert again.status_code == 409 and "mỗi câu trả lời chỉ đánh giá một lần" in again.json()["error"]["message"]


def test_the_receipt_names_the_incidents_first_report_as_the_petition_does(client: httpx.Client) -> None:
    first = client.post("/api/v1/petitions", json={"text": WATER}).json()
    second = client.post("/api/v1/petitions", json={"text": WATER + " Đề nghị sửa gấp.", "contact_name": "A"}).json()
    third = client.post("/api/v1/petitions", json={"text": WATER + " Đề nghị sửa gấp.", "contact_name": "B"}).json()
    assert second["triage"]["duplicate_of"] == first["id"]
    assert third["triage"]["similar"][0]["petition_id"] == second["id"], "closest to the second report"
    assert third["triage"]["duplicate_of"] == first["id"], "but the incident's first report, as the petition says"


def test_an_officer_links_two_reports_of_one_incident_through_the_api(client: httpx.Client, database: Database) -> None:
    first = client.post("/api/v1/petitions", json={"text": WATER}).json()["id"]
    other_words = "Khu phố tôi cạnh đường Bắc Sơn vòi nước khô cong từ thứ hai, gọi tổng đài không ai nghe máy."
    second = client.post("/api/v1/petitions", json={"text": other_words}).json()
    assert second["triage"]["duplicate_of"] is None, "the finder missed it: too few words in common"
    second = second["id"]
    builder = _officer(database, "cb.xaydung", "SXD")
    linked = client.post(f"/api/v1/petitions/{second}/duplicate", json={"duplicate_of": first}, headers=builder)
    assert linked.status_code == 200 and linked.json()["duplicate_of"] == first
    assert "link" in [e["action"] for e in linked.json()["events"]]
    backwards = client.post(f"/api/v1/petitions/{first}/duplicate", json={"duplicate_of": second}, headers=builder)
    assert backwards.status_code == 422 and backwards.json()["error"]["code"] == "petitions.duplicate_of"
    unlinked = client.post(f"/api/v1/petitions/{second}/duplicate", json={"separate": True}, headers=builder)
    assert unlinked.json()["duplicate_of"] is None


def test_the_public_reply_keeps_no_personal_data_the_officer_wrote(client: httpx.Client, database: Database) -> None:
    petition = client.post("/api/v1/petitions", json={"text": WATER}).json()
    builder = _officer(database, "cb.xaydung", "SXD")
    path = f"/api/v1/petitions/{petition['id']}"
    client.post(f"{path}/decision", json={}, headers=builder)
    client.post(f"{path}/assign", json={"officer_username": "cb.xaydung"}, headers=builder)
    reply = "Kính gửi bà Nguyễn Thị Hằng (0936 872 104): đường ống đã được sửa, nước đã có lại."
    assert client.post(f"{path}/reply", json={"text": reply}, headers=builder).status_code == 200

    public = client.get(f"/api/v1/public/petitions/{petition['id']}").json()["reply"]
    assert "Nguyễn Thị Hằng" not in public and "0936 872 104" not in public
    assert "đường ống đã được sửa" in public
    assert client.get(path, headers=builder).json()["reply"] == reply, "the officers' view keeps it whole"


def test_a_transfer_moves_the_case_to_the_other_agencys_inbox(client: httpx.Client, database: Database) -> None:
    petition = client.post("/api/v1/petitions", json={"text": WATER}).json()
    builder, police = _officer(database, "cb.xd", "SXD"), _officer(database, "cb.ca", "CAT")
    moved = client.post(
        f"/api/v1/petitions/{petition['id']}/transfer",
        json={"agency": "cong_an_tinh", "reason": "không thuộc thẩm quyền"},
        headers=builder,
    )
    assert moved.json()["organisation"] == "Công an tỉnh"
    assert client.get(f"/api/v1/petitions/{petition['id']}", headers=builder).status_code == 404
    assert client.get(f"/api/v1/petitions/{petition['id']}", headers=police).json()["events"][-1]["note"] == (
        "không thuộc thẩm quyền"
    )


def test_a_transfer_says_why_and_a_communes_case_says_which_commune(client: httpx.Client, database: Database) -> None:
    petition = client.post("/api/v1/petitions", json={"text": WATER}).json()
    builder, path = _officer(database, "cb.xd", "SXD"), f"/api/v1/petitions/{petition['id']}"
    blank = client.post(f"{path}/transfer", json={"agency": "cong_an_tinh", "reason": "   "}, headers=builder)
    assert blank.status_code == 422 and blank.json()["error"]["code"] == "petitions.transfer_reason"
    nowhere = "Cây đổ chắn ngang đường liên thôn sau bão, xe máy không qua được, đề nghị dọn gấp."
    unplaced = client.post("/api/v1/petitions", json={"text": nowhere}).json()
    office = _officer(database, "cb.vp", labels.PROVINCE_OFFICE)
    to_commune = {"agency": "ubnd_xa", "reason": "việc của xã"}
    refused = client.post(f"/api/v1/petitions/{unplaced['id']}/transfer", json=to_commune, headers=office)
    assert refused.status_code == 422 and refused.json()["error"]["code"] == "petitions.transfer_commune"
    assert client.get(f"/api/v1/petitions/{unplaced['id']}", headers=office).json()["status"] != "da_chuyen"
    placed = {**to_commune, "commune_code": _commune_code("Xã Văn Quan")}
    moved = client.post(f"/api/v1/petitions/{unplaced['id']}/transfer", json=placed, headers=office)
    assert moved.status_code == 200 and "Văn Quan" in moved.json()["organisation"]


def test_an_emergency_reaches_the_duty_agencys_webhook_and_mailbox(
    client: httpx.Client, database: Database, settings: Settings
) -> None:
    admin = bearer(make_token(database, make_user(database, username="quan.tri", role=Role.ADMIN)))
    with webhook_receiver() as (url, posted), smtp_receiver() as (mail_host, mails):
        for kind, target in [("webhook", url), ("email", f"smtp://{mail_host}/truc.ban@congan.langson.gov.vn")]:
            added = client.post(
                "/api/v1/petition-notifiers",
                json={"organisation_code": "CAT", "kind": kind, "target": target},
                headers=admin,
            )
            assert added.status_code == 201, added.text
        # The sender chooses the Host header: the duty officer's link must not lead to their site.
        spoofed = {"Host": "dangnhap-langson.evil.example"}
        petition = client.post("/api/v1/petitions", json={"text": FIRE}, headers=spoofed).json()
        assert petition["triage"]["urgency"]["label"] == "khan_cap"
        _wait_for(posted)  # type: ignore[arg-type]
        _wait_for(mails)  # type: ignore[arg-type]
    assert posted[0]["petition_id"] == petition["id"] and posted[0]["event"] == "petition.emergency"
    assert posted[0]["url"] == f"{settings.link_base}/officer/petitions/{petition['id']}"
    assert "evil" not in str(mails[0].get_payload())
    assert "0917 630 284" not in posted[0]["text"]
    assert "KHẨN CẤP" in str(mails[0]["Subject"]) or "=?utf-8?" in str(mails[0]["Subject"])
    assert mails[0]["Date"] and mails[0]["Message-ID"], "a mail server marks a message without them as spam"
    alerts = client.get("/api/v1/petition-alerts", headers=admin).json()
    assert alerts[0]["petition_id"] == petition["id"] and all(d["ok"] for d in alerts[0]["deliveries"])


def test_an_alert_tells_the_duty_agency_what_happened_and_where_but_not_who_the_people_are(
    client: httpx.Client, database: Database
) -> None:
    admin = bearer(make_token(database, make_user(database, username="quan.tri.3", role=Role.ADMIN)))
    poisoning = (
        "Sau bữa trưa ở trường tiểu học, 30 học sinh bị ngộ độc tập thể, đau bụng, nôn mửa. "
        "Nhà tôi ở số 15 đường Bà Triệu, con tôi cũng bị. Tôi là Hoàng Văn Đức, SĐT 0912 345 678."
    )
    with webhook_receiver() as (url, posted):
        for organisation in ("SYT", "CAT", "UBT", "SGD"):
            notifier = {"organisation_code": organisation, "kind": "webhook", "target": url}
            client.post("/api/v1/petition-notifiers", json=notifier, headers=admin)
        petition = client.post("/api/v1/petitions", json={"text": poisoning}).json()
        assert petition["triage"]["urgency"]["label"] == "khan_cap"
        _wait_for(posted)  # type: ignore[arg-type]
    text = posted[0]["text"]
    assert "đau bụng, nôn mửa" in text and "số 15 đường Bà Triệu" in text, "what happened, and where"
    assert "Hoàng Văn Đức" not in text and "0912 345 678" not in text


def test_an_emergency_for_an_agency_without_a_receiver_goes_to_the_province_office(
    client: httpx.Client, database: Database
) -> None:
    admin = bearer(make_token(database, make_user(database, username="quan.tri.2", role=Role.ADMIN)))
    with webhook_receiver() as (url, posted):
        office = {"organisation_code": labels.PROVINCE_OFFICE, "kind": "webhook", "target": url}
        assert client.post("/api/v1/petition-notifiers", json=office, headers=admin).status_code == 201
        petition = client.post("/api/v1/petitions", json={"text": FIRE}).json()  # the police have no receiver
        _wait_for(posted)  # type: ignore[arg-type]
    assert posted and posted[0]["petition_id"] == petition["id"]
    [alert] = client.get("/api/v1/petition-alerts", headers=admin).json()
    assert alert["deliveries"][0]["ok"] and "chưa có nơi nhận cảnh báo: gửi" in alert["deliveries"][0]["detail"]


def test_a_notifier_is_added_once_and_can_be_stopped(client: httpx.Client, database: Database) -> None:
    admin = bearer(make_token(database, make_user(database, username="quan.tri.3", role=Role.ADMIN)))
    other = bearer(make_token(database, make_user(database, username="qtv.yte", role=Role.AGENCY_ADMIN, org="SYT")))
    target = {"organisation_code": "CAT", "kind": "webhook", "target": "https://canhbao.example.vn/cat"}
    added = client.post("/api/v1/petition-notifiers", json=target, headers=admin).json()
    again = client.post("/api/v1/petition-notifiers", json=target, headers=admin)
    assert again.status_code == 409 and again.json()["error"]["code"] == "petitions.notifier_exists"
    assert client.delete(f"/api/v1/petition-notifiers/{added['id']}", headers=other).status_code == 404, "not theirs"
    stopped = client.delete(f"/api/v1/petition-notifiers/{added['id']}", headers=admin)
    assert stopped.status_code == 200 and stopped.json()["is_active"] is False
    assert client.post("/api/v1/petition-notifiers", json=target, headers=admin).status_code == 201, "set up anew"


def test_an_officer_who_corrects_the_urgency_or_transfers_an_emergency_alerts_the_agency(
    client: httpx.Client, database: Database
) -> None:
    admin = bearer(make_token(database, make_user(database, username="quan.tri", role=Role.ADMIN)))
    builder = _officer(database, "cb.xaydung", "SXD")
    with webhook_receiver() as (url, posted):
        for organisation in ("SXD", "CAT"):
            body = {"organisation_code": organisation, "kind": "webhook", "target": url}
            assert client.post("/api/v1/petition-notifiers", json=body, headers=admin).status_code == 201
        petition = client.post("/api/v1/petitions", json={"text": WATER}).json()
        assert petition["triage"]["urgency"]["label"] != "khan_cap" and posted == []
        path = f"/api/v1/petitions/{petition['id']}"

        decided = client.post(f"{path}/decision", json={"urgency": "khan_cap"}, headers=builder)
        assert decided.status_code == 200, decided.text
        _wait_for(posted)  # type: ignore[arg-type]
        moved = client.post(
            f"{path}/transfer", json={"agency": "cong_an_tinh", "reason": "có dấu hiệu phá hoại"}, headers=builder
        )
        assert moved.status_code == 200, moved.text
        _wait_for(posted[1:])  # type: ignore[arg-type]
        time.sleep(0.2)
    assert [p["petition_id"] for p in posted] == [petition["id"], petition["id"]], "once per agency"
    police = _officer(database, "cb.congan", "CAT")
    assert [a["petition_id"] for a in client.get("/api/v1/petition-alerts", headers=police).json()] == [petition["id"]]
    assert client.get("/api/v1/petition-alerts", headers=builder).json() == [], "gone with the case it gave up"
    alerts = client.get("/api/v1/petition-alerts", headers=admin).json()
    assert len([a for a in alerts if a["petition_id"] == petition["id"]]) == 1, "the handling agency's alert"


def test_a_petition_is_received_and_triaged_when_the_retrained_model_cannot_be_read(
    client: httpx.Client, settings: Settings
) -> None:
    broken = retrained_path(settings.data_dir)
    broken.parent.mkdir(parents=True, exist_ok=True)
    broken.write_bytes(b"")
    received = client.post("/api/v1/petitions", json={"text": WATER})
    assert received.status_code == 201, received.text
    assert received.json()["triage"]["category"]["label"] == "dien_nuoc"


def test_bad_input_is_refused_with_a_clear_message(client: httpx.Client) -> None:
    assert client.post("/api/v1/petitions", json={"text": "   "}).json()["error"]["code"] == "petitions.empty"
    not_email = client.post("/api/v1/petitions", json={"text": WATER, "contact_email": "khong-phai-email"})
    assert not_email.status_code == 422 and not_email.json()["error"]["code"] == "petitions.email"
    assert client.post("/api/v1/petitions", json={"text": "x" * 50_000}).status_code == 422
    unknown = client.post("/api/v1/petitions", json={"text": WATER, "commune_code": "99999"})
    assert unknown.status_code == 422 and "99999" in unknown.json()["error"]["message"]
    script = client.post("/api/v1/petitions", json={"text": "<script>alert(1)</script> đường hỏng"}).json()
    page = client.get(f"/petitions/{script['id']}").text
    assert "<script>alert(1)" not in page and "&lt;script&gt;" in page


def test_a_text_too_short_to_describe_anything_is_refused_on_every_way_in(client: httpx.Client) -> None:
    refused = client.post("/api/v1/petitions", json={"text": "ngắn"})
    assert refused.status_code == 422 and refused.json()["error"]["code"] == "petitions.too_short"
    assert "ít nhất 3 từ" in refused.json()["error"]["message"]
    dry_run = client.post("/api/v1/petitions/triage", json={"text": "ngắn"})
    assert dry_run.status_code == 422 and dry_run.json()["error"]["code"] == "petitions.too_short"
    open311 = client.post(
        "/open311/v2/requests.json",
        data={"service_code": "an_ninh_trat_tu", "description": "ngắn", "address_string": "Nà Lừa"},
    )
    assert open311.status_code == 400 and open311.json()[0]["code"] == 400
    assert "ít nhất 3 từ" in open311.json()[0]["description"]
    assert client.get("/api/v1/public/petitions").json() == [], "nothing filed, nobody alerted"

    terse = client.post("/api/v1/petitions", json={"text": "Cháy nhà ở thôn Nà Lừa"})
    assert terse.status_code == 201 and terse.json()["triage"]["urgency"]["label"] == "khan_cap"


def test_accepting_or_correcting_the_triage_keeps_the_deadline_counted_from_arrival(
    client: httpx.Client, database: Database
) -> None:
    hotline = _officer(database, "cb.tiepdan", "VPUBND")
    builder = _officer(database, "cb.xaydung", "SXD")
    called = {"text": WATER, "submitted_at": "2025-11-24T19:30:00+07:00"}  # a Monday evening call, urgency cao
    accepted, corrected = (client.post("/api/v1/petitions", json=called, headers=hotline).json() for _ in range(2))

    kept = client.post(f"/api/v1/petitions/{accepted['id']}/decision", json={}, headers=builder).json()
    assert datetime.fromisoformat(kept["due_at"]) == datetime(2025, 12, 1, 17, tzinfo=LOCAL_TZ)  # 5 working days
    assert kept["overdue"], "accepting late does not clear an overdue case"
    path = f"/api/v1/petitions/{corrected['id']}/decision"
    lowered = client.post(path, json={"urgency": "binh_thuong"}, headers=builder).json()
    assert datetime.fromisoformat(lowered["due_at"]) == datetime(2025, 12, 8, 17, tzinfo=LOCAL_TZ)  # 10, from the call


def test_an_emergency_on_the_evening_before_tet_is_due_the_next_evening_not_after_the_holiday(
    client: httpx.Client, database: Database
) -> None:
    hotline = _officer(database, "cb.tiepdan", "VPUBND")
    called = {"text": FIRE, "submitted_at": "2026-02-13T20:00:00+07:00"}  # Friday; Tết holidays 16–20/2
    filed = client.post("/api/v1/petitions", json=called, headers=hotline).json()
    admin = bearer(make_token(database, make_user(database, username="quan.tri", role=Role.ADMIN)))
    fire = client.get(f"/api/v1/petitions/{filed['id']}", headers=admin).json()
    assert fire["urgency"] == "khan_cap"
    assert datetime.fromisoformat(fire["due_at"]) == datetime(2026, 2, 14, 20, tzinfo=LOCAL_TZ)
    sent = fire["events"][0]  # the citizen's call, entered by the hotline officer, when it came in
    assert sent["who"] == "Người dân (nhập bởi cb.tiepdan)"
    assert datetime.fromisoformat(sent["at"]) == datetime(2026, 2, 13, 20, tzinfo=LOCAL_TZ)


def test_an_angry_petition_is_received_and_shown_publicly_without_its_swear_words(
    client: httpx.Client, database: Database
) -> None:
    angry = "Đèn đường thôn Nà Sla hỏng cả tháng, đm cán bộ xã mất dạy không ai sửa!"
    petition = client.post("/api/v1/petitions", json={"text": angry}).json()
    public = client.get(f"/api/v1/public/petitions/{petition['id']}").json()["text"]
    assert public == "Đèn đường thôn Nà Sla hỏng cả tháng, *** cán bộ xã *** không ai sửa!"
    assert "mất dạy" not in client.get(f"/petitions/{petition['id']}").text
    with database.unit_of_work() as session:
        assert session.get_one(Petition, petition["id"]).text == angry, "officers read it as sent"


def test_a_flood_from_one_client_is_rate_limited_in_vietnamese(client: httpx.Client) -> None:
    codes = [client.post("/api/v1/petitions", json={"text": f"Đường hỏng số {n}"}).status_code for n in range(6)]
    assert codes == [201] * 5 + [429]
    refused = client.post("/api/v1/petitions", json={"text": "Đường hỏng nặng"})
    assert "Vui lòng đợi" in refused.json()["error"]["message"]
    assert 0 < int(refused.headers["Retry-After"]) <= 600, "a program knows how long to back off"
    open311 = client.post(
        "/open311/v2/requests.json",
        data={"service_code": "giao_thong", "description": "Đường hỏng nặng quá", "address_string": "phường Kỳ Lừa"},
    )
    assert open311.status_code == 429 and open311.json()[0]["code"] == 429 and "Retry-After" in open311.headers


def test_open311_apps_list_services_submit_and_follow_requests(client: httpx.Client) -> None:
    services = client.get("/open311/v2/services.json").json()
    assert {"service_code": "giao_thong", "service_name": "Giao thông"}.items() <= services[0].items()
    missing = client.post("/open311/v2/requests.json", data={"service_code": "giao_thong", "description": "Ổ gà"})
    assert (
        missing.status_code == 400 and missing.json()[0]["code"] == 400 and "vị trí" in missing.json()[0]["description"]
    )
    assert (
        client.post("/open311/v2/requests.json", data={"description": "x", "lat": "21.8", "long": "106.7"}).status_code
        == 400
    )
    created = client.post(
        "/open311/v2/requests.json",
        data={
            "service_code": "giao_thong",
            "description": WATER,
            "lat": "21.8534127",
            "long": "106.7612345",
            "phone": "0936872104",
        },
    )
    request_id, code = created.json()[0]["service_request_id"], created.json()[0]["tracking_code"]
    assert code in created.json()[0]["service_notice"], "the app can show the sender their key"
    view = client.post(f"/api/v1/public/petitions/{request_id}/sender-view", json={"tracking_code": code})
    assert view.status_code == 200 and view.json()["for_sender"] is True
    one = client.get(f"/open311/v2/requests/{request_id}.json").json()[0]
    assert one["status"] == "open" and "0936 872 104" not in one["description"]
    assert (one["lat"], one["long"]) == (21.853, 106.761), "the street, not the house"
    assert [r["service_request_id"] for r in client.get("/open311/v2/requests.json?status=open").json()] == [request_id]
    assert client.get("/open311/v2/requests/999.json").json() == [
        {"code": 404, "description": "Không có yêu cầu số 999."}
    ]


def _answered(client: httpx.Client, database: Database) -> tuple[str, str, dict[str, str]]:
    """A petition worked to a reply by its agency: (its path, its tracking code, the officer's headers)."""
    petition = client.post("/api/v1/petitions", json={"text": WATER}).json()
    builder = _officer(database, "cb.xaydung", "SXD")
    path = f"/api/v1/petitions/{petition['id']}"
    client.post(f"{path}/decision", json={}, headers=builder)
    client.post(f"{path}/reply", json={"text": "Đã sửa đường ống, nước đã có lại."}, headers=builder)
    return f"/api/v1/public/petitions/{petition['id']}/rating", petition["tracking_code"], builder


def test_the_citizen_rates_the_reply_once_with_the_tracking_code(client: httpx.Client, database: Database) -> None:
    waiting = client.post("/api/v1/petitions", json={"text": WATER}).json()
    early = client.post(
        f"/api/v1/public/petitions/{waiting['id']}/rating",
        json={"tracking_code": waiting["tracking_code"], "rating": 5},
    )
    assert early.status_code == 409 and early.json()["error"]["code"] == "petition.not_answered"
    assert "chưa được trả lời" in early.json()["error"]["message"]

    rating, code, builder = _answered(client, database)
    wrong = client.post(rating, json={"tracking_code": "0000000000", "rating": 1})
    assert wrong.status_code == 401 and wrong.json()["error"]["code"] == "petition.tracking_code"
    assert "Mã theo dõi không đúng" in wrong.json()["error"]["message"]
    by_officer = client.post(rating, json={"tracking_code": "0000000000", "rating": 1}, headers=builder)
    assert by_officer.status_code == 403  # signed in, but not the sender
    assert client.post(rating, json={"tracking_code": code, "rating": 6}).status_code == 422

    rated = client.post(rating, json={"tracking_code": code.upper(), "rating": 4, "comment": "Sửa nhanh, cảm ơn."})
    assert rated.status_code == 200, rated.text
    assert rated.json()["rating"] == 4 and rated.json()["status_name"] == "Đã đóng"
    again = client.post(rating, json={"tracking_code": code, "rating": 1})
    assert again.status_code == 409 and again.json()["error"]["code"] == "petition.already_rated"
    assert "chỉ đánh giá một lần" in again.json()["error"]["message"]
    officer_view = client.get(rating.replace("/public", "").removesuffix("/rating"), headers=builder).json()
    assert officer_view["rating"] == 4 and officer_view["rating_comment"] == "Sửa nhanh, cảm ơn."
    assert officer_view["events"][-1]["note"] == "Đánh giá 4/5 — «Sửa nhanh, cảm ơn.»"


def test_the_duty_agency_acknowledges_an_emergency_alert(client: httpx.Client, database: Database) -> None:
    petition = client.post("/api/v1/petitions", json={"text": FIRE}).json()
    police, health = _officer(database, "cb.ca", "CAT"), _officer(database, "cb.yte", "SYT")
    viewer = bearer(make_token(database, make_user(database, username="xem.ca", role=Role.VIEWER, org="CAT")))
    [alert] = client.get("/api/v1/petition-alerts", headers=police).json()
    assert alert["petition_id"] == petition["id"] and alert["acknowledged_at"] is None
    path = f"/api/v1/petition-alerts/{alert['id']}/acknowledge"
    assert client.post(path).json()["error"]["code"] == "auth.required"
    assert client.post(path, headers=viewer).status_code == 403
    assert client.post(path, headers=health).json()["error"]["code"] == "petition_alert.not_found"  # not theirs

    done = client.post(path, headers=police)
    assert done.status_code == 200, done.text
    assert done.json()["acknowledged_by"] == "cb.ca" and done.json()["acknowledged_at"]
    assert client.get("/api/v1/petition-alerts", headers=police).json() == []
    again = client.post(path, headers=police)
    assert again.status_code == 404 and "đang chờ" in again.json()["error"]["message"]


def test_an_emergency_corrected_to_a_lower_urgency_leaves_the_dashboard(
    client: httpx.Client, database: Database
) -> None:
    petition = client.post("/api/v1/petitions", json={"text": FIRE}).json()
    police = _officer(database, "cb.ca.2", "CAT")
    assert [a["petition_id"] for a in client.get("/api/v1/petition-alerts", headers=police).json()] == [petition["id"]]
    path = f"/api/v1/petitions/{petition['id']}/decision"
    assert client.post(path, json={"urgency": "cao"}, headers=police).status_code == 200
    assert client.get("/api/v1/petition-alerts", headers=police).json() == []


def test_the_supervising_agency_follows_an_escalated_emergency_but_does_not_take_it_over(
    client: httpx.Client, database: Database
) -> None:
    petition = client.post("/api/v1/petitions", json={"text": FIRE}).json()
    with database.unit_of_work() as session:
        overdue = session.get(Petition, petition["id"])
        assert overdue is not None
        overdue.due_at = datetime(2026, 1, 5, 17, 0, tzinfo=LOCAL_TZ)
    admin = bearer(make_token(database, make_user(database, username="qt.leo", role=Role.ADMIN)))
    with database.unit_of_work() as session:
        [escalated] = workflow.escalate_overdue(session=session, actor=SYSTEM)
        supervisor = session.get(Organisation, escalated.escalated_to_id)
        assert escalated.id == petition["id"] and supervisor is not None
        supervisor_code = supervisor.code
    above, police = _officer(database, "cb.tren", supervisor_code), _officer(database, "cb.ca", "CAT")
    path = f"/api/v1/petitions/{petition['id']}"

    assert client.get(path, headers=above).status_code == 200, "it follows the case"
    reads = client.get("/api/v1/audit", params={"action": "petition.view"}, headers=admin).json()["entries"]
    assert [(e["actor_name"], e["target_id"]) for e in reads] == [("cb.tren", str(petition["id"]))], "the read is kept"
    refused = client.post(f"{path}/reject", json={"reason": "không thuộc thẩm quyền"}, headers=above)
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "petition.not_yours"
    assert client.get("/api/v1/petition-alerts", headers=above).json() == [], "the fire alert stays the police's"
    [alert] = client.get("/api/v1/petition-alerts", headers=police).json()
    taken = client.post(f"/api/v1/petition-alerts/{alert['id']}/acknowledge", headers=above)
    assert taken.status_code == 404
    assert client.get("/api/v1/petition-alerts", headers=admin).json()[0]["acknowledged_at"] is None


def test_a_sender_cannot_backdate_petitions_past_the_rate_limit(client: httpx.Client, database: Database) -> None:
    old = "2020-01-01T00:00:00Z"
    codes = [
        client.post("/api/v1/petitions", json={"text": f"Đường hỏng số {n}", "submitted_at": old}).status_code
        for n in range(6)
    ]
    assert codes == [201] * 5 + [429]
    one = client.get("/api/v1/public/petitions/1").json()
    assert one["submitted_at"].startswith(time.strftime("%Y", time.gmtime())), "a sender's date is not kept"
    hotline = _officer(database, "cb.tiepdan", "VPUBND")
    entered = client.post("/api/v1/petitions", json={"text": WATER, "submitted_at": old}, headers=hotline).json()
    assert client.get(f"/api/v1/public/petitions/{entered['id']}").json()["submitted_at"].startswith("2020-01-01")


def test_only_staff_entering_calls_name_the_channel_and_only_one_the_platform_knows(
    client: httpx.Client, database: Database
) -> None:
    """A public submission stays "api" whatever it calls itself: officers and statistics read the channel."""
    for named in ("hotline_transcript", "<b>x</b>"):
        sent = client.post("/api/v1/petitions", json={"text": WATER + f" ({named})", "channel": named})
        assert sent.status_code == 201, sent.text
    hotline = _officer(database, "cb.tiepdan", "VPUBND")
    call = client.post("/api/v1/petitions", json={"text": FIRE, "channel": "hotline"}, headers=hotline)
    assert call.status_code == 201, call.text
    typo = client.post("/api/v1/petitions", json={"text": FIRE, "channel": "hotlne"}, headers=hotline)
    assert typo.status_code == 422 and typo.json()["error"]["code"] == "petitions.channel"
    assert "«hotlne»" in typo.json()["error"]["message"] and "hotline_transcript" in typo.json()["error"]["message"]
    with database.unit_of_work() as session:
        channels = list(session.scalars(select(Petition.channel).order_by(Petition.id)))
    assert channels == ["api", "api", "hotline"], "the sender's own label is not kept; a typo is not stored"


def test_open311_reads_never_show_the_senders_place_unmasked_or_a_private_ones_point(client: httpx.Client) -> None:
    place = "trước nhà ông Nguyễn Văn Bình, SĐT 0912 345 678"
    created = client.post(
        "/open311/v2/requests.json",
        data={"service_code": "giao_thong", "description": "Ổ gà to giữa đường", "address_string": place},
    ).json()
    one = client.get(f"/open311/v2/requests/{created[0]['service_request_id']}.json").json()[0]
    assert "Nguyễn Văn Bình" not in one["address"] and "0912 345 678" not in one["address"]
    assert one["address"].startswith("trước nhà ông")
    for place, shown in [
        ("Số nhà 12, ngõ 5 đường Bà Triệu, phường Đông Kinh", "[ĐỊA CHỈ]"),  # finds a house
        ("so nha 12, ngo 5 duong Ba Trieu", "[ĐỊA CHỈ]"),  # typed without accents, as apps often are
        ("Khu 4, phường Đông Kinh", "Khu 4, phường Đông Kinh"),  # says where, finds no one
    ]:
        sent = {"service_code": "giao_thong", "description": "Ổ gà to giữa đường", "address_string": place}
        created = client.post("/open311/v2/requests.json", data=sent).json()
        assert client.get(f"/open311/v2/requests/{created[0]['service_request_id']}.json").json()[0]["address"] == shown

    private = {"text": WATER, "is_public": False, "location_text": "nhà số 12", "latitude": 21.8, "longitude": 106.7}
    hidden = client.post("/api/v1/petitions", json=private).json()
    listed = {r["service_request_id"]: r for r in client.get("/open311/v2/requests.json").json()}
    view = listed[str(hidden["id"])]
    assert view["description"] is None and view["lat"] is None and view["long"] is None
    assert view["address"] == "Phường Kỳ Lừa"  # the commune, as on the public page; not the sender's words


def test_an_agency_admin_cannot_point_notifiers_into_the_servers_network(
    client: httpx.Client, database: Database
) -> None:
    agency_admin = bearer(
        make_token(database, make_user(database, username="qt.ca", role=Role.AGENCY_ADMIN, org="CAT"))
    )
    for kind, target in [
        ("webhook", "http://127.0.0.1:5432/"),
        ("webhook", "http://localhost:8000/api/v1/users"),
        ("webhook", "http://169.254.169.254/latest/meta-data/"),
        ("webhook", "http://[::1]/"),
        ("webhook", "http://10.0.0.7/"),
        ("email", "smtp://127.0.0.1:25/truc.ban@congan.langson.gov.vn"),
    ]:
        refused = client.post(
            "/api/v1/petition-notifiers",
            json={"organisation_code": "CAT", "kind": kind, "target": target},
            headers=agency_admin,
        )
        assert refused.status_code == 422, target
        assert refused.json()["error"]["code"] == "petitions.notifier_internal"
    assert client.get("/api/v1/petition-notifiers", headers=agency_admin).json() == []


def test_a_notifier_cannot_inject_mail_headers(client: httpx.Client, database: Database) -> None:
    admin = bearer(make_token(database, make_user(database, username="quan.tri", role=Role.ADMIN)))
    for target in [
        "smtp://127.0.0.1:25/truc.ban@congan.langson.gov.vn?from=x@y.vn%0d%0aBcc:%20ke.gian@example.com",
        "smtp://127.0.0.1:25/truc.ban@congan.langson.gov.vn,ke.gian@example.com",
    ]:
        refused = client.post(
            "/api/v1/petition-notifiers",
            json={"organisation_code": "CAT", "kind": "email", "target": target},
            headers=admin,
        )
        assert refused.status_code == 422 and refused.json()["error"]["code"] == "petitions.notifier_target", target


def test_the_sender_reads_a_private_petition_and_its_reply_with_the_tracking_code(
    client: httpx.Client, database: Database
) -> None:
    petition = client.post("/api/v1/petitions", json={"text": WATER, "is_public": False}).json()
    builder = _officer(database, "cb.xaydung", "SXD")
    client.post(f"/api/v1/petitions/{petition['id']}/decision", json={}, headers=builder)
    client.post(f"/api/v1/petitions/{petition['id']}/reply", json={"text": "Đã sửa xong."}, headers=builder)
    public = client.get(f"/api/v1/public/petitions/{petition['id']}").json()
    assert public["text"] is None and public["reply"] is None and public["for_sender"] is False

    view = f"/api/v1/public/petitions/{petition['id']}/sender-view"
    wrong = client.post(view, json={"tracking_code": "0000000000"})
    assert wrong.status_code == 401 and wrong.json()["error"]["code"] == "petition.tracking_code"
    unknown = client.post("/api/v1/public/petitions/999/sender-view", json={"tracking_code": "0000000000"})
    assert unknown.status_code == 401, "an unknown petition answers as a wrong code"
    accented = client.post(view, json={"tracking_code": "đđđđđđ"})
    assert accented.status_code == 401 and accented.json()["error"]["code"] == "petition.tracking_code"
    shown = client.post(view, json={"tracking_code": petition["tracking_code"]})
    mine = shown.json()
    assert mine["for_sender"] is True and mine["reply"] == "Đã sửa xong." and "Mất nước" in mine["text"]
    assert shown.headers["cache-control"] == "no-store"
    admin = bearer(make_token(database, make_user(database, username="qt.xem", role=Role.ADMIN)))
    reads = client.get("/api/v1/audit", params={"action": "petition.sender_view"}, headers=admin).json()
    assert [(e["action"], e["target_id"]) for e in reads["entries"]] == [("petition.sender_view", str(petition["id"]))]
