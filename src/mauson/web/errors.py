"""One error contract: `{"error": {"code", "message"}}` for the API, the error page for people."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from mauson.errors import MausonError, TooManyRequests
from mauson.web import validation
from mauson.web.deps import Redirect
from mauson.web.templates import render

log = logging.getLogger("mauson")

HTTP_MESSAGES: dict[int, tuple[str, str]] = {
    400: ("bad_request", "Yêu cầu không hợp lệ."),
    401: ("unauthorized", "Bạn cần đăng nhập."),
    403: ("forbidden", "Bạn không có quyền truy cập."),
    404: ("not_found", "Không tìm thấy trang hoặc tài nguyên này."),
    405: ("method_not_allowed", "Phương thức HTTP này không được hỗ trợ ở đây."),
    413: ("too_large", "Dữ liệu gửi lên quá lớn."),
    500: ("internal", "Lỗi hệ thống. Xin thử lại sau; nếu vẫn lỗi, hãy báo quản trị viên."),
}


def error_body(code: str, message: str, **extra: Any) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, **extra}}


def wants_json(request: Request) -> bool:
    path = request.url.path
    if path.startswith("/api/") or path.startswith(OPEN311_PREFIX):
        return True
    return "application/json" in request.headers.get("accept", "") and "text/html" not in request.headers.get(
        "accept", ""
    )


OPEN311_PREFIX = "/open311/"


def open311_response(status: int, description: str, error: MausonError | None = None) -> JSONResponse:
    """An error as Open311 GeoReport v2 clients read it: a list of `{"code", "description"}`. Open311
    has no 422: input it refuses is a 400 to its clients."""
    status = 400 if status == 422 else status
    body = [{"code": status, "description": description}]
    return JSONResponse(body, status_code=status, headers=error_headers(status, error))


def error_headers(status: int, error: MausonError | None = None) -> dict[str, str]:
    """The headers an error response owes a program (RFC 9110): a 401 names the scheme that would
    be accepted (the API's tokens are Bearer tokens); a 429 says when to try again, if known."""
    headers = {"WWW-Authenticate": 'Bearer realm="mauson"'} if status == 401 else {}
    if isinstance(error, TooManyRequests) and error.retry_after is not None:
        headers["Retry-After"] = str(error.retry_after)
    return headers


def error_response(
    request: Request,
    status: int,
    code: str,
    message: str,
    *,
    retry: str | None = None,
    error: MausonError | None = None,
    **extra: Any,
) -> Response:
    """The error body for a program, the error page for a person (with `retry`, a link back);
    under /open311/ Open311's own shape, also for what is refused before any route runs (a body
    too large, an id past what a record holds, an address no route serves)."""
    if request.url.path.startswith(OPEN311_PREFIX):
        return open311_response(status, message, error)
    if wants_json(request):
        return JSONResponse(
            error_body(code, message, **extra), status_code=status, headers=error_headers(status, error)
        )
    page = error_page(request, status, code, message, retry)
    page.headers.update(error_headers(status, error))
    return page


def error_page(request: Request, status: int, code: str, message: str, retry: str | None = None) -> Response:
    """The error page, inside the site's layout; `retry` is a link that should work instead."""
    context = {"status": status, "code": code, "message": message, "retry": retry}
    return render(request, "error.html", context, status=status)


def validation_response(request: Request, exc: RequestValidationError) -> Response:
    """A request FastAPI could not read: one Vietnamese sentence per problem for people;
    for the API, the same sentences beside pydantic's own `type` and `loc` for programs."""
    problems = validation.describe_all(exc.errors())
    if any(problem.type == "json_invalid" for problem in problems):
        return error_response(request, 400, "invalid_json", "Nội dung gửi lên không phải JSON hợp lệ.")
    message = validation.sentences(problems)
    if wants_json(request):
        fields = [{"field": p.field, "problem": p.sentence, "type": p.type, "loc": list(p.loc)} for p in problems]
        return JSONResponse(error_body("invalid", message, fields=fields), status_code=422)
    in_path = next((problem for problem in problems if problem.source == "path"), None)
    if in_path is not None:
        return error_page(request, 404, "not_found", _not_found(in_path))
    return error_page(request, 422, "invalid", message, _without_bad_values(request, problems))


def _not_found(problem: validation.Problem) -> str:
    """An address whose id cannot exist (`/petitions/abc`) names a record that is not there."""
    thing = validation.PATH_THINGS.get(problem.name)
    if thing is None:
        return HTTP_MESSAGES[404][1]
    return f"Không tìm thấy {thing} «{problem.value}». Hãy kiểm tra lại địa chỉ."


def _without_bad_values(request: Request, problems: list[validation.Problem]) -> str | None:
    """The same page with the wrong query values left out, so the reader is one click from it."""
    names = [problem.name for problem in problems if problem.source == "query"]
    if request.method != "GET" or not names:
        return None
    url = request.url.remove_query_params(names)
    return f"{url.path}?{url.query}" if url.query else url.path


def install_error_handlers(app: FastAPI) -> None:
    """Map every exception the platform can raise to the one error contract."""

    @app.exception_handler(MausonError)
    async def _domain(request: Request, exc: MausonError) -> Response:
        return error_response(request, exc.status, exc.code, exc.message, error=exc)

    @app.exception_handler(Redirect)
    async def _redirect(request: Request, exc: Redirect) -> Response:
        return RedirectResponse(exc.location, status_code=303)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        return validation_response(request, exc)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        code, message = HTTP_MESSAGES.get(exc.status_code, ("http_error", str(exc.detail)))
        return error_response(request, exc.status_code, code, message)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        code, message = HTTP_MESSAGES[500]
        return error_response(request, 500, code, message)
