"""Personal data in tables: which columns hold it, and how easily a row can be re-identified.

`scan_columns()` samples each column and runs the recognisers on each cell with the column's
header as its label (so a cell "Nguyễn Văn A" under "Họ tên" reads as "Họ tên: Nguyễn Văn A"),
reporting the dominant type and the share of sampled cells it matched.

`read_csv()` reads a CSV file in any usual encoding and delimiter into a header and rows of
the header's width.

`k_anonymity()` measures the smallest group of rows that share the same quasi-identifiers
(birth date, sex, commune...): a row in a group of k cannot be told apart from k-1 others.
`generalise()` coarsens quasi-identifiers step by step (birth date → year → decade, address →
commune → province, age → 5-year band → 10-year band) until the target k is reached, and
suppresses the rows still in smaller groups.
"""

from __future__ import annotations

import csv
import io
import random
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from mauson.errors import Invalid
from mauson.privacy.models import EntityType
from mauson.privacy.service import scan
from mauson.vntext.address import parse_address
from mauson.vntext.encoding import decode
from mauson.vntext.gazetteer import province
from mauson.vntext.normalize import fold_aligned

SUPPRESSED = "*"


def read_csv(data: bytes) -> tuple[list[str], list[list[str]]]:
    """Header and rows of a CSV file in any usual encoding, with its delimiter detected; blank rows
    are dropped and every row is cut or padded to the header's width."""
    text = decode(data)
    try:
        dialect = csv.Sniffer().sniff(text[:20_000], delimiters=",;\t|")
    except csv.Error as error:
        raise Invalid("Không nhận ra dấu phân cách cột của tệp CSV (, ; tab |).", code="table.delimiter") from error
    lines = list(csv.reader(io.StringIO(text), dialect))
    if len(lines) < 2:
        raise Invalid("Tệp CSV cần một dòng tiêu đề và ít nhất một dòng dữ liệu.", code="table.empty")
    header, rows = lines[0], [row for row in lines[1:] if any(cell.strip() for cell in row)]
    width = len(header)
    return header, [(row + [""] * width)[:width] for row in rows]


@dataclass(frozen=True)
class ColumnReport:
    """What a column holds: its dominant personal-data type and how many sampled cells matched."""

    name: str
    type: EntityType | None
    share: float
    sampled: int
    matches: dict[str, int] = field(default_factory=dict)

    @property
    def is_personal(self) -> bool:
        return self.type is not None and self.share >= 0.3


def _sample(rows: Iterable[Sequence[str | None]], size: int, seed: int) -> list[Sequence[str | None]]:
    """A uniform sample of at most `size` rows from an iterable of any length (reservoir sampling)."""
    chosen: list[Sequence[str | None]] = []
    generator = random.Random(seed)  # noqa: S311 (sampling, not security)
    for index, row in enumerate(rows):
        if index < size:
            chosen.append(row)
        else:
            slot = generator.randint(0, index)
            if slot < size:
                chosen[slot] = row
    return chosen


def _cell_type(header: str, cell: str) -> EntityType | None:
    """The type that covers most of a cell, reading the header as the cell's label, in words:
    exports name columns in snake case ("dia_chi"), and the recognisers know "dia chi", not "dia_chi"
    (a column of house numbers and streets went unflagged and could be kept in a public copy)."""
    prefix = f"{header.replace('_', ' ')}: "
    entities = scan(prefix + cell)
    covering = [e for e in entities if e.end > len(prefix)]
    if not covering:
        return None
    best = max(covering, key=lambda e: min(e.end, len(prefix) + len(cell)) - max(e.start, len(prefix)))
    return best.type if best.length >= len(cell.strip()) * 0.5 else None


def scan_columns(
    header: Sequence[str], rows: Iterable[Sequence[str | None]], *, sample: int = 300, seed: int = 0
) -> list[ColumnReport]:
    """Classify every column from a sample of the rows."""
    sampled = _sample(rows, sample, seed)
    reports = []
    for index, name in enumerate(header):
        cells = [str(row[index]).strip() for row in sampled if index < len(row) and row[index] not in (None, "")]
        counts = Counter(t.value for cell in cells if (t := _cell_type(name, cell)) is not None)
        dominant, hits = counts.most_common(1)[0] if counts else (None, 0)
        reports.append(
            ColumnReport(
                name=name,
                type=EntityType(dominant) if dominant else None,
                share=round(hits / len(cells), 3) if cells else 0.0,
                sampled=len(cells),
                matches=dict(counts),
            )
        )
    return reports


class QuasiKind(StrEnum):
    """How a quasi-identifier can be generalised."""

    DATE = "date"
    ADDRESS = "address"
    AGE = "age"
    CATEGORY = "category"


QUASI_HEADERS: dict[QuasiKind, tuple[str, ...]] = {
    QuasiKind.DATE: ("ngay sinh", "nam sinh", "sinh ngay", "dob"),
    QuasiKind.ADDRESS: ("dia chi", "noi o", "thuong tru", "tam tru", "cho o", "xa", "phuong", "thon", "que"),
    QuasiKind.AGE: ("tuoi", "age"),
    QuasiKind.CATEGORY: ("gioi tinh", "gioi", "sex", "dan toc", "nghe nghiep", "ton giao", "quoc tich"),
}


def suggest_quasi_identifiers(header: Sequence[str], reports: Sequence[ColumnReport]) -> dict[str, QuasiKind]:
    """Columns that, combined, could single a person out: birth date, address, age, sex, ethnicity..."""
    suggested: dict[str, QuasiKind] = {}
    for name, report in zip(header, reports, strict=True):
        folded = fold_aligned(name).replace("_", " ")
        if report.type is EntityType.DATE_OF_BIRTH:
            suggested[name] = QuasiKind.DATE
        elif report.type is EntityType.ADDRESS:
            suggested[name] = QuasiKind.ADDRESS
        else:
            for kind, words in QUASI_HEADERS.items():
                if any(folded == w or folded.startswith(w + " ") for w in words):
                    suggested[name] = kind
                    break
    return suggested


def quasi_identifiers(
    header: Sequence[str], reports: Sequence[ColumnReport], wanted: Sequence[str] | None = None
) -> dict[str, QuasiKind]:
    """The columns `wanted` (each with the kind suggested for it, else a category), or the suggested
    ones; a name that is not a column is refused with the list of columns."""
    suggested = suggest_quasi_identifiers(header, reports)
    if wanted is None:
        return suggested
    unknown = [name for name in wanted if name not in header]
    if unknown:
        raise Invalid(f"Không có cột: {', '.join(unknown)}. Các cột: {', '.join(header)}.", code="table.column")
    return {name: suggested.get(name, QuasiKind.CATEGORY) for name in wanted}


_YEAR = re.compile(r"(19|20)\d{2}")


def _year(value: str) -> str:
    match = _YEAR.search(value)
    return match.group(0) if match else SUPPRESSED


def _decade(value: str) -> str:
    year = _year(value)
    return f"{year[:3]}0–{year[:3]}9" if year != SUPPRESSED else SUPPRESSED


def _commune(value: str) -> str:
    """Today's commune or ward of an address, also when it is written with a pre-2025 name."""
    parsed = parse_address(value)
    return parsed.commune.name if parsed.commune else SUPPRESSED


def _province(value: str) -> str:
    """The province of an address, named or implied by its commune."""
    parsed = parse_address(value)
    if parsed.province:
        return parsed.province.name
    return province(parsed.commune.province_code).name if parsed.commune else SUPPRESSED


def _band(width: int) -> Callable[[str], str]:
    def banded(value: str) -> str:
        digits = re.sub(r"\D", "", value)
        if not digits:
            return SUPPRESSED
        low = int(digits) // width * width
        return f"{low}–{low + width - 1}"

    return banded


LADDERS: dict[QuasiKind, list[tuple[str, Callable[[str], str]]]] = {
    QuasiKind.DATE: [("năm sinh", _year), ("thập niên", _decade)],
    QuasiKind.ADDRESS: [("xã/phường", _commune), ("tỉnh", _province)],
    QuasiKind.AGE: [("nhóm 5 tuổi", _band(5)), ("nhóm 10 tuổi", _band(10))],
    QuasiKind.CATEGORY: [],
}


@dataclass(frozen=True)
class KReport:
    k: int
    groups: int
    smallest: list[tuple[tuple[str, ...], int]]


def k_anonymity(rows: Sequence[Sequence[str]], columns: Sequence[int]) -> KReport:
    """The size of the smallest group of rows sharing the same values in `columns`."""
    groups = Counter(tuple(str(row[c]) for c in columns) for row in rows)
    if not groups:
        return KReport(k=0, groups=0, smallest=[])
    smallest = sorted(groups.items(), key=lambda item: item[1])[:5]
    return KReport(k=min(groups.values()), groups=len(groups), smallest=smallest)


@dataclass(frozen=True)
class Generalisation:
    """The result of `generalise()`: the coarser rows, what was done to each column, the k reached."""

    rows: list[list[str]]
    steps: dict[str, str]
    k: int
    suppressed_rows: int


def generalise(
    header: Sequence[str], rows: Sequence[Sequence[str]], quasi: dict[str, QuasiKind], target_k: int
) -> Generalisation:
    """Coarsen quasi-identifiers one step at a time (the step that merges most groups first)
    until every group has at least `target_k` rows, then suppress the rows still below it."""
    columns = {name: header.index(name) for name in quasi}
    levels = dict.fromkeys(quasi, 0)
    current = [list(map(str, row)) for row in rows]
    indexes = list(columns.values())
    while k_anonymity(current, indexes).k < target_k:
        options = []
        for name, kind in quasi.items():
            if levels[name] < len(LADDERS[kind]):
                _, step = LADDERS[kind][levels[name]]
                trial = [row[:] for row in current]
                for trial_row, original in zip(trial, rows, strict=True):
                    trial_row[columns[name]] = step(str(original[columns[name]]))
                options.append((k_anonymity(trial, indexes).groups, name, trial))
        if not options:
            break
        _, name, current = min(options, key=lambda option: option[0])
        levels[name] += 1
    counts = Counter(tuple(row[c] for c in indexes) for row in current)
    kept = [row for row in current if counts[tuple(row[c] for c in indexes)] >= target_k]
    steps = {name: LADDERS[quasi[name]][levels[name] - 1][0] for name in quasi if levels[name]}
    return Generalisation(kept, steps, k_anonymity(kept, indexes).k, len(current) - len(kept))
