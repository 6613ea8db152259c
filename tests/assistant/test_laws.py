"""Legal texts: read into articles, imported, searched, shown, cited by the assistant.

The law used is the one the project ships for its demo: Luật Cư trú 2020 (68/2020/QH14).
"""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from mauson.assistant import laws, procedures
from mauson.assistant.law_text import parse_law
from mauson.assistant.models import LawArticle
from mauson.assistant.service import reindex_procedures
from mauson.db import Database
from mauson.identity.service import SYSTEM
from mauson.search.service import open_index
from mauson.settings import Settings
from tests.assistant import line
from tests.conftest import Invoke
from tests.factories import windows_1258

CU_TRU = laws.demo_directory() / "luat-cu-tru.txt"

OLD_STYLE = """QUỐC HỘI
Số: 12/1990/QH8
LUẬT
CÔNG TY
Chương 1:
NHỮNG QUY ĐỊNH CHUNG
Điều 1
Nhà nước công nhận sự tồn tại lâu dài của công ty.
Điều 2
Trong Luật này các từ ngữ dưới đây được hiểu như sau:
1. Doanh nghiệp là đơn vị kinh doanh.
"""

AMENDING = """LUẬT
SỬA ĐỔI, BỔ SUNG MỘT SỐ ĐIỀU CỦA LUẬT DẦU KHÍ
Điều 1
Sửa đổi Điều 5 như sau:
“Điều 5. Tổ chức, cá nhân tiến hành hoạt động dầu khí
Nội dung được sửa.”
Điều 2
Luật này có hiệu lực từ ngày 01 tháng 7 năm 2008.
"""


def test_a_law_is_read_into_chapters_articles_and_clauses() -> None:
    law = parse_law(CU_TRU.read_text(encoding="utf-8"), fallback_title="luat-cu-tru")

    assert (law.title, law.number) == ("Luật Cư trú", "68/2020/QH14")
    assert len(law.articles) == 38
    article = next(a for a in law.articles if a.number == "20")
    assert article.heading == "Điều kiện đăng ký thường trú"
    assert article.chapter == "Chương IV. Đăng ký thường trú"
    assert [c.number for c in article.clauses][:3] == ["1", "2", "3"]
    assert law.citation(article) == "Điều 20 Luật Cư trú"
    assert law.citation(article, clause="2") == "Khoản 2 Điều 20 Luật Cư trú"


def test_old_laws_with_bare_article_lines_and_amending_laws_are_read() -> None:
    old = parse_law(OLD_STYLE, fallback_title="x")
    assert (old.title, old.number) == ("Luật Công ty", "12/1990/QH8")
    assert [(a.number, a.chapter) for a in old.articles] == [
        ("1", "Chương 1. Những quy định chung"),
        ("2", "Chương 1. Những quy định chung"),
    ]

    amending = parse_law(AMENDING, fallback_title="x")
    assert [a.number for a in amending.articles] == ["1", "2"], "a quoted article is part of the amendment"
    assert "“Điều 5." in amending.articles[0].text


def _folder(tmp_path: Path, **files: bytes) -> Path:
    folder = tmp_path / "laws"
    folder.mkdir()
    for name, content in files.items():
        (folder / f"{name}.txt").write_bytes(content)
    return folder


def test_import_stores_articles_reports_bad_files_and_changes_nothing_the_second_time(
    cli: Invoke, tmp_path: Path, database: Database
) -> None:
    folder = _folder(
        tmp_path,
        **{
            "luat-cu-tru": CU_TRU.read_bytes(),
            "rong": b"",
            "ghi-chu": "Ghi chú của cán bộ: cần nhập thêm luật.".encode(),
            "anh": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
            "cu-windows": windows_1258(OLD_STYLE),
        },
    )

    first = cli("laws", "import", str(folder))
    assert first.exit_code == 0, first.output
    assert "2 luật mới" in first.output and "3 bị từ chối" in first.output and "40 điều" in first.output
    assert "ghi-chu.txt: không tìm thấy điều luật nào" in first.output
    assert "rong.txt: Văn bản trống" in first.output
    assert "anh.txt: Tệp là dữ liệu nhị phân" in first.output

    second = cli("laws", "import", str(folder))
    assert "0 luật mới, 0 cập nhật, 2 không đổi" in second.output

    listed = cli("laws", "list")
    assert "cu-windows\t12/1990/QH8\tLuật Công ty\t2 điều" in listed.output, "Windows-1258 is read"

    shown = cli("laws", "show", "luat-cu-tru", "--article", "20")
    assert "Điều 20 Luật Cư trú. Điều kiện đăng ký thường trú" in shown.output
    assert "Công dân có chỗ ở hợp pháp" in shown.output
    with database.unit_of_work() as session:
        assert session.scalar(select(func.count()).select_from(LawArticle)) == 40


def test_import_of_a_missing_or_empty_folder_is_a_clear_error(cli: Invoke, tmp_path: Path) -> None:
    missing = cli("laws", "import", str(tmp_path / "khong-co"))
    assert missing.exit_code == 1 and "Không có thư mục" in missing.output
    (tmp_path / "trong").mkdir()
    empty = cli("laws", "import", str(tmp_path / "trong"))
    assert empty.exit_code == 1 and "không có tệp văn bản luật nào" in empty.output


@pytest.fixture
def imported(cli: Invoke, tmp_path: Path) -> None:
    result = cli("laws", "import", str(_folder(tmp_path, **{"luat-cu-tru": CU_TRU.read_bytes()})))
    assert result.exit_code == 0, result.output


@pytest.mark.usefixtures("imported")
def test_articles_are_found_without_diacritics_and_shown_on_the_law_page(client: httpx.Client) -> None:
    found = client.get("/laws", params={"q": "dieu kien dang ky thuong tru"})
    assert found.status_code == 200
    assert 'href="/laws/luat-cu-tru#dieu-20"' in found.text
    assert "<mark>" in found.text

    page = client.get("/laws/luat-cu-tru")
    assert 'id="dieu-20"' in page.text and "Chương IV. Đăng ký thường trú" in page.text
    assert '<li><a href="#dieu-20">Điều 20. Điều kiện đăng ký thường trú</a></li>' in page.text, "table of contents"
    own_reference = '<a href="#dieu-20" rel="noopener">Điều 20</a> của Luật này'
    assert own_reference in page.text, "the law's references to itself are links"

    assert client.get("/laws/khong-co").status_code == 404


@pytest.mark.usefixtures("imported")
def test_the_api_lists_laws_and_returns_one_with_its_articles(client: httpx.Client) -> None:
    listed = client.get("/api/v1/laws").json()
    assert listed == [{"slug": "luat-cu-tru", "title": "Luật Cư trú", "number": "68/2020/QH14", "articles_count": 38}]
    law = client.get("/api/v1/laws/luat-cu-tru").json()
    assert law["articles"][19]["citation"] == "Điều 20 Luật Cư trú"

    missing = client.get("/api/v1/laws/khong-co")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "law.not_found"


@pytest.mark.usefixtures("imported")
def test_the_assistant_quotes_an_article_the_question_names(client: httpx.Client) -> None:
    reply = client.post("/api/v1/assistant/ask", json={"question": "dieu 20 luat cu tru quy dinh gi?"}).json()
    assert not reply["abstained"]
    assert reply["answer"].startswith("Điều 20 Luật Cư trú. Điều kiện đăng ký thường trú")
    assert reply["citations"][0]["url"] == "/laws/luat-cu-tru#dieu-20"

    unknown = client.post("/api/v1/assistant/ask", json={"question": "Điều 999 Luật Cư trú quy định gì?"}).json()
    assert unknown["abstained"], "an article the law does not have is not invented"
    assert unknown["answer"].startswith("Luật Cư trú không có Điều 999") and unknown["procedures"] == []
    assert "(Trích Luật Cư trú số 68/2020/QH14, ban hành năm 2020" in reply["answer"], "which law of that title"
    same = client.post("/api/v1/assistant/ask", json={"question": "Luật Cư trú 2020 điều 20 nói gì"}).json()
    assert same["answer"].startswith("Điều 20 Luật Cư trú"), "the law named first, of the year held"


@pytest.mark.usefixtures("imported")
def test_an_article_of_a_law_not_held_or_of_another_year_is_not_quoted(client: httpx.Client) -> None:
    older = client.post("/api/v1/assistant/ask", json={"question": "Điều 20 Luật Cư trú 2006 quy định gì?"}).json()
    assert older["abstained"] and older["citations"] == []
    assert older["answer"].startswith("Kho văn bản chỉ có Luật Cư trú số 68/2020/QH14, chưa có Luật Cư trú năm 2006")
    other = client.post("/api/v1/assistant/ask", json={"question": "Luật Căn cước điều 19 nói gì"}).json()
    assert other["abstained"] and other["procedures"] == [], "not answered with a procedure about legal advisers"
    assert other["answer"].startswith("Kho văn bản chưa có «Luật Căn cước»")


@pytest.mark.usefixtures("imported")
def test_a_question_that_names_a_law_gets_its_article_on_the_subject(client: httpx.Client) -> None:
    reply = client.post(
        "/api/v1/assistant/ask", json={"question": "điều kiện đăng ký thường trú theo luật cư trú là gì?"}
    ).json()
    assert reply["answer"].startswith("Điều 20 Luật Cư trú. Điều kiện đăng ký thường trú")
    assert reply["citations"][0]["url"] == "/laws/luat-cu-tru#dieu-20"
    older = client.post(
        "/api/v1/assistant/ask", json={"question": "điều kiện đăng ký thường trú theo luật cư trú năm 2006 là gì?"}
    ).json()
    assert "Luật Cư trú" not in older["answer"], "the 2020 law's article is not quoted for the 2006 law"


@pytest.mark.usefixtures("imported")
def test_a_procedure_answer_names_the_article_of_the_law_the_question_mentions(
    client: httpx.Client, database: Database, settings: Settings
) -> None:
    with database.unit_of_work() as session:
        procedures.import_catalogue(
            session=session, actor=SYSTEM, lines=[line("1.002222", "Đăng ký thường trú", linh_vuc="Cư trú")]
        )
        with open_index(settings.data_dir / "search") as index:
            reindex_procedures(session=session, index=index)
    reply = client.post(
        "/api/v1/assistant/ask", json={"question": "đăng ký thường trú cần điều kiện gì theo luật cư trú?"}
    ).json()
    assert reply["procedures"][0] == "1.002222"
    assert "Điều luật liên quan: Điều 20 Luật Cư trú. Điều kiện đăng ký thường trú" in reply["answer"]
    assert [c["url"] for c in reply["citations"]][-1] == "/laws/luat-cu-tru#dieu-20"


@pytest.mark.usefixtures("imported")
def test_a_question_citing_a_clause_gets_that_clause_with_its_article_offered(client: httpx.Client) -> None:
    reply = client.post("/api/v1/assistant/ask", json={"question": "khoản 2 điều 21 luật cư trú"}).json()
    answer = reply["answer"]
    assert answer.startswith("Khoản 2 Điều 21 Luật Cư trú (Điều 21. Hồ sơ đăng ký thường trú)")
    assert "2. Hồ sơ đăng ký thường trú đối với người quy định tại khoản 2 Điều 20" in answer
    assert "quy định tại khoản 1 Điều 20" not in answer, "clause 1 is not quoted"
    assert answer.endswith("Xem cả Điều 21: /laws/luat-cu-tru#dieu-21")
    assert reply["citations"][0]["name"] == "Khoản 2 Điều 21 Luật Cư trú"

    after = client.post("/api/v1/assistant/ask", json={"question": "dieu 21 khoan 2 luat cu tru"}).json()
    assert after["answer"].startswith("Khoản 2 Điều 21 Luật Cư trú")
    missing = client.post("/api/v1/assistant/ask", json={"question": "khoản 15 điều 21 luật cư trú"}).json()
    assert missing["answer"].startswith("Điều 21 Luật Cư trú (không có khoản 15). Hồ sơ đăng ký thường trú")


LAND_2013 = """QUỐC HỘI
Luật số: 45/2013/QH13
LUẬT
ĐẤT ĐAI
Điều 3. Giải thích từ ngữ
Trong Luật này, các từ ngữ dưới đây được hiểu như sau:
1. Vị trí của thửa đất được thể hiện bằng vị trí tọa độ.
"""


def test_a_quoted_article_says_which_text_and_year_it_is_from(
    cli: Invoke, tmp_path: Path, client: httpx.Client
) -> None:
    # the corpus dates from 2021: its Luật Đất đai is the 2013 one, which 31/2024/QH15 has replaced
    assert cli("laws", "import", str(_folder(tmp_path, **{"luat-dat-dai": LAND_2013.encode()}))).exit_code == 0
    answer = client.post("/api/v1/assistant/ask", json={"question": "dieu 3 luat dat dai"}).json()["answer"]
    assert answer.splitlines()[:2] == [
        "Điều 3 Luật Đất đai. Giải thích từ ngữ",
        "(Trích Luật Đất đai số 45/2013/QH13, ban hành năm 2013, theo bản có trong kho văn bản; luật ban hành "
        "sau có thể đã sửa đổi hoặc thay thế quy định này: hãy đối chiếu văn bản đang có hiệu lực.)",
    ]
