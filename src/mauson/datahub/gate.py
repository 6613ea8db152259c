"""The privacy gate: which columns of a table hold personal data, how identifiable its rows are,
and the anonymised copy that may be published instead.

The scan is the privacy module's table scan over a random sample of rows. The k-anonymity report
is computed over the quasi-identifiers that module suggests (birth date, address, age, sex...).
A derivative applies one anonymiser per column: drop it, mask it, replace it by a consistent
pseudonym (keyed by the platform's secret, so the same person gets the same fake everywhere),
or generalise quasi-identifiers until every group of rows has at least k members (rows still in
smaller groups are suppressed). k is counted over every quasi-identifier the copy keeps, treated
or not: a ward kept as it is singles people out as surely as one generalised. A copy that does
not reach k is refused before anything is written.
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
            "name": name,
            "type": report.type.value if report.is_personal and report.type else None,
            "label": TYPE_LABELS[report.type] if report.is_personal and report.type else None,
            "share": report.share,
            "quasi": quasi[name].value if name in quasi else None,
        }
        for name, report in zip(header, reports, strict=True)
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
    k_asked: int
    k_reached: int  # the smallest group over the quasi-identifiers kept, after suppression
    suppressed_rows: int
    steps: dict[str, str]
    plan: dict[str, str]

    @property
    def anonymisation(self) -> dict[str, Any]:
        """What the copy's version and the audit log record of how it was made."""
        return {
            "k_asked": self.k_asked,
            "k_reached": self.k_reached,
            "suppressed_rows": self.suppressed_rows,
            "steps": self.steps,
        }


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
    """Write the anonymised copy of the table at `path` to `target`: kept columns as stored (a
    score stays a number), treated ones as text. Refused (`Invalid`) if it does not reach `k`."""
    check_plan(report, plan)
    header, rows = read_all_text(path, DERIVATIVE_MAX_ROWS)
    _mask_and_pseudonymise(header, rows, report, plan, keys)
    quasi = kept_quasi_identifiers(report, plan)
    # Each row carries its position in a last, nameless column that `generalise()` leaves alone:
    # the rows it keeps say which source rows to take the kept columns from, as stored.
    numbered = [[*row, str(position)] for position, row in enumerate(rows)]
    generalised = generalise([*header, ""], numbered, quasi, k)
    if generalised.k < k:
        raise Invalid(_k_not_reached(k, list(quasi), len(rows)), code="datahub.k_not_reached")
    positions = [int(row[-1]) for row in generalised.rows]
    table = _copy(pq.read_table(path), header, generalised.rows, positions, plan)
    pq.write_table(table, target, compression="zstd")
    return Derivative(
        path=target,
        rows=len(positions),
        k_asked=k,
        k_reached=generalised.k,
        suppressed_rows=generalised.suppressed_rows,
        steps=generalised.steps,
        plan={name: how.value for name, how in plan.items()},
    )


def kept_quasi_identifiers(report: list[dict[str, Any]], plan: dict[str, Anonymiser]) -> dict[str, QuasiKind]:
    """The quasi-identifiers the copy keeps, and how far each may be coarsened: along its own
    ladder if the plan generalises it, not at all otherwise (a category without steps)."""
    return {
        column["name"]: QuasiKind(column["quasi"]) if how is Anonymiser.GENERALISE else QuasiKind.CATEGORY
        for column in report
        if column["quasi"] and (how := plan.get(column["name"], Anonymiser.KEEP)) is not Anonymiser.DROP
    }


def _k_not_reached(k: int, quasi: list[str], rows: int) -> str:
    """Why the copy was refused. Without quasi-identifiers the whole table is one group: a table
    smaller than k still points at the few people in it."""
    if not quasi:
        return f"Bản ẩn danh không đạt k = {k}: cả bảng chỉ có {rows} dòng. Chưa có gì được lưu."
    return (
        f"Bản ẩn danh không đạt k = {k}: trên các cột gần định danh còn giữ ({', '.join(quasi)}), không nhóm "
        f"dòng nào có đủ {k} dòng giống nhau. Hãy làm thô hoặc bỏ thêm các cột đó, hoặc chọn k nhỏ hơn. "
        "Chưa có gì được lưu."
    )


def derived_columns(columns: list[dict[str, str]], plan: dict[str, Anonymiser]) -> list[dict[str, str]]:
    """The copy's schema, by the rule `derive()` writes it with: a kept column keeps its type,
    a treated one is text, a dropped one is gone."""
    return [
        {"name": column["name"], "type": column["type"] if how is Anonymiser.KEEP else "VARCHAR"}
        for column in columns
        if (how := plan.get(column["name"], Anonymiser.KEEP)) is not Anonymiser.DROP
    ]


def _mask_and_pseudonymise(
    header: list[str], rows: list[list[str]], report: list[dict[str, Any]], plan: dict[str, Anonymiser], keys: Keys
) -> None:
    """Mask or pseudonymise the cells of the columns the plan says, in place, by their scanned type."""
    types = {column["name"]: column["type"] for column in report}
    for index, name in enumerate(header):
        how = plan.get(name, Anonymiser.KEEP)
        if how in (Anonymiser.MASK, Anonymiser.PSEUDONYMISE):
            entity_type = EntityType(types[name]) if types.get(name) else EntityType.PERSON
            for row in rows:
                row[index] = _replace(row[index], entity_type, how, keys)


def _copy(
    source: pa.Table, header: list[str], rows: list[list[str]], positions: list[int], plan: dict[str, Anonymiser]
) -> pa.Table:
    """The copy's columns: kept ones taken from the source's rows that remain, treated ones as text."""
    remaining = source.take(pa.array(positions, pa.int64()))
    columns = {}
    for index, name in enumerate(header):
        how = plan.get(name, Anonymiser.KEEP)
        if how is Anonymiser.KEEP:
            columns[name] = remaining.column(index)
        elif how is not Anonymiser.DROP:
            columns[name] = pa.array([row[index] for row in rows], pa.string())
    return pa.table(columns)


def _replace(value: str, entity_type: EntityType, how: Anonymiser, keys: Keys) -> str:
    if not value:
        return value
    entity = Entity(0, len(value), entity_type, value, 1.0, "column")
    return mask(entity) if how is Anonymiser.MASK else pseudonym(entity, keys.pseudonym)
