"""URL helpers."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import current_app, has_request_context, url_for


def safe_next(target: str | None) -> str | None:
    """Return ``target`` only when it is a path on this site (no open redirects)."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target:
        return None
    return target


def external_url(endpoint: str, **values: Any) -> str:
    """An absolute link to a page, also from a command or job (PORTAL_BASE_URL then)."""
    if has_request_context():
        return url_for(endpoint, _external=True, **values)
    adapter = current_app.url_map.bind("localhost", script_name="/")
    return current_app.config["PORTAL_BASE_URL"] + adapter.build(endpoint, values)
