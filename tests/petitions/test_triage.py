"""Triage without a database: labels with their reasons, communes by old names, duplicates, deadlines."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from mauson.db import LOCAL_TZ
from mauson.errors import Invalid
from mauson.petitions import notify, photos
from mauson.petitions.classifier import described, shipped_model, words
from mauson.petitions.deadlines import due_at
from mauson.petitions.triage import (
    DUPLICATE_CHARS,
    Submission,
    in_window,
    stored_case,
    triage,
    triage_batch,
)
from tests.petitions import samples

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=LOCAL_TZ)


def test_a_fire_is_an_emergency_with_the_words_that_say_so() -> None:
    result = triage("CHÁY NHÀ ở khu phố chợ, lửa bốc lên, trên tầng có người đang kêu cứu", submitted_at=NOW)
    assert result.urgency.label == "khan_cap"
    assert result.category.label == "thien_tai_su_co"
    assert 0 < result.urgency.confidence <= 1
    assert {"cuu", "dang"} & {word for word, _ in result.urgency.words}  # someone calls for help, now
    assert any("chay" in word for word, _ in result.category.words)


def test_texts_without_diacritics_get_the_same_labels() -> None:
    marked = triage("Mất nước sinh hoạt cả tuần, công ty cấp nước không trả lời", submitted_at=NOW)
    bare = triage("mat nuoc sinh hoat ca tuan, cong ty cap nuoc khong tra loi", submitted_at=NOW)
    assert marked.category.label == bare.category.label == "dien_nuoc"
    assert marked.agency.label == bare.agency.label == "cap_nuoc"


def test_a_pre_2025_commune_name_resolves_to_todays_unit() -> None:
    result = triage(samples()["p002"]["text"], submitted_at=NOW)
    assert result.place is not None and result.place.name == "Xã Thất Khê"
    assert any("Chí Minh" in evidence for evidence in result.place.evidence)


@pytest.mark.parametrize(
    ("text", "commune"),
    [
        ("Tôi ở phường Đông Kinh nhưng phản ánh đường ở xã Khánh Khê hỏng nặng", "Xã Khánh Khê"),
        ("Nhà tôi ở xã Na Sầm. Cây cầu ở xã Hoàng Văn Thụ bị sập, xe không qua được", "Xã Hoàng Văn Thụ"),
        ("Đường ở xã Khánh Khê hỏng nặng. Địa chỉ liên hệ: phường Đông Kinh", "Xã Khánh Khê"),
        ("Nhà tôi ở xã Na Sầm, đường trước nhà hỏng nặng", "Xã Na Sầm"),  # only the home: the problem's too
        ("Tôi ở thôn Nà Lừa, xã Khánh Khê nhưng phản ánh đường ở phường Đông Kinh", "Phường Đông Kinh"),
        ("Tôi trú tại thôn Nà Lừa, xã Khánh Khê, đề nghị sửa đường ở phường Đông Kinh", "Phường Đông Kinh"),
        # where the sender is now, and a home that is where the problem is, are no home elsewhere
        ("Tôi đang ở xã Khánh Khê, thấy cháy rừng lớn, lửa đang lan về phía phường Đông Kinh", "Xã Khánh Khê"),
        ("Nhà tôi ở xã Khánh Khê bị sạt lở vùi lấp, con tôi đang học ở phường Đông Kinh", "Xã Khánh Khê"),
    ],
)
def test_where_the_sender_lives_is_not_where_the_problem_is(text: str, commune: str) -> None:
    result = triage(text, submitted_at=NOW)
    assert result.place is not None and result.place.name == commune


def test_a_text_naming_no_place_has_no_commune() -> None:
    assert triage("Cổng dịch vụ công hay bị lỗi, không nộp được hồ sơ", submitted_at=NOW).place is None


def test_personal_data_is_found_by_type_and_span() -> None:
    text = "Tôi là Hoàng Thị Liên, SĐT 0917 630 284, phản ánh đường hỏng"
    kinds = {(found.type, text[found.start : found.end]) for found in triage(text, submitted_at=NOW).personal_data}
    assert ("PHONE", "0917 630 284") in kinds


def test_a_batch_links_later_reports_of_one_incident_to_an_earlier_one_in_time_order() -> None:
    lines = samples()
    batch = [
        Submission(ref, lines[ref]["text"], datetime.fromisoformat(lines[ref]["submitted_at"]))
        for ref in ["p208", "p043", "p207", "p002", "p003", "p226"]  # not in time order
    ]
    results = triage_batch(batch)
    assert results["p003"].duplicate_of == "p002"
    assert results["p208"].duplicate_of == "p207"
    assert results["p002"].duplicate_of is None and results["p043"].duplicate_of is None
    assert results["p226"].duplicate_of is None


def test_a_fire_and_a_flood_in_one_ward_on_one_morning_are_two_incidents() -> None:
    flood = "Nước lũ dâng cao ngập nhà dân ở khối 3 phường Kỳ Lừa, nhiều hộ cần di dời gấp, cứu với."
    fire = "Cháy nhà ở khối 3 phường Kỳ Lừa, khói lớn, cần cứu hỏa đến ngay, cứu với."
    smoke = "Khối 3 phường Kỳ Lừa có đám cháy lớn, lửa bốc cao, đề nghị cứu hỏa đến gấp."
    batch = [
        Submission("lu", flood, NOW),
        Submission("chay", fire, NOW.replace(hour=10)),
        Submission("chay-2", smoke, NOW.replace(hour=11)),
    ]
    results = triage_batch(batch)
    assert results["lu"].incidents == {"nước, đất"} and results["chay"].incidents == {"lửa, điện"}
    assert results["chay"].duplicate_of is None, "one place and many words (a call for help too), another danger"
    assert results["chay-2"].duplicate_of == "chay", "a second report of the fire is still the fire's"


def test_a_power_cut_and_a_water_cut_in_one_ward_within_the_hour_are_two_incidents() -> None:
    power = "Phường Kỳ Lừa mất điện cả khu từ 7 giờ sáng đến giờ chưa có lại, đề nghị kiểm tra sớm."
    water = "Phường Kỳ Lừa mất nước cả khu từ 7 giờ sáng đến giờ chưa có lại, đề nghị kiểm tra sớm."
    again = "Cả khu phố ở phường Kỳ Lừa bị cúp điện từ sáng, đến trưa vẫn chưa có điện."
    batch = [
        Submission("dien", power, NOW),
        Submission("nuoc", water, NOW.replace(hour=9, minute=30)),
        Submission("dien-2", again, NOW.replace(hour=11)),
    ]
    results = triage_batch(batch)
    assert results["dien"].incidents == {"lửa, điện"} and results["nuoc"].incidents == {"nước sạch"}
    assert results["nuoc"].duplicate_of is None, "the same words, another outage"
    assert results["dien-2"].duplicate_of == "dien"


def test_an_outage_typed_bare_in_an_accented_line_is_still_of_its_kind() -> None:
    lines = [
        ("dien", "Khối 4 phường Tam Thanh mất điện từ sáng nay, chưa thấy ai đến sửa."),
        ("dien-2", "Khối 4 phường Tam Thanh mat dien tu sang, chua co lai."),
        ("nuoc", "Khoi 4 phuong Tam Thanh mat nuoc tu sang, chua co lai."),
        ("nuoc-2", "Khối 4 phường Tam Thanh mất nước từ sáng, chưa có lại."),
    ]
    results = triage_batch([Submission(ref, text, NOW.replace(hour=8 + i)) for i, (ref, text) in enumerate(lines)])
    assert results["dien-2"].incidents == {"lửa, điện"} and results["dien-2"].duplicate_of == "dien"
    assert results["nuoc"].duplicate_of is None and results["nuoc-2"].duplicate_of == "nuoc"


def test_a_cause_and_what_it_sets_off_are_one_incident() -> None:
    short = "Chập điện ở nhà dân khối 3 phường Kỳ Lừa, khói bốc lên nghi ngút, đề nghị cứu hộ đến gấp."
    burning = "Nhà dân khối 3 phường Kỳ Lừa đang cháy, khói bốc lên nghi ngút, đề nghị cứu hộ đến gấp."
    dam = "Vỡ đập thủy lợi ở thôn Khuổi Khe xã Bình Gia, nước tràn xuống ruộng và nhà dân."
    flood = "Nước lũ tràn vào nhà dân thôn Khuổi Khe xã Bình Gia, ruộng ngập hết, do đập bị vỡ."
    batch = [
        Submission("chap", short, NOW),
        Submission("chay", burning, NOW.replace(hour=10)),
        Submission("dap", dam, NOW),
        Submission("lu", flood, NOW.replace(hour=10)),
    ]
    results = triage_batch(batch)
    assert results["chay"].duplicate_of == "chap" and results["lu"].duplicate_of == "dap"


def test_an_incident_stays_open_for_duplicates_until_its_longest_reply_deadline() -> None:
    """Ten working days: two weeks in March, three across Tết (reports after the holiday still count)."""
    march, tet = datetime(2026, 3, 2, 9, 0, tzinfo=LOCAL_TZ), datetime(2026, 2, 12, 9, 0, tzinfo=LOCAL_TZ)
    assert in_window(march, datetime(2026, 3, 16, 16, 0, tzinfo=LOCAL_TZ))
    assert not in_window(march, datetime(2026, 3, 17, 9, 0, tzinfo=LOCAL_TZ))
    assert in_window(tet, datetime(2026, 3, 4, 9, 0, tzinfo=LOCAL_TZ)), "20 calendar days, 10 working days"
    assert not in_window(march, datetime(2026, 3, 1, 9, 0, tzinfo=LOCAL_TZ)), "not before it was sent"


def test_two_emergencies_days_apart_in_one_ward_are_two_incidents() -> None:
    """An emergency is open the day its reply is due: a house fire eight days after another in the
    same ward is another fire, while a second report of the first within hours is the first's."""
    fire = "Cháy nhà ở khối 5 phường Tam Thanh, lửa bốc cao, cần cứu hỏa đến ngay."
    again = "Khối 5 phường Tam Thanh đang cháy nhà, lửa bốc cao, đề nghị cứu hỏa gấp."
    later = "Cháy nhà ở khối 5 phường Tam Thanh, lửa bốc cao, mọi người đang dập, cần cứu hỏa."
    batch = [
        Submission("chay", fire, NOW),
        Submission("chay-2", again, NOW.replace(hour=11)),
        Submission("chay-khac", later, NOW + timedelta(days=8)),
    ]
    results = triage_batch(batch)
    assert all(result.urgency.label == "khan_cap" for result in results.values())
    assert results["chay-2"].duplicate_of == "chay"
    assert results["chay-khac"].duplicate_of is None


def test_a_flood_still_reported_days_later_is_the_same_flood() -> None:
    first = "Nước lũ dâng cao ngập nhà dân thôn Nà Lừa xã Khánh Khê, nhiều hộ bị cô lập, cần cứu gấp."
    later = "Thôn Nà Lừa xã Khánh Khê vẫn ngập lụt do nước lũ, nhiều hộ bị cô lập đã hai ngày, cần cứu trợ gấp."
    results = triage_batch([Submission("lu", first, NOW), Submission("lu-2", later, NOW + timedelta(hours=30))])
    assert results["lu"].urgency.label == results["lu-2"].urgency.label == "khan_cap"
    assert results["lu-2"].duplicate_of == "lu"


def test_due_dates_skip_weekends_and_tet() -> None:
    # Friday 13/2/2026, before Tết (16–20/2 are public holidays): five working days end on 27/2.
    assert due_at(datetime(2026, 2, 13, 10, 0, tzinfo=LOCAL_TZ), 5).date().isoformat() == "2026-02-27"
    # Received after office hours on Friday: one working day is the next Monday, 23/2 (after Tết).
    assert due_at(datetime(2026, 2, 13, 18, 0, tzinfo=LOCAL_TZ), 1).date().isoformat() == "2026-02-23"


def test_only_real_images_under_the_size_limit_are_kept(tmp_path) -> None:  # type: ignore[no-untyped-def]
    png = b"\x89PNG\r\n\x1a\n" + b"0" * 100
    [(name, _)] = photos.checked([("a.png", png)])
    assert name.endswith(".png") and "a.png" not in name, "stored under its content's hash, not the sender's name"
    with pytest.raises(Invalid, match="không phải ảnh"):
        photos.checked([("a.png", png), ("anh.jpg", b"<script>alert(1)</script>")])
    with pytest.raises(Invalid, match="lớn hơn"):
        photos.checked([("to.png", png + b"0" * photos.MAX_BYTES)])
    photos.write(tmp_path, photos.checked([("a.png", png)]))
    assert (tmp_path / name).read_bytes() == png


def test_the_seed_lines_use_known_labels_cover_both_sides_of_the_commune_boundary_and_are_distinct() -> None:
    from collections import Counter

    from mauson.petitions.labels import AGENCIES, CATEGORIES, URGENCIES
    from mauson.petitions.training import read_examples, seed_path

    seed = list(read_examples(seed_path()))
    assert len(seed) >= 339
    for example in seed:
        assert example.labels["category"] in CATEGORIES
        assert example.labels["agency"] in AGENCIES
        assert example.labels["urgency"] in URGENCIES
    assert len({example.text for example in seed}) == len(seed)
    # Every category whose matters split between the commune and a department has both in the seed.
    by_category = Counter((e.labels["category"], e.labels["agency"] == "ubnd_xa") for e in seed)
    for category in ("dat_dai", "moi_truong", "y_te", "van_hoa_du_lich", "giao_thong", "trat_tu_do_thi"):
        assert by_category[category, True] and by_category[category, False], category


def test_a_reissued_land_certificate_goes_to_the_land_office_and_a_first_one_to_the_commune() -> None:
    reissue = triage("Xin hỏi làm lại sổ đỏ bị cháy mất thì nộp hồ sơ cấp lại ở đâu?", submitted_at=NOW)
    first = triage("Nhà tôi muốn làm sổ đỏ lần đầu cho mảnh đất ở trong thôn, nộp ở xã được không?", submitted_at=NOW)
    assert reissue.agency.label == "so_nn_mt"
    assert first.agency.label == "ubnd_xa"


def test_a_bad_receiver_is_an_outcome_and_a_webhook_redirect_is_not_followed() -> None:
    message = notify.AlertMessage(
        1, "Thiên tai, sự cố", "khan_cap", None, "Công an tỉnh", "Cháy", "/officer/petitions/1"
    )
    delivered, detail = notify.send("email", "smtp://127.0.0.1:9/a@b.vn", message, internal=True)  # nobody there
    assert not delivered and "ConnectionRefusedError" in detail
    injected = "smtp://127.0.0.1:9/a@b.vn?from=x@y.vn%0d%0aBcc:%20c@d.vn"
    delivered, detail = notify.send("email", injected, message, internal=True)
    assert not delivered and "Thư điện tử phải có dạng" in detail
    reached: list[str] = []

    class Redirect(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # "moved": to an address inside the server's network
            self.send_response(302)
            self.send_header("Location", "/noi-bo")
            self.end_headers()

        def do_GET(self) -> None:
            reached.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Redirect)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        delivered, detail = notify.send(
            "webhook", f"http://127.0.0.1:{server.server_address[1]}/", message, internal=True
        )
        # Stored by an agency (not an administrator), the same target is checked again when sent:
        # a name registered on the Internet can be pointed at the server's own network later.
        refused, why = notify.send("webhook", f"http://127.0.0.1:{server.server_address[1]}/", message, internal=False)
    finally:
        server.shutdown()
        server.server_close()
    assert not delivered and "302" in detail and reached == []
    assert not refused and "không phải địa chỉ công khai" in why


def test_long_petitions_are_compared_on_their_opening_and_found_among_many() -> None:
    """Only the first DUPLICATE_CHARS count (how fast that is, is bench/petitions.py's to measure)."""
    long = "Đường hỏng ổ gà lớn ở phường Kỳ Lừa, xe máy ngã nhiều. " * 200
    assert len(long) > 10_000
    model = shipped_model()
    assert stored_case("1", NOW, None, "giao_thong", long, None, model=model) == stored_case(
        "1", NOW, None, "giao_thong", long[:DUPLICATE_CHARS] + "khác hẳn ở cuối", None, model=model
    )
    earlier = [f"{long} số {n}" for n in range(300)]
    cases = [stored_case(str(n), NOW, None, "giao_thong", t, None, model=model) for n, t in enumerate(earlier)]
    assert triage(long, submitted_at=NOW, earlier=cases).duplicate_of is not None


def test_who_sent_a_petition_does_not_change_what_it_is_about() -> None:
    pothole = "Ổ gà lớn trên đường Bà Triệu, gần chợ Giếng Vuông, xe máy đi qua rất dễ ngã."
    signed = pothole + " Tôi là Lương Thị Hạnh, điện thoại 0912345678."
    alone, with_contact = triage(pothole, submitted_at=NOW), triage(signed, submitted_at=NOW)
    assert with_contact.category.label == alone.category.label == "giao_thong"
    assert with_contact.agency.label == alone.agency.label
    assert words(described(signed)) == words(described(pothole)), "the contact details add nothing"
    fire = triage(
        "Cháy nhà dân ở khối 5, khói lớn, cứu hỏa đến ngay! Tôi là Lê Văn Bình, CCCD 020074003958.", submitted_at=NOW
    )
    assert fire.agency.rule is None, "the sender's own CCCD fires no rule of the police's papers"
    beating = "Ông Nguyễn Văn Bình đánh vợ dã man ngay giữa sân"
    assert "đánh vợ" in described(beating), "a name inside what happened keeps the clause"


def test_a_place_name_says_where_not_what_happened() -> None:
    """ "Đồng Đăng" folds onto "đang" (in progress), a word of emergencies: a workshop's noise there
    is no more urgent than anywhere else, and the commune is still found."""
    noise = "Xưởng gỗ ở xã {} hoạt động cả đêm gây tiếng ồn và bụi, ảnh hưởng sức khỏe người dân xung quanh."
    there, elsewhere = (
        triage(noise.format("Đồng Đăng"), submitted_at=NOW),
        triage(noise.format("Na Sầm"), submitted_at=NOW),
    )
    assert there.urgency.label == elsewhere.urgency.label == "binh_thuong"
    assert there.place is not None and there.place.name == "Xã Đồng Đăng"
    assert not any("dang" in word.split() for word, _ in there.urgency.words), "a place name is never a reason"
    assert described("Mất nước ở thị trấn Đồng Đăng cũ") == "Mất nước ở thị trấn cũ"


def test_a_house_fire_goes_to_the_fire_police_whatever_the_smoke() -> None:
    fire = triage("Cháy nhà dân ở khối 5 phường Tam Thanh, khói lớn, đề nghị cứu hỏa đến ngay!", submitted_at=NOW)
    assert (fire.category.label, fire.agency.label, fire.urgency.label) == (
        "thien_tai_su_co",
        "cong_an_tinh",
        "khan_cap",
    )
