"""Background jobs: take ids, are idempotent, and run after the commit that asked for them.

``PORTAL_TASK_QUEUE`` says where they run:

- ``inline`` (the embedded default): right after the request's commit, in the same
  process, tried once. A failed job leaves its visible failure state; the staff retry
  button and ``flask render-pending-notices`` run it again.
- ``celery``: sent by name with its ids to a Celery worker over Redis
  (``PORTAL_REDIS_URL``, see portal/worker.py), which tries it up to MAX_ATTEMPTS times,
  waiting longer before each new try.

Each try runs in its own transaction. When a job raises, its changes are rolled back and
its failure hook (if it has one) records the failure in a transaction of its own, so a
failure loses nothing that was committed before and stays visible.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, TypeVar, overload

from flask import current_app

from portal.core.uow import after_commit
from portal.extensions import db

log = logging.getLogger(__name__)

#: How many times a queued job is tried before it stays failed.
MAX_ATTEMPTS = 3

JOBS: dict[str, Callable[..., None]] = {}
#: Called as ``hook(*ids, error=exception)`` after a failed try, in a new transaction.
FAILURE_HOOKS: dict[str, Callable[..., None]] = {}


Job = TypeVar("Job", bound=Callable[..., None])


@overload
def job(function: Job) -> Job: ...
@overload
def job(*, on_failure: Callable[..., None]) -> Callable[[Job], Job]: ...


def job(
    function: Job | None = None, *, on_failure: Callable[..., None] | None = None
) -> Job | Callable[[Job], Job]:
    """Register a job function under its name (``@job`` or ``@job(on_failure=hook)``)."""

    def register(function: Job) -> Job:
        JOBS[function.__name__] = function
        if on_failure is not None:
            FAILURE_HOOKS[function.__name__] = on_failure
        return function

    return register(function) if function is not None else register


def enqueue(name: str, *ids: Any) -> None:
    """Run the job ``name`` with these ids once the current unit of work has committed."""
    if name not in JOBS:
        raise KeyError(f"unknown job {name!r}")
    after_commit(lambda: dispatch(name, *ids))


def dispatch(name: str, *ids: Any) -> None:
    """Run a job now (inline) or hand it to the task queue, as configured."""
    if current_app.config.get("PORTAL_TASK_QUEUE", "inline") == "celery":
        from portal.worker import celery_for  # here: portal.worker imports this module

        # By name: the web process needs no task objects, only the broker.
        celery_for(current_app).send_task("portal.run_job", args=[name, *ids])
    else:
        run_job(name, *ids)


def run_job(name: str, *ids: Any) -> bool:
    """Try one job in its own transaction; a failure is rolled back, recorded and logged."""
    try:
        JOBS[name](*ids)
        db.session.commit()
    except Exception as error:
        db.session.rollback()
        log.exception("job %s%r failed", name, ids)
        _record_failure(name, ids, error)
        return False
    return True


def _record_failure(name: str, ids: tuple[Any, ...], error: Exception) -> None:
    hook = FAILURE_HOOKS.get(name)
    if hook is None:
        return
    try:
        hook(*ids, error=error)
        db.session.commit()
    except Exception:
        db.session.rollback()
        log.exception("the failure of job %s%r could not be recorded", name, ids)


def retry_delay(retries: int) -> float:
    """Seconds before the next try after ``retries`` failed ones: doubling each time."""
    base = float(current_app.config.get("PORTAL_TASK_RETRY_DELAY", 30))
    return float(base * 2**retries)
