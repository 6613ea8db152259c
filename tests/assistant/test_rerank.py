"""The second-stage ranking of one procedure family: the words only some members carry decide."""

from __future__ import annotations

from mauson.assistant.rerank import rerank, unsaid_variants
from mauson.search.models import Hit

PERMITS = {  # names as the national catalogue writes them; search scores as a search gave them
    "1.013227": ("Gia hạn giấy phép xây dựng đối với công trình cấp III, cấp IV", 0.633),
    "1.013229": ("Cấp giấy phép xây dựng sửa chữa, cải tạo đối với công trình cấp III, cấp IV", 0.606),
    "1.013228": ("Cấp lại giấy phép xây dựng đối với công trình cấp III, cấp IV", 0.590),
    "1.013225": ("Cấp giấy phép xây dựng mới đối với công trình cấp III, cấp IV", 0.579),
    "1.005134": ("Cấp giấy phép xây dựng công trình thiết yếu, dùng chung với đường sắt", 0.582),
}


def _hits(found: dict[str, tuple[str, float]] = PERMITS, levels: dict[str, str] | None = None) -> list[Hit]:
    return [
        Hit(
            kind="procedure",
            key=code,
            title=name,
            score=score,
            highlight="",
            title_highlight="",
            fields={"level": levels[code]} if levels else {},
            url=None,
            dense_score=None,
        )
        for code, (name, score) in found.items()
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


def test_a_variant_that_acts_on_an_issued_paper_yields_even_to_a_much_closer_search_score() -> None:
    """A shorter record scores higher in the search ("xin phép xây nhà ở riêng lẻ" had "Gia hạn…"
    first by 0.10); a citizen who does not say "gia hạn", "lại" or "điều chỉnh" wants neither."""
    hits = _hits()
    hits[0] = hits[0].model_copy(update={"score": 0.70})
    assert rerank("xin phép xây nhà ở riêng lẻ", hits)[0].key == "1.013225"
    assert rerank("gia hạn giấy phép xây nhà", hits)[0].key == "1.013227"
    assert rerank("cap lai giay phep xay dung", hits)[0].key == "1.013228", '"lai" typed bare says "lại"'


def test_a_title_that_lists_the_first_issue_before_its_variants_is_the_plain_member_too() -> None:
    """ "Cấp, cấp lại Giấy phép khai thác thủy sản" issues the licence the first time too: a question
    that says no "cấp lại" costs it nothing (the ministry's approval for fishing abroad had come first)."""
    fishing = {
        "1.004940": ("Cấp văn bản chấp thuận cho tàu cá khai thác thủy sản ở vùng biển của quốc gia khác", 0.62),
        "1.004359": ("Cấp, cấp lại Giấy phép khai thác thủy sản", 0.60),
    }
    assert rerank("cấp giấy phép khai thác thủy sản cho tàu cá", _hits(fishing))[0].key == "1.004359"
    assert unsaid_variants("đăng ký đóng bảo hiểm xã hội tự nguyện", "Đăng ký, đăng ký lại, điều chỉnh đóng BHXH") == 0
    assert unsaid_variants("cấp bằng bảo hộ giống cây trồng", "Sửa đổi, cấp lại Bằng bảo hộ giống cây trồng") == 1
    insurance_book = "Cấp lại, đổi, điều chỉnh thông tin trên sổ BHXH, thẻ BHYT"
    assert unsaid_variants("mất sổ bảo hiểm xã hội làm lại ở đâu", insurance_book) == 0, "says one of the acts listed"
    assert unsaid_variants("sổ bảo hiểm xã hội", insurance_book) == 2


def test_lai_typed_bare_is_read_as_the_restored_accents_say() -> None:
    """ "giay phep lai xe" is "lái xe" (driving), not "lại" (a re-issue)."""
    licences = {
        "1.002835": ("Cấp lại giấy phép lái xe", 0.80),
        "1.002804": ("Cấp giấy phép lái xe", 0.78),
    }
    assert rerank("giay phep lai xe", _hits(licences))[0].key == "1.002804"
    assert rerank("cap lai giay phep lai xe", _hits(licences))[0].key == "1.002835"
    assert unsaid_variants("giay phep lai xe can gi", "Cấp lại giấy phép lái xe") == 1, "so no «which?» either"


def test_lai_after_buying_or_giving_back_is_no_re_issue() -> None:
    """ "xe máy cũ mua lại" was bought second-hand: "Đăng ký lại phương tiện…" (a boat's) had come
    before the change of a motorbike's owner."""
    vehicles = {
        "2.001711": ("Đăng ký lại phương tiện trong trường hợp phương tiện thay đổi tên, tính năng kỹ thuật", 0.59),
        "1.013076": ("Cấp chứng nhận đăng ký xe, biển số xe khi thay đổi chủ xe (đăng ký sang tên xe)", 0.53),
    }
    assert rerank("sang tên xe máy cũ mua lại", _hits(vehicles))[0].key == "1.013076"
    assert unsaid_variants("đất ông bà để lại muốn cấp sổ", "Cấp lại Giấy chứng nhận") == 1
    assert unsaid_variants("mất sổ đỏ xin cấp lại", "Cấp lại Giấy chứng nhận") == 0


def test_a_removal_or_revocation_is_the_answer_only_when_asked_for() -> None:
    """ "đăng ký tàu cá" had been answered with the removal of a fishing boat's registration; the
    title's "thu hồi" only counts as its act (a dissolution after a revoked certificate is none)."""
    boats = {
        "1.003681": ("Xóa đăng ký tàu cá, tàu phục vụ nuôi trồng thủy sản", 0.967),
        "1.003650": ("Cấp giấy chứng nhận đăng ký tàu cá, tàu phục vụ nuôi trồng thủy sản", 0.932),
    }
    assert rerank("đăng ký tàu cá", _hits(boats))[0].key == "1.003650"
    assert rerank("huy dang ky tau ca", _hits(boats))[0].key == "1.003681", '"hủy" typed bare asks for it'
    assert unsaid_variants("xin giấy phép lái xe", "Thu hồi giấy phép lái xe") == 1
    dissolution = "Giải thể doanh nghiệp, giải thể trong trường hợp bị thu hồi Giấy chứng nhận đăng ký doanh nghiệp"
    assert unsaid_variants("giải thể công ty", dissolution) == 0


def test_an_age_the_question_states_picks_the_identity_card_for_that_age() -> None:
    """Search scores as a search gave them for "làm căn cước cho con" (catalogue names)."""
    hits = _hits(
        {
            "1.014061": ("Cấp thẻ căn cước cho người từ đủ 14 tuổi trở lên", 0.84),
            "1.014062": ("Cấp thẻ căn cước cho người dưới 14 tuổi", 0.83),
        }
    )
    assert rerank("làm căn cước cho con 10 tuổi cần gì", hits)[0].key == "1.014062"
    assert rerank("căn cước cho bé 8 tháng tuổi", hits)[0].key == "1.014062", "months are under one year"
    assert rerank("lam can cuoc cho chau 14 tuoi o dau", hits)[0].key == "1.014061", "từ đủ 14: 14 is in"


def test_a_title_that_leaves_out_what_the_question_asks_about_is_not_its_answer() -> None:
    """A search for building a house, as it came (names as the catalogue writes them)."""
    found = {
        "1.009791": (
            "Cho ý kiến về việc kéo dài thời hạn sử dụng của công trình hết thời hạn sử dụng theo thiết kế "
            "nhưng có nhu cầu sử dụng tiếp (trừ trường hợp nhà ở riêng lẻ)",
            0.551,
        ),
        "1.012903": (
            "Thông báo quyền sử dụng đất đã có hạ tầng kỹ thuật trong dự án bất động sản đủ điều kiện "
            "chuyển nhượng cho cá nhân tự xây dựng nhà ở",
            0.493,
        ),
        "6.003637": ("Thu hồi nhà ở thuộc tài sản công", 0.479),
    }
    asked = "nhà tôi ở Cao Lộc xây nhà 2 tầng xin phép (xây dựng nhà ở riêng lẻ)"
    assert rerank(asked, _hits(found))[0].key != "1.009791", "it excludes the very thing asked about"


IDENTITY_CARDS = {  # one service listed at each level that does it (scores as a search gave them)
    "1.001247": ("Cấp thẻ căn cước cho người từ đủ 14 tuổi trở lên (thực hiện tại cấp trung ương)", 0.855),
    "2.000200": ("Cấp thẻ căn cước cho người từ đủ 14 tuổi trở lên (thực hiện tại cấp tỉnh)", 0.823),
    "1.014061": ("Cấp thẻ căn cước cho người từ đủ 14 tuổi trở lên", 0.790),
    "1.000811": ("Cấp mới thẻ ABTC (thực hiện tại cấp trung ương)", 0.700),
}
LEVELS = {"1.001247": "Cấp bộ", "2.000200": "Cấp tỉnh", "1.014061": "Cấp xã", "1.000811": "Cấp bộ"}


def test_a_service_listed_at_a_local_level_comes_before_the_ministrys_listing_of_it() -> None:
    ranked = [hit.key for hit in rerank("làm căn cước cho con 15 tuổi nộp ở đâu", _hits(IDENTITY_CARDS, LEVELS))]
    assert ranked.index("1.001247") > max(ranked.index("2.000200"), ranked.index("1.014061"))
    asked = rerank("cấp thẻ căn cước tại cấp trung ương", _hits(IDENTITY_CARDS, LEVELS))
    assert asked[0].key == "1.001247", "unless the question names the central level"


def test_a_service_named_with_where_it_is_applied_for_is_applied_for_in_the_province() -> None:
    """ "… ở nước ngoài" is the embassy's listing of the province's "… ở trong nước", "… tại Cục Quản
    lý xuất nhập cảnh" the ministry's of "… tại Công an cấp tỉnh"."""
    nationality = {
        "2.002797": ("Nhập quốc tịch Việt Nam ở nước ngoài", 0.82),
        "2.002039": ("Nhập quốc tịch Việt Nam ở trong nước", 0.76),
    }
    levels = {"2.002797": "Cấp bộ", "2.002039": "Cấp tỉnh"}
    assert rerank("xin quốc tịch việt nam cho vợ người trung quốc", _hits(nationality, levels))[0].key == "2.002039"
    abroad = rerank("tôi đang ở nước ngoài muốn nhập quốc tịch việt nam", _hits(nationality, levels))
    assert abroad[0].key == "2.002797"
    residence_cards = {
        "1.003358": ("Cấp thẻ tạm trú cho người nước ngoài tại Cục Quản lý xuất nhập cảnh, Bộ Công an", 0.84),
        "1.003460": ("Cấp thẻ tạm trú cho người nước ngoài tại Việt Nam tại Công an cấp tỉnh", 0.80),
    }
    levels = {"1.003358": "Cấp bộ", "1.003460": "Cấp tỉnh"}
    assert rerank("người nước ngoài xin thẻ tạm trú", _hits(residence_cards, levels))[0].key == "1.003460", "where"


def test_a_paper_an_agency_applies_for_is_not_a_citizens_own() -> None:
    """ "Cấp Phiếu lý lịch tư pháp theo yêu cầu của cơ quan tiến hành tố tụng" is the courts'."""
    records = {
        "3.000335": ("Cấp Phiếu lý lịch tư pháp theo yêu cầu của cơ quan tiến hành tố tụng", 0.80),
        "3.000333": ("Cấp Phiếu Lý lịch tư pháp cho công dân Việt Nam, người nước ngoài đang cư trú", 0.76),
    }
    assert rerank("cấp phiếu lý lịch tư pháp mất bao lâu", _hits(records))[0].key == "3.000333"
    assert rerank("tòa án yêu cầu cấp lý lịch tư pháp của bị can", _hits(records))[0].key == "3.000335"


def test_a_ministrys_service_no_local_office_does_keeps_its_place() -> None:
    alone = {code: found for code, found in IDENTITY_CARDS.items() if code in ("1.000811", "1.014061")}
    assert rerank("xin cấp thẻ ABTC đi công tác", _hits(alone, LEVELS))[0].key == "1.000811"
