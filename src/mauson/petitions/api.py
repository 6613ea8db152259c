"""JSON API of petitions: submission and dry-run triage (anyone), the officers' workflow, the
emergency alerts and notifiers, and the public list and statistics. Open311 is in `open311.py`."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Query, Request, Response

from mauson.petitions import alerts, intake, photos, reads, service, web_intake, workflow
from mauson.petitions.classifier import model_in_use
from mauson.petitions.models import (
    AlertRead,
    Assignment,
    Decision,
    DuplicateLink,
    NotifierCreate,
    NotifierRead,
    Petition,
    PetitionAlert,
    PetitionCreate,
    PetitionRead,
    PublicPetitionRead,
    Rating,
    Reason,
    Reply,
    Stats,
    SubmissionReceipt,
    TrackingCode,
    Transfer,
    TriageRead,
    TriageRequest,
)
from mauson.petitions.open311 import router as open311_router
from mauson.petitions.triage import triage
from mauson.web.deps import ActorDep, SessionDep, SettingsDep

v1 = APIRouter(prefix="/api/v1", tags=["petitions"])


def _alert_read(alert: PetitionAlert, petition: Petition) -> AlertRead:
    return AlertRead(
        id=alert.id,
        petition_id=petition.id,
        created_at=alert.created_at,
        deliveries=alert.deliveries,
        category=petition.category,
        commune_name=service.commune_name(petition.commune_code),
        acknowledged_at=alert.acknowledged_at,
        acknowledged_by=alert.acknowledged_by,
    )


@v1.post("/petitions", response_model=SubmissionReceipt, status_code=201, summary="Submit a petition")
def submit(
    data: PetitionCreate,
    request: Request,
    tasks: BackgroundTasks,
    session: SessionDep,
    actor: ActorDep,
    settings: SettingsDep,
) -> SubmissionReceipt:
    client = web_intake.client_for(request, actor, settings)
    model = model_in_use(settings.data_dir)
    # the channel is "api" unless staff entering a call or an import name theirs (`intake.channel_of`)
    petition = intake.submit(session=session, actor=actor, data=data, model=model, client=client, way_in="api")
    web_intake.deliver_later(tasks, request, session, petition.id)
    stored = service.latest_triage(session=session, petition=petition)
    assert stored is not None
    return SubmissionReceipt(
        id=petition.id,
        tracking_code=petition.tracking_code,
        status=petition.status,
        triage=reads.triage_read(stored, petition.text),
    )


@v1.post("/petitions/triage", response_model=TriageRead, summary="Triage a text without storing it")
def dry_run(data: TriageRequest, actor: ActorDep, settings: SettingsDep) -> TriageRead:
    text = intake.checked_text(data.text)  # what submission would refuse, the dry run refuses too
    result = triage(text, submitted_at=datetime.now(UTC), model=model_in_use(settings.data_dir))
    return reads.triage_preview(result, text)


@v1.get("/petitions", response_model=list[PetitionRead], summary="The inbox of the officer's agency")
def inbox(
    session: SessionDep, actor: ActorDep, status: Annotated[str | None, Query(max_length=20)] = None
) -> list[PetitionRead]:
    return [
        reads.petition_read(session=session, petition=p)
        for p in service.list_inbox(session=session, actor=actor, status=status)
    ]


@v1.get("/petitions/{petition_id}", response_model=PetitionRead, summary="One petition with its triage")
def get_petition(petition_id: int, session: SessionDep, actor: ActorDep) -> PetitionRead:
    return reads.petition_read(
        session=session, petition=service.read_as_officer(session=session, actor=actor, petition_id=petition_id)
    )


@v1.get(
    "/petitions/{petition_id}/photos/{name}",
    response_class=Response,
    responses={200: {"content": {media: {} for media in photos.MEDIA_TYPES.values()}}},
    summary="A photo of the petition (officers who may read it; each read is audited)",
)
def get_photo(petition_id: int, name: str, session: SessionDep, actor: ActorDep, settings: SettingsDep) -> Response:
    stored = service.photo(session=session, actor=actor, petition_id=petition_id, name=name)
    headers = {
        "Content-Disposition": f'inline; filename="{stored}"',
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "private, no-store",
    }
    content = photos.read(photos.folder_for(settings.data_dir), stored)
    return Response(content, media_type=photos.media_type(stored), headers=headers)


@v1.post("/petitions/{petition_id}/decision", response_model=PetitionRead, summary="Accept or correct the triage")
def decide(
    petition_id: int, data: Decision, request: Request, tasks: BackgroundTasks, session: SessionDep, actor: ActorDep
) -> PetitionRead:
    petition = workflow.decide(session=session, actor=actor, petition_id=petition_id, decision=data)
    web_intake.deliver_later(tasks, request, session, petition.id)  # a correction to khẩn cấp alerts the agency
    return reads.petition_read(session=session, petition=petition)


@v1.post("/petitions/{petition_id}/transfer", response_model=PetitionRead, summary="Transfer to another agency")
def transfer(
    petition_id: int, data: Transfer, request: Request, tasks: BackgroundTasks, session: SessionDep, actor: ActorDep
) -> PetitionRead:
    petition = workflow.transfer(session=session, actor=actor, petition_id=petition_id, data=data)
    web_intake.deliver_later(tasks, request, session, petition.id)  # an emergency alerts its new agency too
    return reads.petition_read(session=session, petition=petition)


@v1.post(
    "/petitions/{petition_id}/duplicate", response_model=PetitionRead, summary="Link to, or unlink from, an incident"
)
def link_duplicate(petition_id: int, data: DuplicateLink, session: SessionDep, actor: ActorDep) -> PetitionRead:
    petition = workflow.link_duplicate(session=session, actor=actor, petition_id=petition_id, data=data)
    return reads.petition_read(session=session, petition=petition)


@v1.post("/petitions/{petition_id}/assign", response_model=PetitionRead, summary="Assign to an officer")
def assign(petition_id: int, data: Assignment, session: SessionDep, actor: ActorDep) -> PetitionRead:
    petition = workflow.assign(
        session=session, actor=actor, petition_id=petition_id, officer_username=data.officer_username
    )
    return reads.petition_read(session=session, petition=petition)


@v1.post(
    "/petitions/{petition_id}/reply", response_model=PetitionRead, summary="Reply to the citizen, again until closed"
)
def reply(petition_id: int, data: Reply, session: SessionDep, actor: ActorDep) -> PetitionRead:
    petition = workflow.reply(
        session=session, actor=actor, petition_id=petition_id, text=data.text, interim=data.interim
    )
    return reads.petition_read(session=session, petition=petition)


@v1.post("/petitions/{petition_id}/close", response_model=PetitionRead, summary="Close an answered petition")
def close(petition_id: int, session: SessionDep, actor: ActorDep) -> PetitionRead:
    return reads.petition_read(
        session=session, petition=workflow.close(session=session, actor=actor, petition_id=petition_id)
    )


@v1.post("/petitions/{petition_id}/reject", response_model=PetitionRead, summary="Reject, with a reason")
def reject(petition_id: int, data: Reason, session: SessionDep, actor: ActorDep) -> PetitionRead:
    petition = workflow.reject(session=session, actor=actor, petition_id=petition_id, reason=data.reason)
    return reads.petition_read(session=session, petition=petition)


@v1.get("/petition-alerts", response_model=list[AlertRead], summary="Open emergency alerts of the agency")
def open_alerts(session: SessionDep, actor: ActorDep) -> list[AlertRead]:
    return [_alert_read(alert, petition) for alert, petition in alerts.open_alerts(session=session, actor=actor)]


@v1.post("/petition-alerts/{alert_id}/acknowledge", response_model=AlertRead, summary="Acknowledge an emergency alert")
def acknowledge_alert(alert_id: int, session: SessionDep, actor: ActorDep) -> AlertRead:
    return _alert_read(*alerts.acknowledge(session=session, actor=actor, alert_id=alert_id))


@v1.get("/petition-notifiers", response_model=list[NotifierRead], summary="Where emergency alerts are sent")
def list_notifiers(session: SessionDep, actor: ActorDep) -> list[NotifierRead]:
    return [NotifierRead.model_validate(n) for n in alerts.list_notifiers(session=session, actor=actor)]


@v1.post("/petition-notifiers", response_model=NotifierRead, status_code=201, summary="Add a webhook or mailbox")
def add_notifier(data: NotifierCreate, session: SessionDep, actor: ActorDep) -> NotifierRead:
    return NotifierRead.model_validate(alerts.add_notifier(session=session, actor=actor, data=data))


@v1.delete("/petition-notifiers/{notifier_id}", response_model=NotifierRead, summary="Stop sending alerts there")
def remove_notifier(notifier_id: int, session: SessionDep, actor: ActorDep) -> NotifierRead:
    return NotifierRead.model_validate(alerts.remove_notifier(session=session, actor=actor, notifier_id=notifier_id))


@v1.get("/public/petitions", response_model=list[PublicPetitionRead], summary="Public list (no personal data)")
def public_list(
    session: SessionDep,
    category: Annotated[str | None, Query(max_length=40)] = None,
    commune: Annotated[str | None, Query(max_length=10)] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> list[PublicPetitionRead]:
    return reads.public_list(session=session, category=category, commune_code=commune, limit=limit, offset=offset)


@v1.get("/public/petitions/{petition_id}", response_model=PublicPetitionRead, summary="One petition, public view")
def public_get(petition_id: int, session: SessionDep) -> PublicPetitionRead:
    return reads.public_get(session=session, petition_id=petition_id)


@v1.post(
    "/public/petitions/{petition_id}/rating", response_model=PublicPetitionRead, summary="The sender rates the reply"
)
def rate(petition_id: int, data: Rating, session: SessionDep, actor: ActorDep) -> PublicPetitionRead:
    petition = workflow.rate(session=session, actor=actor, petition_id=petition_id, data=data)
    return reads.public_read(session=session, petition=petition)


@v1.post(
    "/public/petitions/{petition_id}/sender-view",
    response_model=PublicPetitionRead,
    summary="The sender reads their petition and the reply whole, with the tracking code",
)
def sender_view(
    petition_id: int, data: TrackingCode, response: Response, session: SessionDep, actor: ActorDep
) -> PublicPetitionRead:
    petition = service.read_as_sender(session=session, actor=actor, petition_id=petition_id, data=data)
    response.headers["Cache-Control"] = "no-store"
    return reads.public_read(session=session, petition=petition, for_sender=True)


@v1.get("/public/petition-stats", response_model=Stats, summary="Counts by category, commune and agency")
def public_stats(session: SessionDep) -> Stats:
    return reads.stats(session=session)


router = APIRouter()  # the module's routes: the JSON API under /api/v1, and Open311 under /open311/v2
router.include_router(v1)
router.include_router(open311_router)
