"""Open311 GeoReport v2, so that existing Open311 apps can submit and follow petitions.

Services are the petition categories. Requests are posted as JSON or form fields, urlencoded (read
as UTF-8) or multipart (`service_code`, `description`, and a location: `lat`+`long` or
`address_string`). Every error raised once an Open311 route is reached (a query it cannot read, a
refused request, a bad Authorization header or a read-only token in a dependency) uses Open311's
own shape, a list of `{"code", "description"}`, as its clients expect, not the platform's error
body. Two answers are given before any route runs and keep the platform's body: a request body
over the size limit (413, from `BodyLimitMiddleware`) and an address or method that no route
serves (404, 405).
What is read back is the public view: masked text and place, no contact, and for a private
petition neither its text nor its place.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Iterable
from datetime import datetime
from typing import Annotated, Any, Literal
from urllib.parse import parse_qsl

from fastapi import APIRouter, BackgroundTasks, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from pydantic import ValidationError
from sqlalchemy import select
from starlette.exceptions import HTTPException

from mauson.db import as_aware
from mauson.errors import MausonError, NotFound
from mauson.identity.models import Organisation
from mauson.petitions import intake, reads, web_intake
from mauson.petitions.labels import CATEGORIES, Status
from mauson.petitions.models import Petition, PetitionCreate
from mauson.petitions.service import DONE
from mauson.web import validation
from mauson.web.deps import ActorDep, SessionDep, SettingsDep
from mauson.web.errors import HTTP_MESSAGES, error_headers

MAX_FIELDS = 1_000  # as Starlette's own form parser allows
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


def _error(status: int, description: str, error: MausonError | None = None) -> JSONResponse:
    headers = error_headers(status, error)  # as the platform's own errors: a 401's scheme, a 429's Retry-After
    return JSONResponse([{"code": status, "description": description}], status_code=status, headers=headers)


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
                return _error(400, validation.sentences(validation.describe_all(error.errors())))
            except MausonError as error:
                return _error(error.status, error.message, error)
            except HTTPException as error:
                return _error(error.status_code, HTTP_MESSAGES.get(error.status_code, ("", str(error.detail)))[1])

        return open311_handler


router = APIRouter(prefix="/open311/v2", tags=["open311"], route_class=Open311Route)


@router.get("/services.json", summary="Open311: the service list (petition categories)")
def services() -> list[dict[str, Any]]:
    return [
        {
            "service_code": code,
            "service_name": name,
            "description": f"Phản ánh, kiến nghị về {name.lower()}",
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
        "expected_datetime": petition.due_at.isoformat() if petition.due_at else None,
        "address": place or public.commune_name,
        "lat": petition.latitude if petition.is_public else None,
        "long": petition.longitude if petition.is_public else None,
        "media_url": None,
    }


async def _fields(request: Request) -> dict[str, str]:
    """The request's fields as text, from JSON, multipart or urlencoded form fields.

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
    return {key: str(value) for key, value in pairs if isinstance(value, str | int | float)}


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
    if not (fields.get("lat") and fields.get("long")) and not fields.get("address_string"):
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
            channel="open311",
        )
    except ValidationError as error:
        sent = [{**e, "loc": tuple(SENT_AS.get(str(at), at) for at in e["loc"])} for e in error.errors()]
        raise MausonError(validation.sentences(validation.describe_all(sent)), code="open311.invalid") from error


@router.post("/requests.json", summary="Open311: submit a service request (form fields)", response_model=None)
async def create_request(
    request: Request, tasks: BackgroundTasks, session: SessionDep, actor: ActorDep, settings: SettingsDep
) -> list[dict[str, Any]]:
    data = _petition(await _fields(request))  # a refusal is answered in Open311's shape by `Open311Route`
    client = web_intake.client_for(request, actor, settings)
    petition = intake.submit(session=session, actor=actor, data=data, client=client)
    web_intake.deliver_later(tasks, request, session, petition.id)
    notice = (
        f"Đã tiếp nhận; theo dõi tại /petitions/{petition.id}. Mã theo dõi của người gửi: {petition.tracking_code} "
        "(giữ riêng: dùng để xem câu trả lời của phản ánh không công khai và đánh giá câu trả lời)."
    )
    # `tracking_code` is ours, beside GeoReport's fields (apps ignore what they do not know): the
    # sender's key to a private petition's reply and to rating it, as the form's receipt gives it.
    return [
        {
            "service_request_id": str(petition.id),
            "service_notice": notice,
            "account_id": None,
            "tracking_code": petition.tracking_code,
        }
    ]


def _is_id(text: str) -> bool:
    """Digits a database id can hold ("²" is a digit to `isdigit`, and 20 nines overflow the column)."""
    return text.isdecimal() and text.isascii() and 0 < int(text) < 2**63


@router.get("/requests.json", summary="Open311: query service requests")
def list_requests(
    session: SessionDep,
    service_request_id: Annotated[str | None, Query(max_length=500)] = None,
    service_code: Annotated[str | None, Query(max_length=40)] = None,
    status: Annotated[Literal["open", "closed"] | None, Query()] = None,
    start_date: Annotated[datetime | None, Query()] = None,
    end_date: Annotated[datetime | None, Query()] = None,
) -> list[dict[str, Any]]:
    stmt = select(Petition).where(Petition.status != Status.REJECTED)
    if service_request_id:
        ids = [int(part) for part in service_request_id.split(",") if _is_id(part.strip())]
        stmt = stmt.where(Petition.id.in_(ids))
    if service_code:
        stmt = stmt.where(Petition.category == service_code)
    if status:
        stmt = stmt.where(Petition.status.in_(DONE) if status == "closed" else Petition.status.not_in(DONE))
    if start_date:  # a date without a time zone is Vietnam's local time, as on the platform's pages
        stmt = stmt.where(Petition.submitted_at >= as_aware(start_date))
    if end_date:
        stmt = stmt.where(Petition.submitted_at <= as_aware(end_date))
    rows = session.scalars(stmt.order_by(Petition.submitted_at.desc()).limit(1000))
    return [_request_view(session, p) for p in rows]


@router.get("/requests/{request_id}.json", summary="Open311: one service request", response_model=None)
def get_request(request_id: str, session: SessionDep) -> JSONResponse | list[dict[str, Any]]:
    petition = session.get(Petition, int(request_id)) if _is_id(request_id) else None
    if petition is None:
        return _error(404, f"Không có yêu cầu số {request_id[:20]}.")
    return [_request_view(session, petition)]
