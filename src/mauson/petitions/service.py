"""Petitions from intake to closure: submit and triage, route, work, reply, rate, escalate.

Every function takes the session first and never commits (the caller's `unit_of_work()` does);
every write is an audit entry and, for the workflow, a `PetitionEvent` the citizen can follow.
Officers see and work only the petitions of their own organisation (or escalated to it):
`access.visible()` is the one rule for lists and detail pages alike, so another agency's case answers 404.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from mauson.audit import service as audit
from mauson.audit.models import AuditEvent
from mauson.db import as_aware, utcnow
from mauson.errors import Conflict, Forbidden, Invalid, NotFound, TooManyRequests, Unauthorized
from mauson.identity.actions import allowed, ensure
from mauson.identity.models import Actor, Organisation, User
from mauson.petitions import alerts, deadlines, labels
from mauson.petitions.access import visible
from mauson.petitions.classifier import LABELS, words
from mauson.petitions.labels import AGENCIES, CATEGORIES, URGENCIES, Status
from mauson.petitions.models import (
    Decision,
    DuplicateLink,
    Petition,
    PetitionCorrection,
    PetitionCreate,
    PetitionEvent,
    PetitionTriage,
    Rating,
    TrackingCode,
    Transfer,
)
from mauson.petitions.training import Example
from mauson.petitions.triage import LONGEST_WINDOW, Case, Triage, duplicate_profile, in_window, triage
from mauson.privacy.service import tag_personal_data
from mauson.vntext.gazetteer import LANG_SON, Unit, gazetteer
from mauson.vntext.profanity import mask_profanity

RATE_WINDOW = timedelta(minutes=10)
RATE_LIMIT = 5  # petitions one client may send in the window
MIN_WORDS = 3  # "Cháy nhà ở thôn Nà Lừa" has six; "ngắn" alone was routed as an emergency
MAX_REASON = 500  # the column's width
MAX_NOTE = 1000  # `PetitionEvent.note`'s width
LOW_RATING = 2  # a rating at or under it leaves an answered case open for the agency to reply again
OPEN = (Status.NEW, Status.TRIAGED, Status.FORWARDED, Status.IN_PROGRESS)
DONE = (Status.ANSWERED, Status.CLOSED, Status.REJECTED)
# Which statuses each workflow step may start from.
ALLOWED_FROM: dict[str, tuple[Status, ...]] = {
    "decide": (Status.TRIAGED,),
    "transfer": (Status.TRIAGED, Status.FORWARDED, Status.IN_PROGRESS),
    "assign": (Status.FORWARDED, Status.IN_PROGRESS),
    "reply": (Status.FORWARDED, Status.IN_PROGRESS, Status.ANSWERED),  # answered: a further reply replaces it
    "close": (Status.ANSWERED,),
    "reject": OPEN,
    "link": OPEN,
    "rate": (Status.ANSWERED, Status.CLOSED),
}


# --- places and organisations ----------------------------------------------------------------------


def communes() -> list[Unit]:
    """Lạng Sơn's 65 communes and wards, by name: the form's picker."""
    gaz = gazetteer()
    return sorted(gaz.units_in(gaz.province(LANG_SON).code), key=lambda u: u.name)


def commune_name(code: str | None) -> str | None:
    return next((u.name for u in communes() if u.code == code), None) if code else None


def _check_commune(code: str | None) -> str | None:
    if code and commune_name(code) is None:
        raise Invalid(
            f"Không có xã, phường mã '{code}' ở Lạng Sơn. Hãy chọn trong danh sách.", code="petitions.commune"
        )
    return code or None


def _checked_category(value: str | None) -> str | None:
    """The category the sender chose, if any: one of CATEGORIES."""
    _check_label("category", value, CATEGORIES)
    return value or None


LABEL_KINDS = {"agency": "cơ quan xử lý", "category": "lĩnh vực", "urgency": "mức khẩn"}


def _check_label(kind: str, value: str | None, names: dict[str, str]) -> None:
    if value is not None and value not in names:
        raise Invalid(
            f"«{value[:40]}» không phải {LABEL_KINDS[kind]} có trong danh sách: hãy chọn một trong: "
            + ", ".join(names)
            + ".",
            code=f"petitions.{kind}",
        )


def _organisation_for(session: Session, agency: str, commune_code: str | None) -> Organisation | None:
    """The organisation that works an agency's petitions: the commune's UBND for `ubnd_xa`."""
    code = commune_code if agency == "ubnd_xa" and commune_code else labels.AGENCY_ORGANISATIONS.get(agency)
    return session.scalar(select(Organisation).where(Organisation.code == (code or labels.PROVINCE_OFFICE)))


# --- reading ---------------------------------------------------------------------------------------


def get_or_raise(*, session: Session, actor: Actor, petition_id: int) -> Petition:
    """A petition the actor may work on (404 otherwise: others' cases are not even confirmed to exist)."""
    ensure(actor, "petition-view")
    petition = session.scalar(visible(select(Petition).where(Petition.id == petition_id), actor))
    if petition is None:
        raise NotFound(f"Không có phản ánh số {petition_id} trong phạm vi của bạn.", code="petition.not_found")
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
    return petition.status in OPEN and petition.due_at is not None and as_aware(petition.due_at) < (now or utcnow())


# --- intake and triage -----------------------------------------------------------------------------


def for_the_public(text: str) -> str:
    """What the public pages show of a text: personal data replaced by its type, swear words masked."""
    return mask_profanity(tag_personal_data(text))


def client_key(address: str | None, secret: str) -> str | None:
    """A keyed hash of the sender's address: enough to rate-limit, useless to identify anyone."""
    return hashlib.sha256(f"{secret}:{address}".encode()).hexdigest()[:32] if address else None


# What a sender fills in (the commune picked is not kept apart from the triage's): the same again
# from the same client is the same form sent twice.
_FORM_FIELDS = ("text", "is_public", "location_text", "contact_name", "contact_phone", "contact_email")


def _resent(session: Session, petition: Petition, now: datetime) -> Petition | None:
    """The petition this client sent with the very same form in the rate window: a reloaded
    confirmation page or a double tap sends it again, and gets the first receipt back, not a
    second case (nor a step towards the rate limit)."""
    if petition.client_key is None:
        return None
    stmt = select(Petition).where(
        Petition.client_key == petition.client_key,
        Petition.submitted_at >= now - RATE_WINDOW,
        *(getattr(Petition, name) == getattr(petition, name) for name in _FORM_FIELDS),
    )
    return session.scalar(stmt.order_by(Petition.id).limit(1))


def _check_rate(session: Session, key: str | None, now: datetime) -> None:
    if key is None:
        return
    recent = session.scalars(
        select(Petition.id).where(Petition.client_key == key, Petition.submitted_at >= now - RATE_WINDOW)
    )
    if len(list(recent)) >= RATE_LIMIT:
        minutes = int(RATE_WINDOW.total_seconds() // 60)
        raise TooManyRequests(
            f"Bạn đã gửi {RATE_LIMIT} phản ánh trong {minutes} phút qua. Vui lòng đợi ít phút rồi gửi tiếp; "
            "nếu có việc khẩn cấp, hãy gọi 113 (công an), 114 (cứu hỏa) hoặc 115 (cấp cứu).",
            code="petitions.rate_limited",
        )


def checked_text(text: str) -> str:
    """The petition's text, stripped; refused when it is empty or too short to describe anything.

    A word or two leaves the classifier only letter n-grams to go on ("ngắn" scored khẩn cấp from
    "ngan" and alerted the police), so every way in (the form, the API and its dry run, Open311,
    the import) refuses such a text here rather than route it at random.
    """
    stripped = text.strip()
    if not stripped:
        raise Invalid("Nội dung phản ánh đang trống. Hãy mô tả sự việc, ở đâu và từ khi nào.", code="petitions.empty")
    if sum(not word.isdigit() for word in words(stripped)) < MIN_WORDS:
        raise Invalid(
            f"Nội dung quá ngắn để cơ quan hiểu sự việc. Hãy viết ít nhất {MIN_WORDS} từ: việc gì, ở đâu, "
            "từ khi nào (ví dụ: «Cháy nhà ở thôn Nà Lừa»).",
            code="petitions.too_short",
        )
    return stripped


def submit(
    *, session: Session, actor: Actor, data: PetitionCreate, client: str | None = None, photos: Sequence[str] = ()
) -> Petition:
    """Receive a petition and triage it at once; a khan_cap one also raises an alert (see `alerts`).
    The same text sent again by the same client within the rate window is the first petition."""
    ensure(actor, "petition-submit")
    text = checked_text(data.text)
    now = utcnow()
    # Only staff entering hotline calls or imports may date a petition: a sender who backdated one
    # would slip past the rate limit (it counts the window by `submitted_at`) and make it overdue.
    backdated = data.submitted_at and allowed(actor, "petition-work")
    submitted_at = as_aware(data.submitted_at) if data.submitted_at and backdated else now
    location = (data.location_text or "").strip() or None
    petition = Petition(
        tracking_code=secrets.token_hex(5),
        text=text,
        public_text=for_the_public(text),
        is_public=data.is_public,
        channel=data.channel,
        location_text=location,
        public_location=for_the_public(location) if location else None,
        latitude=data.latitude,
        longitude=data.longitude,
        contact_name=data.contact_name or None,
        contact_phone=data.contact_phone or None,
        contact_email=data.contact_email or None,
        photos=list(photos),
        client_key=client,
        submitted_at=submitted_at,
        updated_at=now,
        commune_code=_check_commune(data.commune_code),
        category=_checked_category(data.category),
        status=Status.NEW,
    )
    resent = _resent(session, petition, now)
    if resent is not None:
        return resent
    _check_rate(session, client, now)
    session.add(petition)
    session.flush()
    _event(session, actor, petition, "submit", None, Status.NEW, None)
    run_triage(session=session, actor=actor, petition=petition)
    details = {"channel": petition.channel, "urgency": petition.urgency, "photos": len(photos)}
    audit.record(
        session=session, actor=actor, event=AuditEvent("petition.submit", "petition", petition.id, details=details)
    )
    return petition


def _earlier_cases(session: Session, petition: Petition) -> list[Case]:
    """The petitions still open (within their longest reply deadline) when this one came, as the
    duplicate finder sees them; only those are profiled."""
    at = as_aware(petition.submitted_at)
    start = at - LONGEST_WINDOW
    rows = session.scalars(
        select(Petition)
        .where(
            Petition.submitted_at >= start, Petition.submitted_at <= petition.submitted_at, Petition.id != petition.id
        )
        .order_by(Petition.submitted_at)
    )
    return [
        Case(
            str(row.id),
            as_aware(row.submitted_at),
            row.commune_code,
            row.category or "",
            duplicate_profile(row.text),
            str(row.duplicate_of_id) if row.duplicate_of_id else None,
        )
        for row in rows
        if in_window(as_aware(row.submitted_at), at)
    ]


def run_triage(*, session: Session, actor: Actor, petition: Petition) -> PetitionTriage:
    """Triage the petition, keep the result with its explanation, and route it to the proposed agency."""
    started = time.perf_counter()
    result = triage(
        petition.text, submitted_at=as_aware(petition.submitted_at), earlier=_earlier_cases(session, petition)
    )
    milliseconds = round((time.perf_counter() - started) * 1000, 1)
    stored = PetitionTriage(
        petition_id=petition.id,
        category=result.category.label,
        category_confidence=result.category.confidence,
        agency=result.agency.label,
        agency_confidence=result.agency.confidence,
        urgency=result.urgency.label,
        urgency_confidence=result.urgency.confidence,
        commune_code=result.place.code if result.place else None,
        commune_confidence=result.place.confidence if result.place else None,
        # the sender's own pick of commune, kept apart from the triage's, for the officer's page
        explanation={**_explanation(result), "sender_commune": petition.commune_code},
        milliseconds=milliseconds,
    )
    session.add(stored)
    petition.agency, petition.urgency = stored.agency, stored.urgency
    petition.category = petition.category or stored.category  # the sender's own choices win (Open311's
    petition.commune_code = petition.commune_code or stored.commune_code  # service_code, the form's commune)
    petition.duplicate_of_id = int(result.duplicate_of) if result.duplicate_of else None
    organisation = _organisation_for(session, petition.agency, petition.commune_code)
    petition.organisation_id = organisation.id if organisation else None
    petition.due_at = _reply_due(petition)
    _event(session, actor, petition, "triage", petition.status, Status.TRIAGED, None)
    alerts.alert_if_emergency(session=session, petition=petition)
    session.flush()
    return stored


def _reply_due(petition: Petition) -> datetime:
    """When the agency must answer: counted from the petition's arrival at its current urgency.

    Never from the officer's decision: accepting or correcting the triage days later must neither
    give the agency more time nor clear an overdue case. A transfer keeps this deadline too.
    """
    working_days = labels.DUE_WORKING_DAYS[petition.urgency or labels.DEFAULT_URGENCY]
    return deadlines.due_at(as_aware(petition.submitted_at), working_days)


def _explanation(result: Triage) -> dict[str, Any]:
    def label(prediction: Any) -> dict[str, Any]:
        return {"words": [list(w) for w in prediction.words], "ranking": [list(r) for r in prediction.ranking[:3]]}

    personal: dict[str, int] = {}
    for found in result.personal_data:
        personal[found.type] = personal.get(found.type, 0) + 1
    return {
        "category": label(result.category),
        "agency": label(result.agency),
        "urgency": label(result.urgency),
        "place": list(result.place.evidence) if result.place else [],
        "similar": [[int(s.ref), s.similarity, s.same_commune] for s in result.similar],
        # the incident's first report, as `Petition.duplicate_of_id`: not always the closest case
        "duplicate_of": int(result.duplicate_of) if result.duplicate_of else None,
        "personal_data": personal,
    }


def latest_triage(*, session: Session, petition: Petition) -> PetitionTriage | None:
    stmt = select(PetitionTriage).where(PetitionTriage.petition_id == petition.id).order_by(PetitionTriage.id.desc())
    return session.scalars(stmt.limit(1)).first()


def events(*, session: Session, petition: Petition) -> list[PetitionEvent]:
    return list(
        session.scalars(
            select(PetitionEvent).where(PetitionEvent.petition_id == petition.id).order_by(PetitionEvent.id)
        )
    )


# --- workflow --------------------------------------------------------------------------------------


def _event(
    session: Session,
    actor: Actor,
    petition: Petition,
    action: str,
    before: str | None,
    after: Status,
    note: str | None,
    *,
    organisation_id: int | None = None,
) -> None:
    """Record a step in the history and touch `updated_at` (Open311's `updated_datetime` reads it).
    The step is the petition's organisation's unless `organisation_id` names another (an escalation's)."""
    petition.status = after
    petition.updated_at = utcnow()
    session.add(
        PetitionEvent(
            petition_id=petition.id,
            at=petition.updated_at,
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


def _step(
    session: Session,
    actor: Actor,
    petition: Petition,
    action: str,
    after: Status,
    note: str | None = None,
    **details: Any,
) -> None:
    """Move the petition one step (or refuse, naming its status), record it and audit it."""
    if petition.status not in ALLOWED_FROM[action]:
        status = labels.STATUS_LABELS[Status(petition.status)]
        raise Conflict(
            f"Phản ánh đang ở trạng thái '{status}', không thể thực hiện thao tác này.", code="petition.status"
        )
    _event(session, actor, petition, action, petition.status, after, note)
    session.flush()
    event = AuditEvent(f"petition.{action}", "petition", petition.id, details={"to": after.value, **details})
    audit.record(session=session, actor=actor, event=event)


def _work(session: Session, actor: Actor, petition_id: int) -> Petition:
    ensure(actor, "petition-work")
    return get_or_raise(session=session, actor=actor, petition_id=petition_id)


def decide(*, session: Session, actor: Actor, petition_id: int, decision: Decision) -> Petition:
    """Accept the triage as it is, or with corrected labels: then the petition goes to its agency."""
    petition = _work(session, actor, petition_id)
    _check_label("category", decision.category, CATEGORIES)
    _check_label("agency", decision.agency, AGENCIES)
    _check_label("urgency", decision.urgency, URGENCIES)
    changed = _correct(session, actor, petition, decision)
    organisation = _organisation_for(session, petition.agency or labels.DEFAULT_AGENCY, petition.commune_code)
    petition.organisation_id = organisation.id if organisation else petition.organisation_id
    petition.due_at = _reply_due(petition)
    note = "Chấp nhận phân loại" if not changed else "Sửa phân loại: " + ", ".join(changed)
    _step(session, actor, petition, "decide", Status.FORWARDED, note, corrected=changed)
    alerts.alert_if_emergency(session=session, petition=petition)
    return petition


def _correct(session: Session, actor: Actor, petition: Petition, decision: Decision) -> list[str]:
    changed = []
    values = {"category": decision.category, "agency": decision.agency, "urgency": decision.urgency}
    values["commune_code"] = _check_commune(decision.commune_code)
    for field, value in values.items():
        old = getattr(petition, field)
        if value is not None and value != old:
            session.add(
                PetitionCorrection(
                    petition_id=petition.id, user_id=actor.user_id, field=field, old_value=old, new_value=value
                )
            )
            setattr(petition, field, value)
            changed.append(field)
    return changed


def link_duplicate(*, session: Session, actor: Actor, petition_id: int, data: DuplicateLink) -> Petition:
    """The officer's word on the duplicate link, while the case is open: "separate" unlinks it, a
    number links it to that earlier report's incident. Kept as a correction too: officers' links are
    the examples the duplicate floors lack (the train file has none without a commune)."""
    petition = _work(session, actor, petition_id)
    new = None if data.separate else _first_report(session, petition, data.duplicate_of) if data.duplicate_of else None
    old = petition.duplicate_of_id
    if new == old:
        return petition
    session.add(
        PetitionCorrection(
            petition_id=petition.id,
            user_id=actor.user_id,
            field="duplicate_of",
            old_value=str(old) if old else None,
            new_value=str(new) if new else None,
        )
    )
    petition.duplicate_of_id = new
    note = f"Trùng sự việc với phản ánh #{new}" if new else f"Không trùng với phản ánh #{old}"
    _step(session, actor, petition, "link", Status(petition.status), note, duplicate_of=new)
    return petition


def _first_report(session: Session, petition: Petition, earlier_id: int) -> int:
    """The first report of the incident petition `earlier_id` belongs to; it must have come before."""
    earlier = session.get(Petition, earlier_id)
    if earlier is None or earlier.id == petition.id or as_aware(earlier.submitted_at) > as_aware(petition.submitted_at):
        raise Invalid(
            f"Phản ánh #{earlier_id} không phải phản ánh gửi trước phản ánh này: hãy nhập số của phản ánh "
            "cùng sự việc đã nhận trước đó.",
            code="petitions.duplicate_of",
        )
    return earlier.duplicate_of_id or earlier.id


def transfer(*, session: Session, actor: Actor, petition_id: int, data: Transfer) -> Petition:
    """Send the petition to another agency ("không thuộc thẩm quyền"), saying why."""
    petition = _work(session, actor, petition_id)
    _check_label("agency", data.agency, AGENCIES)
    _correct(session, actor, petition, Decision(agency=data.agency, commune_code=data.commune_code))
    organisation = _organisation_for(session, data.agency, petition.commune_code)
    petition.organisation_id = organisation.id if organisation else None
    petition.officer_id = None
    _step(session, actor, petition, "transfer", Status.FORWARDED, data.reason, agency=data.agency)
    alerts.alert_if_emergency(session=session, petition=petition)
    return petition


def assign(*, session: Session, actor: Actor, petition_id: int, officer_username: str) -> Petition:
    """Give the petition to an officer of its organisation; it is then being handled."""
    petition = _work(session, actor, petition_id)
    officer = session.scalar(select(User).where(User.username == officer_username, User.is_active.is_(True)))
    if officer is None or officer.organisation_id != petition.organisation_id:
        raise Invalid(
            f"'{officer_username}' không phải cán bộ của cơ quan đang xử lý phản ánh này.", code="petitions.officer"
        )
    petition.officer_id = officer.id
    _step(
        session,
        actor,
        petition,
        "assign",
        Status.IN_PROGRESS,
        f"Giao cho {officer.full_name}",
        officer=officer.username,
    )
    return petition


def reply(*, session: Session, actor: Actor, petition_id: int, text: str, interim: bool = False) -> Petition:
    """Answer the sender; the latest reply is the one the public page shows, and each is a step of
    the history (with its text, so that what was said before is not lost).

    A final reply stops the deadline («Đã trả lời»). An interim one («đã cử cán bộ kiểm tra…») is
    published alike but keeps the case «Đang xử lý», its deadline running: a promise is not an
    answer. Until the case is closed the agency may reply again, after a low rating among others.
    """
    petition = _work(session, actor, petition_id)
    if len(text.strip()) < 3:  # as the API's `Reply` asks, on every way in
        raise Invalid("Nội dung trả lời đang trống hoặc quá ngắn (ít nhất 3 ký tự).", code="petitions.reply_empty")
    petition.reply, petition.replied_at = text.strip(), utcnow()
    petition.public_reply = for_the_public(petition.reply)
    after = Status.IN_PROGRESS if interim else Status.ANSWERED
    note = f"Trả lời tạm: {petition.reply}" if interim else petition.reply
    _step(session, actor, petition, "reply", after, note, interim=interim)
    return petition


def close(*, session: Session, actor: Actor, petition_id: int) -> Petition:
    petition = _work(session, actor, petition_id)
    _step(session, actor, petition, "close", Status.CLOSED)
    return petition


def reject(*, session: Session, actor: Actor, petition_id: int, reason: str) -> Petition:
    """Refuse a petition (spam, abuse, not a petition) with a reason the public page shows.

    The reason is the sender's only answer, so it is required: no stock phrase stands in for it.
    """
    petition = _work(session, actor, petition_id)
    if len(reason.strip()) > MAX_REASON:
        raise Invalid(f"Lý do từ chối dài quá {MAX_REASON} ký tự: hãy viết ngắn gọn.", code="petitions.reject_reason")
    if len(reason.strip()) < 3:
        raise Invalid(
            "Hãy ghi lý do từ chối (ít nhất 3 ký tự): người gửi sẽ đọc lý do này trên trang công khai của phản ánh.",
            code="petitions.reject_reason",
        )
    petition.reject_reason = reason.strip()
    _step(session, actor, petition, "reject", Status.REJECTED, petition.reject_reason)
    return petition


def for_sender(*, session: Session, actor: Actor, petition_id: int, data: TrackingCode) -> Petition:
    """The petition whose tracking code `data` gives: its sender may read it whole, and rate its reply.

    The code is the sender's credential: a wrong one answers like a failed login (401 for an
    anonymous caller, 403 for a signed-in one), whether or not the petition exists, so the code
    cannot be guessed petition by petition.
    """
    ensure(actor, "petition-submit")
    petition = session.get(Petition, petition_id)
    if petition is None or not secrets.compare_digest(petition.tracking_code, data.tracking_code.strip().lower()):
        message = "Mã theo dõi không đúng với phản ánh này. Hãy nhập mã được cấp khi gửi phản ánh."
        error = Unauthorized if not actor.is_authenticated else Forbidden
        raise error(message, code="petition.tracking_code")
    return petition


def rate(*, session: Session, actor: Actor, petition_id: int, data: Rating) -> Petition:
    """The citizen's rating of the reply, proven by the tracking code given at submission; once only.

    A good rating closes the case. A low one (`LOW_RATING` or under) leaves an answered case
    «Đã trả lời», so that the agency can look again and reply; the comment goes to its officers.
    """
    petition = for_sender(session=session, actor=actor, petition_id=petition_id, data=data)
    if petition.rating is not None:
        raise Conflict(
            f"Phản ánh này đã được đánh giá ({petition.rating}/5); mỗi phản ánh chỉ đánh giá một lần.",
            code="petition.already_rated",
        )
    if petition.status not in ALLOWED_FROM["rate"]:
        raise Conflict(
            "Phản ánh chưa được trả lời: chỉ đánh giá được sau khi cơ quan trả lời.", code="petition.not_answered"
        )
    petition.rating, petition.rating_comment = data.rating, (data.comment or "").strip() or None
    stays_open = data.rating <= LOW_RATING and petition.status == Status.ANSWERED
    note = f"Đánh giá {data.rating}/5"
    if stays_open:
        note += ": người gửi chưa hài lòng; phản ánh chưa đóng, cơ quan có thể trả lời lại"
    if petition.rating_comment:
        note += f" — «{petition.rating_comment}»"
    after = Status.ANSWERED if stays_open else Status.CLOSED
    _step(session, actor, petition, "rate", after, note, rating=data.rating)
    return petition


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


def escalate_overdue(*, session: Session, actor: Actor, now: datetime | None = None) -> list[Petition]:
    """Flag the open petitions past their due date to the supervising organisation (once each)."""
    ensure(actor, "petition-work")
    moment = now or utcnow()
    stmt = select(Petition).where(
        Petition.status.in_(OPEN), Petition.due_at < moment, Petition.escalated_to_id.is_(None)
    )
    escalated = []
    for petition in session.scalars(visible(stmt, actor).order_by(Petition.id)):
        organisation = session.get(Organisation, petition.organisation_id) if petition.organisation_id else None
        supervisor = organisation.parent_id if organisation and organisation.parent_id else None
        if supervisor is None:
            supervisor = session.scalar(select(Organisation.id).where(Organisation.code == labels.PROVINCE_OFFICE))
        petition.escalated_to_id = supervisor
        note = "Quá hạn xử lý: báo cáo cơ quan cấp trên"
        status = Status(petition.status)
        _event(session, actor, petition, "escalate", status, status, note, organisation_id=supervisor)
        escalated.append(petition)
    session.flush()
    if escalated:
        details = {"petitions": [p.id for p in escalated]}
        audit.record(
            session=session, actor=actor, event=AuditEvent("petition.escalate", "petition", None, details=details)
        )
    return escalated


def corrected_examples(*, session: Session, actor: Actor) -> list[Example]:
    """Petitions whose labels an officer corrected, with their labels as they stand now: retraining data."""
    ensure(actor, "petition-work")
    ids = select(PetitionCorrection.petition_id).where(PetitionCorrection.field.in_(LABELS)).distinct()
    rows = session.scalars(select(Petition).where(Petition.id.in_(ids)).order_by(Petition.id))
    return [
        Example(
            p.text,
            {
                "category": p.category or labels.DEFAULT_CATEGORY,
                "agency": p.agency or labels.DEFAULT_AGENCY,
                "urgency": p.urgency or labels.DEFAULT_URGENCY,
            },
        )
        for p in rows
    ]
