"""Validation errors said in Vietnamese: one sentence per problem, naming the field in words.

FastAPI and pydantic describe a bad request in English and in code (`query.page`,
"Input should be greater than or equal to 1"). People read the sentence; API clients
keep branching on the machine-readable `type` and `loc`, which are passed on unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from mauson.vntext.amounts import written

# What a person calls each parameter or form field; anything else is named by its code.
FIELD_WORDS: dict[str, str] = {
    "page": "số trang",
    "per_page": "số mục mỗi trang",
    "limit": "số dòng",
    "offset": "vị trí bắt đầu",
    "q": "nội dung tìm kiếm",
    "field": "lĩnh vực",
    "level": "cấp thực hiện",
    "agency": "cơ quan thực hiện",
    "category": "lĩnh vực phản ánh",
    "commune": "xã, phường",
    "commune_code": "xã, phường",
    "status": "trạng thái",
    "theme": "chủ đề",
    "organisation": "cơ quan",
    "organisation_code": "cơ quan",
    "organisations": "cơ quan được chia sẻ",
    "access": "quyền truy cập",
    "format": "định dạng",
    "since": "ngày bắt đầu",
    "until": "ngày kết thúc",
    "actor": "người thực hiện",
    "action": "hành động",
    "outcome": "kết quả",
    "days": "số ngày",
    "expires_in_days": "số ngày hiệu lực",
    "title": "tên",
    "name": "tên",
    "description": "mô tả",
    "tags": "từ khóa",
    "licence": "giấy phép",
    "frequency": "tần suất cập nhật",
    "temporal": "thời gian của dữ liệu",
    "spatial": "phạm vi",
    "contact": "liên hệ",
    "unit": "đơn vị đo",
    "text": "nội dung",
    "reason": "lý do",
    "urgency": "mức khẩn",
    "duplicate_of": "số phản ánh cùng sự việc",
    "question": "câu hỏi",
    "rating": "điểm đánh giá",
    "comment": "nhận xét",
    "file": "tệp",
    "username": "tên đăng nhập",
    "password": "mật khẩu",
    "full_name": "họ và tên",
    "email": "email",
    "role": "vai trò",
    "code": "mã",
    "slug": "mã văn bản",
    "petition_id": "mã phản ánh",
    "user_id": "mã tài khoản",
    "token_id": "mã token",
    "alert_id": "mã cảnh báo",
}

# What an id in the address stands for, for the "not found" page.
PATH_THINGS: dict[str, str] = {
    "petition_id": "phản ánh",
    "user_id": "tài khoản",
    "token_id": "token API",
    "alert_id": "cảnh báo",
}

DATE_HINT = "{Field} phải là ngày theo dạng năm-tháng-ngày, ví dụ 2025-07-01."
ONE_OF = "{Field} chỉ nhận một trong các giá trị: {expected}."
WHOLE_NUMBER = "{Field} phải là một số nguyên, ví dụ 1, 2, 3."
# One sentence per kind of problem (pydantic's error `type`), with its fix where there is one.
SENTENCES: dict[str, str] = {
    "missing": "Còn thiếu {field}: hãy điền vào rồi gửi lại.",
    "int_parsing": WHOLE_NUMBER,
    "int_from_float": WHOLE_NUMBER,
    "float_parsing": "{Field} phải là một số.",
    "greater_than_equal": "{Field} phải từ {ge} trở lên.",
    "greater_than": "{Field} phải lớn hơn {gt}.",
    "less_than_equal": "{Field} không được quá {le}.",
    "less_than": "{Field} phải nhỏ hơn {lt}.",
    "string_too_long": "{Field} dài quá {max_length} ký tự: hãy rút ngắn lại.",
    "string_too_short": "{Field} cần ít nhất {min_length} ký tự.",
    "string_pattern_mismatch": "{Field} chưa đúng dạng quy định: hãy kiểm tra lại.",
    "too_long": "{Field} có quá {max_length} mục: hãy bớt đi.",
    "enum": ONE_OF,
    "literal_error": ONE_OF,
    "bool_parsing": "{Field} chỉ nhận có (true) hoặc không (false).",
    "date_parsing": DATE_HINT,
    "date_from_datetime_parsing": DATE_HINT,
    "datetime_parsing": DATE_HINT,
    "datetime_from_date_parsing": DATE_HINT,
}
FALLBACK = "{Field} chưa hợp lệ: hãy kiểm tra lại."
SOURCES = frozenset({"path", "query", "body", "header", "cookie"})  # how FastAPI's `loc` starts


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a request: the sentence for people, `type` and `loc` for programs."""

    type: str
    loc: tuple[str | int, ...]
    sentence: str
    value: str

    @property
    def source(self) -> str:
        """Where the value came from: "path", "query", "body", "header", "cookie" (or "" for a model)."""
        return str(self.loc[0]) if self.loc and self.loc[0] in SOURCES else ""

    @property
    def name(self) -> str:
        return _name(self.loc)

    @property
    def field(self) -> str:
        """The dotted path API clients already read (`query.page`, `name`)."""
        return ".".join(str(part) for part in self.loc if part != "body")


def field_word(name: str) -> str:
    return FIELD_WORDS.get(name, f"ô «{name}»") if name else "dữ liệu gửi lên"


def describe(error: Mapping[str, Any]) -> Problem:
    """One pydantic error (an item of `errors()`) as a `Problem` with its Vietnamese sentence."""
    loc = tuple(error.get("loc", ()))
    kind = str(error.get("type", ""))
    word = field_word(_name(loc))
    capital = word[:1].upper() + word[1:]
    values = {key: _show(value) for key, value in (error.get("ctx") or {}).items()}
    try:
        sentence = SENTENCES.get(kind, FALLBACK).format(field=word, Field=capital, **values)
    except KeyError:  # a problem of a known kind without the detail its sentence names
        sentence = FALLBACK.format(Field=capital)
    return Problem(type=kind, loc=loc, sentence=sentence, value=_short(error.get("input")))


def describe_all(errors: Iterable[Mapping[str, Any]]) -> list[Problem]:
    return [describe(error) for error in errors]


def sentences(problems: Iterable[Problem]) -> str:
    """The problems' sentences as one message, each said once."""
    return " ".join(dict.fromkeys(problem.sentence for problem in problems))


def _show(value: Any) -> str:
    """A limit or a choice as Vietnamese writes it: 1.000 for a thousand, "hoặc" for "or"."""
    if isinstance(value, int) and not isinstance(value, bool):
        return written(value)
    return str(value).replace(" or ", " hoặc ")


def _name(loc: tuple[str | int, ...]) -> str:
    """The parameter or field's own name: the last name after the source (list positions skipped)."""
    inside = loc[1:] if loc and loc[0] in SOURCES else loc
    return next((part for part in reversed(inside) if isinstance(part, str)), "")


def _short(value: Any) -> str:
    text = "" if value is None or isinstance(value, dict | list) else str(value)
    return text if len(text) <= 40 else text[:39] + "…"
