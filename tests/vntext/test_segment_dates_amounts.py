"""Sentences, words, dates, money and durations, as official texts and citizens write them."""

from __future__ import annotations

import unicodedata
from datetime import date
from decimal import Decimal

from mauson.vntext.amounts import DurationUnit, find_durations, find_money, to_decimal, written
from mauson.vntext.dates import Precision, find_dates, parse_date, written_dates
from mauson.vntext.segment import clause_spans, sentences, syllables, words


def test_sentences_do_not_break_at_abbreviations_or_numbers() -> None:
    text = "Ông A trú tại TP. Lạng Sơn, nộp 3.500.000 đồng. Thủ tục 1.000178 giải quyết trong 15 ngày! Xong."
    assert sentences(text) == [
        "Ông A trú tại TP. Lạng Sơn, nộp 3.500.000 đồng.",
        "Thủ tục 1.000178 giải quyết trong 15 ngày!",
        "Xong.",
    ]


def test_clauses_end_at_commas_colons_and_brackets_but_not_at_abbreviations() -> None:
    text = "Năm ngoái, đồi sau nhà bị sạt lở (thôn Nà Lầu). Ông A ở TP. Lạng Sơn nộp 1.000.000 đồng: đã xong"
    assert [[text[a:b] for a, b in sentence] for sentence in clause_spans(text)] == [
        ["Năm ngoái", " đồi sau nhà bị sạt lở ", "thôn Nà Lầu"],
        ["Ông A ở TP. Lạng Sơn nộp 1.000.000 đồng", " đã xong"],
    ]
    typed_lower = "tôi là an. sđt 0912345678. hỏi sổ đỏ"
    assert [[typed_lower[a:b] for a, b in sentence] for sentence in clause_spans(typed_lower)] == [
        ["tôi là an.", "sđt 0912345678.", "hỏi sổ đỏ"]
    ], "a stop before a lower-case word ends a clause, not a sentence"
    turned = "Tôi ở xã Hòa Bình nhưng cây đổ ở xã Chi Lăng"
    assert [[turned[a:b] for a, b in sentence] for sentence in clause_spans(turned)] == [
        ["Tôi ở xã Hòa Bình", "nhưng cây đổ ở xã Chi Lăng"]
    ], '"nhưng" turns to another matter'


def test_words_join_the_syllables_of_a_word() -> None:
    assert words("Làm giấy khai sinh cần gì?") == ["Làm", "giấy", "khai_sinh", "cần", "gì"]
    assert syllables("nộp 3.500.000 đồng, mã 1.000178") == ["nộp", "3.500.000", "đồng", "mã", "1.000178"]


def test_dates_in_every_usual_form() -> None:
    text = "Kế hoạch ngày 06 tháng 5 năm 2021; hạn 25/11/2025 hoặc 2025-11-30; từ tháng 5/2021; sinh năm 1985."
    found = [(d.value, d.precision) for d in find_dates(text)]
    assert found == [
        (date(2021, 5, 6), Precision.DAY),
        (date(2025, 11, 25), Precision.DAY),
        (date(2025, 11, 30), Precision.DAY),
        (date(2021, 5, 1), Precision.MONTH),
        (date(1985, 1, 1), Precision.YEAR),
    ]
    assert parse_date("ngay 6 thang 5 nam 2021") == date(2021, 5, 6)


def test_document_numbers_and_impossible_dates_are_not_dates() -> None:
    assert find_dates("Kế hoạch số 105/KH-UBND, Nghị định 13/2023/NĐ-CP") == []
    assert find_dates("ngày 31/02/2021") == []


def test_written_dates_give_each_value_as_written_even_a_day_that_does_not_exist() -> None:
    text = "Ngày sinh: 00/00/1969; sinh năm 1985; DOB 29DEC1999; Ngay sinh: O3/O3/1983"
    assert [(d.text, d.precision) for d in written_dates(text)] == [
        ("00/00/1969", Precision.DAY),
        ("1985", Precision.YEAR),
        ("29DEC1999", Precision.DAY),
        ("O3/O3/1983", Precision.DAY),
    ]
    assert [d.value for d in find_dates(text)] == [date(1985, 1, 1), date(1999, 12, 29), date(1983, 3, 3)]


def test_dates_in_decomposed_unicode_are_found_at_their_own_offsets() -> None:
    text = unicodedata.normalize("NFD", "Lạng Sơn, ngày 06 tháng 5 năm 2021")
    (found,) = find_dates(text)
    assert found.value == date(2021, 5, 6) and text[found.start : found.end] == found.text
    assert unicodedata.normalize("NFC", found.text) == "ngày 06 tháng 5 năm 2021"


def test_money_reads_vietnamese_separators_and_scales() -> None:
    amounts = [m.dong for m in find_money("3.500.000 đồng, 50.000đ, 3,5 triệu đồng, 1 tỷ 200 triệu đồng, 8.000 VNĐ")]
    assert amounts == [3_500_000, 50_000, 3_500_000, 1_200_000_000, 8_000]
    assert to_decimal("1.250,5") == Decimal("1250.5")


def test_numbers_are_written_with_vietnamese_separators_and_read_back() -> None:
    assert written(2_000) == "2.000" and written(1_250.5, 1) == "1.250,5" and written(12) == "12"
    assert to_decimal(written(3_500_000)) == 3_500_000


def test_durations_know_working_days() -> None:
    found = [(d.amount, d.unit) for d in find_durations("trong 15 ngày làm việc; 03 tháng; 5 ngày")]
    assert found == [(15, DurationUnit.WORKING_DAYS), (3, DurationUnit.MONTHS), (5, DurationUnit.DAYS)]
