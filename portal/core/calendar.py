"""Business-day calendars per tenant and the portal's local date."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from portal.tenants.models import Tenant
from workflows import BusinessCalendar

TOKYO = ZoneInfo("Asia/Tokyo")


def calendar_for(tenant: Tenant) -> BusinessCalendar:
    """Return the tenant's business calendar: public holidays, and the days it closes."""
    recurring = frozenset(
        (int(month), int(day))
        for month, _, day in (text.partition("-") for text in tenant.closing_days or ())
    )
    single = frozenset(date.fromisoformat(text) for text in tenant.closed_dates or ())
    return BusinessCalendar(closing_days=recurring, extra_closed=single)


def to_local_date(moment: datetime) -> date:
    """Return the date in Japan of a stored UTC moment."""
    return moment.astimezone(TOKYO).date()


def to_local_time(moment: datetime) -> datetime:
    """Return a stored UTC moment as Japan time."""
    return moment.astimezone(TOKYO)
