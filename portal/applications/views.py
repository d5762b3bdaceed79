"""The resident's journey: start, answer page by page, check, submit, follow, download."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.wrappers import Response

from forms import Page, field_type, localise, summary
from forms.conditions import page_field_states
from forms.fields.files import descriptors
from forms.prefill import prefilled
from forms.validation import drop_hidden, first_incomplete_page, page_form_values
from portal.accounts.operations import send_guest_link
from portal.applications import attachments, counter, operations, pages, queries, wizard
from portal.applications.models import Application
from portal.applications.receipt import receipt_pdf
from portal.catalog.definitions import fee_for, form_of
from portal.catalog.models import ProcedureVersion
from portal.catalog.periods import period_state
from portal.catalog.queries import latest_version, procedure_by_slug
from portal.core.i18n import current_locale
from portal.core.kept_input import take_kept_page
from portal.core.policies import signed_in
from portal.core.uow import keep_despite_invalid_input
from portal.extensions import db
from portal.tenants.queries import tenant_by_slug
from workflows import Status

bp = Blueprint("applications", __name__, url_prefix="/applications")


def _own(application_id: int) -> Application:
    """Load one of the signed-in resident's applications (or one the signed-in member of
    staff is entering for a resident at the counter); 404 for anyone else's."""
    application = db.session.get(Application, application_id)
    if application is None or not counter.may_enter(application, current_user):
        abort(404)
    return application


@bp.route("/start/<tenant_slug>/<slug>", methods=["POST"])
@signed_in
def start(tenant_slug: str, slug: str) -> Response:
    """Start (or resume) an application for a procedure and go to its first page."""
    tenant = tenant_by_slug(tenant_slug)
    procedure = procedure_by_slug(tenant, slug) if tenant else None
    version = latest_version(procedure) if procedure and procedure.is_published else None
    if version is None:
        abort(404)
    if current_user.is_guest and not version.document.get("guest"):
        flash(_("This procedure needs an account. Create one, or sign in."), "error")
        return redirect(url_for("catalog.procedure", tenant_slug=tenant_slug, slug=slug))
    if period_state(version.document) != "open":
        flash(_("This procedure is not accepting applications now."), "error")
        return redirect(url_for("catalog.procedure", tenant_slug=tenant_slug, slug=slug))
    application = operations.start_application(current_user, version)
    return redirect(
        url_for(".page", application_id=application.id, page_id=form_of(version).pages[0].id)
    )


@bp.route("/<int:application_id>/pages/<page_id>", methods=["GET", "POST"])
@signed_in
def page(application_id: int, page_id: str) -> str | Response | tuple[str, int]:
    """Show one page of questions; on POST validate it, keep the answers and move on."""
    application = _own(application_id)
    if application.status != Status.DRAFT.value:
        return redirect(url_for(".detail", application_id=application.id))
    form = form_of(application.version)
    try:
        current = form.page(page_id)
    except KeyError:
        abort(404)
    if not wizard.is_visible(form, application.answers, current):
        # Earlier answers hide this page: skip it, in whichever direction the resident went.
        return redirect(_after(application, current.id))
    if request.method == "GET" and (kept := take_kept_page(request.path)) is not None:
        # What the resident typed before their session ended: shown again, not saved yet.
        flash(_("What you typed before signing in again is shown. Check it and save the page."))
        return _render_page(application, current, wizard.shown_values(kept), {})
    if request.method == "GET":
        # Unanswered questions that the profile can answer are shown filled in.
        profile = application.applicant.profile or {}
        filled = prefilled(current, application.answers, profile)
        values = page_form_values(current, {**application.answers, **filled})
        return _render_page(application, current, values, {}, prefilled=bool(filled))
    return _post_page(application, current)


def _post_page(application: Application, current: Page) -> str | Response | tuple[str, int]:
    posted = pages.read_post(application, current)
    checked = None if posted.button else pages.check(application, current, posted)
    if checked is None:
        # Staying on the page: what was typed is shown again (checked only when saving).
        errors = wizard.page_errors(current, posted.problems, current_locale())
        return _stay(application, current, posted.raw, errors, posted.suggestions)
    operations.save_page(application, checked.cleaned)
    return redirect(_after(application, current.id))


def _stay(
    application: Application,
    current: Page,
    raw: dict[str, list[str]],
    errors: dict[str, str],
    suggestions: dict[str, str] | None = None,
) -> str | tuple[str, int]:
    """Show the page again with what was typed; stored uploads are kept even with errors."""
    values = wizard.shown_values(raw)
    page = _render_page(application, current, values, errors, suggestions)
    if not errors:
        return page
    keep_despite_invalid_input()
    return page, 422


def _after(application: Application, page_id: str) -> str:
    form = form_of(application.version)
    following = wizard.position(form, application.answers, form.page(page_id)).next
    if request.args.get("return") == "check" or following is None:
        return url_for(".check", application_id=application.id)
    return url_for(".page", application_id=application.id, page_id=following)


def _render_page(
    application: Application, current, values, errors, suggestions=None, prefilled=False
) -> str:  # type: ignore[no-untyped-def]
    form = form_of(application.version)
    where = wizard.position(form, application.answers, current)
    states = page_field_states(form, current, drop_hidden(form, application.answers))
    return render_template(
        "applications/page.html",
        application=application,
        page=current,
        values=values,
        errors=errors,
        step=where.step,
        steps=where.steps,
        previous=where.previous,
        field_type=field_type,
        returning=request.args.get("return") == "check",
        suggestions=suggestions or {},
        prefilled=prefilled,
        states=states,
        live=any(not isinstance(state, bool) for state in states.values()),
        newer=_newer_version(application),
        locker=attachments.locker_of(current_user) if attachments.file_fields(current) else [],
        held_files={
            f.id: descriptors(application.answers.get(f.id))
            for f in attachments.file_fields(current)
        },
    )


def _newer_version(application: Application) -> ProcedureVersion | None:
    """The procedure's latest version when a draft is on an older one."""
    if application.status != Status.DRAFT.value:
        return None
    latest = latest_version(application.version.procedure)
    return latest if latest is not None and latest.id != application.version.id else None


@bp.route("/<int:application_id>/update", methods=["POST"])
@signed_in
def update_version(application_id: int) -> Response:
    """Move a draft to the updated form, keeping the answers that still fit."""
    application = _own(application_id)
    newer = _newer_version(application)
    if newer is None:
        return redirect(url_for(".check", application_id=application.id))
    old = form_of(application.version)
    migration = operations.move_to_version(application, newer, current_user)
    again = "、".join(localise(old.field(i).label, current_locale()) for i in migration.dropped)
    if again:
        flash(
            _(
                "You are now using the updated form. Answer these questions again: %(questions)s",
                questions=again,
            ),
            "info",
        )
    else:
        flash(_("You are now using the updated form. All your answers were kept."), "info")
    form = form_of(newer)
    incomplete = first_incomplete_page(form, application.answers)
    page_id = (incomplete or form.pages[0]).id
    return redirect(url_for(".page", application_id=application.id, page_id=page_id))


@bp.route("/<int:application_id>/check", methods=["GET", "POST"])
@signed_in
def check(application_id: int) -> str | Response:
    """Check your answers, then submit (a repeated submit changes nothing)."""
    application = _own(application_id)
    if application.status != Status.DRAFT.value:
        return redirect(url_for(".submitted", application_id=application.id))
    if request.method == "POST":
        return _submit(application)
    form = form_of(application.version)
    return render_template(
        "applications/check.html",
        application=application,
        pages=summary(form, application.answers, current_locale()),
        fee=fee_for(application.version, drop_hidden(form, application.answers)),
        last_page=wizard.visible_pages(form, application.answers)[-1].id,
        needs_signature=operations.needs_signature(application),
    )


def _submit(application: Application) -> Response:
    if not current_user.is_verified:
        flash(_("Confirm your e-mail address before you send an application."), "error")
        return redirect(url_for(".check", application_id=application.id))
    signed_name = request.form.get("signed_name", "").strip()
    if operations.needs_signature(application) and not (
        signed_name and request.form.get("declare") == "yes"
    ):
        flash(_("Tick the declaration and type your full name to sign it."), "error")
        return redirect(url_for(".check", application_id=application.id, _anchor="signature"))
    try:
        operations.submit_application(
            application,
            application.applicant,
            electronic_delivery=request.form.get("electronic_delivery") == "yes",
            signed_name=signed_name or None,
        )
        if application.entered_by_id == current_user.id:
            counter.record_sent(application, current_user)
        db.session.flush()
    except operations.NotReady as error:
        flash(_("Some answers are missing or need to be corrected."), "error")
        return redirect(url_for(".page", application_id=application.id, page_id=error.page.id))
    except operations.Refused as refused:
        if refused.code != "period_closed":
            raise
        flash(
            _("The application period has ended, so this application can no longer be sent."),
            "error",
        )
        return redirect(url_for(".check", application_id=application.id))
    except StaleDataError:
        # Another request submitted the same draft at the same moment: one application.
        db.session.rollback()
    return redirect(url_for(".submitted", application_id=application.id))


@bp.route("/<int:application_id>/submitted")
@signed_in
def submitted(application_id: int) -> str | Response:
    """The confirmation page with the reference number."""
    application = _own(application_id)
    if application.status == Status.DRAFT.value:
        return redirect(url_for(".check", application_id=application.id))
    return render_template("applications/submitted.html", application=application)


@bp.route("/")
@signed_in
def mine() -> str:
    """The resident's applications, newest first."""
    return render_template(
        "applications/mine.html", applications=queries.applications_of(current_user)
    )


@bp.route("/<int:application_id>")
@signed_in
def detail(application_id: int) -> str:
    """Status, timeline, answers and notices of one of the resident's applications."""
    application = _own(application_id)
    form = form_of(application.version)
    return render_template(
        "applications/detail.html",
        application=application,
        can_withdraw=operations.can_withdraw(application, current_user),
        pages=summary(form, application.answers, current_locale()),
        notices=queries.notices_of(application),
        expected=queries.expected_date(application),
    )


@bp.route("/<int:application_id>/files/<token>")
@signed_in
def attachment(application_id: int, token: str) -> Response:
    """Open a file the resident attached to one of their applications."""
    found = attachments.attachment_of(_own(application_id), token)
    if found is None:
        abort(404)
    return attachments.file_response(found)


@bp.route("/<int:application_id>/withdraw", methods=["GET", "POST"])
@signed_in
def withdraw(application_id: int) -> str | Response | tuple[str, int]:
    """Withdraw (取下げ) a sent application before it is decided, with an optional reason."""
    application = _own(application_id)
    if not operations.can_withdraw(application, current_user):
        message = _("This application cannot be withdrawn now: it has been decided or withdrawn.")
        flash(message, "error")
        return redirect(url_for(".detail", application_id=application.id))
    reason = request.form.get("reason", "").strip()
    if request.method == "GET":
        return render_template("applications/withdraw.html", application=application, reason="")
    if len(reason) > 1000:
        error = _("The reason must be %(max)s characters or fewer.", max=1000)
        return render_template(
            "applications/withdraw.html", application=application, reason=reason, error=error
        ), 422
    operations.withdraw_application(application, current_user, reason)
    flash(
        _("Your application %(reference)s has been withdrawn.", reference=application.reference),
        "info",
    )
    return redirect(url_for(".detail", application_id=application.id))


@bp.route("/<int:application_id>/receipt.pdf")
@signed_in
def receipt(application_id: int) -> Response:
    """The receipt (受付票) of a sent application, as PDF."""
    application = _own(application_id)
    if application.submitted_at is None:
        abort(404)
    response = Response(receipt_pdf(application), mimetype="application/pdf")
    name = f"receipt-{application.reference}.pdf"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/<int:application_id>/resume")
@signed_in
def resume(application_id: int) -> Response:
    """Continue a draft where it needs an answer (on any device), else at the check page."""
    application = _own(application_id)
    if application.status != Status.DRAFT.value:
        return redirect(url_for(".detail", application_id=application.id))
    form = form_of(application.version)
    incomplete = first_incomplete_page(form, drop_hidden(form, application.answers))
    if incomplete is None:
        return redirect(url_for(".check", application_id=application.id))
    return redirect(url_for(".page", application_id=application.id, page_id=incomplete.id))


@bp.route("/<int:application_id>/guest-link", methods=["POST"])
@signed_in
def guest_link(application_id: int) -> Response:
    """A guest asks for a link by e-mail to continue the draft later, on any device."""
    application = _own(application_id)
    if current_user.is_guest and application.status == Status.DRAFT.value:
        resume_at = url_for(".resume", application_id=application.id)
        send_guest_link(current_user, resume_at)
        flash(_("We sent a link to %(email)s. Open it to continue.", email=current_user.email))
    return redirect(url_for(".resume", application_id=application.id))


@bp.route("/<int:application_id>/correct", methods=["GET", "POST"])
@signed_in
def correct(application_id: int) -> str | Response | tuple[str, int]:
    """Correct (補正) the answers staff asked about, then send the application again."""
    application = _own(application_id)
    current = operations.correction_page(application)
    if current is None:
        return redirect(url_for(".detail", application_id=application.id))
    if request.method == "GET":
        values = page_form_values(current, application.answers)
        return _render_correction(application, current, values, {})
    posted = pages.read_post(application, current)
    checked = None if posted.button else pages.check(application, current, posted)
    if checked is None:
        errors = wizard.page_errors(current, posted.problems, current_locale())
        values = wizard.shown_values(posted.raw)
        page = _render_correction(application, current, values, errors, posted.suggestions)
        if not errors:
            return page
        keep_despite_invalid_input()
        return page, 422
    try:
        operations.resubmit_correction(application, current_user, checked.cleaned)
    except operations.NotReady as error:
        flash(_("Some answers are missing or need to be corrected."), "error")
        labels = ", ".join(localise(f.label, current_locale()) for f in error.page.fields)
        flash(labels, "error")
        return redirect(url_for(".detail", application_id=application.id))
    flash(_("Your corrected application has been sent again."), "info")
    return redirect(url_for(".detail", application_id=application.id))


def _render_correction(  # type: ignore[no-untyped-def]
    application: Application, current: Page, values, errors, suggestions=None
) -> str:
    return render_template(
        "applications/correct.html",
        application=application,
        page=current,
        values=values,
        errors=errors,
        suggestions=suggestions or {},
        message=(application.correction or {}).get("message", ""),
        held_files={
            f.id: descriptors(application.answers.get(f.id))
            for f in attachments.file_fields(current)
        },
        locker=attachments.locker_of(current_user) if attachments.file_fields(current) else [],
    )
