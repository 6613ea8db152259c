"""What a question asks for, and the optional LLM rephrasing that may never change a number."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import ClassVar

import pytest

from mauson.assistant.intents import Intent, commercial_phrase, detect, looks_like_follow_up, topic
from mauson.assistant.rephrase import is_faithful, rephrase
from mauson.settings import Settings


@pytest.mark.parametrize(
    ("question", "intents"),
    [
        ("Làm giấy khai sinh cần những giấy tờ gì?", [Intent.DOCUMENTS]),
        ("lam giay khai sinh can gi", [Intent.DOCUMENTS]),
        ("đăng ký kết hôn mất bao lâu", [Intent.TIME]),
        ("le phi cap doi bang lai xe bao nhieu tien", [Intent.FEE]),
        ("Chứng thực bản sao giấy tờ mất bao nhiêu tiền một trang?", [Intent.FEE]),  # the papers acted on
        ("giấy tờ đăng ký kết hôn và lệ phí", [Intent.DOCUMENTS, Intent.FEE]),
        ("Đăng ký khai sinh cần bản sao giấy tờ gì?", [Intent.DOCUMENTS]),  # which papers to copy
        ("mang bản chính giấy tờ để đối chiếu không", [Intent.DOCUMENTS]),  # the originals to bring
        ("chứng thực bản sao từ bản chính giấy tờ mất bao lâu", [Intent.TIME]),  # the papers copied
        ("Có nộp hồ sơ trực tuyến được không?", [Intent.CHANNEL, Intent.CONDITIONS]),
        ("Xin giấy phép xây dựng căn cứ nghị định nào", [Intent.LEGAL_BASIS]),
        ("hồ sơ của tôi đến đâu rồi", [Intent.STATUS]),
        ("nộp hai tuần rồi mà hồ sơ chưa có kết quả", [Intent.STATUS]),
        ("kiểm tra hồ sơ của tôi đã được duyệt chưa", [Intent.STATUS]),
        ("thi xong mà chưa có kết quả thì đăng ký xét tuyển được không", [Intent.RESULT, Intent.CONDITIONS]),
        ("tra cứu lịch sử tín dụng, hồ sơ của tôi có nợ xấu thì sửa ở đâu", [Intent.CHANNEL]),  # not its progress
        ("thủ tục đăng ký thường trú", [Intent.GENERAL]),
        ("cần gì và mất bao lâu", [Intent.DOCUMENTS, Intent.TIME]),
        ("lam the can cuoc can giay to gi", [Intent.DOCUMENTS]),  # "căn cước" is not "căn cứ"
        ("làm thẻ căn cước cần gì", [Intent.DOCUMENTS]),
        ("bao nhiêu đ?", [Intent.FEE]),
        ("chuyển sang đất phi nông nghiệp cần giấy tờ gì", [Intent.DOCUMENTS]),  # "phi" is not "phí"
        ("hộ nghèo có được ưu tiên không", [Intent.CONDITIONS]),  # "tiên" is not "tiền"
        ("làm lại sổ hộ nghèo có mất tiền không", [Intent.FEE]),
        ("phi lam so đo bao nhieu", [Intent.FEE]),  # typed without accents but for one "đ"
    ],
)
def test_intents_are_read_with_or_without_accents(question: str, intents: list[Intent]) -> None:
    assert detect(question) == intents


def test_follow_ups_are_short_and_refer_back() -> None:
    assert looks_like_follow_up("còn lệ phí thì sao?")
    assert looks_like_follow_up("the mat bao lau")
    assert not looks_like_follow_up("Làm giấy khai sinh cho con ở xã Tân Liên cần những gì?")
    assert looks_like_follow_up("vậy còn hồ sơ?")
    for asked in ("thời hạn giải quyết?", "mất bao lâu thì có giấy?", "bao lâu thì được cấp?"):
        assert looks_like_follow_up(asked), "what every procedure does names none"


@pytest.mark.parametrize(
    "question",
    [
        "còn làm hộ chiếu thì sao?",  # another procedure after "còn"
        "con tôi làm căn cước ở đâu",  # folded, "con" (a child) opens like "còn"
        "thẻ căn cước làm ở đâu?",  # "thẻ" like "thế"
        "vay vốn nhà ở xã hội cần gì",  # "vay" (a loan) like "vậy"
    ],
)
def test_a_short_question_that_names_something_new_is_no_follow_up(question: str) -> None:
    assert not looks_like_follow_up(question)


@pytest.mark.parametrize(
    ("question", "service"),
    [
        ("mở tài khoản ngân hàng cho con cần gì", "tài khoản ngân hàng"),
        ("mua vé xe đi Hà Nội ở đâu", "vé xe"),
        ("mua ve xe di Ha Noi o dau", "ve xe"),
        ("dat phong khach san o Lang Son", "dat phong"),  # words the restorer barely knows still count
        ("dang ky goi cuoc 4G", "goi cuoc"),  # restored as "gọi cuộc": only "về" is another reading
        ("mua ve tau Tết ở đâu", "ve tau"),  # one accented word does not make "ve tau" "về tàu"
        ("xin visa đi Hàn Quốc du lịch cần gì", "visa đi"),  # a foreign state's service
        ("Cho tôi hỏi về xe máy bị mất giấy đăng ký thì làm lại ở đâu?", None),  # "về xe", not "vé xe"
        ("cho toi hoi ve xe may bi mat giay dang ky", None),  # restored as "về xe"
        ("Lãi suất vay vốn mua nhà ở xã hội bao nhiêu?", None),  # a public loan
        ("Thủ tục mua bán nhà đất cần những giấy tờ gì?", None),  # a transfer of land rights
        ("khai báo lưu trú cho khách nước ngoài ở khách sạn", None),  # a hotel's duty, not a booking
    ],
)
def test_a_business_service_is_told_from_the_same_letters_read_otherwise(question: str, service: str | None) -> None:
    assert commercial_phrase(question, "Đăng ký xe") == service


def test_a_business_service_the_procedure_names_itself_is_the_procedures() -> None:
    assert commercial_phrase("mua trả góp nhà ở xã hội", "Cho vay trả góp mua nhà ở xã hội") is None


class _Stub(BaseHTTPRequestHandler):
    """A tiny OpenAI-compatible server: answers /chat/completions with a canned rewrite."""

    rewrite = ""
    seen: ClassVar[list[dict[str, object]]] = []

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        _Stub.seen.append({"path": self.path, "body": body, "auth": self.headers.get("Authorization")})
        reply = {"choices": [{"message": {"role": "assistant", "content": _Stub.rewrite}}]}
        data = json.dumps(reply).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def llm() -> Iterator[str]:
    server = HTTPServer(("127.0.0.1", 0), _Stub)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    server.shutdown()


GROUNDED = "Lệ phí: 8.000 đồng. Thời gian: 5 ngày làm việc. Căn cứ: Thông tư 85/2019/TT-BTC."


def test_a_faithful_rewrite_is_used(llm: str) -> None:
    _Stub.rewrite = "Bạn nộp lệ phí 8000 đồng và nhận kết quả sau 5 ngày làm việc (Thông tư 85/2019/TT-BTC)."
    settings = Settings(llm_base_url=llm, llm_model="qwen", llm_api_key="k")
    assert rephrase(settings, grounded=GROUNDED) == _Stub.rewrite
    request = _Stub.seen[-1]
    body = request["body"]
    assert isinstance(body, dict)
    assert request["path"] == "/v1/chat/completions" and body["model"] == "qwen"
    assert request["auth"] == "Bearer k" and body["messages"][1]["content"] == GROUNDED


def test_a_rewrite_that_changes_a_number_is_refused(llm: str) -> None:
    _Stub.rewrite = "Bạn nộp lệ phí 10.000 đồng, có kết quả sau 5 ngày làm việc."
    assert rephrase(Settings(llm_base_url=llm), grounded=GROUNDED) == GROUNDED


def test_an_unreachable_endpoint_leaves_the_grounded_answer() -> None:
    assert rephrase(Settings(llm_base_url="http://127.0.0.1:9/v1"), grounded=GROUNDED, timeout=1) == GROUNDED
    assert is_faithful("8.000 đồng trong 5 ngày", GROUNDED) and not is_faithful("", GROUNDED)


@pytest.mark.parametrize(
    ("question", "searched"),
    [
        ("lam giay khai sinh can gi", "lam giay khai sinh"),
        ("Đăng ký kết hôn mất bao lâu vậy ạ?", "Đăng ký kết hôn"),
        ("lệ phí cấp đổi giấy phép lái xe là bao nhiêu", "cấp đổi giấy phép lái xe"),
        ("hồ sơ", "hồ sơ"),
        ("người nước ngoài xin thị thực thì nộp ở đâu", "người nước ngoài xin thị thực"),  # "thị" is not "thì"
        ("cô giáo muốn xin nghỉ hưu", "cô giáo xin nghỉ hưu"),
        ("lệ phí chuyển sang đất phi nông nghiệp bao nhiêu", "chuyển sang đất phi nông nghiệp"),  # "phi" is no fee
        ("phi lam so đo co mat bao nhieu", "lam so đo"),  # typed bare but for one "đ": "co", "phi" are asking
        ("làm giấy khai sinh cho con cần giấy tờ gì", "làm giấy khai sinh cho con"),  # not "… tờ"
        ("khai sinh cho con cần hồ sơ gì", "khai sinh cho con cần"),  # not "… cần hồ sơ"
        ("thuê căn hộ sở hữu nhà nước", "thuê căn hộ sở hữu nhà nước"),  # folded, "căn hộ sở" is "cần hồ sơ"
        ("đăng ký kết hôn cần mang theo giấy tờ gì ạ", "đăng ký kết hôn"),  # not "… theo"
        ("xin phép xây nhà nộp hồ sơ ở đâu", "xin phép xây nhà"),  # the frame, not records that say "nộp hồ sơ"
        ("chứng thực bản sao từ bản chính giấy tờ mất bao lâu", "chứng thực bản sao từ bản chính giấy tờ"),
        ("chứng thực bản sao cần giấy tờ gì", "chứng thực bản sao"),  # asked which papers: the question's words
        ("người khuyết tật có được trợ giúp pháp lý không", "người khuyết tật trợ giúp pháp lý"),  # not "trợ pháp lý"
        ("giúp tôi đăng ký khai sinh", "tôi đăng ký khai sinh"),
        ("Đăng ký kết hôn được giải quyết trong bao nhiêu ngày làm việc?", "Đăng ký kết hôn giải quyết"),  # no "nhiêu"
        ("Căn cứ pháp lý của thủ tục đăng ký kết hôn", "của đăng ký kết hôn"),  # no "pháp lý"
        ("Hộ kinh doanh cần đáp ứng điều kiện gì", "Hộ kinh doanh"),
    ],
)
def test_the_search_reads_the_topic_not_the_question_words(question: str, searched: str) -> None:
    assert topic(question) == searched
