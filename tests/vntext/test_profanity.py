"""Swear words are masked for public pages; ordinary words that look like them are not."""

from __future__ import annotations

import pytest

from mauson.vntext.profanity import mask_profanity


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("Đường hỏng cả tháng, đm cán bộ xã mất dạy!", "Đường hỏng cả tháng, *** cán bộ xã ***!"),
        ("duong hong ca thang dm can bo", "duong hong ca thang *** can bo"),
        ("dm ủy ban, vcl", "*** ủy ban, ***"),
        ("Đụ má tụi nó", "*** tụi nó"),  # the longer term, not "đụ" and then "má"
        ("Đéo ai sửa đèn đường", "*** ai sửa đèn đường"),
        ("dm cán bộ, gõ nhầm x\u0301", "*** cán bộ, gõ nhầm x\u0301"),  # a stray accent elsewhere in the text
    ],
)
def test_swear_words_are_masked_with_or_without_accents(text: str, shown: str) -> None:
    assert mask_profanity(text) == shown


@pytest.mark.parametrize(
    "text",
    [
        "Con chó nhà bên cắn người, phải đeo rọ mõm",  # a dog is a dog
        "deo khau trang khi ra duong",  # "đeo", not "đéo", without accents
        "Bán quả óc chó không rõ nguồn gốc",  # a walnut
        "Đm3 là tên lô đất",  # part of a longer word
        "Dù mẹ tôi đã 80 tuổi vẫn phải đi lại nhiều lần",  # "dù mẹ", not "đù má" without accents
        "Tiền hỗ trợ không đủ mà còn bị chậm",
        "Lò giết mổ súc vật xả nước thải ra suối",  # livestock
        "Giá nước tính theo ĐM của tỉnh",  # định mức
    ],
)
def test_ordinary_words_that_look_like_swear_words_are_left_alone(text: str) -> None:
    assert mask_profanity(text) == text
