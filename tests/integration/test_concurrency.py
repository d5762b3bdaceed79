"""Two requests at the same moment: exactly one wins (run on SQLite and PostgreSQL)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.applications import operations
from portal.applications.models import Event
from portal.extensions import db
from portal.review import operations as review_operations
from tests.conftest import sign_in
from tests.integration.journey import (
    PARKING_ANSWERS,
    act,
    application_id,
    count_applications,
    fill,
    load,
    start,
    submit_parking,
)


def race(
    monkeypatch: pytest.MonkeyPatch, module: Any, name: str, calls: list[Callable[[], Any]]
) -> list[Any]:
    """Run the calls in threads that all pass ``module.name``'s entry together."""
    barrier = threading.Barrier(len(calls), timeout=10)
    real = getattr(module, name)

    def synchronised(*args: Any, **kwargs: Any) -> Any:
        barrier.wait()  # every request has read the same state before anyone writes
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, synchronised)
    results: list[Any] = [None] * len(calls)

    def run(index: int) -> None:
        try:
            results[index] = calls[index]()
        except Exception as error:  # reported by the assertion below, not lost in the thread
            results[index] = error

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not [r for r in results if isinstance(r, BaseException)], results
    return results


def test_two_simultaneous_submits_make_one_application(
    app: Flask, demo, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Plain test clients: pytest-flask's keeps contexts open, which threads cannot share.
    client = app.test_client()
    sign_in(client, "resident@example.jp")
    check = fill(client, start(client), PARKING_ANSWERS)
    second = app.test_client()
    sign_in(second, "resident@example.jp")
    results = race(
        monkeypatch,
        operations,
        "submit_application",
        [lambda: client.post(check), lambda: second.post(check)],
    )
    assert [r.status_code for r in results] == [302, 302]
    assert count_applications(app, status="submitted") == 1
    ident = application_id(check)
    with app.app_context():
        kinds = [e.kind for e in db.session.query(Event).filter_by(application_id=ident)]
    assert kinds.count("submit") == 1


def test_two_reviewers_passing_at_once_move_it_one_step(
    app: Flask, client: FlaskClient, demo, monkeypatch: pytest.MonkeyPatch
) -> None:
    ident = submit_parking(client)
    version = load(app, ident).lock_version
    first, second = app.test_client(), app.test_client()
    sign_in(first, "reviewer@pref.example.jp")
    sign_in(second, "reviewer@pref.example.jp")
    results = race(
        monkeypatch,
        review_operations,
        "act",
        [lambda: act(first, ident, "pass", version), lambda: act(second, ident, "pass", version)],
    )
    assert sorted(r.status_code for r in results) == [302, 409]
    assert load(app, ident).stage_index == 1


def test_a_reviewer_passing_and_an_approver_deciding_ahead_at_once_do_one_thing(
    app: Flask, client: FlaskClient, demo, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Two people with different authority (回議 and 引き上げ) act on the same state: one
    # wins, the other sees why on a fresh copy of the page, and the history has one step.
    ident = submit_parking(client)
    version = load(app, ident).lock_version
    reviewer, approver = app.test_client(), app.test_client()
    sign_in(reviewer, "reviewer@pref.example.jp")
    sign_in(approver, "approver@pref.example.jp")
    results = race(
        monkeypatch,
        review_operations,
        "act",
        [
            lambda: act(reviewer, ident, "pass", version),
            lambda: act(approver, ident, "approve", version),
        ],
    )
    assert sorted(r.status_code for r in results) == [302, 409]
    loser = next(r for r in results if r.status_code == 409).get_data(as_text=True)
    assert "ほかの人" in loser  # "changed by someone else" or "someone may have acted"
    with app.app_context():
        kinds = list(
            db.session.scalars(
                select(Event.kind).where(Event.application_id == ident).order_by(Event.seq)
            )
        )
    assert kinds.count("pass") + kinds.count("approve") == 1
