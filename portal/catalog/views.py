"""The home page, procedure pages, the language switch and the health check."""

from __future__ import annotations

from flask import Blueprint, abort, g, make_response, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from forms.periods import period_of
from portal.accounts.operations import set_locale
from portal.catalog import queries
from portal.catalog.categories import CATEGORIES, OTHER, category_label, category_of
from portal.catalog.definitions import form_of
from portal.catalog.periods import period_state
from portal.catalog.search import search
from portal.core.i18n import COOKIE, LOCALES
from portal.core.policies import public
from portal.core.urls import safe_next
from portal.tenants.queries import all_tenants, tenant_by_slug

bp = Blueprint("catalog", __name__)


@bp.route("/")
@public
def home() -> str:
    """Find a procedure: search, life-event categories, a government, the most used."""
    slug = request.args.get("tenant", "")
    tenant = tenant_by_slug(slug) if slug else None
    listed = queries.published_procedures(tenant)
    query = request.args.get("q", "")[:100]
    category = request.args.get("category", "")
    found = search(listed, [version.document for _, version in listed], query)
    if category:
        found = [entry for entry in found if category_of(entry[1].document) == category]
    present = {category_of(version.document) for _, version in listed}
    return render_template(
        "catalog/home.html",
        procedures=found,
        popular=queries.most_used(listed) if not (query or category) else [],
        categories=[(key, category_label(key)) for key in [*CATEGORIES, OTHER] if key in present],
        category=category,
        query=query,
        filtered=bool(query or category),
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
    form = form_of(version)
    g.brand = tenant  # the page wears the government's logo and colour
    return render_template(
        "catalog/procedure.html",
        procedure=found,
        version=version,
        form=form,
        document=version.document,
        documents=[f for f in form.fields() if f.type == "file"],
        period=period_of(version.document),
        period_state=period_state(version.document),
    )


@bp.route("/language/<code>")
@public
def set_language(code: str) -> Response:
    """Remember the chosen language in a cookie and go back to the page."""
    if code not in LOCALES:
        abort(404)
    if current_user.is_authenticated:
        set_locale(current_user, code)
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
