"""ASGI middleware: refuse oversize bodies before any route reads them; security headers."""

from __future__ import annotations

import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send

TOO_LARGE = "Dữ liệu gửi lên quá lớn (tối đa {limit} byte). Hãy gửi tệp nhỏ hơn hoặc chia nhỏ dữ liệu."

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


class BodyLimitMiddleware:
    """Answer 413 when a request body is larger than `max_bytes`.

    A declared Content-Length is checked up front (the server never delivers more than
    it declares); a body without one is read up to the limit before the route runs, so
    nothing oversize reaches a route or the database.
    """

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
            await self._refuse(send)
            return
        if declared is not None:
            await self.app(scope, receive, send)
            return
        buffered: list[Message] = []
        size = 0
        while True:  # a body without Content-Length: read it up to the limit first
            message = await receive()
            buffered.append(message)
            if message["type"] != "http.request":
                break
            size += len(message.get("body", b""))
            if size > self.max_bytes:
                await self._refuse(send)
                return
            if not message.get("more_body", False):
                break

        async def replay() -> Message:
            return buffered.pop(0) if buffered else await receive()

        await self.app(scope, replay, send)

    async def _refuse(self, send: Send) -> None:
        body = json.dumps(
            {"error": {"code": "too_large", "message": TOO_LARGE.format(limit=self.max_bytes)}}, ensure_ascii=False
        ).encode()
        headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
        await send({"type": "http.response.start", "status": 413, "headers": headers})
        await send({"type": "http.response.body", "body": body})


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
