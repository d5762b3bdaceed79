"""Error pages in the portal's layout and language."""

from __future__ import annotations

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException


def _render(error: HTTPException) -> tuple[str, int]:
    code = error.code or 500
    return render_template("errors/error.html", code=code), code


def _csrf(error: CSRFError) -> tuple[str, int]:
    return render_template("errors/error.html", code=400, csrf=True), 400


def register_error_handlers(app: Flask) -> None:
    """Show translated error pages for the HTTP errors people can meet."""
    app.register_error_handler(CSRFError, _csrf)
    for code in (400, 403, 404, 405, 409, 413, 500):
        app.register_error_handler(code, _render)
