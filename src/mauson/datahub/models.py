"""The data hub's tables and the schemas its API reads and writes.

A `Dataset` is what a catalogue lists (title, publisher, theme, licence, access level). Its
`Resource`s are its tables (one per uploaded file, one per sheet of a workbook); each upload of a
resource is a new `Version`, stored as an immutable, content-addressed Parquet file, so old
versions stay queryable. The data dictionary (`DictionaryEntry`) hangs off the resource, not the
version, so descriptions and units survive re-uploads. A `Grant` shares a dataset with another
organisation until it expires.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import JSON, BigInteger, Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mauson.db import Base, UTCDateTime, utcnow


class Access(StrEnum):
    """Who may read a dataset."""

    PUBLIC = "public"  # everyone, anonymous citizens included
    SHARED = "shared"  # its organisation, and the organisations granted it (until the grant expires)
    RESTRICTED = "restricted"  # its organisation only


ACCESS_LABELS: dict[Access, str] = {
    Access.PUBLIC: "Công khai",
    Access.SHARED: "Chia sẻ có thời hạn",
    Access.RESTRICTED: "Nội bộ cơ quan",
}

# The themes of the national open-data portal (data.gov.vn), which harvesters map onto DCAT themes.
THEMES: dict[str, str] = {
    "hanh-chinh": "Hành chính, nhà nước",
    "dan-cu": "Dân cư, xã hội",
    "kinh-te": "Kinh tế, tài chính",
    "nong-nghiep": "Nông nghiệp, nông thôn",
    "moi-truong": "Tài nguyên, môi trường",
    "giao-duc": "Giáo dục, khoa học",
    "y-te": "Y tế, sức khỏe",
    "giao-thong": "Giao thông, xây dựng",
    "van-hoa": "Văn hóa, du lịch",
    "lao-dong": "Lao động, việc làm",
}

LICENCES: dict[str, str] = {
    "cc-by-4.0": "Creative Commons Ghi công 4.0",
    "cc0-1.0": "CC0 (dùng tự do)",
    "odc-by": "Open Data Commons Attribution",
    "noi-bo": "Chỉ sử dụng nội bộ",
}


class Anonymiser(StrEnum):
    """What the privacy gate does to one column of a derivative."""

    KEEP = "keep"
    DROP = "drop"
    MASK = "mask"
    PSEUDONYMISE = "pseudonymise"
    GENERALISE = "generalise"


ANONYMISER_LABELS: dict[Anonymiser, str] = {
    Anonymiser.KEEP: "Giữ nguyên",
    Anonymiser.DROP: "Bỏ cột",
    Anonymiser.MASK: "Che một phần",
    Anonymiser.PSEUDONYMISE: "Thay bằng giá trị giả nhất quán",
    Anonymiser.GENERALISE: "Làm thô (năm sinh, xã/phường, nhóm tuổi)",
}


class Dataset(Base):
    __tablename__ = "datahub_datasets"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)  # the URL id, as CKAN's package name
    title: Mapped[str] = mapped_column(String(300))
    # Title and tags without diacritics, lower-cased: search matches "dan so" and "dân số" alike.
    search_text: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text, default="")
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    theme: Mapped[str | None] = mapped_column(String(32), index=True)
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    licence: Mapped[str] = mapped_column(String(32), default="cc-by-4.0")
    frequency: Mapped[str | None] = mapped_column(String(100))
    temporal: Mapped[str | None] = mapped_column(String(100))
    spatial: Mapped[str | None] = mapped_column(String(200))
    contact: Mapped[str | None] = mapped_column(String(200))
    access: Mapped[str] = mapped_column(String(16), index=True, default=Access.RESTRICTED.value)
    # Columns the privacy scan flagged in the latest versions; a dataset with any cannot be public.
    personal_columns: Mapped[list[str]] = mapped_column(JSON, default=list)
    # The dataset this one was anonymised from (the privacy gate's derivative), if any.
    source_id: Mapped[int | None] = mapped_column(ForeignKey("datahub_datasets.id"), index=True)
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    organisation = relationship("Organisation")
    resources: Mapped[list[Resource]] = relationship(
        back_populates="dataset", order_by="Resource.position", cascade="all, delete-orphan"
    )
    grants: Mapped[list[Grant]] = relationship(back_populates="dataset", cascade="all, delete-orphan")


class Resource(Base):
    """One table of a dataset; `id` is a UUID because CKAN clients pass it to `datastore_search`."""

    __tablename__ = "datahub_resources"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    dataset_id: Mapped[int] = mapped_column(ForeignKey("datahub_datasets.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    dataset: Mapped[Dataset] = relationship(back_populates="resources")
    versions: Mapped[list[Version]] = relationship(
        back_populates="resource", order_by="Version.number", cascade="all, delete-orphan"
    )
    dictionary: Mapped[list[DictionaryEntry]] = relationship(
        back_populates="resource", order_by="DictionaryEntry.id", cascade="all, delete-orphan"
    )

    @property
    def latest(self) -> Version:
        return self.versions[-1]


class Version(Base):
    __tablename__ = "datahub_versions"
    __table_args__ = (UniqueConstraint("resource_id", "number", name="uq_datahub_versions_resource_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    resource_id: Mapped[str] = mapped_column(ForeignKey("datahub_resources.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64), index=True)  # names the Parquet file in the store
    format: Mapped[str] = mapped_column(String(16))  # of the uploaded file: CSV, XLSX, JSON, PARQUET
    filename: Mapped[str] = mapped_column(String(300))
    source_bytes: Mapped[int] = mapped_column(Integer)
    rows: Mapped[int] = mapped_column(Integer)
    columns: Mapped[list[dict[str, str]]] = mapped_column(JSON)  # [{"name", "type"}]
    changes: Mapped[dict[str, Any]] = mapped_column(JSON)  # what differs from the previous version
    # Rejected rows (count and the first ones), warnings; an anonymised copy's k asked and reached.
    validation: Mapped[dict[str, Any]] = mapped_column(JSON)
    privacy: Mapped[list[dict[str, Any]]] = mapped_column(JSON)  # per column: personal type and share
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    resource: Mapped[Resource] = relationship(back_populates="versions")


class DictionaryEntry(Base):
    __tablename__ = "datahub_columns"
    __table_args__ = (UniqueConstraint("resource_id", "name", name="uq_datahub_columns_resource_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    resource_id: Mapped[str] = mapped_column(ForeignKey("datahub_resources.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    type: Mapped[str] = mapped_column(String(64))
    description: Mapped[str] = mapped_column(Text, default="")
    unit: Mapped[str] = mapped_column(String(64), default="")
    present: Mapped[bool] = mapped_column(Boolean, default=True)  # False: dropped by a later upload

    resource: Mapped[Resource] = relationship(back_populates="dictionary")


class Grant(Base):
    __tablename__ = "datahub_grants"
    __table_args__ = (UniqueConstraint("dataset_id", "organisation_id", name="uq_datahub_grants_dataset_org"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dataset_id: Mapped[int] = mapped_column(ForeignKey("datahub_datasets.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    granted_by: Mapped[str] = mapped_column(String(64))

    dataset: Mapped[Dataset] = relationship(back_populates="grants")
    organisation = relationship("Organisation")


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


JOB_LABELS: dict[str, str] = {
    JobStatus.QUEUED: "Đang chờ xử lý",
    JobStatus.RUNNING: "Đang xử lý",
    JobStatus.DONE: "Đã xong",
    JobStatus.FAILED: "Không thành công",
}


class IngestJob(Base):
    """A web upload being read in the background: the status page polls this row.

    `kind` is `create` (a new dataset) or `version` (of `dataset`); `params` holds what the form
    asked for (title, theme, access). The upload waits in `<data_dir>/datahub/jobs/<id>/`.
    A running job touches `updated_at` every few seconds; one that stops doing so died with its
    process and is reported as interrupted (its dataset rows were never written).
    """

    __tablename__ = "datahub_jobs"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)  # random: the status page's address
    kind: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), index=True, default=JobStatus.QUEUED.value)
    stage: Mapped[str] = mapped_column(String(200), default="")
    progress: Mapped[float] = mapped_column(default=0.0)  # 0..1, DuckDB's estimate while reading
    filename: Mapped[str] = mapped_column(String(300))
    source_bytes: Mapped[int] = mapped_column(BigInteger)
    rows: Mapped[int | None] = mapped_column(BigInteger)
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    dataset: Mapped[str | None] = mapped_column(String(100))  # the version's target, or the dataset made
    error_code: Mapped[str | None] = mapped_column(String(64))
    error: Mapped[str | None] = mapped_column(Text)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


# --- schemas ---


class DatasetMeta(BaseModel):
    """The catalogue fields an editor fills in (all optional on update)."""

    model_config = ConfigDict(extra="forbid")

    title: str | None = Field(default=None, min_length=1, max_length=300)
    description: str | None = Field(default=None, max_length=20_000)
    theme: str | None = Field(default=None, description="Một trong các chủ đề: " + ", ".join(THEMES))
    tags: list[str] | None = Field(default=None, max_length=30)
    licence: str | None = Field(default=None, description="Một trong: " + ", ".join(LICENCES))
    frequency: str | None = Field(default=None, max_length=100, description="Tần suất cập nhật, ví dụ 'hằng quý'.")
    temporal: str | None = Field(default=None, max_length=100, description="Thời gian dữ liệu, ví dụ '2024–2025'.")
    spatial: str | None = Field(default=None, max_length=200, description="Phạm vi, ví dụ 'Tỉnh Lạng Sơn'.")
    contact: str | None = Field(default=None, max_length=200)


class ColumnDoc(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    description: str = Field(default="", max_length=2000)
    unit: str = Field(default="", max_length=64)


class DictionaryUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    columns: list[ColumnDoc]
    resource: str | None = Field(default=None, description="Tên bảng (mặc định: bảng đầu tiên).")


class ColumnRead(BaseModel):
    name: str
    type: str
    description: str = ""
    unit: str = ""
    personal: str | None = Field(default=None, description="Loại dữ liệu cá nhân mà bản quét tìm thấy.")


class VersionRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    number: int
    sha256: str
    format: str
    filename: str
    rows: int
    changes: dict[str, Any]
    validation: dict[str, Any]
    created_by: str
    created_at: datetime


class ResourceRead(BaseModel):
    id: str
    name: str
    rows: int
    columns: list[ColumnRead]
    versions: list[VersionRead]


class DatasetSummary(BaseModel):
    name: str
    title: str
    organisation: str
    theme: str | None
    access: Access
    formats: list[str]
    personal_data: bool
    updated_at: datetime


class DatasetRead(DatasetSummary):
    description: str
    tags: list[str]
    licence: str
    frequency: str | None
    temporal: str | None
    spatial: str | None
    contact: str | None
    source: str | None = Field(description="Tên bộ dữ liệu gốc, nếu đây là bản ẩn danh.")
    derivatives: list[str]
    grants: list[dict[str, Any]]
    resources: list[ResourceRead]


class AccessChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    access: Access
    organisations: list[str] = Field(default_factory=list, description="Mã cơ quan được chia sẻ (khi 'shared').")
    days: int = Field(default=90, ge=1, le=3650, description="Số ngày chia sẻ.")


class DerivativeRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    columns: dict[str, Anonymiser] = Field(description="Cách xử lý từng cột; cột không nêu được giữ nguyên.")
    k: int = Field(default=5, ge=2, le=100, description="k tối thiểu trên các cột gần định danh.")
    resource: str | None = Field(default=None, description="Tên bảng (mặc định: bảng đầu tiên).")
    replace_public: bool = Field(
        default=False,
        description="Đồng ý thay bản ẩn danh đang công khai bằng phiên bản mới (mọi người thấy ngay).",
    )


class SqlRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sql: str = Field(max_length=20_000, description="Một câu SELECT; bảng `data` là phiên bản mới nhất.")
    limit: int = Field(default=1000, ge=1, le=10_000)


class RowsRead(BaseModel):
    columns: list[str]
    rows: list[list[Any]]
    total: int | None = Field(description="Số dòng khớp bộ lọc (không có với SQL).")
    truncated: bool = False
