"""The home page, procedure pages, the language switch and the health check."""

from __future__ import annotations

from flask import Blueprint, abort, make_response, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from portal.catalog import queries
from portal.catalog.definitions import form_of
from portal.core.i18n import COOKIE, LOCALES
from portal.core.policies import public
from portal.core.urls import safe_next
from portal.tenants.queries import all_tenants, tenant_by_slug

bp = Blueprint("catalog", __name__)


@bp.route("/")
@public
def home() -> str:
    """List the procedures residents can apply for, optionally for one government."""
    tenant = tenant_by_slug(request.args.get("tenant", "")) if request.args.get("tenant") else None
    return render_template(
        "catalog/home.html",
        procedures=queries.published_procedures(tenant),
        tenants=all_tenants(),
        selected=tenant,
    )


@bp.route("/procedures/<tenant_slug>/<slug>")
@public
def procedure(tenant_slug: str, slug: str) -> str:
    """Explain one procedure and offer the start button."""
    tenant = tenant_by_slug(tenant_slug)
    found = queries.procedure_by_slug(tenant, slug) if tenant else None
    version = queries.latest_version(found) if found and found.is_published else None
    if version is None:
        abort(404)
    return render_template(
        "catalog/procedure.html",
        procedure=found,
        version=version,
        form=form_of(version),
        document=version.document,
    )


@bp.route("/language/<code>")
@public
def set_language(code: str) -> Response:
    """Remember the chosen language in a cookie and go back to the page."""
    if code not in LOCALES:
        abort(404)
    response = make_response(redirect(safe_next(request.args.get("next")) or url_for(".home")))
    response.set_cookie(
        COOKIE,
        code,
        max_age=365 * 24 * 3600,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure,
    )
    return response


@bp.route("/healthz")
@public
def healthz() -> tuple[str, int]:
    """Liveness probe for load balancers."""
    return "ok", 200
