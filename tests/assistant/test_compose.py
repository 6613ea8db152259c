"""Answers are written from the record: what the citizen reads first is what matters most."""

from __future__ import annotations

from types import SimpleNamespace

from mauson.assistant import compose
from mauson.assistant.passages import related_sentences


def _procedure(**fields: object) -> SimpleNamespace:
    empty = {"documents": [], "channels": [], "steps": None, "legal_bases": []}
    return SimpleNamespace(**{**empty, **fields})


def test_papers_to_bring_come_before_conditional_papers_and_notes() -> None:
    documents = [
        {"name": "Cá nhân có quyền lựa chọn nơi đăng ký", "group": "Lưu ý"},
        {"name": "Trường hợp ủy quyền thì có văn bản ủy quyền", "group": None, "quantity_text": "1 bản chính"},
        {"name": "Tờ khai đăng ký khai sinh theo mẫu", "group": None, "quantity_text": "1 bản chính"},
    ]
    lines = compose.document_lines(_procedure(documents=documents))
    assert lines[0].startswith("- Tờ khai đăng ký khai sinh") and lines[-1].startswith("- Cá nhân có quyền")


def test_the_sentence_of_the_record_that_answers_the_question_is_quoted() -> None:
    steps = (
        "Bước 1: Nộp hồ sơ tại Cục Hải quan.\n"
        "Bước 2: Hồ sơ phải nộp trước khi xuất khẩu, nhập khẩu lô hàng ít nhất 60 ngày.\n"
        "Bước 3: Nhận kết quả."
    )
    question = "phải nộp hồ sơ trước khi nhập lô hàng ít nhất bao nhiêu ngày"
    quoted = related_sentences(question, _procedure(steps=steps))
    assert quoted[0] == "Bước 2: Hồ sơ phải nộp trước khi xuất khẩu, nhập khẩu lô hàng ít nhất 60 ngày."
    assert "Bước 3: Nhận kết quả." not in quoted
    assert related_sentences("lệ phí bao nhiêu", _procedure(steps=steps)) == []
