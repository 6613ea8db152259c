"""The label sets of petitions with the Vietnamese names people read, and where each agency sits.

The codes are those of the evaluation sets (`../shared/eval/README.md`); an agency label maps to
the organisation whose officers work the petition (`ubnd_xa` to the commune's own UBND).
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mauson.petitions.triage import Triage

CATEGORIES: dict[str, str] = {
    "giao_thong": "Giao thông",
    "trat_tu_do_thi": "Trật tự đô thị, xây dựng",
    "moi_truong": "Môi trường",
    "dat_dai": "Đất đai",
    "dien_nuoc": "Điện, nước",
    "an_ninh_trat_tu": "An ninh, trật tự",
    "y_te": "Y tế",
    "giao_duc": "Giáo dục",
    "thu_tuc_hanh_chinh": "Thủ tục hành chính",
    "lao_dong_chinh_sach": "Lao động, chính sách",
    "nong_nghiep": "Nông nghiệp",
    "cua_khau_thuong_mai": "Cửa khẩu, thương mại",
    "thien_tai_su_co": "Thiên tai, sự cố",
    "van_hoa_du_lich": "Văn hóa, du lịch",
    "khac": "Khác",
}

AGENCIES: dict[str, str] = {
    "so_xay_dung": "Sở Xây dựng",
    "so_nn_mt": "Sở Nông nghiệp và Môi trường",
    "so_cong_thuong": "Sở Công Thương",
    "so_y_te": "Sở Y tế",
    "so_gd_dt": "Sở Giáo dục và Đào tạo",
    "so_noi_vu": "Sở Nội vụ",
    "so_tai_chinh": "Sở Tài chính",
    "so_tu_phap": "Sở Tư pháp",
    "so_vhttdl": "Sở Văn hóa, Thể thao và Du lịch",
    "so_khcn": "Sở Khoa học và Công nghệ",
    "so_dan_toc_ton_giao": "Sở Dân tộc và Tôn giáo",
    "cong_an_tinh": "Công an tỉnh",
    "bql_kkt_cua_khau": "Ban Quản lý Khu kinh tế cửa khẩu",
    "ubnd_xa": "UBND xã, phường",
    "van_phong_ubnd_tinh": "Văn phòng UBND tỉnh",
    "dien_luc": "Công ty Điện lực",
    "cap_nuoc": "Công ty Cấp thoát nước",
}

# The organisation (identity code) whose officers work each agency's petitions. The power and water
# companies are not on the platform: the department that oversees them follows their cases.
AGENCY_ORGANISATIONS: dict[str, str] = {
    "so_xay_dung": "SXD",
    "so_nn_mt": "SNNMT",
    "so_cong_thuong": "SCT",
    "so_y_te": "SYT",
    "so_gd_dt": "SGDDT",
    "so_noi_vu": "SNV",
    "so_tai_chinh": "STC",
    "so_tu_phap": "STP",
    "so_vhttdl": "SVHTTDL",
    "so_khcn": "SKHCN",
    "so_dan_toc_ton_giao": "SDTTG",
    "cong_an_tinh": "CAT",
    "bql_kkt_cua_khau": "BQLKKT",
    "van_phong_ubnd_tinh": "VPUBND",
    "dien_luc": "SCT",
    "cap_nuoc": "SXD",
}
PROVINCE_OFFICE = "VPUBND"  # receives what has no better owner, e.g. `ubnd_xa` with no commune found

URGENCIES: dict[str, str] = {"khan_cap": "Khẩn cấp", "cao": "Cao", "binh_thuong": "Bình thường"}

# What a petition counts as while a label is missing (before its triage, or in an import without
# one): the province office receives it, at ordinary urgency, under "other".
DEFAULT_CATEGORY = "khac"
DEFAULT_AGENCY = "van_phong_ubnd_tinh"
DEFAULT_URGENCY = "binh_thuong"


class Status(StrEnum):
    NEW = "moi"
    TRIAGED = "da_phan_loai"
    FORWARDED = "da_chuyen"
    IN_PROGRESS = "dang_xu_ly"
    ANSWERED = "da_tra_loi"
    CLOSED = "da_dong"
    REJECTED = "tu_choi"


STATUS_LABELS: dict[Status, str] = {
    Status.NEW: "Mới",
    Status.TRIAGED: "Đã phân loại",
    Status.FORWARDED: "Đã chuyển",
    Status.IN_PROGRESS: "Đang xử lý",
    Status.ANSWERED: "Đã trả lời",
    Status.CLOSED: "Đã đóng",
    Status.REJECTED: "Từ chối",
}

# Each workflow step (`PetitionEvent.action`) as the history on the officer's page says it.
EVENT_ACTIONS: dict[str, str] = {
    "submit": "Gửi phản ánh",
    "triage": "Phân loại tự động",
    "decide": "Duyệt phân loại, chuyển xử lý",
    "transfer": "Chuyển cơ quan khác",
    "assign": "Giao cán bộ xử lý",
    "reply": "Trả lời người gửi",
    "close": "Đóng phản ánh",
    "reject": "Từ chối",
    "rate": "Người gửi đánh giá câu trả lời",
    "escalate": "Báo cáo cấp trên vì quá hạn",
    "link": "Sửa liên kết trùng sự việc",
}
SYSTEM_ACTIONS = frozenset({"triage", "escalate"})  # done by the platform, whoever's request set it off

# The working days an agency has to answer, by urgency (a khan_cap case is also pushed at once) ...
DUE_WORKING_DAYS: dict[str, int] = {"cao": 5, "binh_thuong": 10}
# ... except an emergency, due within hours round the clock: a fire on a Friday night or in Tết is
# the duty officers' at once, not the Monday after the holiday (counted in working days it was due
# nine days later, and not escalated until then).
EMERGENCY_DUE_HOURS = 24


def batch_line(ref: str, result: Triage) -> dict[str, str | None]:
    """The line `mauson petitions triage --jsonl` writes for one input."""
    return {
        "id": ref,
        "category": result.category.label,
        "agency": result.agency.label,
        "urgency": result.urgency.label,
        "commune": result.place.name if result.place else None,
        "duplicate_of": result.duplicate_of,
    }


# Who put a petition in its commune (`PetitionRead.commune_source`), as the officer's page says it.
COMMUNE_SOURCES: dict[str, str] = {
    "sender": "người gửi chọn",
    "triage": "phân loại tự động tìm thấy trong nội dung",
    "officer": "cán bộ sửa",
}

# Reply templates an officer starts from ({agency}: the organisation's name). What only the officer
# can write is a bracketed blank (`BLANKS`): a reply that still holds one is refused, since a
# template sent unedited had published «…hướng dẫn như sau: ...» as the agency's answer. A case to
# be sent on is transferred, not answered: «không thuộc thẩm quyền» tells the sender where to go.
BLANKS = ("[viết nội dung hướng dẫn]", "[ghi tên cơ quan có thẩm quyền]")
REPLY_TEMPLATES: dict[str, str] = {
    "da_xu_ly": "{agency} đã tiếp nhận và xử lý xong nội dung phản ánh. Cảm ơn ông/bà đã phản ánh.",
    "dang_kiem_tra": "{agency} đã cử cán bộ kiểm tra thực tế; kết quả xử lý sẽ được thông báo sớm nhất.",
    "huong_dan": f"Về nội dung ông/bà hỏi, {{agency}} hướng dẫn như sau: {BLANKS[0]}",
    "khong_thuoc_tham_quyen": "Nội dung phản ánh không thuộc thẩm quyền của {agency}; "
    f"đề nghị ông/bà gửi đến {BLANKS[1]} để được giải quyết.",
}
# Templates that promise an answer rather than give one: the reply form marks them «trả lời tạm»,
# so the case stays «Đang xử lý» and its deadline keeps running.
INTERIM_TEMPLATES = frozenset({"dang_kiem_tra"})
