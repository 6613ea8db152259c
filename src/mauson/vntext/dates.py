"""Dates as Vietnamese writes them: "ngày 06 tháng 5 năm 2021", "14 tháng 02 năm 1989", "06/5/2021",
"6-5-2021", "06.05.2021", "2021-05-06", "29DEC1999" (passports), "tháng 5/2021", "5/2021",
"năm 2021", "sinh năm 1985"; digits a scan misread ("O3/O3/1983": O for 0, l or I for 1) too.

This module is the one place that knows these formats. `find_dates()` returns the dates that
exist, each with its span and what it pins down (a day, a month or a year); `parse_date()` reads
a single date. `written_dates()` returns every date as written, even a day that does not exist
("00/00/1969" on a form whose day was unknown) and a year standing alone, with the span of its
value only, for readers that judge the words around it themselves (birth dates in
`mauson.privacy`). Offsets are those of the text passed in, in whatever Unicode form it came.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from mauson.vntext.normalize import Composed, fold_aligned


class Precision(StrEnum):
    DAY = "day"
    MONTH = "month"
    YEAR = "year"


@dataclass(frozen=True)
class WrittenDate:
    """A date as written: the span of its value ("1985" in "sinh năm 1985"), whatever day it names."""

    start: int
    end: int
    text: str
    precision: Precision


@dataclass(frozen=True)
class FoundDate:
    start: int
    end: int
    text: str
    value: date
    precision: Precision


# The formats match the value in folded text (`fold_aligned`). A date does not start inside a word,
# a number or a document number ("13/2023/NĐ-CP"); that look back is written after the first
# character, so that `re` jumps from one possible first character to the next instead of trying
# every position (about twice as fast).
_DIGIT = "[0-9oli]"  # a scan reads O/o for 0 and l/I for 1 (folded to lower case)


def _first(digit: str) -> str:
    return rf"{digit}(?<![\w/.-]{digit})"


_DAY, _MONTH, _YEAR = rf"(?P<d>{_DIGIT}{{1,2}})", rf"(?P<m>{_DIGIT}{{1,2}})", rf"(?P<y>{_DIGIT}{{4}})"
_DAY_FIRST, _MONTH_FIRST = rf"(?P<d>{_first(_DIGIT)}{_DIGIT}?)", rf"(?P<m>{_first(_DIGIT)}{_DIGIT}?)"
_MONTH_NAMES = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_AFTER = r"(?![\w/])"


@dataclass(frozen=True)
class _Format:
    """One way of writing a date, and the word that may stand before its value ("ngày", "tháng",
    "năm"): `find_dates` counts that word as part of the date."""

    pattern: re.Pattern[str]
    precision: Precision
    word: re.Pattern[str] | None  # the word, at the end of the text before the value
    needs_word: bool  # "tháng 5 năm 2021" is a month; "5 năm 2021" is not

    def word_before(self, folded: str, start: int) -> int | None:
        """Where the format's word starts before a value at `start`, or None when it is not there."""
        found = self.word.search(folded, max(0, start - 20), start) if self.word else None
        return found.start() if found else None


def _format(pattern: str, precision: Precision, word: str = "", *, needs_word: bool = False) -> _Format:
    before = re.compile(rf"(?<!\w){word}\s+$") if word else None
    return _Format(re.compile(pattern + _AFTER), precision, before, needs_word)


_FORMATS = (
    # "ngày 06 tháng 5 năm 2021", "14 tháng 02, năm 1989"
    _format(rf"{_DAY_FIRST}\s+thang\s+{_MONTH}\s*(?:,\s*)?nam\s+{_YEAR}", Precision.DAY, "ngay"),
    # "06/5/2021", "6 - 5 - 2021", "06.05.2021", "O3/O3/1983"
    _format(rf"{_DAY_FIRST}\s*(?P<sep>[/.-])\s*{_MONTH}\s*(?P=sep)\s*{_YEAR}", Precision.DAY),
    _format(rf"(?P<y>{_first('[0-9]')}\d{{3}})-(?P<m>\d{{2}})-(?P<d>\d{{2}})", Precision.DAY),  # 2021-05-06
    _format(rf"(?P<d>{_first('[0-9]')}\d)(?P<mon>{'|'.join(_MONTH_NAMES)})(?P<y>\d{{4}})", Precision.DAY),  # 29DEC1999
    # "tháng 5/2021", "tháng 5 năm 2021"
    _format(rf"{_MONTH_FIRST}\s*(?:/|\s+nam\s+){_YEAR}", Precision.MONTH, "thang", needs_word=True),
    _format(rf"{_MONTH_FIRST}[/.-]{_YEAR}", Precision.MONTH),  # 5/2021, 05.2021
    # "năm 2021", and a year alone ("1985" in a "Năm sinh" column), which only `written_dates` takes
    _format(rf"(?P<y>{_first('[12]')}\d{{3}})(?<=1[89]\d\d|2[01]\d\d)", Precision.YEAR, "nam"),
)
_AS_DIGITS = str.maketrans("oli", "011")
_YEARS = range(1800, 2200)


@dataclass(frozen=True)
class _Reading:
    match: re.Match[str]  # the value
    format: _Format
    word: int | None  # where the format's word starts, when it stands before the value

    @property
    def start(self) -> int:
        return self.match.start() if self.word is None else self.word

    @property
    def end(self) -> int:
        return self.match.end()


def _readings(folded: str) -> list[_Reading]:
    """Each format's matches in order, the more precise formats first; a match that overlaps an
    earlier one is another reading of the same words and is dropped. The readings kept are
    disjoint and sorted, so each new one is checked against its two neighbours only (a table of
    thousands of dates stays linear)."""
    readings: list[_Reading] = []
    starts: list[int] = []
    for each in _FORMATS:
        for match in each.pattern.finditer(folded):
            reading = _Reading(match, each, each.word_before(folded, match.start()))
            if each.needs_word and reading.word is None:
                continue
            at = bisect.bisect_right(starts, reading.start)
            if (at == 0 or readings[at - 1].end <= reading.start) and (
                at == len(readings) or reading.end <= readings[at].start
            ):
                readings.insert(at, reading)
                starts.insert(at, reading.start)
    return readings


def _number(digits: str | None) -> int:
    return int(digits.translate(_AS_DIGITS)) if digits else 1


def _value(match: re.Match[str]) -> date | None:
    """The day a reading names (the first of its month or year), or None when there is no such day."""
    groups = match.groupdict()
    month = _MONTH_NAMES.index(groups["mon"]) + 1 if groups.get("mon") else _number(groups.get("m"))
    year = _number(groups["y"])
    try:
        return date(year, month, _number(groups.get("d"))) if year in _YEARS else None
    except ValueError:
        return None


def written_dates(text: str) -> list[WrittenDate]:
    """Every date written in `text`, by the span of its value, whether or not the day exists."""
    composed = Composed.of(text)
    found = []
    for reading in _readings(fold_aligned(composed.text)):
        start, end = composed.span(*reading.match.span())
        found.append(WrittenDate(start, end, text[start:end], reading.format.precision))
    return found


def find_dates(text: str) -> list[FoundDate]:
    """Every date in `text` that exists, with the words that say which ("ngày", "tháng", "năm"),
    most precise reading first where readings overlap; a year counts only after "năm"."""
    composed = Composed.of(text)
    found = []
    for reading in _readings(fold_aligned(composed.text)):
        value = _value(reading.match)
        precision = reading.format.precision
        if value is None or (precision is Precision.YEAR and reading.word is None):
            continue
        start, end = composed.span(reading.start, reading.match.end())
        found.append(FoundDate(start, end, text[start:end], value, precision))
    return found


def parse_date(text: str) -> date | None:
    """The first date in `text` (for a day-precise reading use `find_dates`)."""
    found = find_dates(text)
    return found[0].value if found else None
