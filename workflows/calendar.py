"""Business days (開庁日) for counting the standard processing period (標準処理期間)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

import jpholiday

# 年末年始の閉庁日 under the national and most local government office-hours rules.
YEAR_END_CLOSURE: frozenset[tuple[int, int]] = frozenset(
    {(12, 29), (12, 30), (12, 31), (1, 1), (1, 2), (1, 3)}
)

# A calendar closed for longer than this has no business days left to find.
_MAX_CLOSED_RUN = 366

_ONE_DAY = timedelta(days=1)


@lru_cache(maxsize=4096)
def _is_public_holiday(day: date) -> bool:
    # jpholiday recomputes the year's holidays on every call; deadlines scan many days.
    return bool(jpholiday.is_holiday(day))


@dataclass(frozen=True)
class BusinessCalendar:
    """Days the office is open: weekdays that are not holidays or closing days."""

    closing_days: frozenset[tuple[int, int]] = field(default=YEAR_END_CLOSURE)
    extra_closed: frozenset[date] = field(default=frozenset())

    def is_business_day(self, day: date) -> bool:
        """Whether the office is open on this day."""
        return not (
            day.weekday() >= 5
            or (day.month, day.day) in self.closing_days
            or day in self.extra_closed
            or _is_public_holiday(day)
        )

    def next_business_day(self, day: date) -> date:
        """Return the first business day after ``day``."""
        candidate = day
        for _ in range(_MAX_CLOSED_RUN):
            candidate += _ONE_DAY
            if self.is_business_day(candidate):
                return candidate
        raise ValueError(f"no business day within {_MAX_CLOSED_RUN} days after {day}")

    def add_business_days(self, start: date, days: int) -> date:
        """Return the date ``days`` business days after ``start`` (which is not counted)."""
        if days < 0:
            raise ValueError(f"days must not be negative, got {days}")
        if days == 0:
            return start if self.is_business_day(start) else self.next_business_day(start)
        day = start
        for _ in range(days):
            day = self.next_business_day(day)
        return day

    def business_days_between(self, start: date, end: date) -> int:
        """Count the business days after ``start`` up to and including ``end``."""
        count = 0
        day = start + _ONE_DAY
        while day <= end:
            if self.is_business_day(day):
                count += 1
            day += _ONE_DAY
        return count


def due_date(
    calendar: BusinessCalendar,
    received: date,
    days: int,
    pauses: Sequence[tuple[date, date | None]] = (),
) -> date | None:
    """The end of a standard processing period (標準処理期間) of ``days`` business days
    from ``received``, not counting the business days spent waiting for a correction
    (補正), which the period excludes. Each pause runs from the day a correction was
    asked (not counted) to the day it was sent back; while one is still open the date
    is unknown (None)."""
    extra = 0
    for start, end in pauses:
        if end is None:
            return None
        extra += calendar.business_days_between(start, end)
    return calendar.add_business_days(received, days + extra)
