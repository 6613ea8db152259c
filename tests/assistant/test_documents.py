"""A record's documents by the case they are for, as the answer and the procedure page list them.

The records are shortened from the catalogue's (codes named); headings and papers as it writes them.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from mauson.assistant import compose, documents


def _record(name: str, *tables: tuple[str | None, list[str]], notes: tuple[str, ...] = ()) -> SimpleNamespace:
    found: list[dict[str, Any]] = [
        {"name": paper, "group": heading, "quantity_text": "1 bản chính"}
        for heading, papers in tables
        for paper in papers
    ]
    found += [{"name": note, "group": "Lưu ý", "quantity_text": "0 bản chính"} for note in notes]
    return SimpleNamespace(name=name, documents=found)


def _headings(record: SimpleNamespace, question: str = "") -> list[str | None]:
    return [case.heading for case in documents.cases(record, question)]


NATIONALITY = _record(  # 1.005136
    "Xác nhận có quốc tịch Việt Nam",
    ("Trường hợp có giấy tờ chứng minh quốc tịch Việt Nam", ["Tờ khai", "Bản sao giấy tờ chứng minh quốc tịch"]),
    ("Trường hợp không có giấy tờ chứng minh quốc tịch Việt Nam", ["Tờ khai", "Bản khai lý lịch"]),
)


def test_the_case_the_question_describes_comes_first_and_naming_the_procedure_describes_none() -> None:
    without = "xin xác nhận có quốc tịch việt nam nhưng không có giấy tờ chứng minh quốc tịch"
    assert _headings(NATIONALITY, without)[0] == "Trường hợp không có giấy tờ chứng minh quốc tịch Việt Nam"
    assert _headings(NATIONALITY, "xác nhận có quốc tịch Việt Nam cần giấy tờ gì")[0].startswith("Trường hợp có")


def test_a_table_under_no_heading_comes_first_unless_it_asks_for_no_copy() -> None:
    birth = _record(  # 1.001193: the declaration's table lost its heading among the notes
        "Thủ tục đăng ký khai sinh",
        ("Giấy tờ phải nộp", ["Giấy chứng sinh"]),
        ("Giấy tờ phải xuất trình", ["Hộ chiếu hoặc thẻ căn cước"]),
        (None, ["Tờ khai đăng ký khai sinh theo mẫu"]),
    )
    assert _headings(birth) == [None, "Giấy tờ phải nộp", "Giấy tờ phải xuất trình"]
    company = _record("Đăng ký thành lập công ty TNHH một thành viên", ("Trường hợp ủy quyền", ["Văn bản ủy quyền"]))
    company.documents.append(
        {"name": "Người ủy quyền chịu trách nhiệm…", "group": None, "quantity_text": "0 bản chính"}
    )
    company.documents.append(
        {"name": "Giấy đề nghị", "group": "Trường hợp thông thường", "quantity_text": "1 bản chính"}
    )
    assert _headings(company) == ["Trường hợp ủy quyền", "Trường hợp thông thường", "Lưu ý"], "2.001583"


def test_the_papers_everyone_files_are_headed_so_and_a_line_introducing_them_is_no_paper() -> None:
    birth = _record(  # 1.001193 as the record has it: the introduction is a row of the declaration's table
        "Thủ tục đăng ký khai sinh",
        ("Giấy tờ phải nộp", ["Giấy chứng sinh"]),
        ("Giấy tờ phải xuất trình", ["Hộ chiếu hoặc thẻ căn cước"]),
        (None, ["Tờ khai đăng ký khai sinh theo mẫu"]),
        notes=tuple(f"Lưu ý {n}" for n in range(19)),
    )
    birth.code = "1.001193"
    introduction = (
        "Người có yêu cầu đăng ký khai sinh thực hiện việc nộp/xuất trình (theo hình thức trực tiếp) hoặc tải "
        "lên (theo hình thức trực tuyến) các giấy tờ sau"
    )
    birth.documents.insert(2, {"name": introduction, "group": None, "quantity_text": None})
    lines = compose.document_lines(birth)
    assert lines[:2] == ["- Giấy tờ chung:", "  + Tờ khai đăng ký khai sinh theo mẫu (1 bản chính)"]
    assert not any("các giấy tờ sau" in line for line in lines)
    assert lines[-1] == (
        "- Lưu ý: còn 19 ghi chú về hồ sơ (điều cần biết khi chuẩn bị, không phải giấy tờ phải nộp thêm); "
        "xem trang thủ tục /procedures/1.001193."
    )
    # a line that introduces the papers of a case says something, and stays (1.001695)
    proof = {"name": "Chứng cứ chứng minh quan hệ cha, con gồm một trong các giấy tờ, tài liệu sau đây", "group": None}
    tenant = {"name": "Người có yêu cầu trong trường hợp thuê nhà nộp các giấy tờ sau", "group": None}
    assert not documents.only_introduces(proof) and not documents.only_introduces(tenant)


def test_two_tables_under_one_heading_stay_two_cases() -> None:
    """1.004222 heads the vehicle-dwellers' table like the home owners': merged, a home owner had
    been asked for a vehicle registration among their own papers."""
    owned = "Đăng ký thường trú vào chỗ ở hợp pháp thuộc quyền sở hữu của mình"
    residence = _record(
        "Đăng ký thường trú",
        (owned, ["Giấy chứng nhận đăng ký phương tiện"]),
        ("Đăng ký thường trú vào chỗ ở hợp pháp do thuê, mượn, ở nhờ", ["Hợp đồng cho thuê, cho mượn, cho ở nhờ"]),
        (owned, ["Tờ khai thay đổi thông tin cư trú (mẫu CT01)"]),
    )
    found = documents.cases(residence, "đăng ký thường trú ở nhà thuê cần gì")
    rented = "Đăng ký thường trú vào chỗ ở hợp pháp do thuê, mượn, ở nhờ"
    assert [case.heading for case in found] == [rented, owned, owned]
    assert [len(case.documents) for case in found] == [1, 1, 1]


def test_numbered_papers_are_read_in_their_numbers_order_the_unnumbered_after() -> None:
    business = _record(  # 1.001612
        "Đăng ký thành lập hộ kinh doanh",
        ("Trường hợp ủy quyền", ["(iv) Bưu chính", "(ii) Tổ chức", "Chưa có tài khoản định danh", "(i) Cá nhân"]),
    )
    (case,) = documents.cases(business)
    assert [d["name"] for d in case.documents] == [
        "(i) Cá nhân",
        "(ii) Tổ chức",
        "(iv) Bưu chính",
        "Chưa có tài khoản định danh",
    ]


def test_an_answer_names_every_case_it_has_no_room_for_and_counts_notes_apart() -> None:
    permits = _record(  # 1.013225: seven cases, the house last
        "Cấp giấy phép xây dựng mới",
        *[(f"(1.{n}) Đối với công trình loại {n}", [f"Giấy tờ {n}.{k}" for k in range(6)]) for n in range(1, 7)],
        ("(1.7) Đối với công trình nhà ở riêng lẻ", ["Đơn đề nghị cấp giấy phép xây dựng", "Bản vẽ thiết kế"]),
        notes=tuple(f"Lưu ý {n}" for n in range(18)),
    )
    lines = compose.document_lines(permits, "xin giấy phép xây dựng nhà ở riêng lẻ")
    assert lines[:3] == [
        "- (1.7) Đối với công trình nhà ở riêng lẻ:",
        "  + Đơn đề nghị cấp giấy phép xây dựng (1 bản chính)",
        "  + Bản vẽ thiết kế (1 bản chính)",
    ]
    assert "  + … và 5 giấy tờ khác (xem trang thủ tục)." in lines, "the fourth case is cut: said so"
    left = next(line for line in lines if line.startswith("- Các trường hợp khác"))
    assert "«(1.4) Đối với công trình loại 4»" in left and "«(1.6) Đối với công trình loại 6»" in left
    assert lines[-1] == (
        "- Lưu ý: còn 18 ghi chú về hồ sơ (điều cần biết khi chuẩn bị, không phải giấy tờ phải nộp thêm); "
        "xem trang thủ tục."
    ), "notes are not papers, and the answer says so"


def test_the_procedures_own_words_describe_no_case_but_a_case_its_name_lists_does() -> None:
    card = _record(  # 2.001194
        "Cấp lại thẻ căn cước (thực hiện tại cấp tỉnh)",
        ("Phiếu được tạo lập khi trích xuất thông tin của công dân", ["Phiếu thu nhận thông tin căn cước"]),
        ("Trường hợp người đề nghị cấp, cấp đổi, cấp lại thẻ căn cước là người đại diện", ["Giấy tờ chứng minh"]),
    )
    assert _headings(card, "cấp lại căn cước cần gì")[0].startswith("Phiếu được tạo lập"), "the record's order"
    permits = _record(  # 1.013225, its name shortened
        "Cấp giấy phép xây dựng mới (Công trình không theo tuyến/Tín ngưỡng, tôn giáo) và nhà ở riêng lẻ",
        ("(1.1) Đối với công trình không theo tuyến", ["Đơn đề nghị"]),
        ("(1.7) Đối với công trình nhà ở riêng lẻ", ["Đơn đề nghị", "Bản vẽ"]),
    )
    assert _headings(permits, "xin giấy phép xây dựng nhà ở riêng lẻ")[0] == "(1.7) Đối với công trình nhà ở riêng lẻ"
    assert _headings(permits, "xin giấy phép xây dựng")[0] == "(1.1) Đối với công trình không theo tuyến"


def test_a_cases_table_keeps_its_order_where_a_line_introduces_the_next() -> None:
    religious = _record(  # 1.004222, the case of religious establishments
        "Đăng ký thường trú",
        ("Đăng ký thường trú vào chỗ ở hợp pháp do thuê, mượn, ở nhờ", ["Hợp đồng cho thuê"]),
        (
            "Đăng ký thường trú tại cơ sở tín ngưỡng, cơ sở tôn giáo",
            ["Trường hợp quy định tại điểm d khoản 4 Điều 20 Luật Cư trú, hồ sơ gồm", "Văn bản xác nhận của UBND xã"],
        ),
    )
    last = documents.cases(religious)[-1]
    introducing = "Trường hợp quy định tại điểm d khoản 4 Điều 20 Luật Cư trú, hồ sơ gồm"
    assert [d["name"] for d in last.documents] == [introducing, "Văn bản xác nhận của UBND xã"]


FIRST_REGISTRATION = _record(  # 1.005103
    "Cấp Giấy chứng nhận kiểm định cho xe cơ giới",
    ("Trường hợp kiểm định lần đầu", ["Bản sao phiếu kiểm tra chất lượng xuất xưởng"]),
    ("Trường hợp kiểm định đối với xe có chứng nhận đăng ký xe tạm thời", ["Chứng nhận đăng ký xe tạm thời"]),
    ("Trường hợp kiểm định định kỳ", ["Giấy tờ về đăng ký xe"]),
)


def test_a_question_typed_with_accents_is_read_with_them() -> None:
    """Folded, "định kỳ xe" holds "ky xe", as "đăng ký xe" does."""
    assert (
        _headings(FIRST_REGISTRATION, "đăng kiểm định kỳ xe ô tô cần giấy tờ gì")[0] == "Trường hợp kiểm định định kỳ"
    )


def test_one_word_two_headings_say_tells_no_case_apart() -> None:
    both = _record(
        "Đăng ký thường trú",
        ("Đăng ký thường trú vào chỗ ở hợp pháp thuộc quyền sở hữu của mình", ["Tờ khai CT01"]),
        ("Đăng ký thường trú tại cơ sở tín ngưỡng có công trình phụ trợ là nhà ở", ["Văn bản xác nhận"]),
        ("Đăng ký thường trú tại nơi đơn vị đóng quân (nhà ở công vụ)", ["Giấy giới thiệu"]),
    )
    assert _headings(both, "nhập khẩu vào nhà bố mẹ đẻ cần gì") == _headings(both), "'nhà' is said by two"
    assert _headings(both, "đăng ký thường trú ở nhà công vụ")[0].startswith("Đăng ký thường trú tại nơi đơn vị")
