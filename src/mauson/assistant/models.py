"""The procedure catalogue's table and the schemas the parser, the services and the API share.

A `Procedure` is one administrative procedure (thủ tục hành chính) of the national catalogue,
with its three tables (how to submit, which documents, which legal texts) kept as JSON lists of
`Channel`, `RequiredDocument` and `LegalBasis`: they are always read whole with their procedure.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import JSON, Boolean, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from mauson.db import Base, UTCDateTime, utcnow

DaysKind = Literal["working", "calendar"]


class Procedure(Base):
    __tablename__ = "procedures"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(Text)
    # The name without diacritics, lower-cased: filtering must work with and without accents.
    name_folded: Mapped[str] = mapped_column(Text)
    levels: Mapped[str | None] = mapped_column(String(200), index=True)
    field: Mapped[str | None] = mapped_column(String(300), index=True)
    agency: Mapped[str | None] = mapped_column(Text)
    receiving_place: Mapped[str | None] = mapped_column(Text)
    subjects: Mapped[str | None] = mapped_column(Text)
    conditions: Mapped[str | None] = mapped_column(Text)
    result: Mapped[str | None] = mapped_column(Text)
    steps: Mapped[str | None] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(String(500))
    decision: Mapped[str | None] = mapped_column(String(100))
    channels: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    documents: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    legal_bases: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    # SHA-256 of the parsed record: a re-import rewrites only the procedures whose content changed.
    source_hash: Mapped[str] = mapped_column(String(64))
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Law(Base):
    """A legal text (luật, bộ luật, hiến pháp) imported from a plain-text file; its articles are
    what the assistant cites and the search finds."""

    __tablename__ = "laws"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(200), unique=True)  # the file's stem: luat-cu-tru
    title: Mapped[str] = mapped_column(Text)  # Luật Cư trú
    number: Mapped[str | None] = mapped_column(String(64), index=True)  # 68/2020/QH14
    articles_count: Mapped[int] = mapped_column(Integer)
    # SHA-256 of the source text: a re-import rewrites only the laws whose text changed.
    source_hash: Mapped[str] = mapped_column(String(64))
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class LawArticle(Base):
    """One article (Điều) of a law, with its chapter and section, and its clauses inside its text."""

    __tablename__ = "law_articles"

    id: Mapped[int] = mapped_column(primary_key=True)
    law_id: Mapped[int] = mapped_column(ForeignKey("laws.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)  # order in the law (article numbers may repeat in old texts)
    number: Mapped[str] = mapped_column(String(16))
    heading: Mapped[str] = mapped_column(Text)
    chapter: Mapped[str | None] = mapped_column(Text)
    section: Mapped[str | None] = mapped_column(Text)
    citation: Mapped[str] = mapped_column(Text)  # Điều 5 Luật Cư trú
    text: Mapped[str] = mapped_column(Text)


class AssistantQuestion(Base):
    """A question asked of the assistant, its personal data replaced by type tags, and what was answered:
    officers review the unanswered ones; follow-ups of a conversation find its procedure here."""

    __tablename__ = "assistant_questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[str] = mapped_column(String(64), index=True)
    asked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    question: Mapped[str] = mapped_column(Text)
    intents: Mapped[list[str]] = mapped_column(JSON)
    procedures: Mapped[list[str]] = mapped_column(JSON)
    abstained: Mapped[bool] = mapped_column(Boolean, index=True)
    confidence: Mapped[float] = mapped_column(Float)
    via: Mapped[str] = mapped_column(String(16))
    # the two procedures the answer asked the citizen to choose between; None before 0008 and when none
    offered: Mapped[list[str] | None] = mapped_column(JSON, nullable=True)
    # the start of the answer given (`service.ANSWER_KEPT` characters), personal data tagged; None before 0010
    answer: Mapped[str | None] = mapped_column(Text, nullable=True)


class Channel(BaseModel):
    """One way to submit (Trực tiếp, Trực tuyến, Dịch vụ bưu chính) with its time and fee."""

    channel: str
    time_text: str | None = None
    working_days: float | None = Field(default=None, description="The processing time in days, when stated.")
    days_kind: DaysKind | None = Field(default=None, description="Whether those days are working or calendar days.")
    fee_text: str | None = None
    fee_dong: int | None = Field(default=None, description="The fee in đồng when it can be read (0: free).")
    description: str | None = None


class RequiredDocument(BaseModel):
    """One document of the application file (thành phần hồ sơ)."""

    name: str
    quantity_text: str | None = None
    template: str | None = Field(default=None, description="The form's file name(s) on the portal, '; '-separated.")
    group: str | None = Field(default=None, description="The case the document belongs to, when the file varies.")


class LegalBasis(BaseModel):
    """One legal text the procedure rests on (căn cứ pháp lý)."""

    title: str
    identifier: str | None = Field(default=None, description="Số ký hiệu, e.g. 123/2015/NĐ-CP.")


class ProcedureData(BaseModel):
    """What the catalogue parser makes of one record; stored as a `Procedure`."""

    code: str
    name: str
    levels: str | None = None
    field: str | None = None
    agency: str | None = None
    receiving_place: str | None = None
    subjects: str | None = None
    conditions: str | None = None
    result: str | None = None
    steps: str | None = None
    url: str | None = None
    decision: str | None = None
    channels: list[Channel] = Field(default_factory=list)
    documents: list[RequiredDocument] = Field(default_factory=list)
    legal_bases: list[LegalBasis] = Field(default_factory=list)


class ProcedureRead(ProcedureData):
    model_config = ConfigDict(from_attributes=True)

    id: int
    imported_at: datetime
    updated_at: datetime


class ProcedureSummary(BaseModel):
    """A line of a procedure list."""

    model_config = ConfigDict(from_attributes=True)

    code: str
    name: str
    levels: str | None
    field: str | None
    agency: str | None
    url: str | None


class Coverage(BaseModel):
    """How many imported records had each table parsed into at least one row."""

    records: int = 0
    channels: int = 0
    documents: int = 0
    legal_bases: int = 0
    complete: int = Field(default=0, description="Records with all three tables parsed.")

    def add(self, data: ProcedureData) -> None:
        parsed = (bool(data.channels), bool(data.documents), bool(data.legal_bases))
        self.records += 1
        self.channels += parsed[0]
        self.documents += parsed[1]
        self.legal_bases += parsed[2]
        self.complete += all(parsed)

    def share(self, count: int) -> float:
        """`count` as a fraction of the records (0 when there were none)."""
        return count / self.records if self.records else 0.0


class ImportReport(BaseModel):
    """What an import did: counts, the lines it refused (with their numbers) and the parse coverage."""

    read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[tuple[int, str]] = Field(default_factory=list)
    coverage: Coverage = Field(default_factory=Coverage)


# What the chat page and the API accept before the assistant refuses a question over its
# MAX_QUESTION with its own message (ask.too_long): a pasted page gets that message, and the chat
# page keeps the draft, instead of a bare validation error. Bounded, so that no one posts megabytes.
MAX_PASTED = 100_000


class AskRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    question: str = Field(
        max_length=MAX_PASTED,
        description="Câu hỏi, có dấu hoặc không dấu; quá 2.000 ký tự bị từ chối (ask.too_long).",
    )
    conversation_id: str | None = Field(
        default=None,
        max_length=64,
        description="Để hỏi tiếp trong cùng cuộc trò chuyện: mã do câu trả lời trước đưa ra; "
        "mã lạ mở cuộc trò chuyện mới (mã mới có trong câu trả lời).",
    )


class CitationRead(BaseModel):
    code: str
    name: str
    url: str | None
    legal_bases: list[str]


class AskResponse(BaseModel):
    answer: str
    procedures: list[str] = Field(description="Mã thủ tục, phù hợp nhất trước.")
    citations: list[CitationRead]
    confidence: float
    abstained: bool
    intents: list[str]
    conversation_id: str


class QuestionRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    asked_at: datetime
    question: str
    intents: list[str]
    procedures: list[str]
    confidence: float
    answer: str | None = Field(
        default=None, description="Đầu câu trả lời đã đưa ra (dữ liệu cá nhân đã thay bằng nhãn)."
    )


class LawSummary(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    slug: str
    title: str
    number: str | None
    articles_count: int


class ArticleRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    number: str
    heading: str
    chapter: str | None
    section: str | None
    citation: str = Field(description="Điều 20 Luật Cư trú")
    text: str


class LawRead(LawSummary):
    articles: list[ArticleRead]
