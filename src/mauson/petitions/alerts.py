"""The emergency lane: a khan_cap petition raises an alert on the officers' dashboard and is pushed
to the duty agency's notifiers at once.

`raise_alert()` runs inside the submission's transaction; `deliver()` runs after it has committed
(a background task of the request, or the CLI right after the import), in its own transaction,
so a slow or dead receiver never holds up or rolls back the citizen's submission.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from mauson.audit import service as audit
from mauson.audit.models import AuditEvent
from mauson.db import utcnow
from mauson.errors import Conflict, NotFound
from mauson.identity.actions import ensure
from mauson.identity.models import Actor, Organisation
from mauson.identity.service import get_organisation_or_raise
from mauson.petitions import notify
from mauson.petitions.access import workable
from mauson.petitions.labels import AGENCIES, CATEGORIES, PROVINCE_OFFICE
from mauson.petitions.models import NotifierCreate, Petition, PetitionAlert, PetitionNotifier
from mauson.privacy.models import EntityType
from mauson.privacy.service import tag_personal_data
from mauson.vntext.gazetteer import gazetteer


def raise_alert(*, session: Session, petition: Petition) -> PetitionAlert:
    alert = PetitionAlert(petition_id=petition.id, organisation_id=petition.organisation_id, deliveries=[])
    session.add(alert)
    session.flush()
    return alert


def alert_if_emergency(*, session: Session, petition: Petition) -> PetitionAlert | None:
    """Make sure an emergency is in front of the agency now handling it: one alert per agency,
    raised at triage, when an officer corrects the urgency to khẩn cấp, or after a transfer."""
    if petition.urgency != "khan_cap":
        return None
    existing = session.scalar(
        select(PetitionAlert).where(
            PetitionAlert.petition_id == petition.id, PetitionAlert.organisation_id == petition.organisation_id
        )
    )
    return None if existing is not None else raise_alert(session=session, petition=petition)


def of_petition(*, session: Session, petition: Petition) -> list[PetitionAlert]:
    """The petition's emergency alerts, oldest first: whom each went to and who took it off the
    dashboard, for the officer's page."""
    stmt = select(PetitionAlert).where(PetitionAlert.petition_id == petition.id)
    return list(session.scalars(stmt.order_by(PetitionAlert.id)))


def pending_ids(*, session: Session, petition_id: int) -> list[int]:
    """Alerts of a petition not yet sent anywhere (what `deliver()` should be called with)."""
    stmt = select(PetitionAlert).where(PetitionAlert.petition_id == petition_id)
    return [alert.id for alert in session.scalars(stmt) if not alert.deliveries]


# What an alert leaves out of the text it carries to the duty agency: who the people are, not what
# happened to them nor where. The public text hides both: a mass poisoning's alert had read "30 học
# sinh … bị [THÔNG TIN SỨC KHỎE], nôn", a fire's "Cháy lớn tại [ĐỊA CHỈ]"; the symptoms and the place
# are what the duty office acts on.
ALERTED_AROUND = frozenset(EntityType) - {EntityType.HEALTH, EntityType.ADDRESS}


def deliver(*, session: Session, alert_id: int, base_url: str) -> PetitionAlert:
    """Send the alert to every active notifier of its organisation and keep each outcome."""
    alert = session.get(PetitionAlert, alert_id)
    if alert is None:
        raise NotFound(f"Không có cảnh báo số {alert_id}.", code="petition_alert.not_found")
    petition = session.get(Petition, alert.petition_id)
    assert petition is not None  # alerts cascade with their petition
    commune = gazetteer().unit(petition.commune_code).name if petition.commune_code else None
    message = notify.AlertMessage(
        petition_id=petition.id,
        category=CATEGORIES.get(petition.category or "", "—"),
        urgency="khan_cap",
        commune=commune,
        agency=AGENCIES.get(petition.agency or "", "—"),
        text=tag_personal_data(petition.text, ALERTED_AROUND),
        url=f"{base_url.rstrip('/')}/officer/petitions/{petition.id}",
    )
    notifiers, fallback = _recipients(session, alert.organisation_id)
    deliveries = []
    for notifier in notifiers:
        delivered, detail = notify.send(notifier.kind, notifier.target, message, internal=notifier.internal)
        if fallback:
            detail = f"{detail} (cơ quan xử lý chưa có nơi nhận cảnh báo: gửi {fallback})"
        deliveries.append(
            {
                "notifier_id": notifier.id,
                "kind": notifier.kind,
                "ok": delivered,
                "detail": detail,
                "at": utcnow().isoformat(),
            }
        )
    alert.deliveries = deliveries or [{"ok": False, "detail": "cơ quan chưa cấu hình nơi nhận cảnh báo"}]
    session.flush()
    return alert


def _recipients(session: Session, organisation_id: int | None) -> tuple[list[PetitionNotifier], str | None]:
    """The active notifiers of the handling organisation; where it has none (a commune that has not
    set one up yet), those of the province's office, named, so that an emergency reaches someone on
    duty rather than only a dashboard nobody there watches."""
    mine = _active_notifiers(session, PetitionNotifier.organisation_id == organisation_id)
    if mine:
        return mine, None
    office = session.scalar(select(Organisation).where(Organisation.code == PROVINCE_OFFICE))
    if office is None or office.id == organisation_id:
        return [], None
    return _active_notifiers(session, PetitionNotifier.organisation_id == office.id), office.name


def _active_notifiers(session: Session, condition: ColumnElement[bool]) -> list[PetitionNotifier]:
    stmt = select(PetitionNotifier).where(condition, PetitionNotifier.is_active.is_(True))
    return list(session.scalars(stmt.order_by(PetitionNotifier.id)))


def open_alerts(*, session: Session, actor: Actor) -> list[tuple[PetitionAlert, Petition]]:
    """Unacknowledged alerts of the petitions the actor's agency handles (all, for an administrator;
    not those of cases escalated to it, which it follows but does not take over): only the
    alert raised for the agency now handling each one, so a case transferred away leaves the
    dashboard of the agency that gave it up, and the new agency sees one alert, not two; and only
    while the case is khẩn cấp: one an officer corrected to "cao" is no emergency on the dashboard
    (its alert is kept in its history, and shows again if it is corrected back)."""
    ensure(actor, "petition-view")
    stmt = select(PetitionAlert, Petition).join(Petition, Petition.id == PetitionAlert.petition_id)
    stmt = stmt.where(
        PetitionAlert.acknowledged_at.is_(None),
        PetitionAlert.organisation_id == Petition.organisation_id,
        Petition.urgency == "khan_cap",
    )
    return [
        (alert, petition)
        for alert, petition in session.execute(workable(stmt, actor).order_by(PetitionAlert.id.desc()))
    ]


def acknowledge(*, session: Session, actor: Actor, alert_id: int) -> tuple[PetitionAlert, Petition]:
    """An officer of the duty agency takes the alert off the dashboard: who and when are kept."""
    ensure(actor, "petition-work")
    found = [(alert, p) for alert, p in open_alerts(session=session, actor=actor) if alert.id == alert_id]
    if not found:
        raise NotFound(f"Không có cảnh báo số {alert_id} đang chờ.", code="petition_alert.not_found")
    alert, petition = found[0]
    alert.acknowledged_at, alert.acknowledged_by = utcnow(), actor.username
    event = AuditEvent("petition.alert_acknowledge", "petition", alert.petition_id, details={"alert": alert.id})
    audit.record(session=session, actor=actor, event=event)
    session.flush()
    return alert, petition


def acknowledged_by(session: Session, actor: Actor, petition_id: int) -> bool:
    """Whether this officer took an alert of the petition off the dashboard."""
    stmt = select(PetitionAlert.id).where(
        PetitionAlert.petition_id == petition_id, PetitionAlert.acknowledged_by == actor.username
    )
    return session.scalar(stmt.limit(1)) is not None


def add_notifier(*, session: Session, actor: Actor, data: NotifierCreate) -> PetitionNotifier:
    """Register where an organisation's emergency alerts go (agency admins: their own organisation)."""
    ensure(actor, "petition-notifiers")
    organisation = get_organisation_or_raise(session=session, code=data.organisation_code)
    if not actor.is_admin and organisation.id != actor.organisation_id:
        raise NotFound(
            f"Không có cơ quan mã '{data.organisation_code}' trong phạm vi của bạn.", code="organisation.not_found"
        )
    notify.check_target(data.kind, data.target, internal=actor.is_admin)
    same = select(PetitionNotifier.id).where(
        PetitionNotifier.organisation_id == organisation.id,
        PetitionNotifier.target == data.target,
        PetitionNotifier.is_active.is_(True),
    )
    if session.scalar(same) is not None:  # each alert would go there twice
        raise Conflict(f"{organisation.name} đã có nơi nhận cảnh báo này.", code="petitions.notifier_exists")
    notifier = PetitionNotifier(
        organisation_id=organisation.id, kind=data.kind, target=data.target, is_active=True, internal=actor.is_admin
    )
    session.add(notifier)
    session.flush()
    details = {"organisation": organisation.code, "kind": data.kind}
    audit.record(
        session=session,
        actor=actor,
        event=AuditEvent("petition.notifier_add", "petition_notifier", notifier.id, details=details),
    )
    return notifier


def remove_notifier(*, session: Session, actor: Actor, notifier_id: int) -> PetitionNotifier:
    """Stop sending alerts to a notifier (a mailbox closed, a webhook moved): it is kept, inactive,
    so that past deliveries still name it."""
    ensure(actor, "petition-notifiers")
    notifier = session.get(PetitionNotifier, notifier_id)
    if (
        notifier is None
        or not notifier.is_active
        or (not actor.is_admin and notifier.organisation_id != actor.organisation_id)
    ):
        raise NotFound(f"Không có nơi nhận cảnh báo số {notifier_id} trong phạm vi của bạn.", code="petitions.notifier")
    notifier.is_active = False
    audit.record(
        session=session,
        actor=actor,
        event=AuditEvent("petition.notifier_remove", "petition_notifier", notifier.id, details={"kind": notifier.kind}),
    )
    session.flush()
    return notifier


def list_notifiers(*, session: Session, actor: Actor) -> list[PetitionNotifier]:
    ensure(actor, "petition-notifiers")
    stmt = select(PetitionNotifier)
    if not actor.is_admin:
        stmt = stmt.where(PetitionNotifier.organisation_id == actor.organisation_id)
    return list(session.scalars(stmt.order_by(PetitionNotifier.id)))
