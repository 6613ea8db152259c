"""Receiving a petition: its text checked, its sender kept to the rate limit, a form sent twice
answered with its first receipt, then the triage at once (labels, commune, near-duplicates, the
proposed agency and the reply deadline) and, for an emergency, an alert.

Every way in (the web form, the JSON API and its dry run, Open311, the CLI import, the demo) goes
through `checked_text()` and `submit()`, so that none lets through what another refuses. What happens
to the case afterwards is `workflow`; what both share (places, labels, routing, history) is `service`.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import time
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from mauson.audit import service as audit
from mauson.audit.models import AuditEvent
from mauson.db import LOCAL_TZ, as_aware, utcnow
from mauson.errors import Invalid, TooManyRequests
from mauson.identity.actions import allowed, ensure
from mauson.identity.models import Actor
from mauson.petitions import alerts
from mauson.petitions.classifier import TriageModel, words
from mauson.petitions.labels import CATEGORIES, Status
from mauson.petitions.models import Petition, PetitionCreate, PetitionTriage
from mauson.petitions.service import (
    check_label,
    checked_commune,
    for_the_public,
    organisation_for,
    place_for_the_public,
    record_event,
    reply_due,
)
from mauson.petitions.triage import LONGEST_WINDOW, Case, Triage, in_window, stored_case, triage

RATE_WINDOW = timedelta(minutes=10)
RATE_LIMIT = 5  # petitions one client may send in the window
MIN_WORDS = 3  # "Cháy nhà ở thôn Nà Lừa" has six; "ngắn" alone was routed as an emergency
CLOCK_SKEW = timedelta(minutes=5)  # how far ahead of ours the clock of a phone or another system may run
# The ways in a petition's channel may name: those the platform sets itself (each way in names its
# own: "web", "api", "open311", "import") and those staff enter calls and imports from (the demo's,
# and those of the labelled files' format, another system's export). Only staff name a channel
# (`channel_of`); officers and statistics read it, so that a typo makes no channel of its own.
KNOWN_CHANNELS = frozenset({"web", "api", "open311", "import", "hotline", "hotline_transcript", "zalo", "app"})
# Who to call when someone is in danger now: a petition is read by officers, a call is answered at
# once. Every way in says it alike (the form, its receipt, Open311's notice, the rate limit).
EMERGENCY_CALLS = "114 (cứu hỏa, cứu nạn), 113 (công an) hoặc 115 (cấp cứu)"
# What the sender of a petition triaged khẩn cấp is told: where it went, and not to wait on it.
EMERGENCY_ADVICE = (
    "Phản ánh được đánh giá khẩn cấp: đã hiện ngay trên bảng cảnh báo của cán bộ trực. "
    f"Nếu có người đang gặp nguy hiểm, hãy gọi ngay {EMERGENCY_CALLS}."
)


# --- what is sent ----------------------------------------------------------------------------------


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


def checked_submitted_at(value: datetime, now: datetime) -> datetime:
    """The time staff gave a petition (a hotline call, an import), aware; refused when it is later
    than now by more than a few minutes of clock skew. A case dated 2030 would not fall due for
    years, so it would never be overdue nor escalated, and it would hide from the duplicate finder
    every earlier report of its incident."""
    moment = as_aware(value)
    if moment > now + CLOCK_SKEW:
        raise Invalid(
            f"Thời điểm gửi {moment.astimezone(LOCAL_TZ):%d/%m/%Y %H:%M} (giờ Việt Nam) ở tương lai: "
            "hãy kiểm tra lại ngày, tháng, năm.",
            code="petitions.future",
        )
    return moment


# An address an agency can write to: something@domain.tld, no spaces. Not the full RFC, which
# accepts addresses no mail server here delivers; enough to catch a name or a phone number typed
# in the e-mail box, which would leave the agency no way to answer.
_EMAIL_SHAPE = re.compile(r"[^@\s]+@[^@\s.]+(?:\.[^@\s.]+)+")


def checked_email(value: str | None) -> str | None:
    """The sender's e-mail, stripped; refused when it cannot be an address."""
    email = (value or "").strip()
    if email and not _EMAIL_SHAPE.fullmatch(email):
        raise Invalid(
            f"«{email[:60]}» không phải địa chỉ email (dạng ten@vidu.vn): hãy sửa lại hoặc để trống.",
            code="petitions.email",
        )
    return email or None


def _checked_category(value: str | None) -> str | None:
    """The category the sender chose, if any: one of CATEGORIES."""
    check_label("category", value, CATEGORIES)
    return value or None


def channel_of(actor: Actor, data: PetitionCreate, way_in: str) -> str:
    """The petition's channel: the way it came in (`way_in`: "api", "web", "open311"), unless staff
    entering a hotline call or an import name theirs, as only they may date a petition. A sender
    who named one had labelled a public submission a hotline transcript for officers and statistics;
    a channel staff name that the platform does not know is refused, naming those it knows."""
    if "channel" not in data.model_fields_set or not allowed(actor, "petition-work"):
        return way_in
    if data.channel not in KNOWN_CHANNELS:
        raise Invalid(
            f"Kênh tiếp nhận «{data.channel[:32]}» không có trong danh sách: hãy dùng một trong "
            f"{', '.join(sorted(KNOWN_CHANNELS))}.",
            code="petitions.channel",
        )
    return data.channel


# --- who sends it ----------------------------------------------------------------------------------


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


def stored_before(*, session: Session, text: str, submitted_at: datetime | None) -> Petition | None:
    """The petition already stored with this text, at this time when one is given: an import run
    again finds each line it stored, since the other system's id for it has no column to be kept in
    (that would take a migration). Two reports of one incident differ in their words and times."""
    stmt = select(Petition).where(Petition.text == checked_text(text))
    if submitted_at is not None:
        stmt = stmt.where(Petition.submitted_at == as_aware(submitted_at))
    return session.scalar(stmt.order_by(Petition.id).limit(1))


def _check_rate(session: Session, key: str | None, now: datetime) -> None:
    if key is None:
        return
    recent = list(
        session.scalars(
            select(Petition.submitted_at).where(Petition.client_key == key, Petition.submitted_at >= now - RATE_WINDOW)
        )
    )
    if len(recent) >= RATE_LIMIT:
        minutes = int(RATE_WINDOW.total_seconds() // 60)
        # when enough of them have left the window for one more to pass
        frees_up = sorted(as_aware(at) for at in recent)[len(recent) - RATE_LIMIT] + RATE_WINDOW
        raise TooManyRequests(
            f"Bạn đã gửi {RATE_LIMIT} phản ánh trong {minutes} phút qua. Vui lòng đợi ít phút rồi gửi tiếp; "
            f"nếu có việc khẩn cấp, hãy gọi {EMERGENCY_CALLS}.",
            code="petitions.rate_limited",
            until=frees_up,
        )


# --- receiving and triage --------------------------------------------------------------------------


def submit(
    *,
    session: Session,
    actor: Actor,
    data: PetitionCreate,
    model: TriageModel,
    client: str | None = None,
    photos: Sequence[str] = (),
    way_in: str = "api",
) -> Petition:
    """Receive a petition and triage it at once with `model` (`classifier.model_in_use`); a khan_cap
    one also raises an alert (see `alerts`). The same text sent again by the same client within the
    rate window is the first petition. `way_in` is the channel it came by (`channel_of`)."""
    ensure(actor, "petition-submit")
    text = checked_text(data.text)
    channel = channel_of(actor, data, way_in)
    now = utcnow()
    # Only staff entering hotline calls or imports may date a petition: a sender who backdated one
    # would slip past the rate limit (it counts the window by `submitted_at`) and make it overdue.
    backdated = data.submitted_at and allowed(actor, "petition-work")
    submitted_at = checked_submitted_at(data.submitted_at, now) if data.submitted_at and backdated else now
    location = (data.location_text or "").strip() or None
    petition = Petition(
        tracking_code=secrets.token_hex(5),
        text=text,
        public_text=for_the_public(text),
        is_public=data.is_public,
        channel=channel,
        location_text=location,
        public_location=place_for_the_public(location) if location else None,
        latitude=data.latitude,
        longitude=data.longitude,
        contact_name=data.contact_name or None,
        contact_phone=data.contact_phone or None,
        contact_email=checked_email(data.contact_email),
        photos=list(photos),
        client_key=client,
        submitted_at=submitted_at,
        updated_at=now,
        commune_code=checked_commune(data.commune_code),
        category=_checked_category(data.category),
        status=Status.NEW,
    )
    resent = _resent(session, petition, now)
    if resent is not None:
        return resent
    _check_rate(session, client, now)
    session.add(petition)
    session.flush()
    record_event(session, actor, petition, "submit", None, Status.NEW, None, at=petition.submitted_at)
    run_triage(session=session, actor=actor, petition=petition, model=model)
    details = {"channel": petition.channel, "urgency": petition.urgency, "photos": len(photos)}
    audit.record(
        session=session, actor=actor, event=AuditEvent("petition.submit", "petition", petition.id, details=details)
    )
    return petition


def _earlier_cases(session: Session, petition: Petition, model: TriageModel) -> list[Case]:
    """The petitions still open (within their longest reply deadline) when this one came, as the
    duplicate finder sees them with `model`; only those are profiled."""
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
        stored_case(
            str(row.id),
            as_aware(row.submitted_at),
            row.commune_code,
            row.category or "",
            row.text,
            str(row.duplicate_of_id) if row.duplicate_of_id else None,
            model=model,
            emergency=row.urgency == "khan_cap",
        )
        for row in rows
        if in_window(as_aware(row.submitted_at), at)
    ]


def run_triage(*, session: Session, actor: Actor, petition: Petition, model: TriageModel) -> PetitionTriage:
    """Triage the petition, keep the result with its explanation, and route it to the proposed agency."""
    started = time.perf_counter()
    result = triage(
        petition.text,
        submitted_at=as_aware(petition.submitted_at),
        where=petition.location_text,
        earlier=_earlier_cases(session, petition, model),
        model=model,
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
    organisation = organisation_for(session, petition.agency, petition.commune_code)
    petition.organisation_id = organisation.id if organisation else None
    petition.due_at = reply_due(petition)
    record_event(session, actor, petition, "triage", petition.status, Status.TRIAGED, None)
    alerts.alert_if_emergency(session=session, petition=petition)
    session.flush()
    return stored


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
