"""Background jobs on the task queue: Celery over the real Redis, a real worker in-process.

The worker runs in a thread of the test process (celery.contrib.testing), on Redis
database 15 (flushed before and after), against the same database file as the test,
with every task inside the Flask application's context, as ``celery -A portal.worker
worker`` runs them.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
from celery import Celery
from celery.contrib.testing.worker import start_worker
from flask import Flask
from flask.testing import FlaskClient

from portal.config import ConfigError, load_config
from portal.core import jobs
from portal.decisions import tasks
from portal.decisions.models import Notice
from portal.extensions import db
from portal.worker import celery_for
from tests.conftest import sign_in
from tests.integration.journey import load
from tests.integration.test_notices import decided_notice

REDIS_URL = "redis://127.0.0.1:6379/15"
RENDER_PDF = tasks.render_pdf


@pytest.fixture
def queue(app: Flask, monkeypatch: pytest.MonkeyPatch) -> Iterator[Celery]:
    """PORTAL_TASK_QUEUE=celery, and a worker consuming the queue for the test."""
    broker = redis.Redis.from_url(REDIS_URL)
    broker.flushdb()
    monkeypatch.setitem(app.config, "PORTAL_TASK_QUEUE", "celery")
    monkeypatch.setitem(app.config, "PORTAL_REDIS_URL", REDIS_URL)
    monkeypatch.setitem(app.config, "PORTAL_TASK_RETRY_DELAY", 0)
    app.extensions.pop("celery", None)
    celery = celery_for(app)
    try:
        with start_worker(
            celery, pool="solo", perform_ping_check=False, loglevel="WARNING", shutdown_timeout=30
        ):
            yield celery
    finally:
        app.extensions.pop("celery", None)
        broker.flushdb()
        broker.close()


def wait_for(
    app: Flask, notice_id: int, done: Callable[[Notice], bool], timeout: float = 60
) -> Notice:
    """Poll the database until the notice satisfies ``done``; return a detached copy."""
    deadline = time.monotonic() + timeout
    while True:
        with app.app_context():
            notice = db.session.get(Notice, notice_id)
            assert notice is not None
            if done(notice):
                db.session.expunge(notice)
                return notice
            state = (notice.state, notice.attempts, notice.error)
        assert time.monotonic() < deadline, f"notice still {state}"
        time.sleep(0.1)


def failing(times: int | None) -> tuple[Callable[..., bytes], list[str]]:
    """A renderer that fails ``times`` times (None: always), then renders for real;
    and the names of the threads it ran in."""
    threads: list[str] = []

    def render(template: str, context: dict[str, Any]) -> bytes:
        threads.append(threading.current_thread().name)
        if times is None or len(threads) <= times:
            raise OSError(f"disk full (try {len(threads)})")
        return RENDER_PDF(template, context)

    return render, threads


def test_a_decisions_notice_is_rendered_by_the_worker(
    app: Flask, client: FlaskClient, demo, queue: Celery, monkeypatch: pytest.MonkeyPatch
) -> None:
    render, threads = failing(0)
    monkeypatch.setattr(tasks, "render_pdf", render)
    ident, notice = decided_notice(app, client)
    ready = wait_for(app, notice.id, lambda n: n.state == "ready")
    assert ready.attempts == 1 and ready.sha256 and ready.error == ""
    assert (Path(app.config["PORTAL_DATA_DIR"]) / str(ready.path)).read_bytes()[:5] == b"%PDF-"
    # Rendered by the worker after the commit, not by the request that decided.
    assert threads and threading.current_thread().name not in threads
    assert load(app, ident).status == "completed"


def test_a_job_that_fails_twice_is_retried_and_ends_ready(
    app: Flask, client: FlaskClient, demo, queue: Celery, monkeypatch: pytest.MonkeyPatch
) -> None:
    render, threads = failing(2)
    monkeypatch.setattr(tasks, "render_pdf", render)
    _, notice = decided_notice(app, client)
    ready = wait_for(app, notice.id, lambda n: n.state == "ready")
    assert ready.attempts == 3 and len(threads) == 3
    assert ready.error == ""  # the earlier tries' errors are cleared once it is ready


def test_a_job_that_keeps_failing_stays_failed_visibly_until_retried(
    app: Flask, client: FlaskClient, demo, queue: Celery, monkeypatch: pytest.MonkeyPatch
) -> None:
    render, threads = failing(None)
    monkeypatch.setattr(tasks, "render_pdf", render)
    ident, notice = decided_notice(app, client)
    failed = wait_for(app, notice.id, lambda n: n.attempts == jobs.MAX_ATTEMPTS)
    time.sleep(1)  # no fourth try comes
    failed = wait_for(app, notice.id, lambda n: True)
    assert (failed.state, failed.attempts, len(threads)) == ("failed", 3, 3)
    assert failed.error == "OSError: disk full (try 3)"
    assert load(app, ident).status == "completed"  # the decision is kept
    sign_in(client, "approver@pref.example.jp")
    page = client.get(f"/staff/midori-pref/applications/{ident}").get_data(as_text=True)
    assert "作成に失敗しました" in page  # "Rendering failed"
    retry = f"/staff/midori-pref/notices/{notice.public_id}/retry"
    assert retry in page
    monkeypatch.setattr(tasks, "render_pdf", failing(0)[0])  # fixed
    assert client.post(retry).status_code == 302
    ready = wait_for(app, notice.id, lambda n: n.state == "ready")
    assert ready.attempts == 4 and ready.error == ""
    page = client.get(f"/staff/midori-pref/applications/{ident}").get_data(as_text=True)
    assert f"/staff/midori-pref/notices/{notice.public_id}.pdf" in page


def test_a_message_delivered_twice_renders_once(
    app: Flask, client: FlaskClient, demo, queue: Celery
) -> None:
    _, notice = decided_notice(app, client)
    ready = wait_for(app, notice.id, lambda n: n.state == "ready")
    queue.send_task("portal.run_job", args=["render_notice", notice.id])
    queue.send_task("portal.run_job", args=["render_notice", notice.id])
    time.sleep(1)
    again = wait_for(app, notice.id, lambda n: True)
    assert (again.sha256, again.rendered_at, again.attempts) == (
        ready.sha256,
        ready.rendered_at,
        1,
    )


def test_inline_failures_are_tried_once_and_the_command_renders_them_later(
    app: Flask, client: FlaskClient, demo, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert app.config["PORTAL_TASK_QUEUE"] == "inline"
    render, threads = failing(None)
    monkeypatch.setattr(tasks, "render_pdf", render)
    _, notice = decided_notice(app, client)
    assert (notice.state, notice.attempts, len(threads)) == ("failed", 1, 1)
    monkeypatch.undo()
    result = app.test_cli_runner().invoke(args=["render-pending-notices"])
    assert "1 notice(s) processed, 1 ready, 0 failed" in result.output
    ready = wait_for(app, notice.id, lambda n: True)
    assert (ready.state, ready.attempts, ready.error) == ("ready", 2, "")


def test_queue_settings_are_checked_at_start_up(tmp_path: Path) -> None:
    base = {"PORTAL_INSTANCE_DIR": str(tmp_path), "PORTAL_SECRET_KEY": "k" * 40}
    config = load_config(base)
    assert config["PORTAL_TASK_QUEUE"] == "inline"
    assert config["PORTAL_REDIS_URL"] == "redis://127.0.0.1:6379/0"
    assert config["PORTAL_TASK_RETRY_DELAY"] == 30
    config = load_config({**base, "PORTAL_TASK_QUEUE": "celery", "PORTAL_REDIS_URL": REDIS_URL})
    assert (config["PORTAL_TASK_QUEUE"], config["PORTAL_REDIS_URL"]) == ("celery", REDIS_URL)
    for name, value in (
        ("PORTAL_TASK_QUEUE", "rq"),
        ("PORTAL_REDIS_URL", "http://127.0.0.1:6379"),
        ("PORTAL_TASK_RETRY_DELAY", "soon"),
    ):
        with pytest.raises(ConfigError, match=name):
            load_config({**base, name: value})
