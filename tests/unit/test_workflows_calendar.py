"""Tests for business-day arithmetic on real Japanese calendars."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from workflows import YEAR_END_CLOSURE, BusinessCalendar
from workflows.calendar import due_date

CAL = BusinessCalendar()


def days_of(year: int) -> list[date]:
    """Return every date of a year."""
    first = date(year, 1, 1)
    return [first + timedelta(days=n) for n in range((date(year + 1, 1, 1) - first).days)]


@pytest.mark.parametrize(
    ("day", "open_"),
    [
        (date(2025, 4, 28), True),  # Monday
        (date(2025, 4, 29), False),  # Tuesday, 昭和の日
        (date(2025, 5, 3), False),  # Saturday, 憲法記念日
        (date(2025, 5, 5), False),  # Monday, こどもの日
        (date(2025, 5, 6), False),  # Tuesday, 振替休日 for 5/4 falling on a Sunday
        (date(2025, 5, 7), True),  # Wednesday
        (date(2026, 1, 12), False),  # Monday, 成人の日
        (date(2026, 9, 22), False),  # Tuesday, 国民の休日 between two holidays
        (date(2025, 12, 26), True),  # Friday, last day before the closure
        (date(2025, 12, 29), False),  # Monday, year-end closure
        (date(2026, 1, 2), False),  # Friday, new-year closure
        (date(2026, 1, 5), True),  # Monday, first day back
        (date(2025, 6, 14), False),  # Saturday
        (date(2025, 6, 15), False),  # Sunday
    ],
)
def test_is_business_day(day: date, open_: bool) -> None:
    assert CAL.is_business_day(day) is open_


def test_default_closure_is_the_year_end_holidays() -> None:
    assert CAL.closing_days == YEAR_END_CLOSURE
    closure = {(12, 29), (12, 30), (12, 31), (1, 1), (1, 2), (1, 3)}
    assert closure == YEAR_END_CLOSURE


def test_a_calendar_without_closing_days_opens_on_weekdays_at_year_end() -> None:
    assert BusinessCalendar(closing_days=frozenset()).is_business_day(date(2025, 12, 29))


def test_extra_closed_days_are_not_business_days() -> None:
    closed = date(2025, 6, 13)  # a Friday, e.g. a system maintenance closure
    cal = BusinessCalendar(extra_closed=frozenset({closed}))
    assert CAL.is_business_day(closed)
    assert not cal.is_business_day(closed)
    assert cal.add_business_days(date(2025, 6, 12), 1) == date(2025, 6, 16)
    assert cal.business_days_between(date(2025, 6, 9), date(2025, 6, 16)) == 4


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (date(2025, 4, 28), 1, date(2025, 4, 30)),  # over 昭和の日
        (date(2025, 5, 2), 1, date(2025, 5, 7)),  # over 5/3-5/6 including 振替休日
        (date(2025, 4, 25), 5, date(2025, 5, 7)),  # 4/28, 4/30, 5/1, 5/2, 5/7
        (date(2025, 12, 26), 1, date(2026, 1, 5)),  # over the year-end closure
        (date(2026, 1, 9), 1, date(2026, 1, 13)),  # over 成人の日
        (date(2026, 9, 18), 1, date(2026, 9, 24)),  # over シルバーウィーク 2026
        (date(2025, 6, 2), 10, date(2025, 6, 16)),  # two plain weeks
        (date(2025, 6, 7), 1, date(2025, 6, 9)),  # from a Saturday
    ],
)
def test_add_business_days(start: date, days: int, expected: date) -> None:
    assert CAL.add_business_days(start, days) == expected


def test_zero_days_keeps_a_business_day() -> None:
    assert CAL.add_business_days(date(2025, 5, 7), 0) == date(2025, 5, 7)


def test_zero_days_from_a_closed_day_moves_to_the_next_business_day() -> None:
    assert CAL.add_business_days(date(2025, 5, 3), 0) == date(2025, 5, 7)
    assert CAL.add_business_days(date(2025, 12, 31), 0) == date(2026, 1, 5)


def test_negative_days_are_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        CAL.add_business_days(date(2025, 5, 7), -1)


def test_a_calendar_with_no_open_days_fails_instead_of_looping() -> None:
    every_day = frozenset((d.month, d.day) for d in days_of(2024))
    with pytest.raises(ValueError, match="no business day"):
        BusinessCalendar(closing_days=every_day).add_business_days(date(2025, 1, 6), 1)


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (date(2025, 4, 25), date(2025, 5, 7), 5),
        (date(2025, 12, 26), date(2026, 1, 5), 1),
        (date(2025, 12, 26), date(2026, 1, 4), 0),
        (date(2025, 6, 2), date(2025, 6, 3), 1),  # start excluded, end included
        (date(2025, 6, 3), date(2025, 6, 3), 0),
        (date(2025, 6, 10), date(2025, 6, 3), 0),
    ],
)
def test_business_days_between(start: date, end: date, expected: int) -> None:
    assert CAL.business_days_between(start, end) == expected


@pytest.mark.parametrize("days", [1, 5, 14, 30])
def test_adding_then_counting_gives_back_the_same_number(days: int) -> None:
    for start in days_of(2025):
        end = CAL.add_business_days(start, days)
        assert CAL.is_business_day(end), start
        assert CAL.business_days_between(start, end) == days, start
        # The deadline is the first day on which that many business days have passed.
        assert CAL.business_days_between(start, end - timedelta(days=1)) == days - 1, start


def test_counting_then_adding_gives_back_each_business_day() -> None:
    start = date(2025, 3, 31)
    for end in days_of(2025):
        if end > start and CAL.is_business_day(end):
            assert CAL.add_business_days(start, CAL.business_days_between(start, end)) == end


def test_a_year_has_the_expected_number_of_business_days() -> None:
    # 2025 has 261 weekdays; 15 public holidays (three of them 振替休日) fall on weekdays, and
    # so do five closing days that are not also holidays (1/2, 1/3, 12/29, 12/30, 12/31).
    assert sum(CAL.is_business_day(d) for d in days_of(2025)) == 261 - 15 - 5


def test_the_processing_period_does_not_count_corrections() -> None:
    calendar = BusinessCalendar()
    received = date(2026, 9, 28)  # a Monday; no holiday until 12 October
    assert due_date(calendar, received, 5) == date(2026, 10, 5)
    # Asked on Wednesday 30th, sent back on Monday 5th: Thu, Fri and Mon are not counted.
    paused = [(date(2026, 9, 30), date(2026, 10, 5))]
    assert due_date(calendar, received, 5, paused) == date(2026, 10, 8)
    # While a correction is awaited the date is not known.
    assert due_date(calendar, received, 5, [(date(2026, 9, 30), None)]) is None
