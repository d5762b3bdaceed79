"""The staff back office: the inbox and the application page with its actions."""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.wrappers import Response

from forms import summary
from portal.applications import attachments
from portal.applications.operations import Refused
from portal.applications.queries import expected_date, revision_changes
from portal.catalog.definitions import form_of, route_of
from portal.core.i18n import current_locale
from portal.core.messages import refusal_message
from portal.core.policies import signed_in, tenant_staff
from portal.extensions import db
from portal.review import operations, queries
from portal.tenants.queries import staff_tenants
from workflows import Actor, CaseState, allowed_actions, current_stage

bp = Blueprint("review", __name__, url_prefix="/staff")


@bp.route("/")
@signed_in
def index() -> Response | str:
    """Send staff to their tenant's inbox (or let them choose among several)."""
    tenants = staff_tenants(current_user)
    if not tenants:
        abort(403)
    if len(tenants) == 1:
        return redirect(url_for(".inbox", tenant_slug=tenants[0].slug))
    return render_template("review/choose.html", tenants=tenants)


@bp.route("/<tenant_slug>/inbox")
@tenant_staff
def inbox(tenant_slug: str) -> str:
    """My tasks, everything open and everything closed in this tenant."""
    tab = request.args.get("tab", "mine")
    if tab not in queries.TABS:
        abort(404)
    return render_template(
        "review/inbox.html",
        tab=tab,
        applications=queries.inbox(g.tenant, g.staff_roles, tab),
        counts=queries.tab_counts(g.tenant, g.staff_roles),
        expected_date=expected_date,
    )


def _load(application_id: int):  # type: ignore[no-untyped-def]
    application = queries.tenant_application(g.tenant, application_id)
    if application is None:
        abort(404)
    return application


@bp.route("/<tenant_slug>/applications/<int:application_id>/files/<token>")
@tenant_staff
def attachment(tenant_slug: str, application_id: int, token: str) -> Response:
    """Open a file attached to an application of the tenant."""
    found = attachments.attachment_of(_load(application_id), token)
    if found is None:
        abort(404)
    return attachments.file_response(found)


@bp.route("/<tenant_slug>/applications/<int:application_id>")
@tenant_staff
def application(tenant_slug: str, application_id: int) -> str:
    """Answers, history, notices, and the actions the engine allows this user now."""
    return _render_application(_load(application_id))


def _render_application(found, error: str | None = None) -> str:  # type: ignore[no-untyped-def]
    route = route_of(found.version)
    state = CaseState(found.status_enum, found.stage_index)
    actor = Actor(
        current_user.id, g.staff_roles, is_applicant=found.applicant_id == current_user.id
    )
    return render_template(
        "review/application.html",
        application=found,
        stage=current_stage(route, state),
        route=route,
        actions=allowed_actions(route, state, actor),
        pages=summary(form_of(found.version), found.answers, current_locale()),
        notices=queries.notices_for_staff(found),
        expected=expected_date(found),
        corrections=revision_changes(found, current_locale()),
        error=error,
    )


@bp.route("/<tenant_slug>/applications/<int:application_id>/act", methods=["POST"])
@tenant_staff
def act(tenant_slug: str, application_id: int) -> Response | tuple[str, int]:
    """Take one action on an application."""
    found = _load(application_id)
    try:
        operations.act(
            found,
            current_user,
            g.staff_roles,
            request.form.get("action", ""),
            request.form.get("reason", ""),
            request.form.get("version", 0, type=int),
            request.form.getlist("fields"),
        )
        db.session.flush()
    except (Refused, StaleDataError) as error:
        db.session.rollback()
        code = error.code if isinstance(error, Refused) else "stale"
        return _render_application(_load(application_id), refusal_message(code)), 409
    flash(_("Done: %(reference)s", reference=found.reference))
    return redirect(url_for(".inbox", tenant_slug=tenant_slug))


@bp.route("/<tenant_slug>/applications/<int:application_id>/message", methods=["POST"])
@tenant_staff
def message(tenant_slug: str, application_id: int) -> Response | tuple[str, int]:
    """Send the applicant a message (an answer to a question, a reminder)."""
    found = _load(application_id)
    try:
        operations.message_applicant(found, current_user, request.form.get("message", ""))
    except Refused as error:
        db.session.rollback()
        return _render_application(_load(application_id), refusal_message(error.code)), 422
    flash(_("Message sent to the applicant: %(reference)s", reference=found.reference))
    return redirect(url_for(".application", tenant_slug=tenant_slug, application_id=found.id))


@bp.route("/<tenant_slug>/applications/<int:application_id>/note", methods=["POST"])
@tenant_staff
def note(tenant_slug: str, application_id: int) -> Response | tuple[str, int]:
    """Add an internal note (the resident never sees it)."""
    found = _load(application_id)
    try:
        operations.add_internal_note(found, current_user, request.form.get("note", ""))
    except Refused as error:
        db.session.rollback()
        return _render_application(_load(application_id), refusal_message(error.code)), 422
    return redirect(url_for(".application", tenant_slug=tenant_slug, application_id=found.id))
