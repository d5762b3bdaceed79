"""Electronic delivery (電子交付) of notices: the resident's consent, per application.

Without consent a notice goes by post and cannot be downloaded in the portal; with it
the first download is recorded as the time of receipt, which staff see (appeal periods
run from receipt).
"""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from portal.applications.models import Event
from portal.decisions.models import Notice
from portal.extensions import db
from tests.conftest import outbox, sign_in
from tests.integration.journey import (
    PARKING_ANSWERS,
    application_id,
    fill,
    load,
    start,
    switch_user,
)
from tests.integration.test_notices import decided_notice

STAFF = "/staff/midori-pref"
RESIDENT = "resident@example.jp"
APPROVER = "approver@pref.example.jp"


def kinds(app: Flask, ident: int) -> list[str]:
    with app.app_context():
        return list(
            db.session.scalars(
                select(Event.kind).where(Event.application_id == ident).order_by(Event.seq)
            )
        )


def received_at(app: Flask, notice_id: int):  # type: ignore[no-untyped-def]
    with app.app_context():
        found = db.session.get(Notice, notice_id)
        assert found is not None
        return found.first_downloaded_at


def in_japanese(app: Flask, text: str) -> str:
    """A sentence of the e-mails as the Japanese catalog has it today."""
    with app.test_request_context(), force_locale("ja"):
        return _(text)


BY_POST = (
    "A decision has been made on your application. The notice will be sent to you by post. "
    "To receive notices in the portal instead, agree to electronic delivery on the page of "
    "your application:"
)
ONLINE = "A decision has been made on your application. Sign in to read the notice:"


def test_consent_given_when_sending_is_recorded(app: Flask, client: FlaskClient, demo) -> None:
    sign_in(client, RESIDENT)
    check = fill(client, start(client), PARKING_ANSWERS)
    page = client.get(check).get_data(as_text=True)
    assert 'type="checkbox" id="electronic_delivery" name="electronic_delivery"' in page
    assert client.post(check, data={"electronic_delivery": "yes"}).status_code == 302
    application = load(app, application_id(check))
    assert application.electronic_delivery_at is not None
    assert application.electronic_delivery_at >= application.submitted_at  # type: ignore[operator]
    assert kinds(app, application.id)[-1] == "delivery_consent"
    detail = client.get(f"/applications/{application.id}").get_data(as_text=True)
    assert 'data-delivery="electronic"' in detail

    # Without the tick, nothing is recorded: the notices go by post.
    check = fill(client, start(client), PARKING_ANSWERS)
    assert client.post(check).status_code == 302
    unticked = load(app, application_id(check))
    assert unticked.submitted_at is not None and unticked.electronic_delivery_at is None
    assert "delivery_consent" not in kinds(app, unticked.id)


def test_without_consent_the_notice_comes_by_post(app: Flask, client: FlaskClient, demo) -> None:
    ident, notice = decided_notice(app, client, electronic=False)
    assert notice.state == "ready"
    decision_mail = outbox(app)[-1].get_body().get_content()  # type: ignore[union-attr]
    assert in_japanese(app, BY_POST) in decision_mail
    assert in_japanese(app, ONLINE) not in decision_mail

    sign_in(client, RESIDENT)
    refused = client.get(f"/notices/{notice.public_id}.pdf")
    assert refused.status_code == 403 and refused.mimetype == "text/html"
    page = refused.get_data(as_text=True)
    assert 'data-delivery="post"' in page
    assert f'action="/applications/{ident}/electronic-delivery"' in page
    detail = client.get(f"/applications/{ident}").get_data(as_text=True)
    assert 'data-delivery="post"' in detail
    assert f"/notices/{notice.public_id}.pdf" not in detail  # no link that cannot work
    assert 'data-standing="in_force"' in detail  # the notice is listed, without a link
    assert received_at(app, notice.id) is None

    switch_user(client, APPROVER)
    staff = client.get(f"{STAFF}/applications/{ident}").get_data(as_text=True)
    assert 'data-delivery="post"' in staff and "data-received" not in staff


def test_consenting_later_lets_the_resident_download(
    app: Flask, client: FlaskClient, demo, monkeypatch: pytest.MonkeyPatch
) -> None:
    ident, notice = decided_notice(app, client, electronic=False)
    sign_in(client, RESIDENT)
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    detail = client.get(f"/applications/{ident}").get_data(as_text=True)
    # The consent is a form with its CSRF token: a bare POST is refused.
    assert client.post(f"/applications/{ident}/electronic-delivery").status_code == 400
    assert load(app, ident).electronic_delivery_at is None
    token = detail.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    consented = client.post(
        f"/applications/{ident}/electronic-delivery", data={"csrf_token": token}
    )
    assert consented.status_code == 302
    assert consented.headers["Location"].endswith(f"/applications/{ident}")
    agreed = load(app, ident).electronic_delivery_at
    assert agreed is not None
    # Agreeing again changes nothing.
    client.post(f"/applications/{ident}/electronic-delivery", data={"csrf_token": token})
    assert load(app, ident).electronic_delivery_at == agreed
    assert kinds(app, ident).count("delivery_consent") == 1

    detail = client.get(f"/applications/{ident}").get_data(as_text=True)
    assert 'data-delivery="electronic"' in detail
    assert f'href="/notices/{notice.public_id}.pdf"' in detail
    pdf = client.get(f"/notices/{notice.public_id}.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    assert received_at(app, notice.id) is not None


def test_the_first_download_is_the_receipt_staff_see(app: Flask, client: FlaskClient, demo) -> None:
    ident, notice = decided_notice(app, client)
    decision_mail = outbox(app)[-1].get_body().get_content()  # type: ignore[union-attr]
    assert in_japanese(app, ONLINE) in decision_mail

    switch_user(client, APPROVER)
    staff = client.get(f"{STAFF}/applications/{ident}").get_data(as_text=True)
    assert 'data-delivery="electronic"' in staff and 'data-received=""' in staff
    assert client.get(f"{STAFF}/notices/{notice.public_id}.pdf").status_code == 200
    assert received_at(app, notice.id) is None  # staff opening it is no receipt

    switch_user(client, RESIDENT)
    assert client.get(f"/notices/{notice.public_id}.pdf").status_code == 200
    first = received_at(app, notice.id)
    assert first is not None
    assert client.get(f"/notices/{notice.public_id}.pdf").status_code == 200
    assert received_at(app, notice.id) == first

    switch_user(client, APPROVER)
    staff = client.get(f"{STAFF}/applications/{ident}").get_data(as_text=True)
    assert f'data-received="{first.isoformat()}"' in staff


def test_only_the_applicant_consents_and_only_once_sent(
    app: Flask, client: FlaskClient, demo
) -> None:
    ident, _notice = decided_notice(app, client, electronic=False)
    for email in ("reviewer@pref.example.jp", "reviewer@aoba.example.jp"):
        switch_user(client, email)
        assert client.post(f"/applications/{ident}/electronic-delivery").status_code == 404
    assert load(app, ident).electronic_delivery_at is None

    # A draft is agreed for on its check page, when it is sent.
    switch_user(client, RESIDENT)
    draft = application_id(start(client))
    response = client.post(f"/applications/{draft}/electronic-delivery")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/applications/{draft}/check")
    assert load(app, draft).electronic_delivery_at is None
