"""Dates as Vietnamese writes them: "ngày 06 tháng 5 năm 2021", "06/5/2021", "6-5-2021",
"06.05.2021", "tháng 5/2021", "năm 2021", "sinh năm 1985". `find_dates()` returns each with its
span and what it pins down (a day, a month or a year); `parse_date()` reads a single date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from mauson.vntext.normalize import fold


class Precision(StrEnum):
    DAY = "day"
    MONTH = "month"
    YEAR = "year"


@dataclass(frozen=True)
class FoundDate:
    start: int
    end: int
    text: str
    value: date
    precision: Precision


_DAY = r"(?P<d>[0-3]?\d)"
_MONTH = r"(?P<m>[01]?\d)"
_YEAR = r"(?P<y>(?:1[89]|2[01])\d{2})"
PATTERNS: list[tuple[re.Pattern[str], Precision]] = [
    (re.compile(rf"ngay\s+{_DAY}\s+thang\s+{_MONTH}\s*(?:,\s*)?nam\s+{_YEAR}"), Precision.DAY),
    (re.compile(rf"(?<![\d/.-]){_DAY}\s*([/.-])\s*{_MONTH}\s*\2\s*{_YEAR}(?![\d/])"), Precision.DAY),
    (re.compile(rf"{_YEAR}-(?P<m>[01]\d)-(?P<d>[0-3]\d)(?![\d])"), Precision.DAY),
    (re.compile(rf"thang\s+{_MONTH}\s*(?:/|\s+nam\s+){_YEAR}"), Precision.MONTH),
    (re.compile(rf"(?<![\d/.-])(?:{_MONTH})/{_YEAR}(?![\d/])"), Precision.MONTH),
    (re.compile(rf"\bnam\s+{_YEAR}(?!\d)"), Precision.YEAR),
]


def _value(match: re.Match[str], precision: Precision) -> date | None:
    groups = match.groupdict()
    try:
        return date(int(groups["y"]), int(groups.get("m") or 1), int(groups.get("d") or 1))
    except (ValueError, TypeError):
        return None


def find_dates(text: str) -> list[FoundDate]:
    """Every date in `text`, most precise reading first where readings overlap."""
    folded = fold(text)
    if len(folded) != len(text):  # folding changed the length: fall back to the text itself
        folded = text.lower()
    found: list[FoundDate] = []
    taken: list[tuple[int, int]] = []
    for pattern, precision in PATTERNS:
        for match in pattern.finditer(folded):
            start, end = match.span()
            if any(start < b and a < end for a, b in taken):
                continue
            value = _value(match, precision)
            if value is not None:
                found.append(FoundDate(start, end, text[start:end], value, precision))
                taken.append((start, end))
    return sorted(found, key=lambda d: d.start)


def parse_date(text: str) -> date | None:
    """The first date in `text` (for a day-precise reading use `find_dates`)."""
    found = find_dates(text)
    return found[0].value if found else None
