"""The citizen assistant answering over a small catalogue, through its service, API, page and CLI."""

from __future__ import annotations

import json
import re
from pathlib import Path

import httpx
from sqlalchemy import select

from mauson.assistant import procedures
from mauson.assistant.intents import looks_like_follow_up
from mauson.assistant.models import AssistantQuestion
from mauson.assistant.service import Reply, ask, reindex_procedures, search_subject, unanswered
from mauson.db import Database
from mauson.identity.models import ANONYMOUS
from mauson.identity.service import SYSTEM
from mauson.search.service import open_index
from mauson.settings import Settings
from tests.assistant import line
from tests.conftest import Invoke
from tests.factories import form_token

REISSUE_CHANNELS = (
    "Hình thức nộpThời gianPhí, lệ phíMô tảTrực tiếp5 Ngày làm việcLệ phí : 8.000 ĐồngNộp tại UBND cấp xã."
)


def _add(database: Database, settings: Settings, lines: list[str]) -> None:
    """More catalogue lines, imported and indexed where the app under test looks for them."""
    with database.unit_of_work() as session, open_index(settings.data_dir / "search") as index:
        procedures.import_catalogue(session=session, actor=SYSTEM, lines=lines)
        reindex_procedures(session=session, index=index)


def _ask(database: Database, settings: Settings, question: str, conversation: str | None = None) -> Reply:
    with database.unit_of_work() as session, open_index(settings.data_dir / "search") as index:
        return ask(session=session, actor=ANONYMOUS, index=index, question=question, conversation_id=conversation)


def test_an_answer_cites_the_record_and_puts_the_asked_section_first(
    catalogue: None, database: Database, settings: Settings
) -> None:
    reply = _ask(database, settings, "Làm giấy khai sinh cho con cần những giấy tờ gì?")
    assert reply.procedures[0] == "1.001193" and not reply.abstained
    documents_at = reply.answer.index("Hồ sơ cần chuẩn bị")
    assert documents_at < reply.answer.index("Thời gian giải quyết")
    assert "Giấy chứng sinh" in reply.answer and "Mau TKKS.docx" in reply.answer
    assert reply.citations[0].url and any("60/2014/QH13" in basis for basis in reply.citations[0].legal_bases)


def test_questions_without_accents_find_the_same_procedure(
    catalogue: None, database: Database, settings: Settings
) -> None:
    assert _ask(database, settings, "dang ky ket hon mat bao lau").procedures[0] == "1.000894"


def test_a_question_typed_in_capitals_is_searched_not_read_as_a_name(
    catalogue: None, database: Database, settings: Settings
) -> None:
    """Capitals are how names are told apart, and "Đặng", "Hồ" are surnames: the whole question had
    been left out of the search as a person's name, and the citizen got an error."""
    for question in ["DANG KY KET HON", "Đăng Ký Khai Sinh Cho Con", "Hồ Sơ Đăng Ký Thường Trú"]:
        reply = _ask(database, settings, question)
        assert not reply.abstained and reply.procedures, question
    assert _ask(database, settings, "DANG KY KET HON").procedures[0] == "1.000894"
    assert search_subject("Nguyễn Văn An làm hộ chiếu").startswith("làm hộ chiếu"), "the name itself is not searched"
    assert _ask(database, settings, "Hồ Sơ Đăng Ký Thường Trú").procedures[0] == "1.002222"


def test_a_follow_up_keeps_the_procedure_of_the_conversation(
    catalogue: None, database: Database, settings: Settings
) -> None:
    first = _ask(database, settings, "đăng ký kết hôn cần gì")
    follow = _ask(database, settings, "còn lệ phí thì sao?", first.conversation_id)
    assert follow.procedures == ["1.000894"]
    assert "Phí, lệ phí" in follow.answer and "30.000 Đồng" in follow.answer
    assert "Hồ sơ cần chuẩn bị" not in follow.answer, "the record was just shown whole: only the fee again"
    vague = _ask(database, settings, "còn với người nước ngoài thì sao?", first.conversation_id)
    assert vague.procedures == ["1.000894"], "nothing else found for sure: still the procedure discussed"
    other = _ask(database, settings, "còn đăng ký khai sinh thì sao?", first.conversation_id)
    assert other.procedures[0] == "1.001193", "«còn» before another procedure starts a new search"


def test_a_conversation_id_the_server_did_not_give_starts_a_new_conversation(
    catalogue: None, database: Database, settings: Settings
) -> None:
    """Two clients that both chose "abc" would read each other's follow-ups and questions."""
    mine = _ask(database, settings, "đăng ký kết hôn cần gì", "abc")
    assert mine.conversation_id != "abc"
    theirs = _ask(database, settings, "còn lệ phí thì sao?", "abc")
    assert theirs.abstained and theirs.conversation_id not in ("abc", mine.conversation_id)
    assert _ask(database, settings, "còn lệ phí thì sao?", mine.conversation_id).procedures == ["1.000894"]


def test_a_question_that_names_nothing_follows_up_with_only_the_asked_section(
    catalogue: None, database: Database, settings: Settings
) -> None:
    first = _ask(database, settings, "đăng ký kết hôn cần giấy tờ gì?")
    assert "Hồ sơ cần chuẩn bị" in first.answer and "Thời gian giải quyết" in first.answer
    for question in ("mất bao lâu?", "nop o dau", "cần mang theo gì", "bao lâu thì xong"):
        follow = _ask(database, settings, question, first.conversation_id)
        assert follow.procedures == ["1.000894"], question
    time = _ask(database, settings, "mất bao lâu?", first.conversation_id)
    assert "3 Ngày làm việc" in time.answer and "Hồ sơ cần chuẩn bị" not in time.answer
    assert _ask(database, settings, "khai sinh mất bao lâu?", first.conversation_id).procedures[0] == "1.001193"
    assert not looks_like_follow_up("cccd cần gì") and looks_like_follow_up("phải nộp những gì")


def test_a_follow_up_opening_a_conversation_is_asked_back_not_guessed(
    catalogue: None, database: Database, settings: Settings
) -> None:
    for question in ("còn lệ phí thì sao?", "mất bao lâu?"):
        reply = _ask(database, settings, question)
        assert reply.abstained and reply.procedures == [], question
        assert reply.answer.startswith("Bạn muốn hỏi về thủ tục nào?")
    assert not _ask(database, settings, "lệ phí đăng ký kết hôn bao nhiêu?").abstained


def test_a_greeting_gets_a_greeting_and_how_to_ask_not_a_procedure(
    catalogue: None, database: Database, settings: Settings
) -> None:
    greeted = _ask(database, settings, "xin chào")
    assert greeted.procedures == [] and greeted.answer.startswith("Xin chào! Tôi là trợ lý")
    thanked = _ask(database, settings, "Cảm ơn bạn nhiều!")
    assert thanked.procedures == [] and thanked.answer.startswith("Không có gì ạ!"), "thanks are not a greeting"
    assert _ask(database, settings, "chào bạn, làm giấy khai sinh cần gì").procedures[0] == "1.001193"


def test_a_question_about_a_business_service_is_declined_even_when_a_procedure_looks_alike(
    catalogue: None, database: Database, settings: Settings
) -> None:
    reply = _ask(database, settings, "mở tài khoản ngân hàng cho con mới sinh cần giấy khai sinh không")
    assert reply.abstained and reply.answer.startswith("Câu hỏi này về dịch vụ của doanh nghiệp")
    assert not _ask(database, settings, "làm giấy khai sinh cho con mới sinh cần gì").abstained


def test_two_levels_of_the_same_service_are_asked_about(
    catalogue: None, database: Database, settings: Settings
) -> None:
    reply = _ask(database, settings, "xin giấy phép xây dựng nhà ở riêng lẻ")
    assert "Bạn cần thủ tục nào" in reply.answer and {"2.001001", "1.009999"} <= set(reply.procedures[:2])
    second = "Cấp tỉnh" if reply.procedures[0] == "2.001001" else "Cấp xã"
    assert f"Nếu bạn cần thủ tục «Cấp giấy phép xây dựng nhà ở riêng lẻ» ({second}):" in reply.answer, "both answered"


def test_the_citizen_answers_which_level_and_the_conversation_goes_on_with_that_one(
    catalogue: None, database: Database, settings: Settings
) -> None:
    asked = _ask(database, settings, "xin giấy phép xây dựng nhà ở riêng lẻ cần giấy tờ gì")
    assert "Bạn cần thủ tục nào" in asked.answer

    picked = _ask(database, settings, "cấp tỉnh", asked.conversation_id)
    assert picked.procedures == ["1.009999"] and not picked.abstained
    assert picked.answer.index("Hồ sơ cần chuẩn bị") < picked.answer.index("Thời gian giải quyết"), "asked before"
    assert _ask(database, settings, "còn lệ phí thì sao?", asked.conversation_id).procedures == ["1.009999"]


def test_the_choice_stands_through_a_follow_up_and_closes_with_another_subject(
    catalogue: None, database: Database, settings: Settings
) -> None:
    asked = _ask(database, settings, "xin giấy phép xây dựng nhà ở riêng lẻ cần giấy tờ gì")
    first, second = asked.offered
    assert _ask(database, settings, "còn lệ phí thì sao?", asked.conversation_id).procedures == [first]
    picked = _ask(database, settings, "cái thứ hai", asked.conversation_id)
    assert picked.procedures == [second] and picked.answer.index("Phí, lệ phí") < picked.answer.index("Hồ sơ")

    elsewhere = _ask(database, settings, "đăng ký kết hôn cần gì", asked.conversation_id)
    assert elsewhere.procedures[0] == "1.000894"
    assert _ask(database, settings, "cái thứ hai", asked.conversation_id).procedures[:1] != [second]


def test_a_reply_naming_only_a_level_stays_on_the_procedure_just_discussed(
    catalogue: None, database: Database, settings: Settings
) -> None:
    first = _ask(database, settings, "đăng ký kết hôn cần gì")
    assert _ask(database, settings, "cấp tỉnh", first.conversation_id).procedures == ["1.000894"]


def test_two_procedures_of_one_family_are_both_shown_and_the_citizen_asked_which(
    catalogue: None, database: Database, settings: Settings
) -> None:
    first = line("2.000488", "Cấp Phiếu lý lịch tư pháp số 1 cho công dân", cach_thuc_thuc_hien=REISSUE_CHANNELS)
    second = line("2.000505", "Cấp Phiếu lý lịch tư pháp số 2 cho công dân", cach_thuc_thuc_hien=REISSUE_CHANNELS)
    _add(database, settings, [first, second])

    reply = _ask(database, settings, "xin phiếu lý lịch tư pháp hết bao nhiêu tiền")  # says neither number
    assert reply.answer.startswith("Có 2 thủ tục gần giống nhau. Bạn cần thủ tục nào?")
    assert {"2.000488", "2.000505"} == set(reply.procedures[:2])
    assert "Nếu bạn cần thủ tục «" in reply.answer and "8.000 Đồng" in reply.answer, "both answers are given"
    assert len(reply.citations) == 2


def test_a_plain_question_is_about_the_plain_member_and_the_qualified_one_follows(
    catalogue: None, database: Database, settings: Settings
) -> None:
    """Who says nothing about a foreign parent means the ordinary birth registration: no «which?»."""
    foreign = line("1.001695", "Thủ tục đăng ký khai sinh có yếu tố nước ngoài", cach_thuc_thuc_hien=REISSUE_CHANNELS)
    _add(database, settings, [foreign])

    reply = _ask(database, settings, "làm khai sinh cho con hết bao nhiêu tiền")
    assert reply.procedures[:2] == ["1.001193", "1.001695"] and not reply.offered
    assert "Nếu bạn cần thủ tục «Đăng ký khai sinh có yếu tố nước ngoài»" in reply.answer, "the other follows"
    general = _ask(database, settings, "làm khai sinh cho con")
    assert general.procedures[0] == "1.001193" and not general.offered
    assert "Hỏi «thủ tục 1.001695 cần gì» hoặc xem tại /procedures/1.001695." in general.answer, "where to read it"
    little = _ask(database, settings, "con tôi mới sinh có phải làm khai sinh không")  # "có" is no "có yếu tố"
    assert little.procedures[0] == "1.001193" and not little.offered

    named = _ask(database, settings, "đăng ký khai sinh cho con hết bao nhiêu tiền")
    assert named.procedures[0] == "1.001193" and not named.answer.startswith("Có 2 thủ tục"), "named, not asked"
    said = _ask(database, settings, "khai sinh có yếu tố nước ngoài hết bao nhiêu tiền")
    assert said.procedures[0] == "1.001695" and not said.answer.startswith("Có 2 thủ tục"), "words only it holds"
    korean = _ask(database, settings, "làm khai sinh cho con, bố cháu là người Hàn Quốc thì hết bao nhiêu tiền")
    assert korean.procedures[0] == "1.001695", "a foreign parent is the foreign element, said otherwise"


def test_a_variant_of_a_paper_already_issued_is_not_offered_to_whoever_did_not_ask_for_it(
    catalogue: None, database: Database, settings: Settings
) -> None:
    again = line("1.004884", "Thủ tục đăng ký lại khai sinh", cach_thuc_thuc_hien=REISSUE_CHANNELS)
    _add(database, settings, [again])

    plain = _ask(database, settings, "làm khai sinh cho con hết bao nhiêu tiền")
    assert plain.procedures[:2] == ["1.001193", "1.004884"] and not plain.answer.startswith("Có 2 thủ tục")
    second = _ask(database, settings, "cái thứ hai", plain.conversation_id)
    assert second.procedures[:1] != ["1.004884"], "a position picks only from two procedures offered"
    again_asked = _ask(database, settings, "đăng ký lại khai sinh hết bao nhiêu tiền")
    assert again_asked.procedures[0] == "1.004884" and not again_asked.answer.startswith("Có 2 thủ tục")


def test_a_close_second_procedure_is_answered_too_unless_the_first_was_named(
    catalogue: None, database: Database, settings: Settings
) -> None:
    founding = "Hình thức nộpThời gianPhí, lệ phíMô tảTrực tiếp20 Ngày làm việcPhí : 1.000.000 ĐồngNộp tại Sở Tư pháp."
    offices = [
        line("1.008929", "Thành lập Văn phòng công chứng", linh_vuc="Công chứng", cach_thuc_thuc_hien=founding),
        line("1.008930", "Đăng ký hoạt động Văn phòng công chứng", linh_vuc="Công chứng"),
    ]
    _add(database, settings, offices)

    reply = _ask(database, settings, "mở văn phòng công chứng thì phí bao nhiêu")
    assert {"1.008929", "1.008930"} == set(reply.procedures[:2]) and not reply.offered
    assert "1.000.000 Đồng" in reply.answer and "8.000 Đồng" in reply.answer, "the fee of each"
    assert "Nếu bạn cần thủ tục «" in reply.answer and len(reply.citations) == 2
    assert "Hồ sơ cần chuẩn bị" not in reply.answer.partition("Nếu bạn cần thủ tục")[2], "only the asked section"

    named = _ask(database, settings, "phí thành lập văn phòng công chứng bao nhiêu")
    assert named.procedures[0] == "1.008929" and "Nếu bạn cần thủ tục" not in named.answer


def test_the_label_thu_tuc_does_not_count_against_a_name(
    catalogue: None, database: Database, settings: Settings
) -> None:
    siblings = [line("1.000656", "Thủ tục đăng ký khai tử"), line("1.005461", "Đăng ký lại khai tử")]
    _add(database, settings, siblings)

    reply = _ask(database, settings, "bố tôi vừa mất, làm khai tử thế nào")
    assert reply.procedures[:2] == ["1.000656", "1.005461"], "the plain procedure first, the re-registration second"


def test_out_of_scope_questions_are_declined_with_the_hotline(
    catalogue: None, database: Database, settings: Settings
) -> None:
    reply = _ask(database, settings, "Dự báo thời tiết Lạng Sơn cuối tuần này có mưa không?")
    assert reply.abstained and "1022" in reply.answer


def test_a_weak_match_is_answered_with_a_warning_and_a_strong_one_without(
    catalogue: None, database: Database, settings: Settings
) -> None:
    weak = _ask(database, settings, "đăng ký nuôi chó")
    assert not weak.abstained and weak.answer.startswith("Tôi chưa chắc thủ tục dưới đây đúng là điều bạn hỏi")
    assert "1022" in weak.answer
    assert not _ask(database, settings, "đăng ký kết hôn cần gì").answer.startswith("Tôi chưa chắc")


def test_officers_review_questions_declined_and_answered_unsure(
    catalogue: None, database: Database, settings: Settings
) -> None:
    _ask(database, settings, "Dự báo thời tiết Lạng Sơn cuối tuần này có mưa không?")
    _ask(database, settings, "đăng ký nuôi chó")
    _ask(database, settings, "đăng ký kết hôn cần gì")
    with database.unit_of_work() as session:
        listed = [q.question for q in unanswered(session=session, actor=SYSTEM)]
    assert listed == ["đăng ký nuôi chó", "Dự báo thời tiết Lạng Sơn cuối tuần này có mưa không?"]


def test_the_log_keeps_the_question_without_personal_data(
    catalogue: None, database: Database, settings: Settings
) -> None:
    _ask(database, settings, "Tôi là Lò Văn Sài, SĐT 0912345678, đăng ký kết hôn cần gì?")
    with database.unit_of_work() as session:
        logged = session.scalars(select(AssistantQuestion)).one()
    assert "Lò Văn Sài" not in logged.question and "0912345678" not in logged.question
    assert "[HỌ TÊN]" in logged.question and logged.procedures[0] == "1.000894"


def test_the_log_keeps_the_records_words_in_the_answer_as_the_citizen_read_them(
    catalogue: None, database: Database, settings: Settings
) -> None:
    """The tagger reads official names as addresses ("cư trú ở khu vực biên giới…"): only what the
    question held is personal data in an answer composed from the record."""
    name = (
        "Giải quyết việc người nước ngoài cư trú ở khu vực biên giới nước láng giềng nhận trẻ em Việt Nam làm con nuôi"
    )
    _add(database, settings, [line("1.003005", name, linh_vuc="Nuôi con nuôi")])
    _ask(database, settings, "Tôi là Lò Văn Sài, người nước ngoài cư trú ở khu vực biên giới muốn nhận con nuôi")
    with database.unit_of_work() as session:
        logged = session.scalars(select(AssistantQuestion)).one()
    assert logged.procedures[0] == "1.003005" and name in logged.answer
    assert "Lò Văn Sài" not in logged.question + logged.answer


def test_a_given_name_alone_is_not_tagged_in_the_records_words_of_the_logged_answer(
    catalogue: None, database: Database, settings: Settings
) -> None:
    _add(database, settings, [line("1.002345", "Đăng ký phương tiện thủy nội địa trên sông Hà Thanh")])
    _ask(database, settings, "chị Hà hỏi đăng ký phương tiện thủy nội địa trên sông ở đâu")
    with database.unit_of_work() as session:
        logged = session.scalars(select(AssistantQuestion)).one()
    assert logged.procedures[0] == "1.002345" and "[HỌ TÊN]" in logged.question
    assert "sông Hà Thanh" in logged.answer and "[HỌ TÊN] Thanh" not in logged.answer


def test_the_api_answers_and_refuses_bad_questions_in_the_error_shape(catalogue: None, client: httpx.Client) -> None:
    answer = client.post("/api/v1/assistant/ask", json={"question": "dang ky thuong tru can giay to gi"})
    assert answer.status_code == 200
    body = answer.json()
    assert body["procedures"][0] == "1.002222" and body["abstained"] is False
    assert set(body) == {"answer", "procedures", "citations", "confidence", "abstained", "intents", "conversation_id"}
    for bad in ("", "   ", "x" * 10_000, "🙂🙂 ???"):
        refused = client.post("/api/v1/assistant/ask", json={"question": bad})
        assert refused.status_code == 422 and refused.json()["error"]["message"]
    for pasted in ("x" * 2_001, "khai sinh " * 3_000):  # one code and one message, however long
        too_long = client.post("/api/v1/assistant/ask", json={"question": pasted}).json()
        assert too_long["error"]["code"] == "ask.too_long" and "2.000 ký tự" in too_long["error"]["message"]
    odd = client.post(
        "/api/v1/assistant/ask", json={"question": "'; DROP TABLE procedures; -- <script>alert(1)</script> 🙂"}
    )
    assert odd.status_code == 200
    assert client.get("/api/v1/procedures/1.002222").json()["name"] == "Đăng ký thường trú"


def test_the_chat_page_shows_the_answer_and_the_procedure_card(catalogue: None, client: httpx.Client) -> None:
    token = form_token(client, "/assistant")
    page = client.post("/assistant", data={"question": "<b>khai sinh</b> cần gì", "csrf_token": token})
    assert page.status_code == 200
    assert 'id="card-title">Thủ tục đăng ký khai sinh' in page.text
    assert "&lt;b&gt;khai sinh&lt;/b&gt;" in page.text and "<b>khai sinh</b>" not in page.text
    browser = client.get("/procedures", params={"q": "ket hon"})
    assert "Thủ tục đăng ký kết hôn" in browser.text
    assert "Giấy chứng sinh" in client.get("/procedures/1.001193").text
    long = client.post("/assistant", data={"question": "khai sinh " * 3_000, "csrf_token": token})
    assert long.status_code == 422 and "dài quá 2.000 ký tự" in long.text and 'id="question"' in long.text, "kept"
    by_code = client.get("/api/v1/procedures", params={"q": "1.000894"}).json()
    assert [p["code"] for p in by_code] == ["1.000894"], "the code the answers print finds that procedure"


def test_a_question_that_writes_a_procedures_code_is_about_that_procedure(
    catalogue: None, database: Database, settings: Settings
) -> None:
    reply = _ask(database, settings, "thủ tục 1.000894 cần gì")
    assert reply.procedures == ["1.000894"] and "Hồ sơ cần chuẩn bị" in reply.answer and not reply.abstained
    assert _ask(database, settings, "mã 9.999999 là thủ tục gì").procedures[:1] != ["9.999999"]


def test_the_chat_page_keeps_the_conversation_and_says_what_to_do_when_it_does_not_know(
    catalogue: None, client: httpx.Client
) -> None:
    token = form_token(client, "/assistant")
    first = client.post("/assistant", data={"question": "đăng ký kết hôn cần gì", "csrf_token": token})
    conversation = re.search(r'name="conversation_id" value="(\w+)"', first.text)
    assert conversation is not None
    second = client.post(
        "/assistant", data={"question": "mất bao lâu?", "csrf_token": token, "conversation_id": conversation[1]}
    )
    assert "Bạn hỏi: đăng ký kết hôn cần gì — trợ lý trả lời về «Thủ tục đăng ký kết hôn»" in second.text
    assert "3 Ngày làm việc" in second.text
    declined = client.post("/assistant", data={"question": "dự báo thời tiết cuối tuần", "csrf_token": token})
    assert "Hãy hỏi lại cụ thể hơn" in declined.text and "Độ tin cậy" not in declined.text


def test_the_chat_page_offers_the_two_procedures_as_buttons_and_folds_the_second_answer(
    catalogue: None, client: httpx.Client
) -> None:
    token = form_token(client, "/assistant")
    asked = client.post("/assistant", data={"question": "xin giấy phép xây dựng nhà ở riêng lẻ", "csrf_token": token})
    buttons = re.findall(
        r'<button type="submit" name="question" value="([^"]+)" class="secondary">([^<]+)</button>', asked.text
    )
    assert [value for value, _ in buttons] == ["cái thứ nhất", "cái thứ hai"]
    assert {label.rsplit(" — ", 1)[1] for _, label in buttons} == {"Cấp xã", "Cấp tỉnh"}
    assert '<details class="also"><summary>Nếu bạn cần thủ tục «Cấp giấy phép xây dựng nhà ở riêng lẻ»' in asked.text
    conversation = re.search(r'name="conversation_id" value="(\w+)"', asked.text)
    assert conversation is not None
    second_level = buttons[1][1].rsplit(" — ", 1)[1]
    picked = client.post(
        "/assistant", data={"question": "cái thứ hai", "csrf_token": token, "conversation_id": conversation[1]}
    )
    assert f"<dt>Cấp thực hiện</dt><dd>{second_level}</dd>" in picked.text and 'class="choices"' not in picked.text


def test_asking_from_a_procedures_page_keeps_that_procedure_for_short_questions(
    catalogue: None, client: httpx.Client
) -> None:
    assert 'href="/assistant?about=1.000894"' in client.get("/procedures/1.000894").text
    page = client.get("/assistant", params={"about": "1.000894"})
    assert "Bạn đang hỏi về thủ tục «Thủ tục đăng ký kết hôn»" in page.text
    token = form_token(client, "/assistant")
    fee = client.post("/assistant", data={"question": "lệ phí bao nhiêu?", "about": "1.000894", "csrf_token": token})
    assert "30.000 Đồng" in fee.text and "<dd>1.000894</dd>" in fee.text
    unknown = client.get("/assistant", params={"about": "9.999999"})
    assert unknown.status_code == 200 and "Bạn đang hỏi về thủ tục" not in unknown.text


def test_the_browser_lists_only_procedures_that_match_a_search(catalogue: None, client: httpx.Client) -> None:
    page = client.get("/procedures", params={"q": "mua vé tàu hỏa đi Hà Nội"})
    assert page.status_code == 200
    assert "Thủ tục đăng ký khai sinh" not in page.text and "Đăng ký thường trú" not in page.text
    assert "Thủ tục đăng ký kết hôn" in client.get("/procedures", params={"q": "đăng ký kết hôn"}).text
    everyday = client.get("/procedures", params={"q": "nhap ho khau"}).text
    assert "Đăng ký thường trú" in everyday, "everyday words, without accents, as the assistant reads them"
    pasted = client.get("/procedures", params={"q": "đăng ký kết hôn " + "rồi sau đó " * 60})
    assert pasted.status_code == 200 and 'name="q"' in pasted.text, "a long query is searched, the form kept"


def test_the_procedure_page_lists_papers_to_bring_before_papers_for_some_cases(
    database: Database, client: httpx.Client
) -> None:
    documents = (
        "Giấy tờ phải nộp:Tên giấy tờMẫu đơn, tờ khaiSố lượng"
        "Trường hợp ủy quyền thì nộp văn bản ủy quyền1 bản chính"
        "Tờ khai đăng ký khai tử1 bản chính"
    )
    record = line("1.000656", "Thủ tục đăng ký khai tử", thanh_phan_ho_so=documents)
    with database.unit_of_work() as session:
        procedures.import_catalogue(session=session, actor=SYSTEM, lines=[record])

    page = client.get("/procedures/1.000656").text
    assert page.index("Tờ khai đăng ký khai tử") < page.index("Trường hợp ủy quyền")


def test_cli_ask_answers_a_batch_one_line_per_question(catalogue: None, cli: Invoke, tmp_path: Path) -> None:
    batch = tmp_path / "q.jsonl"
    batch.write_text(
        "\n".join(
            json.dumps({"id": i, "question": q}) for i, q in [("a", "khai sinh cần gì"), ("b", "kết hôn mất bao lâu")]
        ),
        encoding="utf-8",
    )
    result = cli("ask", "--jsonl", str(batch))
    assert result.exit_code == 0, result.output
    lines = [json.loads(x) for x in result.output.splitlines()]
    assert [(x["id"], x["procedures"][0], x["abstained"]) for x in lines] == [
        ("a", "1.001193", False),
        ("b", "1.000894", False),
    ]
    assert set(lines[0]) == {"id", "procedures", "answer", "abstained"}


def test_the_askers_own_details_do_not_steer_the_search(
    catalogue: None, database: Database, settings: Settings
) -> None:
    reply = _ask(database, settings, "Tôi là Nguyễn Văn An, số CCCD 020190001234, làm giấy khai sinh cho con cần gì")
    assert reply.procedures[0] == "1.001193" and "020190001234" not in reply.answer


RESIDENCE_CASES = (
    "Đăng ký thường trú vào chỗ ở hợp pháp thuộc quyền sở hữu của mìnhTên giấy tờMẫu đơn, tờ khaiSố lượng"
    "Tờ khai thay đổi thông tin cư trú (mẫu CT01)1 bản chính"
    "Giấy tờ, tài liệu chứng minh chỗ ở hợp pháp1 bản chính"
    "Đăng ký thường trú vào chỗ ở hợp pháp do thuê, mượn, ở nhờTên giấy tờMẫu đơn, tờ khaiSố lượng"
    "Tờ khai thay đổi thông tin cư trú (mẫu CT01)1 bản chính"
    "Hợp đồng cho thuê, cho mượn, cho ở nhờ được công chứng hoặc chứng thực1 bản chính"
)  # shortened from the catalogue's 1.004222, which has seven cases


def test_documents_that_vary_by_case_are_listed_under_each_case_the_askers_first(
    database: Database, settings: Settings, client: httpx.Client
) -> None:
    _add(database, settings, [line("1.004222", "Đăng ký thường trú (cấp xã)", thanh_phan_ho_so=RESIDENCE_CASES)])
    answer = _ask(database, settings, "đăng ký thường trú ở nhà thuê cần giấy tờ gì").answer
    rented = answer.index("- Đăng ký thường trú vào chỗ ở hợp pháp do thuê, mượn, ở nhờ:\n  + Tờ khai")
    assert rented < answer.index("- Đăng ký thường trú vào chỗ ở hợp pháp thuộc quyền sở hữu của mình:")
    plain = _ask(database, settings, "dang ky thuong tru can giay to gi").answer
    assert plain.index("thuộc quyền sở hữu của mình:") < plain.index("do thuê, mượn, ở nhờ:"), "the record's order"
    page = client.get("/procedures/1.004222").text
    assert "<h3>Đăng ký thường trú vào chỗ ở hợp pháp do thuê, mượn, ở nhờ</h3>" in page


def test_the_demo_catalogue_answers_a_house_permit_with_the_new_buildings_not_a_choice(
    database: Database, settings: Settings
) -> None:
    """The repair permit ("Cấp giấy phép xây dựng sửa chữa, cải tạo…") had out-scored the new
    building's in the demo catalogue `make run` loads, and the commonest question was asked back."""
    _add(database, settings, procedures.demo_lines())
    reply = _ask(database, settings, "xin giấy phép xây nhà")
    assert reply.procedures[0] == "1.013225" and not reply.offered
    assert _ask(database, settings, "sửa chữa nhà có phải xin giấy phép xây dựng không").procedures[0] == "1.013229"
