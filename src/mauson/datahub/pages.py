"""Web pages of the data hub: the catalogue with facets, a dataset's page (preview, statistics,
chart, dictionary, versions, API examples), the upload form, and the privacy gate for editors."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from mauson.datahub import query, service
from mauson.datahub.models import (
    ACCESS_LABELS,
    ANONYMISER_LABELS,
    LICENCES,
    THEMES,
    Access,
    AccessChange,
    Anonymiser,
    Dataset,
    DatasetMeta,
    DerivativeRequest,
)
from mauson.errors import MausonError
from mauson.identity.actions import allowed, ensure
from mauson.identity.models import Actor
from mauson.privacy.service import keys_for
from mauson.web.deps import ActorDep, CsrfDep, PageUserDep, SessionDep, SettingsDep
from mauson.web.templates import NavItem, render

router = APIRouter(include_in_schema=False)

NAV = [NavItem("/datasets", "Kho dữ liệu")]
PREVIEW_ROWS = 20


@router.get("/datasets", response_class=HTMLResponse)
def catalogue(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    q: Annotated[str, Query(max_length=200)] = "",
    theme: str = "",
    organisation: str = "",
    format: str = "",
    access: str = "",
) -> HTMLResponse:
    filters = service.CatalogueFilters(q or None, theme or None, organisation or None, format or None, access or None)
    datasets = service.list_visible(session=session, actor=actor, filters=filters)
    context = {
        "datasets": datasets,
        "facets": service.facets(datasets),
        "chosen": {"q": q, "theme": theme, "organisation": organisation, "format": format, "access": access},
        "themes": THEMES,
        "access_labels": {a.value: label for a, label in ACCESS_LABELS.items()},
        "can_upload": allowed(actor, "dataset-edit"),
    }
    return render(request, "datahub/catalogue.html", context)


@router.get("/datasets/new", response_class=HTMLResponse)
def upload_form(request: Request, actor: PageUserDep) -> HTMLResponse:
    return _upload_page(request, actor)


def _upload_page(request: Request, actor: Actor, error: str | None = None, status: int = 200) -> HTMLResponse:
    context = {
        "themes": THEMES,
        "access_labels": ACCESS_LABELS,
        "error": error,
        "can_upload": allowed(actor, "dataset-edit"),
    }
    return render(request, "datahub/upload.html", context, status=status)


@router.post("/datasets/new", response_class=HTMLResponse, dependencies=[CsrfDep])
def upload(
    request: Request,
    session: SessionDep,
    actor: PageUserDep,
    settings: SettingsDep,
    file: Annotated[UploadFile, File()],
    title: Annotated[str, Form(max_length=300)] = "",
    theme: Annotated[str, Form()] = "",
    access: Annotated[Access, Form()] = Access.RESTRICTED,
) -> Response:
    filename = Path(file.filename or "upload.csv").name
    try:
        ensure(actor, "dataset-edit")
        with tempfile.TemporaryDirectory() as folder:
            source = Path(folder) / "upload"
            with source.open("wb") as handle:
                shutil.copyfileobj(file.file, handle)
            tables = service.prepare(
                store=service.store_for(settings), source=source, filename=filename, max_bytes=settings.max_body_bytes
            )
        with session.begin_nested():
            dataset = service.create_dataset(
                session=session, actor=actor, tables=tables, title=title or Path(filename).stem, access=access
            )
            if theme:
                service.update_meta(session=session, actor=actor, dataset=dataset, meta=DatasetMeta(theme=theme))
    except MausonError as error:
        return _upload_page(request, actor, error.message, error.status)
    return RedirectResponse(f"/datasets/{dataset.name}?uploaded=1", status_code=303)


def _chart(path: Path, columns: list[dict[str, str]]) -> dict[str, Any] | None:
    label, measure, bars = query.chart_data(path, columns)
    if not bars:
        return None
    top = max(value for _, value in bars) or 1
    return {"label": label, "measure": measure, "bars": [(name, value, value / top) for name, value in bars]}


def _dataset_page(
    request: Request,
    session: Any,
    actor: Actor,
    settings: Any,
    dataset: Dataset,
    error: str | None = None,
    status: int = 200,
) -> HTMLResponse:
    store = service.store_for(settings)
    described = service.describe(session=session, dataset=dataset)
    resource = dataset.resources[0]
    path = store.path(resource.latest.sha256)
    editor = allowed(actor, "dataset-edit", dataset)
    gate = service.privacy_report(session=session, actor=actor, store=store, dataset=dataset) if editor else None
    context = {
        "d": described,
        "dataset": dataset,
        "latest": resource.latest,
        "preview": query.select_rows(path, schema=[c["name"] for c in resource.latest.columns], limit=PREVIEW_ROWS),
        "stats": query.statistics(path),
        "chart": _chart(path, resource.latest.columns),
        "editor": editor,
        "gate": gate,
        "anonymisers": ANONYMISER_LABELS,
        "access_labels": {a.value: label for a, label in ACCESS_LABELS.items()},
        "themes": THEMES,
        "licences": LICENCES,
        "base": str(request.base_url).rstrip("/"),
        "uploaded": request.query_params.get("uploaded") == "1",
        "error": error,
    }
    return render(request, "datahub/dataset.html", context, status=status)


@router.get("/datasets/{name}", response_class=HTMLResponse)
def dataset_page(
    request: Request, name: str, session: SessionDep, actor: ActorDep, settings: SettingsDep
) -> HTMLResponse:
    dataset = service.get_visible_or_raise(session=session, actor=actor, name=name, purpose="page")
    return _dataset_page(request, session, actor, settings, dataset)


@router.post("/datasets/{name}/access", response_class=HTMLResponse, dependencies=[CsrfDep])
def change_access(
    request: Request,
    name: str,
    session: SessionDep,
    actor: PageUserDep,
    settings: SettingsDep,
    access: Annotated[Access, Form()],
    organisations: Annotated[str, Form()] = "",
    days: Annotated[int, Form(ge=1, le=3650)] = 90,
) -> Response:
    dataset = service.get_visible_or_raise(session=session, actor=actor, name=name)
    codes = [code.strip() for code in organisations.replace(";", ",").split(",") if code.strip()]
    try:
        with session.begin_nested():
            change = AccessChange(access=access, organisations=codes, days=days)
            service.set_access(session=session, actor=actor, dataset=dataset, change=change)
    except MausonError as error:
        session.refresh(dataset)
        return _dataset_page(request, session, actor, settings, dataset, error.message, error.status)
    return RedirectResponse(f"/datasets/{dataset.name}", status_code=303)


@router.post("/datasets/{name}/derivative", response_class=HTMLResponse, dependencies=[CsrfDep])
async def derivative(
    request: Request, name: str, session: SessionDep, actor: PageUserDep, settings: SettingsDep
) -> Response:
    form = await request.form()
    plan = {str(key)[4:]: Anonymiser(str(value)) for key, value in form.multi_items() if str(key).startswith("col:")}
    dataset = service.get_visible_or_raise(session=session, actor=actor, name=name, purpose="derivative")
    try:
        k = int(str(form.get("k") or 5))
        with session.begin_nested():
            derived, _ = service.make_derivative(
                session=session,
                actor=actor,
                store=service.store_for(settings),
                dataset=dataset,
                request=DerivativeRequest(columns=plan, k=max(2, min(k, 100))),
                keys=keys_for(settings),
            )
    except (MausonError, ValueError) as error:
        message = error.message if isinstance(error, MausonError) else "Giá trị k phải là số nguyên."
        return _dataset_page(request, session, actor, settings, dataset, message, 422)
    return RedirectResponse(f"/datasets/{derived.name}", status_code=303)
