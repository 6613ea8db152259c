"""Everyday administrative words get the catalogue's official wording added, with or without accents."""

from __future__ import annotations

from mauson.vntext.everyday import official_terms, with_official_terms


def test_everyday_words_gain_the_official_wording_with_or_without_accents() -> None:
    assert "giấy chứng nhận quyền sử dụng đất" in official_terms("Muốn sang tên sổ đỏ cần gì?")
    assert official_terms("nhap ho khau ve nha chong") == ["đăng ký thường trú"]
    expanded = with_official_terms("doi bang lai xe o dau")
    assert expanded == "doi bang lai xe o dau (giấy phép lái xe; đổi giấy phép lái xe)"


def test_accents_keep_apart_words_that_fold_alike_and_nothing_is_added_twice() -> None:
    assert official_terms("xem sơ đồ thửa đất") == [], "sơ đồ (a map) is not sổ đỏ"
    assert with_official_terms("Cấp giấy phép lái xe, bằng lái hạng B") == "Cấp giấy phép lái xe, bằng lái hạng B"
    assert with_official_terms("Thời tiết Mẫu Sơn hôm nay") == "Thời tiết Mẫu Sơn hôm nay"


def test_a_longer_everyday_term_says_what_its_shorter_part_would_not() -> None:
    assert official_terms("sang tên xe máy cũ mua lại") == ["đăng ký sang tên xe thay đổi chủ xe"], "not the land's"
    assert official_terms("muốn sang tên mảnh đất cho con") == ["đăng ký biến động chuyển nhượng quyền sử dụng đất"]
    assert official_terms("xin bản sao giấy khai sinh") == ["bản sao giấy khai sinh trích lục hộ tịch"]
    assert official_terms("làm giấy khai sinh cho con") == ["đăng ký khai sinh"]


def test_a_person_of_a_foreign_country_is_the_catalogues_foreign_element() -> None:
    assert official_terms("đăng ký kết hôn với người Trung Quốc") == ["nước ngoài"]
    assert official_terms("lay chong Dai Loan thi lam thu tuc ket hon o dau") == ["nước ngoài"]
    assert official_terms("bố cháu quốc tịch Hàn Quốc") == ["nước ngoài"]
    assert official_terms("kết hôn với người Lào") == ["nước ngoài"]
    assert official_terms("lấy chồng người Tàu") == official_terms("vợ người Nhật") == ["nước ngoài"]
    # typed without accents, "nguoi lao" is a worker far more often than a Laotian
    assert official_terms("che do cho nguoi lao dong") == []
    assert official_terms("xuất khẩu hàng sang Trung Quốc") == [], "a country alone is no foreign person"


def test_a_change_of_name_is_a_civil_status_correction_unless_it_is_a_companys() -> None:
    assert official_terms("đổi tên trong giấy khai sinh cho con") == ["thay đổi cải chính bổ sung thông tin hộ tịch"]
    assert official_terms("muốn đổi tên công ty thì làm gì") == ["đăng ký đổi tên doanh nghiệp"]
    # a name changed elsewhere is no civil-status record's
    assert official_terms("sai tên trên sổ đỏ") == ["giấy chứng nhận quyền sử dụng đất"]
    assert official_terms("đổi tên đường") == [] and official_terms("đổi tên hộ kinh doanh") == []


def test_a_first_land_certificate_asked_by_a_citizen_is_the_households() -> None:
    assert "hộ gia đình cá nhân" in with_official_terms("lam so do lan dau o dau")


def test_a_business_licence_is_a_household_business_or_a_companys_registration() -> None:
    assert official_terms("xin giấy phép kinh doanh quán ăn") == ["đăng ký thành lập hộ kinh doanh doanh nghiệp"]
    assert official_terms("giải thể công ty") == ["giải thể doanh nghiệp"]
    assert official_terms("công ty điện lực cắt điện không báo trước") == [], "a company complained of"


def test_the_chinese_border_town_across_from_lang_son_is_the_border_zone() -> None:
    assert "vùng biên giới việt nam trung quốc" in official_terms("làm giấy thông hành sang Bằng Tường buôn bán")
    assert official_terms("tường rào xây bằng tường gạch") == [], "'bằng tường' is also 'with a wall'"


def test_the_catalogues_abbreviations_and_their_words_find_each_other() -> None:
    """Names say "Giải quyết hưởng chế độ TNLĐ, BNN …", "Đăng ký đóng, cấp thẻ BHYT …"; citizens write
    the words out, or the other way round ("đóng bhxh tự nguyện")."""
    assert "tnlđ" in with_official_terms("chồng tôi bị tai nạn lao động gãy chân")
    assert "bảo hiểm xã hội" in with_official_terms("dong bhxh tu nguyen o dau")
    assert "đăng ký đóng" in with_official_terms("mua bảo hiểm y tế cho mẹ")


def test_selling_on_a_marketplace_app_is_business_on_an_e_commerce_platform() -> None:
    assert "nền tảng thương mại điện tử" in with_official_terms("bán hàng trên shopee muốn hoàn thuế")
    assert "nền tảng thương mại điện tử" in with_official_terms("ban tren lazada co phai khai thue khong")
    assert with_official_terms("mua hàng trên shopee bị lừa") == "mua hàng trên shopee bị lừa", "buying is not selling"


def test_importing_goods_is_no_household_registration_and_a_mortgage_is_a_security_interest() -> None:
    """ "nhập khẩu" alone imports goods ("đăng ký xe ô tô nhập khẩu" had been read as joining a
    household); a mortgage's registration and a contract's certification are named in the legal terms."""
    assert official_terms("đăng ký xe ô tô nhập khẩu") == ["đăng ký xe cấp biển số"]
    assert official_terms("nhập khẩu cho con mới sinh") == ["đăng ký thường trú"]
    assert official_terms("nhap khau nha chong can gi") == ["đăng ký thường trú"]
    assert "đăng ký biện pháp bảo đảm" in official_terms("thế chấp sổ đỏ vay ngân hàng")
    assert official_terms("chứng thực hợp đồng mua bán nhà") == ["chứng thực giao dịch"]
    assert official_terms("trích lục kết hôn bị mất") == ["cấp bản sao trích lục hộ tịch"]
    assert official_terms("xin giấy phép khai thác cát sông") == ["khai thác khoáng sản"], "sand is a mineral"


def test_closing_a_tax_code_a_damaged_certificate_and_reporting_staff_changes_are_named() -> None:
    assert official_terms("đóng mã số thuế hộ kinh doanh") == ["chấm dứt hiệu lực mã số thuế"]
    assert official_terms("so do bi rach lam lai") == ["cấp đổi giấy chứng nhận quyền sử dụng đất"], "not its loss"
    assert official_terms("công ty báo giảm lao động") == ["điều chỉnh đóng bhxh bhyt bhtn"]
    assert official_terms("giải thể hộ kinh doanh") == ["chấm dứt hoạt động hộ kinh doanh"]
    assert official_terms("khai thác nước ngầm") == ["nước dưới đất"]
    assert official_terms("lao động nữ nghỉ sinh được hưởng gì") == ["chế độ thai sản"]
    inspection = "cấp giấy chứng nhận kiểm định tem kiểm định an toàn kỹ thuật xe cơ giới"
    assert official_terms("đăng kiểm xe ô tô ở đâu") == [inspection], "a car is the catalogue's 'xe cơ giới'"
    assert official_terms("mở trung tâm đăng kiểm xe") == ["đủ điều kiện hoạt động kiểm định xe cơ giới"]
    assert "cấp lại giấy phép lái xe" in official_terms("đổi giấy phép lái xe máy bị mất"), "lost, not exchanged"
    assert official_terms("xin giấy khai sinh bản sao") == ["bản sao giấy khai sinh trích lục hộ tịch"]
    assert official_terms("khởi kiện đòi nợ") == ["gửi đơn khởi kiện"]
    assert official_terms("thẻ căn cước bị hỏng") == ["cấp đổi thẻ căn cước"], "damaged is exchanged, not re-issued"
    assert official_terms("đăng ký tạm trú cho người nước ngoài") == ["khai báo tạm trú cho người nước ngoài"]
    assert official_terms("mở tiệm cầm đồ") == ["giấy chứng nhận đủ điều kiện về an ninh trật tự"]
    assert official_terms("chứng thực bản sao sổ hộ khẩu") == ["chứng thực bản sao từ bản chính"], "a paper copied"
    assert official_terms("làm giấy xác nhận cư trú cho con") == ["xác nhận thông tin về cư trú"]
    assert official_terms("làm thủ tục thừa kế đất") == ["đăng ký biến động quyền sử dụng đất thừa kế"]
    assert "bhyt đối với người chỉ tham gia bhyt" in official_terms("lam the bhyt ho gia dinh")[0]
