"""Notice downloads for residents and staff, and the retry of a failed rendering."""

from __future__ import annotations

from flask import Blueprint, Response, abort, g, redirect, url_for
from flask_login import current_user
from sqlalchemy import select

from portal.applications.models import Application
from portal.core.jobs import JOBS  # noqa: F401  (jobs registered before use)
from portal.core.policies import signed_in, tenant_staff
from portal.core.storage import read_bytes
from portal.decisions import operations, tasks  # noqa: F401
from portal.decisions.models import Decision, Notice
from portal.extensions import db

bp = Blueprint("decisions", __name__)


def _notice(public_id: str) -> tuple[Notice, Application]:
    row = db.session.execute(
        select(Notice, Application)
        .join(Decision, Notice.decision_id == Decision.id)
        .join(Application, Decision.application_id == Application.id)
        .where(Notice.public_id == public_id)
    ).first()
    if row is None:
        abort(404)
    return row[0], row[1]


def _pdf(notice: Notice) -> Response:
    if notice.state != "ready" or notice.path is None:
        abort(404)
    response = Response(read_bytes(notice.path), mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{notice.public_id}.pdf"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/notices/<public_id>.pdf")
@signed_in
def download(public_id: str) -> Response:
    """The resident downloads a notice; the first download is recorded."""
    notice, application = _notice(public_id)
    if application.applicant_id != current_user.id:
        abort(404)
    response = _pdf(notice)
    operations.mark_downloaded(notice)
    return response


@bp.route("/staff/<tenant_slug>/notices/<public_id>.pdf")
@tenant_staff
def staff_download(tenant_slug: str, public_id: str) -> Response:
    """Staff open a notice of their tenant (not counted as the resident's receipt)."""
    notice, application = _notice(public_id)
    if application.tenant_id != g.tenant.id:
        abort(404)
    return _pdf(notice)


@bp.route("/staff/<tenant_slug>/notices/<public_id>/retry", methods=["POST"])
@tenant_staff
def retry(tenant_slug: str, public_id: str) -> Response:
    """Render a failed notice again."""
    notice, application = _notice(public_id)
    if application.tenant_id != g.tenant.id:
        abort(404)
    operations.retry_notice(notice)
    return redirect(
        url_for(
            "review.application",
            tenant_slug=tenant_slug,  # type: ignore[return-value]
            application_id=application.id,
        )
    )
