"""Catalogue records for the assistant's tests, written in the portal's own run-together format."""

from __future__ import annotations

import json
import unicodedata
from typing import Any

CHANNELS = (
    "Hình thức nộpThời gianPhí, lệ phíMô tả"
    "Trực tiếp5 Ngày làm việcLệ phí : 8.000 ĐồngNộp tại Trung tâm Phục vụ hành chính công."
    "Trực tuyến5 Ngày làm việcMiễn phí(Miễn lệ phí cho người thuộc hộ nghèo.)Nộp qua Cổng Dịch vụ công quốc gia."
)
DOCUMENTS = (
    "Giấy tờ phải nộp:Tên giấy tờMẫu đơn, tờ khaiSố lượng"
    "Tờ khai đăng ký khai sinh theo mẫu (Mẫu TP/HT-2020-TKKS)Mau TKKS.docx1 bản chính"
    "Giấy chứng sinh1 bản chính"
    "Giấy tờ phải xuất trình:Tên giấy tờMẫu đơn, tờ khaiSố lượng"
    "Hộ chiếu hoặc thẻ căn cước còn giá trị sử dụng1 bản chính,1 bản sao"
)
LEGAL_BASES = (
    "Tên văn bản pháp lýMã văn bản"
    "Luật Hộ tịch60/2014/QH13"
    "Nghị định 123/2015/NĐ-CP123/2015/NĐ-CP"
    "Thông tư quy định mức thu, miễn một số khoản phí, lệ phí64/2025/TT-BTC"
)
RESULT = (
    "Giấy khai sinhMã: KQ.G15.000001Từ khóaKhông có thông tinMô tảKhông có thông tin"
    "Chọn cơ quan thực hiệnTỉnh/ Thành phốBộ ngành-- Chọn Tỉnh/ Thành phố --Phường/ XãNộp hồ sơ"
)


def record(code: str = "1.001193", name: str = "Thủ tục đăng ký khai sinh", **fields: Any) -> dict[str, Any]:
    """A catalogue record as the portal crawl has it; the name arrives decomposed (NFD), as it often does."""
    raw: dict[str, Any] = {
        "ma_thu_tuc": code,
        "ten_thu_tuc": unicodedata.normalize("NFD", name),
        "cap_thuc_hien": "Cấp xã",
        "linh_vuc": "Hộ tịch",
        "co_quan_thuc_hien": "Ủy ban nhân dân cấp xã",
        "co_quan_co_tham_quyen": "",
        "dia_chi_tiep_nhan": "",
        "doi_tuong_thuc_hien": "Công dân Việt Nam",
        "yeu_cau_dieu_kien": "Không có thông tin",
        "trinh_tu_thuc_hien": "Bước 1: Nộp hồ sơ.\nBước 2: Nhận kết quả.",
        "cach_thuc_thuc_hien": CHANNELS,
        "thanh_phan_ho_so": DOCUMENTS,
        "can_cu_phap_ly": LEGAL_BASES,
        "ket_qua_xu_ly": RESULT,
        "detail_url": f"https://dichvucong.gov.vn/thu-tuc-hanh-chinh/{code}",
        "so_quyet_dinh": "163/QĐ-BTP",
    }
    raw.update(fields)
    return raw


def line(code: str = "1.001193", name: str = "Thủ tục đăng ký khai sinh", **fields: Any) -> str:
    """The record as one line of a JSON Lines catalogue."""
    return json.dumps(record(code, name, **fields), ensure_ascii=False)
