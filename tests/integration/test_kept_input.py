"""A session that ends mid-form loses nothing the resident typed on the page."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import sign_in
from tests.integration.journey import application_id, load, start

SAME = {"Origin": "http://localhost"}
TYPED = {"name": "𠮷野 髙子", "birth_date": "昭和25年4月1日"}


@pytest.fixture
def first_page(client: FlaskClient, demo) -> str:
    sign_in(client, "resident@example.jp")
    url = start(client)
    client.post("/account/logout")
    return url


def test_signed_out_mid_form_signs_in_and_finds_the_answers(
    app: Flask, client: FlaskClient, first_page: str
) -> None:
    sent = client.post(first_page, data=TYPED, headers=SAME)
    assert sent.status_code == 302
    assert sent.headers["Location"].startswith("/account/login?next=")
    assert sign_in(client, "resident@example.jp").status_code == 302
    # The login form keeps "next"; here the test follows it as the browser would.
    page = client.get(first_page).get_data(as_text=True)
    assert 'value="𠮷野 髙子"' in page and 'value="昭和25年4月1日"' in page
    assert load(app, application_id(first_page)).answers == {}  # shown, not saved yet
    again = client.get(first_page).get_data(as_text=True)
    assert "𠮷野 髙子" not in again  # kept once, then gone


def test_answers_from_another_site_are_not_kept(client: FlaskClient, first_page: str) -> None:
    client.post(first_page, data=TYPED, headers={"Origin": "https://evil.example"})
    sign_in(client, "resident@example.jp")
    assert "𠮷野 髙子" not in client.get(first_page).get_data(as_text=True)


def test_an_expired_form_token_keeps_the_page(
    app: Flask, client: FlaskClient, first_page: str
) -> None:
    sign_in(client, "resident@example.jp")
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        # The token of a page left open too long no longer matches.
        stale = client.post(first_page, data={**TYPED, "csrf_token": "expired"}, headers=SAME)
        assert stale.status_code == 302 and stale.headers["Location"] == first_page
        page = client.get(first_page).get_data(as_text=True)
        assert 'value="𠮷野 髙子"' in page
        # Elsewhere an expired token is still the plain error page.
        other = client.post("/account/profile", data={"csrf_token": "x"}, headers=SAME)
        assert other.status_code == 400
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
