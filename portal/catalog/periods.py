"""Whether a procedure accepts applications today (Japan time)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from forms.periods import period_of
from portal.core.calendar import to_local_date
from portal.core.models import utcnow


def period_state(document: Mapping[str, Any]) -> str:
    """ "open", "not_yet" or "closed" today; "open" for a procedure without a period."""
    period = period_of(document)
    return "open" if period is None else period.state(to_local_date(utcnow()))
