"""JSON API of the citizen assistant, the procedure catalogue and the legal texts (public)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from mauson.assistant import laws, procedures, service
from mauson.assistant.models import (
    ArticleRead,
    AskRequest,
    AskResponse,
    CitationRead,
    LawRead,
    LawSummary,
    ProcedureRead,
    ProcedureSummary,
    QuestionRead,
)
from mauson.web.deps import ActorDep, SearchDep, SessionDep, SettingsDep

router = APIRouter(prefix="/api/v1", tags=["assistant"])


@router.post("/assistant/ask", response_model=AskResponse, summary="Ask about an administrative procedure")
def ask(data: AskRequest, session: SessionDep, actor: ActorDep, index: SearchDep, settings: SettingsDep) -> AskResponse:
    reply = service.ask(
        session=session,
        actor=actor,
        index=index,
        question=data.question,
        conversation_id=data.conversation_id,
        settings=settings,
    )
    return AskResponse(
        answer=reply.answer,
        procedures=reply.procedures,
        citations=[CitationRead(**vars(c)) for c in reply.citations],
        confidence=reply.confidence,
        abstained=reply.abstained,
        intents=[i.value for i in reply.intents],
        conversation_id=reply.conversation_id,
    )


@router.get("/assistant/unanswered", response_model=list[QuestionRead], summary="Questions left unanswered (staff)")
def unanswered(session: SessionDep, actor: ActorDep) -> list[QuestionRead]:
    return [QuestionRead.model_validate(q) for q in service.unanswered(session=session, actor=actor)]


@router.get("/procedures", response_model=list[ProcedureSummary], summary="Browse or search the procedures")
def list_procedures(
    session: SessionDep,
    actor: ActorDep,
    index: SearchDep,
    q: Annotated[str | None, Query(max_length=500)] = None,
    field: Annotated[str | None, Query(max_length=300)] = None,
    level: Annotated[str | None, Query(max_length=100)] = None,
    agency: Annotated[str | None, Query(max_length=300)] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
) -> list[ProcedureSummary]:
    found = service.find_procedures(
        session=session,
        actor=actor,
        index=index,
        query=q,
        field=field,
        level=level,
        agency=agency,
        limit=limit,
        offset=offset,
    )
    return [ProcedureSummary.model_validate(p) for p in found]


@router.get("/procedures/{code}", response_model=ProcedureRead, summary="One procedure, structured")
def get_procedure(code: str, session: SessionDep, actor: ActorDep) -> ProcedureRead:
    return ProcedureRead.model_validate(procedures.get_procedure_or_raise(session=session, code=code))


@router.get("/laws", response_model=list[LawSummary], summary="The imported legal texts")
def list_laws(session: SessionDep, actor: ActorDep) -> list[LawSummary]:
    return [LawSummary.model_validate(law) for law in laws.list_laws(session=session)]


@router.get("/laws/{slug}", response_model=LawRead, summary="One legal text with its articles")
def get_law(slug: str, session: SessionDep, actor: ActorDep) -> LawRead:
    law = laws.get_law_or_raise(session=session, slug=slug)
    articles = [ArticleRead.model_validate(a) for a in laws.articles_of(session=session, law=law)]
    return LawRead(**LawSummary.model_validate(law).model_dump(), articles=articles)
