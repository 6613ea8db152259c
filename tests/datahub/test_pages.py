"""The data hub's pages and uploads over HTTP: the upload size limit of its own, uploads read in
the background with a status page, editors' forms (new version, metadata, data dictionary),
facets that combine, and the SQL time limit."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from mauson.datahub import query, service
from mauson.datahub.models import Access, Dataset, IngestJob
from mauson.db import Database, utcnow
from mauson.identity.models import Role, User
from mauson.settings import Settings
from tests.datahub.conftest import FIXTURES, Ingest
from tests.factories import bearer, form_token, log_in, make_token, make_user

MB = 1_000_000


def _csv(rows: int) -> bytes:
    lines = ["ma,ten,dan_so"] + [f"{n:06d},Thôn Nà Pàn {n},{n % 5000}" for n in range(rows)]
    return ("\n".join(lines) + "\n").encode()


def _editor(client: httpx.Client, database: Database, username: str = "bien.tap") -> None:
    make_user(database, username=username, role=Role.EDITOR, org="SNV")
    assert log_in(client, username).status_code == 303


def _datasets(database: Database) -> int:
    with database.unit_of_work() as session:
        return int(session.scalar(select(func.count()).select_from(Dataset)) or 0)


def _leftovers(settings: Settings) -> list[Path]:
    root = settings.data_dir / "datahub"
    return [p for folder in ("tmp", "jobs") if (root / folder).exists() for p in (root / folder).iterdir()]


def _wait_for_job(client: httpx.Client, location: str, timeout: float = 60) -> httpx.Response:
    """Poll the job's status page as the browser does (it sends a Refresh header) until it settles."""
    deadline = time.monotonic() + timeout
    while True:
        page = client.get(location)
        if "refresh" not in page.headers or time.monotonic() > deadline:
            return page
        time.sleep(0.2)


# --- the upload limit ---


def test_api_uploads_have_their_own_limit_and_other_routes_keep_the_small_one(
    client: httpx.Client, database: Database, settings: Settings, ingest: Ingest
) -> None:
    editor = bearer(make_token(database, make_user(database, username="bien.tap", role=Role.EDITOR, org="SNV")))
    body = _csv(120_000)
    assert settings.max_body_bytes < len(body) < settings.datahub_max_upload_bytes
    made = client.post(
        "/api/v1/datasets", params={"title": "Thôn", "filename": "thon.csv"}, content=body, headers=editor
    )
    assert made.status_code == 201, made.text
    assert made.json()["resources"][0]["rows"] == 120_000

    name = ingest("communes.csv")
    big_sql = {"sql": "SELECT 1 -- " + "x" * (2 * MB)}
    refused = client.post(f"/api/v1/datasets/{name}/sql", json=big_sql, headers=editor)
    assert refused.status_code == 413 and refused.json()["error"]["code"] == "too_large"


@pytest.fixture
def two_mb_uploads(settings: Settings) -> Settings:
    """Uploads limited to 2 MB; requested before `client`, so the server starts with it."""
    settings.datahub_max_upload_bytes = 2 * MB
    return settings


def test_an_oversize_upload_is_refused_before_it_fills_the_disk(
    two_mb_uploads: Settings, client: httpx.Client, database: Database, settings: Settings
) -> None:
    editor = bearer(make_token(database, make_user(database, username="bien.tap", role=Role.EDITOR, org="SNV")))
    body = _csv(250_000)
    assert len(body) > 2 * MB

    declared = client.post("/api/v1/datasets", params={"filename": "lon.csv"}, content=body, headers=editor)
    assert declared.status_code == 413
    assert declared.json()["error"]["code"] == "too_large" and "tối đa 2 MB" in declared.json()["error"]["message"]

    def chunks() -> Iterator[bytes]:  # no Content-Length: the server counts as the body streams in
        for start in range(0, len(body), 64_000):
            yield body[start : start + 64_000]

    streamed = client.post("/api/v1/datasets", params={"filename": "lon.csv"}, content=chunks(), headers=editor)
    assert streamed.status_code == 413 and streamed.json()["error"]["code"] == "too_large"
    assert _datasets(database) == 0 and _leftovers(settings) == []


def test_an_oversize_web_upload_gets_a_page_saying_so(
    two_mb_uploads: Settings, client: httpx.Client, database: Database, settings: Settings
) -> None:
    _editor(client, database)
    token = form_token(client, "/datasets/new")
    assert "Tệp tối đa 2 MB" in client.get("/datasets/new").text
    response = client.post(
        "/datasets/new",
        data={"csrf_token": token, "title": "Lớn quá"},
        files={"file": ("lon.csv", _csv(250_000), "text/csv")},
        headers={"accept": "text/html"},
    )
    assert response.status_code == 413 and response.headers["content-type"].startswith("text/html")
    assert "Dữ liệu quá lớn" in response.text and "tối đa 2 MB" in response.text
    assert "Bấm nút Quay lại của trình duyệt để giữ nội dung đã viết" in response.text, "the link opens an empty form"
    assert _datasets(database) == 0 and _leftovers(settings) == []


# --- uploads read in the background ---


def test_a_web_upload_shows_progress_then_the_reports(client: httpx.Client, database: Database) -> None:
    _editor(client, database)
    token = form_token(client, "/datasets/new")
    queued = client.post(
        "/datasets/new",
        data={"csrf_token": token, "title": "Dân cư thôn Nà Pàn", "theme": "dan-cu", "access": "restricted"},
        files={"file": ("residents.csv", (FIXTURES / "residents.csv").read_bytes(), "text/csv")},
    )
    assert queued.status_code == 303 and queued.headers["location"].startswith("/datasets/jobs/")

    done = _wait_for_job(client, queued.headers["location"])
    assert done.status_code == 303, done.text
    assert done.headers["location"] == "/datasets/dan-cu-thon-na-pan?uploaded=1"
    page = client.get(done.headers["location"]).text
    assert "8 dòng hợp lệ, 0 dòng bị loại." in page and 'id="privacy-report"' in page and "Họ tên" in page
    assert "Dân cư, xã hội" in page  # the theme chosen on the form

    stranger = httpx.Client(base_url=str(client.base_url))
    _editor(stranger, database, "nguoi.khac")
    assert stranger.get(queued.headers["location"]).status_code == 404


def test_a_failed_upload_says_why_and_leaves_nothing(
    client: httpx.Client, database: Database, settings: Settings
) -> None:
    _editor(client, database)
    token = form_token(client, "/datasets/new")
    queued = client.post(
        "/datasets/new", data={"csrf_token": token}, files={"file": ("chi-tieu-de.csv", b"ma,ten\n", "text/csv")}
    )
    page = _wait_for_job(client, queued.headers["location"])
    assert page.status_code == 200 and "refresh" not in page.headers
    assert "Không thành công" in page.text and "chỉ có dòng tiêu đề" in page.text and "Tải lên lại" in page.text
    assert _datasets(database) == 0 and _leftovers(settings) == []


def test_a_public_upload_of_personal_data_says_to_upload_it_as_internal_first(
    client: httpx.Client, database: Database
) -> None:
    """Nothing was saved, so there is nothing yet to anonymise: the next step is a new upload."""
    _editor(client, database)
    people = "ho_ten,so_dien_thoai,cccd\nNguyễn Văn An,0912345678,020185001234\nHoàng Thị Lan,0987654321,020190004321\n"
    queued = client.post(
        "/datasets/new",
        data={"csrf_token": form_token(client, "/datasets/new"), "title": "Dân cư", "access": "public"},
        files={"file": ("dan-cu.csv", people.encode(), "text/csv")},
    )
    page = _wait_for_job(client, queued.headers["location"]).text
    assert "Không thể công khai: các cột cccd, ho_ten, so_dien_thoai chứa dữ liệu cá nhân." in page
    assert "Chưa có gì được lưu. Hãy tải tệp lên lại với quyền «Nội bộ cơ quan»" in page
    assert _datasets(database) == 0


def _editors_job(
    database: Database, job_id: str, status: str, stage: str, progress: float, size: int, **more: object
) -> None:
    """An upload job of the editor `bien.tap`, as the worker would have left it."""
    with database.unit_of_work() as session:
        user_id = session.scalar(select(User.id).where(User.username == "bien.tap"))
        job = IngestJob(
            id=job_id,
            kind="create",
            status=status,
            stage=stage,
            progress=progress,
            filename="tep.csv",
            source_bytes=size,
            params={},
            user_id=user_id,
            created_by="bien.tap",
            **more,
        )
        session.add(job)


def test_a_small_upload_reports_its_size_in_bytes_not_zero_megabytes(client: httpx.Client, database: Database) -> None:
    _editor(client, database)
    for job_id, size in (("c" * 32, 200), ("d" * 32, 0)):
        _editors_job(database, job_id, "queued", "Đang chờ xử lý", 0.0, size)
    assert "đã đọc khoảng 0 byte / 200 byte" in client.get(f"/datasets/jobs/{'c' * 32}").text
    assert "chưa rõ kích thước tệp" in client.get(f"/datasets/jobs/{'d' * 32}").text


def test_a_running_job_refreshes_and_one_whose_process_died_is_reported_interrupted(
    client: httpx.Client, database: Database
) -> None:
    _editor(client, database)
    for job_id, beat in (("a" * 32, utcnow()), ("b" * 32, utcnow() - timedelta(minutes=5))):
        _editors_job(database, job_id, "running", "Đang đọc và kiểm tra tệp", 0.42, 300 * MB, updated_at=beat)
    running = client.get(f"/datasets/jobs/{'a' * 32}")
    assert running.headers["refresh"] == "1"
    assert 'value="42"' in running.text and "126 MB / 300 MB" in running.text

    died = client.get(f"/datasets/jobs/{'b' * 32}")
    assert "refresh" not in died.headers and "bị dừng giữa chừng" in died.text
    assert _datasets(database) == 0


# --- editors' forms ---


def test_editors_upload_a_new_version_and_edit_metadata_and_dictionary_in_the_browser_forms(
    client: httpx.Client, database: Database, ingest: Ingest, tmp_path: Path
) -> None:
    name = ingest("communes.csv", title="Xã phường", org="SNV", access=Access.RESTRICTED)
    _editor(client, database)
    page = client.get(f"/datasets/{name}").text
    assert f"/datasets/{name}/edit" in page and f"/datasets/{name}/versions/new" in page

    token = form_token(client, f"/datasets/{name}/edit")
    form = {
        "csrf_token": token,
        "title": "Xã, phường tỉnh Lạng Sơn",
        "description": "Mã, tên và dân số",
        "theme": "hanh-chinh",
        "tags": "xã, phường",
        "licence": "cc0-1.0",
        "spatial": "Tỉnh Lạng Sơn",
        "desc-0-3": "Số người thường trú",
        "unit-0-3": "người",
    }
    assert client.post(f"/datasets/{name}/edit", data={**form, "csrf_token": "sai"}).status_code == 403
    saved = client.post(f"/datasets/{name}/edit", data=form)
    assert saved.status_code == 303, saved.text
    described = client.get(f"/api/v1/datasets/{name}", headers={"x-csrf-token": token}).json()
    assert described["title"] == "Xã, phường tỉnh Lạng Sơn" and described["tags"] == ["xã", "phường"]
    assert described["licence"] == "cc0-1.0" and described["spatial"] == "Tỉnh Lạng Sơn"
    assert described["resources"][0]["columns"][3] | {"personal": None} == {
        "name": "dan_so",
        "type": "BIGINT",
        "description": "Số người thường trú",
        "unit": "người",
        "personal": None,
    }
    bad = client.post(f"/datasets/{name}/edit", data={**form, "licence": "khong-co"})
    assert bad.status_code == 422 and "Giấy phép" in bad.text

    newer = tmp_path / "communes.csv"
    newer.write_text((FIXTURES / "communes.csv").read_text("utf-8") + "06300;Hữu Lũng;xa;30000\n", "utf-8")
    token = form_token(client, f"/datasets/{name}/versions/new")
    queued = client.post(
        f"/datasets/{name}/versions/new",
        data={"csrf_token": token},
        files={"file": ("communes.csv", newer.read_bytes(), "text/csv")},
    )
    assert queued.status_code == 303
    done = _wait_for_job(client, queued.headers["location"])
    assert done.headers["location"] == f"/datasets/{name}?uploaded=1"
    page = client.get(done.headers["location"]).text
    assert "Phiên bản 2" in page and "5 dòng hợp lệ" in page and "Số người thường trú" in page


def test_saving_access_settings_says_who_may_now_read_the_dataset(
    client: httpx.Client, database: Database, ingest: Ingest
) -> None:
    name = ingest("communes.csv", title="Xã phường", org="SNV", access=Access.RESTRICTED)
    _editor(client, database)
    token = form_token(client, f"/datasets/{name}")
    saved = client.post(
        f"/datasets/{name}/access", data={"csrf_token": token, "access": "shared", "organisations": "SYT", "days": 30}
    )
    assert saved.status_code == 303 and saved.headers["location"] == f"/datasets/{name}?access_saved=1"
    page = client.get(saved.headers["location"]).text
    assert (
        '<p class="notice" role="status" id="access-saved">Đã lưu quyền truy cập «Chia sẻ có thời hạn»: '
        "Sở Nội vụ và các cơ quan được chia sẻ (SYT) xem được đến khi hết hạn.</p>"
    ) in page
    assert 'id="access-saved"' not in client.get(f"/datasets/{name}").text


def test_the_derivative_form_replaces_a_public_copy_only_when_its_box_is_ticked(
    client: httpx.Client, database: Database, ingest: Ingest
) -> None:
    name = ingest("students.csv", title="Học sinh", org="SNV", access=Access.RESTRICTED)
    _editor(client, database)
    defaults = {"csrf_token": form_token(client, f"/datasets/{name}"), "k": "5"}
    defaults |= {f"col:{column}": "drop" for column in ("ho_ten", "so_cccd", "so_dien_thoai")}
    defaults |= {f"col:{column}": "generalise" for column in ("ngay_sinh", "dia_chi", "xa_phuong")}
    made = client.post(f"/datasets/{name}/derivative", data=defaults)
    assert made.status_code == 303 and made.headers["location"] == f"/datasets/{name}-an-danh"
    published = client.post(f"/datasets/{name}-an-danh/access", data={**defaults, "access": "public"})
    assert published.status_code == 303

    page = client.get(f"/datasets/{name}").text
    assert 'name="replace_public"' in page and "Thay bản đang công khai" in page
    refused = client.post(f"/datasets/{name}/derivative", data=defaults)
    assert refused.status_code == 409 and f"Bản ẩn danh «{name}-an-danh» đang công khai" in refused.text
    replaced = client.post(f"/datasets/{name}/derivative", data={**defaults, "replace_public": "1"})
    assert replaced.status_code == 303
    copy = client.get(replaced.headers["location"]).text
    assert "Phiên bản 2" in copy and "Bản ẩn danh: yêu cầu k = 5, đạt k = 6; 0 dòng bị bỏ để đạt k." in copy


# --- catalogue and queries ---


def test_catalogue_facets_combine(client: httpx.Client, database: Database, ingest: Ingest, tmp_path: Path) -> None:
    wanted = ingest("communes.csv", title="Xã phường SNV", org="SNV")
    ingest("communes.csv", title="Xã phường SYT", org="SYT")
    ingest("communes.csv", title="Nội bộ SNV", org="SNV", access=Access.RESTRICTED)
    as_json = tmp_path / "xa.json"
    as_json.write_text('[{"ma": "1", "ten": "A"}]', "utf-8")
    ingest(as_json, title="JSON SNV", org="SNV")
    admin = bearer(make_token(database, make_user(database, username="quan.tri", role=Role.ADMIN, org="SNV")))
    for dataset in client.get("/api/v1/datasets", headers=admin).json():
        patch = {"theme": "hanh-chinh"} if dataset["name"] != "xa-phuong-syt" else {"theme": "y-te"}
        client.patch(f"/api/v1/datasets/{dataset['name']}", json=patch, headers=admin)

    chosen = {"theme": "hanh-chinh", "organisation": "SNV", "format": "CSV", "access": "public"}
    listed = client.get("/api/v1/datasets", params=chosen, headers=admin).json()
    assert [d["name"] for d in listed] == [wanted]
    page = client.get("/datasets", params={"theme": "hanh-chinh", "organisation": "SNV"}, headers=admin).text
    assert "3 bộ dữ liệu" in page
    assert 'href="/datasets?theme=hanh-chinh&amp;organisation=SNV&amp;format=CSV"' in page  # keeps both filters
    assert 'href="/datasets?organisation=SNV"' in page  # "bỏ lọc" on the theme drops only the theme
    narrowed = client.get("/datasets", params={**chosen}, headers=admin).text
    assert "1 bộ dữ liệu" in narrowed and "Xã phường SNV" in narrowed


def test_the_catalogue_names_agencies_rather_than_their_codes(client: httpx.Client, ingest: Ingest) -> None:
    ingest("communes.csv", title="Xã phường", org="SNV")
    page = client.get("/datasets").text
    assert '<a href="/datasets?organisation=SNV">Sở Nội vụ</a> (1)' in page and ">SNV</a>" not in page


def test_the_automatic_chart_adds_a_measure_up_by_category_never_by_a_unique_code(
    client: httpx.Client, ingest: Ingest, tmp_path: Path
) -> None:
    communes = ingest("communes.csv")  # ma and ten are unique; loai is xa or phuong
    assert "Biểu đồ: dan_so theo loai" in client.get(f"/datasets/{communes}").text
    codes = tmp_path / "ma-xa.csv"
    codes.write_text("ma,so_don_vi_cu\n06040,3\n06001,3\n06019,2\n", "utf-8")
    assert "Biểu đồ" not in client.get(f"/datasets/{ingest(codes)}").text  # one bar per code says nothing


def test_a_year_is_a_time_axis_and_personal_columns_are_never_charted(settings: Settings, tmp_path: Path) -> None:
    store = service.store_for(settings)
    households = tmp_path / "so-ho.csv"
    households.write_text("nam,so_ho\n2023,15\n2021,10\n2022,12\n", "utf-8")
    residents = FIXTURES / "residents.csv"
    charts = {}
    for source in (households, residents):
        table = service.prepare(store=store, source=source, filename=source.name, max_bytes=MB)[0]
        path = store.path(table.sha256)
        choice = query.choose_chart(query.statistics(path), table.rows, table.personal)
        assert choice is not None
        charts[source.name] = (choice, query.chart_data(path, choice))
    assert charts["so-ho.csv"] == (
        query.ChartChoice("nam", "so_ho", time=True),
        [("2021", 10.0), ("2022", 12.0), ("2023", 15.0)],
    )
    choice, bars = charts["residents.csv"]  # not "Họ tên" nor "Ngày sinh": one bar per person
    assert (choice.axis, choice.measure, sorted(bars)) == ("Giới tính", "Số con", [("Nam", 11.0), ("Nữ", 7.0)])


def test_a_slow_query_is_stopped_with_a_clear_error(
    client: httpx.Client, ingest: Ingest, monkeypatch: pytest.MonkeyPatch
) -> None:
    name = ingest("communes.csv")
    monkeypatch.setattr(query, "SQL_SECONDS", 0.5)
    slow = client.post(
        f"/api/v1/datasets/{name}/sql", json={"sql": "SELECT count(*) FROM range(1000000000) a, range(1000000) b"}
    )
    assert slow.status_code == 422
    assert slow.json()["error"] == {
        "code": "datahub.sql_timeout",
        "message": "Câu truy vấn chạy quá 0.5 giây nên đã bị dừng.",
    }
