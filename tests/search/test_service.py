"""The search service: finds documents with and without diacritics, and only what the actor may see.

One small index of procedure-like documents is built once for the module (the e5 encoder is
loaded once per process); tests that write work on a copy of it, so vectors are reused.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pydantic import ValidationError

from mauson.errors import Conflict, Invalid
from mauson.identity.models import ANONYMOUS, Actor, Role
from mauson.search import dense
from mauson.search.models import Access, Mode, SearchDocument
from mauson.search.service import SearchIndex, open_index
from mauson.search.store import DATABASE, Store

OWNER_ORG, OTHER_ORG = 7, 9
TOKENIZER = "\"unicode61 remove_diacritics 0 tokenchars '_'\""


def _procedure(key: str, title: str, body: str, level: str, field: str) -> SearchDocument:
    return SearchDocument(
        kind="procedure", key=key, title=title, body=body, fields={"level": level, "field": field}, url=f"/tthc/{key}"
    )


CORPUS = [
    _procedure(
        "1.001193",
        "Thủ tục đăng ký khai sinh",
        "Tờ khai đăng ký khai sinh; giấy chứng sinh do bệnh viện cấp. Nộp tại Ủy ban nhân dân cấp xã.",
        "Cấp xã",
        "Hộ tịch",
    ),
    _procedure(
        "1.000894",
        "Thủ tục đăng ký kết hôn",
        "Tờ khai đăng ký kết hôn; giấy xác nhận tình trạng hôn nhân. Hai bên nam, nữ có mặt.",
        "Cấp xã",
        "Hộ tịch",
    ),
    _procedure(
        "3.000348",
        "Cấp lại giấy phép lái xe",
        "Đơn đề nghị cấp lại giấy phép lái xe bị mất; giấy khám sức khỏe của người lái xe.",
        "Cấp tỉnh",
        "Đường bộ",
    ),
    _procedure(
        "1.004222",
        "Đăng ký thường trú",
        "Tờ khai thay đổi thông tin cư trú; giấy tờ chứng minh chỗ ở hợp pháp <b>bản chính</b>.",
        "Cấp xã",
        "Cư trú",
    ),
    _procedure(
        "1.001456",
        "Cấp hộ chiếu phổ thông ở trong nước",
        "Tờ khai đề nghị cấp hộ chiếu; ảnh chân dung. Lệ phí 200.000 đồng.",
        "Cấp tỉnh",
        "Xuất nhập cảnh",
    ),
    SearchDocument(
        kind="guide",
        key="noi-bo-1",
        title="Hướng dẫn nội bộ tiếp nhận hồ sơ đất đai",
        body="Cán bộ một cửa kiểm tra sơ đồ thửa đất trước khi tiếp nhận.",
        access=Access.INTERNAL,
    ),
    SearchDocument(
        kind="guide",
        key="mat-1",
        title="Kế hoạch thanh tra đột xuất mỏ đá Quỳnh Khôi",
        body="Danh sách cơ sở khai thác đá Quỳnh Khôi bị thanh tra đột xuất; không công bố.",
        access=Access.RESTRICTED,
        owner_org_id=OWNER_ORG,
    ),
    SearchDocument(
        kind="guide",
        key="mat-2",
        title="Biên bản họp kín về vùng trồng hồi Bắc Xa",
        body="Nội dung họp kín của cơ quan khác.",
        access=Access.RESTRICTED,
        owner_org_id=OTHER_ORG,
    ),
]
RESTRICTED_WORDS = "Quỳnh Khôi"  # words no other document has
OFFICER = Actor(user_id=1, username="canbo", role=Role.OFFICER, organisation_id=OWNER_ORG)
OUTSIDER = Actor(user_id=2, username="khac", role=Role.OFFICER, organisation_id=OTHER_ORG)
NO_ORG = Actor(user_id=3, username="xem", role=Role.VIEWER)
ADMIN = Actor(user_id=4, username="admin", role=Role.ADMIN, organisation_id=1)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("search") / "search"
    with open_index(directory) as index:
        index.add(CORPUS)
    return directory


@pytest.fixture(scope="module")
def index(built: Path) -> Iterator[SearchIndex]:
    with open_index(built) as opened:
        yield opened


@pytest.fixture
def copy(built: Path, tmp_path: Path) -> Iterator[SearchIndex]:
    """A private copy of the built index, for tests that write."""
    target = tmp_path / "search"
    shutil.copytree(built, target)
    with open_index(target) as opened:
        yield opened


def _keys(index: SearchIndex, query: str, actor: Actor = ANONYMOUS, **options: object) -> list[str]:
    return [hit.key for hit in index.search(query, actor=actor, **options).hits]  # type: ignore[arg-type]


# --- finding -------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", list(Mode))
def test_each_mode_finds_a_procedure_by_its_name(index: SearchIndex, mode: Mode) -> None:
    result = index.search("đăng ký khai sinh cho con", actor=ANONYMOUS, mode=mode)
    assert result.hits[0].key == "1.001193"
    assert result.mode == mode
    assert (result.hits[0].dense_score is None) == (mode == Mode.BM25)


def test_a_question_typed_without_diacritics_finds_the_same_procedure(index: SearchIndex) -> None:
    result = index.search("lam giay phep lai xe bi mat", actor=ANONYMOUS)
    assert result.hits[0].key == "3.000348"
    assert result.dense_query is not None and "giấy phép lái xe" in result.dense_query
    dense_only = index.search("cap ho chieu", actor=ANONYMOUS, mode=Mode.DENSE)
    assert dense_only.hits[0].key == "1.001456"


def test_d_with_stroke_matches_plain_d(index: SearchIndex) -> None:
    hit = index.search("dang ky thuong tru", actor=ANONYMOUS, mode=Mode.BM25).hits[0]
    assert hit.key == "1.004222"
    assert hit.title_highlight == "<mark>Đăng</mark> <mark>ký</mark> <mark>thường</mark> <mark>trú</mark>"


def test_hits_carry_fields_url_and_scores_between_zero_and_one_best_first(index: SearchIndex) -> None:
    result = index.search("thủ tục đăng ký kết hôn", actor=ANONYMOUS)
    top = result.hits[0]
    assert (top.key, top.fields, top.url) == ("1.000894", {"level": "Cấp xã", "field": "Hộ tịch"}, "/tthc/1.000894")
    scores = [hit.score for hit in result.hits]
    assert scores == sorted(scores, reverse=True) and all(0 < s <= 1 for s in scores)
    assert result.took_ms > 0 and result.total >= len(result.hits)


def test_field_values_are_searched_and_filter_exactly(index: SearchIndex) -> None:
    assert _keys(index, "xuất nhập cảnh", mode=Mode.BM25)[0] == "1.001456"
    provincial = _keys(index, "cấp giấy tờ", filters={"level": "Cấp tỉnh"}, limit=100)
    assert sorted(provincial) == ["1.001456", "3.000348"]
    either = _keys(index, "cấp giấy tờ", filters={"level": ["Cấp tỉnh", "Cấp xã"], "field": "Hộ tịch"}, limit=100)
    assert sorted(either) == ["1.000894", "1.001193"]


def test_kinds_limit_the_document_types(index: SearchIndex) -> None:
    assert set(_keys(index, "hồ sơ đất đai", NO_ORG, kinds=["procedure"], limit=100)) <= {d.key for d in CORPUS[:5]}
    assert _keys(index, "hồ sơ đất đai", NO_ORG, kinds=["guide"], limit=100) == ["noi-bo-1"]


def test_highlights_mark_matches_and_escape_everything_else(index: SearchIndex) -> None:
    hit = index.search("chứng minh chỗ ở", actor=ANONYMOUS, mode=Mode.BM25).hits[0]
    assert hit.key == "1.004222"
    assert "<mark>chứng</mark> <mark>minh</mark> <mark>chỗ</mark> <mark>ở</mark>" in hit.highlight
    assert "&lt;b&gt;bản chính&lt;/b&gt;" in hit.highlight and "<b>" not in hit.highlight


# --- access control ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("actor", "sees_internal", "sees_own_restricted", "sees_other_restricted"),
    [
        (ANONYMOUS, False, False, False),
        (NO_ORG, True, False, False),
        (OUTSIDER, True, False, True),
        (OFFICER, True, True, False),
        (ADMIN, True, True, True),
    ],
)
def test_each_actor_finds_exactly_what_it_may_see(
    index: SearchIndex, actor: Actor, sees_internal: bool, sees_own_restricted: bool, sees_other_restricted: bool
) -> None:
    everything = index.search("hồ sơ đất đai thanh tra họp kín Quỳnh Khôi", actor=actor, limit=100)
    keys = {hit.key for hit in everything.hits}
    assert ("noi-bo-1" in keys) == sees_internal
    assert ("mat-1" in keys) == sees_own_restricted
    assert ("mat-2" in keys) == sees_other_restricted
    assert everything.total == len(everything.hits)  # every scored document came back: none hidden in the count


@pytest.mark.parametrize(("actor", "visible"), [(ANONYMOUS, 0), (OUTSIDER, 0), (NO_ORG, 0), (OFFICER, 1), (ADMIN, 1)])
def test_a_restricted_documents_own_words_neither_find_count_nor_highlight_it(
    index: SearchIndex, actor: Actor, visible: int
) -> None:
    exact = index.search(RESTRICTED_WORDS, actor=actor, mode=Mode.BM25, limit=100)
    assert exact.total == visible and [hit.key for hit in exact.hits] == ["mat-1"] * visible
    for mode in (Mode.HYBRID, Mode.DENSE):
        result = index.search(RESTRICTED_WORDS, actor=actor, mode=mode, limit=100)
        shown = " ".join(hit.title + hit.highlight + hit.title_highlight for hit in result.hits if hit.key != "mat-1")
        assert "Quỳnh" not in shown and "Khôi" not in shown
        assert ("mat-1" in {hit.key for hit in result.hits}) == bool(visible)


def test_internal_documents_need_a_signed_in_actor(index: SearchIndex) -> None:
    assert "noi-bo-1" not in _keys(index, "tiếp nhận hồ sơ đất đai", mode=Mode.BM25)
    assert _keys(index, "tiếp nhận hồ sơ đất đai", NO_ORG, mode=Mode.BM25)[0] == "noi-bo-1"


# --- awkward queries -----------------------------------------------------------------------


@pytest.mark.parametrize("query", ["", "   ", "🙂🎉", "!!! ???"])
def test_a_query_without_words_is_refused_clearly(index: SearchIndex, query: str) -> None:
    with pytest.raises(Invalid) as caught:
        index.search(query, actor=ANONYMOUS)
    assert caught.value.code == "search.empty_query" and "Hãy nhập" in caught.value.message


@pytest.mark.parametrize("limit", [0, 101])
def test_a_limit_out_of_range_is_refused(index: SearchIndex, limit: int) -> None:
    with pytest.raises(Invalid):
        index.search("khai sinh", actor=ANONYMOUS, limit=limit)


def test_a_bad_filter_is_refused(index: SearchIndex) -> None:
    with pytest.raises(Invalid):
        index.search("khai sinh", actor=ANONYMOUS, filters={"level; DROP": "x"})


def test_sql_and_html_in_a_query_are_plain_text(index: SearchIndex) -> None:
    before = index.count()
    for query in ["'; DROP TABLE docs; --", '" OR 1=1 --', "khai sinh) OR (NOT *", "<script>alert('x')</script>"]:
        result = index.search(query, actor=ANONYMOUS, limit=100)
        assert all("<script" not in hit.highlight + hit.title_highlight for hit in result.hits)
        assert "mat-1" not in {hit.key for hit in result.hits}
    assert index.count() == before


def test_a_very_long_query_is_cut_at_a_word_boundary(index: SearchIndex) -> None:
    result = index.search("đăng ký khai sinh " * 600, actor=ANONYMOUS)
    assert len(result.query) <= 500 and result.query.split()[-1] in {"đăng", "ký", "khai", "sinh"}
    assert result.hits[0].key == "1.001193"


def test_emoji_and_other_scripts_do_not_break_a_search(index: SearchIndex) -> None:
    result = index.search("cấp hộ chiếu 🙂 护照 паспорт", actor=ANONYMOUS)
    assert result.hits[0].key == "1.001456"


# --- writing -------------------------------------------------------------------------------


def test_the_index_survives_closing_and_reopening(built: Path, tmp_path: Path) -> None:
    target = tmp_path / "search"
    shutil.copytree(built, target)
    with open_index(target) as first:
        first.add([_procedure("9.000001", "Đăng ký nuôi ong mật", "Tờ khai nuôi ong.", "Cấp xã", "Chăn nuôi")])
    with open_index(target) as reopened:
        assert reopened.count() == len(CORPUS) + 1 and reopened.count("procedure") == 6
        assert _keys(reopened, "nuoi ong mat")[0] == "9.000001"


def test_adding_the_same_kind_and_key_replaces_the_document(copy: SearchIndex) -> None:
    copy.add([_procedure("3.000348", "Đổi giấy phép lái tàu thủy", "Đơn đề nghị đổi.", "Cấp tỉnh", "Đường thủy")])
    assert copy.count() == len(CORPUS)
    assert _keys(copy, "lái tàu thủy", mode=Mode.BM25)[0] == "3.000348"
    assert copy.search("khám sức khỏe", actor=ANONYMOUS, mode=Mode.BM25).total == 0


def test_removed_documents_are_no_longer_found(copy: SearchIndex) -> None:
    assert copy.remove("procedure", ["1.001456", "không-có"]) == 1
    assert copy.count() == len(CORPUS) - 1
    assert "1.001456" not in _keys(copy, "hộ chiếu", limit=100)


def test_a_rebuild_replaces_one_kind_reports_progress_and_reuses_vectors(
    copy: SearchIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    embedded: list[str] = []
    real = dense.embed_passages

    def counting(texts: list[str], progress: Callable[[int], None]) -> dense.Vectors:
        embedded.extend(texts)
        return real(texts, progress)

    monkeypatch.setattr(dense, "embed_passages", counting)
    seen: list[tuple[int, int]] = []
    kept = [
        *CORPUS[:2],
        _procedure("9.000002", "Cấp phép khai thác cát sỏi", "Đơn xin phép.", "Cấp tỉnh", "Khoáng sản"),
    ]
    assert copy.rebuild("procedure", kept, progress=lambda done, total: seen.append((done, total))) == 3
    assert embedded == ["Cấp phép khai thác cát sỏi"]  # the two unchanged documents kept their vectors
    assert seen[0] == (2, 3) and seen[-1] == (3, 3)
    assert copy.count("procedure") == 3 and copy.count("guide") == 3
    assert "3.000348" not in _keys(copy, "giấy phép lái xe", limit=100)


def test_a_rebuild_refuses_documents_of_another_kind(copy: SearchIndex) -> None:
    with pytest.raises(Invalid):
        copy.rebuild("guide", CORPUS[:1])


def test_a_failure_mid_write_leaves_the_index_as_it_was(copy: SearchIndex, monkeypatch: pytest.MonkeyPatch) -> None:
    real = Store.insert
    calls = 0

    def failing(self: Store, row: object) -> None:
        nonlocal calls
        calls += 1
        if calls == 2:
            raise OSError("disk full")
        real(self, row)  # type: ignore[arg-type]

    monkeypatch.setattr(Store, "insert", failing)
    extra = [_procedure(f"9.00001{i}", f"Thủ tục nuôi cá tầm {i}", "", "Cấp xã", "Thủy sản") for i in range(3)]
    with pytest.raises(OSError, match="disk full"):
        copy.rebuild("procedure", extra)
    assert copy.count("procedure") == 5
    assert copy.search("nuôi cá tầm", actor=ANONYMOUS, mode=Mode.BM25).total == 0


def test_a_second_handle_sees_what_the_first_one_wrote(copy: SearchIndex, built: Path, tmp_path: Path) -> None:
    with open_index(tmp_path / "search") as other:
        assert "9.000003" not in _keys(other, "trồng rừng gỗ lớn", mode=Mode.DENSE)
        copy.add([_procedure("9.000003", "Hỗ trợ trồng rừng gỗ lớn", "", "Cấp xã", "Lâm nghiệp")])
        assert _keys(other, "trồng rừng gỗ lớn", mode=Mode.DENSE)[0] == "9.000003"


def test_a_kinds_scores_do_not_move_when_another_kind_grows(copy: SearchIndex) -> None:
    before = copy.search("cấp lại giấy phép lái xe bị mất", actor=ANONYMOUS, kinds=["procedure"])
    bodies = ["Giấy phép lái xe bị mất thì được cấp lại.", *["Người nộp thuế tự kê khai thuế thu nhập."] * 9]
    laws = [SearchDocument(kind="law", key=f"luat-{i}", title=f"Điều {i}", body=bodies[i % 10]) for i in range(40)]
    copy.add(laws)
    after = copy.search("cấp lại giấy phép lái xe bị mất", actor=ANONYMOUS, kinds=["procedure"])
    assert [(h.key, h.score) for h in after.hits] == [(h.key, h.score) for h in before.hits]
    assert _keys(copy, "cấp lại giấy phép lái xe bị mất", kinds=["law"], mode=Mode.BM25) == [
        "luat-0",
        "luat-10",
        "luat-20",
        "luat-30",
    ]


def test_an_index_of_the_former_format_is_converted_when_opened(built: Path, tmp_path: Path) -> None:
    target = tmp_path / "search"
    shutil.copytree(built, target)
    with open_index(target) as current:
        expected = [(h.key, h.score) for h in current.search("giay phep lai xe", actor=ADMIN, limit=20).hits]
    with sqlite3.connect(target / DATABASE) as db:  # the first format: one full-text table for every kind
        db.execute(f"CREATE VIRTUAL TABLE doc_terms USING fts5 (title, body, meta, tokenize = {TOKENIZER})")
        db.execute("CREATE VIRTUAL TABLE doc_terms_vocab USING fts5vocab (doc_terms, 'row')")
        for (number,) in db.execute("SELECT id FROM kinds").fetchall():
            db.execute(f"INSERT INTO doc_terms (rowid, title, body, meta) SELECT rowid, * FROM terms_{number}")
            db.execute(f"DROP TABLE terms_{number}_vocab")
            db.execute(f"DROP TABLE terms_{number}")
        db.execute("DROP TABLE kinds")
        db.execute("UPDATE meta SET value = 'mauson-search/1' WHERE name = 'format'")
    db.close()

    with open_index(target) as converted:
        assert converted.count() == len(CORPUS)
        found = [(h.key, h.score) for h in converted.search("giay phep lai xe", actor=ADMIN, limit=20).hits]
        assert found == expected
    with sqlite3.connect(target / DATABASE) as db:
        assert db.execute("SELECT value FROM meta WHERE name = 'format'").fetchone() == ("mauson-search/2",)
    db.close()


def test_an_index_from_another_version_is_refused(built: Path, tmp_path: Path) -> None:
    target = tmp_path / "search"
    shutil.copytree(built, target)
    with sqlite3.connect(target / DATABASE) as db:
        db.execute("UPDATE meta SET value = 'mauson-search/0' WHERE name = 'format'")
    db.close()
    with pytest.raises(Conflict):
        open_index(target)


def test_a_restricted_document_needs_an_owner() -> None:
    with pytest.raises(ValidationError):
        SearchDocument(kind="guide", key="x", title="Mật", access=Access.RESTRICTED)
