"""Published versions are immutable and applications keep the version they were filed on."""

from __future__ import annotations

import copy

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from forms import DefinitionError
from portal.catalog.models import ImmutableVersionError, Procedure, ProcedureVersion
from portal.catalog.operations import publish_version
from portal.catalog.queries import latest_version
from portal.core.uow import commit
from portal.extensions import db
from tests.conftest import sign_in
from tests.integration.journey import load, submit_parking


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
