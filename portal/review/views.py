"""The staff back office: the inbox and the application page with its actions."""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.wrappers import Response

from forms import summary
from portal.applications import attachments
from portal.applications.models import Application
from portal.applications.queries import expected_date, revision_changes
from portal.catalog.definitions import form_of
from portal.catalog.queries import latest_version
from portal.core.i18n import current_locale
from portal.core.messages import refusal_message
from portal.core.policies import signed_in, tenant_staff
from portal.core.refusals import Refused
from portal.extensions import db
from portal.review import exports, inbox, operations, progress, queries
from portal.review.authority import is_absent, today
from portal.tenants.queries import staff_tenants

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


def _viewer() -> inbox.Viewer:
    return inbox.Viewer.of(current_user, g.tenant, g.staff_roles)


@bp.route("/<tenant_slug>/inbox", endpoint="inbox")
@tenant_staff
def inbox_page(tenant_slug: str) -> str:
    """My tasks, my departments' queue, everything open or closed, readings (後閲)."""
    tab, filters = _inbox_args()
    viewer = _viewer()
    found = inbox.page(viewer, tab, filters, request.args.get("after"))
    return render_template(
        "review/inbox.html",
        tab=tab,
        filters=filters,
        page=found,
        counts=inbox.counts(viewer),
        count_cap=inbox.COUNT_CAP,
        procedures=[(p, latest_version(p)) for p in queries.tenant_procedures(g.tenant)],
        statuses=inbox.OPEN + inbox.CLOSED,
        assignees=queries.tenant_staff_members(g.tenant),
        today=today(),
        is_absent=is_absent(current_user),
    )


@bp.route("/<tenant_slug>/inbox.csv")
@tenant_staff
def inbox_csv(tenant_slug: str) -> Response:
    """The filtered tab as CSV for Excel (UTF-8 with BOM), every page of it."""
    tab, filters = _inbox_args()
    rows = inbox.all_rows(_viewer(), tab, filters)
    return exports.csv_response(exports.inbox_table(rows, current_locale()), f"inbox-{tab}.csv")


def _inbox_args() -> tuple[str, inbox.Filters]:
    tab = request.args.get("tab", "mine")
    if tab not in inbox.TABS:
        abort(404)
    return tab, exports.filters_from(
        request.args, default_sort="newest" if tab == "closed" else "due"
    )


def load_application(application_id: int) -> Application:
    """An application of this tenant the member of staff may see, or a 404."""
    application = queries.tenant_application(g.tenant, application_id)
    if application is None or not inbox.may_view(_viewer(), application):
        abort(404)
    return application


@bp.route("/<tenant_slug>/applications/<int:application_id>/files/<token>")
@tenant_staff
def attachment(tenant_slug: str, application_id: int, token: str) -> Response:
    """Open a file attached to an application of the tenant."""
    found = attachments.attachment_of(load_application(application_id), token)
    if found is None:
        abort(404)
    return attachments.file_response(found)


@bp.route("/<tenant_slug>/applications/<int:application_id>")
@tenant_staff
def application(tenant_slug: str, application_id: int) -> str:
    """Answers, history, notices, and the actions the engine allows this user now."""
    return _render_application(load_application(application_id))


def _render_application(found, error: str | None = None) -> str:  # type: ignore[no-untyped-def]
    return render_template(
        "review/application.html",
        application=found,
        step=queries.step_view(found, current_user),
        department_names=queries.department_names(g.tenant, current_locale()),
        history=queries.history(found, current_locale()),
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
    found = load_application(application_id)
    try:
        operations.act(
            found,
            current_user,
            exports.action_from(request.form),
            request.form.get("version", 0, type=int),
            request.form.getlist("fields"),
        )
        db.session.flush()
    except (Refused, StaleDataError) as error:
        db.session.rollback()
        code = error.code if isinstance(error, Refused) else "stale"
        return _render_application(load_application(application_id), refusal_message(code)), 409
    flash(_("Done: %(reference)s", reference=found.reference))
    return redirect(url_for(".inbox", tenant_slug=tenant_slug))


@bp.route("/<tenant_slug>/applications/<int:application_id>/read", methods=["POST"])
@tenant_staff
def acknowledge(tenant_slug: str, application_id: int) -> Response:
    """Record that I have read what was decided without me (後閲済)."""
    found = load_application(application_id)
    if progress.acknowledge_reading(found, current_user):
        flash(_("Marked as read: %(reference)s", reference=found.reference))
    return redirect(url_for(".inbox", tenant_slug=tenant_slug, tab="readings"))


@bp.route("/<tenant_slug>/absence", methods=["GET", "POST"])
@tenant_staff
def absence(tenant_slug: str) -> Response | str | tuple[str, int]:
    """Mark myself absent until a day, and choose who acts for me meanwhile (代決)."""
    colleagues = [u for u in queries.tenant_staff_members(g.tenant) if u.id != current_user.id]
    error = None
    if request.method == "POST":
        try:
            operations.set_absence(
                current_user,
                g.tenant,
                request.form.get("until", ""),
                request.form.get("deputy", ""),
            )
            flash(_("Your absence has been saved."))
            return redirect(url_for(".inbox", tenant_slug=tenant_slug))
        except Refused as refused:
            db.session.rollback()
            error = refusal_message(refused.code)
    return render_template(
        "review/absence.html",
        colleagues=colleagues,
        deputy_id=queries.deputy_of(current_user, g.tenant),
        form=request.form,
        error=error,
    ), (422 if error else 200)


@bp.route("/<tenant_slug>/applications/<int:application_id>/message", methods=["POST"])
@tenant_staff
def message(tenant_slug: str, application_id: int) -> Response | tuple[str, int]:
    """Send the applicant a message (an answer to a question, a reminder)."""
    return _write(application_id, operations.message_applicant, "message")


@bp.route("/<tenant_slug>/applications/<int:application_id>/note", methods=["POST"])
@tenant_staff
def note(tenant_slug: str, application_id: int) -> Response | tuple[str, int]:
    """Add an internal note (the resident never sees it)."""
    return _write(application_id, operations.add_internal_note, "note")


def _write(  # type: ignore[no-untyped-def]
    application_id: int, operation, field: str
) -> Response | tuple[str, int]:
    """Post one text (a message or a note) to an application, or show why it was refused."""
    found = load_application(application_id)
    try:
        operation(found, current_user, request.form.get(field, ""))
    except Refused as error:
        db.session.rollback()
        fresh = load_application(application_id)
        return _render_application(fresh, refusal_message(error.code)), 422
    if field == "message":
        flash(_("Message sent to the applicant: %(reference)s", reference=found.reference))
    return redirect(url_for(".application", tenant_slug=g.tenant.slug, application_id=found.id))
