"""Phrases are found as whole words, with their accents where the text has accents."""

from __future__ import annotations

from mauson.vntext.phrases import comparable, whole_words


def test_a_text_is_compared_with_its_accents_or_folded_when_it_has_none() -> None:
    assert comparable("Làm Sổ Đỏ") == ("làm sổ đỏ", True)
    assert comparable("lam SO DO") == ("lam so do", False)


def test_phrases_match_whole_words_the_longest_first() -> None:
    pattern = whole_words(["đụ", "đụ má"])
    assert pattern.search("x đụ má y").group() == "đụ má"
    assert pattern.search("đụng xe") is None
