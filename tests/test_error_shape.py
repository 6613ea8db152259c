"""Every API error has one shape: {"error": {"code", "message"}}, JSON, the right status."""

from __future__ import annotations

import httpx

from mauson.db import Database
from mauson.identity.models import Role
from tests.factories import bearer, make_token, make_user


def test_every_kind_of_api_error_has_the_same_shape(client: httpx.Client, database: Database) -> None:
    viewer = bearer(make_token(database, make_user(database, username="nguoi.xem", role=Role.VIEWER)))
    cases = [
        (client.get("/api/v1/khong-co"), 404),
        (client.put("/api/v1/organisations"), 405),
        (client.get("/api/v1/users"), 401),
        (client.get("/api/v1/users", headers=viewer), 403),
        (client.get("/api/v1/users/xyz", headers=viewer), 422),
        (client.post("/api/v1/tokens", content=b"{", headers={**viewer, "content-type": "application/json"}), 400),
        (client.post("/api/v1/tokens", content=b"x" * 2_000_000, headers=viewer), 413),
        (client.get("/api/v1/me", headers={"Authorization": "Bearer mst_khong_hop_le"}), 401),
    ]
    for response, status in cases:
        assert response.status_code == status, response.text
        assert response.headers["content-type"].startswith("application/json")
        error = response.json()["error"]
        assert isinstance(error["code"], str) and error["code"]
        assert isinstance(error["message"], str) and error["message"]
        if status == 401:
            assert response.headers["www-authenticate"].startswith("Bearer"), "says which credentials would do"


def test_validation_errors_name_the_fields(client: httpx.Client, database: Database) -> None:
    admin = bearer(make_token(database, make_user(database, username="quan.tri", role=Role.ADMIN)))
    response = client.post("/api/v1/tokens", json={"name": "", "expires_in_days": 9999}, headers=admin)
    assert response.status_code == 422
    fields = {f["field"] for f in response.json()["error"]["fields"]}
    assert fields == {"name", "expires_in_days"}


def test_responses_carry_security_headers(client: httpx.Client) -> None:
    headers = client.get("/").headers
    assert headers["x-frame-options"] == "DENY" and headers["x-content-type-options"] == "nosniff"
    assert "default-src 'self'" in headers["content-security-policy"]
    assert client.get("/api/docs").status_code == 200
    assert client.get("/api/docs-static/swagger-ui-bundle.js").status_code == 200


def test_a_number_no_record_can_have_is_not_found_not_a_server_error(client: httpx.Client, database: Database) -> None:
    """Ids are PostgreSQL INTEGERs: past 2^31 - 1 (2^63 overflowed SQLite too) an id names nothing."""
    admin = bearer(make_token(database, make_user(database, username="qt.so", role=Role.ADMIN)))
    huge = str(2**63)  # and 2**31 on PostgreSQL
    for path in (
        f"/api/v1/public/petitions/{huge}",
        f"/api/v1/users/{huge}",
        f"/api/v1/petition-alerts/{huge}/acknowledge",
    ):
        response = client.request("POST" if path.endswith("acknowledge") else "GET", path, headers=admin)
        assert response.status_code == 404 and response.json()["error"]["code"] == "not_found", path
    page = client.get(f"/petitions/{huge}")
    assert page.status_code == 404 and "số trong địa chỉ quá lớn" in page.text
    offset = client.get("/api/v1/public/petitions", params={"offset": huge})
    assert offset.status_code == 422 and "«offset» quá lớn" in offset.json()["error"]["message"]
    assert client.get(f"/api/v1/public/petitions/{2**31}").status_code == 404
    assert client.get(f"/api/v1/public/petitions/{2**31 - 1}").status_code == 404, "the largest one is looked up"
    found = client.get("/api/v1/audit", params={"q": "001203004567"}, headers=admin)
    assert found.status_code != 422, "a long number searched for is no id"
    linked = client.post("/api/v1/petitions/1/duplicate", json={"duplicate_of": 2**63}, headers=admin)
    assert linked.status_code == 422
