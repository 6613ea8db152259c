"""Diacritic restoration: accentless queries get their accents back, nothing else changes.

The first half trains on a tiny corpus written here, so it runs anywhere (CI has no
../shared); the second half checks the shipped model on queries a citizen might type.
"""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mauson.errors import Invalid
from mauson.vntext import diacritics_corpus
from mauson.vntext.cli import vntext_app
from mauson.vntext.diacritics import Model, load, restore, save, train
from mauson.vntext.diacritics_corpus import strip_diacritics

# "ban" is mostly "bán" here, but "bàn" before "làm việc" and "ban" after "Ủy":
# only a model that reads the context restores all three.
TINY_CORPUS = [
    "Gia đình tôi muốn bán nhà ở thành phố Lạng Sơn.",
    "Anh ấy bán nhà và bán đất cho người quen.",
    "Chị ấy bán đất ở xã bên cạnh.",
    "Cửa hàng bán bàn ghế, bán tủ và bán giường.",
    "Tôi ngồi ở bàn làm việc cả ngày.",
    "Bàn làm việc của cán bộ đặt cạnh cửa sổ.",
    "Ủy ban nhân dân tỉnh Lạng Sơn ban hành quyết định.",
    "Ủy ban nhân dân xã tiếp nhận hồ sơ.",
    "Người dân nộp hồ sơ tại Ủy ban nhân dân xã.",
    "Cán bộ xã tiếp nhận hồ sơ và trả kết quả.",
]


@pytest.fixture(scope="module")
def tiny() -> Model:
    return train(TINY_CORPUS, min_count=1, bigram_min_count=1, trigram_min_count=1)


def test_training_learns_which_form_the_context_needs(tiny: Model) -> None:
    assert restore("ban nha", model=tiny) == "bán nhà"
    assert restore("ban lam viec", model=tiny) == "bàn làm việc"
    assert restore("Uy ban nhan dan xa", model=tiny) == "Ủy ban nhân dân xã"


def test_spacing_punctuation_digits_and_capitals_are_kept(tiny: Model) -> None:
    typed = "  Ho so:\tnop tai UBND xa,  ngay 15/7 (LANG SON)!\n"
    assert restore(typed, model=tiny) == "  Hồ sơ:\tnộp tại UBND xã,  ngày 15/7 (LẠNG SƠN)!\n"


def test_words_typed_with_diacritics_stay_exactly_as_typed(tiny: Model) -> None:
    # The model alone writes "bán nhà", but a typed "bàn" is the citizen's word and stays.
    assert restore("bàn nha", model=tiny).split()[0] == "bàn"
    # A typed word steers its neighbour: alone "ban" is "bán", after a typed "Ủy" it is "ban".
    assert restore("ban", model=tiny) == "bán"
    assert restore("Ủy ban", model=tiny) == "Ủy ban"
    # "hoà" keeps the tone placement the citizen used (the model would write "hòa").
    assert restore("hoà giai o xa", model=tiny).startswith("hoà ")


def test_unknown_words_and_codes_are_left_alone(tiny: Model) -> None:
    assert restore("Zalo xa Lang Son", model=tiny) == "Zalo xã Lạng Sơn"
    assert restore("mau 3a ho so", model=tiny) == "mau 3a hồ sơ"


def test_text_without_letters_comes_back_unchanged(tiny: Model) -> None:
    assert restore("", model=tiny) == ""
    assert restore(" 12/05/2025 - 14:30 ", model=tiny) == " 12/05/2025 - 14:30 "


def test_a_saved_model_loads_back_and_restores_the_same(tiny: Model, tmp_path: Path) -> None:
    path = tmp_path / "model.bin.gz"
    save(tiny, path)
    loaded = load(path)
    assert loaded.vocab == tiny.vocab and len(loaded.trigram) == len(tiny.trigram)
    for typed in ("ban nha", "ban lam viec", "Uy ban nhan dan xa", "can bo tiep nhan ho so"):
        assert restore(typed, model=loaded) == restore(typed, model=tiny)
    save(tiny, tmp_path / "again.bin.gz")
    assert (tmp_path / "again.bin.gz").read_bytes() == path.read_bytes()  # rebuilds give no spurious diff


def test_a_damaged_or_missing_model_file_is_reported_in_vietnamese(tiny: Model, tmp_path: Path) -> None:
    path = tmp_path / "model.bin.gz"
    save(tiny, path)
    path.write_bytes(path.read_bytes()[:200])
    with pytest.raises(Invalid, match="bị hỏng"):
        load(path)
    (tmp_path / "other.gz").write_bytes(gzip.compress(b'{"not": "a model"}'))
    with pytest.raises(Invalid, match="bị hỏng"):
        load(tmp_path / "other.gz")
    with pytest.raises(Invalid, match="train-diacritics"):
        load(tmp_path / "absent.bin.gz")


def test_a_failed_save_leaves_no_partial_file(tiny: Model, tmp_path: Path) -> None:
    target = tmp_path / "taken"
    target.mkdir()  # a folder where the file should go: the final rename fails
    with pytest.raises(Invalid, match="Không ghi được"):
        save(tiny, target)
    assert [p.name for p in tmp_path.iterdir()] == ["taken"] and not any(target.iterdir())


def test_training_without_vietnamese_text_is_refused() -> None:
    with pytest.raises(Invalid, match="Không có đủ văn bản"):
        train(["", "123 456", "!!!"])
    with pytest.raises(Invalid):
        train(TINY_CORPUS, bigram_min_count=3, trigram_min_count=2)


def test_strip_diacritics_keeps_case_and_everything_but_the_marks() -> None:
    assert strip_diacritics("Đồng Đăng, LẠNG SƠN 2025") == "Dong Dang, LANG SON 2025"


# --- the command ---------------------------------------------------------------------------


def _tiny_source(root: Path) -> Path:
    (root / "procedures").mkdir(parents=True)
    (root / "laws" / "corpus").mkdir(parents=True)
    rows = [{"ma_thu_tuc": str(i), "ten_thu_tuc": f"Thủ tục số {i}", "trinh_tu_thuc_hien": line}
            for i, line in enumerate(TINY_CORPUS)]  # fmt: skip
    (root / "procedures" / "tthc.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows))
    for i, line in enumerate(TINY_CORPUS):
        (root / "laws" / "corpus" / f"luat-{i}.txt").write_text(line * 2, encoding="utf-8")
    return root


def test_train_diacritics_command_writes_a_model_that_restores(tmp_path: Path) -> None:
    source, output = _tiny_source(tmp_path / "data"), tmp_path / "out" / "model.bin.gz"
    result = CliRunner().invoke(vntext_app, ["train-diacritics", "--source", str(source), "--output", str(output)])
    assert result.exit_code == 0, result.output
    assert "Đã ghi" in result.output
    model = load(output)
    assert model.metadata["held_out_fingerprint"] == diacritics_corpus.fingerprint(
        diacritics_corpus.split_documents(diacritics_corpus.read_documents(source))[1]
    )
    assert restore("ho so", model=model) == "hồ sơ"


def test_train_diacritics_command_fails_in_one_line_without_data(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        vntext_app, ["train-diacritics", "--source", str(tmp_path), "--output", str(tmp_path / "m")]
    )
    assert result.exit_code == 1
    assert result.output.startswith("Lỗi: Không thấy") and result.output.count("\n") == 1
    assert not (tmp_path / "m").exists()


def test_restore_command_prints_the_restored_text() -> None:
    result = CliRunner().invoke(vntext_app, ["restore", "lam giay khai sinh o Lang Son"])
    assert result.exit_code == 0, result.output
    assert result.output == "làm giấy khai sinh ở Lạng Sơn\n"


# --- the shipped model, on queries citizens type -------------------------------------------


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("lam lai giay khai sinh bi mat", "làm lại giấy khai sinh bị mất"),
        ("dang ky thuong tru o dau", "đăng ký thường trú ở đâu"),
        ("ho so dang ky ket hon can nhung giay to gi?", "hồ sơ đăng ký kết hôn cần những giấy tờ gì?"),
        ("cap lai the bao hiem y te", "cấp lại thẻ bảo hiểm y tế"),
        ("Chung thuc chu ky tai UBND xa", "Chứng thực chữ ký tại UBND xã"),
        ("Tôi muon lam ho chieu", "Tôi muốn làm hộ chiếu"),
        ("cap giay phep lai xe hang A1, phi la 200.000 dong", "cấp giấy phép lái xe hạng A1, phí là 200.000 đồng"),
        ("HO SO DANG KY KINH DOANH", "HỒ SƠ ĐĂNG KÝ KINH DOANH"),
        ("Xa Cao Loc, tinh Lang Son", "Xã Cao Lộc, tỉnh Lạng Sơn"),
    ],
)
def test_shipped_model_restores_citizen_queries(typed: str, meant: str) -> None:
    assert restore(typed) == meant


def test_importing_the_module_does_not_load_the_model() -> None:
    code = "import mauson.vntext.diacritics as d; print(d.shipped_model.cache_info().currsize)"
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert output.strip() == "0"
