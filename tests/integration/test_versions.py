"""Published versions are immutable and applications keep the version they were filed on."""

from __future__ import annotations

import copy

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from forms import DefinitionError
from portal.applications.models import Application
from portal.catalog.models import ImmutableVersionError, Procedure, ProcedureVersion
from portal.catalog.operations import publish_version
from portal.catalog.queries import latest_version
from portal.core.uow import commit
from portal.extensions import db
from tests.conftest import sign_in
from tests.integration.journey import (
    PARKING_ANSWERS,
    application_id,
    fill,
    load,
    start,
    submit_parking,
)


def _parking(app: Flask) -> Procedure:
    procedure = db.session.scalar(select(Procedure).where(Procedure.slug == "accessible-parking"))
    assert procedure is not None
    return procedure


def test_a_new_version_leaves_submitted_applications_on_theirs(
    app: Flask, client: FlaskClient, demo
) -> None:
    ident = submit_parking(client)
    with app.app_context():
        procedure = _parking(app)
        old = latest_version(procedure)
        document = copy.deepcopy(old.document)  # type: ignore[union-attr]
        document["form"]["pages"][0]["fields"][0]["label"]["ja"] = "申請者の氏名"
        new = publish_version(procedure, document, actor=None)
        commit()
        assert (old.number, new.number) == (1, 2)  # type: ignore[union-attr]
        assert new.checksum != old.checksum  # type: ignore[union-attr]
        new_id = new.id
    assert load(app, ident).procedure_version_id != new_id
    client.post("/account/logout")
    sign_in(client, "reviewer@pref.example.jp")
    page = client.get(f"/staff/midori-pref/applications/{ident}").get_data(as_text=True)
    assert "氏名" in page and "申請者の氏名" not in page


def test_publishing_the_same_document_makes_no_new_version(app: Flask, demo) -> None:
    with app.app_context():
        procedure = _parking(app)
        current = latest_version(procedure)
        again = publish_version(procedure, copy.deepcopy(current.document), actor=None)  # type: ignore[union-attr]
        assert again.id == current.id  # type: ignore[union-attr]


def test_published_versions_cannot_be_edited(app: Flask, demo) -> None:
    with app.app_context():
        version = db.session.scalar(select(ProcedureVersion).limit(1))
        assert version is not None
        version.document = {**version.document, "title": {"ja": "改ざん"}}
        with pytest.raises(ImmutableVersionError):
            db.session.flush()
        db.session.rollback()
        db.session.delete(db.session.scalar(select(ProcedureVersion).limit(1)))
        with pytest.raises(ImmutableVersionError):
            db.session.flush()
        db.session.rollback()


def test_invalid_definitions_are_refused_with_every_problem(app: Flask, demo) -> None:
    with app.app_context():
        procedure = _parking(app)
        document = copy.deepcopy(latest_version(procedure).document)  # type: ignore[union-attr]
        document["form"]["pages"][0]["fields"][0]["type"] = "hologram"
        document["route"]["stages"] = [document["route"]["stages"][0]]  # no decision stage
        with pytest.raises(DefinitionError) as error:
            publish_version(procedure, document, actor=None)
        assert len(error.value.problems) >= 1
        document["form"]["pages"][0]["fields"][0]["type"] = "text"
        with pytest.raises(DefinitionError, match="route"):
            publish_version(procedure, document, actor=None)
        assert latest_version(procedure).number == 1  # type: ignore[union-attr]


def _publish_changed_parking(app: Flask) -> int:
    """Publish a version 2 of the parking permit: the "note" question is gone and a new
    one is asked. Returns its id."""
    with app.app_context():
        procedure = _parking(app)
        document = copy.deepcopy(latest_version(procedure).document)  # type: ignore[union-attr]
        eligibility = document["form"]["pages"][1]["fields"]
        eligibility[:] = [f for f in eligibility if f["id"] != "note"]
        eligibility.append(
            {
                "id": "vehicle",
                "type": "text",
                "required": True,
                "label": {"ja": "車両番号", "en": "Plate"},
            }
        )
        new = publish_version(procedure, document, actor=None)
        commit()
        return new.id


def test_a_draft_stays_on_its_version_until_the_resident_moves_it(
    app: Flask, client: FlaskClient, demo
) -> None:
    sign_in(client, "resident@example.jp")
    first = start(client)
    answers = {**PARKING_ANSWERS["eligibility"], "note": "車いすを使っています"}
    second = fill(client, first, {"applicant": PARKING_ANSWERS["applicant"]})
    assert client.post(second, data=answers).status_code == 302
    ident = application_id(first)
    old_version = load(app, ident).procedure_version_id
    new_version = _publish_changed_parking(app)
    # Resuming keeps the draft on the version it was started on, and says so.
    assert application_id(start(client)) == ident
    page = client.get(first).get_data(as_text=True)
    assert load(app, ident).procedure_version_id == old_version
    assert f"/applications/{ident}/update" in page
    moved = client.post(f"/applications/{ident}/update")
    assert moved.status_code == 302
    application = load(app, ident)
    assert application.procedure_version_id == new_version
    assert "note" not in application.answers
    assert application.answers["copies"] == 2  # what still fits is kept
    # The resident is sent to the first page with a question to answer.
    assert moved.headers["Location"].endswith("/pages/eligibility")
    page = client.get(moved.headers["Location"]).get_data(as_text=True)
    assert "補足（任意）" in page  # the dropped question is named
    assert f"/applications/{ident}/update" not in page
    with app.app_context():
        events = [e.kind for e in db.session.get(Application, ident).events]
    assert events[-1] == "moved_to_version"


def test_a_draft_may_be_sent_on_its_older_version(app: Flask, client: FlaskClient, demo) -> None:
    sign_in(client, "resident@example.jp")
    first = start(client)
    check = fill(client, first, PARKING_ANSWERS)
    _publish_changed_parking(app)
    assert client.post(check).status_code == 302
    with app.app_context():
        application = db.session.get(Application, application_id(first))
        assert application is not None and application.reference is not None
        assert application.version.number == 1
