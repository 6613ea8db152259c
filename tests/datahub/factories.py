"""Builders for data hub test data, through the hub's own services."""

from __future__ import annotations

from pathlib import Path

from mauson.datahub import service
from mauson.datahub.models import Access
from mauson.db import Database
from mauson.identity.models import Actor
from mauson.identity.service import SYSTEM
from mauson.settings import Settings

FIXTURES = Path(__file__).parent / "fixtures"


def make_dataset(
    database: Database,
    settings: Settings,
    file: str | Path,
    *,
    title: str = "",
    org: str = "SNV",
    access: Access = Access.PUBLIC,
    actor: Actor = SYSTEM,
) -> str:
    """Ingest a fixture (or any path) as a dataset and return its name."""
    path = file if isinstance(file, Path) else FIXTURES / file
    tables = service.prepare(store=service.store_for(settings), source=path, filename=path.name, max_bytes=50_000_000)
    with database.unit_of_work() as session:
        dataset = service.create_dataset(
            session=session,
            actor=actor,
            tables=tables,
            title=title or path.stem,
            organisation_code=org,
            access=access,
        )
        return dataset.name
