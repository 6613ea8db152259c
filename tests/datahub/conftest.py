"""The data hub's fixtures: files shipped under fixtures/, ingested through the service."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import pytest

from mauson.db import Database
from mauson.settings import Settings
from tests.datahub.factories import FIXTURES, make_dataset

__all__ = ["FIXTURES", "Ingest"]

Ingest = Callable[..., str]


@pytest.fixture
def ingest(database: Database, settings: Settings) -> Ingest:
    """Ingest a fixture (or any path) as a dataset and return its name: `ingest("communes.csv")`."""
    return partial(make_dataset, database, settings)
