"""A short reply to "Bạn cần thủ tục nào?" picks one of the two procedures offered."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from mauson.assistant.choice import chosen, names_only_a_level

LEVELS = [
    SimpleNamespace(name="Cấp giấy phép xây dựng nhà ở riêng lẻ", levels="Cấp xã"),
    SimpleNamespace(name="Cấp giấy phép xây dựng nhà ở riêng lẻ", levels="Cấp tỉnh"),
]
FAMILY = [
    SimpleNamespace(name="Thủ tục đăng ký khai sinh", levels="Cấp xã"),
    SimpleNamespace(name="Thủ tục đăng ký lại khai sinh", levels="Cấp xã"),
]


@pytest.mark.parametrize(
    ("reply", "options", "position"),
    [
        ("cấp tỉnh", LEVELS, 1),
        ("ở xã ạ", LEVELS, 0),
        ("cap tinh", LEVELS, 1),
        ("cái thứ hai", FAMILY, 1),
        ("thủ tục đầu tiên", LEVELS, 0),
        ("đăng ký lại", FAMILY, 1),
    ],
)
def test_a_reply_picks_by_level_position_or_the_words_only_one_name_has(
    reply: str, options: list[SimpleNamespace], position: int
) -> None:
    assert chosen(reply, options) == position


@pytest.mark.parametrize(
    ("reply", "options"),
    [
        ("cấp xã", FAMILY),  # both are done at the commune
        ("đăng ký khai sinh", FAMILY),  # words both names have
        ("kết hôn lại thì sao", FAMILY),  # a new question
        ("xin giấy phép xây dựng nhà ở riêng lẻ ở tỉnh cần những gì vậy", LEVELS),  # too long for a reply
    ],
)
def test_a_reply_that_does_not_pick_clearly_picks_nothing(reply: str, options: list[SimpleNamespace]) -> None:
    assert chosen(reply, options) is None


@pytest.mark.parametrize(("reply", "level_only"), [("cấp tỉnh", True), ("ở xã ạ", True), ("cấp hộ chiếu", False)])
def test_a_reply_naming_only_a_level_is_about_the_procedure_just_discussed(reply: str, level_only: bool) -> None:
    assert names_only_a_level(reply) is level_only
