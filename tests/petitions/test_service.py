"""Petition services read directly: what an office's lists hold when it has many cases."""

from __future__ import annotations

from datetime import timedelta

from mauson.db import Database, utcnow
from mauson.identity.models import Actor, Role
from mauson.petitions import intake, service, workflow
from mauson.petitions.classifier import shipped_model
from mauson.petitions.labels import Status
from mauson.petitions.models import PetitionCreate

ADMIN = Actor(user_id=1, username="quan.tri", role=Role.ADMIN, via="cli")
POTHOLE = "Đường liên thôn ở xã Chi Lăng có ổ gà lớn, xe máy đi qua rất nguy hiểm."


def test_the_inbox_shows_the_oldest_open_cases_even_when_newer_ones_fill_it(database: Database) -> None:
    now = utcnow()
    with database.unit_of_work() as session:
        ids = []
        for days_ago in (30, 20, 10, 1):
            data = PetitionCreate(text=POTHOLE, submitted_at=now - timedelta(days=days_ago), channel="hotline")
            ids.append(intake.submit(session=session, actor=ADMIN, data=data, model=shipped_model()).id)
        oldest, _, _, newest = ids
        closed = service.get_or_raise(session=session, actor=ADMIN, petition_id=ids[1])
        closed.status = Status.CLOSED
        inbox = service.list_inbox(session=session, actor=ADMIN, limit=2)
    assert [p.id for p in inbox] == [oldest, ids[2]], "open cases, the longest waiting first; the newest can wait"
    assert newest not in [p.id for p in inbox]


def test_an_escalation_is_a_step_of_the_history_and_an_update_of_the_petition(database: Database) -> None:
    """Open311's `updated_datetime` reads `updated_at`: an app following the case sees the escalation."""
    now = utcnow()
    with database.unit_of_work() as session:
        data = PetitionCreate(text=POTHOLE, submitted_at=now - timedelta(days=30), channel="hotline")
        petition = intake.submit(session=session, actor=ADMIN, data=data, model=shipped_model())
        before = petition.updated_at
        assert workflow.escalate_overdue(session=session, actor=ADMIN) == [petition]
        last = service.events(session=session, petition=petition)[-1]
        assert petition.updated_at > before and last.at == petition.updated_at
        supervisor = petition.escalated_to_id
        assert supervisor is not None and (last.action, last.to_status) == ("escalate", "da_phan_loai")
        assert last.organisation_id == supervisor, "the step is the supervisor's to see"
