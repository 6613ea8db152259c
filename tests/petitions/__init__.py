"""Tests of the petitions module. `fixtures/train_sample.jsonl`: 7 lines selected from
../shared/eval/petitions_train.jsonl (the project's training set; never the dev set)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).parent / "fixtures"


def samples() -> dict[str, dict[str, Any]]:
    lines = (FIXTURES / "train_sample.jsonl").read_text(encoding="utf-8").splitlines()
    return {record["id"]: record for record in map(json.loads, lines)}
