"""Helpers that walk an application through the portal with the test client."""

from __future__ import annotations

import copy
import io
import re
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.applications.models import Application
from portal.catalog.models import Procedure
from portal.catalog.operations import publish_version
from portal.catalog.queries import latest_version
from portal.core.uow import commit
from portal.extensions import db
from tests.conftest import sign_in

PARKING = "/procedures/midori-pref/accessible-parking"
#: A small but real PDF, for file questions.
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"

#: Page id -> inputs; a (file name, bytes) pair is uploaded as a file.
Answers = dict[str, dict[str, Any]]

PARKING_ANSWERS: Answers = {
    "applicant": {"name": "山田 花子", "birth_date": "昭和25年4月1日"},
    "eligibility": {"reason": "elderly", "copies": "2", "note": ""},
    "documents": {"proof": ("介護保険被保険者証.pdf", PDF)},
}


def start(client: FlaskClient, procedure: str = PARKING) -> str:
    """Start an application; return the URL of its first page."""
    tenant, slug = procedure.rsplit("/", 2)[-2:]
    response = client.post(f"/applications/start/{tenant}/{slug}")
    assert response.status_code == 302, response.status_code
    return response.headers["Location"]


def post_page(client: FlaskClient, url: str, values: dict[str, Any]) -> Any:
    """Post one page as a browser would, uploading (name, bytes) pairs as files."""
    files = {key: value for key, value in values.items() if isinstance(value, tuple)}
    if not files:
        return client.post(url, data=values)
    data = {key: value for key, value in values.items() if key not in files}
    data.update({key: (io.BytesIO(content), name) for key, (name, content) in files.items()})
    return client.post(url, data=data, content_type="multipart/form-data")


def fill(client: FlaskClient, first_page: str, answers: Answers) -> str:
    """Answer every page in order; return the URL reached after the last one."""
    url = first_page
    for values in answers.values():
        response = post_page(client, url, values)
        assert response.status_code == 302, response.get_data(as_text=True)
        url = response.headers["Location"]
    return url


def application_id(url: str) -> int:
    """The application id in a URL like /applications/12/..."""
    match = re.search(r"/applications/(\d+)", url)
    assert match, url
    return int(match.group(1))


def submit_parking(client: FlaskClient, email: str = "resident@example.jp") -> int:
    """Sign in, fill and submit the parking permit application; return its id."""
    sign_in(client, email)
    check = fill(client, start(client), PARKING_ANSWERS)
    response = client.post(check)
    assert response.status_code == 302, response.get_data(as_text=True)
    return application_id(check)


def load(app: Flask, ident: int) -> Application:
    """Read an application afresh from the database."""
    with app.app_context():
        found = db.session.get(Application, ident)
        assert found is not None
        db.session.expunge(found)
        return found


def count_applications(app: Flask, **where: Any) -> int:
    """How many applications match simple equality filters."""
    with app.app_context():
        return len(list(db.session.scalars(select(Application).filter_by(**where))))


def act(
    client: FlaskClient,
    ident: int,
    action: str,
    version: int,
    reason: str = "",
    tenant: str = "midori-pref",
) -> Any:
    """Post a staff action."""
    return client.post(
        f"/staff/{tenant}/applications/{ident}/act",
        data={"action": action, "version": str(version), "reason": reason},
    )


def publish_variant(app: Flask, model: str, slug: str, pages: list[dict[str, Any]]) -> None:
    """Publish a new procedure beside the demo one ``model`` (a slug), in its tenant and
    department, with its texts and route but these pages (and no fee or computed values)."""
    with app.app_context():
        found = db.session.scalar(select(Procedure).where(Procedure.slug == model))
        assert found is not None
        document = copy.deepcopy(latest_version(found).document)  # type: ignore[union-attr]
        document["form"]["pages"] = copy.deepcopy(pages)
        document.pop("fee", None)
        document.pop("computed", None)
        created = Procedure(tenant_id=found.tenant_id, slug=slug, department_id=found.department_id)
        db.session.add(created)
        db.session.flush()
        publish_version(created, document, actor=None)
        commit()


# --- back office helpers ---------------------------------------------------------------

SUBSIDY = "/procedures/midori-pref/iot-ai-robot-subsidy"


def submit_subsidy(
    client: FlaskClient, cost: str = "301,999", email: str = "resident@example.jp"
) -> int:
    """Sign in, fill and submit the IoT/AI/robot subsidy with an eligible cost; return its id.

    The route: review (reviewer) → chief → consultation of zaimu's section chief → decision
    by the director, or by the section chief (専決) for costs up to 500,000 yen.
    """
    # Imported here: the sample procedures' tests import this module.
    from tests.integration.test_sample_procedures import VALID

    sign_in(client, email)
    answers = {**VALID["iot-ai-robot-subsidy"]}
    answers["budget"] = {**answers["budget"], "eligible_cost": cost}
    check = fill(client, start(client, SUBSIDY), answers)
    response = client.post(check)
    assert response.status_code == 302, response.get_data(as_text=True)
    return application_id(check)


def switch_user(client: FlaskClient, email: str) -> None:
    """Sign out whoever is signed in and sign in as ``email``."""
    client.post("/account/logout")
    sign_in(client, email)


def user_id(app: Flask, email: str) -> int:
    """The id of the account with this e-mail address."""
    from portal.accounts.models import User

    with app.app_context():
        found = db.session.scalar(select(User.id).where(User.email == email))
        assert found is not None, email
        return found


def staff_act(
    app: Flask, client: FlaskClient, ident: int, email: str, action: str, **form: Any
) -> Any:
    """Sign in as ``email`` and post a staff action on the page's current version."""
    switch_user(client, email)
    data = {"action": action, "version": str(load(app, ident).lock_version), **form}
    return client.post(f"/staff/midori-pref/applications/{ident}/act", data=data)
