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
from workflows.calendar import due_date


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
    """The date by which the standard processing period (標準処理期間) ends; the time
    spent waiting for corrections (補正) does not count, and while one is awaited
    the date is unknown (None)."""
    days = application.version.document.get("standard_processing_days")
    if application.submitted_at is None or days is None:
        return None
    return due_date(
        calendar_for(application.tenant),
        to_local_date(application.submitted_at),
        int(days),
        correction_pauses(application),
    )


def correction_pauses(application: Application) -> list[tuple[date, date | None]]:
    """The days each correction was asked and sent back (None while still awaited)."""
    pauses: list[tuple[date, date | None]] = []
    for event in application.events:
        if event.kind == "request_correction":
            pauses.append((to_local_date(event.at), None))
        elif event.kind == "resubmit" and pauses and pauses[-1][1] is None:
            pauses[-1] = (pauses[-1][0], to_local_date(event.at))
    return pauses


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
