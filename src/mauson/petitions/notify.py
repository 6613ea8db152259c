"""Pushing an emergency to the duty agency: a JSON webhook or an e-mail over SMTP.

Targets live in the database (`PetitionNotifier`), one or more per agency, so an agency changes
its duty phone's webhook or its mailbox without a restart. The alert carries the text with who the
people are masked (not what happened to them: `alerts.ALERTED_AROUND`) and the labels, never the
sender's contact: a chat room or a mailbox is not the place for them.
Sending is plain standard library (`urllib`, `smtplib`) with a short timeout; each attempt's
outcome is kept on the alert, so the dashboard shows who was reached.
"""

from __future__ import annotations

import ipaddress
import json
import re
import smtplib
import socket
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any
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


MAILBOX = re.compile(r"[^\s@<>,;\"]+@[^\s@<>,;\"]+")  # one plain address: no line breaks, no second recipient


def check_target(kind: str, target: str, *, internal: bool = False) -> None:
    """Refuse a target that cannot be sent to, before it is stored.

    Unless `internal` (administrators, who may run the receiver next to the server), the target's
    host must be on the Internet: an agency's notifier is no way to reach the server's own
    loopback, the private network or the cloud's metadata address (SSRF).
    """
    parts = urlsplit(target)
    if kind == "webhook" and (parts.scheme not in ("http", "https") or not parts.netloc):
        raise Invalid("Webhook phải là địa chỉ http:// hoặc https://.", code="petitions.notifier_target")
    if kind == "email":
        recipient, sender = _mailboxes(target)
        if parts.scheme != "smtp" or not parts.hostname or not all(map(MAILBOX.fullmatch, (recipient, sender))):
            raise Invalid(
                "Thư điện tử phải có dạng smtp://máy-chủ:cổng/người-nhận@cơ-quan.gov.vn.",
                code="petitions.notifier_target",
            )
    if not internal and not _on_the_internet(parts.hostname or ""):
        raise Invalid(
            f"Máy '{(parts.hostname or '')[:80]}' không phải địa chỉ công khai trên Internet: "
            "chỉ quản trị hệ thống mới đặt được nơi nhận trong mạng nội bộ.",
            code="petitions.notifier_internal",
        )


def _on_the_internet(host: str) -> bool:
    """Whether every address `host` names is a global one (an unknown name is not)."""
    try:
        found = {info[4][0] for info in socket.getaddrinfo(host, None)}
    except (OSError, UnicodeError):
        return False
    return bool(found) and all(ipaddress.ip_address(str(address).split("%")[0]).is_global for address in found)


def _mailboxes(target: str) -> tuple[str, str]:
    """(recipient, sender) of an smtp:// target."""
    parts = urlsplit(target)
    return parts.path.lstrip("/"), parse_qs(parts.query).get("from", [SENDER])[0]


def send(kind: str, target: str, message: AlertMessage, *, internal: bool) -> tuple[bool, str]:
    """Deliver `message`; (delivered, what happened) — never raises for a receiver's failure.

    The target is checked again as when it was stored (`check_target`): a name that pointed to the
    Internet then may point to the server's own network now.
    """
    try:
        check_target(kind, target, internal=internal)
    except Invalid as refused:
        return False, refused.message
    try:
        if kind == "webhook":
            return True, _post(target, message)
        return True, _mail(target, message)
    except (OSError, ValueError, smtplib.SMTPException, urllib.error.URLError) as error:
        return False, f"{type(error).__name__}: {error}"[:300]


def _post(url: str, message: AlertMessage) -> str:
    body = json.dumps({"event": "petition.emergency", **asdict(message)}, ensure_ascii=False).encode()
    # The scheme was checked to be http(s) when the notifier was stored (`check_target`).
    request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"}, method="POST")  # noqa: S310
    with _NO_REDIRECTS.open(request, timeout=TIMEOUT_SECONDS) as response:
        return f"HTTP {response.status}"


class _Refuse(urllib.request.HTTPRedirectHandler):
    """A webhook is answered where it was registered: a redirect could point anywhere (SSRF)."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_NO_REDIRECTS = urllib.request.build_opener(_Refuse)


def _mail(target: str, message: AlertMessage) -> str:
    parts = urlsplit(target)
    recipient, sender = _mailboxes(target)
    email = EmailMessage()
    email["Subject"] = f"[KHẨN CẤP] Phản ánh #{message.petition_id}: {message.category}"
    email["From"], email["To"] = sender, recipient
    email["Date"] = formatdate(localtime=True)  # mail servers mark a message without them as spam
    email["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    place = message.commune or "chưa xác định"
    email.set_content(
        f"Phản ánh khẩn cấp #{message.petition_id} tại {place}.\n\n{message.text}\n\nXử lý: {message.url}\n"
    )
    with smtplib.SMTP(parts.hostname or "localhost", parts.port or 25, timeout=TIMEOUT_SECONDS) as smtp:
        smtp.send_message(email)
    return f"gửi tới {recipient}"
