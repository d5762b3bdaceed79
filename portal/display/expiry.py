"""When a signed-in session ends, so that pages can warn people before it does.

The session cookie is signed with the time it was last written, and Flask refuses a
cookie older than ``PERMANENT_SESSION_LIFETIME``. Writing the time of every request by a
signed-in user into the session re-signs the cookie, so a session ends after that long
*without use* rather than that long after signing in, and the end is known: the page
says when (``data-session-expires``) and ``session.js`` warns five minutes before.

The status view must not count as use, or asking would push the end back: it is left out.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime

from flask import current_app, request, session, url_for
from flask_login import current_user
from markupsafe import Markup
from werkzeug.wrappers import Response

#: Seconds before the end that the warning is shown (WCAG 2.2.1: at least 20 s to act).
WARN_BEFORE = 300
_KEY = "active_at"
#: Requests that do not count as use.
QUIET_ENDPOINTS = frozenset({"static", "display.session_status"})


def lifetime() -> int:
    """How long a session lasts without use, in seconds."""
    return int(current_app.permanent_session_lifetime.total_seconds())


def touch_session(response: Response) -> Response:
    """Record a signed-in person's request: their session lasts from now.

    Run after the view, so that the request that signs someone in counts too."""
    if request.endpoint not in QUIET_ENDPOINTS and current_user.is_authenticated:
        session[_KEY] = int(time.time())
    return response


def seconds_left() -> int:
    """Seconds until this session ends; 0 when nobody is signed in."""
    if not current_user.is_authenticated:
        return 0
    active = session.get(_KEY)
    if not isinstance(active, int):
        return lifetime()  # a session from before the time was kept: as good as new
    return max(0, active + lifetime() - int(time.time()))


def session_attributes() -> Markup:
    """Attributes for ``<body>`` that tell ``session.js`` when the session ends."""
    if not current_user.is_authenticated:
        return Markup("")
    # This request is use (touch_session): the session lasts its whole lifetime from now.
    left = lifetime()
    expires = datetime.fromtimestamp(time.time() + left, UTC).isoformat(timespec="seconds")
    values = {
        "data-session-expires": expires,
        "data-session-left": left,
        "data-session-warn": WARN_BEFORE,
        "data-session-status": url_for("display.session_status"),
        "data-session-refresh": url_for("display.refresh_session"),
    }
    return Markup("").join(Markup(' {}="{}"').format(k, v) for k, v in values.items())
