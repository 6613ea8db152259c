"""Anonymisers: each method hides the data in its own way, and pseudonyms stay consistent."""

from __future__ import annotations

import unicodedata

import pytest

from mauson.errors import Invalid
from mauson.privacy.anonymize import Keys, anonymize, decrypt_all
from mauson.privacy.models import Method
from mauson.privacy.service import scan, tag_personal_data, without_personal_data

TEXT = "Ông Lý Văn Sài, CCCD 020068014237, SĐT 0915 620 487. Vợ ông Sài là bà Bàn Thị Dung."
KEYS = Keys.derive("khóa-thử-nghiệm")


def test_masking_keeps_the_ends_of_numbers_and_the_initials_of_names() -> None:
    masked = anonymize(TEXT, scan(TEXT), method=Method.MASK, keys=KEYS)
    assert "020******237" in masked and "L. V. S." in masked
    assert "020068014237" not in masked and "0915 620 487" not in masked


def test_masking_leaves_no_part_of_a_birth_date_a_village_or_a_condition() -> None:
    text = "Họ tên: Vi Văn Thắng, ngày sinh 12/03/1985, thường trú thôn Khòn Pổ, xã Đình Lập. Bệnh: hen phế quản"
    masked = anonymize(text, scan(text), method=Method.MASK, keys=KEYS)
    assert masked == "Họ tên: V. V. T., ngày sinh **/**/****, thường trú ***, xã Đình Lập. Bệnh: ***"


def test_a_masked_address_without_a_commune_keeps_nothing() -> None:
    text = "Địa chỉ: thôn khòn pổ"
    assert anonymize(text, scan(text), method=Method.MASK, keys=KEYS) == "Địa chỉ: ***"


def test_tags_name_the_kind_of_data() -> None:
    tagged = anonymize(TEXT, scan(TEXT), method=Method.TAG, keys=KEYS)
    assert tagged.startswith("Ông [HỌ TÊN], CCCD [SỐ CCCD], SĐT [SỐ ĐIỆN THOẠI].")


def test_redaction_leaves_nothing_to_read() -> None:
    redacted = anonymize(TEXT, scan(TEXT), method=Method.REDACT, keys=KEYS)
    assert "Sài" not in redacted.split("Vợ")[0] and "█" in redacted


def test_pseudonyms_are_realistic_and_the_same_for_the_same_value() -> None:
    text = "Ông Lý Văn Sài (CCCD 020068014237) và ông Lý Văn Sài là một người."
    fake = anonymize(text, scan(text), method=Method.PSEUDONYM, keys=KEYS)
    first, second = fake.split("(")[0].split("Ông ")[1].strip(), fake.split("và ông ")[1].split(" là")[0]
    assert first == second and first != "Lý Văn Sài" and len(first.split()) == 3
    cccd = fake.split("CCCD ")[1][:12]
    assert cccd.isdigit() and cccd.startswith("020") and cccd != "020068014237"
    other_key = anonymize(text, scan(text), method=Method.PSEUDONYM, keys=Keys.derive("khóa-khác"))
    assert other_key != fake


def test_hashes_are_keyed_and_equal_for_equal_values() -> None:
    text = "SĐT 0915620487; gọi lại số 0915620487"
    hashed = anonymize(text, scan(text), method=Method.HASH, keys=KEYS)
    digests = [part[:10] for part in hashed.split("#")[1:]]
    assert len(digests) == 2 and digests[0] == digests[1]


def test_encryption_is_reversible_only_with_the_key() -> None:
    sealed = anonymize(TEXT, scan(TEXT), method=Method.ENCRYPT, keys=KEYS)
    assert "020068014237" not in sealed and "⟦enc:" in sealed
    assert decrypt_all(sealed, KEYS.encryption) == TEXT
    with pytest.raises(Invalid, match="Không giải mã được"):
        decrypt_all(sealed, Keys.derive("khóa-khác").encryption)


def test_a_method_can_be_chosen_per_type() -> None:
    result = anonymize(TEXT, scan(TEXT), method=Method.TAG, keys=KEYS, per_type={scan(TEXT)[1].type: Method.MASK})
    assert "[HỌ TÊN]" in result and "020******237" in result


def test_logs_keep_the_question_but_not_who_asked() -> None:
    assert tag_personal_data("Tôi là Lò Văn Sài, SĐT 0912345678, hỏi về khai sinh") == (
        "Tôi là [HỌ TÊN], SĐT [SỐ ĐIỆN THOẠI], hỏi về khai sinh"
    )


def test_a_name_gets_the_same_pseudonym_whether_its_unicode_is_composed_or_not() -> None:
    def pseudonymised(text: str) -> str:
        return unicodedata.normalize("NFC", anonymize(text, scan(text), method=Method.PSEUDONYM, keys=KEYS))

    composed = "Họ tên: Lương Văn Tùng"
    assert pseudonymised(unicodedata.normalize("NFD", composed)) == pseudonymised(composed) != composed


def test_a_text_without_its_personal_data_keeps_what_it_is_about() -> None:
    question = "Tôi là Nguyễn Văn An, số CCCD 020190001234, hỏi làm giấy khai sinh cho con cần gì"
    blanked = without_personal_data(question)
    assert len(blanked) == len(question) and "Nguyễn Văn An" not in blanked and "020190001234" not in blanked
    assert "số CCCD" in blanked and "giấy khai sinh" in blanked
    introduced = without_personal_data(question, clause_words=3)
    assert "CCCD" not in introduced and "Tôi là" not in introduced, "a clause that only introduces the sender goes"
    assert "hỏi làm giấy khai sinh cho con cần gì" in introduced
    typed_lower = "tôi là nguyễn văn an. số cccd 020190001234. hỏi làm giấy khai sinh cho con"
    assert without_personal_data(typed_lower, clause_words=3).split() == "hỏi làm giấy khai sinh cho con".split(), (
        "sentences typed without capitals are introductions all the same"
    )
