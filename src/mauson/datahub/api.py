"""JSON API of the data hub under /api/v1 (catalogue, upload, access, privacy gate, queries,
downloads, DCAT-AP), plus the CKAN-compatible Action API under /api/3 (`ckan_api.py`)."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, JSONResponse, StreamingResponse
from starlette.background import BackgroundTask

from mauson.datahub import ckan_api, dcat, query, service
from mauson.datahub.ingest import too_large
from mauson.datahub.models import (
    Access,
    AccessChange,
    DatasetMeta,
    DatasetRead,
    DatasetSummary,
    DerivativeRequest,
    DictionaryUpdate,
    RowsRead,
    SqlRequest,
)
from mauson.identity.actions import ensure
from mauson.privacy.service import keys_for
from mauson.web.deps import ActorDep, SessionDep, SettingsDep

v1 = APIRouter(prefix="/api/v1", tags=["datahub"])
RESERVED = {"columns", "sort", "q", "limit", "offset", "resource", "version"}
MEDIA = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "parquet": "application/vnd.apache.parquet",
}


# The routes that take a file: the platform's body limit lets them stream up to the upload limit.
UPLOAD_ROUTES = [("POST", "/api/v1/datasets"), ("POST", "/api/v1/datasets/[^/]+/versions")]


async def spool(request: Request, folder: Path, limit: int) -> Path:
    """The raw request body streamed to disk, never held in memory; refused past `limit` bytes
    (the body-size middleware stops it too: this keeps the route safe on its own)."""
    target = folder / "upload"
    size = 0
    with target.open("wb") as handle:
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                raise too_large(limit)
            handle.write(chunk)
    return target


@v1.get("/datasets", response_model=list[DatasetSummary], summary="The catalogue (what the caller may see)")
def list_datasets(
    session: SessionDep,
    actor: ActorDep,
    q: Annotated[str | None, Query(max_length=200)] = None,
    theme: str | None = None,
    organisation: str | None = None,
    format: str | None = None,
    access: Access | None = None,
) -> list[DatasetSummary]:
    filters = service.CatalogueFilters(q, theme, organisation, format, access.value if access else None)
    return [service.summary(d) for d in service.list_visible(session=session, actor=actor, filters=filters)]


@v1.post("/datasets", response_model=DatasetRead, status_code=201, summary="Upload a file as a new dataset")
async def upload_dataset(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    settings: SettingsDep,
    title: Annotated[str, Query(max_length=300)] = "",
    filename: Annotated[str, Query(max_length=300)] = "upload",
    organisation: str | None = None,
    access: Access = Access.RESTRICTED,
) -> DatasetRead:
    """The body is the file itself (CSV, XLSX, JSON or Parquet, detected from its content)."""
    ensure(actor, "dataset-edit")  # before a byte reaches the disk
    store = service.store_for(settings)
    with tempfile.TemporaryDirectory() as folder:
        source = await spool(request, Path(folder), settings.datahub_max_upload_bytes)
        tables = await run_in_threadpool(
            service.prepare, store=store, source=source, filename=filename, max_bytes=settings.datahub_max_upload_bytes
        )
    dataset = service.create_dataset(
        session=session,
        actor=actor,
        tables=tables,
        title=title or Path(filename).stem,
        organisation_code=organisation,
        access=access,
    )
    return service.describe(session=session, dataset=dataset)


@v1.get("/datasets/{name}", response_model=DatasetRead, summary="One dataset: metadata, tables, versions")
def get_dataset(name: str, session: SessionDep, actor: ActorDep) -> DatasetRead:
    dataset = service.get_visible_or_raise(session=session, actor=actor, name=name, purpose="api")
    return service.describe(session=session, dataset=dataset)


@v1.patch("/datasets/{name}", response_model=DatasetRead, summary="Edit the catalogue fields")
def update_dataset(name: str, meta: DatasetMeta, session: SessionDep, actor: ActorDep) -> DatasetRead:
    dataset = service.get_visible_or_raise(session=session, actor=actor, name=name)
    service.update_meta(session=session, actor=actor, dataset=dataset, meta=meta)
    return service.describe(session=session, dataset=dataset)


@v1.put("/datasets/{name}/dictionary", response_model=DatasetRead, summary="Describe columns (data dictionary)")
def document(name: str, data: DictionaryUpdate, session: SessionDep, actor: ActorDep) -> DatasetRead:
    dataset = service.get_visible_or_raise(session=session, actor=actor, name=name)
    service.document_columns(session=session, actor=actor, dataset=dataset, docs=data.columns, resource=data.resource)
    return service.describe(session=session, dataset=dataset)


@v1.post("/datasets/{name}/versions", response_model=DatasetRead, status_code=201, summary="Upload a new version")
async def upload_version(
    name: str,
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    settings: SettingsDep,
    filename: Annotated[str, Query(max_length=300)] = "upload",
) -> DatasetRead:
    dataset = service.get_visible_or_raise(session=session, actor=actor, name=name)
    ensure(actor, "dataset-edit", dataset)
    store = service.store_for(settings)
    with tempfile.TemporaryDirectory() as folder:
        source = await spool(request, Path(folder), settings.datahub_max_upload_bytes)
        tables = await run_in_threadpool(
            service.prepare, store=store, source=source, filename=filename, max_bytes=settings.datahub_max_upload_bytes
        )
    service.add_version(session=session, actor=actor, dataset=dataset, tables=tables)
    return service.describe(session=session, dataset=dataset)


@v1.put("/datasets/{name}/access", response_model=DatasetRead, summary="Publish, share or restrict")
def change_access(name: str, change: AccessChange, session: SessionDep, actor: ActorDep) -> DatasetRead:
    dataset = service.get_visible_or_raise(session=session, actor=actor, name=name)
    service.set_access(session=session, actor=actor, dataset=dataset, change=change)
    return service.describe(session=session, dataset=dataset)


@v1.get("/datasets/{name}/privacy", summary="Privacy report: personal columns, k-anonymity (editors)")
def privacy(
    name: str, session: SessionDep, actor: ActorDep, settings: SettingsDep, resource: str | None = None
) -> dict[str, Any]:
    dataset = service.get_visible_or_raise(session=session, actor=actor, name=name, purpose="privacy")
    view = service.privacy_report(
        session=session, actor=actor, store=service.store_for(settings), dataset=dataset, resource=resource
    )
    k = {"quasi_identifiers": view.k.quasi, "k": view.k.k, "groups": view.k.groups, "rows": view.k.rows}
    return {
        "resource": view.resource,
        "columns": view.columns,
        "k_anonymity": k,
        "proposed": view.plan,
        "derivatives": view.derivatives,
        "anonymisation": view.anonymisation,
    }


@v1.post("/datasets/{name}/derivative", response_model=DatasetRead, status_code=201, summary="Make the anonymised copy")
def derivative(
    name: str, data: DerivativeRequest, session: SessionDep, actor: ActorDep, settings: SettingsDep
) -> DatasetRead:
    dataset = service.get_visible_or_raise(session=session, actor=actor, name=name, purpose="derivative")
    derived, _ = service.make_derivative(
        session=session,
        actor=actor,
        store=service.store_for(settings),
        dataset=dataset,
        request=data,
        keys=keys_for(settings),
    )
    return service.describe(session=session, dataset=derived)


@v1.get(
    "/datasets/{name}/rows", response_model=RowsRead, summary="Rows: filters (col=, col__gt=...), sort, columns, pages"
)
def rows(
    name: str,
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    settings: SettingsDep,
    columns: Annotated[str | None, Query(description="Cột cần lấy, cách nhau bởi dấu phẩy")] = None,
    sort: Annotated[str | None, Query(description="Sắp xếp, ví dụ -dan_so,ten (dấu trừ: giảm dần)")] = None,
    q: Annotated[str | None, Query(max_length=200, description="Tìm trong mọi cột")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
    resource: str | None = None,
    version: int | None = None,
) -> RowsRead:
    dataset = service.get_visible_or_raise(session=session, actor=actor, name=name, purpose="rows")
    found = service.read_rows(
        store=service.store_for(settings),
        dataset=dataset,
        resource=resource,
        version=version,
        columns=[c.strip() for c in columns.split(",")] if columns else None,
        filters=service.parse_filters([(k, v) for k, v in request.query_params.multi_items() if k not in RESERVED]),
        sort=service.parse_sort(sort),
        search=q,
        limit=limit,
        offset=offset,
    )
    return RowsRead(columns=found.columns, rows=found.rows, total=found.total)


@v1.post("/datasets/{name}/sql", response_model=RowsRead, summary="Read-only SQL (DuckDB) over this dataset's tables")
def sql(name: str, data: SqlRequest, session: SessionDep, actor: ActorDep, settings: SettingsDep) -> RowsRead:
    dataset = service.get_visible_or_raise(session=session, actor=actor, name=name, purpose="sql")
    found = service.run_sql(store=service.store_for(settings), dataset=dataset, sql=data.sql, limit=data.limit)
    return RowsRead(columns=found.columns, rows=found.rows, total=None, truncated=found.truncated)


@v1.get("/datasets/{name}/download", summary="Download a table as CSV, XLSX, Parquet or JSON", response_model=None)
def download(
    name: str,
    session: SessionDep,
    actor: ActorDep,
    settings: SettingsDep,
    format: Literal["csv", "xlsx", "parquet", "json"] = "csv",
    resource: str | None = None,
    version: int | None = None,
) -> StreamingResponse | FileResponse:
    dataset = service.get_visible_or_raise(session=session, actor=actor, name=name, purpose=f"download.{format}")
    chosen = service.version_or_raise(service.resource_or_raise(dataset, resource), version)
    path = service.store_for(settings).path(chosen.sha256)
    filename = f"{dataset.name}.{format}"
    headers = {"content-disposition": f'attachment; filename="{filename}"'}
    if format == "parquet":
        return FileResponse(path, media_type=MEDIA[format], filename=filename)
    if format == "xlsx":
        folder = tempfile.mkdtemp()
        target = Path(folder) / filename
        query.write_xlsx(path, target)
        cleanup = BackgroundTask(shutil.rmtree, folder, ignore_errors=True)
        return FileResponse(target, media_type=MEDIA[format], filename=filename, background=cleanup)
    body: Iterator[bytes] = query.iter_csv(path) if format == "csv" else query.iter_json(path)
    return StreamingResponse(body, media_type=MEDIA[format], headers=headers)


@v1.get("/catalog.jsonld", summary="The catalogue as DCAT-AP (JSON-LD)")
def catalog(request: Request, session: SessionDep, actor: ActorDep) -> JSONResponse:
    datasets = service.list_visible(session=session, actor=actor)
    body = dcat.catalog(datasets, base=str(request.base_url).rstrip("/"))
    return JSONResponse(body, media_type="application/ld+json")


@v1.get("/datasets/{name}/dcat.jsonld", summary="One dataset as DCAT-AP (JSON-LD)")
def dataset_dcat(name: str, request: Request, session: SessionDep, actor: ActorDep) -> JSONResponse:
    dataset = service.get_visible_or_raise(session=session, actor=actor, name=name)
    body = {"@context": dcat.CONTEXT, **dcat.dataset(dataset, base=str(request.base_url).rstrip("/"))}
    return JSONResponse(body, media_type="application/ld+json")


router = APIRouter()
router.include_router(v1)
router.include_router(ckan_api.router)
