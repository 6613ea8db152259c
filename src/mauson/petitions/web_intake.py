"""Web glue the three ways in (the JSON API, Open311 and the web form) share around the services:
the sender's rate-limit key read from the request, and the emergency push scheduled to run once the
request has committed. It needs FastAPI's request and background tasks, so it is a web module, beside
`api.py` and `pages.py`; the intake itself (`intake.submit()`) knows nothing of the web."""

from __future__ import annotations

from fastapi import BackgroundTasks, Request
from sqlalchemy.orm import Session

from mauson.db import Database
from mauson.identity.models import Actor
from mauson.petitions import alerts, intake
from mauson.settings import Settings
from mauson.web.deps import client_ip


def client_for(request: Request, actor: Actor, settings: Settings) -> str | None:
    """The rate-limit key of an anonymous sender; none for officers, who enter hotline calls in bulk."""
    if actor.is_authenticated or settings.secret_key is None:
        return None
    return intake.client_key(client_ip(request), settings.secret_key.get_secret_value())


def deliver_later(tasks: BackgroundTasks, request: Request, session: Session, petition_id: int) -> None:
    """After the response (so after the commit), push the petition's emergency alerts, each in its own transaction."""
    database: Database = request.app.state.database
    settings: Settings = request.app.state.settings
    base_url = settings.link_base
    for alert_id in alerts.pending_ids(session=session, petition_id=petition_id):

        def send(alert_id: int = alert_id) -> None:
            with database.unit_of_work() as fresh:
                alerts.deliver(session=fresh, alert_id=alert_id, base_url=base_url)

        tasks.add_task(send)
