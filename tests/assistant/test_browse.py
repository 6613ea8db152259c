"""The procedure browser: the catalogue a page at a time, filtered by field, level and agency; and
the officers' review page, which lists procedures too."""

from __future__ import annotations

import re

import httpx

from mauson.assistant import procedures
from mauson.assistant.service import reindex_procedures
from mauson.db import Database
from mauson.identity.models import Role
from mauson.identity.service import SYSTEM
from mauson.search.service import open_index
from mauson.settings import Settings
from tests.assistant import line
from tests.assistant.test_ask import _ask
from tests.factories import log_in, make_user

POLICE = "Công an cấp xã"


def _import_sixty(database: Database) -> None:
    """60 procedures: the first 55 done by the commune's people's committee, the last 5 by its police."""
    lines = [
        line(f"1.{n:06d}", f"Thủ tục mẫu số {n}", co_quan_thuc_hien=POLICE if n > 55 else "Ủy ban nhân dân cấp xã")
        for n in range(1, 61)
    ]
    with database.unit_of_work() as session:
        procedures.import_catalogue(session=session, actor=SYSTEM, lines=lines)


def _codes(page: str) -> list[str]:
    return re.findall(r'<a href="/procedures/([\d.]+)">', page)


def test_the_catalogue_is_paged_by_code(database: Database, client: httpx.Client) -> None:
    _import_sixty(database)

    first = client.get("/procedures").text
    assert len(_codes(first)) == 50 and _codes(first)[0] == "1.000001"
    assert 'href="/procedures?page=2" rel="next"' in first and 'rel="prev"' not in first

    second = client.get("/procedures", params={"page": 2}).text
    assert _codes(second) == [f"1.{n:06d}" for n in range(51, 61)]
    assert 'href="/procedures?page=1" rel="prev"' in second and 'rel="next"' not in second
    blank = client.get("/procedures", params={"q": "   "}).text
    assert "60 thủ tục, theo mã; trang này: 1–50." in blank, "the first page counts the whole catalogue"
    assert "phù hợp nhất với" not in blank, "a blank search is no search"
    for odd in ("0", "-1", "abc", "1001"):  # the first page, filters kept, not an error page
        assert _codes(client.get("/procedures", params={"page": odd}).text)[0] == "1.000001", odd


def test_the_agency_filter_lists_only_that_agencys_procedures(database: Database, client: httpx.Client) -> None:
    _import_sixty(database)

    page = client.get("/procedures", params={"agency": POLICE}).text
    assert _codes(page) == [f"1.{n:06d}" for n in range(56, 61)]
    assert f'<option value="{POLICE}" selected>' in page


def test_an_agency_typed_in_another_case_filters_the_list_the_api_and_a_search(
    database: Database, settings: Settings, client: httpx.Client
) -> None:
    lines = [  # the catalogue writes "Công an cấp Xã", once "Công An Cấp Xã"; a citizen types "Công an cấp xã"
        line("1.000001", "Đăng ký thường trú", co_quan_thuc_hien="Công an cấp Xã"),
        line("1.000002", "Đăng ký tạm trú", co_quan_thuc_hien="Công an cấp Xã"),
        line("1.000003", "Đăng ký khai sinh", co_quan_thuc_hien="Ủy ban nhân dân cấp xã"),
        line("1.000004", "Xóa đăng ký thường trú", co_quan_thuc_hien="Công An Cấp Xã"),
    ]
    with database.unit_of_work() as session, open_index(settings.data_dir / "search") as index:
        procedures.import_catalogue(session=session, actor=SYSTEM, lines=lines)
        reindex_procedures(session=session, index=index)

    listed = client.get("/api/v1/procedures", params={"agency": "Công an cấp xã"}).json()
    assert [p["code"] for p in listed] == ["1.000001", "1.000002", "1.000004"]
    page = client.get("/procedures", params={"agency": "công an cấp xã"}).text
    assert _codes(page) == ["1.000001", "1.000002", "1.000004"]
    assert '<option value="Công an cấp Xã" selected>' in page
    searched = client.get("/procedures", params={"q": "đăng ký thường trú", "agency": "công an cấp xã"}).text
    assert _codes(searched)[:1] == ["1.000001"] and "1.000003" not in _codes(searched)
    assert "1.000004" in _codes(searched), "the minority spelling is searched too"
    api = client.get("/api/v1/procedures", params={"q": "xóa đăng ký thường trú", "agency": "công an cấp xã"}).json()
    assert "1.000004" in [p["code"] for p in api]


def test_the_procedure_page_shows_who_may_apply_and_the_steps(catalogue: None, client: httpx.Client) -> None:
    page = client.get("/procedures/1.001193").text
    assert "<h2>Đối tượng thực hiện</h2>\n<p>Công dân Việt Nam</p>" in page
    steps = '<div class="steps"><p>Bước 1: Nộp hồ sơ.</p><p>Bước 2: Nhận kết quả.</p></div>'
    assert f"<h2>Trình tự thực hiện</h2>\n{steps}" in page


def test_the_api_pages_the_catalogue_and_a_search_with_offset(
    catalogue: None, database: Database, client: httpx.Client
) -> None:
    listed = [p["code"] for p in client.get("/api/v1/procedures", params={"limit": 100}).json()]
    assert [p["code"] for p in client.get("/api/v1/procedures", params={"limit": 2, "offset": 2}).json()] == listed[2:4]

    best = [p["code"] for p in client.get("/api/v1/procedures", params={"q": "giấy phép xây dựng"}).json()]
    assert len(best) >= 2
    after = client.get("/api/v1/procedures", params={"q": "giấy phép xây dựng", "offset": 1}).json()
    assert [p["code"] for p in after][: len(best) - 1] == best[1:]
    by_level = client.get("/api/v1/procedures", params={"q": "giấy phép xây dựng", "level": "Cấp tỉnh", "limit": 1})
    assert [p["code"] for p in by_level.json()] == ["1.009999"], "the level filter before the page is cut"
    refused = client.get("/api/v1/procedures", params={"offset": -1})
    assert refused.status_code == 422 and refused.json()["error"]["code"] == "invalid"


def test_a_search_lists_the_plain_procedure_before_the_reissue_nobody_asked_for(
    database: Database, settings: Settings, client: httpx.Client
) -> None:
    licences = [line("1.002835", "Cấp lại giấy phép lái xe"), line("1.002804", "Cấp giấy phép lái xe")]
    with database.unit_of_work() as session, open_index(settings.data_dir / "search") as index:
        procedures.import_catalogue(session=session, actor=SYSTEM, lines=licences)
        reindex_procedures(session=session, index=index)

    for typed in ("giấy phép lái xe", "giay phep lai xe"):
        assert _codes(client.get("/procedures", params={"q": typed}).text)[:2] == ["1.002804", "1.002835"], typed
    assert _codes(client.get("/procedures", params={"q": "cấp lại giấy phép lái xe"}).text)[0] == "1.002835"


def test_the_list_says_how_many_match_and_a_page_past_the_last_says_there_is_none(
    database: Database, client: httpx.Client
) -> None:
    _import_sixty(database)

    assert "5 thủ tục, theo mã; trang này: 1–5." in client.get("/procedures", params={"agency": POLICE}).text
    last = client.get("/procedures", params={"page": 2}).text
    assert "60 thủ tục, theo mã; trang này: 51–60." in last and 'rel="next"' not in last

    police_first = "/procedures?agency=C%C3%B4ng+an+c%E1%BA%A5p+x%C3%A3&amp;page=1"
    for params, back in [({"page": 999}, "/procedures?page=1"), ({"agency": POLICE, "page": 2}, police_first)]:
        past = client.get("/procedures", params=params)
        assert past.status_code == 404, params
        assert f"Không có trang {params['page']}" in past.text and 'rel="prev"' not in past.text
        assert f'<a href="{back}">Về trang 1</a>' in past.text, "the filters are kept"


def test_a_search_says_how_many_match_and_when_it_stopped_at_its_window(
    database: Database, settings: Settings, client: httpx.Client
) -> None:
    lines = [line(f"1.{n:06d}", f"Cấp giấy phép khai thác gỗ rừng số {n}") for n in range(1, 121)]
    lines.append(line("2.000001", "Cấp giấy phép khai thác khoáng sản"))
    with database.unit_of_work() as session, open_index(settings.data_dir / "search") as index:
        procedures.import_catalogue(session=session, actor=SYSTEM, lines=lines)
        reindex_procedures(session=session, index=index)

    page = client.get("/procedures", params={"q": "giấy phép khai thác gỗ rừng"}).text
    assert "100 kết quả phù hợp nhất với «giấy phép khai thác gỗ rừng»" in page, "120 match: cut at the window"
    last = client.get("/procedures", params={"q": "giấy phép khai thác gỗ rừng", "page": 2}).text
    assert len(_codes(last)) == 50 and 'rel="next"' not in last
    assert client.get("/procedures", params={"q": "giấy phép khai thác gỗ rừng", "page": 3}).status_code == 404


def test_the_review_page_names_the_closest_procedures_beside_their_codes(
    catalogue: None, database: Database, settings: Settings, client: httpx.Client
) -> None:
    unsure = _ask(database, settings, "đăng ký nuôi chó")
    make_user(database, username="can.bo", role=Role.OFFICER)
    log_in(client, "can.bo")

    page = client.get("/admin/assistant").text

    with database.unit_of_work() as session:
        shown = [procedures.get_procedure_or_raise(session=session, code=code) for code in unsure.procedures[:3]]
    assert len(shown) >= 2
    for p in shown:
        assert f'<a href="/procedures/{p.code}">{p.name}</a> <span class="muted">{p.code}</span>' in page, p.code
    told = unsure.answer.splitlines()[0]
    assert f"<summary>{told[:40]}" in page, "what the citizen was told, to judge it"
    logged = client.get("/api/v1/assistant/unanswered").json()
    assert logged[0]["answer"].startswith(told)
