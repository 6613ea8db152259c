"""The pages: a citizen's form (photos checked), the public page without personal data or photos, the
officer's inbox, one-click acceptance, and the photos shown to the agency's officers only."""

from __future__ import annotations

import hashlib

import httpx
from sqlalchemy import select

from mauson.audit.models import AuditEntry
from mauson.db import Database
from mauson.identity.models import Role
from tests.factories import bearer, form_token, log_in, make_token, make_user

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
    assert "Mất nước 4 ngày" in listed and f"<td>{agency}</td>" in listed, "what and who, at a glance"
    assert "0936 872 104" not in listed and "Nguyễn Thị Hằng" not in listed


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
