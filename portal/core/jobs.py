"""Background jobs: take ids, are idempotent, and run after the commit that asked for them.

In the embedded default they run inline, right after the request's commit.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from portal.core.uow import after_commit
from portal.extensions import db

log = logging.getLogger(__name__)

JOBS: dict[str, Callable[..., None]] = {}


def job(function: Callable[..., None]) -> Callable[..., None]:
    """Register a job function under its name."""
    JOBS[function.__name__] = function
    return function


def enqueue(name: str, *ids: Any) -> None:
    """Run the job ``name`` with these ids once the current unit of work has committed."""
    if name not in JOBS:
        raise KeyError(f"unknown job {name!r}")
    after_commit(lambda: run_job(name, *ids))


def run_job(name: str, *ids: Any) -> bool:
    """Run one job in its own transaction; a failure is rolled back, logged and reported."""
    try:
        JOBS[name](*ids)
        db.session.commit()
    except Exception:
        db.session.rollback()
        log.exception("job %s%r failed", name, ids)
        return False
    return True
