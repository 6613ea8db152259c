"""ASGI middleware: refuse oversize bodies before any route reads them; security headers."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Sequence

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mauson.web.errors import error_response, wants_json
from mauson.web.templates import file_size

TOO_LARGE = "Dữ liệu gửi lên quá lớn (tối đa {limit}). Hãy gửi tệp nhỏ hơn hoặc chia nhỏ dữ liệu."
# For people: the page they sent from still holds what they wrote, one step back; the link to the
# form opens it empty (a phone's photo over a form's limit had lost a whole petition this way).
TOO_LARGE_PAGE = (
    TOO_LARGE + " Bấm nút Quay lại của trình duyệt để giữ nội dung đã viết, rồi bỏ bớt hoặc thu nhỏ tệp đính kèm."
)

SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
    (b"content-security-policy", b"default-src 'self'; img-src 'self' data:; frame-ancestors 'none'"),
]

DOCS_HEADERS = [
    *SECURITY_HEADERS[:3],
    (b"content-security-policy", b"default-src 'self'; script-src 'self' 'unsafe-inline'; img-src 'self' data:"),
]


Upload = tuple[str, str, int]  # (method, path pattern matched whole, body limit in bytes)


class _BodyTooLarge(Exception):
    """Raised from `receive` when a streamed body passes its route's limit."""


class BodyLimitMiddleware:
    """Answer 413 when a request body is larger than `max_bytes`.

    A declared Content-Length is checked up front (the server never delivers more than
    it declares); a body without one is read up to the limit before the route runs, so
    nothing oversize reaches a route or the database. `uploads` names the routes (method, path
    pattern, limit) that take files, such as dataset uploads: they have a limit of their own and
    get their body streamed as it arrives, counted, so they must write it to a file, not memory.
    """

    def __init__(self, app: ASGIApp, max_bytes: int, uploads: Sequence[Upload] = ()) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.uploads = [(method, re.compile(pattern), limit) for method, pattern, limit in uploads]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is None or not declared.isdigit() or int(declared) > self.max_bytes:
            route_limit = self._upload_limit(scope)
            if route_limit is not None and route_limit > self.max_bytes:
                await self._stream_limited(scope, receive, send, route_limit, declared)
                return
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
            await self._refuse(scope, receive, send)
            return
        if declared is not None:
            await self.app(scope, receive, send)
            return
        await self._buffer_then_call(scope, receive, send)

    def _upload_limit(self, scope: Scope) -> int | None:
        """The limit of the upload route this request goes to, if it goes to one."""
        for method, pattern, limit in self.uploads:
            if scope["method"] == method and pattern.fullmatch(scope["path"]):
                return limit
        return None

    async def _buffer_then_call(self, scope: Scope, receive: Receive, send: Send) -> None:
        buffered: list[Message] = []
        size = 0
        while True:  # a body without Content-Length: read it up to the limit first
            message = await receive()
            buffered.append(message)
            if message["type"] != "http.request":
                break
            size += len(message.get("body", b""))
            if size > self.max_bytes:
                await self._refuse(scope, receive, send)
                return
            if not message.get("more_body", False):
                break

        async def replay() -> Message:
            return buffered.pop(0) if buffered else await receive()

        await self.app(scope, replay, send)

    async def _stream_limited(
        self, scope: Scope, receive: Receive, send: Send, limit: int, declared: bytes | None
    ) -> None:
        """Pass the body through as it arrives, counting; past `limit`, stop the route and answer 413."""
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            await self._refuse(scope, receive, send, limit)
            return
        state = {"size": 0, "over": False, "started": False}

        async def counted() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                state["size"] += len(message.get("body", b""))
                if state["size"] > limit:
                    state["over"] = True
                    raise _BodyTooLarge
            return message

        async def guarded(message: Message) -> None:
            if state["over"] and not state["started"]:
                return  # the route's own answer to the cut-off body is replaced by the 413 below
            state["started"] = True
            await send(message)

        with contextlib.suppress(_BodyTooLarge):
            await self.app(scope, counted, guarded)
        if state["over"] and not state["started"]:
            await self._refuse(scope, receive, send, limit)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send, limit: int | None = None) -> None:
        """The platform's one error answer, before any route ran: JSON for the API, the error page
        (with a way back to the form) for people."""
        request = Request(scope)
        template = TOO_LARGE if wants_json(request) else TOO_LARGE_PAGE
        message = template.format(limit=file_size(limit or self.max_bytes))
        response = error_response(request, 413, "too_large", message, retry=request.url.path)
        await response(scope, receive, send)


# The largest id a record can have: ids are PostgreSQL INTEGERs (SQLite's hold more). A larger
# number in an address, or in a query's id, offset or page, names no record, and reaching the
# database it raised an overflow (HTTP 500). Other query values may be long numbers (a CCCD searched for).
LARGEST_ID = 2**31 - 1
_DIGITS = re.compile(r"\d{10,}")
_COUNTED = re.compile(r"(?:.*_)?(?:id|offset|limit|page)")


class NumberRangeMiddleware:
    """Answer a number no record can have before any route runs: 404 for an address
    ("/petitions/9223372036854775808": there is no such record), 422 for a query value."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            request = Request(scope)
            if any(_too_large(part) for part in scope["path"].split("/")):
                response = error_response(request, 404, "not_found", "Không tìm thấy: số trong địa chỉ quá lớn.")
                await response(scope, receive, send)
                return
            name = next(
                (
                    key
                    for key, value in request.query_params.multi_items()
                    if _COUNTED.fullmatch(key) and _too_large(value)
                ),
                None,
            )
            if name is not None:
                message = f"Giá trị của «{name}» quá lớn (tối đa {LARGEST_ID})."
                await error_response(request, 422, "invalid", message)(scope, receive, send)
                return
        await self.app(scope, receive, send)


def _too_large(value: str) -> bool:
    value = value.strip().lstrip("+-")
    return _DIGITS.fullmatch(value) is not None and int(value) > LARGEST_ID


class SecurityHeadersMiddleware:
    """Add headers that stop framing, MIME sniffing and third-party scripts on every response.

    Swagger UI (`/api/docs`) starts itself with an inline script, so that one page gets
    a policy that allows inline scripts (still none from other sites).
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        headers = DOCS_HEADERS if scope["path"] == "/api/docs" else SECURITY_HEADERS

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {name for name, _ in message.get("headers", [])}
                extra = [(n, v) for n, v in headers if n not in names]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, send_with_headers)
