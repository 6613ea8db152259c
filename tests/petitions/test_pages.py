"""The pages: a citizen's form (photos checked), the public page without personal data, the officer's
inbox and one-click acceptance."""

from __future__ import annotations

import httpx

from mauson.db import Database
from mauson.identity.models import Role
from tests.factories import form_token, log_in, make_user

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


def test_a_fake_photo_is_refused_and_the_draft_kept(client: httpx.Client) -> None:
    refused = _submit(client, [("photo", ("anh.jpg", b"<?php echo 1; ?>", "image/jpeg"))])
    assert refused.status_code == 422 and "không phải ảnh" in refused.text and "Mất nước 4 ngày" in refused.text
    assert "Chưa có phản ánh nào" in client.get("/petitions").text


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
