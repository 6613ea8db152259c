"""What the petitions rooms share: the places and labels a case is checked against, the
organisation it goes to and by when it must be answered, the ways to read a case (an officer's, its
sender's, the public's) and its history.

Receiving a petition is `intake` (text checks, rate limit, submit, triage); its life after that is
`workflow` (decide, link, transfer, assign, reply, close, reject, rate, escalate). Both record their
steps with `record_event()`: one history, which the citizen follows from submission to closure.
Functions that touch the database take the session first and never commit (the caller's
`unit_of_work()` does); every write is an audit entry. Officers see and work only the petitions of
their own organisation (or escalated to it): `access.visible()` is the one rule for lists and
detail pages alike, so another agency's case answers 404.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from mauson.audit import service as audit
from mauson.audit.models import AuditEvent
from mauson.db import as_aware, utcnow
from mauson.errors import Forbidden, Invalid, NotFound, Unauthorized
from mauson.identity.actions import allowed, ensure
from mauson.identity.models import Actor, Organisation, User
from mauson.petitions import deadlines, labels
from mauson.petitions.access import visible, workable
from mauson.petitions.labels import Status
from mauson.petitions.models import Petition, PetitionEvent, PetitionTriage, TrackingCode
from mauson.privacy.service import tag_personal_data
from mauson.vntext.gazetteer import LANG_SON, Unit, gazetteer
from mauson.vntext.normalize import has_diacritics
from mauson.vntext.profanity import mask_profanity

MAX_NOTE = 1000  # `PetitionEvent.note`'s width
OPEN = (Status.NEW, Status.TRIAGED, Status.FORWARDED, Status.IN_PROGRESS)
DONE = (Status.ANSWERED, Status.CLOSED, Status.REJECTED)


# --- places, labels and routing --------------------------------------------------------------------


def communes() -> list[Unit]:
    """Lạng Sơn's 65 communes and wards, by name: the form's picker."""
    gaz = gazetteer()
    return sorted(gaz.units_in(gaz.province(LANG_SON).code), key=lambda u: u.name)


def commune_name(code: str | None) -> str | None:
    """The name the pages show for a commune code; none for no code or one not in Lạng Sơn."""
    return next((u.name for u in communes() if u.code == code), None) if code else None


def checked_commune(code: str | None) -> str | None:
    """The commune picked (by the sender or an officer), if any: one of Lạng Sơn's, or refused."""
    if code and commune_name(code) is None:
        raise Invalid(
            f"Không có xã, phường mã '{code}' ở Lạng Sơn. Hãy chọn trong danh sách.", code="petitions.commune"
        )
    return code or None


LABEL_KINDS = {"agency": "cơ quan xử lý", "category": "lĩnh vực", "urgency": "mức khẩn"}


def check_label(kind: str, value: str | None, names: dict[str, str]) -> None:
    """Refuse a label that is not in its list, naming the ones that are: a form or API client may send anything."""
    if value is not None and value not in names:
        raise Invalid(
            f"«{value[:40]}» không phải {LABEL_KINDS[kind]} có trong danh sách: hãy chọn một trong: "
            + ", ".join(names)
            + ".",
            code=f"petitions.{kind}",
        )


def organisation_for(session: Session, agency: str, commune_code: str | None) -> Organisation | None:
    """The organisation that works an agency's petitions: the commune's UBND for `ubnd_xa`."""
    code = commune_code if agency == "ubnd_xa" and commune_code else labels.AGENCY_ORGANISATIONS.get(agency)
    return session.scalar(select(Organisation).where(Organisation.code == (code or labels.PROVINCE_OFFICE)))


def reply_due(petition: Petition) -> datetime:
    """When the agency must answer: counted from the petition's arrival at its current urgency.

    Never from the officer's decision: accepting or correcting the triage days later must neither
    give the agency more time nor clear an overdue case. A transfer keeps this deadline too.
    """
    received = as_aware(petition.submitted_at)
    if petition.urgency == "khan_cap":
        return received + timedelta(hours=labels.EMERGENCY_DUE_HOURS)
    return deadlines.due_at(received, labels.DUE_WORKING_DAYS[petition.urgency or labels.DEFAULT_URGENCY])


# --- reading ---------------------------------------------------------------------------------------


def get_or_raise(*, session: Session, actor: Actor, petition_id: int) -> Petition:
    """A petition the actor may work on (404 otherwise: others' cases are not even confirmed to exist)."""
    ensure(actor, "petition-view")
    petition = session.scalar(visible(select(Petition).where(Petition.id == petition_id), actor))
    if petition is None:
        raise NotFound(f"Không có phản ánh số {petition_id} trong phạm vi của bạn.", code="petition.not_found")
    return petition


def colleagues(*, session: Session, petition: Petition) -> list[User]:
    """The active staff of the organisation handling the petition: whom it can be given to."""
    stmt = select(User).where(User.organisation_id == petition.organisation_id, User.is_active.is_(True))
    return list(session.scalars(stmt.order_by(User.full_name, User.username)))


def read_as_officer(*, session: Session, actor: Actor, petition_id: int) -> Petition:
    """A petition an officer opens, with its sender's contact details and full text: the read is an
    audit entry, like any read of non-public data (the officer's page and the API's GET)."""
    petition = get_or_raise(session=session, actor=actor, petition_id=petition_id)
    audit.record(session=session, actor=actor, event=AuditEvent("petition.view", "petition", petition.id))
    return petition


def get_to_work_or_raise(*, session: Session, actor: Actor, petition_id: int) -> Petition:
    """A petition the actor may work on: their organisation handles it. The supervising agency an
    overdue case was escalated to reads it but is told whose case it is (403)."""
    petition = get_or_raise(session=session, actor=actor, petition_id=petition_id)
    if not may_work(session=session, actor=actor, petition=petition):
        raise Forbidden(
            f"Phản ánh số {petition_id} do cơ quan khác xử lý; cơ quan cấp trên theo dõi, không xử lý thay.",
            code="petition.not_yours",
        )
    return petition


def may_work(*, session: Session, actor: Actor, petition: Petition) -> bool:
    """Whether the actor may take the petition's workflow steps: an officer of the agency that
    handles it (`access.workable`), or an administrator."""
    if not allowed(actor, "petition-work"):
        return False
    return session.scalar(workable(select(Petition.id).where(Petition.id == petition.id), actor)) is not None


def get_as_sender(*, session: Session, actor: Actor, petition_id: int, data: TrackingCode) -> Petition:
    """The petition whose tracking code `data` gives: its sender may read it whole, and rate its reply.

    The code is the sender's credential: a wrong one answers like a failed login (401 for an
    anonymous caller, 403 for a signed-in one), whether or not the petition exists, so the code
    cannot be guessed petition by petition.
    """
    ensure(actor, "petition-submit")
    petition = session.get(Petition, petition_id)
    if petition is None or not secrets.compare_digest(
        petition.tracking_code.encode(), data.tracking_code.strip().lower().encode()
    ):
        message = "Mã theo dõi không đúng với phản ánh này. Hãy nhập mã được cấp khi gửi phản ánh."
        error = Unauthorized if not actor.is_authenticated else Forbidden
        raise error(message, code="petition.tracking_code")
    return petition


def read_as_sender(*, session: Session, actor: Actor, petition_id: int, data: TrackingCode) -> Petition:
    """The petition for its sender to read whole, their text and the reply, private or not
    (`get_as_sender` checks the code); the read is an audit entry, like any read of non-public data."""
    petition = get_as_sender(session=session, actor=actor, petition_id=petition_id, data=data)
    audit.record(session=session, actor=actor, event=AuditEvent("petition.sender_view", "petition", petition.id))
    return petition


def list_inbox(*, session: Session, actor: Actor, status: str | None = None, limit: int = 100) -> list[Petition]:
    """The actor's organisation's petitions: open ones first, emergencies and the oldest first."""
    ensure(actor, "petition-view")
    stmt = visible(select(Petition), actor)
    if status:
        stmt = stmt.where(Petition.status == status)
    # Ordered before the limit: an office with more than `limit` cases must still see its oldest open ones.
    closed_last = case((Petition.status.in_(OPEN), 0), else_=1)
    by_urgency = case((Petition.urgency == "khan_cap", 0), (Petition.urgency == "cao", 1), else_=2)
    oldest_due_first = func.coalesce(Petition.due_at, Petition.submitted_at)
    stmt = stmt.order_by(closed_last, by_urgency, oldest_due_first, Petition.id)
    return list(session.scalars(stmt.limit(limit)))


def is_overdue(petition: Petition, now: datetime | None = None) -> bool:
    """Still open past its reply deadline: what the inbox flags and the statistics count."""
    return petition.status in OPEN and petition.due_at is not None and as_aware(petition.due_at) < (now or utcnow())


def for_the_public(text: str) -> str:
    """What the public pages show of a text: personal data replaced by its type, swear words masked."""
    return mask_profanity(tag_personal_data(text))


def place_for_the_public(place: str) -> str:
    """A place the sender wrote apart from the text (the form's location, Open311's address_string)
    as public reads show it. It is read as the "ở …" it stands for, so that a house it finds ("Số
    nhà 12, ngõ 5 đường Bà Triệu") is hidden as it is in a text ("cháy ở số nhà 12…"), while an
    area ("Khu 4, phường Đông Kinh", "gần nhà văn hóa thôn Khuổi Tẻn") stays to say where."""
    at = "ở " if has_diacritics(place) else "o "  # typed without accents, the place is read folded
    return for_the_public(at + place)[len(at) :]


def latest_texts(*, session: Session, limit: int) -> list[str]:
    """The texts of the latest petitions, newest first: what a retrained model is compared on."""
    return list(session.scalars(select(Petition.text).order_by(Petition.id.desc()).limit(limit)))


def latest_triage(*, session: Session, petition: Petition) -> PetitionTriage | None:
    """The petition's latest triage, with its explanation: what the officer's page and the API show."""
    stmt = select(PetitionTriage).where(PetitionTriage.petition_id == petition.id).order_by(PetitionTriage.id.desc())
    return session.scalars(stmt.limit(1)).first()


def photo(*, session: Session, actor: Actor, petition_id: int, name: str) -> str:
    """Check that the actor may see a photo of the petition and record the read; the stored name.

    Photos may show faces, plates and homes: only the officers who may read the petition see them,
    and each read is an audit entry, like any read of non-public data.
    """
    petition = get_or_raise(session=session, actor=actor, petition_id=petition_id)
    if name not in (petition.photos or []):
        raise NotFound(f"Phản ánh số {petition_id} không có ảnh này.", code="petition.photo_not_found")
    event = AuditEvent("petition.photo_view", "petition", petition.id, details={"photo": name})
    audit.record(session=session, actor=actor, event=event)
    return name


# --- history ---------------------------------------------------------------------------------------


def events(*, session: Session, petition: Petition) -> list[PetitionEvent]:
    """The petition's history, oldest step first: the timeline its sender and the officers follow."""
    return list(
        session.scalars(
            select(PetitionEvent).where(PetitionEvent.petition_id == petition.id).order_by(PetitionEvent.id)
        )
    )


def record_event(
    session: Session,
    actor: Actor,
    petition: Petition,
    action: str,
    before: str | None,
    after: Status,
    note: str | None,
    *,
    organisation_id: int | None = None,
    at: datetime | None = None,
) -> None:
    """Record a step in the history and touch `updated_at` (Open311's `updated_datetime` reads it).
    The step is the petition's organisation's unless `organisation_id` names another (an escalation's);
    it happened now unless `at` says when (a hotline call entered later, an imported petition)."""
    petition.status = after
    petition.updated_at = utcnow()
    session.add(
        PetitionEvent(
            petition_id=petition.id,
            at=at or petition.updated_at,
            action=action,
            from_status=before,
            to_status=after,
            actor_name=actor.username,
            organisation_id=organisation_id or petition.organisation_id,
            note=_clipped(note) if note else None,
        )
    )


def _clipped(note: str) -> str:
    return note if len(note) <= MAX_NOTE else note[: MAX_NOTE - 1] + "…"
