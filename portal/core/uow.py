"""The unit of work: one commit per request, side effects only after it succeeds."""

from __future__ import annotations

import logging
from collections.abc import Callable

from flask import Flask, Response, g, has_request_context

from portal.extensions import db

log = logging.getLogger(__name__)

Callback = Callable[[], None]


def after_commit(callback: Callback) -> None:
    """Run ``callback`` once the current request's (or command's) commit has succeeded."""
    if has_request_context():
        g.setdefault("after_commit", []).append(callback)
    else:
        _pending.append(callback)


_pending: list[Callback] = []


def commit() -> None:
    """Commit outside a request (CLI, jobs) and then run the queued side effects."""
    db.session.commit()
    callbacks, _pending[:] = list(_pending), []
    _run(callbacks)


def _run(callbacks: list[Callback]) -> None:
    for callback in callbacks:
        try:
            callback()
        except Exception:
            # A side effect must never undo or hide a committed change; jobs record
            # their own failure state, so logging here is enough.
            log.exception("after-commit callback failed")


def _commit_request(response: Response) -> Response:
    if response.status_code >= 400:
        db.session.rollback()
        return response
    db.session.commit()
    _run(g.pop("after_commit", []))
    return response


def init_app(app: Flask) -> None:
    """Install the commit-per-request hook."""
    app.after_request(_commit_request)
