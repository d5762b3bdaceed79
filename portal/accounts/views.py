"""Register, verify, sign in and out, reset a forgotten password."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from forms import clean_page
from forms.prefill import PROFILE_PAGE
from forms.validation import page_form_values, page_inputs
from portal.accounts import operations
from portal.accounts.forms import (
    ForgotPasswordForm,
    GuestForm,
    LoginForm,
    RegisterForm,
    ResetPasswordForm,
)
from portal.accounts.models import User
from portal.applications import attachments
from portal.applications.models import LockerDocument
from portal.applications.wizard import look_up_address, page_errors, shown_values
from portal.core.i18n import current_locale
from portal.core.limits import (
    LOGIN_PER_ACCOUNT,
    LOGIN_PER_ADDRESS,
    MAIL_PER_ADDRESS,
    login_key,
)
from portal.core.policies import public, signed_in
from portal.core.urls import safe_next
from portal.extensions import db, limiter, login_manager

bp = Blueprint("accounts", __name__, url_prefix="/account")


@login_manager.user_loader
def load_user(session_token: str) -> User | None:
    """Find the user of a session by its rotating token."""
    return db.session.scalar(select(User).where(User.session_token == session_token))


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(LOGIN_PER_ACCOUNT, methods=["POST"], key_func=login_key)
@limiter.limit(LOGIN_PER_ADDRESS, methods=["POST"])
@public
def login() -> str | Response | tuple[str, int]:
    """Sign in with e-mail and password."""
    form = LoginForm()
    if form.validate_on_submit():
        user = operations.authenticate(form.email.data or "", form.password.data or "")
        if user is not None:
            login_user(user)
            return redirect(safe_next(request.args.get("next")) or url_for("catalog.home"))
        form.password.errors = [_("The e-mail address or password is not right.")]
    status = 422 if form.errors else 200
    return render_template("accounts/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
@public
def logout() -> Response:
    """Sign out (a POST with a CSRF token, so a link elsewhere cannot sign people out)."""
    logout_user()
    flash(_("You have signed out."))
    return redirect(url_for("catalog.home"))


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(MAIL_PER_ADDRESS, methods=["POST"])
@public
def register() -> str | tuple[str, int]:
    """Create a resident account, then ask the resident to open the mailed link."""
    form = RegisterForm()
    if form.validate_on_submit():
        operations.register_resident(
            form.email.data or "",
            form.password.data or "",
            form.family_name.data or "",
            form.given_name.data or "",
            current_locale(),
        )
        return render_template("accounts/check_email.html", email=form.email.data)
    return render_template("accounts/register.html", form=form), 422 if form.errors else 200


@bp.route("/verify/<token>")
@public
def verify_email(token: str) -> str | tuple[str, int]:
    """Confirm an e-mail address from the mailed link."""
    user = operations.verify_email(token)
    if user is None:
        return render_template("accounts/link_invalid.html"), 400
    return render_template("accounts/verified.html", user=user)


@bp.route("/verify/resend", methods=["POST"])
@limiter.limit(MAIL_PER_ADDRESS)
@signed_in
def resend_verification() -> Response:
    """Mail the verification link again."""
    if not current_user.is_verified:
        operations.send_verification(current_user)
    flash(_("We have sent the link again. Check your e-mail."))
    return redirect(safe_next(request.form.get("next")) or url_for("applications.mine"))


@bp.route("/forgot", methods=["GET", "POST"])
@limiter.limit(MAIL_PER_ADDRESS, methods=["POST"])
@public
def forgot_password() -> str | tuple[str, int]:
    """Ask for a reset link; the answer is the same whether or not the account exists."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        operations.request_password_reset(form.email.data or "")
        return render_template("accounts/check_email.html", email=form.email.data, reset=True)
    return render_template("accounts/forgot.html", form=form), 422 if form.errors else 200


@bp.route("/reset/<token>", methods=["GET", "POST"])
@public
def reset_password(token: str) -> str | Response | tuple[str, int]:
    """Choose a new password from a valid reset link."""
    user = operations.user_for_reset(token)
    if user is None:
        return render_template("accounts/link_invalid.html"), 400
    form = ResetPasswordForm()
    if form.validate_on_submit():
        operations.reset_password(user, form.password.data or "")
        logout_user()
        flash(_("Your password has been changed. Sign in with the new password."))
        return redirect(url_for("accounts.login"))
    return render_template("accounts/reset.html", form=form), 422 if form.errors else 200


@bp.route("/profile", methods=["GET", "POST"])
@signed_in
def profile() -> str | Response | tuple[str, int]:
    """The details kept to fill in forms: name, birth date, phone and address."""
    page = PROFILE_PAGE
    if request.method == "GET":
        values = page_form_values(page, current_user.profile or {})
        return render_template("accounts/profile.html", page=page, values=values, errors={})
    raw = {name: request.form.getlist(name) for name in page_inputs(page)}
    if "lookup_address" in request.form:
        raw, suggestions = look_up_address(page, raw, request.form["lookup_address"])
        values = shown_values(raw)
        return render_template(
            "accounts/profile.html", page=page, values=values, errors={}, suggestions=suggestions
        )
    result = clean_page(page, raw, {})
    if not result.ok:
        errors = page_errors(page, result.problems, current_locale())
        values = shown_values(raw)
        return render_template(
            "accounts/profile.html", page=page, values=values, errors=errors
        ), 422
    operations.save_profile(current_user, dict(result.values))
    flash(
        _("Your details have been saved. They will be filled in on your next applications."), "info"
    )
    return redirect(url_for(".profile"))


@bp.route("/documents")
@signed_in
def documents() -> str:
    """The documents the resident kept to attach again (once-only), with delete buttons."""
    return render_template("accounts/documents.html", documents=attachments.locker_of(current_user))


@bp.route("/documents/<int:document_id>")
@signed_in
def document(document_id: int) -> Response:
    """Open one of the resident's kept documents."""
    found = db.session.get(LockerDocument, document_id)
    if found is None or found.owner_id != current_user.id:
        abort(404)
    return attachments.file_response(found)


@bp.route("/documents/<int:document_id>/delete", methods=["POST"])
@signed_in
def delete_document(document_id: int) -> Response:
    """Delete a kept document; applications already sent keep their copy."""
    if attachments.delete_from_locker(current_user, document_id):
        flash(_("The document has been deleted from “My documents”."), "info")
    return redirect(url_for(".documents"))


@bp.route("/guest", methods=["POST"])
@limiter.limit(MAIL_PER_ADDRESS)
@public
def guest() -> str | tuple[str, int]:
    """Apply without an account: send a sign-in link for the procedure to an address."""
    form = GuestForm()
    target = safe_next(request.form.get("next")) or url_for("catalog.home")
    if not form.validate_on_submit():
        return render_template("accounts/guest.html", form=form, target=target), 422
    operations.request_guest_link(form.email.data or "", target, current_locale())
    return render_template("accounts/guest_sent.html", email=form.email.data)


@bp.route("/guest/<token>", methods=["GET", "POST"])
@public
def guest_link(token: str) -> str | Response | tuple[str, int]:
    """Open a guest link: a button first, so that mail scanners cannot use it up."""
    if request.method == "GET":
        return render_template("accounts/guest_continue.html", token=token)
    used = operations.use_guest_link(token)
    if used is None:
        return render_template("accounts/guest_continue.html", token=token, invalid=True), 400
    user, target = used
    login_user(user)
    return redirect(safe_next(target) or url_for("catalog.home"))
