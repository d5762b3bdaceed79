"""axe-core on every page of the resident journey, the back office and the builder, in
Japanese and English, at phone (360 px) and laptop (1280 px) width: zero violations,
and every button, control and standalone link at least 44 × 44 CSS px.

One live server and one seeded application serve all of it; each locale × width gets
one browser context that visits the pages in turn as a visitor, the resident, a
reviewer and an administrator. The counts go to test-artifacts/a11y-summary.txt.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from flask import Flask
from flask.testing import FlaskClient
from playwright.sync_api import Browser, Page

from tests.browser.a11y import (
    LOCALES,
    STAFF,
    WIDTHS,
    axe_violations,
    choose_language,
    new_context,
    seed_applications,
    send_first_page_empty,
    sign_in,
    sign_out,
    small_targets,
)
from tests.browser.conftest import ARTIFACTS, screenshot
from tests.integration.journey import PARKING

pytestmark = pytest.mark.browser

Action = Callable[[Page], None]


@dataclass
class Visit:
    """A page to check: its name, its address, and what to do there before checking."""

    name: str
    path: str
    action: Action | None = None


@dataclass
class Results:
    """What the checks found, per page × locale × width."""

    checked: list[str] = field(default_factory=list)
    violations: dict[str, list[str]] = field(default_factory=dict)
    small: dict[str, list[str]] = field(default_factory=dict)


def _journeys(ids: dict[str, str]) -> list[tuple[str | None, list[Visit]]]:
    """Who signs in (None: nobody) and the pages they visit."""
    draft, done = f"/applications/{ids['draft']}", f"/applications/{ids['submitted']}"
    builder = f"{STAFF}/procedures/{ids['procedure']}"
    return [
        (
            None,
            [
                Visit("home", "/"),
                Visit("procedure", PARKING),
                Visit("sign-in", "/account/login"),
                Visit("registration", "/account/register"),
                Visit("accessibility", "/accessibility"),
                Visit("display-settings", "/display"),
            ],
        ),
        (
            "resident@example.jp",
            [
                Visit("wizard-1", f"{draft}/pages/applicant"),
                Visit("wizard-1-error", f"{draft}/pages/applicant", send_first_page_empty),
                Visit("wizard-2", f"{draft}/pages/eligibility"),
                Visit("wizard-3", f"{draft}/pages/documents"),
                Visit("check", f"{draft}/check"),
                Visit("submitted", f"{done}/submitted"),
                Visit("my-applications", "/applications/"),
                Visit("application", done),
                Visit("profile", "/account/profile"),
            ],
        ),
        (
            "reviewer@pref.example.jp",
            [
                Visit("staff-inbox", f"{STAFF}/inbox"),
                Visit("staff-application", f"{STAFF}{done}"),
            ],
        ),
        (
            "admin@pref.example.jp",
            [
                Visit("builder-list", f"{STAFF}/procedures"),
                Visit("builder-details", builder),
                Visit("builder-questions", f"{builder}/questions"),
                Visit("builder-field", f"{builder}/questions/fields/copies"),
                Visit("builder-condition", f"{builder}/questions/fields/note/condition"),
                Visit("builder-route", f"{builder}/route"),
                Visit("builder-notice", f"{builder}/notice"),
                Visit("builder-translations", f"{builder}/translations"),
                Visit("builder-preview", f"{builder}/preview"),
                Visit("builder-publish", f"{builder}/publish"),
                Visit("admin-overview", f"{STAFF}/admin"),
                Visit("admin-details", f"{STAFF}/admin/details"),
                Visit("admin-staff", f"{STAFF}/admin/staff"),
                Visit("admin-calendar", f"{STAFF}/admin/calendar"),
            ],
        ),
    ]


def _check_page(page: Page, visit: Visit, key: str, width: int, results: Results) -> None:
    if visit.action is not None:
        visit.action(page)
    found = axe_violations(page)
    if found:
        results.violations[key] = found
    small = small_targets(page)
    if small:
        results.small[key] = small
    results.checked.append(key)
    if width == 360:
        screenshot(page, f"a11y-{key}")


def _visit_all(
    browser: Browser, base: str, locale: str, width: int, ids: dict[str, str], results: Results
) -> None:
    context = new_context(browser, locale, width)
    choose_language(context, base, locale)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        for email, visits in _journeys(ids):
            if email:
                sign_in(page, base, email)
            for visit in visits:
                response = page.goto(base + visit.path)
                assert response is not None and response.ok, (visit.path, response)
                assert page.locator("html").get_attribute("lang", timeout=1000) == locale
                _check_page(page, visit, f"{visit.name}-{locale}-{width}", width, results)
            if email:
                sign_out(page)
    finally:
        context.close()


def _write_summary(results: Results, seconds: float) -> str:
    pages = len({key.rsplit("-", 2)[0] for key in results.checked})
    lines = [
        f"{pages} pages × {len(LOCALES)} locales × {len(WIDTHS)} widths = "
        f"{len(results.checked)} page views checked with axe-core in {seconds:.0f} s",
        f"axe violations: {sum(len(v) for v in results.violations.values())} "
        f"on {len(results.violations)} page views",
        f"targets under 44x44 px: {sum(len(v) for v in results.small.values())} "
        f"on {len(results.small)} page views",
    ]
    for kind, found in (("axe", results.violations), ("small", results.small)):
        lines += [f"  {kind} {key}: {item}" for key, items in found.items() for item in items]
    ARTIFACTS.mkdir(exist_ok=True)
    text = "\n".join(lines) + "\n"
    (ARTIFACTS / "a11y-summary.txt").write_text(text, "utf-8")
    return text


def test_every_page_passes_axe_in_both_languages_at_both_widths(
    app: Flask, live_server, demo, client: FlaskClient, browser: Browser
) -> None:
    ids = seed_applications(app, client)
    results = Results()
    began = time.monotonic()
    for locale in LOCALES:
        for width in WIDTHS:
            _visit_all(browser, live_server.url, locale, width, ids, results)
    summary = _write_summary(results, time.monotonic() - began)
    print(summary)
    assert len(results.checked) == 31 * len(LOCALES) * len(WIDTHS), summary
    assert results.violations == {}, summary
    assert results.small == {}, summary
