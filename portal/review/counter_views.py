"""Staff enter an application for a resident at the counter (代理入力)."""

from __future__ import annotations

from typing import Any

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from portal.applications import counter
from portal.catalog.definitions import form_of
from portal.catalog.periods import period_state
from portal.catalog.queries import published_procedures
from portal.core.policies import tenant_staff
from portal.review.views import bp


@bp.route("/<tenant_slug>/counter", methods=["GET", "POST"])
@tenant_staff
def counter_entry(tenant_slug: str) -> Any:
    """Start an application in a resident's name, after checking who they are."""
    offered = [
        (procedure, version)
        for procedure, version in published_procedures(g.tenant)
        if period_state(version.document) == "open"
    ]
    values = request.form if request.method == "POST" else {}
    context = {"offered": offered, "checks": counter.IDENTITY_CHECKS, "values": values}
    if request.method == "GET":
        return render_template("review/counter.html", errors={}, **context)
    errors = _problems(values, offered)
    if errors:
        return render_template("review/counter.html", errors=errors, **context), 422
    version = next(v for p, v in offered if str(p.id) == values["procedure"])
    resident = counter.resident_for(
        values.get("email", ""), values["family_name"], values["given_name"]
    )
    application = counter.start_at_counter(
        current_user, version, resident, values["identity_check"]
    )
    flash(_("Fill in the application with the resident. It is recorded as entered by you."))
    return _first_page(application)


def _first_page(application: Any) -> Response:
    first = form_of(application.version).pages[0].id
    return redirect(url_for("applications.page", application_id=application.id, page_id=first))


def _problems(values: Any, offered: list[Any]) -> dict[str, str]:
    errors = {}
    if not any(str(p.id) == values.get("procedure") for p, _v in offered):
        errors["procedure"] = _("Choose the procedure the resident applies for.")
    if not values.get("family_name", "").strip():
        errors["family_name"] = _("Enter the resident's family name.")
    if not values.get("given_name", "").strip():
        errors["given_name"] = _("Enter the resident's given name.")
    email = values.get("email", "").strip()
    if email and ("@" not in email or email.endswith(".invalid")):
        errors["email"] = _("Enter an e-mail address like name@example.jp, or leave it empty.")
    if values.get("identity_check") not in counter.IDENTITY_CHECKS:
        errors["identity_check"] = _("Choose how you checked who the resident is.")
    return errors
