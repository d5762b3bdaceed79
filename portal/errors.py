"""Error pages in the portal's layout and language."""

from __future__ import annotations

from typing import Any

from flask import Flask, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from portal.core.kept_input import keep_posted_page


def _render(error: HTTPException) -> tuple[str, int]:
    code = error.code or 500
    return render_template("errors/error.html", code=code), code


def _csrf(error: CSRFError) -> Response | tuple[str, int]:
    # An expired session also expires the form's token: keep a page of answers and
    # bring the resident back to it (through signing in, when they are signed out).
    if keep_posted_page():
        if current_user.is_authenticated:
            flash(_("The page had been open a long time. Check your answers and save again."))
            return redirect(request.path)
        flash(_("Your session had ended. Sign in again: what you typed on the page is kept."))
        return redirect(url_for("accounts.login", next=request.path))
    return render_template("errors/error.html", code=400, csrf=True), 400


def register_error_handlers(app: Flask) -> None:
    """Show translated error pages for the HTTP errors people can meet."""
    app.register_error_handler(CSRFError, _csrf)
    for code in (400, 403, 404, 405, 409, 413, 500):
        app.register_error_handler(code, _render)
    app.register_error_handler(429, _too_many)


def _too_many(error: HTTPException) -> Response | tuple[Any, int]:
    # Machines asked in JSON get JSON; people get a page that says how long to wait.
    if request.path.startswith("/api/"):
        return jsonify(error="too_many_requests"), 429
    return render_template("errors/error.html", code=429), 429
