"""JSON API for personal-data scanning and anonymisation (`/api/v1/privacy`)."""

from __future__ import annotations

from fastapi import APIRouter

from mauson.privacy import service
from mauson.privacy.models import (
    DecryptRequest,
    DecryptResponse,
    EntityRead,
    RedactRequest,
    RedactResponse,
    ScanRequest,
    ScanResponse,
)
from mauson.web.deps import ActorDep, SessionDep, SettingsDep

router = APIRouter(prefix="/api/v1/privacy", tags=["privacy"])


@router.post("/scan", response_model=ScanResponse, summary="Find personal data in a text")
def scan(data: ScanRequest, session: SessionDep, actor: ActorDep) -> ScanResponse:
    entities = service.scan_for(session=session, actor=actor, text=data.text, types=data.types)
    return ScanResponse(entities=[EntityRead.model_validate(e) for e in entities], counts=service.count_types(entities))


@router.post("/redact", response_model=RedactResponse, summary="Anonymise the personal data in a text")
def redact(data: RedactRequest, session: SessionDep, actor: ActorDep, settings: SettingsDep) -> RedactResponse:
    text, entities = service.redact_for(
        session=session,
        actor=actor,
        text=data.text,
        method=data.method,
        keys=service.keys_for(settings),
        per_type=data.per_type,
    )
    return RedactResponse(
        text=text, entities=[EntityRead.model_validate(e) for e in entities], counts=service.count_types(entities)
    )


@router.post("/decrypt", response_model=DecryptResponse, summary="Open encrypted values (authorised officers)")
def decrypt(data: DecryptRequest, session: SessionDep, actor: ActorDep, settings: SettingsDep) -> DecryptResponse:
    return DecryptResponse(
        text=service.decrypt_for(session=session, actor=actor, text=data.text, keys=service.keys_for(settings))
    )
