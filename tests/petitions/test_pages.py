"""The pages: a citizen's form (photos checked), the public page without personal data or photos, the
officer's inbox, one-click acceptance, and the photos shown to the agency's officers only."""

from __future__ import annotations

import hashlib
import re
from datetime import datetime

import httpx
from sqlalchemy import select

from mauson.audit.models import AuditEntry
from mauson.db import LOCAL_TZ, Database
from mauson.identity.models import Organisation, Role
from mauson.identity.service import SYSTEM
from mauson.petitions import intake, photos, workflow
from mauson.petitions.labels import Status
from mauson.petitions.models import Petition, PetitionAlert, PetitionCorrection
from mauson.settings import Settings
from tests.factories import PASSWORD, bearer, form_token, log_in, make_token, make_user

WATER = "Tôi là Nguyễn Thị Hằng, SĐT 0936 872 104. Mất nước 4 ngày ở đường Bắc Sơn, phường Kỳ Lừa."


def _submit(client: httpx.Client, files: list[tuple[str, tuple[str, bytes, str]]] | None = None) -> httpx.Response:
    data = {
        "text": WATER,
        "contact_phone": "0936872104",
        "is_public": "yes",
        "csrf_token": form_token(client, "/petitions/new"),
    }
    return client.post("/petitions/new", data=data, files=files or [])


def test_a_citizen_submits_sees_the_triage_and_a_public_page_without_personal_data(client: httpx.Client) -> None:
    png = b"\x89PNG\r\n\x1a\n" + b"0" * 64
    received = _submit(client, [("photo", ("anh.png", png, "image/png"))])
    assert received.status_code == 201 and "Điện, nước" in received.text and "Phường Kỳ Lừa" in received.text
    public = client.get("/petitions/1").text
    assert "0936 872 104" not in public and "Nguyễn Thị Hằng" not in public and "Đã phân loại" in public
    home = client.get("/petitions").text
    assert "<svg" in home and "Phường Kỳ Lừa: 1 phản ánh" in home
    listed = home[home.index("Phản ánh mới nhất") :]
    agency = client.get("/api/v1/public/petitions/1").json()["organisation"]
    assert f'<dd id="organisation">{agency} (đơn vị phụ trách: Công ty Cấp thoát nước)</dd>' in received.text
    assert "Mất nước 4 ngày" in listed and f"<td>{agency}</td>" in listed, "what and who, at a glance"
    assert "0936 872 104" not in listed and "Nguyễn Thị Hằng" not in listed


def test_a_fake_photo_is_refused_and_the_draft_kept(client: httpx.Client) -> None:
    refused = _submit(client, [("photo", ("anh.jpg", b"<?php echo 1; ?>", "image/jpeg"))])
    assert refused.status_code == 422 and "không phải ảnh" in refused.text and "Mất nước 4 ngày" in refused.text
    assert "Chưa có phản ánh nào" in client.get("/petitions").text


def test_photos_within_the_stated_limits_go_through_and_a_refused_petition_keeps_none(
    client: httpx.Client, settings: Settings
) -> None:
    big = [b"\x89PNG\r\n\x1a\n" + bytes([n]) * (photos.MAX_BYTES - 100) for n in (1, 2)]
    files = [("photo", (f"anh{n}.png", content, "image/png")) for n, content in enumerate(big)]
    assert _submit(client, files).status_code == 201, "two photos of 800 KB each, as the form allows"
    folder = photos.folder_for(settings.data_dir)
    kept = sorted(path.name for path in folder.iterdir())
    token = form_token(client, "/petitions/new")
    other = [("photo", ("khac.png", b"\x89PNG\r\n\x1a\n" + b"other" * 50, "image/png"))]
    refused = client.post("/petitions/new", data={"text": "ngắn", "csrf_token": token}, files=other)
    assert refused.status_code == 422 and "ngắn" in refused.text
    assert sorted(path.name for path in folder.iterdir()) == kept, "nothing written for a refused petition"


def test_an_officer_accepts_the_triage_in_one_click(client: httpx.Client, database: Database) -> None:
    _submit(client)
    make_user(database, username="cb.xaydung", role=Role.OFFICER, org="SXD")
    log_in(client, "cb.xaydung")
    inbox = client.get("/officer/petitions").text
    assert 'href="/officer/petitions/1"' in inbox
    page = client.get("/officer/petitions/1").text
    assert "0936 872 104" in page and "Căn cứ" in page
    token = form_token(client, "/officer/petitions/1")
    accepted = client.post("/officer/petitions/1", data={"action": "accept", "csrf_token": token})
    assert accepted.status_code == 303
    assert "Đã chuyển" in client.get("/officer/petitions/1").text


def test_a_reloaded_confirmation_does_not_file_the_petition_twice(client: httpx.Client) -> None:
    first, again = _submit(client), _submit(client)  # the browser's "resend the form?" after a reload
    assert first.status_code == again.status_code == 201
    assert (
        client.get("/api/v1/public/petitions").json()[0]["id"] == 1
        and len(client.get("/api/v1/public/petitions").json()) == 1
    )


def test_an_officer_who_transfers_a_case_lands_on_the_inbox_told_so(client: httpx.Client, database: Database) -> None:
    _submit(client)
    make_user(database, username="cb.xaydung", role=Role.OFFICER, org="SXD")
    log_in(client, "cb.xaydung")
    page = client.get("/officer/petitions/1").text
    reason = page[page.index('id="transfer-reason"') :].split(">")[0]
    assert 'value=""' in reason and "required" in reason, "the officer writes why: no stock reason is pre-filled"
    token = form_token(client, "/officer/petitions/1")
    data = {"action": "transfer", "agency": "so_tu_phap", "text": "Việc tranh chấp hợp đồng", "csrf_token": token}
    moved = client.post("/officer/petitions/1", data=data)
    assert moved.status_code == 303 and moved.headers["location"] == "/officer/petitions?transferred=1"
    inbox = client.get(moved.headers["location"]).text
    assert "Đã chuyển phản ánh #1 sang cơ quan khác" in inbox and 'href="/officer/petitions/1"' not in inbox


def test_the_officer_sees_the_photos_and_nobody_else_does(client: httpx.Client, database: Database) -> None:
    png = b"\x89PNG\r\n\x1a\n" + b"photo of a burst pipe" * 8
    jpeg = b"\xff\xd8\xff\xe0" + b"photo of the street" * 8
    _submit(client, [("photo", ("ong.png", png, "image/png")), ("photo", ("duong.jpg", jpeg, "image/jpeg"))])
    png_url = f"/api/v1/petitions/1/photos/{hashlib.sha256(png).hexdigest()}.png"
    jpeg_url = f"/api/v1/petitions/1/photos/{hashlib.sha256(jpeg).hexdigest()}.jpg"

    # the public never sees them: not on the page, the list or the public API, not by the photo's address
    for public in ("/petitions/1", "/petitions", "/api/v1/public/petitions/1", "/api/v1/public/petitions"):
        assert (
            hashlib.sha256(png).hexdigest() not in client.get(public).text and "photos" not in client.get(public).text
        )
    anonymous = client.get(png_url)
    assert anonymous.status_code == 401 and anonymous.json()["error"]["code"] == "auth.required"
    other = bearer(make_token(database, make_user(database, username="cb.yte", role=Role.OFFICER, org="SYT")))
    assert client.get(png_url, headers=other).json()["error"]["code"] == "petition.not_found"
    viewer = bearer(make_token(database, make_user(database, username="xem.xd", role=Role.VIEWER, org="SXD")))
    assert client.get(png_url, headers=viewer).status_code == 403

    # the agency's officer sees thumbnails linking to the full images, served with safe headers
    make_user(database, username="cb.xaydung", role=Role.OFFICER, org="SXD")
    log_in(client, "cb.xaydung")
    page = client.get("/officer/petitions/1").text
    assert f'<a href="{png_url}"' in page and f'<img src="{png_url}"' in page and f'<img src="{jpeg_url}"' in page
    shown = client.get(png_url)
    assert shown.status_code == 200 and shown.content == png
    assert shown.headers["content-type"] == "image/png" and shown.headers["x-content-type-options"] == "nosniff"
    assert shown.headers["content-disposition"].startswith("inline")
    assert client.get(jpeg_url).headers["content-type"] == "image/jpeg"
    unknown = client.get("/api/v1/petitions/1/photos/" + "0" * 64 + ".png")
    assert unknown.status_code == 404 and unknown.json()["error"]["code"] == "petition.photo_not_found"
    for outside in ("..%2F..%2Fmauson.db", "%2Fetc%2Fpasswd", "x.png%00.png"):
        assert client.get(f"/api/v1/petitions/1/photos/{outside}").status_code == 404

    # each read of a photo is an audit entry naming the officer and the photo
    with database.unit_of_work() as session:
        reads = session.scalars(select(AuditEntry).where(AuditEntry.action == "petition.photo_view")).all()
        assert [(e.actor_name, e.target_id) for e in reads] == [("cb.xaydung", "1")] * 2
        assert hashlib.sha256(png).hexdigest() in reads[0].details


def test_a_text_too_short_is_refused_and_everything_typed_is_kept(client: httpx.Client) -> None:
    typed = {
        "text": "ngắn",
        "commune_code": "06172",
        "location_text": "thôn Nà Lừa",
        "contact_name": "Nguyễn Thị Hằng",
        "contact_phone": "0936872104",
        "contact_email": "hang@example.vn",
        "csrf_token": form_token(client, "/petitions/new"),
    }  # "make public" left unticked
    refused = client.post("/petitions/new", data=typed)
    assert refused.status_code == 422 and "Nội dung quá ngắn" in refused.text and "ít nhất 3 từ" in refused.text
    for kept in ("ngắn</textarea>", 'value="06172" selected', 'value="thôn Nà Lừa"', 'value="Nguyễn Thị Hằng"'):
        assert kept in refused.text
    assert 'value="0936872104"' in refused.text and 'value="hang@example.vn"' in refused.text
    assert 'name="is_public" value="yes">' in refused.text, "still not to be made public"
    assert "Chưa có phản ánh nào" in client.get("/petitions").text


def test_a_text_far_too_long_comes_back_in_the_form_with_its_length(client: httpx.Client) -> None:
    pasted = "Đường liên thôn Nà Lừa bị sạt lở, xe không qua được. " * 1_400  # 74,200 characters
    token = form_token(client, "/petitions/new")
    refused = client.post("/petitions/new", data={"text": pasted, "location_text": "thôn Nà Lừa", "csrf_token": token})
    assert refused.status_code == 422
    assert "Nội dung dài 74.200 ký tự, quá 10.000 ký tự: hãy rút gọn" in refused.text
    assert pasted + "</textarea>" in refused.text and 'value="thôn Nà Lừa"' in refused.text, "nothing typed is lost"
    assert "Chưa có phản ánh nào" in client.get("/petitions").text


def test_the_confirmation_names_the_commune_the_citizen_chose(client: httpx.Client) -> None:
    light = "Đèn đường trước cổng trường tiểu học hỏng hai tuần nay, buổi tối rất tối."  # names no place
    data = {
        "text": light,
        "commune_code": "06172",
        "is_public": "yes",
        "csrf_token": form_token(client, "/petitions/new"),
    }
    received = client.post("/petitions/new", data=data)
    assert received.status_code == 201 and "<dd>Xã Hoàng Văn Thụ</dd>" in received.text
    assert "<dd>Xã Hoàng Văn Thụ</dd>" in client.get("/petitions/1").text


def test_a_wrong_tracking_code_keeps_the_rating_and_comment_typed(client: httpx.Client, database: Database) -> None:
    client.post("/api/v1/petitions", json={"text": WATER})
    builder = bearer(make_token(database, make_user(database, username="cb.xaydung", role=Role.OFFICER, org="SXD")))
    client.post("/api/v1/petitions/1/decision", json={}, headers=builder)
    client.post("/api/v1/petitions/1/reply", json={"text": "Đã sửa đường ống."}, headers=builder)
    comment = "Nước vẫn yếu vào buổi tối."
    form = {"tracking_code": "0000000000", "rating": "2", "comment": comment}
    refused = client.post("/petitions/1/rating", data={**form, "csrf_token": form_token(client, "/petitions/1")})
    assert refused.status_code == 401 and "Mã theo dõi không đúng" in refused.text
    assert f"{comment}</textarea>" in refused.text and '<option value="2" selected>' in refused.text


def test_the_sender_of_a_private_petition_reads_the_reply_with_the_tracking_code(
    client: httpx.Client, database: Database
) -> None:
    sent = client.post("/api/v1/petitions", json={"text": WATER, "is_public": False}).json()
    builder = bearer(make_token(database, make_user(database, username="cb.xaydung", role=Role.OFFICER, org="SXD")))
    client.post("/api/v1/petitions/1/decision", json={}, headers=builder)
    client.post("/api/v1/petitions/1/reply", json={"text": "Đã sửa đường ống, nước có lại."}, headers=builder)
    public = client.get("/petitions/1").text
    assert "Đã sửa đường ống" not in public and "Người gửi chọn không công khai" in public

    token = form_token(client, "/petitions/1")
    wrong = client.post("/petitions/1/sender-view", data={"tracking_code": "ab", "csrf_token": token})
    assert wrong.status_code == 401 and "Mã theo dõi không đúng" in wrong.text and "Đã sửa đường ống" not in wrong.text
    shown = client.post("/petitions/1/sender-view", data={"tracking_code": sent["tracking_code"], "csrf_token": token})
    assert shown.status_code == 200 and 'id="sender-view"' in shown.text
    assert "Đã sửa đường ống, nước có lại." in shown.text and "Mất nước" in shown.text
    assert f'value="{sent["tracking_code"]}"' in shown.text, "the rating form needs the code only once"
    assert "Đã sửa đường ống" not in client.get("/petitions/1").text, "the next visitor sees the public page again"


def test_the_officer_reads_the_triage_and_history_in_vietnamese(client: httpx.Client, database: Database) -> None:
    _submit(client)
    make_user(database, username="cb.xaydung", role=Role.OFFICER, org="SXD")
    log_in(client, "cb.xaydung")
    client.post(
        "/officer/petitions/1", data={"action": "accept", "csrf_token": form_token(client, "/officer/petitions/1")}
    )
    page = client.get("/officer/petitions/1").text

    reasons = page[page.index('id="triage"') : page.index("</table>")]
    assert "Mất nước" in reasons and "nuoc" not in reasons, "the words as the citizen wrote them"
    assert "Họ tên ×1, Số điện thoại ×1" in page and "PHONE" not in page
    assert "Địa chỉ ×" not in page, "where the water is out is the problem's place, not the sender's home"
    history = page[page.index("Lịch sử xử lý") :]
    assert "Người dân: Gửi phản ánh (trạng thái: Mới)" in history
    assert "Hệ thống: Phân loại tự động (trạng thái: Đã phân loại)" in history
    assert "cb.xaydung: Duyệt phân loại, chuyển xử lý (trạng thái: Đã chuyển) — Chấp nhận phân loại" in history
    assert "anonymous" not in history and "da_chuyen" not in history


def test_a_correction_is_told_in_words_and_a_case_is_not_transferred_to_its_own_agency(
    client: httpx.Client, database: Database
) -> None:
    _submit(client)
    make_user(database, username="cb.xaydung", role=Role.OFFICER, org="SXD")
    log_in(client, "cb.xaydung")
    _step(client, "correct", urgency="binh_thuong")
    page = client.get("/officer/petitions/1").text
    assert "Sửa phân loại: mức khẩn" in page[page.index("Lịch sử xử lý") :] and "urgency" not in page

    refused = _step(client, "transfer", agency="cap_nuoc", text="chuyển lại")  # water: SXD's own
    assert refused.status_code == 422 and "hãy chọn cơ quan khác để chuyển" in refused.text


def test_a_confirmation_written_into_the_address_is_shown_only_when_it_is_true(
    client: httpx.Client, database: Database
) -> None:
    _submit(client)
    make_user(database, username="cb.xaydung", role=Role.OFFICER, org="SXD")
    log_in(client, "cb.xaydung")
    assert "Đã đóng phản ánh" not in client.get("/officer/petitions/1?done=close").text, "nothing was closed"
    assert "Đã chuyển phản ánh #1" not in client.get("/officer/petitions?transferred=1").text, "it is still here"
    assert 'id="acknowledged"' not in client.get("/officer/petitions?acknowledged=1").text, "no alert taken off"
    accepted = _step(client, "accept")
    assert "Đã chấp nhận phân loại" in client.get(accepted.headers["location"]).text, "the step just taken"


def test_the_officer_who_takes_an_alert_off_the_dashboard_is_told_so(client: httpx.Client, database: Database) -> None:
    fire = "Cháy nhà dân ở khối 5 phường Kỳ Lừa, lửa đang lan sang nhà bên, cần cứu hỏa ngay."
    client.post("/api/v1/petitions", json={"text": fire})
    with database.unit_of_work() as session:
        alert_id = session.scalars(select(PetitionAlert.id)).one()
    make_user(database, username="cb.congan", role=Role.OFFICER, org="CAT")
    log_in(client, "cb.congan")
    taken = client.post(f"/officer/alerts/{alert_id}", data={"csrf_token": form_token(client, "/officer/petitions")})
    assert taken.status_code == 303 and taken.headers["location"] == "/officer/petitions?acknowledged=1"
    assert 'id="acknowledged"' in client.get(taken.headers["location"]).text


def test_an_officer_whose_correction_sends_the_case_elsewhere_lands_on_the_inbox_told_so(
    client: httpx.Client, database: Database
) -> None:
    _submit(client)
    make_user(database, username="cb.xaydung", role=Role.OFFICER, org="SXD")
    log_in(client, "cb.xaydung")
    moved = _step(client, "correct", agency="cong_an_tinh")  # the case was never the department's
    assert moved.status_code == 303 and moved.headers["location"] == "/officer/petitions?transferred=1"
    assert "Đã chuyển phản ánh #1 sang cơ quan khác" in client.get(moved.headers["location"]).text


def test_the_inbox_marks_an_escalated_case_for_the_agency_and_for_its_supervisor(
    client: httpx.Client, database: Database
) -> None:
    _submit(client)
    with database.unit_of_work() as session:
        petition = session.get(Petition, 1)
        assert petition is not None
        petition.due_at = datetime(2026, 1, 5, 17, 0, tzinfo=LOCAL_TZ)
        [escalated] = workflow.escalate_overdue(session=session, actor=SYSTEM)
        supervisor = session.get(Organisation, escalated.escalated_to_id)
        assert supervisor is not None
        supervisor_code = supervisor.code
    make_user(database, username="cb.xaydung", role=Role.OFFICER, org="SXD")
    make_user(database, username="cb.tren", role=Role.OFFICER, org=supervisor_code)
    log_in(client, "cb.xaydung")
    assert "quá hạn</strong> (đã báo cấp trên)" in client.get("/officer/petitions").text
    log_in(client, "cb.tren")
    assert "(cấp dưới quá hạn: theo dõi)" in client.get("/officer/petitions").text


def test_the_case_page_says_where_its_alert_went_and_who_took_it(client: httpx.Client, database: Database) -> None:
    fire = "CHÁY NHÀ ở khu phố chợ, lửa bốc lên, trên tầng có người đang kêu cứu."
    petition = client.post("/api/v1/petitions", json={"text": fire}).json()["id"]
    make_user(database, username="cb.ca", role=Role.OFFICER, org="CAT")
    log_in(client, "cb.ca")
    page = client.get(f"/officer/petitions/{petition}").text
    assert "Cảnh báo khẩn cấp" in page and "chưa ai xác nhận đã nhận" in page
    [alert] = re.findall(r'action="/officer/alerts/(\d+)"', client.get("/officer/petitions").text)
    client.post(f"/officer/alerts/{alert}", data={"csrf_token": form_token(client, "/officer/petitions")})
    assert "đã nhận bởi cb.ca lúc" in client.get(f"/officer/petitions/{petition}").text


def test_a_case_is_given_to_a_colleague_from_its_page(client: httpx.Client, database: Database) -> None:
    _submit(client)
    make_user(database, username="cb.xaydung", role=Role.OFFICER, org="SXD")
    make_user(database, username="cb.nuoc", role=Role.OFFICER, org="SXD")
    make_user(database, username="qt.xaydung", role=Role.AGENCY_ADMIN, org="SXD")
    log_in(client, "qt.xaydung")
    _step(client, "accept")
    page = client.get("/officer/petitions/1").text
    give = page[page.index('id="give"') : page.index("</form>", page.index('id="give"'))]
    assert 'value="cb.nuoc"' in give and 'value="cb.xaydung"' in give
    assert _step(client, "assign", officer="cb.nuoc").status_code in (200, 303)
    history = client.get("/officer/petitions/1").text.split("Lịch sử xử lý")[1]
    assert "(trạng thái: Đang xử lý) — Giao cho" in history, "given by the agency admin"


def test_the_officer_links_a_report_the_finder_missed_and_unlinks_it_again(
    client: httpx.Client, database: Database
) -> None:
    first = client.post("/api/v1/petitions", json={"text": WATER}).json()["id"]
    other_words = "Khu phố tôi cạnh đường Bắc Sơn vòi nước khô cong từ thứ hai, gọi công ty không ai nghe máy."
    second = client.post("/api/v1/petitions", json={"text": other_words}).json()["id"]
    later = client.post("/api/v1/petitions", json={"text": "Đèn đường ngõ 5 phố Bà Triệu tắt cả tuần nay."}).json()[
        "id"
    ]
    make_user(database, username="cb.xaydung", role=Role.OFFICER, org="SXD")
    log_in(client, "cb.xaydung")
    page = f"/officer/petitions/{second}"

    def link(**fields: str) -> httpx.Response:
        return client.post(page, data={"action": "link", "csrf_token": form_token(client, page), **fields})

    refused = link(duplicate_of=str(later))
    assert refused.status_code == 422 and f"#{later} không phải phản ánh gửi trước" in refused.text
    assert f'value="{later}"' in refused.text, "the number typed is kept"
    assert link(duplicate_of=f"#{first}").status_code == 303
    with database.unit_of_work() as session:
        assert session.get_one(Petition, second).duplicate_of_id == first
    shown = client.get(page).text
    assert f"Không trùng: sự việc khác với phản ánh #{first}" in shown
    assert f"Sửa liên kết trùng sự việc (trạng thái: Đã phân loại) — Trùng sự việc với phản ánh #{first}" in shown
    assert link(separate="yes").status_code == 303
    with database.unit_of_work() as session:
        assert session.get_one(Petition, second).duplicate_of_id is None
        kept = session.scalars(select(PetitionCorrection).where(PetitionCorrection.field == "duplicate_of")).all()
        assert [(c.old_value, c.new_value) for c in kept] == [(None, str(first)), (str(first), None)]


def test_no_stock_reply_is_sent_unasked_and_a_rejection_needs_a_reason(
    client: httpx.Client, database: Database
) -> None:
    _submit(client)
    make_user(database, username="cb.xaydung", role=Role.OFFICER, org="SXD")
    log_in(client, "cb.xaydung")
    client.post(
        "/officer/petitions/1", data={"action": "accept", "csrf_token": form_token(client, "/officer/petitions/1")}
    )
    assert re.search(
        r'<textarea id="reply"[^>]*placeholder="[^"]+"></textarea>', client.get("/officer/petitions/1").text
    )
    chosen = client.get("/officer/petitions/1?template=dang_kiem_tra").text
    assert re.search(r'<textarea id="reply"[^>]*>[^<]*đã cử cán bộ kiểm tra thực tế', chosen), "the template chosen"

    token = form_token(client, "/officer/petitions/1")
    guide = re.search(
        r'<textarea id="reply"[^>]*>([^<]*)</textarea>', client.get("/officer/petitions/1?template=huong_dan").text
    )
    assert guide is not None and "[viết nội dung hướng dẫn]" in guide.group(1)
    unedited = client.post(
        "/officer/petitions/1", data={"action": "reply", "text": guide.group(1), "csrf_token": token}
    )
    assert unedited.status_code == 422 and "còn chỗ chưa điền «[viết nội dung hướng dẫn]»" in unedited.text
    assert client.get("/api/v1/public/petitions/1").json()["reply"] is None, "nothing published"
    refused = client.post("/officer/petitions/1", data={"action": "reject", "text": "  ", "csrf_token": token})
    assert refused.status_code == 422 and "Hãy ghi lý do từ chối" in refused.text
    assert "<details open><summary>Từ chối</summary>" in refused.text and "Đã chuyển" in refused.text
    too_short = client.post(
        "/officer/petitions/1", data={"action": "transfer", "agency": "so_y_te", "text": "x"} | {"csrf_token": token}
    )
    assert too_short.status_code == 422 and "Lý do cần ít nhất 3 ký tự" in too_short.text, "Vietnamese, not pydantic"
    reason = "Tin rác quảng cáo, người gửi Nguyễn Văn Tèo đã gửi 5 lần"
    client.post("/officer/petitions/1", data={"action": "reject", "text": reason, "csrf_token": token})
    public = client.get("/api/v1/public/petitions/1").json()
    assert public["status"] == "tu_choi" and public["text"] is None, "the sender reads why, the public not the text"
    assert public["reject_reason"].startswith("Tin rác quảng cáo") and "Tèo" not in public["reject_reason"]
    assert "Lý do từ chối" in client.get("/petitions/1").text
    assert "Mất nước" not in client.get("/petitions").text, "a rejected petition is not listed"


BINH_GIA, KY_LUA = "06112", "06187"


def _listed(database: Database, count: int, commune_code: str | None, category: str = "giao_thong") -> None:
    """`count` petitions already triaged, straight into the table: the list and the map only read them."""
    with database.unit_of_work() as session:
        for n in range(count):
            text = f"Đường liên thôn sạt lở đoạn số {n}, xe không qua được."
            session.add(
                Petition(
                    tracking_code=f"{commune_code or 'none'}{category[:3]}{n}",
                    text=text,
                    public_text=text,
                    channel="api",
                    category=category,
                    commune_code=commune_code,
                    status=Status.TRIAGED,
                )
            )


def _rows(page: str) -> int:
    return len(re.findall(r'<td><a href="/petitions/\d+">', page))


def test_the_list_says_what_it_is_filtered_by_keeps_the_other_filter_and_pages(
    client: httpx.Client, database: Database
) -> None:
    _listed(database, 52, BINH_GIA)
    _listed(database, 2, KY_LUA, "dien_nuoc")

    first = client.get(f"/petitions?commune={BINH_GIA}").text
    notice = first[first.index('id="active-filters"') :]
    assert "Xã, phường: <strong>Xã Bình Gia</strong>" in notice
    assert '<a href="/petitions#danh-sach">bỏ lọc xã, phường</a>' in notice
    assert _rows(first) == 50 and "Phản ánh 1–50" in first
    assert f'<a href="/petitions?commune={BINH_GIA}&amp;page=2#danh-sach" rel="next">' in first
    second = client.get(f"/petitions?commune={BINH_GIA}&page=2").text
    assert _rows(second) == 2 and "Phản ánh 51–52" in second and 'rel="next"' not in second
    assert f'<a href="/petitions?commune={BINH_GIA}&amp;page=1#danh-sach" rel="prev">' in second

    both = client.get(f"/petitions?category=dien_nuoc&commune={BINH_GIA}").text
    assert _rows(both) == 0 and "Không có phản ánh nào khớp bộ lọc" in both
    assert '<a href="/petitions?category=dien_nuoc#danh-sach">bỏ lọc xã, phường</a>' in both
    assert f'<a href="/petitions?commune={BINH_GIA}#danh-sach">bỏ lọc lĩnh vực</a>' in both
    assert f'<option value="{BINH_GIA}" selected>Xã Bình Gia</option>' in both, "the form sends the commune again"
    assert f'href="/petitions?category=dien_nuoc&amp;commune={KY_LUA}#danh-sach"' in both, "so does the map"
    assert "Đang lọc" not in client.get("/petitions").text


def test_the_commune_map_has_a_legend_counts_the_unplaced_and_is_not_a_maze_of_links(
    client: httpx.Client, database: Database
) -> None:
    _listed(database, 8, BINH_GIA)
    _listed(database, 1, KY_LUA)
    _listed(database, 4, None)
    home = client.get("/petitions").text
    assert 'role="img"' not in home
    svg = home[home.index("<svg") : home.index("</svg>")]
    assert svg.count("<a ") == 65 and svg.count('tabindex="-1"') == 65, "one tap each, no 65 Tab stops"
    legend = home[home.index('id="map-legend"') : home.index("</ul>", home.index('id="map-legend"'))]
    assert "0 phản ánh: 63 xã, phường" in legend and "1–2 phản ánh: 1 xã, phường" in legend
    assert "3–4 phản ánh: 0 xã, phường" in legend and "7–8 phản ánh: 1 xã, phường" in legend, "the whole scale"
    assert "4 phản ánh chưa xác định được xã, phường" in home
    table = home[home.index('id="by-commune"') :]
    assert f'<a href="/petitions?commune={BINH_GIA}#danh-sach">Xã Bình Gia</a></td><td>8</td>' in table
    assert "<td>Không xác định</td><td>4</td>" in table
    assert "Di chuột" not in home and "Chạm hoặc bấm vào một ô" in home


def test_the_commune_map_can_be_read_and_tapped_on_a_phone_and_tabbed_past(
    browser: object, server: str, database: Database
) -> None:
    _listed(database, 3, BINH_GIA)
    page = browser.new_page(viewport={"width": 390, "height": 844})  # type: ignore[attr-defined]
    page.goto(f"{server}/petitions")
    tile = page.locator("#map rect").first.bounding_box()
    label = page.locator("#map text").first.bounding_box()
    assert tile["width"] >= 24 and tile["height"] >= 24, tile
    assert label["height"] >= 14, label
    overflow = "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    assert page.evaluate(overflow) == 0, "the map scrolls in its own box, not the page"

    stops = []
    while len(stops) < 30 and page.evaluate("document.activeElement.id") != "category":
        page.keyboard.press("Tab")
        stops.append(page.evaluate("document.activeElement.closest('svg') ? 'tile' : document.activeElement.id"))
    # the map's box, the table's summary (and, on a phone, the table's own scrolling box), the filter
    assert "tile" not in stops and stops.count("map") == 1 and stops[-1] == "category", stops
    page.get_by_text("Bảng số phản ánh theo từng xã, phường").click()
    page.get_by_role("link", name="Xã Bình Gia").click()
    assert "Xã, phường: Xã Bình Gia" in page.locator("#active-filters").inner_text()


def _officer_on(client: httpx.Client, database: Database, path: str = "/officer/petitions/1") -> None:
    """The water company's supervising department signed in, the petition at `path` accepted."""
    make_user(database, username="cb.xaydung", role=Role.OFFICER, org="SXD")
    log_in(client, "cb.xaydung")
    client.post(path, data={"action": "accept", "csrf_token": form_token(client, path)})


def _step(client: httpx.Client, action: str, **fields: str) -> httpx.Response:
    token = form_token(client, "/officer/petitions/1")
    return client.post("/officer/petitions/1", data={"action": action, "csrf_token": token, **fields})


def test_an_interim_reply_keeps_the_case_in_progress_and_the_agency_replies_again(
    client: httpx.Client, database: Database
) -> None:
    _submit(client)
    _officer_on(client, database)
    chosen = client.get("/officer/petitions/1?template=dang_kiem_tra").text
    assert 'id="interim" checked' in chosen, "a template that promises marks the reply as interim"
    promise = "Công ty đã cử cán bộ kiểm tra thực tế; kết quả xử lý sẽ được thông báo sớm nhất."
    sent = _step(client, "reply", text=promise, interim="yes")
    assert sent.status_code == 303 and sent.headers["location"] == "/officer/petitions/1?done=interim"
    page = client.get(sent.headers["location"]).text
    assert "Đã gửi trả lời tạm" in page and '<small class="muted" id="status">Đang xử lý</small>' in page
    assert 'id="send-reply"' in page and 'value="close"' not in page, "nothing to close yet"

    answer = "Đã thay đoạn ống vỡ trên đường Bắc Sơn, nước đã có lại từ 15 giờ."
    page = client.get(_step(client, "reply", text=answer).headers["location"]).text
    assert "Đã gửi trả lời. Người gửi đọc câu trả lời" in page and 'id="status">Đã trả lời<' in page
    assert "Trả lời thêm (thay câu trả lời đang công khai)" in page and 'value="close"' in page
    assert 'id="take"' not in page and 'value="transfer"' not in page, "the buttons follow workflow.ALLOWED_FROM"
    history = page[page.index("Lịch sử xử lý") :]
    assert f"Trả lời tạm: {promise}" in history and answer in history
    assert client.get("/api/v1/public/petitions/1").json()["reply"] == answer

    closed = client.get(_step(client, "close").headers["location"]).text
    assert "Đã đóng phản ánh." in closed and 'id="send-reply"' not in closed and 'value="close"' not in closed


def test_the_rating_is_chosen_not_preset_and_a_low_one_reaches_the_officer(
    client: httpx.Client, database: Database
) -> None:
    code = client.post("/api/v1/petitions", json={"text": WATER}).json()["tracking_code"]
    builder = bearer(make_token(database, make_user(database, username="cb.xaydung", role=Role.OFFICER, org="SXD")))
    client.post("/api/v1/petitions/1/decision", json={}, headers=builder)
    client.post("/api/v1/petitions/1/reply", json={"text": "Đã sửa đường ống."}, headers=builder)
    form = client.get("/petitions/1").text
    assert '<option value="">Chọn mức đánh giá</option>' in form and " selected" not in form

    def rate(rating: str) -> httpx.Response:
        data = {"tracking_code": code, "rating": rating, "comment": "Chưa thấy ai đến kiểm tra"}
        return client.post("/petitions/1/rating", data={**data, "csrf_token": form_token(client, "/petitions/1")})

    unchosen = rate("")
    assert unchosen.status_code == 422 and "Hãy chọn mức đánh giá, từ 1" in unchosen.text
    assert "Chưa thấy ai đến kiểm tra</textarea>" in unchosen.text
    rated = rate("2")
    assert rated.status_code == 303 and rated.headers["location"] == "/petitions/1#rated", "a reload sends nothing"
    shown = client.get("/petitions/1").text
    assert '<dd id="status">Đang xử lý</dd>' in shown, "a low rating reopens the case"
    assert '<p id="rated">Người gửi đánh giá: 2/5</p>' in shown
    log_in(client, "cb.xaydung")
    assert "người gửi chưa hài lòng (2/5)" in client.get("/officer/petitions").text, "the inbox shows it too"
    page = client.get("/officer/petitions/1").text
    assert '<dd id="rating">2/5 — «Chưa thấy ai đến kiểm tra»</dd>' in page
    assert "người gửi chưa hài lòng; phản ánh được mở lại" in page and 'id="send-reply"' in page


def test_the_officer_page_says_who_placed_the_case_in_its_commune(client: httpx.Client, database: Database) -> None:
    token = form_token(client, "/petitions/new")
    client.post("/petitions/new", data={"text": WATER, "commune_code": BINH_GIA, "csrf_token": token})
    _submit(client)  # no commune picked: the triage reads Kỳ Lừa in the text
    _officer_on(client, database)
    picked = client.get("/officer/petitions/1").text
    assert '<td id="commune">Xã Bình Gia (người gửi chọn); phân loại tự động đọc được: Phường Kỳ Lừa</td>' in picked
    found = client.get("/officer/petitions/2").text
    assert '<td id="commune">Phường Kỳ Lừa (phân loại tự động tìm thấy trong nội dung)</td>' in found
    assert client.get("/api/v1/petitions/1").json()["commune_source"] == "sender"


def test_the_receipt_gives_the_deadline_and_the_officer_is_told_no_contact_was_left(
    client: httpx.Client, database: Database
) -> None:
    received = client.post("/petitions/new", data={"text": WATER, "csrf_token": form_token(client, "/petitions/new")})
    assert re.search(r"phải trả lời trước <strong>\d\d/\d\d/\d{4} 17:00</strong>", received.text), "Vietnam's time"
    _officer_on(client, database)
    assert "Người gửi không để lại liên hệ" in client.get("/officer/petitions/1").text


def test_signing_in_returns_to_the_page_asked_for_with_its_query_and_never_elsewhere(
    client: httpx.Client, database: Database
) -> None:
    make_user(database, username="cb.xaydung", role=Role.OFFICER, org="SXD")
    asked = client.get("/officer/petitions?status=da_chuyen&acknowledged=3")
    assert asked.status_code == 303
    assert asked.headers["location"] == "/login?next=/officer/petitions%3Fstatus%3Dda_chuyen%26acknowledged%3D3"
    login = client.get(asked.headers["location"]).text
    assert 'value="/officer/petitions?status=da_chuyen&amp;acknowledged=3"' in login

    def sign_in(next_page: str) -> httpx.Response:
        data = {"username": "cb.xaydung", "password": PASSWORD, "next": next_page}
        return client.post("/login", data={**data, "csrf_token": form_token(client, "/login")})

    assert sign_in("/officer/petitions?status=da_chuyen&acknowledged=3").headers["location"] == (
        "/officer/petitions?status=da_chuyen&acknowledged=3"
    )
    assert sign_in("//evil.example/phish").headers["location"] == "/", "another site is never followed"


def test_a_rejected_case_shows_no_reply_due_date(client: httpx.Client, database: Database) -> None:
    _submit(client)
    assert "Hạn trả lời" in client.get("/petitions/1").text, "an open case is due"
    _officer_on(client, database)
    _step(client, "reject", text="Phản ánh trùng với phản ánh đã trả lời trước đó")
    page = client.get("/petitions/1").text
    assert "Lý do từ chối" in page and "Hạn trả lời" not in page, "no reply is awaited any more"
    assert client.get("/api/v1/public/petitions/1").json()["due_at"] is None, "nor in the public API"
    assert client.get("/open311/v2/requests/1.json").json()[0]["expected_datetime"] is None, "nor in Open311"


def test_a_box_typed_past_its_limit_comes_back_in_the_form_named_as_the_form_names_it(client: httpx.Client) -> None:
    """The browser's maxlength bypassed (an old browser, a script): the petition typed is not lost."""
    typed = {
        "text": WATER,
        "location_text": "thôn Nà Lừa",
        "contact_phone": "0936 872 104 hoặc 0205 3871 234 (giờ hành chính)",
        "csrf_token": form_token(client, "/petitions/new"),
    }
    refused = client.post("/petitions/new", data=typed)
    assert refused.status_code == 422
    assert "Ô «Số điện thoại» dài 48 ký tự, quá 40 ký tự: hãy rút ngắn lại." in refused.text
    assert "contact_phone»" not in refused.text, "the box as its label says, not the field's code"
    assert f"{WATER}</textarea>" in refused.text and 'value="thôn Nà Lừa"' in refused.text
    assert 'value="0936 872 104 hoặc 0205 3871 234 (giờ hành chính)"' in refused.text
    assert "Chưa có phản ánh nào" in client.get("/petitions").text


def test_an_emergency_is_told_whom_to_call_in_the_same_words_on_the_receipt_and_in_open311(
    client: httpx.Client,
) -> None:
    fire = "Cháy nhà ở thôn Nà Lừa, lửa đang lan sang nhà bên, có người mắc kẹt trên gác."
    received = client.post("/petitions/new", data={"text": fire, "csrf_token": form_token(client, "/petitions/new")})
    assert received.status_code == 201 and intake.EMERGENCY_ADVICE in received.text
    sent = {"service_code": "thien_tai_su_co", "description": fire + " Gọi cứu hỏa!", "address_string": "Nà Lừa"}
    notice = client.post("/open311/v2/requests.json", data=sent).json()[0]["service_notice"]
    assert intake.EMERGENCY_ADVICE in notice
