"""A 360 px phone zoomed to 200%: the page is laid out for 180 CSS px (at twice the
pixel density), and no resident page may need scrolling sideways (WCAG 1.4.10 reflow).
The largest text size on a 360 px phone must fit too."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from playwright.sync_api import Browser, Page, expect

from tests.browser.a11y import (
    choose_language,
    horizontal_overflow,
    seed_applications,
    send_first_page_empty,
    sign_in,
)
from tests.browser.conftest import screenshot
from tests.integration.journey import PARKING

pytestmark = pytest.mark.browser

ZOOMED = {"width": 180, "height": 370}


def _resident_pages(ids: dict[str, str]) -> list[tuple[str, str]]:
    draft, done = f"/applications/{ids['draft']}", f"/applications/{ids['submitted']}"
    return [
        ("wizard-1", f"{draft}/pages/applicant"),
        ("wizard-2", f"{draft}/pages/eligibility"),
        ("wizard-3", f"{draft}/pages/documents"),
        ("check", f"{draft}/check"),
        ("submitted", f"{done}/submitted"),
        ("my-applications", "/applications/"),
        ("application", done),
        ("profile", "/account/profile"),
        ("accessibility", "/accessibility"),
        ("display-settings", "/display"),
    ]


def _public_pages() -> list[tuple[str, str]]:
    return [
        ("home", "/"),
        ("procedure", PARKING),
        ("sign-in", "/account/login"),
        ("registration", "/account/register"),
    ]


def _overflowing(page: Page, base: str, pages: list[tuple[str, str]], tag: str) -> list[str]:
    wide = []
    for name, path in pages:
        page.goto(base + path)
        if name == "wizard-1":
            send_first_page_empty(page)
        if horizontal_overflow(page) > 0:
            wide.append(f"{name}: {horizontal_overflow(page)} px too wide")
            screenshot(page, f"zoom-{tag}-{name}-too-wide")
    return wide


@pytest.mark.parametrize("locale", ["ja", "en"])
def test_resident_pages_reflow_at_200_percent_zoom_on_a_phone(
    app: Flask, live_server, demo, client: FlaskClient, browser: Browser, locale: str
) -> None:
    ids, base = seed_applications(app, client), live_server.url
    context = browser.new_context(
        viewport=ZOOMED, device_scale_factor=2, is_mobile=True, has_touch=True
    )
    choose_language(context, base, locale)
    page = context.new_page()
    try:
        wide = _overflowing(page, base, _public_pages(), f"200-{locale}")
        sign_in(page, base, "resident@example.jp")
        wide += _overflowing(page, base, _resident_pages(ids), f"200-{locale}")
        page.goto(base + f"/applications/{ids['draft']}/pages/applicant")
        screenshot(page, f"zoom-200-{locale}-wizard-1")
    finally:
        context.close()
    assert wide == [], wide


def test_the_largest_text_fits_a_phone(
    app: Flask, live_server, demo, client: FlaskClient, browser: Browser
) -> None:
    ids, base = seed_applications(app, client), live_server.url
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, device_scale_factor=2, is_mobile=True
    )
    choose_language(context, base, "en")
    context.add_cookies([{"name": "display_text", "value": "xlarge", "url": base}])
    page = context.new_page()
    try:
        page.goto(base)
        expect(page.locator("html")).to_have_class("text-xlarge")
        wide = _overflowing(page, base, _public_pages(), "xlarge")
        sign_in(page, base, "resident@example.jp")
        wide += _overflowing(page, base, _resident_pages(ids), "xlarge")
    finally:
        context.close()
    assert wide == [], wide
