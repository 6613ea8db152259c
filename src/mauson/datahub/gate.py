"""The privacy gate: which columns of a table hold personal data, how identifiable its rows are,
and the anonymised copy that may be published instead.

The scan is the privacy module's table scan over a random sample of rows. The k-anonymity report
is computed over the quasi-identifiers that module suggests (birth date, address, age, sex...).
A derivative applies one anonymiser per column: drop it, mask it, replace it by a consistent
pseudonym (keyed by the platform's secret, so the same person gets the same fake everywhere),
or generalise quasi-identifiers until every group of rows has at least k members (rows still in
smaller groups are suppressed).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.parquet as pq  # type: ignore[import-untyped]

from mauson.datahub.models import Anonymiser
from mauson.datahub.query import count_rows, group_sizes, read_all_text, sample_text
from mauson.errors import Invalid
from mauson.privacy.anonymize import Keys, mask, pseudonym
from mauson.privacy.models import TYPE_LABELS, Entity, EntityType
from mauson.privacy.tables import QuasiKind, generalise, scan_columns, suggest_quasi_identifiers

SCAN_SAMPLE = 200
DERIVATIVE_MAX_ROWS = 200_000


def scan(path: Path) -> list[dict[str, Any]]:
    """Per column: the personal-data type found (None if none), its share of the sampled cells."""
    header, rows = sample_text(path, SCAN_SAMPLE)
    reports = scan_columns(header, rows, sample=SCAN_SAMPLE)
    quasi = suggest_quasi_identifiers(header, reports)
    return [
        {
            "name": report.name,
            "type": report.type.value if report.is_personal and report.type else None,
            "label": TYPE_LABELS[report.type] if report.is_personal and report.type else None,
            "share": report.share,
            "quasi": quasi[report.name].value if report.name in quasi else None,
        }
        for report in reports
    ]


def personal_columns(report: list[dict[str, Any]]) -> list[str]:
    return [column["name"] for column in report if column["type"]]


def direct_identifiers(report: list[dict[str, Any]]) -> list[str]:
    """Personal columns that are not quasi-identifiers: they identify a person on their own."""
    return [column["name"] for column in report if column["type"] and not column["quasi"]]


@dataclass(frozen=True)
class KAnonymityReport:
    quasi: list[str]
    k: int
    groups: int
    rows: int
    smallest: list[tuple[list[str], int]]


def k_report(path: Path, report: list[dict[str, Any]]) -> KAnonymityReport:
    """How many rows share each combination of quasi-identifiers (the smallest group is k).

    Counted by DuckDB, not in memory: the dataset page shows it to every editor, and a table over
    `DERIVATIVE_MAX_ROWS` made that page answer 422."""
    quasi = [column["name"] for column in report if column["quasi"]]
    rows = count_rows(path)
    if not quasi:
        return KAnonymityReport([], rows, 1 if rows else 0, rows, [])
    groups, smallest = group_sizes(path, quasi)
    return KAnonymityReport(quasi, smallest[0][1] if smallest else 0, groups, rows, smallest)


def default_plan(report: list[dict[str, Any]]) -> dict[str, Anonymiser]:
    """What the form proposes: generalise quasi-identifiers, drop other personal columns."""
    plan: dict[str, Anonymiser] = {}
    for column in report:
        if column["quasi"]:
            plan[column["name"]] = Anonymiser.GENERALISE
        elif column["type"]:
            plan[column["name"]] = Anonymiser.DROP
    return plan


@dataclass(frozen=True)
class Derivative:
    path: Path
    rows: int
    k: int
    suppressed_rows: int
    steps: dict[str, str]
    plan: dict[str, str]


def check_plan(report: list[dict[str, Any]], plan: dict[str, Anonymiser]) -> None:
    """Every column found personal must be treated; generalising is for quasi-identifiers only."""
    names = {column["name"]: column for column in report}
    unknown = [name for name in plan if name not in names]
    if unknown:
        raise Invalid(f"Không có cột: {', '.join(unknown)}.", code="datahub.unknown_column")
    untreated = [name for name in personal_columns(report) if plan.get(name, Anonymiser.KEEP) is Anonymiser.KEEP]
    if untreated:
        raise Invalid(
            f"Các cột chứa dữ liệu cá nhân phải được xử lý (bỏ, che, thay giá trị giả hoặc làm thô): "
            f"{', '.join(untreated)}.",
            code="datahub.untreated_personal",
        )
    wrong = [n for n, how in plan.items() if how is Anonymiser.GENERALISE and not names[n]["quasi"]]
    if wrong:
        raise Invalid(
            f"Chỉ làm thô được cột ngày sinh, địa chỉ, tuổi hoặc phân loại; không làm thô được: {', '.join(wrong)}.",
            code="datahub.cannot_generalise",
        )


def derive(
    path: Path, report: list[dict[str, Any]], plan: dict[str, Anonymiser], *, k: int, keys: Keys, target: Path
) -> Derivative:
    """Write the anonymised copy of the table at `path` to `target` (all columns as text)."""
    check_plan(report, plan)
    header, rows = read_all_text(path, DERIVATIVE_MAX_ROWS)
    types = {column["name"]: column["type"] for column in report}
    for index, name in enumerate(header):
        how = plan.get(name, Anonymiser.KEEP)
        if how in (Anonymiser.MASK, Anonymiser.PSEUDONYMISE):
            entity_type = EntityType(types[name]) if types.get(name) else EntityType.PERSON
            for row in rows:
                row[index] = _replace(row[index], entity_type, how, keys)
    quasi = {
        name: QuasiKind(column["quasi"])
        for column in report
        if (name := column["name"]) in plan and plan[name] is Anonymiser.GENERALISE
    }
    steps: dict[str, str] = {}
    suppressed, reached = 0, len(rows)
    if quasi:
        generalised = generalise(header, rows, quasi, k)
        rows, steps, suppressed, reached = (
            generalised.rows,
            generalised.steps,
            generalised.suppressed_rows,
            generalised.k,
        )
    kept = [index for index, name in enumerate(header) if plan.get(name) is not Anonymiser.DROP]
    table = pa.table({header[i]: pa.array([row[i] for row in rows], pa.string()) for i in kept})
    pq.write_table(table, target, compression="zstd")
    return Derivative(target, len(rows), reached, suppressed, steps, {name: how.value for name, how in plan.items()})


def _replace(value: str, entity_type: EntityType, how: Anonymiser, keys: Keys) -> str:
    if not value:
        return value
    entity = Entity(0, len(value), entity_type, value, 1.0, "column")
    return mask(entity) if how is Anonymiser.MASK else pseudonym(entity, keys.pseudonym)
