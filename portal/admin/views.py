"""Tenant administration pages (管理者): each page shows one part of the set-up and its
form; a refused form comes back with what was typed and why (422)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from portal.admin import forms, operations, queries, seals
from portal.admin.forms import LABELS, Invalid
from portal.admin.messages import messages as explain
from portal.core import storage
from portal.core.calendar import to_local_date, to_local_time
from portal.core.i18n import current_locale
from portal.core.models import utcnow
from portal.core.policies import public, tenant_admin
from portal.decisions import sealing
from portal.extensions import db
from portal.pdf.seal import SealError
from portal.review.inbox import small_id
from portal.tenants.models import ROLES
from portal.tenants.queries import staff_roles, tenant_by_slug

bp = Blueprint("admin", __name__)

ADMIN = "/staff/<tenant_slug>/admin"
Page = str | tuple[str, int] | Response


def _page(template: str, status: int = 200, **context: Any) -> tuple[str, int]:
    """Render an administration page with the input labels and no errors by default."""
    context.setdefault("errors", {})
    context.setdefault("values", request.form)
    return render_template(f"admin/{template}", labels=LABELS, roles=ROLES, **context), status


def _refused(template: str, error: Invalid, **context: Any) -> tuple[str, int]:
    """Show a form again with its errors and the typed values; nothing is kept."""
    db.session.rollback()
    return _page(template, 422, errors=explain(error), values=request.form, **context)


def _done(message: str, endpoint: str, **values: Any) -> Response:
    flash(message)
    return redirect(url_for(endpoint, tenant_slug=g.tenant.slug, **values))


def _uploaded(name: str, limit: int) -> bytes:
    """An uploaded file's bytes, one past ``limit`` at most, so a large one is refused."""
    upload = request.files.get(name)
    if upload is None:
        return b""
    try:
        return upload.stream.read(limit + 1)
    finally:
        upload.close()  # spooled to a temporary file when large: release it now


@bp.route(ADMIN)
@tenant_admin
def overview(tenant_slug: str) -> Page:
    """The administration menu."""
    return _page("overview.html")


def _tenant_values() -> dict[str, str]:
    keys = ("name_ja", "name_en", "document_symbol", "head_title", "brand_colour")
    return {key: getattr(g.tenant, key) or "" for key in keys}


@bp.route(f"{ADMIN}/details", methods=["GET", "POST"])
@tenant_admin
def details(tenant_slug: str) -> Page:
    """The government's names, document prefix, head's title, header colour and logo."""
    if request.method == "GET":
        return _page("details.html", values=_tenant_values())
    try:
        operations.update_details(g.tenant, current_user, forms.details(request.form))
    except Invalid as error:
        return _refused("details.html", error)
    return _done(_("The government details have been saved."), ".details")


@bp.route(f"{ADMIN}/logo", methods=["POST"])
@tenant_admin
def upload_logo(tenant_slug: str) -> Page:
    """Upload the government's logo (PNG or JPEG, at most 1 MB)."""
    data = _uploaded("logo", forms.MAX_LOGO_BYTES)
    try:
        operations.upload_logo(g.tenant, current_user, data)
    except Invalid as error:
        db.session.rollback()
        return _page("details.html", 422, errors=explain(error), values=_tenant_values())
    return _done(_("The logo has been saved."), ".details")


@bp.route(f"{ADMIN}/logo/remove", methods=["POST"])
@tenant_admin
def remove_logo(tenant_slug: str) -> Page:
    """Stop showing a logo."""
    operations.remove_logo(g.tenant, current_user)
    return _done(_("The logo has been removed."), ".details")


@bp.route("/tenants/<slug>/logo")
@public
def logo(slug: str) -> Response:
    """A government's logo, as the type its content was checked to be."""
    tenant = tenant_by_slug(slug)
    if tenant is None or not tenant.logo_path:
        abort(404)
    kind = "image/png" if tenant.logo_path.endswith(".png") else "image/jpeg"
    try:
        data = storage.read_bytes(tenant.logo_path)
    except FileNotFoundError:
        abort(404)
    response = Response(data, mimetype=kind)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


@bp.route(f"{ADMIN}/departments", methods=["GET", "POST"])
@tenant_admin
def departments(tenant_slug: str) -> Page:
    """The departments, and a form to add one."""
    listed = queries.departments(g.tenant)
    if request.method == "GET":
        return _page("departments.html", departments=listed)
    try:
        added = operations.add_department(g.tenant, current_user, forms.department(request.form))
    except Invalid as error:
        return _refused("departments.html", error, departments=queries.departments(g.tenant))
    return _done(_("The department “%(name)s” has been added.", name=added.name_ja), ".departments")


@bp.route(f"{ADMIN}/departments/<int:department_id>", methods=["GET", "POST"])
@tenant_admin
def edit_department(tenant_slug: str, department_id: int) -> Page:
    """Rename a department or change its phone number."""
    department = queries.department_of(g.tenant, department_id) or abort(404)
    if request.method == "GET":
        shown = {key: getattr(department, key) for key in ("name_ja", "name_en", "phone")}
        return _page("department.html", department=department, values=shown)
    try:
        values = forms.department(request.form, code=department.code)
        operations.update_department(g.tenant, current_user, department, values)
    except Invalid as error:
        return _refused("department.html", error, department=department)
    return _done(_("The department has been saved."), ".departments")


@bp.route(f"{ADMIN}/staff")
@tenant_admin
def staff(tenant_slug: str) -> Page:
    """Everyone holding a role in this government, with their roles and deputy."""
    return _page("staff.html", members=queries.staff(g.tenant))


@bp.route(f"{ADMIN}/staff/invite", methods=["GET", "POST"])
@tenant_admin
def invite(tenant_slug: str) -> Page:
    """Give a role to someone by e-mail; an account is made for a new address."""
    if request.method == "GET":
        return _page("invite.html", departments=queries.departments(g.tenant))
    try:
        invitation = forms.invitation(request.form)
        operations.invite_staff(g.tenant, current_user, invitation, current_locale())
    except Invalid as error:
        return _refused("invite.html", error, departments=queries.departments(g.tenant))
    message = _("%(email)s has been given the role and told by e-mail.", email=invitation.email)
    return _done(message, ".staff")


def _member(user_id: int) -> queries.StaffMember:
    return queries.staff_member(g.tenant, user_id) or abort(404)


def _member_page(user_id: int, error: Invalid | None = None) -> tuple[str, int]:
    if error is not None:
        db.session.rollback()
    member = _member(user_id)
    colleagues = [m.user for m in queries.staff(g.tenant) if m.user.id != user_id]
    # The deputy select shows the saved deputy unless a refused choice is being kept.
    values = {"deputy": str(member.deputy.id) if member.deputy else "", **request.form}
    return _page(
        "member.html",
        422 if error else 200,
        member=member,
        colleagues=colleagues,
        departments=queries.departments(g.tenant),
        errors=explain(error) if error else {},
        values=values,
    )


@bp.route(f"{ADMIN}/staff/<int:user_id>")
@tenant_admin
def member(tenant_slug: str, user_id: int) -> Page:
    """One member of staff: their roles (add, remove) and their deputy."""
    return _member_page(user_id)


@bp.route(f"{ADMIN}/staff/<int:user_id>/roles", methods=["POST"])
@tenant_admin
def add_role(tenant_slug: str, user_id: int) -> Page:
    """Give a member of staff another role."""
    try:
        choice = forms.role_choice(request.form)
        operations.add_role(g.tenant, current_user, _member(user_id), choice)
    except Invalid as error:
        return _member_page(user_id, error)
    return _done(_("The role has been added."), ".member", user_id=user_id)


@bp.route(f"{ADMIN}/staff/<int:user_id>/roles/<int:membership_id>/remove", methods=["POST"])
@tenant_admin
def remove_role(tenant_slug: str, user_id: int, membership_id: int) -> Page:
    """Take one role away from a member of staff."""
    member = _member(user_id)
    held = [m for m in member.memberships if m.id == membership_id] or abort(404)
    try:
        operations.remove_role(g.tenant, current_user, held[0], member.user.email)
    except Invalid as error:
        return _member_page(user_id, error)
    flash(_("The role has been removed."))
    if "admin" not in staff_roles(current_user, g.tenant):
        # The administrator removed their own role: these pages are closed to them now.
        return redirect(url_for("catalog.home"))
    if queries.staff_member(g.tenant, user_id) is None:
        return redirect(url_for(".staff", tenant_slug=g.tenant.slug))
    return redirect(url_for(".member", tenant_slug=g.tenant.slug, user_id=user_id))


@bp.route(f"{ADMIN}/staff/<int:user_id>/deputy", methods=["POST"])
@tenant_admin
def set_deputy(tenant_slug: str, user_id: int) -> Page:
    """Name who acts for a member of staff while they are absent (代決)."""
    try:
        deputy = forms.deputy_choice(request.form)
        operations.set_deputy(g.tenant, current_user, _member(user_id), deputy)
    except Invalid as error:
        return _member_page(user_id, error)
    return _done(_("The deputy has been saved."), ".member", user_id=user_id)


@bp.route(f"{ADMIN}/calendar", methods=["GET", "POST"])
@tenant_admin
def calendar(tenant_slug: str) -> Page:
    """The days the offices close, besides weekends and public holidays."""
    upcoming = queries.upcoming_closures(g.tenant, to_local_date(utcnow()))
    if request.method == "GET":
        values = {
            "closing_days": "\n".join(g.tenant.closing_days or []),
            "closed_dates": "\n".join(g.tenant.closed_dates or []),
        }
        return _page("calendar.html", values=values, upcoming=upcoming)
    try:
        operations.update_calendar(g.tenant, current_user, forms.closing_days(request.form))
    except Invalid as error:
        return _refused("calendar.html", error, upcoming=upcoming)
    return _done(_("The closing days have been saved."), ".calendar")


def _current_seal() -> seals.SealSummary | None:
    """The seal the portal signs this government's notices with, if it has a usable one."""
    from cryptography import x509

    try:
        seal = sealing.seal_for(g.tenant)
    except SealError:
        return None
    certificate = x509.load_der_x509_certificate(seal.certificate.dump())
    roots = [x509.load_der_x509_certificate(root.dump()) for root in sealing.trust_roots()]
    return seals.summary(certificate, roots, utcnow())


@bp.route(f"{ADMIN}/seal", methods=["GET", "POST"])
@tenant_admin
def seal(tenant_slug: str) -> Page:
    """The seal certificate (電子公印): what it is, and uploading a new one."""
    if request.method == "GET":
        return _page("seal.html", current=_current_seal())
    data = _uploaded("file", seals.MAX_SEAL_BYTES)
    passphrase = request.form.get("passphrase", "").encode("utf-8")
    try:
        operations.install_seal(g.tenant, current_user, data, passphrase, utcnow())
    except Invalid as error:
        db.session.rollback()
        errors = explain(error)
        return _page("seal.html", 422, current=_current_seal(), errors=errors, values={})
    return _done(_("The seal certificate has been installed."), ".seal")


@bp.route(f"{ADMIN}/audit")
@tenant_admin
def audit(tenant_slug: str) -> Page:
    """The changes made to this government's set-up, newest first, 50 a page."""
    before = small_id(request.args.get("before"))
    page = queries.audit_page(g.tenant, before)
    return _page("audit.html", page=page, before=before, local_time=_local_time, shown=_shown)


def _local_time(moment: datetime) -> str:
    return to_local_time(moment).strftime("%Y-%m-%d %H:%M:%S")


def _shown(value: Any) -> str:
    """A detail of an audit entry as text (lists and changes as compact JSON)."""
    if value is None:
        return "—"
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
