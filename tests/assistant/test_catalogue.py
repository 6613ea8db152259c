"""Reading the portal's run-together tables: channels, documents, legal bases, results, lines.

The cells below are shaped like the real catalogue's (../shared/data/procedures/tthc.jsonl), each
variant the parser has to tell apart; the tests need no file outside the repository.
"""

from __future__ import annotations

import json
import unicodedata
from typing import Any

import pytest

from mauson.assistant.catalogue import (
    CatalogueError,
    find_identifiers,
    iter_catalogue,
    parse_channels,
    parse_documents,
    parse_legal_bases,
    parse_record,
    parse_result,
    split_template,
)
from mauson.assistant.models import ProcedureData
from mauson.errors import Invalid
from tests.assistant import line, record

HEADER = "Hình thức nộpThời gianPhí, lệ phíMô tả"
TABLE = "Tên giấy tờMẫu đơn, tờ khaiSố lượng"
LAWS = "Tên văn bản pháp lýMã văn bản"


def test_a_record_is_read_into_structure_in_nfc() -> None:
    data = parse_record(record())
    assert data.code == "1.001193"
    assert data.name == "Thủ tục đăng ký khai sinh" == unicodedata.normalize("NFC", data.name)
    assert (data.levels, data.field, data.agency) == ("Cấp xã", "Hộ tịch", "Ủy ban nhân dân cấp xã")
    assert data.conditions is None and data.receiving_place is None  # "Không có thông tin", ""
    assert data.result == "Giấy khai sinh"
    assert data.decision == "163/QĐ-BTP" and data.url and data.url.endswith("1.001193")
    assert [c.channel for c in data.channels] == ["Trực tiếp", "Trực tuyến"]
    assert [d.name for d in data.documents][:2] == [
        "Tờ khai đăng ký khai sinh theo mẫu (Mẫu TP/HT-2020-TKKS)",
        "Giấy chứng sinh",
    ]
    assert [b.identifier for b in data.legal_bases] == ["60/2014/QH13", "123/2015/NĐ-CP", "64/2025/TT-BTC"]


def test_the_agency_falls_back_to_the_competent_authority() -> None:
    data = parse_record(record(co_quan_thuc_hien="Không có thông tin", co_quan_co_tham_quyen="Sở Tư pháp"))
    assert data.agency == "Sở Tư pháp"


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"ma_thu_tuc": ""}, "thiếu mã thủ tục"),
        ({"ten_thu_tuc": "Không có thông tin"}, "tên thủ tục"),
        ({"ma_thu_tuc": 1.000178}, "thiếu mã thủ tục"),
        ({"ma_thu_tuc": "1." + "0" * 40}, "dài quá 32 ký tự"),
    ],
)
def test_a_record_without_code_or_name_is_refused(fields: dict[str, Any], reason: str) -> None:
    with pytest.raises(Invalid, match=reason):
        parse_record(record(**fields))


# --- channels -----------------------------------------------------------------------------------


def test_the_brief_s_example_channel() -> None:
    [channel] = parse_channels(HEADER + "Trực tiếp7 NgàyKhông có thông tinNộp trực tiếp tại trụ sở Công an cấp xã")
    assert channel.channel == "Trực tiếp"
    assert (channel.time_text, channel.working_days, channel.days_kind) == ("7 Ngày", 7, "calendar")
    assert (channel.fee_text, channel.fee_dong) == (None, None)
    assert channel.description == "Nộp trực tiếp tại trụ sở Công an cấp xã"


@pytest.mark.parametrize(
    ("row", "time_text", "days", "kind", "fee_dong"),
    [
        ("Trực tuyến15 Ngày làm việcMiễn phí", "15 Ngày làm việc", 15, "working", 0),
        ("Trực tuyến1.5 Ngày làm việcMiễn phí", "1.5 Ngày làm việc", 1.5, "working", 0),
        ("Dịch vụ bưu chính2 GiờMiễn phí", "2 Giờ", 0.25, "working", 0),
        ("Trực tiếp6 Tháng100 USD(100 USD/thẻ.)", "6 Tháng", 180, "calendar", None),
        ("Trực tuyến1Miễn phí(Không quy định.)", "1", 1, None, 0),
        ("Trực tiếpKhông có thông tinKhông có thông tin", None, None, None, None),
        ("Trực tiếp30 Ngày10,000,000 Việt Nam Đồng(10 triệu đồng/ Giấy chứng nhận)", "30 Ngày", 30, "calendar", 10**7),
        ("Trực tiếp7 NgàyLệ phí : 8.000 Đồng Phí : 2.000 Đồng", "7 Ngày", 7, "calendar", 10_000),
        # A unit-less time glued to an amount: time 1, fee 100,000 (the note confirms it).
        ("Trực tuyến1100,000 VNĐ(Phí công bố: 100.000 đồng/lần)", "1", 1, None, 100_000),
        # "20 VNĐ" is the portal's thousands; only the note's "20.000 đồng" makes it a known fee.
        ("Trực tuyến120 VNĐ(20.000 vnđ /tờ khai)", "1", 1, None, 20_000),
        ("Trực tuyến1200 VNĐ", "1", 1, None, None),
        (
            "Trực tiếp3 Ngày làm việcMiễn phí(Mức lệ phí cụ thể do Hội đồng nhân dân tỉnh quyết định)",
            "3 Ngày làm việc",
            3,
            "working",
            None,
        ),
        (
            "Trực tuyếnKhông phải trả kết quả cho người nộp thuếMiễn phí",
            "Không phải trả kết quả cho người nộp thuế",
            None,
            None,
            0,
        ),
        ("Trực tuyếnKhông quy địnhMiễn phíQua Cổng dịch vụ công quốc gia", "Không quy định", None, None, 0),
    ],
)
def test_time_and_fee_variants(
    row: str, time_text: str | None, days: float | None, kind: str | None, fee_dong: int | None
) -> None:
    [channel] = parse_channels(HEADER + row)
    assert (channel.time_text, channel.working_days, channel.days_kind, channel.fee_dong) == (
        time_text,
        days,
        kind,
        fee_dong,
    )


def test_a_free_cell_whose_note_sets_a_fee_leads_with_the_note() -> None:
    council = "Mức lệ phí cụ thể do Hội đồng nhân dân tỉnh quyết định."
    cell = (
        HEADER
        + f"Trực tiếp5 Ngày làm việcMiễn phí({council})"
        + "Dịch vụ bưu chính5 Ngày làm việcMiễn phí((Miễn lệ phí))"
    )
    desk, post = parse_channels(cell)
    assert desk.fee_dong is None and desk.fee_text.startswith(council), "not «Miễn phí» first"  # type: ignore[union-attr]
    assert post.fee_dong == 0 and post.fee_text == "Miễn phí (Miễn lệ phí)", "one pair of brackets"
    (priced,) = parse_channels(HEADER + "Trực tiếp5 Ngày làm việcMiễn phí(Lệ phí: 135.000 đồng/lần)")
    assert priced.fee_dong == 135_000 and priced.fee_text == "Lệ phí: 135.000 đồng/lần (ô lệ phí ghi «Miễn phí»)"


def test_a_cell_in_the_portals_thousands_shows_the_fee_its_note_gives() -> None:
    """Seen in the border pass of 1.003133: «40 Việt Nam Đồng (4.000 đ/giấy thông hành …)»."""
    note = "4.000 đ/giấy thông hành (áp dụng đến hết ngày 31/12/2026 theo Thông tư số 64/2025/TT-BTC)"
    (desk,) = parse_channels(HEADER + f"Trực tiếp1 Ngày làm việc40 Việt Nam Đồng({note}.)")
    assert (desk.fee_dong, desk.fee_text) == (4_000, f"{note}.")
    (bare,) = parse_channels(HEADER + "Trực tiếp1 Ngày làm việc40 Việt Nam Đồng")
    assert (bare.fee_dong, bare.fee_text) == (None, "40 Việt Nam Đồng"), "nothing confirms the thousands"


def test_each_channel_gets_its_own_fee_note_and_description() -> None:
    cell = (
        HEADER
        + "Trực tuyến5 Ngày làm việc200,000 Việt Nam Đồng(200.000 đồng/ hộ chiếu (Thông tư số 25/2021/TT-BTC).)"
        + "nộp hồ sơ trực tuyến qua Cổng dịch vụ công quốc gia."
        + "Dịch vụ bưu chính5 Ngày làm việc200,000 Việt Nam Đồng"
        + "Trực tiếp5 Ngày làm việcKhông có thông tin(1) Trường hợp nộp trực tiếp tại Công an tỉnh: mang theo căn cước."
    )
    online, post, desk = parse_channels(cell)
    assert online.fee_text == "200,000 Việt Nam Đồng (200.000 đồng/ hộ chiếu (Thông tư số 25/2021/TT-BTC).)"
    assert online.fee_dong == 200_000
    assert online.description == "nộp hồ sơ trực tuyến qua Cổng dịch vụ công quốc gia."
    assert (post.channel, post.description) == ("Dịch vụ bưu chính", None)
    # "(1)" opens the description's list, it is not a fee note; "nộp trực tiếp tại" starts no row.
    assert desk.fee_text is None
    assert desk.description == "(1) Trường hợp nộp trực tiếp tại Công an tỉnh: mang theo căn cước."


def test_a_cell_without_any_channel_gives_nothing() -> None:
    assert parse_channels(None) == []
    assert parse_channels(HEADER) == []
    assert parse_channels("Không có thông tin") == []


# --- documents ------------------------------------------------------------------------------------


def test_documents_with_groups_templates_and_quantities() -> None:
    documents = parse_documents(record()["thanh_phan_ho_so"])
    assert [(d.name, d.template, d.quantity_text, d.group) for d in documents] == [
        (
            "Tờ khai đăng ký khai sinh theo mẫu (Mẫu TP/HT-2020-TKKS)",
            "Mau TKKS.docx",
            "1 bản chính",
            "Giấy tờ phải nộp",
        ),
        ("Giấy chứng sinh", None, "1 bản chính", "Giấy tờ phải nộp"),
        ("Hộ chiếu hoặc thẻ căn cước còn giá trị sử dụng", None, "1 bản chính, 1 bản sao", "Giấy tờ phải xuất trình"),
    ]


def test_a_document_whose_name_opens_with_its_copies_keeps_its_first_words() -> None:
    """Seen in the border pass of 1.003133 (8 records): the name had lost «01 bản sao»."""
    cell = "--" + TABLE + "01 bản sao có chứng thực giấy tờ chứng minh người đại diện theo pháp luật1 bản sao"
    [document] = parse_documents(cell)
    assert document.name == "01 bản sao có chứng thực giấy tờ chứng minh người đại diện theo pháp luật"
    assert document.quantity_text == "1 bản sao"


def test_the_brief_s_example_documents() -> None:
    cell = (
        "--" + TABLE + "Phiếu khai báo tạm trú cho người nước ngoài (mẫu NA17)"
        "101-Mau A17 tam tru cho nguoi nuoc ngoai.doc1 bản chính"
    )
    [document] = parse_documents(cell)
    assert document.name == "Phiếu khai báo tạm trú cho người nước ngoài (mẫu NA17)"
    assert document.template == "101-Mau A17 tam tru cho nguoi nuoc ngoai.doc"
    assert (document.quantity_text, document.group) == ("1 bản chính", None)


def test_quantity_glued_to_a_number_and_quantities_inside_a_name() -> None:
    cell = (
        "--" + TABLE + "- Đơn đăng ký biến động đất đai theo Mẫu số 181 bản chính,1 bản sao"
        "+ Hợp đồng bảo đảm (01 bản chính hoặc 01 bản sao có chứng thực)0 bản chính,1 bản sao"
        "Văn bản ủy quyền (nếu có)"
    )
    documents = parse_documents(cell)
    assert [(d.name, d.quantity_text) for d in documents] == [
        ("Đơn đăng ký biến động đất đai theo Mẫu số 18", "1 bản chính, 1 bản sao"),
        ("Hợp đồng bảo đảm (01 bản chính hoặc 01 bản sao có chứng thực)", "0 bản chính, 1 bản sao"),
        ("Văn bản ủy quyền (nếu có)", None),
    ]


@pytest.mark.parametrize(
    ("cell", "name", "template"),
    [
        (
            "Đơn đề nghị theo Mẫu số 01 tại Phụ lục ban hành kèm theo Nghị định số 105/2021/NĐ-CP;Mẫu số 01.docx",
            "Đơn đề nghị theo Mẫu số 01 tại Phụ lục ban hành kèm theo Nghị định số 105/2021/NĐ-CP;",
            "Mẫu số 01.docx",
        ),
        ("Tờ khai thuế (Mẫu số 01/TKN-CNKD)01 TKN-CNKD.docx", "Tờ khai thuế (Mẫu số 01/TKN-CNKD)", "01 TKN-CNKD.docx"),
        (
            "Bản khai chung theo mẫuMauBankhaichung.docxMauDanhsachthuyenvien (2).docx",
            "Bản khai chung theo mẫu",
            "MauBankhaichung.docx; MauDanhsachthuyenvien (2).docx",
        ),
        (
            "Báo cáo thành tích. Số lượng hồ sơ: 01 bộ.Mẫu 1.4. BCTT Cá nhân.docxMẫu số 1.1 To trinh.docx",
            "Báo cáo thành tích. Số lượng hồ sơ: 01 bộ.",
            "Mẫu 1.4. BCTT Cá nhân.docx; Mẫu số 1.1 To trinh.docx",
        ),
        (
            "Đơn gia hạn theo Mẫu số 05.QLT Phụ lục IA Nghị định số 32/2026/NĐ-CP;Mẫu số 05.QLT (gia hạn).docx",
            "Đơn gia hạn theo Mẫu số 05.QLT Phụ lục IA Nghị định số 32/2026/NĐ-CP;",
            "Mẫu số 05.QLT (gia hạn).docx",
        ),
        (
            "Đơn đề nghị theo Mẫu 13 tại Phụ lục I Nghị định số 23/2026/NĐ-CPMau13.docx",
            "Đơn đề nghị theo Mẫu 13 tại Phụ lục I Nghị định số 23/2026/NĐ-CP",
            "Mau13.docx",
        ),
        (
            "Giấy phép kinh doanh vận chuyển hàng không chung1.000423.docx",
            "Giấy phép kinh doanh vận chuyển hàng không chung",
            "1.000423.docx",
        ),
        ("Đơn xin nhận con nuôi", "Đơn xin nhận con nuôi", None),
    ],
)
def test_form_file_names_are_split_from_the_name(cell: str, name: str, template: str | None) -> None:
    assert split_template(cell) == (name, template)


# --- legal bases ----------------------------------------------------------------------------------


def test_the_brief_s_example_legal_bases() -> None:
    cell = (
        LAWS + "Luật Nhập cảnh, xuất cảnh, quá cảnh, cư trú của người nước ngoài tại Việt NamLuật 47/2014/QH13"
        "Thông tư quy định về biểu mẫu53/2016/TT-BCA"
    )
    assert [(b.title, b.identifier) for b in parse_legal_bases(cell)] == [
        ("Luật Nhập cảnh, xuất cảnh, quá cảnh, cư trú của người nước ngoài tại Việt Nam", "47/2014/QH13"),
        ("Thông tư quy định về biểu mẫu", "53/2016/TT-BCA"),
    ]


def test_an_identifier_glued_to_its_title_ends_the_row_even_before_a_space() -> None:
    cell = (
        LAWS + "Nghị định sửa đổi thuộc phạm vi quản lý của Bộ Tư pháp18/2026/NĐ-CP "
        "Nghị định quy định về Cơ sở dữ liệu hộ tịch điện tử87/2020/NĐ-CP"
    )
    assert [(b.title, b.identifier) for b in parse_legal_bases(cell)] == [
        ("Nghị định sửa đổi thuộc phạm vi quản lý của Bộ Tư pháp", "18/2026/NĐ-CP"),
        ("Nghị định quy định về Cơ sở dữ liệu hộ tịch điện tử", "87/2020/NĐ-CP"),
    ]


def test_identifiers_glued_to_titles_and_to_each_other() -> None:
    cell = (
        LAWS + "Luật Nhà ở số 27/2023/QH1527/2023/QH15"
        "Nghị định98/2024/NĐ-CP"
        "Thông tư02/2026/TT-BNNMTLuậtLuật 18/2017/QH14"
        "Thông tư số 101/2020/TT-BTC ngày 23/11/2020 của Bộ Tài chính quy định mức thu101/2020/TT-BTC"
        "Quyết định về chế độ đối với thanh niên xung phong62/2011/QĐ-TTgsửa đổi Nghị định số 126/2020/NĐ-CP"
        "91/2022/NĐ-CPLuật Khiếu nại năm 201102/2011/QH13"
    )
    assert [(b.title, b.identifier) for b in parse_legal_bases(cell)] == [
        ("Luật Nhà ở số 27/2023/QH15", "27/2023/QH15"),
        ("Nghị định 98/2024/NĐ-CP", "98/2024/NĐ-CP"),
        ("Thông tư 02/2026/TT-BNNMT", "02/2026/TT-BNNMT"),
        ("Luật 18/2017/QH14", "18/2017/QH14"),
        ("Thông tư số 101/2020/TT-BTC ngày 23/11/2020 của Bộ Tài chính quy định mức thu", "101/2020/TT-BTC"),
        ("Quyết định về chế độ đối với thanh niên xung phong", "62/2011/QĐ-TTg"),
        ("sửa đổi Nghị định số 126/2020/NĐ-CP", "91/2022/NĐ-CP"),
        ("Luật Khiếu nại năm 2011", "02/2011/QH13"),
    ]


def test_the_governments_numbered_resolutions_keep_their_dotted_number() -> None:
    # as 1.004194 and 1.003371 have them: "Nghị quyết 66.7" is a real number, not 7/2025/NQ-CP
    cell = (
        LAWS + "Nghị quyết số 66.7/2025/NQ-CP của Chính phủ: Quy định cắt giảm, đơn giản hóa thủ tục hành chính "
        "dựa trên dữ liệu66.7/2025/NQ-CPLuật Cư trú 202068/2020/QH14"
        "Nghị quyết số 66.16/2026/NQ-CP về cắt giảm thủ tục hành chính, quy định liên quan đến hoạt động sản "
        "xuất, kinh doanh66.16/2026/NQ-CP"
        "Thông tư số 05/2026/TT-BTC ngày 15/5/2026.55/2026/TT-BTCLuật Hộ tịch60/2014/QH13"
    )
    assert [(b.title, b.identifier) for b in parse_legal_bases(cell)] == [
        (
            "Nghị quyết số 66.7/2025/NQ-CP của Chính phủ: Quy định cắt giảm, đơn giản hóa thủ tục hành chính "
            "dựa trên dữ liệu",
            "66.7/2025/NQ-CP",
        ),
        ("Luật Cư trú 2020", "68/2020/QH14"),
        (
            "Nghị quyết số 66.16/2026/NQ-CP về cắt giảm thủ tục hành chính, quy định liên quan đến hoạt động sản "
            "xuất, kinh doanh",
            "66.16/2026/NQ-CP",
        ),
        ("Thông tư số 05/2026/TT-BTC ngày 15/5/2026.", "55/2026/TT-BTC"),  # a date's year is no dotted number
        ("Luật Hộ tịch", "60/2014/QH13"),
    ]


def test_an_identifier_glued_to_the_date_of_its_own_title_does_not_split_the_title() -> None:
    # as 1.004194 and 1.004222 have it: the date and the rest had become a legal basis of their own
    cell = (
        LAWS + "Thông tư số 53/2025/TT-BCAngày 01/7/2025 của Bộ Công an sửa đổi, bổ sung một số điều của Thông tư "
        "số 55/2021/TT-BCA ngày 15 tháng 5 năm 2021 của Bộ trưởng Bộ Công an.53/2025/TT-BCA"
        "Luật Thú yLuật 79/2015/QH13của Bộ trưởng Bộ Nông nghiệp và Môi trường sửa đổi thông tư15/2026/TT-BNNMT"
    )
    assert [(b.title, b.identifier) for b in parse_legal_bases(cell)] == [
        (
            "Thông tư số 53/2025/TT-BCA ngày 01/7/2025 của Bộ Công an sửa đổi, bổ sung một số điều của Thông tư "
            "số 55/2021/TT-BCA ngày 15 tháng 5 năm 2021 của Bộ trưởng Bộ Công an.",
            "53/2025/TT-BCA",
        ),
        ("Luật Thú y", "79/2015/QH13"),  # a title the portal cut short ("của Bộ trưởng…") is still one
        ("của Bộ trưởng Bộ Nông nghiệp và Môi trường sửa đổi thông tư", "15/2026/TT-BNNMT"),
    ]


@pytest.mark.parametrize(
    ("text", "identifiers"),
    [
        ("Nghị quyết số 66.7/2025/NQ-CP của Chính phủ", ["66.7/2025/NQ-CP"]),
        ("dữ liệu66.19/2026/NQ-CPLuật", ["66.19/2026/NQ-CP"]),
        ("ngày 15/5/2026.55/2026/TT-BTC", ["55/2026/TT-BTC"]),
        ("Thông tư 68/2013/TT-BCALuật", ["68/2013/TT-BCA"]),
        ("Nghị định 41/2016/NĐ-CPVề cắt giảm", ["41/2016/NĐ-CP"]),
        ("73/2025/TT-NHNNSố 73/2025/TT-NHNN", ["73/2025/TT-NHNN", "73/2025/TT-NHNN"]),
        ("151/2025/NĐ-CPLUẬT ĐẤT ĐAI", ["151/2025/NĐ-CP"]),
        ("Nghị quyết 1672/NQ-UBTVQH15 ngày 16/6/2025", ["1672/NQ-UBTVQH15"]),
        ("Thông tư liên tịch 12/2016/TTLT-BTC-BTP ngày 10/1/2016", ["12/2016/TTLT-BTC-BTP"]),
        ("Nghị định 166/2016/NĐ-CP-Quy định về giao dịch", ["166/2016/NĐ-CP"]),
        ("Thông tư 04/2015/TT-BCAngày 05/01/2015", ["04/2015/TT-BCA"]),
        ("ngày 23/11/2020 của Bộ Tài chính", []),
    ],
)
def test_find_identifiers(text: str, identifiers: list[str]) -> None:
    assert [text[start:end] for start, end in find_identifiers(text)] == identifiers


def test_no_information_or_a_foreign_cell_gives_no_legal_basis() -> None:
    assert parse_legal_bases("Không có thông tin") == []
    assert parse_legal_bases(": Thông tư 269/2016/TT-BTC ngày 14/11/2016 của Bộ Tài chính.)Dịch vụ bưu chính") == []
    assert [b.title for b in parse_legal_bases(LAWS + "Luật Hóa chất")] == ["Luật Hóa chất"]


# --- results --------------------------------------------------------------------------------------


def test_results_lose_codes_keywords_and_the_agency_picker() -> None:
    text = (
        "Văn bản chấp thuận thành lập chi nhánh.Mã: KQ.G19.000525Văn bản không chấp thuận.Mã: KQ.G19.000526"
        "Từ khóaKhông có thông tinMô tảGiấy chứng nhận có thời hạn 10 năm."
        "Chọn cơ quan thực hiệnTỉnh/ Thành phốBộ ngành-- Chọn Bộ ngành --Đơn vị-- Chọn Cơ sở --Nộp hồ sơ"
    )
    assert parse_result(text) == (
        "Văn bản chấp thuận thành lập chi nhánh.\nVăn bản không chấp thuận.\nGiấy chứng nhận có thời hạn 10 năm."
    )
    assert parse_result("Văn bản tố tụng của Tòa án theo tiến trình giải quyếtMã: VBTT") == (
        "Văn bản tố tụng của Tòa án theo tiến trình giải quyết"
    )
    typed_at_random = "Quyết định cấp lại chứng chỉ hành nghề Quản tài viênMã: utwChứng chỉ hành nghề Quản tài viên"
    assert parse_result(typed_at_random) == (
        "Quyết định cấp lại chứng chỉ hành nghề Quản tài viên\nChứng chỉ hành nghề Quản tài viên"
    )
    assert parse_result("Bản sao giao dịch được chứng thựcMã: dsfasTừ khóaKhông có thông tin") == (
        "Bản sao giao dịch được chứng thực"
    )
    assert parse_result("Mã số cơ sở chăn nuôiMã: Chưa xác định") == "Mã số cơ sở chăn nuôi", "no code yet"
    assert parse_result("Giấy chứng nhậnMã: hồ sơ số 5") == "Giấy chứng nhận\nhồ sơ số 5", "words, not a code"
    assert parse_result("") is None


# --- lines ----------------------------------------------------------------------------------------


def test_a_corrupt_line_is_reported_with_its_number_and_reading_goes_on() -> None:
    lines = [line("1.000001"), "", '{"ma_thu_tuc": "1.000002", "ten_thu_tuc": ', "[1, 2]", line("1.000003")]
    items = list(iter_catalogue(lines))
    assert [number for number, _ in items] == [1, 3, 4, 5]
    assert isinstance(items[0][1], ProcedureData) and isinstance(items[3][1], ProcedureData)
    assert isinstance(items[1][1], CatalogueError) and items[1][1].line == 3
    assert items[1][1].reason.startswith("không đọc được JSON (lỗi ở cột")
    assert isinstance(items[2][1], CatalogueError) and "không phải một đối tượng JSON" in items[2][1].reason


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        (["ma_thu_tuc,ten_thu_tuc", "1.000001,Đăng ký khai sinh"], "không phải danh mục thủ tục hành chính"),
        ([json.dumps({"id": 1, "text": "Đơn thư"})] * 6, "dòng 1: thiếu mã thủ tục"),
        (["", "  "], "Tệp trống"),
    ],
)
def test_a_file_that_is_not_a_catalogue_is_refused_before_any_record(lines: list[str], message: str) -> None:
    with pytest.raises(Invalid, match=message):
        next(iter_catalogue(lines))


def test_one_good_line_among_the_first_is_enough_to_read_the_file() -> None:
    lines = ["not json", "not json", line("1.000001")]
    assert [type(item).__name__ for _, item in iter_catalogue(lines)] == [
        "CatalogueError",
        "CatalogueError",
        "ProcedureData",
    ]


def test_a_documents_cell_written_as_prose_is_kept_whole_as_a_note() -> None:
    prose = "); nộp cho đơn vị.\n\tThời hạn nộp hồ sơ chậm nhất 45 ngày kể từ ngày trở lại làm việc."
    (note,) = parse_documents(prose)
    assert note.group == "Lưu ý"
    assert note.name == "nộp cho đơn vị.\nThời hạn nộp hồ sơ chậm nhất 45 ngày kể từ ngày trở lại làm việc."
    assert parse_documents("--") == [] and parse_documents("Không có thông tin") == []


def test_an_agency_cell_is_read_as_a_name() -> None:
    assert parse_record(record(co_quan_thuc_hien="Công an tỉnh.")).agency == "Công an tỉnh"
    steps = "chứng thực tiến hành chụp từ bản chính:\n\n* Ghi đầy đủ lời chứng;\n\n* Ký, ghi rõ họ tên"
    assert parse_record(record(co_quan_thuc_hien=steps)).agency is None, "a paragraph is not an agency"
