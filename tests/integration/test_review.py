"""Staff: the inbox, actions through the engine, tenant isolation and concurrency."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.applications.history import chain_is_intact
from portal.applications.models import Event
from portal.extensions import db
from tests.conftest import sign_in
from tests.integration.journey import act, load, submit_parking


def as_staff(client: FlaskClient, email: str) -> None:
    client.post("/account/logout")
    sign_in(client, email)


def review_then(app: Flask, client: FlaskClient, ident: int, action: str, reason: str = "") -> int:
    """The reviewer passes the application on; the approver takes ``action``."""
    as_staff(client, "reviewer@pref.example.jp")
    act(client, ident, "pass", load(app, ident).lock_version)
    as_staff(client, "approver@pref.example.jp")
    return act(client, ident, action, load(app, ident).lock_version, reason).status_code


def test_another_residents_application_shows_nothing(app: Flask, client: FlaskClient, demo) -> None:
    ident = submit_parking(client)
    reference = load(app, ident).reference
    client.post("/account/logout")
    client.post(
        "/account/register",
        data={
            "family_name": "他人",
            "given_name": "太郎",
            "email": "other@example.jp",
            "password": "another long password",
            "password_confirm": "another long password",
        },
    )
    sign_in(client, "other@example.jp", "another long password")
    for url in (
        f"/applications/{ident}",
        f"/applications/{ident}/check",
        f"/applications/{ident}/submitted",
        f"/applications/{ident}/pages/applicant",
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert reference not in response.get_data(as_text=True)
    assert client.post(f"/applications/{ident}/check").status_code == 404


def test_staff_of_another_tenant_are_refused(app: Flask, client: FlaskClient, demo) -> None:
    ident = submit_parking(client)  # a Midori Prefecture application
    version = load(app, ident).lock_version
    as_staff(client, "reviewer@aoba.example.jp")
    assert client.get("/staff/midori-pref/inbox").status_code == 403
    assert client.get(f"/staff/midori-pref/applications/{ident}").status_code == 403
    assert act(client, ident, "pass", version).status_code == 403
    # Through their own tenant's URL the application does not exist for them.
    assert client.get(f"/staff/aoba-city/applications/{ident}").status_code == 404
    assert act(client, ident, "pass", version, tenant="aoba-city").status_code == 404
    assert load(app, ident).status == "submitted"


def test_residents_cannot_reach_the_back_office(client: FlaskClient, demo) -> None:
    sign_in(client, "resident@example.jp")
    assert client.get("/staff/").status_code == 403
    assert client.get("/staff/midori-pref/inbox").status_code == 403


def test_reviewer_cannot_approve_but_the_approver_may_decide_ahead_of_the_review(
    app: Flask, client: FlaskClient, demo
) -> None:
    ident = submit_parking(client)
    as_staff(client, "reviewer@pref.example.jp")
    response = act(client, ident, "approve", load(app, ident).lock_version)
    assert response.status_code == 409
    assert load(app, ident).status == "submitted"
    # 引き上げ: the approver decides before the review; the history names the skipped step.
    as_staff(client, "approver@pref.example.jp")
    assert act(client, ident, "approve", load(app, ident).lock_version).status_code == 302
    assert load(app, ident).status == "completed"
    with app.app_context():
        last = db.session.scalars(
            select(Event).where(Event.application_id == ident).order_by(Event.seq.desc())
        ).first()
        assert last is not None and last.detail == {"skipped": ["review"]}


def test_rejection_needs_a_reason_and_issues_a_notice(
    app: Flask, client: FlaskClient, demo
) -> None:
    ident = submit_parking(client)
    assert review_then(app, client, ident, "reject", "  ") == 409
    assert load(app, ident).status == "under_review"
    reason = "要件を満たす書類が確認できないため"
    assert act(client, ident, "reject", load(app, ident).lock_version, reason).status_code == 302
    assert load(app, ident).status == "rejected"
    page = client.get(f"/staff/midori-pref/applications/{ident}").get_data(as_text=True)
    assert reason in page


def test_acting_on_a_stale_page_is_refused(app: Flask, client: FlaskClient, demo) -> None:
    ident = submit_parking(client)
    seen = load(app, ident).lock_version
    as_staff(client, "reviewer@pref.example.jp")
    other = app.test_client()
    sign_in(other, "reviewer@pref.example.jp")
    assert act(other, ident, "receive", seen).status_code == 302
    response = act(client, ident, "pass", seen)  # opened before the other reviewer acted
    assert response.status_code == 409
    assert load(app, ident).status == "received"
    assert [e.kind for e in _events(app, ident)].count("pass") == 0


def test_history_records_each_step_with_actor_and_hash_chain(
    app: Flask, client: FlaskClient, demo
) -> None:
    ident = submit_parking(client)
    assert review_then(app, client, ident, "approve") == 302
    events = _events(app, ident)
    assert [e.kind for e in events] == ["started", "submit", "pass", "approve"]
    assert all(e.actor_id is not None and e.at is not None for e in events)
    assert events[-1].to_status == "completed"
    assert chain_is_intact(events)
    events[2].reason = "edited afterwards"
    assert not chain_is_intact(events)
    page = client.get(f"/staff/midori-pref/applications/{ident}").get_data(as_text=True)
    assert "審査 担当" in page and "決裁 課長" in page  # who acted, in the history table


def _events(app: Flask, ident: int) -> list[Event]:
    with app.app_context():
        events = list(db.session.query(Event).filter_by(application_id=ident).order_by(Event.seq))
        for event in events:
            db.session.expunge(event)
        return events


def test_inbox_tabs_count_and_scope(app: Flask, client: FlaskClient, demo) -> None:
    ident = submit_parking(client)
    reference = load(app, ident).reference
    as_staff(client, "approver@pref.example.jp")
    mine = client.get("/staff/midori-pref/inbox").get_data(as_text=True)
    assert reference not in mine  # it waits for a reviewer, not for the approver
    assert reference in client.get("/staff/midori-pref/inbox?tab=open").get_data(as_text=True)
    as_staff(client, "reviewer@pref.example.jp")
    assert reference in client.get("/staff/midori-pref/inbox").get_data(as_text=True)
    assert client.get("/staff/midori-pref/inbox?tab=bogus").status_code == 404
    assert client.get("/staff/").status_code == 302
