"""Public pages: the chat with the assistant, and the procedure browser; and the officers'
review of unanswered questions."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse

from mauson.assistant import compose, procedures, service
from mauson.errors import MausonError
from mauson.web.deps import ActorDep, CsrfDep, PageUserDep, SearchDep, SessionDep, SettingsDep
from mauson.web.templates import NavItem, render

router = APIRouter(include_in_schema=False)

NAV = [
    NavItem("/assistant", "Hỏi đáp thủ tục"),
    NavItem("/procedures", "Thủ tục hành chính"),
    NavItem("/admin/assistant", "Câu hỏi chưa trả lời", "assistant-review"),
]


@router.get("/assistant", response_class=HTMLResponse)
def chat(request: Request, actor: ActorDep) -> HTMLResponse:
    return render(request, "chat.html", {"reply": None, "conversation_id": None})


@router.post("/assistant", response_class=HTMLResponse, dependencies=[CsrfDep])
def chat_ask(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    index: SearchDep,
    settings: SettingsDep,
    question: Annotated[str, Form(max_length=10_000)] = "",
    conversation_id: Annotated[str, Form(max_length=64)] = "",
) -> HTMLResponse:
    try:
        with session.begin_nested():
            reply = service.ask(
                session=session,
                actor=actor,
                index=index,
                question=question,
                conversation_id=conversation_id or None,
                settings=settings,
            )
    except MausonError as error:
        failed = {"reply": None, "error": error.message, "conversation_id": conversation_id, "question_draft": question}
        return render(request, "chat.html", failed, status=error.status)
    card = None
    if reply.procedures and not reply.abstained:
        card = procedures.get_procedure_or_raise(session=session, code=reply.procedures[0])
    context: dict[str, object] = {
        "reply": reply,
        "question": question,
        "card": card,
        "conversation_id": reply.conversation_id,
    }
    return render(request, "chat.html", context)


@router.get("/procedures", response_class=HTMLResponse)
def browse(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    index: SearchDep,
    q: Annotated[str, Query(max_length=500)] = "",
    field: Annotated[str, Query(max_length=300)] = "",
    level: Annotated[str, Query(max_length=100)] = "",
) -> HTMLResponse:
    try:
        found = service.find_procedures(
            session=session,
            actor=actor,
            index=index,
            query=q or None,
            field=field or None,
            level=level or None,
            limit=50,
        )
        error = None
    except MausonError as problem:
        found, error = [], problem.message
    context = {
        "procedures": found,
        "facets": procedures.facets(session=session),
        "q": q,
        "field": field,
        "level": level,
        "error": error,
    }
    return render(request, "procedures.html", context)


@router.get("/procedures/{code}", response_class=HTMLResponse)
def detail(request: Request, code: str, session: SessionDep, actor: ActorDep) -> HTMLResponse:
    procedure = procedures.get_procedure_or_raise(session=session, code=code)
    context = {"p": procedure, "legal": [compose.legal_basis_text(b) for b in procedure.legal_bases or []]}
    return render(request, "procedure.html", context)


@router.get("/admin/assistant", response_class=HTMLResponse)
def review(request: Request, session: SessionDep, actor: PageUserDep) -> HTMLResponse:
    return render(request, "unanswered.html", {"questions": service.unanswered(session=session, actor=actor)})
