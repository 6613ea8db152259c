"""The ages a question speaks of against the age ranges of the catalogue's identity-card names."""

from __future__ import annotations

import pytest

from mauson.assistant.ages import misses_age

UNDER = "Cấp thẻ căn cước cho người dưới 14 tuổi"
OVER = "Cấp thẻ căn cước cho người từ đủ 14 tuổi trở lên"


@pytest.mark.parametrize(
    ("question", "meant"),
    [
        ("làm căn cước cho con 10 tuổi cần gì", UNDER),
        ("lam can cuoc cho chau 14 tuoi o dau", OVER),  # "từ đủ 14": 14 is in
        ("căn cước cho bé 8 tháng tuổi", UNDER),
        ("con chưa đủ 14 tuổi làm căn cước thế nào", UNDER),  # a range, not the age 14
        ("làm căn cước cho trẻ dưới 14 tuổi", UNDER),
        ("bố tôi 80 tuổi đi làm căn cước được không", OVER),
    ],
)
def test_the_procedure_for_another_age_range_is_missed(question: str, meant: str) -> None:
    other = OVER if meant == UNDER else UNDER
    assert not misses_age(question, meant) and misses_age(question, other)


def test_no_age_or_only_the_askers_own_decides_nothing() -> None:
    for question in ("làm căn cước cho con", "tôi 35 tuổi, làm căn cước cho con", "tôi năm nay 35 tuổi"):
        assert not misses_age(question, UNDER) and not misses_age(question, OVER), question
    assert not misses_age("con 10 tuổi", "Đăng ký khai sinh"), "a name without a range misses nothing"
