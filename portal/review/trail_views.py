"""Staff downloads of one application's audit trail: CSV for Excel, JSON for machines."""

from __future__ import annotations

import json
from dataclasses import asdict

from flask import Response
from flask_babel import gettext as _

from portal.applications.audit import trail_rows, verify_trails
from portal.core import spreadsheet
from portal.core.policies import tenant_staff
from portal.review.views import bp, load_application


def _columns() -> list[tuple[str, str]]:
    """The keys of a trail row and their headings, translated for this request."""
    return [
        ("seq", _("No.")),
        ("at", _("When")),
        ("kind", _("What")),
        ("actor", _("Who")),
        ("from_status", _("Status before")),
        ("to_status", _("Status after")),
        ("stage", _("Step")),
        ("reason", _("Reason or comment")),
        ("prev_hash", _("Previous hash")),
        ("hash", _("Hash")),
    ]


@bp.route("/<tenant_slug>/applications/<int:application_id>/trail.csv")
@tenant_staff
def export_trail_csv(tenant_slug: str, application_id: int) -> Response:
    """Download an application's audit trail as CSV (UTF-8 with BOM, CRLF) for Excel."""
    found = load_application(application_id)
    columns = _columns()
    header = [heading for _key, heading in columns]
    rows = [[row[key] for key, _heading in columns] for row in trail_rows(found)]
    return spreadsheet.csv_response(header, rows, f"{found.reference}-trail.csv")


@bp.route("/<tenant_slug>/applications/<int:application_id>/trail.json")
@tenant_staff
def export_trail_json(tenant_slug: str, application_id: int) -> Response:
    """Download an application's audit trail as JSON, with whether its chain is intact."""
    found = load_application(application_id)
    problems = verify_trails([found.id])
    payload = {
        "reference": found.reference,
        "intact": not problems,
        "problems": [asdict(problem) for problem in problems],
        "events": trail_rows(found),
    }
    body = json.dumps(payload, ensure_ascii=False, indent=2)
    response = Response(body.encode("utf-8"), mimetype="application/json")
    return spreadsheet.download_headers(response, f"{found.reference}-trail.json")
