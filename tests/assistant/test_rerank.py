"""The second-stage ranking of one procedure family: the words only some members carry decide."""

from __future__ import annotations

from mauson.assistant.rerank import rerank
from mauson.search.models import Hit

PERMITS = {  # names as the national catalogue writes them; search scores as a search gave them
    "1.013227": ("Gia hạn giấy phép xây dựng đối với công trình cấp III, cấp IV", 0.633),
    "1.013229": ("Cấp giấy phép xây dựng sửa chữa, cải tạo đối với công trình cấp III, cấp IV", 0.606),
    "1.013228": ("Cấp lại giấy phép xây dựng đối với công trình cấp III, cấp IV", 0.590),
    "1.013225": ("Cấp giấy phép xây dựng mới đối với công trình cấp III, cấp IV", 0.579),
    "1.005134": ("Cấp giấy phép xây dựng công trình thiết yếu, dùng chung với đường sắt", 0.582),
}


def _hits() -> list[Hit]:
    return [
        Hit(
            kind="procedure",
            key=code,
            title=name,
            score=score,
            highlight="",
            title_highlight="",
            fields={},
            url=None,
            dense_score=None,
        )
        for code, (name, score) in PERMITS.items()
    ]


def _first(question: str) -> str:
    return rerank(question, _hits())[0].key


def test_a_question_that_names_no_variant_gets_the_plain_member_of_the_family() -> None:
    assert _first("xin giấy phép xây dựng nhà ở cần giấy tờ gì") == "1.013225"
    assert _first("xin giay phep xay dung nha o can giay to gi") == "1.013225", "without accents too"


def test_the_variant_the_question_names_comes_first() -> None:
    assert _first("gia hạn giấy phép xây dựng cần giấy tờ gì") == "1.013227"
    assert _first("cấp lại giấy phép xây dựng bị mất") == "1.013228"
    assert _first("giấy phép sửa chữa, cải tạo nhà") == "1.013229"
