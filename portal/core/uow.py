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


def keep_despite_invalid_input() -> None:
    """Commit this request's changes even though it answers with a 4xx status.

    For the rare request that both completes an operation and reports bad input, such
    as an upload stored while another answer on the same page is refused: the resident
    must not have to upload the file again. Server errors still roll back.
    """
    g.keep_on_client_error = True


def _commit_request(response: Response) -> Response:
    keep = g.pop("keep_on_client_error", False) and response.status_code < 500
    if response.status_code >= 400 and not keep:
        db.session.rollback()
        return response
    db.session.commit()
    _run(g.pop("after_commit", []))
    return response


def init_app(app: Flask) -> None:
    """Install the commit-per-request hook."""
    app.after_request(_commit_request)
