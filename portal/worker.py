"""The Celery worker of the portal: background jobs on a task queue over Redis.

Used when ``PORTAL_TASK_QUEUE=celery``; start workers with::

    celery -A portal.worker worker --loglevel INFO

Every task runs inside the Flask application's context (the same settings, database
and storage as the web processes). There is one task, ``portal.run_job``: it runs a job
of portal/core/jobs.py by name with its ids and, when the job fails, tries it again
with a growing delay, up to ``jobs.MAX_ATTEMPTS`` tries in all. Jobs are idempotent, so
a message delivered twice (``acks_late``: a worker that dies mid-job leaves its message
for another) does no harm.
"""

from __future__ import annotations

from typing import Any

from celery import Celery, Task
from flask import Flask

from portal.core import jobs


def celery_for(app: Flask) -> Celery:
    """The Celery application bound to this Flask application (made once)."""
    existing = app.extensions.get("celery")
    if existing is not None:
        return existing

    class FlaskTask(Task):  # type: ignore[misc]
        def __call__(self, *args: Any, **kwargs: Any) -> Any:
            with app.app_context():
                return self.run(*args, **kwargs)

    celery = Celery(app.import_name, task_cls=FlaskTask)
    celery.conf.update(
        broker_url=app.config["PORTAL_REDIS_URL"],
        broker_connection_retry_on_startup=True,
        task_ignore_result=True,
        # A job is acknowledged once it has finished, so a worker that dies mid-job
        # leaves it to another worker (jobs are idempotent).
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        # Far longer than a render and than the retry delays (30 s, 60 s), so Redis
        # never hands a message a worker still holds to a second worker.
        broker_transport_options={"visibility_timeout": 3600},
    )

    # Not shared: each Flask application has its own Celery application and task.
    @celery.task(name="portal.run_job", bind=True, shared=False)  # type: ignore[untyped-decorator]
    def run_job(self: Task, name: str, *ids: Any) -> None:
        if jobs.run_job(name, *ids):
            return
        if self.request.retries + 1 < jobs.MAX_ATTEMPTS:
            raise self.retry(countdown=jobs.retry_delay(self.request.retries))

    app.extensions["celery"] = celery
    return celery


_worker_celery: Celery | None = None


def __getattr__(name: str) -> Any:
    """``celery -A portal.worker``: the Celery application of an app built from the
    environment, made only when the worker asks for it (importing this module from the
    web process builds nothing)."""
    global _worker_celery
    if name != "celery":
        raise AttributeError(name)
    if _worker_celery is None:
        from portal import create_app

        _worker_celery = celery_for(create_app())
    return _worker_celery
