"""Phones show the right keyboard and browsers offer to fill in: each input says what it
holds (type, inputmode, autocomplete)."""

from __future__ import annotations

import re

from flask.testing import FlaskClient

from tests.conftest import sign_in
from tests.integration.journey import start


def _input(html: str, element_id: str) -> str:
    match = re.search(rf'<input [^>]*id="{re.escape(element_id)}"[^>]*>', html)
    assert match, element_id
    return match.group(0)


def test_the_profile_asks_for_each_part_with_the_right_keyboard(
    client: FlaskClient, demo: list[tuple[str, str]]
) -> None:
    sign_in(client, "resident@example.jp")
    html = client.get("/account/profile").get_data(as_text=True)
    expected = {
        "field-name": ['autocomplete="family-name"'],
        "field-name-given": ['autocomplete="given-name"'],
        "field-name-alphabet": ['autocomplete="name"'],
        "field-birth_date": ['type="text"', 'autocomplete="bday"'],
        "field-phone": ['type="tel"', 'inputmode="tel"', 'autocomplete="tel"'],
        "field-address": ['inputmode="numeric"', 'autocomplete="postal-code"'],
        "field-address-city": ['autocomplete="address-level2"'],
        "field-address-street": ['autocomplete="address-line1"'],
    }
    for element_id, attributes in expected.items():
        tag = _input(html, element_id)
        for attribute in attributes:
            assert attribute in tag, (element_id, attribute, tag)
    assert re.search(
        r'<select id="field-address-prefecture"[^>]*autocomplete="address-level1"', html
    )


def test_a_birth_date_filled_from_the_profile_is_offered_by_the_browser_too(
    client: FlaskClient, demo: list[tuple[str, str]]
) -> None:
    sign_in(client, "resident@example.jp")
    html = client.get(start(client)).get_data(as_text=True)
    assert 'autocomplete="bday"' in _input(html, "field-birth_date")


def test_account_forms_use_the_e_mail_keyboard_and_password_managers(
    client: FlaskClient,
) -> None:
    html = client.get("/account/register").get_data(as_text=True)
    assert 'type="email"' in _input(html, "email") and 'autocomplete="email"' in _input(
        html, "email"
    )
    assert 'autocomplete="family-name"' in _input(html, "family_name")
    assert 'autocomplete="new-password"' in _input(html, "password")
    login = client.get("/account/login").get_data(as_text=True)
    assert 'type="email"' in _input(login, "email")
    assert 'autocomplete="current-password"' in _input(login, "password")
