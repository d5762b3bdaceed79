"""Display switches, the accessibility statement, and keeping a session alive."""

from __future__ import annotations

from datetime import date, timedelta

from flask import (
    Blueprint,
    abort,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import format_timedelta
from flask_wtf.csrf import generate_csrf
from werkzeug.wrappers import Response

from portal.core.policies import public, signed_in
from portal.core.urls import safe_next
from portal.display import expiry
from portal.display.choices import (
    COOKIE_AGE,
    SETTINGS,
    display_class_attribute,
    display_settings,
)
from portal.tenants.queries import all_tenants

bp = Blueprint("display", __name__)
#: When the statement was last reviewed against the pages (update with the statement).
STATEMENT_DATE = date(2026, 12, 1)

bp.after_app_request(expiry.touch_session)
bp.add_app_template_global(display_class_attribute)
bp.add_app_template_global(display_settings)
bp.add_app_template_global(expiry.session_attributes)


@bp.route("/display")
@public
def settings() -> str:
    """The text size and colour switches on a page of their own, with some advice."""
    return render_template("display/settings.html")


@bp.route("/display/<setting>/<choice>")
@public
def choose(setting: str, choice: str) -> Response:
    """Keep a text size or colour in a cookie for a year, then go back to the page."""
    found = SETTINGS.get(setting)
    if found is None or choice not in found.values():
        abort(404)
    target = safe_next(request.args.get("next")) or url_for("catalog.home")
    response = make_response(redirect(target))
    response.set_cookie(
        found.cookie,
        choice,
        max_age=COOKIE_AGE,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure,
    )
    return response


@bp.route("/accessibility")
@public
def statement() -> str:
    """The accessibility statement: target, scope, testing, limitations, contact."""
    return render_template(
        "display/accessibility.html",
        reviewed=STATEMENT_DATE,
        duration=format_timedelta(timedelta(seconds=expiry.lifetime()), threshold=1),
        tenants=all_tenants(),
    )


@bp.route("/session/status")
@public
def session_status() -> Response:
    """How long the session has left, without counting as use (for session.js)."""
    left = expiry.seconds_left()
    return jsonify(signed_in=left > 0, expires_in=left)


@bp.route("/session/refresh", methods=["POST"])
@signed_in
def refresh_session() -> Response:
    """Keep the session: this request counts as use (see expiry.touch_session)."""
    if request.accept_mimetypes.best != "application/json":
        return redirect(safe_next(request.form.get("next")) or url_for("catalog.home"))
    # A fresh token, for forms on a page left open longer than the old one lives.
    return jsonify(signed_in=True, expires_in=expiry.lifetime(), csrf_token=generate_csrf())
