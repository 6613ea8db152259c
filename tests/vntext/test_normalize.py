"""Normalisation: the different ways Vietnamese is typed end up as one form."""

from __future__ import annotations

import unicodedata

import pytest

from mauson.vntext.normalize import Composed, fold, fold_aligned, has_diacritics, normalize, place_tone


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [
        ("hoà", "hòa"),
        ("Hoà Bình", "Hòa Bình"),
        ("thuỷ", "thủy"),
        ("khoẻ", "khỏe"),
        ("hoạ", "họa"),
        ("quý", "quý"),
        ("giá", "giá"),
        ("mùa", "mùa"),
        ("mưa", "mưa"),
        ("người", "người"),
        ("tuyển", "tuyển"),
        ("hoàng", "hoàng"),
        ("khuỷu", "khuỷu"),
        ("Lạng Sơn", "Lạng Sơn"),
        ("Đồng Đăng", "Đồng Đăng"),
        ("oà", "òa"),
    ],
)
def test_tone_marks_are_placed_as_official_documents_place_them(typed: str, canonical: str) -> None:
    assert normalize(typed) == canonical


def test_decomposed_input_becomes_nfc() -> None:
    decomposed = unicodedata.normalize("NFD", "Ủy ban nhân dân tỉnh Lạng Sơn")
    assert normalize(decomposed) == "Ủy ban nhân dân tỉnh Lạng Sơn"
    assert unicodedata.is_normalized("NFC", normalize(decomposed))


def test_whitespace_and_punctuation_are_tidied() -> None:
    assert normalize("  Số:\u00a0105 /KH-UBND  ,  ngày   06/5/2021 .\r\n\r\n\r\nKẾ HOẠCH ") == (
        "Số: 105 /KH-UBND, ngày 06/5/2021.\n\nKẾ HOẠCH"
    )


def test_control_characters_are_no_part_of_a_question() -> None:
    assert normalize("\x00khai sinh\x07 cho con\x7f") == "khai sinh cho con"


def test_invisible_characters_copied_with_a_question_do_not_split_its_words() -> None:
    assert normalize("kh\u00adai si\u200cnh cần g\u00adì\ufeff") == "khai sinh cần gì"
    assert normalize("đăng\u2060 ký\u200c kết\u200d hôn") == "đăng ký kết hôn"
    assert normalize("làm\u200bgiấy\u200bkhai\u200bsinh") == "làm giấy khai sinh", "a zero-width space breaks words"


def test_folding_removes_every_diacritic_including_d_bar() -> None:
    assert fold("Đồng Đăng, Lạng Sơn") == "dong dang, lang son"
    assert fold("Thủ tục ĐĂNG KÝ khai sinh") == "thu tuc dang ky khai sinh"
    assert fold("hoà") == fold("hòa") == "hoa"


def test_has_diacritics_tells_accentless_text_apart() -> None:
    assert has_diacritics("làm giấy khai sinh")
    assert not has_diacritics("lam giay khai sinh can gi")
    assert has_diacritics("dang ky đất")


def test_words_without_a_vowel_are_left_alone() -> None:
    assert place_tone("TP") == "TP" and place_tone("xyz") == "xyz"


def test_aligned_folding_keeps_every_offset() -> None:
    text = "Đồng Đăng, LẠNG SƠN"
    folded = fold_aligned(text)
    assert folded == fold(text) == "dong dang, lang son" and len(folded) == len(text)
    start = folded.index("lang son")
    assert text[start:] == "LẠNG SƠN"


def test_composed_text_points_back_into_the_decomposed_text_it_came_from() -> None:
    given = unicodedata.normalize("NFD", "Nhà ở xã Tân Liên")
    composed = Composed.of(given)
    assert composed.text == "Nhà ở xã Tân Liên"
    start, end = composed.span(composed.text.index("Tân Liên"), len(composed.text))
    assert given[start:end] == unicodedata.normalize("NFD", "Tân Liên")
    assert Composed.of("Tân Liên").span(0, 3) == (0, 3)  # NFC text is its own map
