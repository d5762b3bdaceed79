"""Reads about applications for residents."""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

from sqlalchemy import select

from forms import display_answer, localise
from portal.accounts.models import User
from portal.applications.models import Application, Revision
from portal.catalog.definitions import form_of
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


def revision_changes(application: Application, locale: str) -> list[dict[str, Any]]:
    """Each resubmission after a correction with the answers it changed (old and new)."""
    revisions = list(
        db.session.scalars(
            select(Revision)
            .where(Revision.application_id == application.id)
            .order_by(Revision.number)
        )
    )
    form = form_of(application.version)
    changes = []
    for before, after in itertools.pairwise(revisions):
        rows = [
            {
                "label": localise(f.label, locale),
                "before": display_answer(f, before.answers.get(f.id), locale),
                "after": display_answer(f, after.answers.get(f.id), locale),
            }
            for f in form.fields()
            if before.answers.get(f.id) != after.answers.get(f.id)
        ]
        changes.append({"number": after.number, "at": after.created_at, "rows": rows})
    return changes
