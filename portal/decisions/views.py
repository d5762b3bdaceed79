"""Notices for residents and staff; correcting and revoking decisions; electronic delivery.

Routes:

- ``/notices/<public_id>.pdf``: the resident downloads a notice, only with their consent
  to electronic delivery (otherwise it comes by post); the first download is recorded.
- ``/applications/<id>/electronic-delivery`` (POST): the resident consents later.
- ``/staff/<tenant>/notices/<public_id>.pdf`` and ``…/retry``: staff open or re-render.
- ``/staff/<tenant>/applications/<id>/decisions/<decision_id>/correct`` and ``…/revoke``:
  the deciding authority corrects (訂正) or revokes (取消し) a decision.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from werkzeug.wrappers import Response as Redirect

from portal.applications.models import Application
from portal.core.jobs import JOBS  # noqa: F401  (jobs registered before use)
from portal.core.messages import refusal_message
from portal.core.policies import signed_in, tenant_staff
from portal.core.refusals import Refused
from portal.core.storage import read_bytes
from portal.decisions import operations, queries, tasks  # noqa: F401
from portal.decisions.models import Decision, Notice
from portal.extensions import db
from portal.review.views import load_application

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
def download(public_id: str) -> Response | tuple[str, int]:
    """The resident downloads a notice; the first download is recorded as receipt.

    Only with their consent to electronic delivery: without it the notice is sent by
    post, and the page says so and offers to consent.
    """
    notice, application = _notice(public_id)
    if application.applicant_id != current_user.id:
        abort(404)
    if application.electronic_delivery_at is None:
        return render_template("decisions/by_post.html", application=application), 403
    response = _pdf(notice)
    operations.mark_downloaded(notice)
    return response


@bp.route("/applications/<int:application_id>/electronic-delivery", methods=["POST"])
@signed_in
def consent(application_id: int) -> Redirect:
    """The resident agrees to receive this application's notices electronically."""
    application = db.session.get(Application, application_id)
    if application is None or application.applicant_id != current_user.id:
        abort(404)
    try:
        if operations.consent_to_electronic_delivery(application, current_user):
            flash(_("You will receive the notices of this application here, as sealed PDFs."))
    except Refused:
        # A draft: consent is given on the check page, when the application is sent.
        return redirect(url_for("applications.check", application_id=application.id))
    return redirect(url_for("applications.detail", application_id=application.id))


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


# --- correction (訂正) and revocation (取消し) ------------------------------------------

#: The HTTP status of each refusal: no authority, a decision that no longer stands, bad input.
_REFUSAL_STATUS = {
    "not_deciding_authority": 403,
    "decision_revoked": 409,
    "decision_superseded": 409,
}


def change_message(code: str) -> str:
    """Explain why a correction or revocation was refused."""
    messages = {
        "not_deciding_authority": lambda: _(
            "Only staff who hold the authority to decide this procedure can correct or "
            "revoke its decisions."
        ),
        "decision_revoked": lambda: _(
            "This decision has been revoked. It can no longer be corrected or revoked."
        ),
        "decision_superseded": lambda: _(
            "This decision has already been corrected. Correct or revoke the newest "
            "decision instead."
        ),
        "change_reason": lambda: _("Write the reason, in at most 2,000 characters."),
        "outcome_required": lambda: _("Choose the corrected decision: approve or reject."),
        "grounds_required": lambda: _(
            "Write the grounds of the rejection: they are printed on the notice."
        ),
    }
    found = messages.get(code)
    return found() if found else refusal_message(code)


def _decision(application: Application, decision_id: int) -> Decision:
    decision = queries.decision_of(application, decision_id)
    if decision is None:
        abort(404)
    return decision


def _change_page(
    template: str, application_id: int, decision_id: int, code: str | None = None
) -> tuple[str, int]:
    """The correction or revocation page; with a refusal, its message and status."""
    application = load_application(application_id)
    decision = _decision(application, decision_id)
    standing = queries.standing(decision)
    if code is None:
        # Say at once when the action is not open to this user or this decision.
        if not operations.may_change_decision(current_user, application):
            code = "not_deciding_authority"
        elif standing.revocation is not None:
            code = "decision_revoked"
        elif standing.superseded_by is not None:
            code = "decision_superseded"
    status = 200 if code is None else _REFUSAL_STATUS.get(code, 422)
    return render_template(
        template,
        application=application,
        decision=decision,
        standing=standing,
        form=request.form,
        error=change_message(code) if code else None,
        allowed=status in (200, 422),
    ), status


def _done(tenant_slug: str, application: Application, message: str) -> Redirect:
    flash(message)
    return redirect(
        url_for("review.application", tenant_slug=tenant_slug, application_id=application.id)
    )


@bp.route(
    "/staff/<tenant_slug>/applications/<int:application_id>/decisions/<int:decision_id>/correct",
    methods=["GET", "POST"],
)
@tenant_staff
def correct(tenant_slug: str, application_id: int, decision_id: int) -> Redirect | tuple[str, int]:
    """Correct (訂正) a decision: a new decision and notice supersede it."""
    if request.method == "GET":
        return _change_page("decisions/correct.html", application_id, decision_id)
    application = load_application(application_id)
    decision = _decision(application, decision_id)
    try:
        corrected = operations.correct_decision(
            decision,
            current_user,
            request.form.get("outcome", ""),
            request.form.get("grounds", ""),
            request.form.get("reason", ""),
        )
    except (Refused, IntegrityError) as error:
        db.session.rollback()
        # Two corrections of the same decision at once: the database keeps one.
        code = error.code if isinstance(error, Refused) else "decision_superseded"
        return _change_page("decisions/correct.html", application_id, decision_id, code)
    return _done(
        tenant_slug,
        application,
        _(
            "Decision %(old)s was corrected by decision %(new)s. Its notice is being prepared.",
            old=decision.document_number,
            new=corrected.document_number,
        ),
    )


@bp.route(
    "/staff/<tenant_slug>/applications/<int:application_id>/decisions/<int:decision_id>/revoke",
    methods=["GET", "POST"],
)
@tenant_staff
def revoke(tenant_slug: str, application_id: int, decision_id: int) -> Redirect | tuple[str, int]:
    """Revoke (取消し) a decision, with a reason shown to the applicant and on verification."""
    if request.method == "GET":
        return _change_page("decisions/revoke.html", application_id, decision_id)
    application = load_application(application_id)
    decision = _decision(application, decision_id)
    try:
        operations.revoke_decision(decision, current_user, request.form.get("reason", ""))
    except (Refused, IntegrityError) as error:
        db.session.rollback()
        code = error.code if isinstance(error, Refused) else "decision_revoked"
        return _change_page("decisions/revoke.html", application_id, decision_id, code)
    return _done(
        tenant_slug,
        application,
        _("Decision %(number)s was revoked.", number=decision.document_number),
    )


# --- template helpers -----------------------------------------------------------------


@bp.app_template_global()
def decision_standing(decision: Decision) -> queries.Standing:
    """Whether a decision is in force, corrected or revoked (for the notices lists)."""
    return queries.standing(decision)


@bp.app_template_global()
def may_change_decisions(application: Application) -> bool:
    """Whether the signed-in member of staff may correct or revoke this application's
    decisions (the links are shown only to them)."""
    return operations.may_change_decision(current_user, application)
