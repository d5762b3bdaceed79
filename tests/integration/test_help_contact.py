"""Every procedure shows where to get help, on its page and throughout the application."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.catalog.models import Procedure
from portal.catalog.operations import publish_version
from portal.extensions import db
from tests.conftest import sign_in
from tests.integration.journey import PARKING, start


def test_the_contact_and_the_counter_are_offered_on_every_step(
    app: Flask, client: FlaskClient, demo
) -> None:
    page = client.get(PARKING).get_data(as_text=True)
    assert 'class="help-box"' in page and "000-" in page
    sign_in(client, "resident@example.jp")
    first = client.get(start(client)).get_data(as_text=True)
    assert 'class="help-box"' in first


def test_without_its_own_contact_a_procedure_shows_its_department_s_phone(
    app: Flask, client: FlaskClient, demo
) -> None:
    with app.app_context():
        procedure = db.session.scalar(
            select(Procedure).where(Procedure.slug == "accessible-parking")
        )
        latest = max(procedure.versions, key=lambda v: v.number)
        document = {k: v for k, v in latest.document.items() if k != "contact"}
        publish_version(procedure, document, None)
        phone = procedure.department.phone
        db.session.commit()
    page = client.get(PARKING).get_data(as_text=True)
    assert f'href="tel:{phone.replace("-", "")}"' in page
