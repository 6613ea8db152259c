"""Web pages of the data hub: the catalogue with facets, a dataset's page (preview, statistics,
chart, dictionary, versions, API examples), the upload form, and the privacy gate for editors."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from starlette.background import BackgroundTask

from mauson.datahub import jobs, query, service
from mauson.datahub.models import (
    ACCESS_LABELS,
    ANONYMISER_LABELS,
    JOB_LABELS,
    LICENCES,
    THEMES,
    Access,
    AccessChange,
    Anonymiser,
    ColumnDoc,
    Dataset,
    DatasetMeta,
    DerivativeRequest,
    IngestJob,
    JobStatus,
)
from mauson.errors import MausonError
from mauson.identity.actions import allowed, ensure
from mauson.identity.models import Actor
from mauson.privacy.service import keys_for
from mauson.settings import Settings
from mauson.web.deps import ActorDep, CsrfDep, PageUserDep, SessionDep, SettingsDep
from mauson.web.templates import NavItem, render
from mauson.web.validation import describe_all, sentences

router = APIRouter(include_in_schema=False)

NAV = [NavItem("/datasets", "Kho dữ liệu")]
PREVIEW_ROWS = 20
REFRESH_SECONDS = 1
CLEARABLE = ("theme", "frequency", "temporal", "spatial", "contact")
META_FIELDS = ("title", "description", "theme", "tags", "licence", "frequency", "temporal", "spatial", "contact")


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
    chosen = {"q": q, "theme": theme, "organisation": organisation, "format": format, "access": access}
    context = {
        "datasets": datasets,
        "facets": service.facets(datasets),
        "chosen": chosen,
        "link": partial(_catalogue_link, chosen),
        "labels": _facet_labels(datasets),
        "can_upload": allowed(actor, "dataset-edit"),
    }
    return render(request, "datahub/catalogue.html", context)


def _facet_labels(datasets: list[Dataset]) -> dict[str, dict[str, str]]:
    """What each facet value reads as: facets count organisations by code, people know them by name."""
    return {
        "theme": dict(THEMES),
        "access": {a.value: label for a, label in ACCESS_LABELS.items()},
        "organisation": {d.organisation.code: d.organisation.name for d in datasets},
    }


# The forms that send a file: the platform's body limit lets them stream up to the upload limit.
UPLOAD_ROUTES = [("POST", "/datasets/new"), ("POST", "/datasets/[^/]+/versions/new")]


def _catalogue_link(chosen: dict[str, str], key: str, value: str | None) -> str:
    """The catalogue with the filters in force, `key` set to `value` (or dropped when None):
    facets combine, so a theme chosen after an organisation keeps the organisation."""
    wanted = {**chosen, key: value or ""}
    return "/datasets?" + urlencode({k: v for k, v in wanted.items() if v}) if any(wanted.values()) else "/datasets"


@router.get("/datasets/new", response_class=HTMLResponse)
def upload_form(request: Request, actor: PageUserDep, settings: SettingsDep) -> HTMLResponse:
    return _upload_page(request, actor, settings)


def _upload_page(
    request: Request,
    actor: Actor,
    settings: Settings,
    error: str | None = None,
    status: int = 200,
    target: Dataset | None = None,
) -> HTMLResponse:
    context = {
        "themes": THEMES,
        "access_labels": ACCESS_LABELS,
        "error": error,
        "can_upload": allowed(actor, "dataset-edit", target),
        "target": target,
        "limit_mb": settings.datahub_max_upload_bytes // 1_000_000,
    }
    return render(request, "datahub/upload.html", context, status=status)


def _queued(request: Request, settings: Settings, job: IngestJob) -> RedirectResponse:
    """To the job's status page; the worker starts once the job row is committed (after the route)."""
    start = BackgroundTask(jobs.enqueue, request.app.state.database, settings, job.id)
    return RedirectResponse(f"/datasets/jobs/{job.id}", status_code=303, background=start)


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
    """Save the file and queue its ingest; the browser goes to the job's status page."""
    params = {"title": title, "theme": theme if theme in THEMES else "", "access": access.value}
    try:
        job = jobs.create(
            session=session,
            actor=actor,
            settings=settings,
            upload=file.file,
            filename=file.filename or "",
            params=params,
        )
    except MausonError as error:
        return _upload_page(request, actor, settings, error.message, error.status)
    return _queued(request, settings, job)


@router.get("/datasets/jobs/{job_id}", response_class=HTMLResponse)
def job_status(request: Request, job_id: str, session: SessionDep, actor: PageUserDep) -> Response:
    """The upload's progress, refreshed every second; once done, the dataset page with its reports."""
    job = jobs.get_or_raise(session=session, actor=actor, job_id=job_id)
    if job.status == JobStatus.DONE.value and job.dataset:
        return RedirectResponse(f"/datasets/{job.dataset}?uploaded=1", status_code=303)
    finished = job.status == JobStatus.FAILED.value
    context = {
        "job": job,
        "label": JOB_LABELS[job.status],
        "percent": int(job.progress * 100),
        "retry": f"/datasets/{job.dataset}/versions/new" if job.kind == "version" else "/datasets/new",
    }
    response = render(request, "datahub/job.html", context)
    if not finished:
        response.headers["refresh"] = str(REFRESH_SECONDS)
    return response


@router.get("/datasets/{name}/versions/new", response_class=HTMLResponse)
def version_form(
    request: Request, name: str, session: SessionDep, actor: PageUserDep, settings: SettingsDep
) -> HTMLResponse:
    dataset = service.get_visible_or_raise(session=session, actor=actor, name=name)
    return _upload_page(request, actor, settings, target=dataset)


@router.post("/datasets/{name}/versions/new", response_class=HTMLResponse, dependencies=[CsrfDep])
def upload_version(
    request: Request,
    name: str,
    session: SessionDep,
    actor: PageUserDep,
    settings: SettingsDep,
    file: Annotated[UploadFile, File()],
) -> Response:
    """A new version of an existing dataset, read in the background like a first upload."""
    dataset = service.get_visible_or_raise(session=session, actor=actor, name=name)
    try:
        job = jobs.create(
            session=session,
            actor=actor,
            settings=settings,
            upload=file.file,
            filename=file.filename or "",
            params={},
            dataset=dataset,
        )
    except MausonError as error:
        return _upload_page(request, actor, settings, error.message, error.status, target=dataset)
    return _queued(request, settings, job)


@router.get("/datasets/{name}/edit", response_class=HTMLResponse)
def edit_form(request: Request, name: str, session: SessionDep, actor: PageUserDep) -> HTMLResponse:
    dataset = service.get_visible_or_raise(session=session, actor=actor, name=name)
    ensure(actor, "dataset-edit", dataset)
    return _edit_page(request, session, dataset)


def _edit_page(
    request: Request, session: Any, dataset: Dataset, error: str | None = None, status: int = 200
) -> HTMLResponse:
    context = {
        "d": service.describe(session=session, dataset=dataset),
        "dictionaries": [resource.dictionary for resource in dataset.resources],
        "themes": THEMES,
        "licences": LICENCES,
        "error": error,
    }
    return render(request, "datahub/edit.html", context, status=status)


@router.post("/datasets/{name}/edit", response_class=HTMLResponse, dependencies=[CsrfDep])
async def edit(request: Request, name: str, session: SessionDep, actor: PageUserDep) -> Response:
    """Save the catalogue fields and the data dictionary (descriptions and units of every table)."""
    form = await request.form()
    dataset = service.get_visible_or_raise(session=session, actor=actor, name=name)
    fields = {key: str(form.get(key) or "").strip() for key in META_FIELDS}
    try:
        meta = DatasetMeta(**_meta_values(fields, dataset))
        with session.begin_nested():
            service.update_meta(session=session, actor=actor, dataset=dataset, meta=meta)
            for index, resource in enumerate(dataset.resources):
                docs = [
                    ColumnDoc(
                        name=entry.name,
                        description=str(form.get(f"desc-{index}-{position}") or ""),
                        unit=str(form.get(f"unit-{index}-{position}") or ""),
                    )
                    for position, entry in enumerate(resource.dictionary)
                    if f"desc-{index}-{position}" in form
                ]
                service.document_columns(session=session, actor=actor, dataset=dataset, docs=docs, resource=resource.id)
    except (MausonError, ValidationError) as error:
        session.refresh(dataset)
        message = error.message if isinstance(error, MausonError) else sentences(describe_all(error.errors()))
        return _edit_page(request, session, dataset, message, 422)
    return RedirectResponse(f"/datasets/{dataset.name}", status_code=303)


def _meta_values(fields: dict[str, str], dataset: Dataset) -> dict[str, Any]:
    """The form's fields as `DatasetMeta` values: a cleared field is None, tags a list."""
    values: dict[str, Any] = {key: fields[key] or None for key in CLEARABLE}
    values["title"] = fields["title"] or dataset.title
    values["description"] = fields["description"]
    values["tags"] = list(dict.fromkeys(t.strip() for t in fields["tags"].replace(";", ",").split(",") if t.strip()))
    if fields["licence"]:
        values["licence"] = fields["licence"]
    return values


def _chart(path: Path, stats: list[query.ColumnStats], dataset: Dataset) -> dict[str, Any] | None:
    choice = query.choose_chart(stats, dataset.resources[0].latest.rows, dataset.personal_columns)
    if choice is None:
        return None
    bars = query.chart_data(path, choice)
    if not bars:
        return None
    top = max(value for _, value in bars) or 1
    measure = choice.measure or "số dòng"
    return {"label": choice.axis, "measure": measure, "bars": [(name, value, value / top) for name, value in bars]}


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
    stats = query.statistics(path)
    editor = allowed(actor, "dataset-edit", dataset)
    gate = service.privacy_report(session=session, actor=actor, store=store, dataset=dataset) if editor else None
    context = {
        "d": described,
        "dataset": dataset,
        "latest": resource.latest,
        "preview": query.select_rows(path, schema=[c["name"] for c in resource.latest.columns], limit=PREVIEW_ROWS),
        "stats": stats,
        "chart": _chart(path, stats, dataset),
        "editor": editor,
        "gate": gate,
        "anonymisers": ANONYMISER_LABELS,
        "access_labels": {a.value: label for a, label in ACCESS_LABELS.items()},
        "themes": THEMES,
        "licences": LICENCES,
        "base": str(request.base_url).rstrip("/"),
        "uploaded": request.query_params.get("uploaded") == "1",
        "access_saved": _access_saved(dataset) if request.query_params.get("access_saved") == "1" else None,
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
    return RedirectResponse(f"/datasets/{dataset.name}?access_saved=1", status_code=303)


def _access_saved(dataset: Dataset) -> str:
    """What the saved access level means, in words: who may read the dataset from now on."""
    access, owner = Access(dataset.access), dataset.organisation.name
    granted = ", ".join(grant.organisation.code for grant in dataset.grants) or "chưa có: hãy nhập mã cơ quan"
    readers = {
        Access.PUBLIC: "mọi người, kể cả người chưa đăng nhập, xem và tải được",
        Access.SHARED: f"{owner} và các cơ quan được chia sẻ ({granted}) xem được đến khi hết hạn",
        Access.RESTRICTED: f"chỉ {owner} xem được",
    }
    return f"Đã lưu quyền truy cập «{ACCESS_LABELS[access]}»: {readers[access]}."


@router.post("/datasets/{name}/derivative", response_class=HTMLResponse, dependencies=[CsrfDep])
async def derivative(
    request: Request, name: str, session: SessionDep, actor: PageUserDep, settings: SettingsDep
) -> Response:
    form = await request.form()
    plan = {str(key)[4:]: Anonymiser(str(value)) for key, value in form.multi_items() if str(key).startswith("col:")}
    dataset = service.get_visible_or_raise(session=session, actor=actor, name=name, purpose="derivative")
    try:
        k = int(str(form.get("k") or 5))
        wanted = DerivativeRequest(columns=plan, k=max(2, min(k, 100)), replace_public="replace_public" in form)
        with session.begin_nested():
            derived, _ = service.make_derivative(
                session=session,
                actor=actor,
                store=service.store_for(settings),
                dataset=dataset,
                request=wanted,
                keys=keys_for(settings),
            )
    except MausonError as error:
        return _dataset_page(request, session, actor, settings, dataset, error.message, error.status)
    except ValueError:
        return _dataset_page(request, session, actor, settings, dataset, "Giá trị k phải là số nguyên.", 422)
    return RedirectResponse(f"/datasets/{derived.name}", status_code=303)
