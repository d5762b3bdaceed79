"""Applying without an account: a single-use e-mail link instead of a password."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.accounts.models import User
from portal.extensions import db
from tests.conftest import link_in, outbox
from tests.integration.journey import application_id, fill, load
from tests.integration.test_sample_procedures import VALID

EVENT = "/procedures/sakura-town/event-signup"


def _ask(client: FlaskClient, email: str, target: str = EVENT) -> int:
    return client.post("/account/guest", data={"email": email, "next": target}).status_code


def _last_link(app: Flask) -> str:
    return link_in(outbox(app)[-1])


def test_a_guest_signs_up_for_an_event_with_a_link(app: Flask, client: FlaskClient, demo) -> None:
    page = client.get(EVENT).get_data(as_text=True)
    assert "アカウントを作らずに申し込む" in page
    assert _ask(client, "guest@example.jp") == 200
    link = _last_link(app)
    # Opening the link only shows a button: mail scanners cannot use it up.
    assert "/account/guest/" in link and client.get(link).status_code == 200
    assert client.get("/applications/").status_code == 302  # not signed in yet
    opened = client.post(link)
    assert opened.status_code == 302 and opened.headers["Location"] == EVENT
    start = client.post("/applications/start/sakura-town/event-signup")
    first = start.headers["Location"]
    check = fill(client, first, VALID["event-signup"])
    sent = client.post(check)
    assert sent.status_code == 302 and sent.headers["Location"].endswith("/submitted")
    application = load(app, application_id(first))
    assert application.reference is not None
    with app.app_context():
        guest = db.session.scalar(select(User).where(User.email == "guest@example.jp"))
        assert guest is not None and guest.is_guest and guest.is_verified


def test_a_link_works_once_and_a_new_one_continues_later(
    app: Flask, client: FlaskClient, demo
) -> None:
    _ask(client, "guest@example.jp")
    link = _last_link(app)
    client.post(link)
    first = client.post("/applications/start/sakura-town/event-signup").headers["Location"]
    client.post(first, data=VALID["event-signup"]["event"])
    ident = application_id(first)
    # The guest asks for a link to continue on another device.
    assert client.post(f"/applications/{ident}/guest-link").status_code == 302
    resume = _last_link(app)
    other = app.test_client()
    assert other.post(link).status_code == 400  # the first link is used up
    assert other.post(resume).headers["Location"] == f"/applications/{ident}/resume"
    assert (
        other.get(f"/applications/{ident}/resume")
        .headers["Location"]
        .endswith("/pages/participant")
    )
    assert other.post(resume).status_code == 400  # and so is this one now


def test_account_holders_and_other_procedures_need_signing_in(
    app: Flask, client: FlaskClient, demo
) -> None:
    before = len(outbox(app))
    assert _ask(client, "resident@example.jp") == 200  # the same answer as for anyone
    message = outbox(app)[before]
    assert "/account/login" in link_in(message)
    with app.app_context():
        resident = db.session.scalar(select(User).where(User.email == "resident@example.jp"))
        assert resident is not None and not resident.is_guest
    _ask(client, "guest@example.jp")
    client.post(_last_link(app))
    refused = client.post("/applications/start/aoba-city/residence-certificate")
    assert refused.headers["Location"].endswith("/procedures/aoba-city/residence-certificate")
    assert "アカウントが必要" in client.get(refused.headers["Location"]).get_data(as_text=True)
    assert _ask(client, "not an address") == 422


def test_an_old_link_is_refused(app: Flask, client: FlaskClient, demo, monkeypatch) -> None:
    _ask(client, "guest@example.jp")
    link = _last_link(app)
    monkeypatch.setattr("portal.accounts.operations.GUEST_LINK_MAX_AGE", -1)
    refused = client.post(link)
    assert refused.status_code == 400
    assert "有効期限が切れています" in refused.get_data(as_text=True)
    assert client.get("/applications/").status_code == 302  # still not signed in
