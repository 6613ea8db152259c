"""What `privacy.service.scan` finds, and what it must leave alone. The texts are written for
these tests in the styles the platform meets: forms, lists, chats, scans, official documents."""

from __future__ import annotations

import unicodedata

import pytest

from mauson.privacy.models import EntityType
from mauson.privacy.service import scan, tag_personal_data

T = EntityType


def found(text: str) -> list[tuple[str, str]]:
    return [(e.type.value, e.text) for e in scan(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Họ và tên: Nông Thị Bích, CCCD 020187004512.", [("PERSON", "Nông Thị Bích"), ("CCCD", "020187004512")]),
        ("Số CMND: 082 046 735 cấp năm 2010", [("CMND", "082 046 735")]),
        ("Hộ chiếu số C4518236 do Cục QLXNC cấp", [("PASSPORT", "C4518236")]),
        ("SĐT liên hệ: 0915 620 487", [("PHONE", "0915 620 487")]),
        ("Email: thanhhuong.lv88@gmail.com", [("EMAIL", "thanhhuong.lv88@gmail.com")]),
        ("MST cá nhân 8074129563", [("TAX_CODE", "8074129563")]),
        ("Mã số BHXH: 2015048672", [("SOCIAL_INSURANCE", "2015048672")]),
        ("STK 8300205134672 Agribank", [("BANK_ACCOUNT", "8300205134672")]),
        ("Xe biển số 12B1-471.92 vi phạm", [("LICENSE_PLATE", "12B1-471.92")]),
        (
            "Ông Triệu Văn Páo, sinh ngày 14 tháng 02 năm 1959",
            [("PERSON", "Triệu Văn Páo"), ("DATE_OF_BIRTH", "14 tháng 02 năm 1959")],
        ),
    ],
)
def test_each_kind_of_personal_data_is_found(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text) == expected


def test_names_without_diacritics_or_in_capitals_are_found() -> None:
    assert ("PERSON", "Lo Van Thin") in found("Lo Van Thin: chau gui so dien thoai 0987 112 334 a")
    assert ("PERSON", "HOANG THI HUE") in found("Ho va ten: HOANG THI HUE\nGioi tinh: Nu")


def test_short_names_after_a_form_of_address_are_found() -> None:
    assert ("PERSON", "Páo") in found("Sáng nay bác Páo ra xã hỏi về hồ sơ.")


def test_international_phone_numbers_and_dotted_id_numbers_are_read() -> None:
    assert ("PHONE", "+84 368 155 720") in found("Gọi cho cháu theo số +84 368 155 720 nhé")
    assert ("CCCD", "020.157.002.934") in found("CCCD: 020.157.002.934 | Địa chỉ: thôn Nà Pàn")


def test_a_label_on_the_line_above_types_the_number() -> None:
    assert ("SOCIAL_INSURANCE", "2007014582") in found("SỔ BẢO HIỂM XÃ HỘI\nSố: 2007014582\nHọ và tên: ĐINH THỊ MƠ")


def test_an_organisations_tax_code_and_an_agency_landline_are_not_personal() -> None:
    assert found("Bên trả: Công ty CP Cấp nước Lạng Sơn (MST 4900100233 - tổ chức).") == []
    assert found("Liên hệ Phòng Nghiệp vụ Y, ĐT: 0205.3873.264.") == []


def test_scanned_numbers_with_o_for_zero_are_read() -> None:
    assert ("CCCD", "02O183OO5126") in found("So CMND/CCCD: 02O183OO5126")
    assert ("DATE_OF_BIRTH", "O3/O3/1983") in found("Ngay sinh: O3/O3/1983")


def test_an_address_that_locates_a_person_is_found_to_its_end() -> None:
    text = "Bà Lăng Thị Mơ, thường trú tại thôn Nà Pàn, xã Tân Liên, huyện Cao Lộc, tỉnh Lạng Sơn. Đề nghị"
    assert ("ADDRESS", "thôn Nà Pàn, xã Tân Liên, huyện Cao Lộc, tỉnh Lạng Sơn") in found(text)


def test_an_address_stops_where_the_next_field_of_the_record_begins() -> None:
    text = "Anh Dương Văn Quân, sinh năm 1988, trú tại thôn Đồng Quýt, xã Đồng Tân, huyện Hữu Lũng, SĐT 0974126583."
    assert ("ADDRESS", "thôn Đồng Quýt, xã Đồng Tân, huyện Hữu Lũng") in found(text)
    assert ("PHONE", "0974126583") in found(text)


def test_a_condition_in_a_persons_record_needs_no_cue_word() -> None:
    text = "Đề nghị hỗ trợ: ông Lê Văn Sáu (thôn Đồng Bụt, khuyết tật vận động mức độ nặng)."
    assert ("HEALTH", "khuyết tật vận động mức độ nặng") in found(text)


def test_a_health_condition_tied_to_a_named_person_is_found_without_the_cue() -> None:
    text = "Gia đình ông Hoàng Văn Nam có mẹ là bà Lương Thị Thu mắc bệnh lao phổi, đang điều trị tại nhà."
    assert ("HEALTH", "lao phổi") in found(text)


def test_a_table_is_read_by_its_column_headers() -> None:
    table = (
        "STT | Họ tên | Ngày sinh | Số CCCD | Điện thoại\n1 | Vi Văn Thắng | 12/03/1985 | 020085001234 | 0912 345 678"
    )
    assert found(table) == [
        ("PERSON", "Vi Văn Thắng"),
        ("DATE_OF_BIRTH", "12/03/1985"),
        ("CCCD", "020085001234"),
        ("PHONE", "0912 345 678"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Thực hiện Kế hoạch số 105/KH-UBND ngày 06/5/2021 của UBND tỉnh Lạng Sơn.",  # a document number
        "Thủ tục 1.000178 đăng ký khai sinh, lệ phí 8.000 đồng.",  # a procedure code and an amount
        "Kinh phí dự kiến 385.000.000 đồng cho 1.100 lượt người.",  # amounts
        "Đường dây nóng tiếp nhận phản ánh: 0205.3870.156 hoặc 1022.",  # agency hotlines
        "Sửa chữa mặt đường Trần Đăng Ninh và phố Bà Triệu, phường Hoàng Văn Thụ.",  # streets, wards after people
        "Học sinh Trường THCS Chu Văn An đạt giải nhất.",  # a school named after a person
        "Lạng Sơn có 65 xã, phường; Hà Nội cách Đồng Đăng khoảng 170 km.",  # place names locating nobody
        "Khai sinh cho con có bố quốc tịch Hàn Quốc.",  # a country, not someone surnamed Hàn
        "Mọi vướng mắc gửi về hộp thư vanthu.ubnd@langson.gov.vn.",  # an agency mailbox
        "Năm 2025 toàn tỉnh ghi nhận 312 ca sốt xuất huyết.",  # aggregate health statistics
        "ỦY BAN NHÂN DÂN TỈNH LẠNG SƠN\nQUYẾT ĐỊNH VỀ VIỆC BAN HÀNH QUY CHẾ",  # a heading in capitals
        "Thư viện Lê Quý Đôn mở cửa đến 17 giờ.",  # people's names on institutions and streets
        "Đại lộ Võ Nguyên Giáp ngập sâu sau mưa.",
        "Công viên Võ Nguyên Giáp thiếu đèn chiếu sáng.",
        "Học viện Lê Quý Đôn tuyển sinh năm nay.",
        "Đường Lê Lợi ngập sâu sau mưa.",  # a street opening a sentence, not the family name Đường
        "Hoàng Văn Thụ có nhiều hộ dân bị ngập.",  # a ward's name: no part of it is a name
        "Mong co quan kiem tra giup.",  # "cơ quan" without accents, not "cô Quan Kiểm Trà"
        "Năm nay 45 người mắc bệnh tay chân miệng.",  # aggregate health statistics
        "Có 45 người bị ngộ độc ở 3 thôn của xã.",  # numbers of people and villages, not a house
        # numbers of public things and stretches of road, and an area's number, are no one's home
        "Trường Tiểu học số 1 đường Lê Lợi tổ chức khai giảng.",
        "Cống số 3 đường Bà Triệu bị tắc.",
        "Tòa nhà số 1 UBND tỉnh mất điện.",
        "Đoạn từ số 9 đến số 45 phố Trần Đăng Ninh ngập sâu.",
        "Đèn đường ở số 3 tổ dân phố 5 phường Đông Kinh không sáng.",
        "Ống nước bị vỡ trên đường Lê Lợi.",  # no "ông" in "Ống", no one's injury
        "27 Ba Trieu, Dong Kinh",  # the ward of Đông Kinh typed bare, not epilepsy ("động kinh")
    ],
)
def test_hard_negatives_are_left_alone(text: str) -> None:
    assert found(text) == []


def test_spans_are_python_offsets_into_the_original_text() -> None:
    text = "Liên hệ chị Vi Thị Lan, SĐT 0912 000 111."
    for entity in scan(text):
        assert text[entity.start : entity.end] == entity.text
        assert entity.reason and 0 < entity.score <= 1


def test_types_can_be_restricted() -> None:
    text = "Ông Hà Văn Tùng, SĐT 0915 620 487"
    assert [e.type for e in scan(text, types=[T.PHONE])] == [T.PHONE]


@pytest.mark.parametrize(
    "text",
    [
        "Lễ hội ở xã Bình Gia thu phí gửi xe quá cao.",
        "Xưởng gỗ ở xã Đồng Đăng gây ồn cả đêm.",
        "Cháy nhà dân ở khối 5 phường Tam Thanh, đề nghị kiểm tra.",
        "Nước lũ đang ở khu 3 phường Tam Thanh, đề nghị hỗ trợ.",
        "Đèn đường ở tại thôn Nà Sla hỏng cả tháng.",
        "Bà con ở xã Na Sầm phản ánh giá điện tăng.",
        "Trẻ em ở bản Khuổi Phầy chưa được tiêm chủng.",
        "Chó thả rông ở khu dân cư số 1 phường Kỳ Lừa, cắn trẻ em.",  # the number of an area, not of a house
        "Rác ở tổ số 3 khối 5 không ai thu.",
        "Rác ở tổ dân phố số 3 phường Chi Lăng không ai thu.",
        "Đèn hỏng ở khu phố số 2 phường Tam Thanh.",
        "Cháy tại thôn Nà Pàn xã Bình Gia, khói đen bốc cao.",  # "tại" an area, and "khói" is no "khối"
    ],
)
def test_where_a_problem_is_stays_readable_on_public_pages(text: str) -> None:
    assert tag_personal_data(text) == text


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("Nhà tôi ở thôn Nà Pàn, xã Tân Liên bị ngập.", "thôn Nà Pàn, xã Tân Liên"),
        ("Gia đình ông Hoàng Văn Nam ở thôn Khòn Pổ, xã Đình Lập chưa có điện.", "thôn Khòn Pổ, xã Đình Lập"),
        ("Ông Lý Văn Sài, 65 tuổi, ở thôn Nà Pàn đề nghị hỗ trợ.", "thôn Nà Pàn"),
        ("Chị ở thôn Nà Pàn hả?", "thôn Nà Pàn"),
        ("Karaoke ở số 12 đường Trần Phú gây ồn suốt đêm.", "số 12 đường Trần Phú"),  # a house can be found
        ("nha o so 5 ngo 2 duong Ba Trieu", "so 5 ngo 2 duong Ba Trieu"),  # typed without accents
        ("Bà Lê Thị Hoa nhà ở khu 3 thị trấn Cao Lộc bị ngập.", "khu 3 thị trấn Cao Lộc"),  # "thị trấn" whole
        ("Cháy ở Số nhà 12, ngõ 5 đường Bà Triệu", "Số nhà 12, ngõ 5 đường Bà Triệu"),  # capitals open no name
        ("Gia đình tại số nhà 27 ngõ 8 đường Trần Đăng Ninh hát karaoke", "số nhà 27 ngõ 8 đường Trần Đăng Ninh"),
        # the address ends where the smoke begins: folded, "khói" reads as "khối", a block of houses
        (
            "Cháy ở nhà số 15 đường Bà Triệu, phường Đông Kinh, khói đen bốc cao",
            "nhà số 15 đường Bà Triệu, phường Đông Kinh",
        ),
    ],
)
def test_a_home_address_is_hidden_when_it_is_someones_or_finds_a_house(text: str, address: str) -> None:
    assert ("ADDRESS", address) in found(text)


@pytest.mark.parametrize(
    ("text", "address"),
    [
        # a house number needs no "ở" before it to find a household's door
        ("Ô tô đỗ trước nhà số 15 ngõ 3 đường Lê Lợi suốt đêm.", "nhà số 15 ngõ 3 đường Lê Lợi"),
        ("Số nhà 27, đường Phai Vệ có cống vỡ.", "Số nhà 27, đường Phai Vệ"),
        ("Nước tràn vào nhà tôi số 9 phố Cửa Nam từ hôm qua.", "số 9 phố Cửa Nam"),
        ("Thang máy căn hộ 302 hỏng cả tuần.", "căn hộ 302"),
        ("Karaoke ồn ở nhà ở 45 Trần Đăng Ninh đến 2 giờ sáng.", "45 Trần Đăng Ninh"),
        ("chủ xe là anh Hoàng Văn Nam, nhà số 8 ngõ 12 đường Bà Triệu", "nhà số 8 ngõ 12 đường Bà Triệu"),
        ("o 45 Tran Dang Ninh", "45 Tran Dang Ninh"),
        ("nhà tôi là 45 Trần Đăng Ninh", "45 Trần Đăng Ninh"),
        ("Nhà 27 đường Phai Vệ bị nứt", "27 đường Phai Vệ"),
        ("Căn hộ P302 tòa CT2 bị thấm", "Căn hộ P302"),
        ("Thường trú: 27 Phai Vệ, Đông Kinh", "27 Phai Vệ, Đông Kinh"),  # a label before a longer address
        ("dia chi: 27 Phai Ve", "27 Phai Ve"),
    ],
)
def test_a_house_number_is_hidden_wherever_it_is_written(text: str, address: str) -> None:
    assert ("ADDRESS", address) in found(text)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("tôi là nguyễn văn nam ở thôn Nà Pàn xin hỏi về sổ đỏ", "nguyễn văn nam"),
        ("gia đình ông nguyễn văn nam chưa nhận được tiền hỗ trợ", "nguyễn văn nam"),
        ("Anh Hoàng Văn Thụ đề nghị cấp lại sổ hộ khẩu.", "Hoàng Văn Thụ"),  # also a ward's name
        ("Ông Hoàng Văn Thụ, Chủ tịch UBND xã cho biết sẽ kiểm tra.", "Hoàng Văn Thụ"),
        # one's own name typed without accents on an accented form
        ("Tên tôi là Nguyen Van An, nhà ở thôn Nà Pàn.", "Nguyen Van An"),
        ("Tôi là tran thi mai, đề nghị xã trả lời.", "tran thi mai"),
        ("Tôi là: Nguyen Van An, sinh năm 1980", "Nguyen Van An"),
    ],
)
def test_a_name_announced_by_a_title_or_an_introduction_is_found_whole(text: str, name: str) -> None:
    assert ("PERSON", name) in found(text)


def test_unaccented_words_of_an_accented_line_are_not_read_as_names_without_an_announcement() -> None:
    assert not [name for kind, name in found("Ban Quản lý chợ Dong Kinh họp với Ban An toàn") if kind == "PERSON"]


def test_after_mac_benh_any_disease_is_health_data() -> None:
    text = "Cháu Lý Văn Tú mắc bệnh tim bẩm sinh, gia đình đề nghị hỗ trợ."
    assert ("HEALTH", "tim bẩm sinh") in found(text)


def test_text_in_decomposed_unicode_is_found_at_its_own_offsets() -> None:
    """A Mac or a web form may send NFD text: each span still indexes the text as it was given."""
    text = unicodedata.normalize("NFD", "Ông Nguyễn Văn Nam, số điện thoại 0912345678, nhà ở thôn Nà Pàn")
    entities = scan(text)
    assert all(text[e.start : e.end] == e.text for e in entities)
    assert [(e.type, unicodedata.normalize("NFC", e.text)) for e in entities][:2] == [
        (T.PERSON, "Nguyễn Văn Nam"),
        (T.PHONE, "0912345678"),
    ]


def test_tagging_decomposed_text_hides_the_phone_number_and_the_name() -> None:
    text = unicodedata.normalize("NFD", "Số điện thoại của tôi là 0912345678. Tôi là Nguyễn Văn Nam.")
    tagged = unicodedata.normalize("NFC", tag_personal_data(text))
    assert tagged == "Số điện thoại của tôi là [SỐ ĐIỆN THOẠI]. Tôi là [HỌ TÊN]."
