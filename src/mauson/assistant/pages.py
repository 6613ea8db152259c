"""Public pages: the chat with the assistant, the procedure browser and the legal texts; and the
officers' review of unanswered questions."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup
from sqlalchemy.orm import Session

from mauson.assistant import compose, documents, laws, procedures, service
from mauson.assistant.answer_html import answer_html, linked
from mauson.assistant.models import MAX_PASTED, Procedure
from mauson.errors import MausonError
from mauson.identity.models import Actor
from mauson.search.service import MAX_LIMIT as SEARCH_WINDOW
from mauson.search.service import SearchIndex
from mauson.web.deps import ActorDep, CsrfDep, PageUserDep, SearchDep, SessionDep, SettingsDep
from mauson.web.templates import NavItem, render

router = APIRouter(include_in_schema=False)

NAV = [
    NavItem("/assistant", "Hỏi đáp thủ tục"),
    NavItem("/procedures", "Thủ tục hành chính"),
    NavItem("/laws", "Văn bản luật"),
    NavItem("/admin/assistant", "Câu hỏi chưa trả lời", "assistant-review"),
]


@router.get("/assistant", response_class=HTMLResponse)
def chat(
    request: Request, session: SessionDep, actor: ActorDep, about: Annotated[str, Query(max_length=40)] = ""
) -> HTMLResponse:
    """The chat page; `about` (from a procedure's page) names the procedure short questions are about."""
    context = {"reply": None, "conversation_id": None, "about": _about(session, about)}
    return render(request, "chat.html", context)


def _about(session: Session, code: str) -> Procedure | None:
    """The procedure a citizen came from, when its code is one (an unknown code is simply ignored)."""
    return procedures.find_procedure(session=session, code=code) if code else None


@router.post("/assistant", response_class=HTMLResponse, dependencies=[CsrfDep])
def chat_ask(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    index: SearchDep,
    settings: SettingsDep,
    question: Annotated[str, Form(max_length=MAX_PASTED)] = "",
    conversation_id: Annotated[str, Form(max_length=64)] = "",
    about: Annotated[str, Form(max_length=40)] = "",
) -> HTMLResponse:
    came_from = _about(session, about)
    try:
        with session.begin_nested():
            reply = service.ask(
                session=session,
                actor=actor,
                index=index,
                question=question,
                conversation_id=conversation_id or None,
                settings=settings,
                about=came_from.code if came_from else None,
            )
    except MausonError as error:
        failed = {
            "reply": None,
            "error": error.message,
            "conversation_id": conversation_id,
            "question_draft": question,
            "about": came_from,
        }
        return render(request, "chat.html", failed, status=error.status)
    card = None
    if reply.procedures and not reply.abstained:
        card = procedures.get_procedure_or_raise(session=session, code=reply.procedures[0])
    turns = service.history(session=session, conversation_id=reply.conversation_id)
    offered = [procedures.get_procedure_or_raise(session=session, code=code) for code in reply.offered]
    context: dict[str, object] = {
        "offered": offered,
        "reply": reply,
        "answer": answer_html(reply.answer),
        "question": question,
        "earlier": turns[:-1],  # the last turn is this one
        "card": card,
        "conversation_id": reply.conversation_id,
        "about": came_from,
    }
    return render(request, "chat.html", context)


PAGE_SIZE = 50
# A pasted paragraph is searched, cut at a word by the search module (500 characters), rather than
# refused with an error page that loses the search form.
MAX_SEARCH = 5_000
MAX_PAGE = 1_000  # a page number past it is read as the first page (`_page_number`)


@dataclass(frozen=True)
class _Listing:
    """One page of the browser, with what a reader needs to trust it: how many match in all, and
    whether a search stopped at its window (its best `SEARCH_WINDOW`) so that more may match."""

    procedures: list[Procedure]
    total: int  # how many match, over every page
    more: bool  # a next page exists
    cut: bool = False


@router.get("/procedures", response_class=HTMLResponse)
def browse(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    index: SearchDep,
    q: Annotated[str, Query(max_length=MAX_SEARCH)] = "",
    field: Annotated[str, Query(max_length=300)] = "",
    level: Annotated[str, Query(max_length=100)] = "",
    agency: Annotated[str, Query(max_length=500)] = "",
    page: Annotated[str, Query(max_length=12)] = "1",
) -> HTMLResponse:
    """The catalogue by code, or the best matches of a search, a page at a time; filtered either way.

    A page past the last answers 404 with a link to the first, filters kept: its address names no
    page, and a redirect to the last would show other results under the number asked for."""
    # as the catalogue writes it: a search filters on exact text ("Công an cấp xã" is "Công an cấp Xã")
    written = procedures.agency_as_written(session=session, agency=agency) if agency.strip() else ""
    filters = {"q": q.strip(), "field": field, "level": level, "agency": written}
    number = _page_number(page)
    try:
        listing, error = _listing(session, actor, index, filters, number), None
    except MausonError as problem:
        listing, error = _Listing([], 0, more=False), problem.message
    past_the_end = number > 1 and not listing.procedures and error is None
    context = {
        "procedures": listing.procedures,
        "total": listing.total,
        "cut": listing.cut,
        "facets": procedures.facets(session=session),
        **filters,
        "error": error,
        "page": number,
        "first": (number - 1) * PAGE_SIZE + 1,
        "first_page": _page_link(filters, 1) if past_the_end else None,
        "previous": _page_link(filters, number - 1) if number > 1 and not past_the_end else None,
        "next": _page_link(filters, number + 1) if listing.more else None,
    }
    return render(request, "procedures.html", context, status=404 if past_the_end else 200)


def _listing(session: Session, actor: Actor, index: SearchIndex, filters: dict[str, str], number: int) -> _Listing:
    """Page `number` of the catalogue or of a search. A search reads its whole window at once (the
    ranking is done for all of it anyway) to count its matches; the catalogue reads one page and
    counts its matches in SQL."""
    offset, searching = (number - 1) * PAGE_SIZE, bool(filters["q"])
    found = service.find_procedures(
        session=session,
        actor=actor,
        index=index,
        query=filters["q"] or None,
        field=filters["field"] or None,
        level=filters["level"] or None,
        agency=filters["agency"] or None,
        limit=SEARCH_WINDOW if searching else PAGE_SIZE,
        offset=0 if searching else offset,
    )
    if searching:
        page = found[offset : offset + PAGE_SIZE]
        return _Listing(page, len(found), len(found) > offset + PAGE_SIZE, cut=len(found) >= SEARCH_WINDOW)
    total = procedures.count_procedures(
        session=session,
        field=filters["field"] or None,
        level=filters["level"] or None,
        agency=filters["agency"] or None,
    )
    return _Listing(found, total, offset + len(found) < total)


def _page_number(page: str) -> int:
    """The page asked for; anything else ("0", "-1", "abc", past `MAX_PAGE`) is the first page, with
    the filters kept, rather than an error page that loses them."""
    number = int(page) if page.strip().isdigit() else 1
    return number if 1 <= number <= MAX_PAGE else 1


def _page_link(filters: dict[str, str], page: int) -> str:
    return "/procedures?" + urlencode({**{k: v for k, v in filters.items() if v}, "page": page})


@router.get("/procedures/{code}", response_class=HTMLResponse)
def detail(request: Request, code: str, session: SessionDep, actor: ActorDep) -> HTMLResponse:
    procedure = procedures.get_procedure_or_raise(session=session, code=code)
    bases = procedure.legal_bases or []
    imported = laws.laws_by_number(session=session, numbers=[b.get("identifier") or "" for b in bases])
    legal = [(compose.legal_basis_text(b), imported.get((b.get("identifier") or "").upper())) for b in bases]
    found = documents.cases(procedure)
    context = {
        "p": procedure,
        "cases": found,
        "by_case": documents.by_case(found),
        "unnamed": documents.UNNAMED,
        "shown_name": documents.shown_name,
        "legal": legal,
        "shown_time": compose.shown_time,
        "shown_quantity": documents.shown_quantity,
    }
    return render(request, "procedure.html", context)


@router.get("/laws", response_class=HTMLResponse)
def law_list(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    index: SearchDep,
    q: Annotated[str, Query(max_length=MAX_SEARCH)] = "",
) -> HTMLResponse:
    hits, error = [], None
    if q.strip():
        try:
            hits = laws.search_articles(index=index, actor=actor, query=q)
        except MausonError as problem:
            error = problem.message
    context = {"laws": laws.list_laws(session=session), "hits": hits, "q": q, "error": error}
    return render(request, "laws.html", context)


# "Điều 23 của Luật này", "khoản 2 Điều 5 Luật này": the law citing its own article.
_OWN_ARTICLE = re.compile(r"\b(Điều (\d+[a-zđ]?))(?=,? (?:của )?Luật này)")


def _own_links(anchors: dict[str, str]) -> Callable[[str], Markup]:
    """A line of an article, escaped, with the law's references to its own articles linked to them."""

    def with_links(line: str) -> Markup:
        found = _OWN_ARTICLE.finditer(line)
        return linked(line, ((m.start(), m.end(), f"#{anchors[m[2]]}") for m in found if m[2] in anchors))

    return with_links


@router.get("/laws/{slug}", response_class=HTMLResponse)
def law_detail(request: Request, slug: str, session: SessionDep, actor: ActorDep) -> HTMLResponse:
    """A law article by article, with a table of contents and its references to itself linked."""
    law = laws.get_law_or_raise(session=session, slug=slug)
    articles = laws.articles_of(session=session, law=law)
    anchors = {article.number: laws.article_anchor(article) for article in articles}
    context = {"law": law, "articles": articles, "anchor": laws.article_anchor, "linked": _own_links(anchors)}
    return render(request, "law.html", context)


REVIEWED_PROCEDURES = 3  # the closest procedures shown beside each question


@router.get("/admin/assistant", response_class=HTMLResponse)
def review(request: Request, session: SessionDep, actor: PageUserDep) -> HTMLResponse:
    """The questions to review, each with the names of the closest procedures beside their codes:
    an officer does not know 2,642 codes by heart, and judges an answer by what it was about."""
    questions = service.unanswered(session=session, actor=actor)
    codes = sorted({code for question in questions for code in question.procedures[:REVIEWED_PROCEDURES]})
    found = (procedures.find_procedure(session=session, code=code) for code in codes)
    names = {procedure.code: procedure.name for procedure in found if procedure is not None}
    context = {"questions": questions, "names": names, "shown": REVIEWED_PROCEDURES}
    return render(request, "unanswered.html", context)
