"""Open311 GeoReport v2, so that existing Open311 apps can submit and follow petitions.

Services are the petition categories. Requests are posted as form fields or JSON (`service_code`,
`description`, and a location: `lat`+`long` or `address_string`); errors use Open311's own shape,
a list of `{"code", "description"}`, as its clients expect, not the platform's error body.
What is read back is the public view: masked text and place, no contact, and for a private
petition neither its text nor its place.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, BackgroundTasks, Query, Request
from fastapi.responses import JSONResponse
from pydantic import ValidationError
from sqlalchemy import select

from mauson.errors import MausonError
from mauson.identity.models import Organisation
from mauson.petitions import intake, reads, service
from mauson.petitions.labels import CATEGORIES, Status
from mauson.petitions.models import Petition, PetitionCreate
from mauson.petitions.service import DONE
from mauson.web.deps import ActorDep, SessionDep, SettingsDep

router = APIRouter(prefix="/open311/v2", tags=["open311"])


def _error(status: int, description: str) -> JSONResponse:
    return JSONResponse([{"code": status, "description": description}], status_code=status)


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
    place = petition.public_location if petition.is_public else None
    return {
        "service_request_id": str(petition.id),
        "status": "closed" if petition.status in DONE else "open",
        "status_notes": public.status_name if petition.status != Status.REJECTED else petition.reject_reason,
        "service_name": public.category_name,
        "service_code": petition.category,
        "description": public.text,
        "agency_responsible": organisation.name if organisation else None,
        "service_notice": public.reply,
        "requested_datetime": petition.submitted_at.isoformat(),
        "updated_datetime": petition.updated_at.isoformat(),
        "expected_datetime": petition.due_at.isoformat() if petition.due_at else None,
        "address": public.commune_name or place,
        "lat": petition.latitude if petition.is_public else None,
        "long": petition.longitude if petition.is_public else None,
        "media_url": None,
    }


@router.post("/requests.json", summary="Open311: submit a service request (form fields)", response_model=None)
async def create_request(
    request: Request, tasks: BackgroundTasks, session: SessionDep, actor: ActorDep, settings: SettingsDep
) -> JSONResponse | list[dict[str, Any]]:
    if request.headers.get("content-type", "").startswith("application/json"):
        try:
            body = await request.json()
        except ValueError:
            return _error(400, "Nội dung không phải JSON hợp lệ.")
        items = body.items() if isinstance(body, dict) else []
    else:
        items = (await request.form()).items()
    fields = {key: str(value) for key, value in items if isinstance(value, str | int | float)}
    if not fields.get("service_code"):
        return _error(400, "Thiếu service_code (mã lĩnh vực, xem services.json).")
    if fields["service_code"] not in CATEGORIES:
        return _error(404, f"Không có dịch vụ '{fields['service_code'][:40]}'.")
    if not fields.get("description", "").strip():
        return _error(400, "Thiếu description (nội dung phản ánh).")
    if not (fields.get("lat") and fields.get("long")) and not fields.get("address_string"):
        return _error(400, "Thiếu vị trí: cần lat và long, hoặc address_string.")
    name = " ".join(filter(None, [fields.get("first_name"), fields.get("last_name")])) or None
    try:
        data = PetitionCreate(
            text=fields["description"],
            location_text=fields.get("address_string"),
            latitude=float(fields["lat"]) if fields.get("lat") else None,
            longitude=float(fields["long"]) if fields.get("long") else None,
            contact_name=name,
            contact_phone=fields.get("phone"),
            contact_email=fields.get("email"),
            channel="open311",
        )
        client = intake.client_for(request, actor, settings)
        petition = service.submit(session=session, actor=actor, data=data, client=client)
    except (ValueError, ValidationError) as error:
        return _error(400, f"Dữ liệu không hợp lệ: {str(error).splitlines()[0][:200]}")
    except MausonError as error:
        return _error(error.status, error.message)
    intake.deliver_later(tasks, request, session, petition.id)
    notice = "Đã tiếp nhận; theo dõi tại /petitions/" + str(petition.id)
    return [{"service_request_id": str(petition.id), "service_notice": notice, "account_id": None}]


@router.get("/requests.json", summary="Open311: query service requests")
def list_requests(
    session: SessionDep,
    service_request_id: Annotated[str | None, Query(max_length=500)] = None,
    service_code: Annotated[str | None, Query(max_length=40)] = None,
    status: Annotated[str | None, Query(pattern="^(open|closed)$")] = None,
    start_date: Annotated[datetime | None, Query()] = None,
    end_date: Annotated[datetime | None, Query()] = None,
) -> list[dict[str, Any]]:
    stmt = select(Petition).where(Petition.status != Status.REJECTED)
    if service_request_id:
        ids = [int(part) for part in service_request_id.split(",") if part.strip().isdigit()]
        stmt = stmt.where(Petition.id.in_(ids))
    if service_code:
        stmt = stmt.where(Petition.category == service_code)
    if status:
        stmt = stmt.where(Petition.status.in_(DONE) if status == "closed" else Petition.status.not_in(DONE))
    if start_date:
        stmt = stmt.where(Petition.submitted_at >= start_date)
    if end_date:
        stmt = stmt.where(Petition.submitted_at <= end_date)
    rows = session.scalars(stmt.order_by(Petition.submitted_at.desc()).limit(1000))
    return [_request_view(session, p) for p in rows]


@router.get("/requests/{request_id}.json", summary="Open311: one service request", response_model=None)
def get_request(request_id: str, session: SessionDep) -> JSONResponse | list[dict[str, Any]]:
    petition = session.get(Petition, int(request_id)) if request_id.isdigit() else None
    if petition is None or petition.status == Status.REJECTED:
        return _error(404, f"Không có yêu cầu số {request_id[:20]}.")
    return [_request_view(session, petition)]
