"""The petitions' tables and the schemas the services, the API and the pages share.

A `Petition` holds what the citizen sent (its text and contact are personal data: only officers
of the assigned agency read them; the public sees `public_text`, masked by the privacy module and
with swear words hidden by `vntext.profanity`),
its current labels and place, and where it stands in the workflow. Each triage is kept
(`PetitionTriage`, with the explanation), each step of the workflow (`PetitionEvent`), each
officer's correction of a label (`PetitionCorrection`, what retraining learns from), each
emergency alert and its deliveries (`PetitionAlert`), and where each agency wants alerts sent
(`PetitionNotifier`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import JSON, Boolean, Float, ForeignKey, Integer, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column

from mauson.db import Base, UTCDateTime, utcnow

MAX_TEXT = 10_000


class Petition(Base):
    __tablename__ = "petitions"

    id: Mapped[int] = mapped_column(primary_key=True)
    tracking_code: Mapped[str] = mapped_column(String(16), unique=True)  # the citizen's key to rate the reply
    text: Mapped[str] = mapped_column(Text)
    public_text: Mapped[str] = mapped_column(Text)
    is_public: Mapped[bool] = mapped_column(Boolean, default=True)
    channel: Mapped[str] = mapped_column(String(32))
    location_text: Mapped[str | None] = mapped_column(String(500))
    public_location: Mapped[str | None] = mapped_column(Text)  # masked once, as the public sees it
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    contact_name: Mapped[str | None] = mapped_column(String(200))
    contact_phone: Mapped[str | None] = mapped_column(String(40))
    contact_email: Mapped[str | None] = mapped_column(String(200))
    photos: Mapped[list[str]] = mapped_column(JSON, default=list)
    client_key: Mapped[str | None] = mapped_column(String(32), index=True)  # keyed hash of the sender's address
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    category: Mapped[str | None] = mapped_column(String(40), index=True)
    agency: Mapped[str | None] = mapped_column(String(40), index=True)
    urgency: Mapped[str | None] = mapped_column(String(20), index=True)
    commune_code: Mapped[str | None] = mapped_column(String(10), index=True)
    duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("petitions.id"), index=True)

    status: Mapped[str] = mapped_column(String(20), index=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    escalated_to_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    reply: Mapped[str | None] = mapped_column(Text)
    public_reply: Mapped[str | None] = mapped_column(Text)  # masked when written: public pages only read it
    replied_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reject_reason: Mapped[str | None] = mapped_column(String(500))
    rating: Mapped[int | None] = mapped_column(Integer)
    rating_comment: Mapped[str | None] = mapped_column(String(1000))


class PetitionTriage(Base):
    """One run of the triage on a petition, with everything an officer needs to judge it."""

    __tablename__ = "petition_triages"

    id: Mapped[int] = mapped_column(primary_key=True)
    petition_id: Mapped[int] = mapped_column(ForeignKey("petitions.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    category: Mapped[str] = mapped_column(String(40))
    category_confidence: Mapped[float] = mapped_column(Float)
    agency: Mapped[str] = mapped_column(String(40))
    agency_confidence: Mapped[float] = mapped_column(Float)
    urgency: Mapped[str] = mapped_column(String(20))
    urgency_confidence: Mapped[float] = mapped_column(Float)
    commune_code: Mapped[str | None] = mapped_column(String(10))
    commune_confidence: Mapped[float | None] = mapped_column(Float)
    # {"category": {"words": [[w, weight]], "ranking": [[label, p]]}, ..., "place": [...], "similar": [...],
    #  "personal_data": {"PHONE": 1}}
    explanation: Mapped[dict[str, Any]] = mapped_column(JSON)
    milliseconds: Mapped[float] = mapped_column(Float)


class PetitionEvent(Base):
    """A step of the workflow: who moved the petition from which status to which, and why."""

    __tablename__ = "petition_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    petition_id: Mapped[int] = mapped_column(ForeignKey("petitions.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    action: Mapped[str] = mapped_column(String(32))
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    actor_name: Mapped[str] = mapped_column(String(64))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    note: Mapped[str | None] = mapped_column(String(1000))


class PetitionCorrection(Base):
    """An officer's change of a triage label: kept with the text it applies to, for retraining."""

    __tablename__ = "petition_corrections"

    id: Mapped[int] = mapped_column(primary_key=True)
    petition_id: Mapped[int] = mapped_column(ForeignKey("petitions.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    field: Mapped[str] = mapped_column(String(20))
    old_value: Mapped[str | None] = mapped_column(String(40))
    new_value: Mapped[str | None] = mapped_column(String(40))


class PetitionAlert(Base):
    """An emergency put in front of the duty agency: shown on the dashboard until acknowledged."""

    __tablename__ = "petition_alerts"

    id: Mapped[int] = mapped_column(primary_key=True)
    petition_id: Mapped[int] = mapped_column(ForeignKey("petitions.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    acknowledged_by: Mapped[str | None] = mapped_column(String(64))
    deliveries: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)


class PetitionNotifier(Base):
    """Where an agency's emergency alerts go: a webhook URL or an SMTP mailbox."""

    __tablename__ = "petition_notifiers"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # "webhook" or "email"
    target: Mapped[str] = mapped_column(String(500))  # https://... or smtp://host:port/to@example.vn
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Set by an administrator, who may run the receiver next to the server; otherwise every delivery
    # checks again that the target is on the Internet (a name can be pointed inside after it is stored).
    internal: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


# --- schemas -------------------------------------------------------------------------------------


class PetitionCreate(BaseModel):
    """What a citizen or an app sends."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=MAX_TEXT, description="Nội dung phản ánh, kiến nghị.")
    commune_code: str | None = Field(default=None, max_length=10, description="Mã xã/phường (nếu chọn).")
    category: str | None = Field(
        default=None,
        max_length=40,
        description="Lĩnh vực người gửi chọn (mã, ví dụ giao_thong); mặc định: phân loại tự động.",
    )
    location_text: str | None = Field(default=None, max_length=500, description="Địa điểm, viết tự do.")
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)
    contact_name: str | None = Field(default=None, max_length=200)
    contact_phone: str | None = Field(default=None, max_length=40)
    contact_email: str | None = Field(default=None, max_length=200)
    is_public: bool = Field(default=True, description="Cho phép công khai nội dung (đã che dữ liệu cá nhân).")
    channel: str = Field(default="api", max_length=32)
    submitted_at: datetime | None = Field(
        default=None, description="Thời điểm gửi (nhập hàng loạt); mặc định: bây giờ."
    )


class LabelRead(BaseModel):
    label: str
    name: str
    confidence: float
    words: list[str] = Field(description="Những từ quyết định nhãn này.")


class SimilarRead(BaseModel):
    petition_id: int
    similarity: float
    same_commune: bool


class TriageRead(BaseModel):
    category: LabelRead
    agency: LabelRead
    urgency: LabelRead
    commune_code: str | None
    commune_name: str | None
    commune_confidence: float | None
    commune_evidence: list[str]
    duplicate_of: int | None
    similar: list[SimilarRead]
    personal_data: dict[str, int] = Field(description="Loại dữ liệu cá nhân tìm thấy và số lần.")
    milliseconds: float


class EventRead(BaseModel):
    """A step of the history: the codes for programs, and the same step in words for people."""

    at: datetime
    action: str
    action_name: str = Field(description="Bước xử lý, bằng lời.")
    from_status: str | None
    to_status: str
    to_status_name: str
    actor_name: str
    who: str = Field(description="Người thực hiện: tên đăng nhập cán bộ, «Người dân» hoặc «Hệ thống».")
    note: str | None


class PetitionRead(BaseModel):
    """A petition as its officers see it (personal data included)."""

    id: int
    text: str
    status: str
    status_name: str
    channel: str
    submitted_at: datetime
    category: str | None
    agency: str | None
    urgency: str | None
    commune_code: str | None
    commune_name: str | None
    commune_source: Literal["sender", "triage", "officer"] | None = Field(
        description="Ai xác định xã, phường: người gửi chọn, phân loại tự động tìm thấy, hoặc cán bộ sửa."
    )
    commune_source_name: str | None = Field(description="Nguồn của xã, phường, bằng lời.")
    location_text: str | None
    contact_name: str | None
    contact_phone: str | None
    contact_email: str | None
    is_public: bool
    organisation: str | None
    officer: str | None
    due_at: datetime | None
    overdue: bool
    escalated_to: str | None
    duplicate_of: int | None
    reply: str | None
    reject_reason: str | None
    rating: int | None
    rating_comment: str | None = Field(description="Ý kiến người gửi kèm đánh giá (chỉ cán bộ đọc).")
    photos: list[str]
    triage: TriageRead | None
    events: list[EventRead]


class PublicPetitionRead(BaseModel):
    """A petition as anyone sees it: no contact, no names or numbers, no private text."""

    id: int
    text: str | None = Field(description="Nội dung đã che dữ liệu cá nhân; trống nếu người gửi chọn không công khai.")
    status: str
    status_name: str
    submitted_at: datetime
    category: str | None
    category_name: str | None
    commune_name: str | None
    organisation: str | None
    due_at: datetime | None
    reply: str | None
    replied_at: datetime | None
    rating: int | None
    reject_reason: str | None = Field(
        default=None, description="Lý do từ chối (đã che dữ liệu cá nhân), khi phản ánh bị từ chối."
    )
    for_sender: bool = Field(
        default=False,
        description="Người gửi xem bằng mã theo dõi: nội dung và câu trả lời đầy đủ, kể cả khi không công khai.",
    )


class SubmissionReceipt(BaseModel):
    """What the sender gets back: the public id, the tracking code to rate the reply, the triage."""

    id: int
    tracking_code: str
    status: str
    triage: TriageRead


class Decision(BaseModel):
    """An officer's one-click decision on a triage: accept it, or correct some labels."""

    model_config = ConfigDict(extra="forbid")

    category: str | None = None
    agency: str | None = None
    urgency: str | None = None
    commune_code: str | None = Field(default=None, max_length=10)


class DuplicateLink(BaseModel):
    """An officer's word on which incident a petition reports: link it to an earlier report, or not."""

    model_config = ConfigDict(extra="forbid")

    duplicate_of: int | None = Field(
        default=None, ge=1, le=2**31 - 1, description="Số phản ánh trước đó báo cùng sự việc."
    )
    separate: bool = Field(default=False, description="Không trùng: sự việc khác với phản ánh đang được gắn là trùng.")


class Transfer(BaseModel):
    model_config = ConfigDict(extra="forbid")

    agency: str
    reason: str = Field(min_length=3, max_length=1000)
    commune_code: str | None = Field(default=None, max_length=10)


class Reply(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=3, max_length=MAX_TEXT)
    interim: bool = Field(
        default=False, description="Trả lời tạm (ví dụ đã cử cán bộ kiểm tra): phản ánh vẫn «Đang xử lý», hạn vẫn tính."
    )


class Reason(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=3, max_length=500)


class TrackingCode(BaseModel):
    """The sender's proof that a petition is theirs: the code on the receipt."""

    model_config = ConfigDict(extra="forbid")

    tracking_code: str = Field(min_length=4, max_length=16)


class Rating(TrackingCode):
    rating: int = Field(ge=1, le=5)
    comment: str | None = Field(default=None, max_length=1000)


class Assignment(BaseModel):
    model_config = ConfigDict(extra="forbid")

    officer_username: str = Field(min_length=1, max_length=64)


class NotifierCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    organisation_code: str = Field(min_length=1, max_length=32)
    kind: str = Field(pattern="^(webhook|email)$")
    target: str = Field(min_length=8, max_length=500)


class NotifierRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    organisation_id: int
    kind: str
    target: str
    is_active: bool


class StatRow(BaseModel):
    key: str | None
    name: str
    total: int
    answered: int
    overdue: int


class Stats(BaseModel):
    total: int
    by_category: list[StatRow]
    by_commune: list[StatRow]
    by_agency: list[StatRow]


class TriageRequest(BaseModel):
    text: str = Field(min_length=1, max_length=10_000)


class AlertRead(BaseModel):
    id: int
    petition_id: int
    created_at: datetime
    deliveries: list[dict[str, object]]
    category: str | None
    commune_name: str | None
    acknowledged_at: datetime | None = None
    acknowledged_by: str | None = None
