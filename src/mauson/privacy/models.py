"""What the privacy module finds and returns: entity types, hits, and the API schemas."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class EntityType(StrEnum):
    PERSON = "PERSON"
    CCCD = "CCCD"
    CMND = "CMND"
    PASSPORT = "PASSPORT"
    PHONE = "PHONE"
    EMAIL = "EMAIL"
    ADDRESS = "ADDRESS"
    DATE_OF_BIRTH = "DATE_OF_BIRTH"
    TAX_CODE = "TAX_CODE"
    BANK_ACCOUNT = "BANK_ACCOUNT"
    LICENSE_PLATE = "LICENSE_PLATE"
    SOCIAL_INSURANCE = "SOCIAL_INSURANCE"
    HEALTH = "HEALTH"


TYPE_LABELS: dict[EntityType, str] = {
    EntityType.PERSON: "Họ tên",
    EntityType.CCCD: "Số CCCD",
    EntityType.CMND: "Số CMND",
    EntityType.PASSPORT: "Số hộ chiếu",
    EntityType.PHONE: "Số điện thoại",
    EntityType.EMAIL: "Thư điện tử",
    EntityType.ADDRESS: "Địa chỉ",
    EntityType.DATE_OF_BIRTH: "Ngày sinh",
    EntityType.TAX_CODE: "Mã số thuế",
    EntityType.BANK_ACCOUNT: "Số tài khoản",
    EntityType.LICENSE_PLATE: "Biển số xe",
    EntityType.SOCIAL_INSURANCE: "Mã số BHXH/BHYT",
    EntityType.HEALTH: "Thông tin sức khỏe",
}


class Method(StrEnum):
    REDACT = "redact"
    MASK = "mask"
    TAG = "tag"
    PSEUDONYM = "pseudonym"
    HASH = "hash"
    ENCRYPT = "encrypt"


METHOD_LABELS: dict[Method, str] = {
    Method.REDACT: "Bôi đen",
    Method.MASK: "Che một phần",
    Method.TAG: "Thay bằng nhãn loại",
    Method.PSEUDONYM: "Thay bằng tên/số giả nhất quán",
    Method.HASH: "Mã băm",
    Method.ENCRYPT: "Mã hóa (giải mã được khi có quyền)",
}


@dataclass(frozen=True)
class Entity:
    """One piece of personal data: where it is (Python string offsets), what it is, and why."""

    start: int
    end: int
    type: EntityType
    text: str
    score: float
    reason: str

    @property
    def length(self) -> int:
        return self.end - self.start


class EntityRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    start: int
    end: int
    type: EntityType
    text: str
    score: float
    reason: str


class ScanRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(max_length=1_000_000, description="Văn bản cần quét (tối đa 1 triệu ký tự).")
    types: list[EntityType] | None = Field(default=None, description="Chỉ tìm các loại này (mặc định: tất cả).")


class ScanResponse(BaseModel):
    entities: list[EntityRead]
    counts: dict[str, int]


class RedactRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(max_length=1_000_000, description="Văn bản cần ẩn dữ liệu cá nhân.")
    method: Method = Field(default=Method.MASK, description="Cách ẩn: redact, mask, tag, pseudonym, hash, encrypt.")
    per_type: dict[EntityType, Method] | None = Field(default=None, description="Cách ẩn riêng cho từng loại.")


class RedactResponse(BaseModel):
    text: str
    entities: list[EntityRead]
    counts: dict[str, int]


class DecryptRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(max_length=1_000_000)


class DecryptResponse(BaseModel):
    text: str
