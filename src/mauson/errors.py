"""The platform's errors: a stable machine code, a Vietnamese message, an HTTP status.

Services raise these; the web layer turns them into `{"error": {"code", "message"}}`
(API) or the error page (HTML), and the CLI into one line on stderr. Messages are
written for the person who will read them: say what went wrong and what to do next.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime


class MausonError(Exception):
    """Base class: `code` is stable (clients branch on it), `message` is for people."""

    status: int = 400
    default_code: str = "error"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code or self.default_code


class Invalid(MausonError):
    """The input cannot be used as given (bad value, malformed file, wrong format)."""

    status = 422
    default_code = "invalid"


class Unauthorized(MausonError):
    """No valid credentials: log in, or send a valid API token."""

    status = 401
    default_code = "unauthorized"


class Forbidden(MausonError):
    """Credentials are valid but do not allow this action."""

    status = 403
    default_code = "forbidden"


class NotFound(MausonError):
    """The record does not exist, or the actor may not know that it exists."""

    status = 404
    default_code = "not_found"


class Conflict(MausonError):
    """The request clashes with the current state (a duplicate name, a revoked token)."""

    status = 409
    default_code = "conflict"


class TooLarge(MausonError):
    """The request body exceeds the configured limit."""

    status = 413
    default_code = "too_large"


class TooManyRequests(MausonError):
    """Too many attempts in a short time (for example failed logins): wait and retry. `until` is
    when a retry may pass; `retry_after`, the whole seconds until then, is sent as the Retry-After
    header (RFC 9110) for programs that back off."""

    status = 429
    default_code = "too_many_requests"

    def __init__(self, message: str, *, code: str | None = None, until: datetime | None = None) -> None:
        super().__init__(message, code=code)
        seconds = None if until is None else (until - datetime.now(UTC)).total_seconds()
        self.retry_after = None if seconds is None else max(1, math.ceil(seconds))
