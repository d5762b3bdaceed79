"""Rate limits on what an attacker would try many times, with a clear answer when hit."""

from __future__ import annotations

import io

from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from portal.core.limits import LOGIN_PER_ACCOUNT, MAIL_PER_ADDRESS, UPLOADS_PER_ADDRESS


def _first_number(limit: str) -> int:
    return int(limit.split()[0])


def test_password_guessing_is_stopped_per_account_and_explained(client: FlaskClient, demo) -> None:
    attempts = _first_number(LOGIN_PER_ACCOUNT)
    wrong = {"email": "resident@example.jp", "password": "not-the-password"}
    for _ in range(attempts):
        assert client.post("/account/login", data=wrong).status_code != 429
    refused = client.post("/account/login", data=wrong)
    assert refused.status_code == 429
    assert "試行回数が多すぎます" in refused.get_data(as_text=True)
    # Even the right password waits: guessing must not be able to go on.
    right = {"email": "resident@example.jp", "password": "madoguchi-demo"}
    assert client.post("/account/login", data=right).status_code == 429
    # Another account from the same place is not locked out by it.
    other = {"email": "reviewer@pref.example.jp", "password": "madoguchi-demo"}
    assert client.post("/account/login", data=other).status_code == 302


def test_mail_sending_forms_cannot_be_used_to_flood_a_mailbox(client: FlaskClient, demo) -> None:
    form = {"email": "resident@example.jp"}
    for _ in range(_first_number(MAIL_PER_ADDRESS)):
        assert client.post("/account/forgot", data=form).status_code != 429
    assert client.post("/account/forgot", data=form).status_code == 429


def test_verification_uploads_are_limited_and_machines_get_json(
    app: Flask, client: FlaskClient
) -> None:
    def upload() -> TestResponse:
        data = {"file": (io.BytesIO(b"not a pdf"), "x.pdf")}
        return client.post("/api/verify", data=data, content_type="multipart/form-data")

    for _ in range(_first_number(UPLOADS_PER_ADDRESS)):
        assert upload().status_code == 400  # refused as "not a PDF", but counted
    limited = upload()
    assert limited.status_code == 429
    assert limited.get_json() == {"error": "too_many_requests"}
    assert limited.headers.get("Retry-After")
