"""Column classification and re-identification risk on a table the test builds."""

from __future__ import annotations

import random

import pytest

from mauson.errors import Invalid
from mauson.privacy.models import EntityType
from mauson.privacy.tables import (
    QuasiKind,
    generalise,
    k_anonymity,
    quasi_identifiers,
    read_csv,
    scan_columns,
    suggest_quasi_identifiers,
)

HEADER = ["STT", "Họ tên", "Ngày sinh", "Giới tính", "Địa chỉ", "Số điện thoại", "Số tiền"]


def _rows(count: int) -> list[list[str]]:
    rng = random.Random(7)
    surnames, given = ["Nông", "Hoàng", "Lương", "Vi", "Lăng"], ["Văn Tùng", "Thị Mai", "Văn Páo", "Thị Hoa"]
    communes = ["xã Tân Liên", "phường Đông Kinh", "xã Mẫu Sơn", "xã Hữu Lũng"]
    return [
        [
            str(n + 1),
            f"{rng.choice(surnames)} {rng.choice(given)}",
            f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{rng.randint(1950, 2004)}",
            rng.choice(["Nam", "Nữ"]),
            f"thôn {rng.choice(['Nà Pàn', 'Khuổi Lư', 'Bản Cầu', 'Pác Pha'])}, {rng.choice(communes)}, tỉnh Lạng Sơn",
            "09" + str(rng.randint(10**7, 10**8 - 1)),
            f"{rng.randint(1, 9) * 250}.000",
        ]
        for n in range(count)
    ]


def test_columns_are_classified_with_the_share_of_cells_that_matched() -> None:
    reports = {r.name: r for r in scan_columns(HEADER, _rows(400), sample=200)}
    assert reports["Họ tên"].type is EntityType.PERSON and reports["Họ tên"].share > 0.95
    assert reports["Ngày sinh"].type is EntityType.DATE_OF_BIRTH
    assert reports["Địa chỉ"].type is EntityType.ADDRESS
    assert reports["Số điện thoại"].type is EntityType.PHONE and reports["Số điện thoại"].sampled == 200
    assert not reports["STT"].is_personal and not reports["Số tiền"].is_personal


def test_birth_date_sex_and_address_are_suggested_as_quasi_identifiers() -> None:
    rows = _rows(100)
    quasi = suggest_quasi_identifiers(HEADER, scan_columns(HEADER, rows))
    assert quasi == {"Ngày sinh": QuasiKind.DATE, "Giới tính": QuasiKind.CATEGORY, "Địa chỉ": QuasiKind.ADDRESS}


def test_generalisation_reaches_the_target_k() -> None:
    rows = _rows(500)
    quasi = {"Ngày sinh": QuasiKind.DATE, "Giới tính": QuasiKind.CATEGORY, "Địa chỉ": QuasiKind.ADDRESS}
    columns = [HEADER.index(name) for name in quasi]
    assert k_anonymity(rows, columns).k == 1  # full birth dates single people out
    result = generalise(HEADER, rows, quasi, target_k=5)
    assert result.k >= 5 and result.steps["Ngày sinh"] in ("năm sinh", "thập niên")
    assert len(result.rows) + result.suppressed_rows == 500
    assert all("/" not in row[2] for row in result.rows)


def test_addresses_generalise_to_todays_commune_even_under_old_names() -> None:
    header = ["Ngày sinh", "Địa chỉ"]
    rows = [["1980", "thôn Nà Pàn, xã Tân Liên, huyện Cao Lộc"], ["1980", "khối 3, phường Kỳ Lừa"]] * 3
    result = generalise(header, rows, {"Địa chỉ": QuasiKind.ADDRESS}, target_k=6)
    assert result.k == 6 and {row[1] for row in result.rows} == {"Phường Kỳ Lừa"}


def test_a_csv_is_read_with_its_own_delimiter_and_without_blank_rows() -> None:
    data = "Họ tên;Ngày sinh;Giới tính\nVi Văn Thắng;12/03/1985;Nam\n;;\nNông Thị Mai;01/02/1990;Nữ\n"
    header, rows = read_csv(data.encode("utf-8"))
    assert header == ["Họ tên", "Ngày sinh", "Giới tính"]
    assert rows == [["Vi Văn Thắng", "12/03/1985", "Nam"], ["Nông Thị Mai", "01/02/1990", "Nữ"]]
    with pytest.raises(Invalid, match="một dòng tiêu đề"):
        read_csv("Họ tên;Ngày sinh\n".encode())


def test_chosen_quasi_identifiers_must_be_columns() -> None:
    rows = _rows(20)
    reports = scan_columns(HEADER, rows)
    assert quasi_identifiers(HEADER, reports, ["Giới tính", "STT"]) == {
        "Giới tính": QuasiKind.CATEGORY,
        "STT": QuasiKind.CATEGORY,
    }
    with pytest.raises(Invalid, match="Không có cột: Nghề nghiệp"):
        quasi_identifiers(HEADER, reports, ["Nghề nghiệp"])
