"""Reads about applications for residents."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from portal.accounts.models import User
from portal.applications.models import Application
from portal.core.calendar import calendar_for, to_local_date
from portal.decisions.models import Decision, Notice
from portal.extensions import db


def applications_of(user: User) -> list[Application]:
    """Return a resident's applications, newest first."""
    return list(
        db.session.scalars(
            select(Application)
            .where(Application.applicant_id == user.id)
            .order_by(Application.created_at.desc(), Application.id.desc())
        )
    )


def notices_of(application: Application) -> list[Notice]:
    """Return the ready notices of an application, oldest first."""
    return list(
        db.session.scalars(
            select(Notice)
            .join(Decision)
            .where(Decision.application_id == application.id, Notice.state == "ready")
            .order_by(Notice.id)
        )
    )


def expected_date(application: Application) -> date | None:
    """The date by which the standard processing period (標準処理期間) ends."""
    days = application.version.document.get("standard_processing_days")
    if application.submitted_at is None or days is None:
        return None
    return calendar_for(application.tenant).add_business_days(
        to_local_date(application.submitted_at), int(days)
    )
