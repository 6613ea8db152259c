"""The CKAN-compatible Action API (`/api/3/action/...`), for CKAN clients and harvesters.

Every action answers GET (query parameters) and POST (a JSON body), in CKAN's envelope
`{"help", "success", "result"}`; a failure is `{"success": false, "error": {"__type", "message"}}`
with the platform's `code` alongside, so `ckanapi` raises its usual exceptions.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse

from mauson.datahub import ckan, query, service
from mauson.errors import Forbidden, Invalid, MausonError, NotFound, Unauthorized
from mauson.identity import service as identity
from mauson.web.deps import ActorDep, SessionDep, SettingsDep

actions = APIRouter(tags=["ckan"])
ERROR_TYPES: dict[type[MausonError], str] = {
    NotFound: "Not Found Error",
    Forbidden: "Authorization Error",
    Unauthorized: "Authorization Error",
}


async def ckan_params(request: Request) -> dict[str, Any]:
    """The action's parameters: the query string, then a JSON body (POST, or GET with a body) on top."""
    params: dict[str, Any] = dict(request.query_params)
    body = await request.body()
    if body.strip():
        try:
            data = json.loads(body)
        except json.JSONDecodeError as error:
            raise Invalid("Nội dung gửi lên không phải JSON hợp lệ.", code="invalid_json") from error
        if isinstance(data, dict):
            params.update(data)
    return params


Params = Annotated[dict[str, Any], Depends(ckan_params)]


def answer(request: Request, action: str, compute: Callable[[], Any]) -> JSONResponse:
    help_url = f"{str(request.base_url).rstrip('/')}/api/3/action/help_show?name={action}"
    try:
        result = compute()
    except MausonError as error:
        kind = ERROR_TYPES.get(type(error), "Validation Error")
        body = {
            "help": help_url,
            "success": False,
            "error": {"__type": kind, "code": error.code, "message": error.message},
        }
        return JSONResponse(body, status_code=error.status if error.status in (401, 403, 404) else 409)
    return JSONResponse({"help": help_url, "success": True, "result": result})


def _base(request: Request) -> str:
    return str(request.base_url).rstrip("/")


def _required(params: dict[str, Any], key: str) -> str:
    value = params.get(key)
    if not value:
        raise Invalid(f"Thiếu tham số '{key}'.", code="ckan.missing")
    return str(value)


def action(path: str, summary: str) -> Callable[[Callable[..., JSONResponse]], Callable[..., JSONResponse]]:
    """Register an action for GET and for POST, each with its own OpenAPI operation id."""

    def register(function: Callable[..., JSONResponse]) -> Callable[..., JSONResponse]:
        for method in ("GET", "POST"):
            operation = f"ckan_{function.__name__}_{method.lower()}"
            actions.add_api_route(path, function, methods=[method], summary=summary, operation_id=operation)
        return function

    return register


@action("/package_list", "CKAN: names of the datasets")
def package_list(request: Request, session: SessionDep, actor: ActorDep) -> JSONResponse:
    return answer(request, "package_list", lambda: [d.name for d in service.list_visible(session=session, actor=actor)])


@action("/package_show", "CKAN: one dataset with its resources")
def package_show(request: Request, params: Params, session: SessionDep, actor: ActorDep) -> JSONResponse:
    def show() -> dict[str, Any]:
        dataset = service.get_visible_or_raise(
            session=session, actor=actor, name=_required(params, "id"), purpose="ckan"
        )
        return ckan.package(dataset, _base(request))

    return answer(request, "package_show", show)


@action("/package_search", "CKAN: search with q, fq, rows, start, facet.field")
def package_search(request: Request, params: Params, session: SessionDep, actor: ActorDep) -> JSONResponse:
    return answer(
        request,
        "package_search",
        lambda: ckan.search(service.list_visible(session=session, actor=actor), params, _base(request)),
    )


@action("/organization_list", "CKAN: publishing organisations")
def organization_list(request: Request, params: Params, session: SessionDep, actor: ActorDep) -> JSONResponse:
    def organisations() -> list[Any]:
        publishing = {d.organisation.code for d in service.list_visible(session=session, actor=actor)}
        found = [o for o in identity.list_organisations(session=session) if o.code in publishing]
        if str(params.get("all_fields", "")).lower() in ("true", "1"):
            return [{"id": o.code, "name": o.code, "title": o.name, "type": "organization"} for o in found]
        return [o.code for o in found]

    return answer(request, "organization_list", organisations)


@action("/datastore_search", "CKAN: rows of a resource")
def datastore_search(
    request: Request, params: Params, session: SessionDep, actor: ActorDep, settings: SettingsDep
) -> JSONResponse:
    def search() -> dict[str, Any]:
        resource_id = _required(params, "resource_id")
        resource = service.get_resource_or_raise(
            session=session, actor=actor, resource_id=resource_id, purpose="datastore"
        )
        limit, offset = ckan.integer(params, "limit", 100, ckan.MAX_ROWS), ckan.integer(params, "offset", 0, 1 << 31)
        wanted = ckan.as_list(params.get("fields"))
        columns = [c.strip() for item in wanted for c in item.split(",") if c.strip()] or None
        found = service.read_rows(
            store=service.store_for(settings),
            dataset=resource.dataset,
            resource=resource.id,
            columns=columns,
            filters=ckan.datastore_filters(params),
            sort=ckan.datastore_sort(params),
            search=str(params["q"]) if params.get("q") else None,
            limit=limit,
            offset=offset,
        )
        types = {c["name"]: c for c in resource.latest.columns}
        return {
            "resource_id": resource.id,
            "fields": ckan.fields([types[name] for name in found.columns]),
            "records": [dict(zip(found.columns, row, strict=True)) for row in found.rows],
            "total": found.total,
            "limit": limit,
            "offset": offset,
        }

    return answer(request, "datastore_search", search)


@action("/datastore_search_sql", "CKAN: read-only SQL over resources")
def datastore_search_sql(
    request: Request, params: Params, session: SessionDep, actor: ActorDep, settings: SettingsDep
) -> JSONResponse:
    def search_sql() -> dict[str, Any]:
        sql = _required(params, "sql")
        store = service.store_for(settings)
        views = {}
        for resource_id in ckan.tables_in(sql):
            resource = service.get_resource_or_raise(
                session=session, actor=actor, resource_id=resource_id, purpose="sql"
            )
            views[resource_id] = store.path(resource.latest.sha256)
        found = query.run_sql(views, sql, max_rows=ckan.MAX_ROWS)
        return {
            "sql": sql,
            "fields": [{"id": name} for name in found.columns],
            "records": [dict(zip(found.columns, row, strict=True)) for row in found.rows],
        }

    return answer(request, "datastore_search_sql", search_sql)


# CKAN serves the same actions at /api/3/action (documented) and /api/action (what `ckanapi` calls).
router = APIRouter()
router.include_router(actions, prefix="/api/3/action")
router.include_router(actions, prefix="/api/action", include_in_schema=False)
