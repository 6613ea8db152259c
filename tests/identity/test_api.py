"""The identity API over HTTP, against the real server: roles, tokens, bad input."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import func, select, update

from mauson.assistant import laws, procedures
from mauson.audit.models import AuditEntry
from mauson.datahub.service import resource_uuid
from mauson.db import Database, utcnow
from mauson.identity.models import ApiToken, Role, Scope, User
from mauson.identity.service import SYSTEM
from mauson.settings import Settings
from tests.assistant import line
from tests.datahub.factories import make_dataset
from tests.factories import bearer, log_in, make_token, make_user

ROLES = ["anonymous", "viewer", "officer", "agency_admin", "admin"]
SIGNED_IN = set(ROLES) - {"anonymous"}
MANAGERS = {"agency_admin", "admin"}


@dataclass
class Cast:
    """One user per role (all in Sở Nội vụ), a token each, and a user they may manage."""

    headers: dict[str, dict[str, str]]
    spare_tokens: dict[str, int]
    target_id: int


@pytest.fixture
def cast(database: Database, settings: Settings) -> Cast:
    headers: dict[str, dict[str, str]] = {"anonymous": {}}
    spare: dict[str, int] = {}
    for role in SIGNED_IN:
        user = make_user(database, username=f"u.{role}", role=Role(role), org="SNV")
        headers[role] = bearer(make_token(database, user))
        make_token(database, user, name="spare")
        with database.unit_of_work() as session:
            spare[role] = session.scalar(select(func.max(ApiToken.id)).where(ApiToken.user_id == user.id)) or 0
    spare["anonymous"] = spare["viewer"]
    target = make_user(database, username="muc.tieu", role=Role.VIEWER, org="SNV")
    with database.unit_of_work() as session:
        procedures.import_catalogue(session=session, actor=SYSTEM, lines=[line("1.001193")])
        laws.import_laws(session=session, actor=SYSTEM, files=laws.law_files(laws.demo_directory()))
    # datahub
    make_dataset(database, settings, "communes.csv", title="xa phuong")
    return Cast(headers, spare, target.id)


def _matrix(cast: Cast) -> list[tuple[str, str, dict[str, object] | None, set[str]]]:
    """(method, path, JSON body, roles allowed). Every /api route must appear here."""
    return [
        ("GET", "/healthz", None, set(ROLES)),
        ("GET", "/api/v1/me", None, SIGNED_IN),
        ("GET", "/api/v1/organisations", None, set(ROLES)),
        ("GET", "/api/v1/organisations/SNV", None, set(ROLES)),
        ("GET", "/api/v1/users", None, MANAGERS),
        ("POST", "/api/v1/users", {"username": "moi", "full_name": "Mới", "organisation_code": "SNV"}, MANAGERS),
        ("GET", f"/api/v1/users/{cast.target_id}", None, MANAGERS),
        ("PATCH", f"/api/v1/users/{cast.target_id}", {"full_name": "Đã sửa"}, MANAGERS),
        ("POST", f"/api/v1/users/{cast.target_id}/unlock", None, MANAGERS),
        ("POST", f"/api/v1/users/{cast.target_id}/password-reset", None, MANAGERS),
        ("GET", "/api/v1/tokens", None, SIGNED_IN),
        ("POST", "/api/v1/tokens", {"name": "thử"}, SIGNED_IN),
        ("DELETE", "/api/v1/tokens/{spare}", None, SIGNED_IN),
        ("POST", "/api/v1/privacy/scan", {"text": "SĐT 0912 345 678"}, SIGNED_IN),
        ("POST", "/api/v1/privacy/redact", {"text": "SĐT 0912 345 678", "method": "tag"}, SIGNED_IN),
        ("POST", "/api/v1/privacy/decrypt", {"text": "không có gì được mã hóa"}, MANAGERS),
        ("POST", "/api/v1/assistant/ask", {"question": "làm giấy khai sinh cần gì"}, set(ROLES)),
        ("GET", "/api/v1/assistant/unanswered", None, {"officer", "agency_admin", "admin"}),
        ("GET", "/api/v1/procedures", None, set(ROLES)),
        ("GET", "/api/v1/procedures/1.001193", None, set(ROLES)),
        ("GET", "/api/v1/laws", None, set(ROLES)),
        ("GET", "/api/v1/laws/luat-cu-tru", None, set(ROLES)),
        ("GET", "/api/v1/audit", None, {"admin"}),
        ("GET", "/api/v1/audit/verify", None, {"admin"}),
        # datahub
        *_datahub_matrix(),
        # petitions (#1 is submitted by the first role; only an administrator reaches another agency's case)
        ("POST", "/api/v1/petitions", {"text": "Đường liên thôn ở xã Tân Liên cũ bị sụt lún, ổ gà sâu"}, set(ROLES)),
        ("POST", "/api/v1/petitions/triage", {"text": "mất điện 3 ngày"}, set(ROLES)),
        ("GET", "/api/v1/petitions", None, {"officer", "agency_admin", "admin"}),
        ("GET", "/api/v1/petitions/1", None, {"admin"}),
        ("POST", "/api/v1/petitions/1/decision", {}, {"admin"}),
        ("POST", "/api/v1/petitions/1/transfer", {"agency": "so_noi_vu", "reason": "thử chuyển"}, {"admin"}),
        ("POST", "/api/v1/petitions/1/duplicate", {"separate": True}, {"admin"}),
        ("POST", "/api/v1/petitions/1/assign", {"officer_username": "u.officer"}, {"admin"}),
        ("POST", "/api/v1/petitions/1/reply", {"text": "Đã xử lý."}, {"admin"}),
        ("POST", "/api/v1/petitions/1/close", None, {"admin"}),
        ("POST", "/api/v1/petitions/2/reject", {"reason": "thử từ chối"}, {"admin"}),
        ("GET", "/api/v1/petition-alerts", None, {"officer", "agency_admin", "admin"}),
        ("POST", "/api/v1/petition-alerts/1/acknowledge", None, set()),  # #1 is no emergency: no alert to take
        ("GET", f"/api/v1/petitions/1/photos/{'0' * 64}.png", None, set()),  # #1 has no photo
        ("POST", "/api/v1/public/petitions/1/rating", {"tracking_code": "00000000", "rating": 5}, set()),  # wrong code
        ("POST", "/api/v1/public/petitions/1/sender-view", {"tracking_code": "00000000"}, set()),  # wrong code
        ("GET", "/api/v1/petition-notifiers", None, MANAGERS),
        (
            "POST",
            "/api/v1/petition-notifiers",
            {"organisation_code": "SNV", "kind": "webhook", "target": "http://8.8.8.8/x"},  # a public address
            MANAGERS,
        ),
        ("DELETE", "/api/v1/petition-notifiers/999", None, set()),  # no such notifier: nobody's to stop
        ("GET", "/api/v1/public/petitions", None, set(ROLES)),
        ("GET", "/api/v1/public/petitions/1", None, set(ROLES)),
        ("GET", "/api/v1/public/petition-stats", None, set(ROLES)),
        ("GET", "/open311/v2/services.json", None, set(ROLES)),
        (
            "POST",
            "/open311/v2/requests.json",
            {"service_code": "giao_thong", "description": "Ổ gà giữa đường", "address_string": "Tân Liên"},
            set(ROLES),
        ),
        ("GET", "/open311/v2/requests.json", None, set(ROLES)),
        ("GET", "/open311/v2/requests/1.json", None, set(ROLES)),
    ]


def _datahub_matrix() -> list[tuple[str, str, dict[str, object] | None, set[str]]]:
    editors = {"officer", "agency_admin", "admin"}
    table = resource_uuid("xa-phuong", "communes")
    ckan_bodies: dict[str, dict[str, object] | None] = {
        "package_list": None,
        "package_show": {"id": "xa-phuong"},
        "package_search": {"q": "xa phuong", "facet.field": ["organization"]},
        "organization_list": None,
        "datastore_search": {"resource_id": table, "limit": 1},
        "datastore_search_sql": {"sql": f'SELECT count(*) FROM "{table}"'},
    }
    return [
        ("GET", "/api/v1/datasets", None, set(ROLES)),
        ("POST", "/api/v1/datasets", {"ma": "1", "ten": "Thử"}, editors),
        ("GET", "/api/v1/datasets/xa-phuong", None, set(ROLES)),
        ("PATCH", "/api/v1/datasets/xa-phuong", {"description": "Mô tả"}, editors),
        ("PUT", "/api/v1/datasets/xa-phuong/dictionary", {"columns": [{"name": "ma", "unit": "mã"}]}, editors),
        ("GET", "/api/v1/datasets/xa-phuong/privacy", None, editors),
        ("POST", "/api/v1/datasets/xa-phuong/derivative", {"columns": {}, "k": 2}, editors),
        ("PUT", "/api/v1/datasets/xa-phuong/access", {"access": "public"}, editors),
        ("GET", "/api/v1/datasets/xa-phuong/rows", None, set(ROLES)),
        ("POST", "/api/v1/datasets/xa-phuong/sql", {"sql": "SELECT count(*) FROM data"}, set(ROLES)),
        ("GET", "/api/v1/datasets/xa-phuong/download", None, set(ROLES)),
        ("GET", "/api/v1/datasets/xa-phuong/dcat.jsonld", None, set(ROLES)),
        ("GET", "/api/v1/catalog.jsonld", None, set(ROLES)),
        # two rows: a derivative asked for k = 2 is refused for a table smaller than k
        (
            "POST",
            "/api/v1/datasets/xa-phuong/versions",
            [{"ma": "2", "ten": "Mới"}, {"ma": "3", "ten": "Khác"}],
            editors,
        ),
        *[(m, f"/api/3/action/{a}", body, set(ROLES)) for a, body in ckan_bodies.items() for m in ("GET", "POST")],
    ]


def test_every_endpoint_allows_exactly_the_roles_it_should(client: httpx.Client, cast: Cast) -> None:
    matrix = _matrix(cast)
    documented = {
        (method.upper(), path)
        for path, item in client.get("/api/openapi.json").json()["paths"].items()
        for method in item
    }
    concrete = [(m, p.replace("{spare}", "1")) for m, p, _, _ in matrix]
    missing = {
        (method, template)
        for method, template in documented
        if not any(m == method and re.fullmatch(re.sub(r"\{[^}]+\}", "[^/]+", template), p) for m, p in concrete)
    }
    assert not missing, f"add these endpoints to the role matrix: {missing}"

    outcomes: dict[tuple[str, str, str], int] = {}
    for role in ROLES:
        for method, path, body, allowed in matrix:
            url = path.replace("{spare}", str(cast.spare_tokens[role]))
            payload = {**body, "username": f"moi.{role}"} if body and "username" in body else body
            if payload and "target" in payload:  # one notifier each: the same target twice is refused
                payload = {**payload, "target": f"{payload['target']}/{role}"}
            response = client.request(method, url, json=payload, headers=cast.headers[role])
            outcomes[(role, method, path)] = response.status_code
            expected_ok = role in allowed
            assert (response.status_code < 300) == expected_ok, (role, method, path, response.text)
            if not expected_ok:
                assert response.status_code in (401, 403, 404)
                assert response.status_code == 401 if role == "anonymous" else response.status_code != 401
    assert outcomes[("viewer", "GET", f"/api/v1/users/{cast.target_id}")] == 404  # hidden, not merely forbidden


def test_a_created_token_works_once_shown_and_never_shows_its_secret_again(
    client: httpx.Client, database: Database
) -> None:
    owner = make_user(database, username="may.dong.bo", role=Role.OFFICER)
    response = client.post(
        "/api/v1/tokens", json={"name": "đồng bộ", "scopes": ["read"]}, headers=bearer(make_token(database, owner))
    )
    assert response.status_code == 201
    secret = response.json()["secret"]
    assert client.get("/api/v1/me", headers=bearer(secret)).json()["username"] == "may.dong.bo"
    listing = client.get("/api/v1/tokens", headers=bearer(secret))
    assert secret not in listing.text and len(listing.json()) == 2


def test_a_read_only_token_cannot_write(client: httpx.Client, database: Database) -> None:
    admin = make_user(database, username="chi.doc", role=Role.ADMIN)
    token = make_token(database, admin, scopes=(Scope.READ,))
    assert client.get("/api/v1/users", headers=bearer(token)).status_code == 200
    response = client.post("/api/v1/tokens", json={"name": "x"}, headers=bearer(token))
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "auth.scope"


def test_revoked_and_expired_tokens_get_401_with_the_reason(client: httpx.Client, database: Database) -> None:
    user = make_user(database, username="cu.token")
    revoked, expired = make_token(database, user, name="revoked"), make_token(database, user, name="expired")
    token_id = client.get("/api/v1/tokens", headers=bearer(revoked)).json()[-1]["id"]
    assert client.delete(f"/api/v1/tokens/{token_id}", headers=bearer(revoked)).status_code == 200
    with database.unit_of_work() as session:
        session.execute(update(ApiToken).where(ApiToken.id != token_id).values(expires_at=utcnow() - timedelta(1)))
    for secret, code in ((revoked, "auth.token_revoked"), (expired, "auth.token_expired")):
        response = client.get("/api/v1/me", headers=bearer(secret))
        assert response.status_code == 401
        assert response.json()["error"]["code"] == code
    response = client.get("/api/v1/me", headers={"Authorization": "Basic abc"})
    assert response.status_code == 401 and "Bearer" in response.json()["error"]["message"]


def _counts(database: Database) -> tuple[int, int]:
    with database.unit_of_work() as session:
        users = session.scalar(select(func.count()).select_from(User)) or 0
        entries = session.scalar(select(func.count()).select_from(AuditEntry)) or 0
        return users, entries


def test_malformed_and_oversize_bodies_are_refused_and_write_nothing(client: httpx.Client, database: Database) -> None:
    headers = bearer(make_token(database, make_user(database, username="quan.tri", role=Role.ADMIN)))
    before = _counts(database)
    bad_json = client.post(
        "/api/v1/users", content=b'{"username": "x",', headers={**headers, "content-type": "application/json"}
    )
    assert bad_json.status_code == 400 and bad_json.json()["error"]["code"] == "invalid_json"
    bad_field = client.post(
        "/api/v1/users", json={"username": "Có Dấu", "full_name": "", "organisation_code": "SNV"}, headers=headers
    )
    error = bad_field.json()["error"]
    assert bad_field.status_code == 422 and "Tên đăng nhập chưa đúng dạng quy định" in error["message"]
    assert {"field": "username", "type": "string_pattern_mismatch"}.items() <= error["fields"][0].items()
    huge = {"username": "to.lon", "full_name": "x" * 2_000_000, "organisation_code": "SNV"}
    too_large = client.post("/api/v1/users", json=huge, headers=headers)
    assert too_large.status_code == 413 and too_large.json()["error"]["code"] == "too_large"

    def chunks() -> object:
        for _ in range(40):
            yield b"x" * 65_536

    chunked = client.post("/api/v1/users", content=chunks(), headers={**headers, "content-type": "application/json"})
    assert chunked.status_code == 413
    assert _counts(database) == before


def test_unknown_ids_answer_404_in_the_error_shape(client: httpx.Client, database: Database) -> None:
    headers = bearer(make_token(database, make_user(database, username="quan.tri2", role=Role.ADMIN)))
    for path in ("/api/v1/users/999999", "/api/v1/organisations/KHONGCO", "/api/v1/khong-co"):
        response = client.get(path, headers=headers)
        assert response.status_code == 404
        assert set(response.json()["error"]) >= {"code", "message"}
    assert client.get("/api/v1/users/abc", headers=headers).status_code == 422


def test_an_admin_unlocks_a_user_and_resets_their_forgotten_password(client: httpx.Client, database: Database) -> None:
    headers = bearer(make_token(database, make_user(database, username="qt.api", role=Role.ADMIN)))
    forgetful = make_user(database, username="hay.quen")
    with database.unit_of_work() as session:
        session.execute(update(User).where(User.id == forgetful.id).values(locked_until=utcnow() + timedelta(hours=1)))
    assert client.get(f"/api/v1/users/{forgetful.id}", headers=headers).json()["locked_until"] is not None

    unlocked = client.post(f"/api/v1/users/{forgetful.id}/unlock", headers=headers)
    assert unlocked.status_code == 200 and unlocked.json()["locked_until"] is None
    reset = client.post(f"/api/v1/users/{forgetful.id}/password-reset", headers=headers)
    assert reset.status_code == 200 and reset.json()["user"]["must_change_password"] is True
    assert log_in(client, "hay.quen", reset.json()["one_time_password"]).headers["location"] == "/account/password"
