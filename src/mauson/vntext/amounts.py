"""Money and durations as Vietnamese writes them: "3.500.000 đồng", "3,5 triệu đồng",
"50.000đ", "1 tỷ 200 triệu", "15 ngày làm việc", "03 tháng", "trong ngày".

Vietnamese uses "." for thousands and "," for decimals, the reverse of English.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from mauson.vntext.normalize import fold

_NUMBER = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?"
_SCALES = {"nghin": 1_000, "ngan": 1_000, "trieu": 1_000_000, "ty": 1_000_000_000}
MONEY = re.compile(
    rf"(?<![\d.,])(?P<number>{_NUMBER})\s*(?P<scale>nghin|ngan|trieu|ty)?"
    rf"(?:\s*(?P<rest>{_NUMBER})\s*(?P<scale2>nghin|ngan|trieu))?\s*(?P<unit>dong|vnd|d)\b"
)
DURATION = re.compile(rf"(?P<number>{_NUMBER})\s*(?P<unit>ngay lam viec|ngay|thang|nam|gio|tuan)\b")


def written(number: float, decimals: int = 0) -> str:
    """A number as Vietnamese writes it, the reverse of `to_decimal`: 2000 → '2.000', 126.5 → '126,5'
    (with `decimals=1`). Messages and pages use it rather than English '2,000'."""
    return f"{number:,.{decimals}f}".translate(str.maketrans(",.", ".,"))


def to_decimal(number: str) -> Decimal:
    """'3.500.000' → 3500000; '3,5' → 3.5 (Vietnamese separators)."""
    try:
        return Decimal(number.replace(".", "").replace(",", "."))
    except InvalidOperation as error:
        raise ValueError(f"not a Vietnamese number: {number!r}") from error


@dataclass(frozen=True)
class Money:
    start: int
    end: int
    text: str
    dong: int


def find_money(text: str) -> list[Money]:
    """Every amount of money in `text`, in đồng."""
    folded = fold(text)
    found = []
    for match in MONEY.finditer(folded):
        value = to_decimal(match["number"]) * _SCALES.get(match["scale"] or "", 1)
        if match["rest"]:
            value += to_decimal(match["rest"]) * _SCALES.get(match["scale2"] or "", 1)
        start, end = match.span()
        found.append(Money(start, end, text[start:end], int(value)))
    return found


class DurationUnit(StrEnum):
    WORKING_DAYS = "working_days"
    DAYS = "days"
    WEEKS = "weeks"
    MONTHS = "months"
    YEARS = "years"
    HOURS = "hours"


_UNITS = {
    "ngay lam viec": DurationUnit.WORKING_DAYS,
    "ngay": DurationUnit.DAYS,
    "tuan": DurationUnit.WEEKS,
    "thang": DurationUnit.MONTHS,
    "nam": DurationUnit.YEARS,
    "gio": DurationUnit.HOURS,
}


@dataclass(frozen=True)
class Duration:
    start: int
    end: int
    text: str
    amount: Decimal
    unit: DurationUnit


def find_durations(text: str) -> list[Duration]:
    """Processing times and other durations: '15 ngày làm việc' → 15 working days."""
    folded = fold(text)
    return [
        Duration(m.start(), m.end(), text[m.start() : m.end()], to_decimal(m["number"]), _UNITS[m["unit"]])
        for m in DURATION.finditer(folded)
    ]
