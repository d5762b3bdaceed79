"""Keeping what a resident typed on a page when their session ends before they send it.

A resident who leaves a form open for hours and then presses "save" has no session
any more: the request is refused (no session, or an expired CSRF token) and they are
asked to sign in. What they typed on that page is kept in the new session and shown
again, unsaved, once they are back on the page, so nothing they typed is lost.

Only a page of the wizard is kept, only from a form posted by the portal's own pages
(same origin, so another site cannot plant answers), and only when it is small enough
for the session cookie; files cannot be kept and have to be chosen again.
"""

from __future__ import annotations

import json
import re
from urllib.parse import urlsplit

from flask import request, session

_WIZARD_PAGE = re.compile(r"^/applications/\d+/pages/[a-z][a-z0-9_]{0,39}$")
#: The session is a signed cookie: beyond this the answers are not kept.
MAX_CHARS = 2500
_KEY = "kept_page"


def _same_origin() -> bool:
    origin = request.headers.get("Origin") or request.referrer or ""
    return urlsplit(origin).netloc == request.host


def keep_posted_page() -> bool:
    """Keep the posted page's input in the session if it qualifies; say whether it did."""
    if request.method != "POST" or not _WIZARD_PAGE.match(request.path) or not _same_origin():
        return False
    form = {
        key: request.form.getlist(key)
        for key in request.form
        if key != "csrf_token" and not key.startswith(("add_item", "remove_", "upload"))
    }
    if len(json.dumps(form, ensure_ascii=False)) > MAX_CHARS:
        return False
    session[_KEY] = {"path": request.path, "form": form}
    return True


def take_kept_page(path: str) -> dict[str, list[str]] | None:
    """The input kept for this page, once (it is removed from the session)."""
    kept = session.get(_KEY)
    if not isinstance(kept, dict) or kept.get("path") != path:
        return None
    session.pop(_KEY, None)
    form = kept.get("form")
    return form if isinstance(form, dict) else None
