"""Application periods: a subsidy round or an exam entry accepts applications only
between two dates (Japan time, both days included)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any


@dataclass(frozen=True)
class Period:
    """The days applications are accepted; either end may be open."""

    opens: date | None
    closes: date | None

    def state(self, today: date) -> str:
        """ "not_yet", "open" or "closed" on a given day."""
        if self.opens is not None and today < self.opens:
            return "not_yet"
        if self.closes is not None and today > self.closes:
            return "closed"
        return "open"


def period_of(document: Mapping[str, Any]) -> Period | None:
    """The application period a document declares, or None when it has none."""
    data = document.get("application_period")
    if not isinstance(data, Mapping):
        return None
    return Period(_day(data.get("opens")), _day(data.get("closes")))


def _day(text: object) -> date | None:
    try:
        return date.fromisoformat(text) if isinstance(text, str) else None
    except ValueError:
        return None


def period_problems(document: Mapping[str, Any]) -> list[str]:
    """Dates that do not exist, and a period that closes before it opens."""
    data = document.get("application_period")
    if not isinstance(data, Mapping):
        return []
    problems = [
        f"application_period.{key}: {data[key]!r} is not a real date"
        for key in ("opens", "closes")
        if key in data and _day(data[key]) is None
    ]
    period = period_of(document)
    if period and period.opens and period.closes and period.closes < period.opens:
        problems.append("application_period: it closes before it opens")
    return problems
