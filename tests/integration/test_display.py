"""Text size and colour switches, the accessibility statement, and sessions that end
after a known time without use, which signed-in pages announce and can extend."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from datetime import datetime

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import sign_in

JSON = {"Accept": "application/json"}


def _html_class(client: FlaskClient, path: str = "/") -> str:
    """The classes of the page's <html> element ("" when it has none)."""
    html = client.get(path).get_data(as_text=True)
    tag = re.search(r"<html[^>]*>", html)
    assert tag
    match = re.search(r'class="([^"]*)"', tag.group(0))
    return match.group(1) if match else ""


# --- the switches ------------------------------------------------------------------------


def test_a_choice_is_kept_for_a_year_and_leads_back_to_the_page(client: FlaskClient) -> None:
    response = client.get("/display/text/xlarge?next=/accessibility?x=1")
    assert response.status_code == 302
    assert response.headers["Location"] == "/accessibility?x=1"
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("display_text=xlarge;")
    assert "Max-Age=31536000" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    client.get("/display/colours/blue?next=/")
    assert _html_class(client) == "text-xlarge contrast-blue"


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:x"]
)
def test_the_switch_never_leads_off_the_site(client: FlaskClient, target: str) -> None:
    response = client.get("/display/colours/dark", query_string={"next": target})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize("path", ["/display/size/large", "/display/text/huge", "/display/x/y"])
def test_unknown_settings_and_choices_are_not_found(client: FlaskClient, path: str) -> None:
    assert client.get(path).status_code == 404


def test_the_defaults_add_no_class_and_a_bad_cookie_is_ignored(client: FlaskClient) -> None:
    assert _html_class(client) == ""
    client.set_cookie("display_colours", "<script>")
    assert _html_class(client) == ""


def test_the_bar_marks_the_current_choices(client: FlaskClient) -> None:
    client.get("/display/text/large")
    html = client.get("/").get_data(as_text=True)
    current = re.findall(r'href="/display/(\w+/\w+)\?next=[^"]*" rel="nofollow" aria-current', html)
    assert current == ["text/large", "colours/white"]


# --- the statement -----------------------------------------------------------------------


def test_the_statement_is_public_and_linked_from_every_page(
    client: FlaskClient, demo: list[tuple[str, str]]
) -> None:
    html = client.get("/accessibility", headers={"Accept-Language": "en"}).get_data(as_text=True)
    for expected in (
        "WCAG 2.2 level AA",
        "JIS X 8341-3:2016",
        "axe-core",
        "360 and 1280 pixels",
        "keyboard only",
        "200%",
        "Known limitations",
        "8 hours",
        "Tell us about a problem",
        "/?tenant=midori-pref",
    ):
        assert expected in html, expected
    for path in ("/", "/account/login", "/verify"):
        assert 'href="/accessibility"' in client.get(path).get_data(as_text=True), path


# --- sessions ----------------------------------------------------------------------------


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[float]]:
    """Move time forward (``clock[0] += seconds``) for the portal and the cookie signer."""
    now = [time.time()]
    monkeypatch.setattr(time, "time", lambda: now[0])
    yield now


def _status(client: FlaskClient) -> dict[str, object]:
    response = client.get("/session/status", headers=JSON)
    assert response.status_code == 200
    return response.get_json()


def test_signed_in_pages_say_when_the_session_ends(
    app: Flask, client: FlaskClient, demo: list[tuple[str, str]]
) -> None:
    assert "data-session-expires" not in client.get("/").get_data(as_text=True)
    sign_in(client, "resident@example.jp")
    html = client.get("/").get_data(as_text=True)
    expires = re.search(r'data-session-expires="([^"]+)"', html)
    assert expires
    left = datetime.fromisoformat(expires.group(1)).timestamp() - time.time()
    assert abs(left - 8 * 3600) < 5
    assert 'data-session-warn="300"' in html and "session.js" in html
    assert 'id="session-warning"' in html and 'role="alertdialog"' in html


def test_a_session_ends_after_its_lifetime_without_use_and_not_before(
    client: FlaskClient, demo: list[tuple[str, str]], clock: list[float]
) -> None:
    sign_in(client, "resident@example.jp")
    clock[0] += 7 * 3600
    # Asking how long is left does not count as use…
    assert _status(client) == {"signed_in": True, "expires_in": 3600}
    clock[0] += 3599
    assert _status(client) == {"signed_in": True, "expires_in": 1}
    # …but any page does: the session lasts 8 hours from then.
    assert client.get("/applications/").status_code == 200
    clock[0] += 7 * 3600
    assert _status(client)["signed_in"] is True
    clock[0] += 3601
    assert _status(client) == {"signed_in": False, "expires_in": 0}
    assert client.get("/applications/").status_code == 302


def test_staying_signed_in_extends_the_session_and_renews_the_form_token(
    app: Flask, client: FlaskClient, demo: list[tuple[str, str]], clock: list[float], csrf: None
) -> None:
    page = client.get("/account/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    assert token
    client.post(
        "/account/login",
        data={"email": "resident@example.jp", "password": "madoguchi-demo", "csrf_token": token[1]},
    )
    home = client.get("/").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', home)
    assert token
    clock[0] += 8 * 3600 - 200
    assert _status(client)["expires_in"] == 200
    # Without the form's token the request is refused: no new token.
    refused = client.post("/session/refresh", headers=JSON)
    assert refused.status_code == 400 and refused.get_json(silent=True) is None
    response = client.post("/session/refresh", headers={**JSON, "X-CSRFToken": token[1]})
    assert response.status_code == 200
    body = response.get_json()
    assert body["signed_in"] is True and body["expires_in"] == 8 * 3600
    assert body["csrf_token"] and body["csrf_token"] != token[1]
    clock[0] += 7 * 3600
    assert _status(client)["signed_in"] is True


def test_staying_signed_in_needs_a_session(client: FlaskClient) -> None:
    response = client.post("/session/refresh", headers=JSON)
    assert response.status_code == 302
    assert "/account/login" in response.headers["Location"]
    assert _status(client) == {"signed_in": False, "expires_in": 0}


def test_without_javascript_the_button_posts_and_comes_back(
    client: FlaskClient, demo: list[tuple[str, str]]
) -> None:
    sign_in(client, "resident@example.jp")
    response = client.post("/session/refresh", data={"next": "/applications/"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/applications/"
