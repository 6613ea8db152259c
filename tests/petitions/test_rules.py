"""The written labelling rules (`mauson.petitions.rules`): cue phrases on folded text, combined with the model."""

from __future__ import annotations

from datetime import datetime

import pytest

from mauson.db import LOCAL_TZ
from mauson.petitions import rules
from mauson.petitions.triage import triage

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=LOCAL_TZ)


@pytest.mark.parametrize(
    ("text", "label", "cue"),
    [
        ("Gia đình tôi bị mất sổ đỏ khi chuyển nhà, giờ phải làm sao", "so_nn_mt", "mất sổ đỏ"),
        ("xin hoi thu tuc cap lai so do bi rach thi lam the nao", "so_nn_mt", "cấp lại sổ đỏ"),
        ("Sổ hồng ghi sai tên vợ tôi, cần đính chính sổ hồng ở đâu?", "so_nn_mt", "đính chính sổ hồng"),
        ("Bố mẹ tôi muốn sang tên mảnh đất cho con trai", "so_nn_mt", "sang tên mảnh đất"),
        ("nha toi muon lam so do lan dau cho manh dat vuon", "ubnd_xa", "làm sổ đỏ lần đầu"),
        ("Hộ tôi ở bản chưa có sổ đỏ, đề nghị hướng dẫn", "ubnd_xa", "chưa có sổ đỏ"),
        ("Tôi đổi căn cước cho con đã hai tháng chưa nhận được", "cong_an_tinh", "đổi căn cước"),
        ("Xin hỏi làm lại căn cước bị mất ở phường Kỳ Lừa thì cần giấy tờ gì", "cong_an_tinh", "làm lại căn cước"),
        ("Hàng xóm đăng ký thường trú cho người lạ vào nhà mình", "cong_an_tinh", "đăng ký thường trú"),
        ("tai khoan VNeID cua toi bi khoa, ko dang nhap duoc", "cong_an_tinh", "VNeID"),
        ("Đi làm xa muốn đăng ký tạm trú cho cả nhà", "cong_an_tinh", "đăng ký tạm trú"),
        ("Bằng lái xe của tôi hết hạn, đổi ở đâu?", "cong_an_tinh", "bằng lái"),
        ("Nhà bên cạnh bị trộm mất xe máy đêm qua", "cong_an_tinh", "bị trộm"),
        ("Có người lạ đang cạy cửa nhà hàng xóm, mọi người ra giúp với", "cong_an_tinh", "cạy cửa"),
        ("co nguoi goi dien lua dao bao trung thuong", "cong_an_tinh", "lừa đảo"),
        ("Công ty may nợ lương công nhân 3 tháng", "so_noi_vu", "nợ lương"),
        ("cong ty khong dong bhxh cho chung toi", "so_noi_vu", "BHXH"),
        ("Chế độ cho cựu chiến binh ở thôn chưa được giải quyết", "so_noi_vu", "cựu chiến binh"),
        ("Tôi muốn thành lập công ty vận tải, hồ sơ gồm những gì?", "so_tai_chinh", "thành lập công ty"),
        ("Đèn đường ở đầu thôn tắt cả tháng nay", "ubnd_xa", "đèn đường"),
        ("duong lien thon bi sut lun, xe may di rat nguy hiem", "ubnd_xa", "đường liên thôn"),
        ("Nhà hàng xóm xây dựng không phép lấn sang đất nhà tôi", "ubnd_xa", "xây dựng không phép"),
        ("Quán karaoke hát đến 1 giờ sáng", "ubnd_xa", "karaoke"),
        # the 2025 mergers: transport → construction, information → science and technology,
        # social protection → health, vocational training → education
        ("Xe tôi hết hạn đăng kiểm, trung tâm hẹn 2 tuần", "so_xay_dung", "đăng kiểm"),
        ("tuyen xe buyt noi tinh bo chuyen suot", "so_xay_dung", "xe buýt"),
        ("Đèn tín hiệu ở ngã tư tắt từ sáng", "so_xay_dung", "đèn tín hiệu"),
        ("cong dich vu cong cua tinh bi loi khong nop duoc ho so", "so_khcn", "cổng dịch vụ công của tỉnh"),
        ("Bưu phẩm gửi về thôn bị thất lạc", "so_khcn", "bưu phẩm"),
        ("Mẹ tôi chưa được hưởng trợ cấp bảo trợ xã hội", "so_y_te", "bảo trợ xã hội"),
        ("Con tôi muốn đi cai nghiện ma túy tự nguyện", "so_y_te", "cai nghiện"),
        ("xin hoi lop hoc nghe mien phi cho lao dong nong thon", "so_gd_dt", "học nghề"),
        ("Cửa hàng bán mỹ phẩm không rõ xuất xứ", "so_cong_thuong", "không rõ xuất xứ"),
        ("Người lạ đến thôn truyền đạo trái phép", "so_dan_toc_ton_giao", "truyền đạo"),
    ],
)
def test_agency_rules_read_the_conventions_with_or_without_diacritics(text: str, label: str, cue: str) -> None:
    everything = {reason: 1.0 for reason in rules.WEIGHTS}
    hit = rules.match(text, "agency", everything)
    assert hit is not None and (hit.label, hit.cue) == (label, cue)


@pytest.mark.parametrize(
    ("text", "cue"),
    [
        ("Cháy nhà ở đầu ngõ, lửa đang lan sang nhà bên", "cháy nhà"),
        ("chay rung tren doi thong sau thon, gio to", "cháy rừng"),
        ("Mưa to cả đêm, taluy sau nhà sạt lở, đất đá lăn xuống", "sạt lở"),
        ("nuoc lu len nhanh, ca xom bi co lap", "nước lũ"),
        ("Dây điện đứt rơi xuống đường, trẻ con đi học qua đây", "dây điện đứt"),
        ("Hai nhóm thanh niên đang đánh nhau bằng dao trước cổng chợ", "đánh nhau"),
        ("bo toi dang bi lua chuyen tien cho nguoi gia danh cong an", "đang bị lừa"),
        ("Sau bữa cỗ cả chục người bị ngộ độc tập thể", "ngộ độc tập thể"),
        ("Thân đập hồ chứa thấm nước, người dân sợ vỡ đập", "vỡ đập"),
        ("tuong rao truong mam non bi nghieng sap do", "tường rào trường"),
    ],
)
def test_urgency_rules_name_the_dangers_of_the_conventions(text: str, cue: str) -> None:
    hit = rules.match(text, "urgency", {reason: 1.0 for reason in rules.WEIGHTS})
    assert hit is not None and hit.label == "khan_cap" and hit.cue == cue


@pytest.mark.parametrize(
    ("text", "cue"),
    [
        ("Xin hỏi lịch tiêm chủng cho trẻ", "xin hỏi"),
        ("cho minh hoi thu tuc doi bang lai xe", "cho mình hỏi"),
        ("Xin gửi lời cảm ơn các y bác sĩ khoa nhi", "gửi lời cảm ơn"),
    ],
)
def test_questions_and_praise_are_binh_thuong(text: str, cue: str) -> None:
    hit = rules.match(text, "urgency", {reason: 1.0 for reason in rules.WEIGHTS})
    assert hit is not None and (hit.label, hit.cue) == ("binh_thuong", cue)


def test_a_danger_outranks_the_question_it_is_asked_in() -> None:
    hit = rules.match("Cho tôi hỏi số cứu hỏa, nhà bên đang cháy nhà", "urgency")
    assert hit is not None and hit.label == "khan_cap"


@pytest.mark.parametrize(
    "text",
    [
        "Tháng trước có nhà bị chập điện cháy, xe cứu hỏa phải đỗ ngoài đầu ngõ vì ô tô đỗ kín",
        "Năm ngoái đồi sau nhà bị sạt lở, đề nghị xã xây kè chắn cho các hộ bên dưới",
        "doan qua ngam moi lan lu la nuoc chay xiet, nam ngoai co nguoi bi cuon troi, de nghi cam bien bao",
        "Năm 2023 khu này từng bị cháy rừng, nay đề nghị làm đường băng cản lửa",
        "Hồi tháng 8 lũ quét cuốn trôi cây cầu tạm, đến giờ dân vẫn phải lội suối đi làm",
        "Năm ngoái, đồi sau nhà bị sạt lở, đề nghị xã xây kè",
        "Hôm trước dây điện đứt khi tôi đang tưới rau, điện lực đã sửa xong, đề nghị kiểm tra lại cả tuyến",
    ],
)
def test_a_danger_told_as_past_or_recurring_is_no_emergency_now(text: str) -> None:
    assert rules.match(text, "urgency") is None
    assert triage(text, submitted_at=NOW).urgency.label != "khan_cap"


def test_a_danger_told_as_past_is_the_reason_an_officer_reads() -> None:
    result = triage("Năm 2023 khu này từng bị cháy rừng, nay đề nghị làm đường băng cản lửa", submitted_at=NOW)
    assert result.urgency.label != "khan_cap"
    assert result.urgency.rule == "quy tắc: cháy rừng đã qua → không khẩn cấp"
    assert result.urgency.words[0] == ("quy tắc: cháy rừng đã qua → không khẩn cấp", 2.996)


def test_a_danger_that_started_before_and_is_still_there_is_an_emergency() -> None:
    text = "Dây điện bị đứt từ hôm trước đến nay vẫn chưa ai sửa, trẻ con đi qua rất sợ"
    hit = rules.match(text, "urgency")
    assert hit is not None and hit.label == "khan_cap"
    assert triage(text, submitted_at=NOW).urgency.label == "khan_cap"


@pytest.mark.parametrize(
    "text",
    [
        "Mưa to cả đêm, đồi sau nhà bị sạt lở, đất đá tràn vào bếp nhà tôi ở thôn Nà Lầu",
        "sat lo dat o taluy duong vao thon, da lan xuong mat duong",
        "Dây điện bị đứt rơi xuống đường trước cổng trường tiểu học, rất nguy hiểm cho các cháu",
        # what is dated is the report or a repeat, not the danger
        "Dây điện bị đứt rơi xuống đường trước cổng trường, trước đây đã báo nhưng chưa sửa, rất nguy hiểm",
        "Dây điện đứt rơi xuống sân nhà tôi, mỗi lần mưa to là chập cháy",
        "Sáng nay 12 tháng 5 năm 2026 sạt lở lấp đường thôn Nà Lừa, xe không đi được",
        "Day dien bi dut nam truoc cong truong tieu hoc, rat nguy hiem",  # "nằm trước", not "năm trước"
        # a slope come down told without "lở"
        "Mưa to cả đêm, taluy đồi sau nhà tôi sạt xuống làm thủng tường bếp, cả nhà đã ra ngoài",
        "sạt taluy dương lấp một nửa đường vào bản Khuổi Phầy, đất vẫn đang trôi",
        # a line break ends the past clause
        "Năm ngoái nhà hàng xóm bị sạt lở\nNay đồi sau nhà tôi sạt lở lấp bếp, cả nhà phải ra ngoài",
    ],
)
def test_a_landslide_or_a_live_wire_happening_now_is_khan_cap_in_plain_words(text: str) -> None:
    result = triage(text, submitted_at=NOW)
    assert result.urgency.label == "khan_cap" and result.urgency.rule is not None


@pytest.mark.parametrize(
    "text",
    [
        "nha toi o sat taluy duong, de nghi xa cho lam ranh thoat nuoc",  # "sát taluy": next to the slope
        "taluy sat nha toi cao qua, de nghi kiem tra giup",
        "gia lua sat xuong con 5 nghin mot can",  # typed bare, not "sạt xuống"
        "Xe tải chở đất đá đổ trộm ven đường liên thôn",  # dumping, not a landslide
    ],
)
def test_a_slope_word_typed_bare_or_earth_dumped_raises_no_landslide(text: str) -> None:
    hit = rules.match(text, "urgency")
    assert hit is None or hit.reason != "sạt lở, lũ, ngập"


def test_an_identity_card_to_make_again_goes_to_the_police_whatever_the_ward_named() -> None:
    """The conventions give CCCD, residence and driving licences to the provincial police since 3/2025;
    the model had routed a lost card in a named ward to that ward's People's Committee."""
    result = triage("Xin hỏi làm lại căn cước bị mất ở phường Kỳ Lừa thì cần giấy tờ gì", submitted_at=NOW)
    assert result.agency.label == "cong_an_tinh" and result.agency.rule is not None


def test_a_vehicles_change_of_owner_is_no_land_transfer() -> None:
    everything = {reason: 1.0 for reason in rules.WEIGHTS}
    hit = rules.match("Mua xe máy cũ của người quen, sang tên xe ở đâu?", "agency", everything)
    assert hit is None or hit.label != "so_nn_mt"


def test_cues_match_whole_words_only() -> None:
    everything = {reason: 1.0 for reason in rules.WEIGHTS}
    assert rules.match("Có người đổ trộm phế thải xây dựng ra bãi đất trống", "agency", everything) is None
    assert rules.match("Đường nhựa mới làm rất đẹp, cảm ơn tỉnh", "agency", everything) is None
    assert rules.match("Lịch tiêm chủng cho trẻ ở trạm đã đổi", "urgency", everything) is None


@pytest.mark.parametrize(
    ("text", "not_this"),
    [
        ("Sáng nay thức dậy nghe tiếng nổ lớn ở xưởng bên cạnh", "học nghề, đào tạo nghề"),  # not "dạy nghề"
        ("Cửa hàng đầu ngõ bán hàng giá rẻ nhưng bày tràn ra đường", "hàng giả, hàng không rõ xuất xứ"),
        ("Cho hội người cao tuổi mượn nhà văn hóa thôn để tập văn nghệ", "câu hỏi, lời khen, góp ý"),
    ],
)
def test_text_with_accents_is_matched_with_its_accents(text: str, not_this: str) -> None:
    everything = {reason: 1.0 for reason in rules.WEIGHTS}
    fired = {hit.reason for kind in ("agency", "urgency") if (hit := rules.match(text, kind, everything))}
    assert not_this not in fired


def test_a_question_never_hides_an_emergency_the_model_sees() -> None:
    asked = triage("Xin hỏi: cây to đầu thôn đang nghiêng sắp đổ vào nhà dân, rất nguy hiểm", submitted_at=NOW)
    assert asked.urgency.label == "khan_cap"
    leak = triage("Cho tôi hỏi, khí gas rò rỉ ở nhà bên cạnh, mùi nồng lắm", submitted_at=NOW)
    assert leak.urgency.label == "khan_cap" and leak.urgency.rule == "quy tắc: gas rò rỉ → Khẩn cấp"


def test_the_first_rule_in_table_order_wins_so_the_specific_one_comes_first() -> None:
    # a re-issued certificate mentions land, but the land office re-issues it, not the commune
    hit = rules.match("Tranh chấp đất xong rồi, giờ tôi cần đính chính sổ đỏ", "agency")
    assert hit is not None and hit.label == "so_nn_mt"
    # a scam about working abroad is a crime before it is a labour matter
    hit = rules.match("Bị lừa đảo nộp tiền đi xuất khẩu lao động", "agency")
    assert hit is not None and hit.label == "cong_an_tinh"
    # drug rehabilitation is the health department's since 2025, though it names drugs
    hit = rules.match("Gia đình xin đưa con nghiện ma túy đi cai nghiện", "agency")
    assert hit is not None and hit.label == "so_y_te"
    # a pension paid at the post office is a labour matter, not the post's
    hit = rules.match("Lương hưu chi trả qua bưu chính chậm", "agency")
    assert hit is not None and hit.label == "so_noi_vu"


def test_a_deciding_rule_overrides_the_model_and_says_why() -> None:
    result = triage("Xin hỏi làm lại sổ đỏ bị cháy mất thì nộp hồ sơ ở đâu?", submitted_at=NOW)
    assert result.agency.label == "so_nn_mt"
    assert result.agency.rule == "quy tắc: làm lại sổ đỏ → Sở Nông nghiệp và Môi trường"
    assert result.agency.words[0][0] == result.agency.rule  # shown first among the reasons
    bare = triage("xin hoi lam lai so do bi chay mat thi nop ho so o dau", submitted_at=NOW)
    assert bare.agency.label == "so_nn_mt" and bare.agency.rule == result.agency.rule


def test_a_rule_is_a_strong_prior_not_the_only_voice() -> None:
    text = "Công ty nợ lương người lao động nhiều tháng rồi, đề nghị tỉnh can thiệp"
    plain = triage(text, submitted_at=NOW)
    assert plain.agency.label == "so_noi_vu" and plain.agency.rule is not None
    assert "nợ lương" in plain.agency.rule
    # the same model without the rule still gives a full ranking; the rule multiplied one label's odds
    from mauson.petitions.classifier import shipped_model

    without = shipped_model().predict(text)["agency"]
    assert without.rule is None
    assert dict(plain.agency.ranking)["so_noi_vu"] >= dict(without.ranking)["so_noi_vu"]


def test_an_emergency_rule_explains_the_khan_cap_label() -> None:
    result = triage("Khẩn cấp: đang cháy nhà ở thôn Nà Phai, lửa bốc cao, có người kẹt bên trong", submitted_at=NOW)
    assert result.urgency.label == "khan_cap"
    assert result.urgency.rule == "quy tắc: cháy nhà → Khẩn cấp"


def test_an_explaining_rule_does_not_change_the_models_choice() -> None:
    text = "Đèn đường ở đầu thôn tắt cả tháng nay"
    from mauson.petitions.classifier import shipped_model

    assert rules.WEIGHTS["việc xã, phường giải quyết"] == rules.EXPLAINS
    assert triage(text, submitted_at=NOW).agency.label == shipped_model().predict(text)["agency"].label


def test_every_rule_has_a_weight_and_known_labels() -> None:
    from mauson.petitions.labels import AGENCIES, URGENCIES

    reasons = [rule.reason for table in rules.RULES.values() for rule in table]
    assert set(rules.WEIGHTS) == set(reasons) and len(reasons) == len(set(reasons))
    assert all(rule.label in AGENCIES for rule in rules.AGENCY_RULES)
    assert all(rule.label in URGENCIES for rule in rules.URGENCY_RULES)
    assert all(
        cue == " ".join(cue.split()) and cue == cue.lower()
        for t in rules.RULES.values()
        for r in t
        for cue in r.folded
        if cue is not None
    )


def test_every_danger_of_the_urgency_rules_is_a_kind_of_incident_but_a_call_for_help() -> None:
    named = {rule.reason for rule in rules.URGENCY_RULES if rule.label == "khan_cap"}
    assert named - set(rules.INCIDENT_KINDS) == {"kêu cứu"}
