"""What officers and the public read about petitions: one assembly for the API and the pages.

`petition_read()` is the officers' view (personal data included, for the agency that works the
case); `public_read()` is everyone's: the masked text only when the sender chose to publish it,
no contact, no photos; `stats()` counts by category, commune and agency for the transparency page
(drawn as a map by `commune_map`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from mauson.db import utcnow
from mauson.errors import NotFound
from mauson.identity.models import ANONYMOUS, Organisation, User
from mauson.petitions import service
from mauson.petitions.classifier import Prediction, written_forms
from mauson.petitions.labels import (
    AGENCIES,
    CATEGORIES,
    COMMUNE_SOURCES,
    EVENT_ACTIONS,
    STATUS_LABELS,
    SYSTEM_ACTIONS,
    URGENCIES,
    Status,
)
from mauson.petitions.models import (
    EventRead,
    LabelRead,
    Petition,
    PetitionCorrection,
    PetitionEvent,
    PetitionRead,
    PetitionTriage,
    PublicPetitionRead,
    SimilarRead,
    StatRow,
    Stats,
    TriageRead,
)
from mauson.petitions.triage import Triage


def organisation_name(session: Session, key: int | None) -> str | None:
    """The name of the organisation with id `key`, if any: where a case is routed."""
    row = session.get(Organisation, key) if key else None
    return row.name if row else None


def _officer(session: Session, key: int | None) -> str | None:
    row = session.get(User, key) if key else None
    return row.full_name if row else None


def triage_read(stored: PetitionTriage, text: str) -> TriageRead:
    """The stored triage of the petition whose `text` is given (its reasons are shown as written there)."""
    explanation: dict[str, Any] = stored.explanation
    forms = written_forms(text)

    def label(kind: str, value: str, confidence: float, names: dict[str, str]) -> LabelRead:
        words = [forms.get(word, word) for word, _ in explanation.get(kind, {}).get("words", [])]
        return LabelRead(label=value, name=names.get(value, value), confidence=confidence, words=words)

    return TriageRead(
        category=label("category", stored.category, stored.category_confidence, CATEGORIES),
        agency=label("agency", stored.agency, stored.agency_confidence, AGENCIES),
        urgency=label("urgency", stored.urgency, stored.urgency_confidence, URGENCIES),
        commune_code=stored.commune_code,
        commune_name=service.commune_name(stored.commune_code),
        commune_confidence=stored.commune_confidence,
        commune_evidence=list(explanation.get("place", [])),
        duplicate_of=explanation.get("duplicate_of"),
        similar=[
            SimilarRead(petition_id=i, similarity=s, same_commune=c) for i, s, c in explanation.get("similar", [])
        ],
        personal_data=dict(explanation.get("personal_data", {})),
        milliseconds=stored.milliseconds,
    )


def petition_read(*, session: Session, petition: Petition) -> PetitionRead:
    stored = service.latest_triage(session=session, petition=petition)
    source = _commune_source(session, petition, stored)
    return PetitionRead(
        id=petition.id,
        text=petition.text,
        status=petition.status,
        status_name=STATUS_LABELS[Status(petition.status)],
        channel=petition.channel,
        submitted_at=petition.submitted_at,
        category=petition.category,
        agency=petition.agency,
        urgency=petition.urgency,
        commune_code=petition.commune_code,
        commune_name=service.commune_name(petition.commune_code),
        commune_source=source,
        commune_source_name=COMMUNE_SOURCES[source] if source else None,
        location_text=petition.location_text,
        contact_name=petition.contact_name,
        contact_phone=petition.contact_phone,
        contact_email=petition.contact_email,
        is_public=petition.is_public,
        organisation=organisation_name(session, petition.organisation_id),
        officer=_officer(session, petition.officer_id),
        due_at=petition.due_at,
        overdue=service.is_overdue(petition),
        escalated_to=organisation_name(session, petition.escalated_to_id),
        duplicate_of=petition.duplicate_of_id,
        reply=petition.reply,
        reject_reason=petition.reject_reason,
        rating=petition.rating,
        rating_comment=petition.rating_comment,
        photos=list(petition.photos or []),
        triage=triage_read(stored, petition.text) if stored else None,
        events=[_event_read(e) for e in service.events(session=session, petition=petition)],
    )


def _commune_source(
    session: Session, petition: Petition, stored: PetitionTriage | None
) -> Literal["sender", "triage", "officer"] | None:
    """Who put the petition in its commune: an officer's correction, the sender's pick on the form,
    or the triage reading it in the text. The officer's page says which, beside the triage's own reading."""
    code = petition.commune_code
    if code is None:
        return None
    corrected = session.scalar(
        select(PetitionCorrection.new_value)
        .where(PetitionCorrection.petition_id == petition.id, PetitionCorrection.field == "commune_code")
        .order_by(PetitionCorrection.id.desc())
        .limit(1)
    )
    if corrected == code:
        return "officer"
    found = stored.commune_code if stored else None
    # Triages stored before the sender's pick was kept: a commune the triage did not find was picked.
    picked = stored.explanation.get("sender_commune", code if code != found else None) if stored else code
    return "sender" if picked == code else "triage"


def _who(event: PetitionEvent) -> str:
    """Who took a step, as an officer reads it: the triage and escalation are the platform's own
    steps even when a citizen's submission or a cron job set them off."""
    if event.action in SYSTEM_ACTIONS:
        return "Hệ thống"
    if event.actor_name == ANONYMOUS.username:
        return "Người dân"
    if event.action == "submit":  # a hotline call or a file, entered by staff: the citizen's still
        entered = "bằng lệnh mauson" if event.actor_name.startswith("cli:") else f"bởi {event.actor_name}"
        return f"Người dân (nhập {entered})"
    return event.actor_name


def _event_read(event: PetitionEvent) -> EventRead:
    return EventRead(
        at=event.at,
        action=event.action,
        action_name=EVENT_ACTIONS.get(event.action, event.action),
        from_status=event.from_status,
        to_status=event.to_status,
        to_status_name=STATUS_LABELS[Status(event.to_status)],
        actor_name=event.actor_name,
        who=_who(event),
        note=event.note,
    )


# A case closed or rejected awaits no reply: the public reads give no date one is due by.
NO_REPLY_DUE = (Status.CLOSED, Status.REJECTED)


def public_read(*, session: Session, petition: Petition, for_sender: bool = False) -> PublicPetitionRead:
    """What anyone may see of a petition. A rejected one (spam, abuse, not a petition) keeps its page
    for the sender to read why, with the reason masked and without its text.

    `for_sender`: what its sender sees, having given the tracking code (`service.get_as_sender`): their
    own text and the agency's reply as written, public or not; the sender's contact stays out."""
    rejected = petition.status == Status.REJECTED
    text = petition.public_text if petition.is_public and not rejected else None
    reply = petition.public_reply if petition.is_public else None
    if for_sender:
        text, reply = petition.text, petition.reply
    return PublicPetitionRead(
        id=petition.id,
        text=text,
        status=petition.status,
        status_name=STATUS_LABELS[Status(petition.status)],
        submitted_at=petition.submitted_at,
        category=petition.category,
        category_name=CATEGORIES.get(petition.category or ""),
        commune_name=service.commune_name(petition.commune_code),
        organisation=organisation_name(session, petition.organisation_id),
        due_at=None if petition.status in NO_REPLY_DUE else petition.due_at,
        reply=reply,
        replied_at=petition.replied_at,
        rating=petition.rating,
        reject_reason=service.for_the_public(petition.reject_reason) if rejected and petition.reject_reason else None,
        for_sender=for_sender,
    )


def public_list(
    *, session: Session, category: str | None = None, commune_code: str | None = None, limit: int = 50, offset: int = 0
) -> list[PublicPetitionRead]:
    """Petitions, newest first; rejected ones (spam, abuse) are not listed."""
    stmt = select(Petition).where(Petition.status != Status.REJECTED)
    if category:
        stmt = stmt.where(Petition.category == category)
    if commune_code:
        stmt = stmt.where(Petition.commune_code == commune_code)
    # the id breaks ties (a batch import dates many alike), so that no petition falls between two pages
    rows = session.scalars(stmt.order_by(Petition.submitted_at.desc(), Petition.id.desc()).offset(offset).limit(limit))
    return [public_read(session=session, petition=p) for p in rows]


def public_get(*, session: Session, petition_id: int) -> PublicPetitionRead:
    petition = session.get(Petition, petition_id)
    if petition is None:
        raise NotFound(f"Không có phản ánh số {petition_id}.", code="petition.not_found")
    return public_read(session=session, petition=petition)


def stats(*, session: Session) -> Stats:
    """Counts of every petition (private ones too: only the numbers are public)."""
    now = utcnow()
    rows = list(session.scalars(select(Petition).where(Petition.status != Status.REJECTED)))
    organisations = {o.id: o.name for o in session.scalars(select(Organisation))}

    def group(key: Callable[[Petition], str | None], name: Callable[[str | None], str]) -> list[StatRow]:
        totals, answered, overdue = Counter[str | None](), Counter[str | None](), Counter[str | None]()
        for petition in rows:
            value = key(petition)
            totals[value] += 1
            answered[value] += petition.status in (Status.ANSWERED, Status.CLOSED)
            overdue[value] += service.is_overdue(petition, now)
        return [
            StatRow(key=value, name=name(value), total=count, answered=answered[value], overdue=overdue[value])
            for value, count in totals.most_common()
        ]

    return Stats(
        total=len(rows),
        by_category=group(lambda p: p.category, lambda v: CATEGORIES.get(v or "", "Chưa phân loại")),
        by_commune=group(lambda p: p.commune_code, lambda v: service.commune_name(v) or "Không xác định"),
        by_agency=group(
            lambda p: str(p.organisation_id) if p.organisation_id else None,
            lambda v: organisations.get(int(v), "—") if v else "Chưa giao",
        ),
    )


def triage_preview(result: Triage, text: str) -> TriageRead:
    """A triage of `text` not stored (the dry run): the same shape as a stored one."""
    forms = written_forms(text)

    def label(prediction: Prediction, names: dict[str, str]) -> LabelRead:
        words = [forms.get(word, word) for word, _ in prediction.words]
        return LabelRead(
            label=prediction.label, name=names[prediction.label], confidence=prediction.confidence, words=words
        )

    personal = Counter(found.type for found in result.personal_data)
    return TriageRead(
        category=label(result.category, CATEGORIES),
        agency=label(result.agency, AGENCIES),
        urgency=label(result.urgency, URGENCIES),
        commune_code=result.place.code if result.place else None,
        commune_name=result.place.name if result.place else None,
        commune_confidence=result.place.confidence if result.place else None,
        commune_evidence=list(result.place.evidence) if result.place else [],
        duplicate_of=None,
        similar=[],
        personal_data=dict(personal),
        milliseconds=0.0,
    )
