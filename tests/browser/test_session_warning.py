"""The warning before a session ends for lack of use (WCAG 2.2.1): five minutes before,
an alert dialog offers to stay signed in; pressing it keeps the session and what was
typed. Sessions here last 303 s, so the warning comes 3 s after a page opens."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime

import pytest
from flask import Flask
from flask.testing import FlaskClient
from playwright.sync_api import Browser, expect

from tests.browser.a11y import axe_violations, choose_language, new_context, sign_in
from tests.browser.conftest import screenshot
from tests.conftest import sign_in as client_sign_in
from tests.integration.journey import application_id, start

pytestmark = pytest.mark.browser

LIFETIME = 303


@pytest.fixture
def short_sessions(app: Flask) -> Iterator[None]:
    """Sessions that end 303 s after their last use, for one test."""
    before = app.config["PERMANENT_SESSION_LIFETIME"]
    app.config["PERMANENT_SESSION_LIFETIME"] = LIFETIME
    yield
    app.config["PERMANENT_SESSION_LIFETIME"] = before


def test_a_resident_is_warned_and_stays_signed_in(
    app: Flask, live_server, demo, client: FlaskClient, browser: Browser, short_sessions: None
) -> None:
    base = live_server.url
    client_sign_in(client, "resident@example.jp")
    draft = application_id(start(client))
    context = new_context(browser, "en", 360)
    choose_language(context, base, "en")
    page = context.new_page()
    try:
        sign_in(page, base, "resident@example.jp")
        page.goto(f"{base}/applications/{draft}/pages/applicant")
        body = page.locator("body")
        expires = datetime.fromisoformat(body.get_attribute("data-session-expires") or "")
        assert 295 < (expires - datetime.now(expires.tzinfo)).total_seconds() <= LIFETIME
        expect(body).to_have_attribute("data-session-warn", "300")
        name = page.locator("#field-name")
        name.focus()
        page.keyboard.type("𠮷野 髙子")

        # The warning: an alert dialog that says when, with the focus on its button.
        dialog = page.get_by_role("alertdialog")
        expect(dialog).to_be_visible(timeout=10_000)
        expect(dialog).to_have_accessible_name("You will be signed out soon")
        expect(dialog.locator("[data-session-time]")).to_have_text(re.compile(r"\d{1,2}:\d{2}"))
        stay = dialog.get_by_role("button", name="Stay signed in")
        expect(stay).to_be_focused()
        screenshot(page, "session-warning-360")
        assert axe_violations(page) == []

        # Enter keeps the session: the dialog goes, the focus and the typing are back.
        page.keyboard.press("Enter")
        expect(dialog).to_be_hidden()
        expect(name).to_be_focused()
        expect(name).to_have_value("𠮷野 髙子")
        later = datetime.fromisoformat(body.get_attribute("data-session-expires") or "")
        assert later > expires

        # Signed out meanwhile (in another tab): staying is no longer possible, and the
        # dialog says so and how to get back without losing the page.
        expect(dialog).to_be_visible(timeout=10_000)
        other = context.new_page()
        other.goto(base)
        other.locator("form[action$='/account/logout'] button").click()
        other.close()
        page.keyboard.press("Enter")
        ended = page.locator("[data-session-state=ended]")
        expect(ended).to_be_visible()
        expect(dialog).to_have_attribute("aria-labelledby", "session-ended-title")
        expect(dialog).to_have_accessible_name("You have been signed out")
        expect(ended.get_by_role("button", name="Close")).to_be_focused()
        expect(ended.get_by_role("link")).to_have_attribute(
            "href", f"/account/login?next=/applications/{draft}/pages/applicant"
        )
        screenshot(page, "session-ended-360")
        assert axe_violations(page) == []
        page.keyboard.press("Enter")
        expect(dialog).to_be_hidden()
        expect(name).to_have_value("𠮷野 髙子")
    finally:
        context.close()
