"""Reading the inbox's query string and action forms, and the inbox as a CSV table."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from typing import Any

from flask import Response
from flask_babel import gettext as _

from forms import localise
from portal.core import spreadsheet
from portal.core.calendar import to_local_date
from portal.core.labels import status_label
from portal.review.inbox import CLOSED, OPEN, Filters, Row, small_id
from workflows import Action, ActionKind


def _day(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def filters_from(args: Mapping[str, str], default_sort: str = "due") -> Filters:
    """The inbox filters in a query string; anything malformed is ignored, not an error."""
    procedure = args.get("procedure", "")
    status = args.get("status") or None
    sort = args.get("sort") or default_sort
    return Filters(
        procedure=small_id(procedure),
        status=status if status in OPEN + CLOSED else None,
        due_before=_day(args.get("due_before")),
        overdue=args.get("overdue") == "1",
        assignee=args.get("assignee") or None,
        sort=sort if sort in ("due", "newest") else default_sort,
    )


def action_from(form: Mapping[str, str]) -> Action:
    """The action a staff form asks for (an unknown action is refused by the engine's rules)."""
    try:
        kind = ActionKind(form.get("action", ""))
    except ValueError:
        kind = ActionKind.SUBMIT  # never a staff action: refused as not permitted
    assignee = form.get("assignee", "")
    return Action(
        kind,
        reason=form.get("reason", "").strip(),
        target_stage=form.get("target_stage") or None,
        assignee=small_id(assignee),
    )


def inbox_table(rows: Iterable[Row], locale: str) -> tuple[list[str], Iterator[list[Any]]]:
    """The header and the rows of an inbox export."""
    header = [
        _("Reference number"),
        _("Procedure"),
        _("Applicant"),
        _("Status"),
        _("Sent on"),
        _("Due"),
        _("Assigned to"),
    ]

    def lines() -> Iterator[list[Any]]:
        for row in rows:
            application = row.application
            yield [
                application.reference,
                localise(application.version.document["title"], locale),
                application.applicant.full_name,
                status_label(application.status),
                to_local_date(application.submitted_at).isoformat()
                if application.submitted_at
                else "",
                application.due_on.isoformat() if application.due_on else "",
                application.assignee.full_name if application.assignee else "",
            ]

    return header, lines()


def csv_response(table: tuple[list[str], Iterator[list[Any]]], name: str) -> Response:
    """Send an inbox table as a CSV download."""
    header, lines = table
    return spreadsheet.csv_response(header, lines, name)
