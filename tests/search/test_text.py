"""Lexical terms and highlights: folding that treats đ as d, snippets that stay escaped."""

from __future__ import annotations

from mauson.search.text import highlight, query_terms, syllables, term_text, terms


def test_syllables_are_folded_with_d_for_d_with_stroke() -> None:
    assert syllables("Đăng ký khai-sinh (2025), Đồng Đăng") == ["dang", "ky", "khai", "sinh", "2025", "dong", "dang"]
    assert syllables("hoà") == syllables("hòa") == syllables("HOÀ") == ["hoa"]


def test_terms_add_the_pairs_of_neighbouring_syllables_that_only_spaces_separate() -> None:
    assert terms("Giấy khai sinh, hộ chiếu") == [
        "giay",
        "khai",
        "sinh",
        "ho",
        "chieu",
        "giay_khai",
        "khai_sinh",
        "ho_chieu",
    ]
    assert term_text(["Lạng Sơn", "Cấp xã"]) == "lang son lang_son cap xa cap_xa"


def test_query_terms_are_distinct_in_order_and_capped() -> None:
    assert query_terms("khai sinh khai sinh cho con", 3) == [
        "khai",
        "sinh",
        "cho",
        "khai_sinh",
        "sinh_khai",
        "sinh_cho",
    ]
    assert query_terms("🙂 ??? …", 10) == []


def test_a_highlight_marks_accented_words_for_an_accentless_query() -> None:
    marked = highlight("Đăng ký khai sinh tại UBND xã", frozenset({"dang", "sinh"}), width=None)
    assert marked == "<mark>Đăng</mark> ký khai <mark>sinh</mark> tại UBND xã"


def test_a_highlight_escapes_the_document_text() -> None:
    marked = highlight('Mẫu <b>số 1</b> & "tờ khai"', frozenset({"khai"}), width=None)
    assert marked == "Mẫu &lt;b&gt;số 1&lt;/b&gt; &amp; &quot;tờ <mark>khai</mark>&quot;"


def test_a_snippet_is_cut_around_the_matches_at_word_boundaries() -> None:
    text = "mở đầu " * 60 + "nộp lệ phí hộ tịch tại xã " + "kết thúc " * 60
    snippet = highlight(text, frozenset({"le", "phi", "ho", "tich"}))
    assert snippet.startswith("…") and snippet.endswith("…")
    assert "<mark>lệ</mark> <mark>phí</mark> <mark>hộ</mark> <mark>tịch</mark>" in snippet
    assert len(snippet) < 400 and " mở" not in snippet[:3]


def test_a_snippet_without_matches_shows_the_start() -> None:
    assert highlight("Hồ sơ gồm tờ khai " + "x " * 200, frozenset({"zzz"})).startswith("Hồ sơ gồm tờ khai")
