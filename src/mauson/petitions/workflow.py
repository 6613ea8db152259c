"""A petition's life after intake: an officer accepts or corrects its triage (`decide`), links it to
an earlier report of the same incident, transfers, assigns, answers, closes or rejects it; its sender
rates the reply; a case past its deadline is escalated to the supervising organisation.

Each step an officer or the sender takes may start only from the statuses `ALLOWED_FROM` names (the
officer's page offers only those buttons); each, the escalation too, is a step of the history the
citizen follows (`service.record_event`) and an audit entry. The officers' corrections of the labels
are kept, and `corrected_examples()` reads them back as retraining data.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from mauson.audit import service as audit
from mauson.audit.models import AuditEvent
from mauson.db import as_aware, utcnow
from mauson.errors import Conflict, Invalid
from mauson.identity.actions import ensure
from mauson.identity.models import Actor, Organisation, User
from mauson.petitions import alerts, deadlines, labels
from mauson.petitions.access import visible
from mauson.petitions.classifier import LABELS
from mauson.petitions.labels import AGENCIES, CATEGORIES, URGENCIES, Status
from mauson.petitions.models import Decision, DuplicateLink, Petition, PetitionCorrection, Rating, Transfer
from mauson.petitions.service import (
    OPEN,
    check_label,
    checked_commune,
    for_the_public,
    get_as_sender,
    get_to_work_or_raise,
    organisation_for,
    record_event,
    reply_due,
)
from mauson.petitions.training import Example

MAX_REASON = 500  # the column's width
LOW_RATING = 2  # a rating at or under it reopens an answered case for the agency to reply again ...
LOOK_AGAIN_WORKING_DAYS = labels.DUE_WORKING_DAYS["cao"]  # ... within as long as a pressing petition gets
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
    record_event(session, actor, petition, action, petition.status, after, note)
    session.flush()
    event = AuditEvent(f"petition.{action}", "petition", petition.id, details={"to": after.value, **details})
    audit.record(session=session, actor=actor, event=event)


def _work(session: Session, actor: Actor, petition_id: int) -> Petition:
    ensure(actor, "petition-work")
    return get_to_work_or_raise(session=session, actor=actor, petition_id=petition_id)


# What each corrected field is called in the history an officer reads ("Sửa phân loại: mức khẩn").
FIELD_NAMES = {"category": "lĩnh vực", "agency": "cơ quan", "urgency": "mức khẩn", "commune_code": "xã, phường"}


def decide(*, session: Session, actor: Actor, petition_id: int, decision: Decision) -> Petition:
    """Accept the triage as it is, or with corrected labels: then the petition goes to its agency."""
    petition = _work(session, actor, petition_id)
    check_label("category", decision.category, CATEGORIES)
    check_label("agency", decision.agency, AGENCIES)
    check_label("urgency", decision.urgency, URGENCIES)
    changed = _correct(session, actor, petition, decision)
    organisation = organisation_for(session, petition.agency or labels.DEFAULT_AGENCY, petition.commune_code)
    petition.organisation_id = organisation.id if organisation else petition.organisation_id
    petition.due_at = reply_due(petition)
    note = "Chấp nhận phân loại" if not changed else "Sửa phân loại: " + ", ".join(FIELD_NAMES[f] for f in changed)
    _step(session, actor, petition, "decide", Status.FORWARDED, note, corrected=changed)
    alerts.alert_if_emergency(session=session, petition=petition)
    return petition


def _correct(session: Session, actor: Actor, petition: Petition, decision: Decision) -> list[str]:
    changed = []
    values = {"category": decision.category, "agency": decision.agency, "urgency": decision.urgency}
    values["commune_code"] = checked_commune(decision.commune_code)
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
    check_label("agency", data.agency, AGENCIES)
    reason = data.reason.strip()
    if len(reason) < 3:
        raise Invalid(
            "Hãy ghi lý do chuyển (ít nhất 3 ký tự), ví dụ «không thuộc thẩm quyền»: cơ quan nhận sẽ đọc lý do này.",
            code="petitions.transfer_reason",
        )
    if data.agency == "ubnd_xa" and not (data.commune_code or petition.commune_code):
        raise Invalid(
            "Phản ánh chưa có xã, phường: hãy chọn xã, phường nhận phản ánh khi chuyển cho UBND xã, phường.",
            code="petitions.transfer_commune",
        )
    organisation = organisation_for(session, data.agency, data.commune_code or petition.commune_code)
    if organisation is not None and organisation.id == petition.organisation_id:
        raise Invalid(
            f"Phản ánh đang do {organisation.name} xử lý: hãy chọn cơ quan khác để chuyển.",
            code="petitions.transfer_same",
        )
    _correct(session, actor, petition, Decision(agency=data.agency, commune_code=data.commune_code))
    petition.organisation_id = organisation.id if organisation else None
    petition.officer_id = None
    _step(session, actor, petition, "transfer", Status.FORWARDED, reason, agency=data.agency)
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
    blank = next((blank for blank in labels.BLANKS if blank in text), None)
    if blank:
        raise Invalid(
            f"Câu trả lời còn chỗ chưa điền «{blank}»: hãy viết nội dung vào đó rồi gửi lại.",
            code="petitions.reply_unfilled",
        )
    petition.reply, petition.replied_at = text.strip(), utcnow()
    petition.public_reply = for_the_public(petition.reply)
    if not interim and petition.rating is not None:  # the reply to a low rating: the sender rates it anew
        petition.rating, petition.rating_comment = None, None  # (the rating stays in the history)
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


def rate(*, session: Session, actor: Actor, petition_id: int, data: Rating) -> Petition:
    """The citizen's rating of the reply, proven by the tracking code given at submission; once per reply.

    A good rating closes the case. A low one (`LOW_RATING` or under) reopens it («Đang xử lý»), also
    one the agency closed before the sender rated, with a new deadline `LOOK_AGAIN_WORKING_DAYS`
    from now, escalated like any other when missed: left «Đã trả lời» with no deadline, a 1/5 had
    sunk below every open case of the inbox. The comment goes to the officers; the sender rates the
    next reply again.
    """
    petition = get_as_sender(session=session, actor=actor, petition_id=petition_id, data=data)
    if petition.rating is not None:
        raise Conflict(
            f"Câu trả lời này đã được đánh giá ({petition.rating}/5); mỗi câu trả lời chỉ đánh giá một lần.",
            code="petition.already_rated",
        )
    if petition.status not in ALLOWED_FROM["rate"]:
        raise Conflict(
            "Phản ánh chưa được trả lời: chỉ đánh giá được sau khi cơ quan trả lời.", code="petition.not_answered"
        )
    petition.rating, petition.rating_comment = data.rating, (data.comment or "").strip() or None
    reopened = data.rating <= LOW_RATING  # answered or already closed by the agency: looked at again
    note = f"Đánh giá {data.rating}/5"
    if reopened:
        petition.due_at = deadlines.due_at(utcnow(), LOOK_AGAIN_WORKING_DAYS)
        petition.escalated_to_id = None  # a new deadline, escalated anew when missed
        note += ": người gửi chưa hài lòng; phản ánh được mở lại để cơ quan trả lời lại"
    if petition.rating_comment:
        note += f" — «{petition.rating_comment}»"
    after = Status.IN_PROGRESS if reopened else Status.CLOSED
    _step(session, actor, petition, "rate", after, note, rating=data.rating)
    return petition


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
        record_event(session, actor, petition, "escalate", status, status, note, organisation_id=supervisor)
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
