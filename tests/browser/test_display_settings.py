"""The text size and background colour switches (文字サイズ・背景色): plain links that
work without JavaScript, kept across pages, shown as classes on <html>; and axe-core
passes with the black and blue backgrounds on the pages that use the most colours."""

from __future__ import annotations

import time

import pytest
from flask import Flask
from flask.testing import FlaskClient
from playwright.sync_api import Browser, expect

from tests.browser.a11y import (
    STAFF,
    axe_violations,
    choose_language,
    horizontal_overflow,
    new_context,
    seed_applications,
    send_first_page_empty,
    sign_in,
    sign_out,
    small_targets,
)
from tests.browser.conftest import screenshot
from tests.integration.journey import PARKING

pytestmark = pytest.mark.browser


def _choice(setting: str, value: str) -> str:
    """The switch for one choice in the bar at the top of the page."""
    return f".displaybar a[href*='/display/{setting}/{value}?']"


def test_the_switches_work_without_javascript_and_are_kept_across_pages(
    live_server, demo, browser: Browser
) -> None:
    base = live_server.url
    context = new_context(browser, "ja", 360, java_script_enabled=False)
    choose_language(context, base, "ja")
    page = context.new_page()
    try:
        page.goto(f"{base}{PARKING}")
        html = page.locator("html")
        assert html.get_attribute("class") is None
        expect(page.locator(_choice("text", "standard"))).to_have_attribute("aria-current", "true")
        page.locator(_choice("text", "large")).click()
        # Back on the same page, larger, and the choice says it is the current one.
        assert page.url == f"{base}{PARKING}"
        expect(html).to_have_class("text-large")
        expect(page.locator(_choice("text", "large"))).to_have_attribute("aria-current", "true")
        expect(page.locator(_choice("text", "standard"))).not_to_have_attribute(
            "aria-current", "true"
        )
        page.locator(_choice("colours", "dark")).click()
        expect(html).to_have_class("text-large contrast-dark")
        # Kept on every other page, and remembered for a year.
        page.goto(f"{base}/account/login")
        expect(html).to_have_class("text-large contrast-dark")
        cookies = {c["name"]: c for c in context.cookies()}
        assert cookies["display_text"]["value"] == "large"
        assert cookies["display_colours"]["value"] == "dark"
        year = cookies["display_colours"]["expires"] - time.time()
        assert 364 * 86400 < year <= 365 * 86400, year
        screenshot(page, "display-large-dark-360")
        # The settings page offers the same choices; back to the defaults from there.
        page.locator(".displaybar__more").click()
        page.locator("main a[href*='/display/colours/white?']").click()
        page.locator("main a[href*='/display/text/standard?']").click()
        assert html.get_attribute("class") is None
        assert page.url.endswith("/display")
    finally:
        context.close()


#: Pages with the most kinds of colour: links, buttons, the current tab, status badges,
#: errors, the flash message, inputs, the builder's tabs.
THEME_PAGES = [
    ("home", None, "/"),
    ("procedure", None, PARKING),
    ("wizard-error", "resident@example.jp", "{draft}/pages/applicant"),
    ("check", "resident@example.jp", "{draft}/check"),
    ("application", "resident@example.jp", "{done}"),
    ("staff-inbox", "reviewer@pref.example.jp", f"{STAFF}/inbox"),
    ("staff-application", "reviewer@pref.example.jp", STAFF + "{done}"),
    (
        "builder-questions",
        "admin@pref.example.jp",
        f"{STAFF}/procedures/" + "{procedure}/questions",
    ),
]


@pytest.mark.parametrize("theme", ["dark", "blue"])
def test_axe_passes_with_the_black_and_blue_backgrounds(
    app: Flask, live_server, demo, client: FlaskClient, browser: Browser, theme: str
) -> None:
    ids, base = seed_applications(app, client), live_server.url
    paths = {
        "draft": f"/applications/{ids['draft']}",
        "done": f"/applications/{ids['submitted']}",
        "procedure": ids["procedure"],
    }
    found: dict[str, list[str]] = {}
    for locale, width in (("ja", 360), ("en", 1280)):
        context = new_context(browser, locale, width)
        choose_language(context, base, locale)
        context.add_cookies([{"name": "display_colours", "value": theme, "url": base}])
        page = context.new_page()
        signed_in = None
        try:
            for name, who, path in THEME_PAGES:
                if who != signed_in:
                    if signed_in:
                        sign_out(page)
                    if who:
                        sign_in(page, base, who)
                    signed_in = who
                page.goto(base + path.format(**paths))
                expect(page.locator("html")).to_have_class(f"contrast-{theme}")
                if name == "wizard-error":
                    send_first_page_empty(page)
                key = f"{name}-{theme}-{locale}-{width}"
                problems = axe_violations(page) + small_targets(page)
                if width == 360 and horizontal_overflow(page):
                    problems.append(f"{horizontal_overflow(page)} px too wide")
                if problems:
                    found[key] = problems
                if width == 360:
                    screenshot(page, f"a11y-theme-{key}")
        finally:
            context.close()
    assert found == {}, found


@pytest.mark.parametrize("theme", ["white", "dark", "blue"])
def test_the_focus_is_a_thick_outline_in_the_page_s_ink_in_every_theme(
    live_server, demo, browser: Browser, theme: str
) -> None:
    base = live_server.url
    context = new_context(browser, "ja", 360)
    choose_language(context, base, "ja")
    context.add_cookies([{"name": "display_colours", "value": theme, "url": base}])
    page = context.new_page()
    try:
        page.goto(f"{base}/account/login")
        ink = page.evaluate("getComputedStyle(document.body).color")
        seen = []
        for _ in range(12):
            page.keyboard.press("Tab")
            seen.append(
                page.evaluate(
                    "(() => { const s = getComputedStyle(document.activeElement);"
                    " return [s.outlineStyle, s.outlineWidth, s.outlineColor]; })()"
                )
            )
        assert all(found == ["solid", "3px", ink] for found in seen), (ink, seen)
    finally:
        context.close()
