"""Open311 GeoReport v2, so that existing Open311 apps can submit and follow petitions.

Services are the petition categories. Requests are posted as JSON or form fields, urlencoded (read
as UTF-8) or multipart (`service_code`, `description`, and a location: `lat`+`long` or
`address_string`; half a point is refused). A photo sent with a request is not kept, and its
`service_notice` says so. Every error raised once an Open311 route is reached (a query it cannot read, a
refused request, a bad Authorization header or a read-only token in a dependency) uses Open311's
own shape, a list of `{"code", "description"}`, as its clients expect, not the platform's error
body; input the platform refuses (a text too short, an e-mail that cannot be one) is a 400, the
status Open311 clients know for it, not the platform's 422. Only JSON is served: an `.xml` address
is answered with an Open311 error that says so. What is refused before any route runs (a body
over the size limit, a query id past what a record can hold, an address or method no route serves)
is in Open311's shape too (`web.errors.error_response`).
What is read back is the public view: masked text and place, no contact, and for a private
petition neither its text nor its place.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Coroutine, Iterable
from datetime import datetime, timedelta
from typing import Annotated, Any
from urllib.parse import parse_qsl

from fastapi import APIRouter, BackgroundTasks, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from pydantic import ValidationError
from sqlalchemy import Select, select
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException

from mauson.db import as_aware, utcnow
from mauson.errors import MausonError, NotFound
from mauson.identity.models import Organisation
from mauson.petitions import intake, reads, web_intake
from mauson.petitions.classifier import model_in_use
from mauson.petitions.labels import CATEGORIES, Status
from mauson.petitions.models import Petition, PetitionCreate
from mauson.petitions.service import DONE
from mauson.web import validation
from mauson.web.deps import ActorDep, SessionDep, SettingsDep
from mauson.web.errors import HTTP_MESSAGES, open311_response
from mauson.web.middleware import LARGEST_ID

MAX_FIELDS = 1_000  # as Starlette's own form parser allows
DEFAULT_WINDOW = timedelta(days=90)  # GeoReport v2: GET requests without dates covers the last 90 days
STATUSES = ("open", "closed")
# Each coordinate: what it is called in words, and the largest value it may take either side of 0.
COORDINATES = {"lat": ("vĩ độ", 90), "long": ("kinh độ", 180)}
# The Open311 field each `PetitionCreate` field is filled from, so that a refusal names what was sent.
SENT_AS = {
    "text": "description",
    "location_text": "address_string",
    "contact_name": "first_name, last_name",
    "contact_phone": "phone",
    "contact_email": "email",
}


class Open311Route(APIRoute):
    """A route whose every refusal is in Open311's error shape, with the platform's Vietnamese
    sentences: an unreadable query (`status=foo`, `start_date=abc`), a domain error from the route
    or from a dependency (`Authorization: Basic …`, a read-only token posting), an HTTP error.
    Open311 clients read `[{"code", "description"}]` and know nothing of the platform's error body."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def open311_handler(request: Request) -> Response:
            try:
                return await handler(request)
            except RequestValidationError as error:
                return open311_response(400, validation.sentences(validation.describe_all(error.errors())))
            except MausonError as error:
                return open311_response(error.status, error.message, error)
            except HTTPException as error:
                return open311_response(
                    error.status_code, HTTP_MESSAGES.get(error.status_code, ("", str(error.detail)))[1]
                )

        return open311_handler


router = APIRouter(prefix="/open311/v2", tags=["open311"], route_class=Open311Route)


OTHER = "khac"  # the category of what no other names: "về khác" is not Vietnamese


def _service_description(code: str, name: str) -> str:
    """What a service is, as an app lists it: "Phản ánh, kiến nghị về giao thông", "… khác"."""
    return "Phản ánh, kiến nghị khác" if code == OTHER else f"Phản ánh, kiến nghị về {name.lower()}"


@router.get("/services.json", summary="Open311: the service list (petition categories)")
def services() -> list[dict[str, Any]]:
    return [
        {
            "service_code": code,
            "service_name": name,
            "description": _service_description(code, name),
            "metadata": False,
            "type": "realtime",
            "keywords": code.replace("_", " "),
            "group": "phan_anh_kien_nghi",
        }
        for code, name in CATEGORIES.items()
    ]


def _request_view(session: Any, petition: Petition) -> dict[str, Any]:
    public = reads.public_read(session=session, petition=petition)
    organisation = session.get(Organisation, petition.organisation_id) if petition.organisation_id else None
    # The sender's own words about the place ("trước nhà ông…, SĐT…") and the point they dropped
    # are theirs to publish like the text: masked, and only for a petition they chose to make public.
    # Those words, when sent, are the address: the commune is the triage's guess, and the fallback.
    place = petition.public_location if petition.is_public else None
    return {
        "service_request_id": str(petition.id),
        "status": "closed" if petition.status in DONE else "open",
        "status_notes": public.reject_reason or public.status_name,
        "service_name": public.category_name,
        "service_code": petition.category,
        "description": public.text,
        "agency_responsible": organisation.name if organisation else None,
        "service_notice": public.reply,
        "requested_datetime": petition.submitted_at.isoformat(),
        "updated_datetime": petition.updated_at.isoformat(),
        "expected_datetime": public.due_at.isoformat() if public.due_at else None,
        "address": place or public.commune_name,
        "lat": _blurred(petition.latitude) if petition.is_public else None,
        "long": _blurred(petition.longitude) if petition.is_public else None,
        "media_url": None,
    }


PUBLIC_DECIMALS = 3  # about 110 m: the street, not the house (21.8534127 pinpointed a door)


def _blurred(degrees: float | None) -> float | None:
    """A coordinate as precise as a public page may show: a house number in the text is masked,
    so the point dropped on it is rounded to the street."""
    return None if degrees is None else round(degrees, PUBLIC_DECIMALS)


async def _fields(request: Request) -> tuple[dict[str, str], list[str]]:
    """The request's fields as text, from JSON, multipart or urlencoded form fields, and the names of
    the files a multipart body carried (GeoReport's `media`), which are not kept (`MEDIA_NOT_KEPT`).

    An urlencoded body is read here, as UTF-8: Starlette decodes a value sent without percent-encoding
    as Latin-1, so `curl -d description="Ổ gà lớn"` was stored as "á» gÃ  lá»n".
    """
    content_type = request.headers.get("content-type", "")
    pairs: Iterable[tuple[str, Any]]
    try:
        if content_type.startswith("application/json"):
            body = await request.json()
            pairs = body.items() if isinstance(body, dict) else []
        elif content_type.startswith("multipart/form-data"):
            pairs = (await request.form()).items()
        else:
            text = (await request.body()).decode("utf-8")
            pairs = parse_qsl(text, keep_blank_values=True, encoding="utf-8", max_num_fields=MAX_FIELDS)
    except ValueError as error:  # JSON or UTF-8 that does not decode, or too many fields
        raise MausonError(
            "Không đọc được dữ liệu gửi lên: hãy gửi JSON hoặc các trường biểu mẫu mã hóa UTF-8.",
            code="open311.unreadable",
        ) from error
    pairs = list(pairs)
    files = [key for key, value in pairs if isinstance(value, UploadFile)]
    return {key: str(value) for key, value in pairs if isinstance(value, str | int | float)}, files


def _coordinate(fields: dict[str, str], name: str) -> float | None:
    """The coordinate `name` as a number within its range, or a refusal in words: Python's own
    ("could not convert string to float") and pydantic's are English, and name no range."""
    sent = fields.get(name, "").strip()
    if not sent:
        return None
    word, limit = COORDINATES[name]
    try:
        value = float(sent)
    except ValueError:
        value = float("nan")
    if not -limit <= value <= limit:  # also refuses "nan" and "inf"
        raise MausonError(
            f"{name} ({word}) phải là một số thập phân từ -{limit} đến {limit}, dấu chấm ngăn phần lẻ "
            f"(ví dụ lat=21.85, long=106.76); đã nhận «{sent[:20]}».",
            code=f"open311.{name}",
        )
    return value


def _petition(fields: dict[str, str]) -> PetitionCreate:
    """The petition an Open311 request describes; a refusal names the Open311 field at fault."""
    if not fields.get("service_code"):
        raise MausonError("Thiếu service_code (mã lĩnh vực, xem services.json).", code="open311.service_code")
    if fields["service_code"] not in CATEGORIES:
        raise NotFound(f"Không có dịch vụ '{fields['service_code'][:40]}'.", code="open311.service")
    if not fields.get("description", "").strip():
        raise MausonError("Thiếu description (nội dung phản ánh).", code="open311.description")
    given = [name for name in COORDINATES if fields.get(name, "").strip()]
    if len(given) == 1:  # half a point is no place: GeoReport's location is lat & long, or an address
        (half,) = given
        (missing,) = set(COORDINATES) - {half}
        raise MausonError(
            f"Có {half} ({COORDINATES[half][0]}) mà thiếu {missing} ({COORDINATES[missing][0]}): một điểm cần cả "
            f"lat và long. Hãy gửi đủ cả hai, hoặc bỏ {half} và chỉ gửi address_string.",
            code="open311.location",
        )
    if not given and not fields.get("address_string", "").strip():
        raise MausonError("Thiếu vị trí: cần lat và long, hoặc address_string.", code="open311.location")
    latitude, longitude = _coordinate(fields, "lat"), _coordinate(fields, "long")
    name = " ".join(filter(None, [fields.get("first_name"), fields.get("last_name")])) or None
    try:
        return PetitionCreate(
            text=fields["description"],
            category=fields["service_code"],  # the service the sender chose is the petition's field
            location_text=fields.get("address_string"),
            latitude=latitude,
            longitude=longitude,
            contact_name=name,
            contact_phone=fields.get("phone"),
            contact_email=fields.get("email"),
        )
    except ValidationError as error:
        sent = [{**e, "loc": tuple(SENT_AS.get(str(at), at) for at in e["loc"])} for e in error.errors()]
        raise MausonError(validation.sentences(validation.describe_all(sent)), code="open311.invalid") from error


# `media_url` is accepted and not kept: the platform fetches nothing from outside at run time (a link
# could point anywhere, inside the province's network too), and a link kept unchecked would be shown
# to officers as if it were the sender's photo. Refusing the request would lose the citizen's report
# over its picture, and dropping the link silently lets the app believe the photo went with it; so
# the report is received and its notice, which apps show to the sender, says the photo was not.
# A file sent in a multipart body (`media`, as some apps do) is not kept either, and said so alike:
# GeoReport v2 names only `media_url`, and photos are checked and kept with the web form's petitions.
MEDIA_NOT_KEPT = (
    " Ảnh gửi kèm qua {sent} không được lưu ({why}): phản ánh được tiếp nhận không kèm ảnh; ảnh chỉ gửi được "
    "cùng phản ánh qua biểu mẫu tại {form}."
)
LINK_NOT_FETCHED = "nền tảng không tải tệp từ địa chỉ bên ngoài"
FILE_NOT_TAKEN = "cổng Open311 không nhận tệp ảnh"


def _notice(petition: Petition, fields: dict[str, str], files: list[str], link_base: str) -> str:
    """What the app shows its sender: where to follow the petition (the platform's public address:
    a bare path is no link an app can open), their tracking code, for an emergency who to call now
    (as the form's receipt says it), and which photo sent with it was not kept."""
    notice = (
        f"Đã tiếp nhận; theo dõi tại {link_base}/petitions/{petition.id}. Mã theo dõi của người gửi: "
        f"{petition.tracking_code} (giữ riêng: dùng để xem câu trả lời của phản ánh không công khai và đánh giá "
        "câu trả lời)."
    )
    if petition.urgency == "khan_cap":
        notice += f" {intake.EMERGENCY_ADVICE}"
    form = f"{link_base}/petitions/new"
    if fields.get("media_url", "").strip():
        notice += MEDIA_NOT_KEPT.format(sent="media_url", why=LINK_NOT_FETCHED, form=form)
    for name in dict.fromkeys(files):
        notice += MEDIA_NOT_KEPT.format(sent=f"tệp {name[:40]}", why=FILE_NOT_TAKEN, form=form)
    return notice


@router.post("/requests.json", summary="Open311: submit a service request (form fields)", response_model=None)
async def create_request(
    request: Request, tasks: BackgroundTasks, session: SessionDep, actor: ActorDep, settings: SettingsDep
) -> list[dict[str, Any]]:
    fields, files = await _fields(request)
    data = _petition(fields)  # a refusal is answered in Open311's shape by `Open311Route`
    client = web_intake.client_for(request, actor, settings)
    model = model_in_use(settings.data_dir)
    petition = intake.submit(session=session, actor=actor, data=data, model=model, client=client, way_in="open311")
    web_intake.deliver_later(tasks, request, session, petition.id)
    # `tracking_code` is ours, beside GeoReport's fields (apps ignore what they do not know): the
    # sender's key to a private petition's reply and to rating it, as the form's receipt gives it.
    return [
        {
            "service_request_id": str(petition.id),
            "service_notice": _notice(petition, fields, files, settings.link_base),
            "account_id": None,
            "tracking_code": petition.tracking_code,
        }
    ]


def _is_id(text: str) -> bool:
    """Digits a petition's id can be ("²" is a digit to `isdigit`, and past PostgreSQL's INTEGER the
    database raises instead of finding nothing)."""
    return text.isdecimal() and text.isascii() and 0 < int(text) <= LARGEST_ID


def _parts(value: str | None) -> list[str]:
    """The values of a GeoReport parameter that may be a comma-separated list ("giao_thong,moi_truong")."""
    return [part.strip() for part in (value or "").split(",") if part.strip()]


def _listed(name: str, value: str | None, known: Collection[str], hint: str) -> list[str]:
    """The values of the list parameter `name`, each one of `known`; one it does not know is refused,
    naming it, since matching nothing would answer a typo with an empty list."""
    values = _parts(value)
    unknown = [part for part in values if part not in known]
    if unknown:
        raise MausonError(f"{name} không nhận giá trị «{', '.join(unknown)[:80]}»: {hint}", code=f"open311.{name}")
    return values


def _by_ids(service_request_id: str) -> Select[Petition]:
    """The requests named, whatever else the query says: GeoReport v2 lets the ids override every
    other parameter. A rejected one is found too, as `requests/{id}.json` finds it: the app follows
    the requests it sent, and reads why one was refused."""
    ids = [int(part) for part in _parts(service_request_id) if _is_id(part)]
    return select(Petition).where(Petition.id.in_(ids))


def _by_filters(
    service_code: str | None, status: str | None, start_date: datetime | None, end_date: datetime | None
) -> Select[Petition]:
    """The requests the filters select, rejected ones left out as the public list leaves them (spam,
    abuse). Without `start_date` the window is the 90 days up to `end_date` or now, GeoReport v2's
    default; a date without a time zone is Vietnam's local time, as on the platform's pages."""
    codes = _listed(
        "service_code", service_code, CATEGORIES, "hãy dùng các mã trong services.json, cách nhau bằng dấu phẩy."
    )
    statuses = set(
        _listed("status", status, STATUSES, "chỉ nhận 'open', 'closed' hoặc cả hai, cách nhau bằng dấu phẩy.")
    )
    end = as_aware(end_date) if end_date else None
    start = as_aware(start_date) if start_date else (end or utcnow()) - DEFAULT_WINDOW
    stmt = select(Petition).where(Petition.status != Status.REJECTED, Petition.submitted_at >= start)
    if end:
        stmt = stmt.where(Petition.submitted_at <= end)
    if codes:
        stmt = stmt.where(Petition.category.in_(codes))
    if statuses == {"closed"}:
        stmt = stmt.where(Petition.status.in_(DONE))
    elif statuses == {"open"}:
        stmt = stmt.where(Petition.status.not_in(DONE))
    return stmt


@router.get("/requests.json", summary="Open311: query service requests")
def list_requests(
    session: SessionDep,
    service_request_id: Annotated[str | None, Query(max_length=500)] = None,
    service_code: Annotated[str | None, Query(max_length=500)] = None,
    status: Annotated[str | None, Query(max_length=40)] = None,
    start_date: Annotated[datetime | None, Query()] = None,
    end_date: Annotated[datetime | None, Query()] = None,
) -> list[dict[str, Any]]:
    if service_request_id:
        stmt = _by_ids(service_request_id)
    else:
        stmt = _by_filters(service_code, status, start_date, end_date)
    rows = session.scalars(stmt.order_by(Petition.submitted_at.desc(), Petition.id.desc()).limit(1000))
    return [_request_view(session, p) for p in rows]


@router.get("/requests/{request_id}.json", summary="Open311: one service request", response_model=None)
def get_request(request_id: str, session: SessionDep) -> JSONResponse | list[dict[str, Any]]:
    petition = session.get(Petition, int(request_id)) if _is_id(request_id) else None
    if petition is None:
        return open311_response(404, f"Không có yêu cầu số {request_id[:20]}.")
    return [_request_view(session, petition)]


@router.api_route("/{resource:path}.xml", methods=["GET", "POST"], include_in_schema=False)
def xml_format(resource: str) -> JSONResponse:
    """GeoReport v2 names the format in the address, and this server writes JSON only: an app that
    asks for XML is told which address to use, in Open311's error shape, not given a bare 404."""
    return open311_response(
        400, f"Máy chủ này chỉ trả lời dạng JSON: hãy dùng /open311/v2/{resource[:60]}.json thay cho .xml."
    )
