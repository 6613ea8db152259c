"""Web pages: the citizens' form, the public list, page and statistics with the commune map;
the officers' inbox with emergency alerts, and the petition page where they accept or correct
the triage and work the case to a reply."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, BackgroundTasks, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import ValidationError
from sqlalchemy.orm import Session

from mauson.errors import Invalid, MausonError, NotFound
from mauson.identity.models import Actor
from mauson.petitions import alerts, commune_map, intake, labels, photos, reads, service, web_intake, workflow
from mauson.petitions.classifier import model_in_use
from mauson.petitions.models import (
    MAX_TEXT,
    Decision,
    DuplicateLink,
    EventRead,
    Petition,
    PetitionCreate,
    PublicPetitionRead,
    Rating,
    TrackingCode,
    Transfer,
)
from mauson.privacy.models import TYPE_LABELS
from mauson.vntext.amounts import written
from mauson.web import validation
from mauson.web.deps import ActorDep, CsrfDep, PageUserDep, SessionDep, SettingsDep
from mauson.web.templates import NavItem, render

router = APIRouter(include_in_schema=False)
# The citizen's form takes photos: a body limit of its own (the platform's is 1 MB), streamed and counted.
UPLOAD_ROUTES = [("POST", "/petitions/new", photos.FORM_BYTES)]

NAV = [
    NavItem("/petitions", "Phản ánh, kiến nghị"),
    NavItem("/officer/petitions", "Xử lý phản ánh", "petition-view"),
]


# The citizen's form's boxes as their labels name them (the template shows these), and the length
# `PetitionCreate` allows each, the template's `maxlength`: a text over it, the browser's limit
# bypassed, comes back in the form with a message naming the box, as the citizen sees it.
FORM_LABELS = {
    "commune_code": "Xã, phường nơi xảy ra",
    "location_text": "Địa điểm cụ thể",
    "contact_name": "Họ tên",
    "contact_phone": "Số điện thoại",
    "contact_email": "Thư điện tử",
}


def _max_length(name: str) -> int:
    """The length `PetitionCreate` allows the field `name` (pydantic keeps it as a `MaxLen` rule)."""
    rules = PetitionCreate.model_fields[name].metadata
    return int(next(rule.max_length for rule in rules if getattr(rule, "max_length", None) is not None))


FORM_LIMITS = {name: _max_length(name) for name in FORM_LABELS}


def _form_context(**extra: object) -> dict[str, object]:
    return {
        "communes": service.communes(),
        "draft": {},
        "error": None,
        "max_photo_bytes": photos.MAX_BYTES,
        "field_labels": FORM_LABELS,
        "limits": FORM_LIMITS,
        "emergency_calls": intake.EMERGENCY_CALLS,
        **extra,
    }


def _checked_lengths(draft: dict[str, str]) -> None:
    """Refuse a box typed longer than the form lets it be (`FORM_LIMITS`), naming it as its label does:
    FastAPI's own refusal had shown a bare error page, the petition typed lost, naming «contact_phone»."""
    for name, label in FORM_LABELS.items():
        length, limit = len(draft[name]), FORM_LIMITS[name]
        if length > limit:
            raise Invalid(
                f"Ô «{label}» dài {written(length)} ký tự, quá {written(limit)} ký tự: hãy rút ngắn lại.",
                code="petitions.too_long",
            )


PAGE_SIZE = 50


@dataclass(frozen=True)
class ActiveFilter:
    """A filter the public list is narrowed by, said in words, with the link that lifts it alone."""

    label: str
    value: str
    clear: str


def _list_link(filters: dict[str, str], **changes: str | int) -> str:
    """The public list with `changes` made to its filters (an empty value lifts one) and the others
    kept, on its first page unless one is named: the filter form, the map, the notice of active
    filters and the pager all link through here, so that changing one filter never drops another."""
    query = {key: value for key, value in {**filters, **changes}.items() if value}
    return f"/petitions?{urlencode(query)}#danh-sach" if query else "/petitions#danh-sach"


def _active_filters(filters: dict[str, str]) -> list[ActiveFilter]:
    category, commune = filters["category"], filters["commune"]
    named = [
        ("category", "Lĩnh vực", labels.CATEGORIES.get(category, category)),
        ("commune", "Xã, phường", service.commune_name(commune) or commune),
    ]
    return [ActiveFilter(label, name, _list_link(filters, **{key: ""})) for key, label, name in named if filters[key]]


@router.get("/petitions", response_class=HTMLResponse)
def public_home(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    category: Annotated[str, Query(max_length=40)] = "",
    commune: Annotated[str, Query(max_length=10)] = "",
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
) -> HTMLResponse:
    filters = {"category": category, "commune": commune}
    stats = reads.stats(session=session)
    found = reads.public_list(
        session=session,
        category=category or None,
        commune_code=commune or None,
        limit=PAGE_SIZE + 1,  # one more tells whether a next page exists
        offset=(page - 1) * PAGE_SIZE,
    )
    context = {
        "petitions": found[:PAGE_SIZE],
        "stats": stats,
        "map": commune_map.draw(stats.by_commune),
        "tile": commune_map.TILE,
        "label_width": commune_map.LABEL_WIDTH,
        "categories": labels.CATEGORIES,
        "communes": service.communes(),
        **filters,
        "active": _active_filters(filters),
        "link": partial(_list_link, filters),
        "page": page,
        "first": (page - 1) * PAGE_SIZE + 1,
        "previous": _list_link(filters, page=page - 1) if page > 1 else None,
        "next": _list_link(filters, page=page + 1) if len(found) > PAGE_SIZE else None,
    }
    return render(request, "petitions_public.html", context)


@router.get("/petitions/new", response_class=HTMLResponse)
def new_form(request: Request, actor: ActorDep) -> HTMLResponse:
    return render(request, "petitions_form.html", _form_context())


@router.post("/petitions/new", response_class=HTMLResponse, dependencies=[CsrfDep])
async def submit_form(
    request: Request,
    tasks: BackgroundTasks,
    session: SessionDep,
    actor: ActorDep,
    settings: SettingsDep,
    # any length up to the body limit: what is too long comes back in the form, named (`_checked_lengths`)
    text: Annotated[str, Form()] = "",
    commune_code: Annotated[str, Form()] = "",
    location_text: Annotated[str, Form()] = "",
    contact_name: Annotated[str, Form()] = "",
    contact_phone: Annotated[str, Form()] = "",
    contact_email: Annotated[str, Form()] = "",
    is_public: Annotated[str, Form()] = "",
    photo: list[UploadFile] | None = None,
) -> HTMLResponse:
    draft = {
        "text": text,
        "commune_code": commune_code,
        "location_text": location_text,
        "contact_name": contact_name,
        "contact_phone": contact_phone,
        "contact_email": contact_email,
        "is_public": is_public,
    }
    try:
        if len(text) > MAX_TEXT:
            raise Invalid(
                f"Nội dung dài {written(len(text))} ký tự, quá {written(MAX_TEXT)} ký tự: hãy rút gọn, chỉ giữ sự "
                "việc, nơi xảy ra và đề nghị."
            )
        _checked_lengths(draft)
        uploads = photos.checked([(upload.filename or "ảnh", await upload.read()) for upload in photo or []])
        data = PetitionCreate(
            text=text or " ",
            commune_code=commune_code or None,
            location_text=location_text or None,
            contact_name=contact_name or None,
            contact_phone=contact_phone or None,
            contact_email=contact_email or None,
            is_public=is_public == "yes",
        )
        with session.begin_nested():
            petition = intake.submit(
                session=session,
                actor=actor,
                data=data,
                model=model_in_use(settings.data_dir),
                client=web_intake.client_for(request, actor, settings),
                photos=[name for name, _ in uploads],
                way_in="web",
            )
        photos.write(photos.folder_for(settings.data_dir), uploads)
    except MausonError as error:
        return render(
            request, "petitions_form.html", _form_context(error=error.message, draft=draft), status=error.status
        )
    web_intake.deliver_later(tasks, request, session, petition.id)
    stored_triage = service.latest_triage(session=session, petition=petition)
    context = {
        "petition": petition,
        "commune_name": service.commune_name(petition.commune_code),  # the sender's choice, else the triage's
        "triage": reads.triage_read(stored_triage, petition.text) if stored_triage else None,
        "organisation": reads.organisation_name(session, petition.organisation_id),  # where it went, as its page says
        "emergency_advice": intake.EMERGENCY_ADVICE,  # as Open311's notice gives it
    }
    return render(request, "petitions_received.html", context, status=201)


def _public_page(
    request: Request,
    session: SessionDep,
    petition_id: int,
    *,
    error: str | None = None,
    draft: dict[str, object] | None = None,
    status: int = 200,
    public: PublicPetitionRead | None = None,
) -> HTMLResponse:
    """The public page (or `public`, the sender's view of it); after a refused rating, with the
    message and the rating form as it was filled."""
    public = public or reads.public_get(session=session, petition_id=petition_id)
    context = {
        "p": public,
        "can_rate": public.rating is None and public.status in workflow.ALLOWED_FROM["rate"],
        "error": error,
        "draft": draft or {},
    }
    return render(request, "petitions_page.html", context, status=status)


@router.get("/petitions/{petition_id}", response_class=HTMLResponse)
def public_page(request: Request, petition_id: int, session: SessionDep, actor: ActorDep) -> HTMLResponse:
    return _public_page(request, session, petition_id)


def _proof(tracking_code: str) -> TrackingCode:
    """The tracking code as typed; one too short to be any petition's is refused as a wrong one."""
    return TrackingCode(tracking_code=tracking_code if len(tracking_code.strip()) >= 4 else "----")


@router.post("/petitions/{petition_id}/sender-view", response_class=HTMLResponse, dependencies=[CsrfDep])
def sender_view(
    request: Request,
    petition_id: int,
    session: SessionDep,
    actor: ActorDep,
    tracking_code: Annotated[str, Form(max_length=16)] = "",
) -> HTMLResponse:
    """The page as its sender sees it with the tracking code: their text and the reply, even private."""
    proof = _proof(tracking_code)
    try:
        petition = service.read_as_sender(session=session, actor=actor, petition_id=petition_id, data=proof)
    except MausonError as error:
        return _public_page(request, session, petition_id, error=error.message, status=error.status)
    public = reads.public_read(session=session, petition=petition, for_sender=True)
    page = _public_page(request, session, petition_id, public=public, draft={"tracking_code": tracking_code})
    page.headers["Cache-Control"] = "no-store"  # a shared computer's Back button does not show it again
    return page


RATINGS = ("1", "2", "3", "4", "5")


def _chosen_rating(chosen: str) -> int:
    """The rating the citizen picked: the form offers none by default, so that nobody sends "5/5" unread."""
    if chosen not in RATINGS:
        raise Invalid(
            "Hãy chọn mức đánh giá, từ 1 (chưa hài lòng) đến 5 (rất hài lòng), rồi gửi lại.", code="petitions.rating"
        )
    return int(chosen)


@router.post("/petitions/{petition_id}/rating", response_model=None, dependencies=[CsrfDep])
def rate(
    request: Request,
    petition_id: int,
    session: SessionDep,
    actor: ActorDep,
    tracking_code: Annotated[str, Form(max_length=16)] = "",
    rating: Annotated[str, Form(max_length=2)] = "",
    comment: Annotated[str, Form(max_length=1000)] = "",
) -> HTMLResponse | RedirectResponse:
    try:
        with session.begin_nested():
            chosen = _chosen_rating(rating)
            data = Rating(tracking_code=_proof(tracking_code).tracking_code, rating=chosen, comment=comment or None)
            workflow.rate(session=session, actor=actor, petition_id=petition_id, data=data)
    except MausonError as error:
        # not the code: it was wrong, and it is a credential
        draft: dict[str, object] = {"rating": rating, "comment": comment}
        return _public_page(request, session, petition_id, error=error.message, draft=draft, status=error.status)
    # to the page itself, which shows the rating: reloading it sends nothing twice
    return RedirectResponse(f"/petitions/{petition_id}#rated", status_code=303)


# --- officers -------------------------------------------------------------------------------------


@router.get("/officer/petitions", response_class=HTMLResponse)
def inbox(
    request: Request,
    session: SessionDep,
    actor: PageUserDep,
    status: Annotated[str, Query(max_length=20)] = "",
    transferred: Annotated[int | None, Query(ge=1)] = None,
    acknowledged: Annotated[int | None, Query(ge=1)] = None,
) -> HTMLResponse:
    # The confirmations are read from the address, which anyone can write: each is shown only when
    # it is true of this officer ("?transferred=17" had shown on any inbox).
    moved = transferred if transferred and not _still_visible(session, actor, transferred) else None
    taken_off = acknowledged if acknowledged and alerts.acknowledged_by(session, actor, acknowledged) else None
    context = {
        "transferred": moved,
        "acknowledged": taken_off,
        "petitions": service.list_inbox(session=session, actor=actor, status=status or None),
        "alerts": alerts.open_alerts(session=session, actor=actor),
        "statuses": labels.STATUS_LABELS,
        "status": status,
        "categories": labels.CATEGORIES,
        "urgencies": labels.URGENCIES,
        "overdue": service.is_overdue,
        "commune_name": service.commune_name,
        "low_rating": workflow.LOW_RATING,
        "own_organisation": actor.organisation_id,
    }
    return render(request, "petitions_inbox.html", context)


def _allowed(session: Session, actor: Actor, petition: Petition) -> set[str]:
    """The steps the page offers: those the workflow allows from the petition's status, and none to
    a supervising agency that only follows an escalated case."""
    if not service.may_work(session=session, actor=actor, petition=petition):
        return set()
    return {step for step, statuses in workflow.ALLOWED_FROM.items() if petition.status in statuses}


def _detail(
    request: Request,
    session: SessionDep,
    actor: PageUserDep,
    petition: Petition,
    *,
    error: str | None = None,
    draft: dict[str, str] | None = None,
    template: str = "",
    done: str = "",
    status: int = 200,
) -> HTMLResponse:
    """The officer's petition page. `draft` is the step that failed ({"action", "text", "interim"}):
    its form opens again as it was filled. `template` is the reply template the officer chose to
    start from; none is put in the reply box unasked, so that no click sends a stock "resolved"
    answer. `done` is the step just taken, confirmed at the top. The buttons shown are the steps
    `workflow.ALLOWED_FROM` allows from the petition's status: the page cannot offer what the workflow refuses."""
    read = reads.petition_read(session=session, petition=petition)
    context = {
        "p": read,
        "allowed": _allowed(session, actor, petition),
        "colleagues": service.colleagues(session=session, petition=petition),
        "alerts": alerts.of_petition(session=session, petition=petition),
        "mine": actor.organisation_id == petition.organisation_id,
        "done": DONE.get(done) if _took_last_step(read.events, actor, done) else None,
        "categories": labels.CATEGORIES,
        "agencies": labels.AGENCIES,
        "urgencies": labels.URGENCIES,
        "communes": service.communes(),
        "templates": {
            key: text.format(agency=read.organisation or "Cơ quan") for key, text in labels.REPLY_TEMPLATES.items()
        },
        "template": template,
        "interim": template in labels.INTERIM_TEMPLATES,
        "interim_templates": labels.INTERIM_TEMPLATES,
        "commune_sources": labels.COMMUNE_SOURCES,
        "data_types": TYPE_LABELS,
        "error": error,
        "draft": draft or {},
    }
    return render(request, "petitions_detail.html", context, status=status)


@router.get("/officer/petitions/{petition_id}", response_class=HTMLResponse)
def detail(
    request: Request,
    petition_id: int,
    session: SessionDep,
    actor: PageUserDep,
    template: Annotated[str, Query(max_length=40)] = "",
    done: Annotated[str, Query(max_length=20)] = "",
) -> HTMLResponse:
    petition = service.read_as_officer(session=session, actor=actor, petition_id=petition_id)
    return _detail(request, session, actor, petition, template=template, done=done)


def _petition_number(typed: str) -> int | None:
    """A petition's number as an officer types it ("12" or "#12"); empty is none."""
    number = typed.strip().lstrip("#")
    if not number:
        return None
    if not (number.isdecimal() and number.isascii()):
        raise Invalid(f"«{typed[:12]}» không phải số phản ánh: hãy nhập số, ví dụ 12.", code="petitions.duplicate_of")
    return int(number)


@dataclass(frozen=True)
class StepForm:
    """What an officer filled in on the petition page; each workflow step reads its own fields."""

    category: str = ""
    agency: str = ""
    urgency: str = ""
    commune_code: str = ""
    officer: str = ""
    text: str = ""
    duplicate_of: str = ""
    separate: str = ""
    interim: str = ""


def _correct(session: Session, actor: Actor, petition_id: int, form: StepForm) -> None:
    decision = Decision(
        category=form.category or None,
        agency=form.agency or None,
        urgency=form.urgency or None,
        commune_code=form.commune_code or None,
    )
    workflow.decide(session=session, actor=actor, petition_id=petition_id, decision=decision)


def _link(session: Session, actor: Actor, petition_id: int, form: StepForm) -> None:
    link = DuplicateLink(duplicate_of=_petition_number(form.duplicate_of), separate=form.separate == "yes")
    workflow.link_duplicate(session=session, actor=actor, petition_id=petition_id, data=link)


def _transfer(session: Session, actor: Actor, petition_id: int, form: StepForm) -> None:
    data = Transfer(agency=form.agency, reason=form.text, commune_code=form.commune_code or None)
    workflow.transfer(session=session, actor=actor, petition_id=petition_id, data=data)


def _assign(session: Session, actor: Actor, petition_id: int, form: StepForm) -> None:
    officer = form.officer or actor.username  # "Nhận xử lý": the officer takes it
    workflow.assign(session=session, actor=actor, petition_id=petition_id, officer_username=officer)


def _reply(session: Session, actor: Actor, petition_id: int, form: StepForm) -> None:
    interim = form.interim == "yes"
    workflow.reply(session=session, actor=actor, petition_id=petition_id, text=form.text, interim=interim)


# The buttons of the petition page: each names a step, done by one service call.
STEPS: dict[str, Callable[[Session, Actor, int, StepForm], object]] = {
    "accept": lambda s, a, pid, _: workflow.decide(session=s, actor=a, petition_id=pid, decision=Decision()),
    "correct": _correct,
    "link": _link,
    "transfer": _transfer,
    "assign": _assign,
    "reply": _reply,
    "close": lambda s, a, pid, _: workflow.close(session=s, actor=a, petition_id=pid),
    "reject": lambda s, a, pid, form: workflow.reject(session=s, actor=a, petition_id=pid, reason=form.text),
}
# The history's action of each confirmation (`?done=`), where they differ.
DONE_ACTIONS = {"accept": "decide", "correct": "decide", "interim": "reply"}


def _took_last_step(events: list[EventRead], actor: Actor, done: str) -> bool:
    """Whether the petition's last step is the one `done` names, taken by this officer."""
    last = events[-1] if events else None
    return last is not None and last.action == DONE_ACTIONS.get(done, done) and last.actor_name == actor.username


# What the petition page confirms after each step (`?done=`); a transfer lands on the inbox instead.
DONE: dict[str, str] = {
    "accept": "Đã chấp nhận phân loại và chuyển xử lý.",
    "correct": "Đã lưu phân loại và chuyển xử lý.",
    "link": "Đã lưu liên kết trùng sự việc.",
    "assign": "Đã giao xử lý.",
    "reply": "Đã gửi trả lời. Người gửi đọc câu trả lời trên trang theo dõi phản ánh.",
    "interim": "Đã gửi trả lời tạm. Phản ánh vẫn đang xử lý, hạn trả lời vẫn tính: khi có kết quả, hãy trả lời lại.",
    "close": "Đã đóng phản ánh.",
    "reject": "Đã từ chối phản ánh.",
}


@router.post("/officer/petitions/{petition_id}", response_model=None, dependencies=[CsrfDep])
def act(
    request: Request,
    tasks: BackgroundTasks,
    petition_id: int,
    session: SessionDep,
    actor: PageUserDep,
    action: Annotated[str, Form(max_length=20)],
    category: Annotated[str, Form(max_length=40)] = "",
    agency: Annotated[str, Form(max_length=40)] = "",
    urgency: Annotated[str, Form(max_length=20)] = "",
    commune_code: Annotated[str, Form(max_length=10)] = "",
    officer: Annotated[str, Form(max_length=64)] = "",
    text: Annotated[str, Form(max_length=10_000)] = "",
    duplicate_of: Annotated[str, Form(max_length=12)] = "",
    separate: Annotated[str, Form(max_length=3)] = "",
    interim: Annotated[str, Form(max_length=3)] = "",
) -> HTMLResponse | RedirectResponse:
    """One form per workflow step; `action` names the step (STEPS, the buttons of the petition page)."""
    form = StepForm(category, agency, urgency, commune_code, officer, text, duplicate_of, separate, interim)
    try:
        step = STEPS.get(action)
        if step is None:
            raise Invalid("Thao tác không hợp lệ.", code="petitions.action")
        with session.begin_nested():
            step(session, actor, petition_id, form)
    except (MausonError, ValidationError) as error:
        message, status = (
            (error.message, error.status)
            if isinstance(error, MausonError)
            else (validation.sentences(validation.describe_all(error.errors())), 422)
        )
        typed = duplicate_of if action == "link" else text
        # the failed step's form, as it was filled
        draft = {"action": action, "text": typed, "interim": interim, "commune_code": commune_code}
        petition = service.get_or_raise(session=session, actor=actor, petition_id=petition_id)
        return _detail(request, session, actor, petition, error=message, draft=draft, status=status)
    web_intake.deliver_later(tasks, request, session, petition_id)  # a correction to khẩn cấp, or a transfer, alerts
    if not _still_visible(session, actor, petition_id):  # a transfer, or a corrected agency or commune
        return RedirectResponse(f"/officer/petitions?transferred={petition_id}", status_code=303)
    done = "interim" if action == "reply" and form.interim == "yes" else action
    return RedirectResponse(f"/officer/petitions/{petition_id}?done={done}", status_code=303)


def _still_visible(session: Session, actor: Actor, petition_id: int) -> bool:
    """Whether the case is still the officer's to see after a step: a transfer, or a correction of its
    agency or commune, sends it to another agency, whose page this one would answer 404 for."""
    try:
        service.get_or_raise(session=session, actor=actor, petition_id=petition_id)
    except NotFound:
        return False
    return True


@router.post("/officer/alerts/{alert_id}", dependencies=[CsrfDep])
def acknowledge(alert_id: int, session: SessionDep, actor: PageUserDep) -> RedirectResponse:
    _, petition = alerts.acknowledge(session=session, actor=actor, alert_id=alert_id)
    return RedirectResponse(f"/officer/petitions?acknowledged={petition.id}", status_code=303)
