"""A short reply to "Bạn cần thủ tục nào?" picks one of the two procedures offered."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from mauson.assistant.choice import beyond, chosen, names_only_a_level
from mauson.db import Database
from mauson.settings import Settings
from tests.assistant.test_ask import _ask

LEVELS = [
    SimpleNamespace(name="Cấp giấy phép xây dựng nhà ở riêng lẻ", levels="Cấp xã"),
    SimpleNamespace(name="Cấp giấy phép xây dựng nhà ở riêng lẻ", levels="Cấp tỉnh"),
]
FAMILY = [
    SimpleNamespace(name="Thủ tục đăng ký khai sinh", levels="Cấp xã"),
    SimpleNamespace(name="Thủ tục đăng ký lại khai sinh", levels="Cấp xã"),
]
LICENCES = [  # what "xin giấy phép lái xe" offers
    SimpleNamespace(name="Cấp giấy phép lái xe", levels="Cấp bộ"),
    SimpleNamespace(name="Đổi giấy phép lái xe", levels="Cấp bộ"),
]
NUMBERED = [  # offered in this order by the search, whose order the citizen does not see in the names
    SimpleNamespace(name="Cấp Phiếu lý lịch tư pháp số 2 cho công dân", levels="Cấp tỉnh"),
    SimpleNamespace(name="Cấp Phiếu lý lịch tư pháp số 1 cho công dân", levels="Cấp tỉnh"),
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
    ("reply", "position"),
    [
        ("cái đầu", 0),
        ("cái đầu tiên", 0),
        ("số 1", 0),
        ("thứ nhất", 0),
        ("loại 2", 1),
        ("loại thứ hai", 1),
        ("mẫu 2", 1),
        ("mẫu số 2", 1),
        ("cai thu 2", 1),
        ("cái sau", 1),
    ],
)
def test_a_reply_picks_by_the_position_said_as_at_the_counter(reply: str, position: int) -> None:
    assert chosen(reply, LICENCES) == position
    assert not beyond(reply, LICENCES)


@pytest.mark.parametrize(("reply", "position"), [("số 1", 1), ("phiếu số hai", 0), ("cái thứ hai", 1)])
def test_a_number_one_name_holds_picks_that_name_unless_said_as_an_ordinal(reply: str, position: int) -> None:
    assert chosen(reply, NUMBERED) == position


@pytest.mark.parametrize("reply", ["cái thứ ba", "loại 3", "cái thứ tư ạ"])
def test_a_position_past_the_two_offered_picks_none_and_is_told_apart(reply: str) -> None:
    assert chosen(reply, LICENCES) is None
    assert beyond(reply, LICENCES)


@pytest.mark.parametrize("reply", ["giấy phép lái xe hạng 2", "loại 10", "cái thứ ba từ trái sang"])
def test_a_number_that_is_no_position_is_neither_a_pick_nor_past_the_options(reply: str) -> None:
    assert chosen(reply, LICENCES) is None
    assert not beyond(reply, LICENCES)


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


def test_after_the_offer_a_reply_by_position_answers_the_procedure_it_names(
    catalogue: None, database: Database, settings: Settings
) -> None:
    asked = _ask(database, settings, "xin giấy phép xây dựng nhà ở riêng lẻ cần giấy tờ gì")
    first, second = asked.offered
    assert _ask(database, settings, "loại 2", asked.conversation_id).procedures == [second]
    assert _ask(database, settings, "cái đầu", asked.conversation_id).procedures == [first]
    past = _ask(database, settings, "cái thứ ba", asked.conversation_id)  # only two were offered
    assert past.answer.startswith("Tôi chỉ đưa ra 2 thủ tục. Bạn cần thủ tục nào?") and past.offered == (first, second)
    assert _ask(database, settings, "cái thứ hai", asked.conversation_id).procedures == [second], "the offer stands"
    assert _ask(database, settings, "cái 2", asked.conversation_id).procedures == [second]
    assert _ask(database, settings, "cái trên", asked.conversation_id).procedures == [first]
    assert _ask(database, settings, "cái cuối", asked.conversation_id).procedures == [second]
    alone = _ask(database, settings, "cái sau")  # no offer to pick from
    assert alone.abstained and alone.procedures == [] and alone.answer.startswith("Bạn muốn hỏi về thủ tục nào")
