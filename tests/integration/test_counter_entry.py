"""Staff enter an application for a resident at the counter (代理入力), recorded as such."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.accounts.models import User
from portal.applications.models import Application, Event
from portal.extensions import db
from tests.conftest import outbox, sign_in
from tests.integration.journey import PARKING_ANSWERS, fill

COUNTER = "/staff/midori-pref/counter"


def _procedure_id(app: Flask, slug: str) -> int:
    from portal.catalog.models import Procedure

    with app.app_context():
        return db.session.scalar(select(Procedure.id).where(Procedure.slug == slug))


def test_staff_enter_and_send_an_application_for_a_resident_without_e_mail(
    app: Flask, client: FlaskClient, demo
) -> None:
    sign_in(client, "reviewer@pref.example.jp")
    form = client.get(COUNTER).get_data(as_text=True)
    assert "代理入力" in form
    refused = client.post(COUNTER, data={"family_name": "佐藤", "email": "not-an-address"})
    assert refused.status_code == 422
    assert 'value="佐藤"' in refused.get_data(as_text=True)
    started = client.post(
        COUNTER,
        data={
            "procedure": _procedure_id(app, "accessible-parking"),
            "family_name": "佐藤",
            "given_name": "一郎",
            "email": "",
            "identity_check": "my_number_card",
        },
    )
    assert started.status_code == 302, started.get_data(as_text=True)
    check = fill(client, started.headers["Location"], PARKING_ANSWERS)
    sent = client.post(check, data={})
    assert "submitted" in sent.headers["Location"], sent.get_data(as_text=True)
    with app.app_context():
        application = db.session.scalars(
            select(Application).where(Application.reference.is_not(None))
        ).one()
        resident = db.session.get(User, application.applicant_id)
        staff = db.session.scalar(select(User).where(User.email == "reviewer@pref.example.jp"))
        assert resident.full_name.replace(" ", "") == "佐藤一郎"
        assert resident.email.endswith(".invalid")
        assert application.entered_by_id == staff.id
        assert application.identity_check == "my_number_card"
        kinds = [
            (e.kind, e.actor_id)
            for e in db.session.scalars(
                select(Event).where(Event.application_id == application.id).order_by(Event.seq)
            )
        ]
        ident = application.id
    assert kinds[0] == ("entered_at_counter", staff.id)
    assert ("sent_at_counter", staff.id) in kinds
    assert any(kind == "submit" for kind, _actor in kinds)
    # Nothing is mailed to a resident without an address.
    assert not [m for m in outbox(app) if m["To"].endswith(".invalid")]
    response = client.get(f"/staff/midori-pref/applications/{ident}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200, page[-3000:]
    assert "data-entered-by" in page and "マイナンバーカード" in page and "代理入力" in page


def test_a_resident_with_an_account_finds_the_counter_application_in_their_list(
    app: Flask, client: FlaskClient, demo
) -> None:
    sign_in(client, "reviewer@pref.example.jp")
    client.post(
        COUNTER,
        data={
            "procedure": _procedure_id(app, "accessible-parking"),
            "family_name": "山田",
            "given_name": "花子",
            "email": "resident@example.jp",
            "identity_check": "driving_licence",
        },
    )
    with app.app_context():
        application = db.session.scalars(select(Application)).one()
        assert application.applicant.email == "resident@example.jp"
        ident = application.id
    resident = app.test_client()
    sign_in(resident, "resident@example.jp")
    assert resident.get(f"/applications/{ident}").status_code in (200, 302)
    # Another member of staff, or another resident, cannot open the draft.
    other = app.test_client()
    sign_in(other, "approver@pref.example.jp")
    assert other.get(f"/applications/{ident}/check").status_code == 404


def test_only_staff_of_the_government_may_enter_at_its_counter(
    app: Flask, client: FlaskClient, demo
) -> None:
    sign_in(client, "resident@example.jp")
    assert client.get(COUNTER).status_code == 403
    town = app.test_client()
    sign_in(town, "reviewer@sakura.example.jp")
    assert town.get(COUNTER).status_code == 403
