"""Answers are written from the record: what the citizen reads first is what matters most."""

from __future__ import annotations

from types import SimpleNamespace

from mauson.assistant import compose
from mauson.assistant.intents import Intent
from mauson.assistant.passages import related_sentences


def _procedure(**fields: object) -> SimpleNamespace:
    empty = {"documents": [], "channels": [], "steps": None, "legal_bases": [], "levels": None}
    return SimpleNamespace(**{**empty, **fields})


def test_papers_to_bring_come_before_conditional_papers_and_notes() -> None:
    documents = [
        {"name": "Cá nhân có quyền lựa chọn nơi đăng ký", "group": "Lưu ý"},
        {"name": "Trường hợp ủy quyền thì có văn bản ủy quyền", "group": None, "quantity_text": "1 bản chính"},
        {"name": "Tờ khai đăng ký khai sinh theo mẫu", "group": None, "quantity_text": "1 bản chính"},
    ]
    lines = compose.document_lines(_procedure(documents=documents))
    assert lines[0].startswith("- Tờ khai đăng ký khai sinh") and lines[1].startswith("- Trường hợp ủy quyền")
    assert lines[-2:] == ["- Lưu ý:", "  + Cá nhân có quyền lựa chọn nơi đăng ký"]


def test_the_sentence_of_the_record_that_answers_the_question_is_quoted() -> None:
    steps = (
        "Bước 1: Nộp hồ sơ tại Cục Hải quan.\n"
        "Bước 2: Hồ sơ phải nộp trước khi xuất khẩu, nhập khẩu lô hàng ít nhất 60 ngày.\n"
        "Bước 3: Nhận kết quả."
    )
    question = "phải nộp hồ sơ trước khi nhập lô hàng ít nhất bao nhiêu ngày"
    quoted = related_sentences(question, _procedure(steps=steps))
    assert quoted[0] == "Bước 2: Hồ sơ phải nộp trước khi xuất khẩu, nhập khẩu lô hàng ít nhất 60 ngày."
    assert "Bước 3: Nhận kết quả." not in quoted
    assert related_sentences("lệ phí bao nhiêu", _procedure(steps=steps)) == []


def test_a_quoted_sentence_that_introduces_a_list_brings_its_items() -> None:
    channel = {
        "channel": "Trực tuyến",
        "description": "- Người dân khai báo tạm vắng qua: + Trực tiếp tại cơ quan đăng ký cư trú; "
        "+ Số điện thoại hoặc hộp thư điện tử do cơ quan đăng ký cư trú thông báo; + Ứng dụng trên thiết bị điện tử.",
    }
    steps = (
        "Bước 2: Cơ quan đăng ký cư trú kiểm tra hồ sơ:\n"
        "- Hồ sơ hợp lệ thì tiếp nhận.\n"
        "- Hồ sơ thiếu thì hướng dẫn bổ sung."
    )

    quoted = related_sentences("khai báo tạm vắng qua điện thoại được không", _procedure(channels=[channel]))
    assert quoted[0].splitlines() == [
        "Người dân khai báo tạm vắng qua:",
        "  + Trực tiếp tại cơ quan đăng ký cư trú",
        "  + Số điện thoại hoặc hộp thư điện tử do cơ quan đăng ký cư trú thông báo",
        "  + Ứng dụng trên thiết bị điện tử.",
    ]
    checked = related_sentences("cơ quan đăng ký cư trú kiểm tra hồ sơ thế nào", _procedure(steps=steps))
    assert checked[0].splitlines()[1:] == ["  + Hồ sơ hợp lệ thì tiếp nhận.", "  + Hồ sơ thiếu thì hướng dẫn bổ sung."]


def test_two_rows_of_one_channel_are_told_apart_by_their_own_notes() -> None:
    channels = [
        {"channel": "Trực tuyến", "time_text": "1 Ngày làm việc", "description": "Hồ sơ đơn giản."},
        {"channel": "Trực tuyến", "time_text": "2 Ngày làm việc", "description": "Trường hợp phức tạp."},
        {"channel": "Trực tiếp", "time_text": "1 Ngày làm việc", "description": "Nộp tại Công an xã."},
    ]
    procedure = _procedure(channels=channels, receiving_place=None, agency="Công an cấp xã")

    assert compose.time_lines(procedure) == [
        "- Trực tuyến (Hồ sơ đơn giản.): 1 Ngày làm việc",
        "- Trực tuyến (Trường hợp phức tạp.): 2 Ngày làm việc",
        "- Trực tiếp: 1 Ngày làm việc",
    ]
    assert compose.channel_lines(procedure)[0] == "- Cách nộp: Trực tuyến, Trực tiếp."


def test_a_fees_terms_kept_in_the_channels_note_are_shown_whole() -> None:
    per_page = (
        "Tại Ủy ban nhân dân cấp xã, Tổ chức hành nghề công chứng: 2.000 đồng/trang; từ trang thứ 3 trở lên "
        "thu 1.000 đồng/trang, tối đa thu không quá 200.000 đồng/bản."
    )
    channels = [
        {"channel": "Trực tiếp", "fee_text": "2,000 Việt Nam Đồng (/trang)", "description": per_page},
        {"channel": "Trực tiếp", "fee_text": "10 USD (/bản)", "description": "Tại cơ quan đại diện: 10 USD/bản."},
    ]
    assert compose.fee_lines(_procedure(channels=channels)) == [
        f"- Trực tiếp: 2,000 Việt Nam Đồng (/trang). {per_page}",
        "- Trực tiếp (Tại cơ quan đại diện: 10 USD/bản.): 10 USD (/bản)",
    ]


def test_a_fee_given_alike_on_every_channel_is_said_once() -> None:
    terms = "+ 50.000 đồng/lần (theo Thông tư số 101/2020/TT-BTC)\n+ 25.000 đồng/lần (cấp lại)"
    fee = "50,000 VNĐ (50.000 đồng/lần (theo Thông tư số 101/2020/TT-BTC); 25.000 đồng/lần (cấp lại))"
    channels = [{"channel": name, "fee_text": fee, "description": terms} for name in ("Trực tuyến", "Trực tiếp")]
    assert compose.fee_lines(_procedure(channels=channels)) == [f"- Trực tuyến, Trực tiếp: {fee}"]
    council = "Mức lệ phí cụ thể do Hội đồng nhân dân tỉnh quyết định. Miễn lệ phí đối với trường hợp đúng hạn."
    plain = [{"channel": name, "fee_text": council} for name in ("Trực tuyến", "Dịch vụ bưu chính", "Trực tiếp")]
    assert compose.fee_lines(_procedure(channels=plain)) == [f"- Trực tuyến, Dịch vụ bưu chính, Trực tiếp: {council}"]


def test_an_everyday_word_of_the_question_finds_the_records_own_word() -> None:
    steps = (
        "Bước 1: Người yêu cầu nộp hồ sơ tại Ủy ban nhân dân cấp xã trong giờ hành chính.\n"
        "Bước 2: Nếu nộp hồ sơ trực tuyến, người yêu cầu truy cập Cổng dịch vụ công hoặc ứng dụng VNeID.\n"
        "Bước 3: Công chức tư pháp kiểm tra giấy tờ và ghi vào sổ.\n"
        "Bước 4: Chủ tịch ký giấy khai sinh.\n"
        "Bước 5: Trả kết quả cho người yêu cầu."
    )
    quoted = related_sentences("làm khai sinh nộp online được không", _procedure(steps=steps))
    assert quoted[0].startswith("Bước 2: Nếu nộp hồ sơ trực tuyến")


def test_conditions_are_listed_line_by_line_without_the_records_own_bullets() -> None:
    procedure = _procedure(
        name="Khai báo tạm vắng",
        code="1.003677",
        levels="Cấp xã",
        url=None,
        receiving_place=None,
        agency=None,
        conditions="- Người chưa thành niên do cha, mẹ khai báo.\n+ Có giấy tờ tùy thân.",
        result=None,
    )
    answer = compose.answer(procedure, [], "")
    assert "Điều kiện:\n- Người chưa thành niên do cha, mẹ khai báo.\n- Có giấy tờ tùy thân." in answer
    assert "Kết quả nhận được:\n- Không có thông tin." in answer


def test_a_record_silent_on_conditions_is_not_said_to_have_none() -> None:
    procedure = _procedure(
        name="Đăng ký mua, thuê mua, thuê nhà ở xã hội",
        code="1.014632",
        levels="Cấp xã",
        url=None,
        receiving_place=None,
        agency=None,
        conditions=None,
        result=None,
    )
    answer = compose.answer(procedure, [Intent.CONDITIONS], "")
    assert "Điều kiện:\n- Hồ sơ thủ tục trên Cổng Dịch vụ công không ghi yêu cầu, điều kiện" in answer
    assert "Không có yêu cầu" not in answer


def test_an_item_already_quoted_in_its_list_is_not_quoted_again() -> None:
    channel = {
        "channel": "Trực tuyến",
        "description": "- Người dân khai báo tạm vắng qua: + Trực tiếp tại cơ quan đăng ký cư trú; "
        "+ Số điện thoại hoặc hộp thư điện tử do cơ quan đăng ký cư trú thông báo; + Ứng dụng VNeID.",
    }
    question = "khai báo tạm vắng qua số điện thoại hoặc hộp thư điện tử"
    quoted = related_sentences(question, _procedure(channels=[channel]))
    assert len(quoted) == 1 and "  + Số điện thoại hoặc hộp thư điện tử" in quoted[0]


def test_a_bare_number_of_days_gets_its_unit_and_zero_copies_are_not_listed() -> None:
    record = _procedure(
        channels=[
            {"channel": "Trực tuyến", "time_text": "1"},
            {"channel": "Trực tiếp", "time_text": "3 Ngày làm việc"},
        ],
        documents=[
            {"name": "Tờ khai", "quantity_text": "1 bản chính, 0 bản sao"},
            {"name": "Giấy tờ tùy thân", "quantity_text": "0 bản chính, 1 bản sao"},
            {"name": "Số lượng hồ sơ: 01 bộ.", "quantity_text": "0 bản chính"},
        ],
    )
    assert compose.time_lines(record) == ["- Trực tuyến: 1 ngày", "- Trực tiếp: 3 Ngày làm việc"]
    untimed = _procedure(channels=[{"channel": "Trực tiếp", "time_text": ""}])
    assert compose.time_lines(untimed) == ["- Không có thông tin."], "not an empty heading"
    assert compose.document_lines(record) == [
        "- Tờ khai (1 bản chính)",
        "- Giấy tờ tùy thân (1 bản sao)",
        "- Số lượng hồ sơ: 01 bộ.",
    ]


def test_a_record_naming_no_agency_says_where_to_file_by_its_level_as_offices_are_since_2025() -> None:
    # the birth registration (1.001193) names no agency; its steps say "Trung tâm Phục vụ hành chính công"
    commune = _procedure(receiving_place=None, agency=None, levels="Cấp xã")
    assert compose.channel_lines(commune)[-2:] == [
        "- Cấp thực hiện: Cấp xã (nộp tại Trung tâm Phục vụ hành chính công xã, phường).",
        "- Trung tâm Phục vụ hành chính công là Bộ phận Một cửa theo Nghị định 118/2025/NĐ-CP.",
    ]
    both = _procedure(receiving_place=None, agency=None, levels="Cấp tỉnh, Cấp xã")
    assert (
        "- Cấp thực hiện: Cấp tỉnh (nộp tại Trung tâm Phục vụ hành chính công tỉnh), "
        "Cấp xã (nộp tại Trung tâm Phục vụ hành chính công xã, phường)."
    ) in compose.channel_lines(both)
    assert not any("Bộ phận Một cửa của UBND" in line or "61/2018" in line for line in compose.channel_lines(commune))


def test_the_levels_are_shown_beside_the_agencies_the_record_names() -> None:
    # copies certified from originals (2.000815): the notaries are named, the commune is only a level
    certification = _procedure(
        receiving_place=None,
        agency="Tổ chức hành nghề công chứng, Cơ quan đại diện có thẩm quyền",
        levels="Cấp xã, Cơ quan khác",
    )
    lines = compose.channel_lines(certification)
    assert "- Nơi tiếp nhận: Tổ chức hành nghề công chứng, Cơ quan đại diện có thẩm quyền." in lines
    assert lines[-1] == "- Cấp thực hiện: Cấp xã, Cơ quan khác."  # the agency is the record's: no office added


def test_numbered_papers_of_a_case_are_read_in_their_numbers_order_and_notes_come_last() -> None:
    lost = "a) Đối với trường hợp cấp lại Giấy chứng nhận bị mất"
    documents = [
        {"name": "(2) Mảnh trích đo bản đồ địa chính thửa đất", "group": lost, "quantity_text": "1 bản sao"},
        {"name": "(1) Đơn đăng ký biến động đất đai theo Mẫu số 18", "group": lost},
        {"name": "Bản gốc Giấy chứng nhận đã cấp", "group": "b) Đối với trường hợp mất Trang bổ sung"},
        {"name": "Lưu ý: - Không yêu cầu nộp bản sao", "group": None},
    ]
    assert compose.document_lines(_procedure(name="Cấp lại Giấy chứng nhận do bị mất", documents=documents)) == [
        f"- {lost}:",
        "  + (1) Đơn đăng ký biến động đất đai theo Mẫu số 18",
        "  + (2) Mảnh trích đo bản đồ địa chính thửa đất (1 bản sao)",
        "- b) Đối với trường hợp mất Trang bổ sung:",
        "  + Bản gốc Giấy chứng nhận đã cấp",
        "- Lưu ý:",
        "  + Không yêu cầu nộp bản sao",
    ]


def test_a_short_note_on_the_file_is_quoted_when_it_answers_the_question() -> None:
    """Notes are not papers: an answer only counts those that do not fit, so the one that answers is quoted."""
    note = {"name": "Không yêu cầu xuất trình sổ hộ khẩu giấy khi đăng ký thường trú.", "group": "Lưu ý"}
    record = _procedure(documents=[{"name": "Tờ khai CT01", "group": None}, note])
    assert related_sentences("đăng ký thường trú có phải xuất trình sổ hộ khẩu giấy không", record) == [note["name"]]


def test_a_paragraph_long_paper_name_is_cut_in_an_answer() -> None:
    long = "Thông tin chứng minh đủ diện tích nhà ở " + "được khai thác trong cơ sở dữ liệu quốc gia " * 15
    (line,) = compose.document_lines(
        _procedure(documents=[{"name": long, "group": None, "quantity_text": "1 bản chính"}])
    )
    assert line.startswith("- Thông tin chứng minh đủ diện tích nhà ở") and line.endswith(" … (1 bản chính)")
    assert len(line) < compose.DOCUMENT_CHARS + 40 < len(long)


def test_thanks_and_goodbyes_get_a_reply_that_fits_them() -> None:
    assert compose.small_talk("Cảm ơn bạn nhiều!").startswith("Không có gì ạ!")
    assert compose.small_talk("cam on nhe").startswith("Không có gì ạ!")
    assert compose.small_talk("tạm biệt").startswith("Tạm biệt bạn!")
    assert "Xin chào" not in compose.small_talk("ok cảm ơn, tạm biệt")
    assert compose.small_talk("xin chào").startswith("Xin chào! Tôi là trợ lý")
