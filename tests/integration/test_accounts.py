"""Accounts: register, verify, sign in and out, reset, sessions and cookies."""

from __future__ import annotations

import re
import time

import pytest
from flask import Flask
from flask.testing import FlaskClient
from itsdangerous import timed
from sqlalchemy import select

from portal import create_app
from portal.accounts.models import User
from portal.extensions import db
from tests.conftest import link_in, outbox, sign_in

NEW = {
    "family_name": "佐藤",
    "given_name": "一郎",
    "email": "Ichiro@Example.jp",
    "password": "correct horse battery",
    "password_confirm": "correct horse battery",
}


def user(app: Flask, email: str) -> User:
    with app.app_context():
        found = db.session.scalar(select(User).where(User.email == email))
        assert found is not None
        db.session.expunge(found)
        return found


def signed_in_as(client: FlaskClient) -> str | None:
    page = client.get("/applications/")
    return None if page.status_code == 302 else page.get_data(as_text=True)


def test_register_verify_and_sign_in(app: Flask, client: FlaskClient) -> None:
    response = client.post("/account/register", data=NEW)
    assert response.status_code == 200
    created = user(app, "ichiro@example.jp")
    assert created.password_hash.startswith("$argon2id$")
    assert "correct horse" not in created.password_hash
    assert created.email_verified_at is None
    [message] = outbox(app)
    assert message["To"] == "ichiro@example.jp"
    assert client.get(link_in(message)).status_code == 200
    assert user(app, "ichiro@example.jp").email_verified_at is not None
    assert sign_in(client, "ichiro@example.jp", NEW["password"]).status_code == 302
    assert signed_in_as(client) is not None


def test_register_with_a_taken_address_reveals_nothing(app: Flask, client: FlaskClient) -> None:
    client.post("/account/register", data=NEW)
    again = client.post("/account/register", data={**NEW, "family_name": "別人"})
    assert again.status_code == 200
    with app.app_context():
        assert len(list(db.session.scalars(select(User)))) == 1
    first, second = outbox(app)
    assert first["Subject"] != second["Subject"]  # the owner is told, not re-verified


def test_register_form_errors_keep_what_was_typed(client: FlaskClient) -> None:
    response = client.post("/account/register", data={**NEW, "password_confirm": "different"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'value="佐藤"' in page and 'class="error-summary"' in page
    assert 'href="#password_confirm"' in page


def test_forged_verification_link_is_refused(app: Flask, client: FlaskClient) -> None:
    client.post("/account/register", data=NEW)
    link = link_in(outbox(app)[0])
    assert client.get(link[:-3] + "abc").status_code == 400
    assert user(app, "ichiro@example.jp").email_verified_at is None


def test_wrong_password_is_refused(client: FlaskClient, demo) -> None:
    response = sign_in(client, "resident@example.jp", "wrong password")
    assert response.status_code == 422
    assert 'class="error-summary"' in response.get_data(as_text=True)
    assert signed_in_as(client) is None
    assert sign_in(client, "nobody@example.jp", "whatever").status_code == 422


def test_sign_out_ends_the_session(client: FlaskClient, demo) -> None:
    sign_in(client, "resident@example.jp")
    assert signed_in_as(client) is not None
    assert client.post("/account/logout").status_code == 302
    assert signed_in_as(client) is None


def test_password_reset_is_single_use_and_signs_out_other_sessions(
    app: Flask, client: FlaskClient, demo
) -> None:
    other = app.test_client()
    sign_in(other, "resident@example.jp")
    assert client.post("/account/forgot", data={"email": "resident@example.jp"}).status_code == 200
    link = link_in(outbox(app)[-1])
    new = {"password": "a brand new password", "password_confirm": "a brand new password"}
    assert client.post(link, data=new).status_code == 302
    assert client.post(link, data=new).status_code == 400  # used once already
    assert signed_in_as(other) is None
    assert sign_in(client, "resident@example.jp").status_code == 422
    assert sign_in(client, "resident@example.jp", new["password"]).status_code == 302


def test_reset_for_unknown_address_sends_nothing(app: Flask, client: FlaskClient) -> None:
    assert client.post("/account/forgot", data={"email": "nobody@example.jp"}).status_code == 200
    assert outbox(app) == []


def test_forged_session_cookie_is_ignored(client: FlaskClient, demo) -> None:
    sign_in(client, "resident@example.jp")
    cookie = client.get_cookie("session")
    assert cookie is not None
    client.set_cookie("session", cookie.value[:-4] + "AAAA")
    assert signed_in_as(client) is None


def test_expired_session_is_ignored(
    client: FlaskClient, demo, monkeypatch: pytest.MonkeyPatch
) -> None:
    sign_in(client, "resident@example.jp")
    later = int(time.time()) + 9 * 3600  # past the 8-hour lifetime
    monkeypatch.setattr(timed.TimestampSigner, "get_timestamp", lambda self: later)
    assert signed_in_as(client) is None


def test_session_cookie_flags_in_production(app: Flask, tmp_path, demo) -> None:  # type: ignore[no-untyped-def]
    production = create_app(
        {
            "TESTING": True,
            "PORTAL_DATA_DIR": tmp_path,
            "WTF_CSRF_ENABLED": False,
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        }
    )
    assert production.config["SESSION_COOKIE_SECURE"] is True
    client = production.test_client()
    response = client.post(
        "/account/login",
        base_url="https://portal.example.jp",
        data={"email": "resident@example.jp", "password": "madoguchi-demo"},
    )
    header = response.headers["Set-Cookie"]
    assert "HttpOnly" in header and "Secure" in header and "SameSite=Lax" in header
    with production.app_context():
        db.session.remove()
        db.engine.dispose()  # its own pool: close it rather than leave it to the collector


def test_csrf_is_required_on_forms(client: FlaskClient, demo, csrf) -> None:
    response = client.post(
        "/account/login", data={"email": "resident@example.jp", "password": "madoguchi-demo"}
    )
    assert response.status_code == 400
    assert "<h1>" in response.get_data(as_text=True)  # the portal's own error page
    assert signed_in_as(client) is None
    assert client.post("/account/logout").status_code == 400
    page = client.get("/account/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    assert token, page
    response = client.post(
        "/account/login",
        data={
            "email": "resident@example.jp",
            "password": "madoguchi-demo",
            "csrf_token": token.group(1),
        },
    )
    assert response.status_code == 302
