"""The page where an officer pastes a text, sees its personal data highlighted, and copies an
anonymised version."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse

from mauson.errors import Invalid, MausonError
from mauson.privacy import service
from mauson.privacy.models import METHOD_LABELS, TYPE_LABELS, Entity, EntityType, Method
from mauson.vntext.amounts import written
from mauson.web.deps import CsrfDep, PageUserDep, SessionDep, SettingsDep
from mauson.web.templates import NavItem, render

router = APIRouter(include_in_schema=False)

NAV = [NavItem("/privacy", "Dữ liệu cá nhân", "privacy-scan")]
MAX_CHARACTERS = 200_000


@dataclass(frozen=True)
class Segment:
    """A piece of the pasted text: plain, or personal data of a type (for highlighting)."""

    text: str
    type: EntityType | None = None
    label: str = ""


def segments(text: str, entities: list[Entity]) -> list[Segment]:
    pieces: list[Segment] = []
    position = 0
    for entity in entities:
        pieces.append(Segment(text[position : entity.start]))
        pieces.append(Segment(entity.text, entity.type, TYPE_LABELS[entity.type]))
        position = entity.end
    pieces.append(Segment(text[position:]))
    return [p for p in pieces if p.text]


def _page(request: Request, **context: object) -> HTMLResponse:
    defaults: dict[str, object] = {
        "text": "",
        "method": Method.MASK,
        "methods": METHOD_LABELS,
        "segments": None,
        "anonymised": None,
        "counts": {},
        "labels": TYPE_LABELS,
        "error": None,
    }
    status = int(str(context.pop("status", 200)))
    return render(request, "privacy.html", {**defaults, **context}, status=status)


@router.get("/privacy", response_class=HTMLResponse)
def privacy_form(request: Request, actor: PageUserDep) -> HTMLResponse:
    return _page(request)


@router.post("/privacy", response_class=HTMLResponse, dependencies=[CsrfDep])
def privacy_scan(
    request: Request,
    session: SessionDep,
    actor: PageUserDep,
    settings: SettingsDep,
    text: Annotated[str, Form()] = "",
    method: Annotated[str, Form()] = Method.MASK.value,
) -> HTMLResponse:
    try:
        if not text.strip():
            raise Invalid("Hãy dán văn bản cần kiểm tra vào ô bên dưới.", code="privacy.empty")
        if len(text) > MAX_CHARACTERS:
            raise Invalid(
                f"Văn bản dài quá {written(MAX_CHARACTERS)} ký tự; hãy dùng lệnh `mauson pii` cho tệp lớn.",
                code="privacy.too_long",
            )
        chosen = Method(method) if method in Method.__members__.values() else Method.MASK
        anonymised, entities = service.redact_for(
            session=session, actor=actor, text=text, method=chosen, keys=service.keys_for(settings)
        )
    except MausonError as error:
        return _page(request, text=text, error=error.message, status=error.status)
    return _page(
        request,
        text=text,
        method=chosen,
        segments=segments(text, entities),
        anonymised=anonymised,
        counts={TYPE_LABELS[EntityType(k)]: v for k, v in service.count_types(entities).items()},
    )
