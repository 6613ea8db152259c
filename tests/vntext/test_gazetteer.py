"""The administrative-unit gazetteer: what it says about units, old names and places in text.

Runs against the data file shipped in the package (no ../shared needed); the build function
is tested on a tiny copy of the source formats in `fixtures/admin_units_source/`.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from mauson.errors import Invalid, NotFound
from mauson.vntext import gazetteer as gz
from mauson.vntext.address import find_commune, find_units, parse_address, without_place_names
from mauson.vntext.gazetteer import Gazetteer, lookup, resolve, unit
from mauson.vntext.gazetteer_build import build_gazetteer
from mauson.vntext.normalize import fold

FIXTURE = Path(__file__).parent / "fixtures" / "admin_units_source"
SHARED_SOURCE = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "admin-units"


def names(units: tuple[gz.Unit, ...] | list[gz.Unit]) -> list[str]:
    return [u.name for u in units]


# --- the shipped table -------------------------------------------------------------------------


def test_the_table_has_the_2025_structure() -> None:
    table = gz.gazetteer()
    assert len(table.provinces) == 34
    assert len(table.units) == 3321
    langson = table.units_in("Lạng Sơn")
    assert len(langson) == 65
    assert sorted(u.name for u in langson if u.kind == "phuong") == [
        "Phường Kỳ Lừa",
        "Phường Lương Văn Tri",
        "Phường Tam Thanh",
        "Phường Đông Kinh",
    ]
    assert len(table.old_units_in("Lạng Sơn")) == 194
    assert len(table.districts_in("Lạng Sơn")) == 11


def test_the_table_keeps_the_source_attribution_and_stays_small() -> None:
    meta = gz.gazetteer().meta
    assert "dvhcvn" in meta["source"]
    assert meta["licence"] == "MIT"
    assert "Copyright (c) 2025 dvhcvn" in meta["licence_text"]
    assert gz.DATA_FILE.stat().st_size < 2_000_000


def test_every_old_langson_unit_resolves_by_its_name_and_district_to_where_it_went() -> None:
    table = gz.gazetteer()
    for old in table.old_units_in("Lạng Sơn"):
        assert old.district is not None
        found = table.resolve(f"{old.name} cũ, {old.district}")
        assert {u.code for u in found.units} == {t.code for t in old.targets}, old.name


def test_loading_happens_on_first_use_not_at_import() -> None:
    code = (
        "import mauson.vntext.gazetteer as g, mauson.vntext.address; "
        "print(g.gazetteer.cache_info().currsize); g.unit('06187'); print(g.gazetteer.cache_info().currsize)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["0", "1"]


# --- by code and by name -------------------------------------------------------------------------


def test_a_unit_by_code_and_what_it_was_formed_from() -> None:
    ky_lua = unit("06187")
    assert ky_lua.name == "Phường Kỳ Lừa"
    assert ky_lua.province_code == gz.LANG_SON
    assert {o.name for o in ky_lua.formed_from} >= {"Xã Tân Liên", "Thị trấn Cao Lộc", "Phường Hoàng Văn Thụ"}
    assert set(ky_lua.former_districts) == {"Thành phố Lạng Sơn", "Huyện Cao Lộc"}


def test_an_unknown_code_is_not_found_in_vietnamese() -> None:
    with pytest.raises(NotFound, match="Không có xã, phường nào mang mã 99999"):
        unit("99999")


@pytest.mark.parametrize("written", ["Kỳ Lừa", "phường Kỳ Lừa", "KỲ LỪA", "ky lua", "P. Kỳ Lừa"])
def test_lookup_by_name_ignores_case_diacritics_and_type_word(written: str) -> None:
    assert names(lookup(written)) == ["Phường Kỳ Lừa"]


def test_old_province_names_lead_to_the_new_province() -> None:
    assert gz.province("Bắc Giang").name == "Tỉnh Bắc Ninh"
    assert gz.province("20").short_name == "Lạng Sơn"
    with pytest.raises(NotFound):
        gz.province("Atlantis")


# --- resolving old names ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "written",
    [
        "xã Tân Liên, huyện Cao Lộc",
        "XÃ TÂN LIÊN, HUYỆN CAO LỘC",
        "xa tan lien, huyen cao loc",
        "X. Tân Liên, H. Cao Lộc",
        "Xã Tân Liên cũ",
        unicodedata.normalize("NFD", "xã Tân Liên, huyện Cao Lộc"),
    ],
)
def test_tan_lien_of_cao_loc_is_now_ky_lua(written: str) -> None:
    found = resolve(written)
    assert found.unit is not None and found.unit.name == "Phường Kỳ Lừa"
    assert not found.current
    assert [o.name for o in found.old_units] == ["Xã Tân Liên"]


@pytest.mark.parametrize("written", ["thị trấn Đồng Đăng", "TT Đồng Đăng", "thi tran dong dang"])
def test_the_old_town_of_dong_dang_became_xa_dong_dang(written: str) -> None:
    found = resolve(written)
    assert names(found.units) == ["Xã Đồng Đăng"]
    assert [o.name for o in found.old_units] == ["Thị trấn Đồng Đăng"]


def test_a_split_old_unit_returns_every_part_and_says_so() -> None:
    found = resolve("xã Bính Xá")
    assert found.split
    assert found.unit is None
    assert set(names(found.units)) == {"Xã Đình Lập", "Xã Kiên Mộc"}


def test_the_type_word_decides_between_an_old_town_and_a_new_commune_of_the_same_name() -> None:
    assert names(resolve("thị trấn Cao Lộc").units) == ["Phường Kỳ Lừa"]
    assert names(resolve("xã Cao Lộc").units) == ["Xã Cao Lộc"]
    assert names(resolve("phường Chi Lăng").units) == ["Phường Lương Văn Tri"]


def test_three_hoang_van_thu_are_told_apart_by_type_word_district_or_the_word_cu() -> None:
    assert names(resolve("phường Hoàng Văn Thụ").units) == ["Phường Kỳ Lừa"]
    assert resolve("xã Hoàng Văn Thụ").current
    assert names(resolve("xã Hoàng Văn Thụ").units) == ["Xã Hoàng Văn Thụ"]
    assert names(resolve("xã Hoàng Văn Thụ cũ, huyện Bình Gia").units) == ["Xã Bình Gia"]
    assert names(resolve("xã Hoàng Văn Thụ", context="Bình Gia").units) == ["Xã Bình Gia"]
    unsettled = resolve("xã Hoàng Văn Thụ cũ")
    assert unsettled.ambiguous
    assert set(names(unsettled.units)) == {"Xã Bình Gia", "Xã Hoàng Văn Thụ"}


def test_a_former_district_qualifies_an_old_name_even_when_a_new_unit_shares_it() -> None:
    assert names(resolve("xã Hồng Phong").units) == ["Xã Hồng Phong"]
    assert names(resolve("xã Hồng Phong, huyện Cao Lộc").units) == ["Xã Đồng Đăng"]
    assert names(resolve("xã Hòa Bình (huyện Chi Lăng)").units) == ["Xã Vạn Linh"]


def test_diacritics_separate_tan_thanh_from_tan_thanh_and_their_absence_is_reported() -> None:
    assert names(resolve("Tân Thanh").units) == ["Xã Hoàng Văn Thụ"]
    assert names(resolve("Tân Thành").units) == ["Xã Tân Thành"]
    unaccented = resolve("Tan Thanh")
    assert names(unaccented.units) == ["Xã Tân Thành"]
    assert "Xã Hoàng Văn Thụ" in names(unaccented.alternatives)


def test_a_former_district_resolves_to_all_its_new_units() -> None:
    found = resolve("huyện Cao Lộc")
    assert found.level == "district"
    assert len(found.units) == 8
    assert "Phường Kỳ Lừa" in names(found.units)
    assert resolve("TP Lạng Sơn").level == "district"


def test_other_provinces_are_reached_by_naming_them() -> None:
    with pytest.raises(NotFound, match="Ba Đình"):
        resolve("phường Ba Đình")
    assert names(resolve("phường Ba Đình", province="Hà Nội").units) == ["Phường Ba Đình"]
    assert names(resolve("phường Ba Đình, thành phố Hà Nội").units) == ["Phường Ba Đình"]


@pytest.mark.parametrize("written", ["", "   ", " , ; "])
def test_an_empty_name_is_invalid(written: str) -> None:
    with pytest.raises(Invalid, match="trống"):
        resolve(written)


def test_a_province_given_as_a_commune_is_invalid() -> None:
    with pytest.raises(Invalid, match="không phải xã, phường"):
        resolve("Thành phố Hà Nội")


# --- finding places in free text ----------------------------------------------------------------


def test_a_mention_carries_its_span_its_new_unit_and_a_confidence() -> None:
    text = "Tôi ở thôn Nà Pàn, xã Tân Liên, huyện Cao Lộc, tỉnh Lạng Sơn."
    mentions = find_units(text)
    commune = mentions[0]
    assert text[commune.start : commune.end] == commune.text == "xã Tân Liên"
    assert commune.unit is not None and commune.unit.name == "Phường Kỳ Lừa"
    assert commune.old and commune.confidence >= 0.9
    assert [(m.level, m.text) for m in mentions[1:]] == [("district", "huyện Cao Lộc")]


def test_offsets_refer_to_the_text_as_given_even_when_decomposed() -> None:
    text = unicodedata.normalize("NFD", "Nhà ở phường Tam Thanh, gần chợ Kỳ Lừa.")
    mentions = find_units(text)
    assert [unicodedata.normalize("NFC", m.text) for m in mentions] == ["phường Tam Thanh", "Kỳ Lừa"]
    assert all(text[m.start : m.end] == m.text for m in mentions)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ống nước vỡ ở đoạn xuống ga thị trấn Đồng Đăng cũ", "Xã Đồng Đăng"),
        ("ong nuoc vo o thi tran dong dang cu", "Xã Đồng Đăng"),
        ("ỐNG NƯỚC VỠ Ở THỊ TRẤN ĐỒNG ĐĂNG", "Xã Đồng Đăng"),
        ("con minh o thon ben Tan Minh cu chua duoc tiem", "Xã Kháng Chiến"),
        ("Thôn Bản Nằm, xã Hòa Bình cũ (huyện Chi Lăng) chưa nhận hỗ trợ", "Xã Vạn Linh"),
        ("Tôi ở xã Hồng Phong (huyện Cao Lộc cũ), nay là xã Đồng Đăng.", "Xã Đồng Đăng"),
        ("Mất nước ở khu khối 7 Hoàng Văn Thụ cũ", "Phường Kỳ Lừa"),
        ("Một số người dân khu xã Trùng Khánh cũ thuộc Văn Lãng phản ánh", "Xã Thụy Hùng"),
        ("mua hoa qua o cho Ky Lua ve can thieu", "Phường Kỳ Lừa"),
    ],
)
def test_the_commune_a_text_is_about(text: str, expected: str) -> None:
    guess = find_commune(text)
    assert guess is not None and guess.unit.name == expected


@pytest.mark.parametrize(
    "text",
    [
        "Phát huy tinh thần đoàn kết, giữ gìn hòa bình, độc lập dân tộc.",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM. Độc lập - Tự do - Hạnh phúc",
        "Học tập tư tưởng Hồ Chí Minh; Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh.",
        "Tôi đồng ý, đa số biểu quyết tán thành; hoạt động kinh doanh; quy định lập báo cáo.",
        "toi dong y voi y kien, moi nguoi doan ket, hoa binh",
        "Mô hình sản xuất tiên tiến, kinh tế tân tiến.",
        "Nhà tôi ở số 27 đường Bắc Sơn, gần phố Hoàng Văn Thụ.",
        "Cam Bắc Sơn năm nay được mùa; rượu Mẫu Sơn bán chạy.",
        "Kỷ niệm ngày sinh đồng chí Hoàng Văn Thụ.",
        "Kính gửi Ban Quản lý Khu kinh tế cửa khẩu Đồng Đăng – Lạng Sơn.",
        "Trùng Khánh, Cao Bằng có thác Bản Giốc; huyện Trùng Khánh rất đẹp.",
    ],
)
def test_words_streets_people_and_products_that_share_a_name_are_not_communes(text: str) -> None:
    assert [m.text for m in find_units(text) if m.level == "commune"] == []
    assert find_commune(text) is None


def test_a_bare_name_is_less_certain_than_a_typed_one() -> None:
    typed = find_units("Rác ở phường Kỳ Lừa.")[0].confidence
    landmark = find_units("Rác ở chợ Kỳ Lừa.")[0].confidence
    bare = find_units("Du khách đến Kỳ Lừa mua sắm.")[0].confidence
    district_like = find_units("Đường lên Cao Lộc hỏng.")[0].confidence
    assert typed > landmark > bare > district_like
    assert find_commune("Đường lên Cao Lộc hỏng.") is None


def test_place_names_can_be_cut_down_to_their_type_word() -> None:
    text = "Mất điện ở khối 7 Hoàng Văn Thụ cũ (nay phường Kỳ Lừa), gần đường Bắc Sơn, TP Lạng Sơn."
    assert without_place_names(text) == "Mất điện ở khối 7  cũ (nay phường), gần đường, TP."
    typed_bare = "mat dien o khoi 7 Hoang Van Thu cu, gan duong Bac Son, tp Lang Son"
    assert without_place_names(typed_bare) == "mat dien o khoi 7  cu, gan duong, tp"
    assert without_place_names("Không nêu địa danh nào.") == "Không nêu địa danh nào."


def test_villages_and_streets_lose_their_names_and_keep_what_follows() -> None:
    """Folded, "Trần Đăng Ninh" and "Khuổi Đăng" read "đang", in progress: ordinary petitions were
    raised to khẩn cấp. Only capitalised words are names: "đường trơn" keeps its word."""
    assert without_place_names("Ổ gà trên đường Trần Đăng Ninh gây nguy hiểm") == "Ổ gà trên đường gây nguy hiểm"
    village = "Tôi ở thôn Khuổi Đăng, đề nghị hỗ trợ cây giống"
    assert without_place_names(village) == "Tôi ở thôn, đề nghị hỗ trợ cây giống"
    assert without_place_names("o ga tren duong Tran Dang Ninh") == "o ga tren duong"
    assert without_place_names("đường trơn, ngõ 3 hẹp") == "đường trơn, ngõ 3 hẹp"
    # a name is a village's two words or a street's three, written as names are: what happened stays
    landslide = "Thôn Khuổi Đăng Sạt lở đất lấp đường vào thôn"
    assert without_place_names(landslide) == "Thôn Sạt lở đất lấp đường vào thôn"
    assert without_place_names("Xóm Nà Pàn Vỡ Đập chứa nước, nước tràn về") == "Xóm Vỡ Đập chứa nước, nước tràn về"
    assert without_place_names("THÔN KHUỔI ĐĂNG SẠT LỞ ĐẤT VÙI 2 NHÀ") == "THÔN KHUỔI ĐĂNG SẠT LỞ ĐẤT VÙI 2 NHÀ"


def test_a_split_or_ambiguous_old_name_names_no_single_commune() -> None:
    [split] = [m for m in find_units("Đường vào xã Bính Xá cũ bị sạt.") if m.level == "commune"]
    assert split.split and split.unit is None
    assert find_commune("Đường vào xã Bính Xá cũ bị sạt.") is None
    [ambiguous] = find_units("Trạm y tế xã Hoàng Văn Thụ cũ đóng cửa.")
    assert ambiguous.unit is None and len(ambiguous.units) == 2


def test_the_rest_of_the_text_settles_an_ambiguous_old_name() -> None:
    text = "Trạm y tế xã Hoàng Văn Thụ cũ đóng cửa. Dân huyện Văn Lãng phải đi xa."
    assert names(find_units(text)[0].units) == ["Xã Hoàng Văn Thụ"]


def test_a_whole_old_district_or_city_names_no_commune() -> None:
    assert find_commune("Vỉa hè ở thành phố Lạng Sơn bị lấn chiếm.") is None
    assert find_commune("Tôi hỏi về chính sách đất đai ở tỉnh Lạng Sơn.") is None


# --- addresses ------------------------------------------------------------------------------


def test_a_street_address_in_the_city() -> None:
    address = parse_address("Số 12 đường Trần Đăng Ninh, phường Tam Thanh, TP Lạng Sơn")
    assert address.house_number == "12"
    assert address.street == "Trần Đăng Ninh"
    assert address.commune is not None and address.commune.name == "Phường Tam Thanh"
    assert address.district == "Thành phố Lạng Sơn"
    assert address.province is not None and address.province.short_name == "Lạng Sơn"


@pytest.mark.parametrize(
    "written",
    [
        "thôn Nà Pàn, xã Tân Liên, huyện Cao Lộc, tỉnh Lạng Sơn",
        "thon Na Pan, xa Tan Lien, huyen Cao Loc, tinh Lang Son",
        "Thôn Nà Pàn X. Tân Liên H. Cao Lộc",
    ],
)
def test_a_village_address_with_old_names_resolves_to_the_new_ward(written: str) -> None:
    address = parse_address(written)
    assert address.hamlet is not None and fold(address.hamlet) == "thon na pan"
    assert address.commune is not None and address.commune.name == "Phường Kỳ Lừa"
    assert address.old_commune is not None and address.old_commune.name == "Xã Tân Liên"
    assert address.district == "Huyện Cao Lộc"
    assert address.province is not None and address.province.code == "20"


def test_abbreviated_and_accentless_city_address() -> None:
    address = parse_address("so 5 duong Le Loi, P. Vinh Trai, TP. Lang Son")
    assert (address.house_number, address.street) == ("5", "Le Loi")
    assert address.commune is not None and address.commune.name == "Phường Đông Kinh"
    assert address.district == "Thành phố Lạng Sơn"


def test_an_address_with_a_split_commune_lists_the_candidates() -> None:
    address = parse_address("xã Bính Xá, huyện Đình Lập")
    assert address.commune is None
    assert set(names(address.commune_candidates)) == {"Xã Đình Lập", "Xã Kiên Mộc"}


def test_an_address_without_type_words_or_in_another_province() -> None:
    address = parse_address("12 Trần Hưng Đạo, Chi Lăng, TP Lạng Sơn")
    assert address.street == "Trần Hưng Đạo"
    assert address.commune is not None and address.commune.name == "Phường Lương Văn Tri"
    hanoi = parse_address("phường Ba Đình, Hà Nội")
    assert hanoi.commune is not None and hanoi.commune.province_code == "01"


def test_an_empty_address_is_invalid() -> None:
    with pytest.raises(Invalid, match="Địa chỉ trống"):
        parse_address(" , ")


# --- building the table from the sources ----------------------------------------------------------


def test_build_writes_a_table_that_answers_questions(tmp_path: Path) -> None:
    report = build_gazetteer(FIXTURE, tmp_path / "admin_units.json")
    assert (report.provinces, report.communes, report.old_provinces, report.old_communes) == (2, 4, 3, 8)
    assert (report.langson_units, report.langson_phuong, report.warnings) == (3, 1, ())
    assert report.size_bytes == (tmp_path / "admin_units.json").stat().st_size
    table = Gazetteer.from_file(report.output)
    assert names(table.resolve("xã Tân Liên, huyện Cao Lộc").units) == ["Phường Kỳ Lừa"]
    assert table.resolve("xã Bính Xá").split
    assert names(table.resolve("Phường Hoàng Văn Thụ", province="Bắc Giang").units) == ["Phường Bắc Giang"]
    assert table.unit("06613").name == "Xã Đình Lập"  # the "<br>" in the official list is not a difference


def test_build_reports_sources_that_disagree(tmp_path: Path) -> None:
    source = tmp_path / "source"
    shutil.copytree(FIXTURE, source)
    official = source / "input" / "docs" / "1027_CTK-CSCL.md"
    official.write_text(official.read_text(encoding="utf-8").replace("Xã Kiên Mộc", "Xã Kiên Mộc Mới"), "utf-8")
    report = build_gazetteer(source, tmp_path / "admin_units.json")
    assert len(report.warnings) == 1 and "06625" in report.warnings[0]


def test_build_refuses_links_to_missing_units_and_leaves_the_old_file(tmp_path: Path) -> None:
    source = tmp_path / "source"
    shutil.copytree(FIXTURE, source)
    checked = source / "langson-communes.json"
    checked.write_text(checked.read_text(encoding="utf-8").replace('"06625"', '"06699"'), encoding="utf-8")
    output = tmp_path / "admin_units.json"
    output.write_text("previous", encoding="utf-8")
    with pytest.raises(Invalid, match="không tồn tại"):
        build_gazetteer(source, output)
    assert output.read_text(encoding="utf-8") == "previous"


def test_build_names_a_missing_source_file(tmp_path: Path) -> None:
    source = tmp_path / "source"
    shutil.copytree(FIXTURE, source)
    (source / "mapping" / "merges.json").unlink()
    with pytest.raises(Invalid, match=r"merges\.json"):
        build_gazetteer(source, tmp_path / "admin_units.json")


@pytest.mark.skipif(not SHARED_SOURCE.is_dir(), reason="the shared sources are not on this machine (CI)")
def test_the_shipped_table_is_what_the_sources_build(tmp_path: Path) -> None:
    report = build_gazetteer(SHARED_SOURCE, tmp_path / "admin_units.json")
    assert report.warnings == ()
    assert report.output.read_bytes() == gz.DATA_FILE.read_bytes(), "rebuild the data file: build_gazetteer(...)"
