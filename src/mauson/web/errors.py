"""One error contract: `{"error": {"code", "message"}}` for the API, the error page for people."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from mauson.errors import MausonError
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
    if path.startswith("/api/") or path.startswith("/open311/"):
        return True
    return "application/json" in request.headers.get("accept", "") and "text/html" not in request.headers.get(
        "accept", ""
    )


def error_response(request: Request, status: int, code: str, message: str, **extra: Any) -> Response:
    if wants_json(request):
        return JSONResponse(error_body(code, message, **extra), status_code=status)
    return render(request, "error.html", {"status": status, "code": code, "message": message}, status=status)


def _validation_message(exc: RequestValidationError) -> tuple[int, str, str, list[dict[str, Any]]]:
    errors = exc.errors()
    if any(e.get("type") == "json_invalid" for e in errors):
        return 400, "invalid_json", "Nội dung gửi lên không phải JSON hợp lệ.", []
    fields = [
        {"field": ".".join(str(p) for p in e.get("loc", ()) if p != "body"), "problem": e.get("msg", "")}
        for e in errors
    ]
    names = ", ".join(f["field"] for f in fields if f["field"]) or "dữ liệu"
    return 422, "invalid", f"Dữ liệu không hợp lệ ở: {names}.", fields


def install_error_handlers(app: FastAPI) -> None:
    """Map every exception the platform can raise to the one error contract."""

    @app.exception_handler(MausonError)
    async def _domain(request: Request, exc: MausonError) -> Response:
        return error_response(request, exc.status, exc.code, exc.message)

    @app.exception_handler(Redirect)
    async def _redirect(request: Request, exc: Redirect) -> Response:
        return RedirectResponse(exc.location, status_code=303)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        status, code, message, fields = _validation_message(exc)
        extra = {"fields": fields} if fields else {}
        return error_response(request, status, code, message, **extra)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        code, message = HTTP_MESSAGES.get(exc.status_code, ("http_error", str(exc.detail)))
        return error_response(request, exc.status_code, code, message)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        code, message = HTTP_MESSAGES[500]
        return error_response(request, 500, code, message)
