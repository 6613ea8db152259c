"""What a petition's public page and an officer's reply must not show: a citizen's mobile number
where an office or a service is spoken of nearby, and a full name in administrative wording ("yêu
cầu …", "hộ …", "trưởng thôn …"). Agencies' hotlines, streets, schools and communes named after
people stay readable. The texts are written for these tests."""

from __future__ import annotations

import pytest

from mauson.privacy.service import scan, tag_personal_data


def found(text: str) -> list[tuple[str, str]]:
    return [(e.type.value, e.text) for e in scan(text)]


@pytest.mark.parametrize(
    ("text", "number"),
    [
        # a service named in an earlier sentence does not make the sender's mobile a hotline
        ("Xe cấp cứu chờ 3 tiếng mới tới. Đề nghị làm rõ, gọi tôi 0978123456.", "0978123456"),
        # nor in an earlier clause, with nobody named
        ("Xe cứu hỏa đến chậm, đề nghị làm rõ, liên lạc 0979 111 222", "0979 111 222"),
        # a person between the cue and the number owns it
        ("Đường dây nóng: anh Hứa Văn Khải (0389765432) đã tiếp nhận tin báo.", "0389765432"),
        ("Văn phòng HĐND xã đã liên hệ với chị Hoa qua số 0356789012 để xác minh.", "0356789012"),
        ("Trực ban Đồn Biên phòng đã gọi cho ông Tài theo số 0823456789.", "0823456789"),
        ("Tổng đài không nghe máy nên tôi nhờ Vi Thị Lành (0965432109) báo giúp.", "0965432109"),
        ("Số máy cá nhân: 0912 678 345", "0912 678 345"),  # "số máy", but a person's own
    ],
)
def test_a_mobile_number_someone_is_addressed_with_is_personal(text: str, number: str) -> None:
    assert ("PHONE", number) in found(text)


def test_an_officers_reply_hides_the_citizens_number_and_name() -> None:
    reply = "Văn phòng UBND xã đã gọi cho bà Nga theo số 0934567890 để hẹn lịch kiểm tra."
    assert tag_personal_data(reply) == (
        "Văn phòng UBND xã đã gọi cho bà [HỌ TÊN] theo số [SỐ ĐIỆN THOẠI] để hẹn lịch kiểm tra."
    )


@pytest.mark.parametrize(
    "text",
    [
        "Đường dây nóng của Trung tâm Y tế huyện: 0961 234 567",  # the cue names the line it stands before
        "Hotline nhà nghỉ: 0388 456 789",
        "Mọi phản ánh gọi tổng đài 1022 hoặc đường dây nóng 0205.3871.234.",
        "Cấp cứu 115; cứu hỏa 114; đường dây nóng Công an tỉnh 0969 113 020.",
        "ĐƯỜNG DÂY NÓNG\n- Điện lực: 0962 000 111\n- Cấp nước: 0962 000 222",
    ],
)
def test_an_agencys_hotline_stays_public(text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize(
    ("text", "names"),
    [
        (
            "UBND phường yêu cầu Lục Văn Quang tháo dỡ mái che; hộ Đàm Thị Nguyệt cam kết di dời trước ngày 15.",
            ["Lục Văn Quang", "Đàm Thị Nguyệt"],
        ),
        ("Hộ Vy Văn Chung xây tường lấn ra lối đi chung.", ["Vy Văn Chung"]),
        ("Hộ gia đình Triệu Thị Mai chưa nhận tiền hỗ trợ.", ["Triệu Thị Mai"]),
        ("Trưởng thôn Lăng Văn Hùng đã lập biên bản.", ["Lăng Văn Hùng"]),
        ("Đề nghị gửi kết quả đến Nông Văn Dũng và hỏi lại Chu Thị Hằng.", ["Nông Văn Dũng", "Chu Thị Hằng"]),
        ("Chủ xe Hoàng Văn Tiến chưa nộp phạt.", ["Hoàng Văn Tiến"]),
        # the family name Lường
        ("Bà Lường Thị Thoa đề nghị cấp lại sổ.", ["Lường Thị Thoa"]),
        ("Lường Văn Chiến lấn chiếm đất rừng.", ["Lường Văn Chiến"]),
    ],
)
def test_a_full_name_in_administrative_wording_is_found(text: str, names: list[str]) -> None:
    assert [name for kind, name in found(text) if kind == "PERSON"] == names


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Ông Lộc cho biết sẽ báo cáo xã.", "Lộc"),  # a form of address that opens the sentence
        ("Chị Mai đã nộp đủ hồ sơ.", "Mai"),
        ("Giao đồng chí Tiến kiểm tra.", "Tiến"),  # a form of address of two words
        ("Đồng chí Hùng trả lời bằng văn bản.", "Hùng"),
        ("Xã đã mời bà Nga lên làm việc.", "Nga"),  # a given name that is also a country's
        ("Em đã hỏi anh Quân ở bộ phận một cửa.", "Quân"),  # not quận, a district
        ("Chị Huyền đề nghị trả lời sớm.", "Huyền"),  # not huyện
    ],
)
def test_a_given_name_after_a_form_of_address_is_found(text: str, name: str) -> None:
    assert ("PERSON", name) in found(text)


@pytest.mark.parametrize(
    "text",
    [
        "Đường Lê Lợi, trường Hoàng Văn Thụ và xã Hoàng Văn Thụ đều ngập.",
        "Trưởng thôn Khòn Pổ báo cáo số hộ bị ảnh hưởng.",  # a village, named as a post
        "Bà Triệu là nữ anh hùng dân tộc.",  # a form of address and a name that are a street's
        "Cô Tô và Bà Rịa đón nhiều khách du lịch.",
        "Ô tô đỗ kín đường Ông Ích Khiêm.",
        "Yêu cầu Công ty Hoàng Long khắc phục ngay.",
        "Nhà xe Hoàng Long và cửa hàng Lường Gia tạm nghỉ.",
        "Hồ Phai Loạn bị lấn chiếm.",
    ],
)
def test_places_firms_and_streets_named_after_people_stay_public(text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize(
    ("text", "number"),
    [
        # "mấy bạn" (you all) is no desk phone (máy bàn) in a line with accents
        ("Mấy bạn cần gì thì liên hệ 0912345678 nhé", "0912345678"),
        # "Lê Tấn" is a man's name, not a reception desk (lễ tân): the number is his
        ("Cần hỏi thêm, liên hệ anh Lê Tấn Phát 0912345678", "0912345678"),
        # typed bare the cue and the name read alike: the name that takes in the cue owns the number
        ("Can hoi them lien he anh Le Tan Phat 0912345678", "0912345678"),
    ],
)
def test_a_cue_word_folded_out_of_other_words_does_not_make_a_hotline(text: str, number: str) -> None:
    assert ("PHONE", number) in found(text)


@pytest.mark.parametrize(
    "text",
    [
        "Đường dây nóng của Trung tâm Y tế Cao Lộc: 0912345678",  # a district in the agency's name
        "Duong day nong cua Trung tam Y te Cao Loc: 0912345678",
        "Lễ tân khách sạn Hữu Nghị: 0912345678",
        "Mọi phản ánh xin gọi tổng đài 0912345678",
    ],
)
def test_an_agencys_hotline_with_a_place_in_its_name_stays_public(text: str) -> None:
    assert not [e for e in scan(text) if e.type.value == "PHONE"]


@pytest.mark.parametrize(
    "text",
    [
        "Bác Sĩ trạm y tế xã không có mặt cả buổi sáng.",
        "Chú Ý: đường qua đèo Tam Thanh trơn trượt.",
        "Em Bé bị chó cắn phải đưa đi tiêm phòng.",
        "Bà Con thôn Nà Pàn đề nghị sửa đường.",
        "Cô Bác trong xóm đều biết chuyện này.",
        "Ông Bà chúng tôi sống ở đây từ lâu.",
        "Anh Em Trong Xóm Đều Biết Chuyện Này",  # a line in Title Case
        "Anh Sơn là huyện miền núi của Nghệ An.",  # a district
    ],
)
def test_a_title_opening_a_sentence_before_a_common_word_introduces_no_one(text: str) -> None:
    assert tag_personal_data(text) == text


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Ông Lộc cho biết đường đã sửa xong.", "Lộc"),
        ("Chị Huyền đã nộp hồ sơ hôm qua.", "Huyền"),
        ("Bác Sài bán rau ở chợ Đông Kinh.", "Sài"),
    ],
)
def test_a_title_opening_a_sentence_still_introduces_a_name(text: str, name: str) -> None:
    assert ("PERSON", name) in found(text)
