"""The demo petitions `mauson demo load` submits: sixteen written by the project (the places are
real, the events invented), spread over the last two weeks, so that a fresh `make run` has a
public list, statistics, a commune map and an officers' inbox to look at."""

from __future__ import annotations

import json
from datetime import timedelta
from importlib import resources

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mauson.db import utcnow
from mauson.identity.models import Actor
from mauson.petitions import intake
from mauson.petitions.classifier import TriageModel
from mauson.petitions.models import Petition, PetitionCreate


def load(*, session: Session, actor: Actor, model: TriageModel) -> int:
    """Submit the demo petitions through the normal intake (triaged by `model`, emergencies alerted)
    unless the platform already holds petitions; returns how many were submitted."""
    if session.scalar(select(func.count()).select_from(Petition)):
        return 0
    text = (resources.files("mauson.petitions") / "data" / "demo.jsonl").read_text("utf-8")
    now = utcnow()
    count = 0
    for line in text.splitlines():
        if not line.strip():
            continue
        item = json.loads(line)
        submitted = now - timedelta(days=item["days_ago"], hours=count % 7)
        data = PetitionCreate(text=item["text"], channel=item["channel"], submitted_at=submitted)
        intake.submit(session=session, actor=actor, data=data, model=model)
        count += 1
    return count
