"""Pushing an emergency to the duty agency: a JSON webhook or an e-mail over SMTP.

Targets live in the database (`PetitionNotifier`), one or more per agency, so an agency changes
its duty phone's webhook or its mailbox without a restart. The alert carries the masked text and
the labels, never the sender's contact: a chat room or a mailbox is not the place for them.
Sending is plain standard library (`urllib`, `smtplib`) with a short timeout; each attempt's
outcome is kept on the alert, so the dashboard shows who was reached.
"""

from __future__ import annotations

import json
import smtplib
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass
from email.message import EmailMessage
from urllib.parse import parse_qs, urlsplit

from mauson.errors import Invalid

TIMEOUT_SECONDS = 5
SENDER = "mauson@localhost"


@dataclass(frozen=True)
class AlertMessage:
    petition_id: int
    category: str
    urgency: str
    commune: str | None
    agency: str
    text: str  # masked
    url: str  # path of the officers' page


def check_target(kind: str, target: str) -> None:
    """Refuse a target that cannot be sent to, before it is stored."""
    parts = urlsplit(target)
    if kind == "webhook" and (parts.scheme not in ("http", "https") or not parts.netloc):
        raise Invalid("Webhook phải là địa chỉ http:// hoặc https://.", code="petitions.notifier_target")
    if kind == "email" and (parts.scheme != "smtp" or not parts.hostname or "@" not in parts.path):
        raise Invalid(
            "Thư điện tử phải có dạng smtp://máy-chủ:cổng/người-nhận@cơ-quan.gov.vn.", code="petitions.notifier_target"
        )


def send(kind: str, target: str, message: AlertMessage) -> tuple[bool, str]:
    """Deliver `message`; (delivered, what happened) — never raises for a receiver's failure."""
    try:
        if kind == "webhook":
            return True, _post(target, message)
        return True, _mail(target, message)
    except (OSError, smtplib.SMTPException, urllib.error.URLError) as error:
        return False, f"{type(error).__name__}: {error}"[:300]


def _post(url: str, message: AlertMessage) -> str:
    body = json.dumps({"event": "petition.emergency", **asdict(message)}, ensure_ascii=False).encode()
    # The scheme was checked to be http(s) when the notifier was stored (`check_target`).
    request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"}, method="POST")  # noqa: S310
    with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
        return f"HTTP {response.status}"


def _mail(target: str, message: AlertMessage) -> str:
    parts = urlsplit(target)
    recipient = parts.path.lstrip("/")
    sender = parse_qs(parts.query).get("from", [SENDER])[0]
    email = EmailMessage()
    email["Subject"] = f"[KHẨN CẤP] Phản ánh #{message.petition_id}: {message.category}"
    email["From"], email["To"] = sender, recipient
    place = message.commune or "chưa xác định"
    email.set_content(
        f"Phản ánh khẩn cấp #{message.petition_id} tại {place}.\n\n{message.text}\n\nXử lý: {message.url}\n"
    )
    with smtplib.SMTP(parts.hostname or "localhost", parts.port or 25, timeout=TIMEOUT_SECONDS) as smtp:
        smtp.send_message(email)
    return f"gửi tới {recipient}"
