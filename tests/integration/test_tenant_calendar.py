"""Each government's own closing days count in its deadlines, besides public holidays."""

from __future__ import annotations

from datetime import date

from flask import Flask
from sqlalchemy import select

from portal.core.calendar import calendar_for
from portal.extensions import db
from portal.tenants.models import Tenant


def _tenant(slug: str) -> Tenant:
    found = db.session.scalar(select(Tenant).where(Tenant.slug == slug))
    assert found is not None
    return found


def test_a_town_closes_on_its_own_day_and_everyone_at_the_year_end(app: Flask, demo) -> None:
    with app.app_context():
        town, prefecture = (
            calendar_for(_tenant("sakura-town")),
            calendar_for(_tenant("midori-pref")),
        )
        town_day = date(2026, 4, 10)  # a Friday: 町民の日 in the demo town only
        assert not town.is_business_day(town_day) and prefecture.is_business_day(town_day)
        assert town.add_business_days(date(2026, 4, 9), 1) == date(2026, 4, 13)
        assert prefecture.add_business_days(date(2026, 4, 9), 1) == town_day
        for calendar in (town, prefecture):
            assert not calendar.is_business_day(date(2026, 12, 29))  # 年末年始
            assert not calendar.is_business_day(date(2027, 1, 11))  # 成人の日


def test_single_closed_dates_are_skipped_too(app: Flask, demo) -> None:
    with app.app_context():
        prefecture = _tenant("midori-pref")
        prefecture.closed_dates = ["2026-06-03"]  # e.g. a system changeover, a Wednesday
        calendar = calendar_for(prefecture)
        assert not calendar.is_business_day(date(2026, 6, 3))
        assert calendar.add_business_days(date(2026, 6, 2), 1) == date(2026, 6, 4)
        db.session.rollback()
