"""Done when: a citizen submits a petition in a real browser and sees it triaged, an officer signs
in and works it to a reply, the public page shows it without personal data; an emergency sent
through the same form reaches the duty agency's webhook on loopback."""

from __future__ import annotations

import random
import struct
import time
import zlib

import httpx

from mauson.db import Database
from mauson.identity.models import Role
from tests.browser import sign_in
from tests.factories import bearer, make_token, make_user
from tests.petitions.receivers import webhook_receiver

WATER = (
    "Mất nước sinh hoạt 4 ngày nay ở khu đường Bắc Sơn, phường Kỳ Lừa, công ty cấp nước không trả lời. "
    "Tôi là Nguyễn Thị Hằng, SĐT 0936 872 104."
)
FIRE = (
    "CHÁY NHÀ ở khu phố chợ thị trấn Đồng Đăng cũ, lửa bốc lên, trên tầng có người đang kêu cứu. "
    "Tôi là Hoàng Thị Liên, SĐT 0917 630 284."
)
REPLY = "Công ty cấp nước đã sửa đường ống, nước đã có lại từ chiều nay."


def _submit(page: object, server: str, text: str, *, name: str = "", phone: str = "") -> str:
    """Send `text` through the public form; the petition's number as the page shows it."""
    page.goto(f"{server}/petitions/new")  # type: ignore[attr-defined]
    page.get_by_role("textbox", name="Nội dung").fill(text)  # type: ignore[attr-defined]
    if name:
        page.get_by_role("textbox", name="Họ tên").fill(name)  # type: ignore[attr-defined]
        page.get_by_role("textbox", name="Số điện thoại").fill(phone)  # type: ignore[attr-defined]
    page.get_by_role("button", name="Gửi phản ánh").click()  # type: ignore[attr-defined]
    heading = page.locator("h1").inner_text()  # type: ignore[attr-defined]
    assert heading.startswith("Đã tiếp nhận phản ánh #"), heading
    return heading.rsplit("#", 1)[1]


def test_a_citizen_submits_an_officer_replies_and_the_public_page_hides_the_sender(
    browser: object,
    server: str,
    database: Database,
) -> None:
    make_user(database, username="cb.xaydung", role=Role.OFFICER, org="SXD")  # oversees the water company
    citizen = browser.new_page(viewport={"width": 390, "height": 844})  # type: ignore[attr-defined]
    number = _submit(citizen, server, WATER, name="Nguyễn Thị Hằng", phone="0936 872 104")
    triage = citizen.locator("#triage").inner_text()
    assert "Điện, nước" in triage and "Công ty Cấp thoát nước" in triage and "Kỳ Lừa" in triage
    tracking = citizen.locator("#tracking-code").inner_text()
    assert len(tracking) >= 6

    officer = browser.new_page(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    sign_in(officer, server, "cb.xaydung")
    officer.goto(f"{server}/officer/petitions")
    officer.get_by_role("link", name=f"#{number}", exact=True).click()
    assert "Điện, nước" in officer.locator("#triage").inner_text()
    assert "0936 872 104" in officer.locator("#text").inner_text()  # officers read what was sent
    officer.locator("#accept").click()
    assert officer.locator("#status").inner_text() == "Đã chuyển"
    officer.locator("#take").click()
    assert officer.locator("#status").inner_text() == "Đang xử lý"
    box = officer.get_by_label("Trả lời công dân")
    box.fill("Đã nhận phản ánh.")
    page_address = officer.url
    officer.locator("#reply-templates a").filter(has_text="đã cử cán bộ kiểm tra thực tế").click()
    assert officer.url == page_address, "a template fills the box in place"
    drafted = box.input_value()
    assert drafted.startswith("Đã nhận phản ánh.\n\n") and "đã cử cán bộ kiểm tra thực tế" in drafted, drafted
    assert officer.locator("#interim").is_checked(), "that template promises an answer: a reply «tạm»"
    officer.locator("#reply-templates a").filter(has_text="đã tiếp nhận và xử lý xong").click()
    drafted = box.input_value()
    assert drafted.startswith("Đã nhận phản ánh.\n\n") and "cử cán bộ kiểm tra" not in drafted, "replaced, not added"
    assert drafted.endswith("xử lý xong nội dung phản ánh. Cảm ơn ông/bà đã phản ánh.")
    assert not officer.locator("#interim").is_checked()
    box.fill(REPLY)
    officer.locator("#send-reply").click()
    assert officer.locator("#status").inner_text() == "Đã trả lời"

    citizen.goto(f"{server}/petitions/{number}")
    assert citizen.locator("#status").inner_text() == "Đã trả lời"
    assert citizen.locator("#reply").inner_text() == REPLY
    public = citizen.locator("main").inner_text()
    assert "Mất nước sinh hoạt" in public
    assert "0936 872 104" not in public and "Nguyễn Thị Hằng" not in public
    citizen.get_by_label("Mã theo dõi (người gửi)").fill(tracking)
    citizen.get_by_label("Đánh giá câu trả lời").select_option("4")
    citizen.get_by_role("button", name="Gửi đánh giá").click()
    assert "Người gửi đánh giá: 4/5" in citizen.locator("main").inner_text()


def test_an_emergency_sent_through_the_form_reaches_the_duty_agencys_webhook(
    browser: object,
    server: str,
    database: Database,
) -> None:
    admin = bearer(make_token(database, make_user(database, username="quan.tri", role=Role.ADMIN)))
    with webhook_receiver() as (url, posted):
        added = httpx.post(
            f"{server}/api/v1/petition-notifiers",
            json={"organisation_code": "CAT", "kind": "webhook", "target": url},
            headers=admin,
        )
        assert added.status_code == 201, added.text
        page = browser.new_page()  # type: ignore[attr-defined]
        number = _submit(page, server, FIRE)
        assert "Khẩn cấp" in page.locator("#triage").inner_text()
        assert "gọi ngay 114" in page.get_by_role("alert").inner_text(), "what to do now, not a promise"
        deadline = time.monotonic() + 5
        while not posted and time.monotonic() < deadline:
            time.sleep(0.05)
    assert posted and posted[0]["event"] == "petition.emergency" and str(posted[0]["petition_id"]) == number
    assert "0917 630 284" not in posted[0]["text"] and "Hoàng Thị Liên" not in posted[0]["text"]


def _camera_png(width: int = 2400, height: int = 1800) -> bytes:
    """A PNG as large as a phone's photo (a few MB: a gradient with sensor noise), written with the
    standard library."""
    noise = random.Random(7)
    rows = b"".join(
        b"\x00" + bytes((x * 255 // width + noise.randrange(24)) % 256 for x in range(width)) * 3
        for _ in range(height // 8)
    )
    raw = rows * 8  # eight bands of the same rows: the noise stays, the file stays a few MB

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 1)) + chunk(b"IEND", b"")


def test_a_phones_photo_is_made_small_enough_in_the_browser_before_it_is_sent(browser: object, server: str) -> None:
    photo = _camera_png()
    assert len(photo) > 2_600_000, "more than the whole form may carry"
    page = browser.new_page(viewport={"width": 390, "height": 844})  # type: ignore[attr-defined]
    page.goto(f"{server}/petitions/new")
    page.get_by_role("textbox", name="Nội dung").fill(WATER)
    page.locator("#photo").set_input_files({"name": "IMG_2041.png", "mimeType": "image/png", "buffer": photo})
    status = page.locator("#photo-status")
    deadline = time.monotonic() + 20
    while not status.inner_text().startswith("Đã thu nhỏ") and time.monotonic() < deadline:
        time.sleep(0.1)
    assert status.inner_text() == "Đã thu nhỏ ảnh để gửi được."
    size = page.locator("#photo").evaluate("input => input.files[0].size")
    assert 0 < size <= 800_000
    page.get_by_role("button", name="Gửi phản ánh").click()
    assert page.locator("h1").inner_text().startswith("Đã tiếp nhận phản ánh #"), "sent, not refused with a 413"
