"""Due dates counted in working days: Monday to Friday, without Vietnam's public holidays.

The holidays (Tết, Giỗ Tổ Hùng Vương, 30/4, 1/5, Quốc khánh and their observed days) come from the
`holidays` package, which computes the lunar ones offline. A petition received after office hours
or on a day off starts counting from the next working day, and is due at the end of its last one.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import cache

import holidays

from mauson.db import LOCAL_TZ

OFFICE_CLOSES = time(17, 0)


@cache
def _holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("VN", years=year))


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _holidays(day.year)


def add_working_days(start: date, days: int) -> date:
    """The working day `days` working days after `start` (`start` itself not counted)."""
    day, left = start, days
    while left > 0:
        day += timedelta(days=1)
        if is_working_day(day):
            left -= 1
    return day


def due_at(received: datetime, working_days: int) -> datetime:
    """The end of office hours (Vietnam time) on the last working day an agency has to answer."""
    local = received.astimezone(LOCAL_TZ)
    start = local.date()
    if not is_working_day(start) or local.time() >= OFFICE_CLOSES:
        start = add_working_days(start, 1) - timedelta(days=1)  # count as if received the next working morning
    last = add_working_days(start, working_days)
    return datetime.combine(last, OFFICE_CLOSES, tzinfo=LOCAL_TZ)
