"""The back office in a real browser: the inbox with its filters and an application at
the consultation (合議), at phone and laptop widths, under axe and from the keyboard."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import PHONE, AxeChecker, screenshot
from tests.browser.test_journey import sign_in, sign_out
from tests.integration.journey import load, staff_act, submit_parking, submit_subsidy

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1280, "height": 800}
STAFF = "/staff/midori-pref"


def _at_consultation(app: Flask, client: FlaskClient) -> int:
    """A subsidy passed by the sangyo clerk and chief: it waits for zaimu's consent."""
    ident = submit_subsidy(client)
    for email in ("clerk@sangyo.pref.example.jp", "chief@sangyo.pref.example.jp"):
        assert staff_act(app, client, ident, email, "pass").status_code == 302
    assert load(app, ident).stage_index == 2
    return ident


@pytest.fixture(params=["360", "1280"])
def screen(request: pytest.FixtureRequest, browser: Browser) -> Iterator[Page]:
    """A page in a fresh Japanese context at phone (360 px) or laptop (1280 px) width."""
    phone = request.param == "360"
    context = browser.new_context(
        viewport=PHONE if phone else LAPTOP,
        locale="ja-JP",
        is_mobile=phone,
        has_touch=phone,
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def _no_horizontal_scroll(page: Page) -> None:
    width = page.viewport_size["width"] if page.viewport_size else 0
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, (page.url, scroll, width)


def test_the_inbox_and_a_consultation_work_at_both_widths(
    app: Flask,
    live_server,
    demo,
    client: FlaskClient,
    screen: Page,
    axe: AxeChecker,
) -> None:
    ident = _at_consultation(app, client)
    reference = load(app, ident).reference
    for _ in range(3):
        submit_parking(client)
    page, base = screen, live_server.url
    width = page.viewport_size["width"] if page.viewport_size else 0

    # The approver's inbox, every open case, with the filters open.
    page.goto(f"{base}/account/login")
    sign_in(page, "approver@pref.example.jp")
    page.goto(f"{base}{STAFF}/inbox?tab=open&sort=due")
    expect(page.locator("details.filters")).to_have_attribute("open", "")
    expect(page.locator("#f-sort")).to_be_visible()
    expect(page.get_by_role("link", name=reference)).to_be_visible()
    axe.check(page)
    screenshot(page, f"back-office-inbox-{width}")
    if width == 360:
        _no_horizontal_scroll(page)

    # The subsidy at the consultation, as the approver sees it (no actions for him).
    page.get_by_role("link", name=reference).click()
    expect(page.get_by_role("heading", name="合議")).to_be_visible()
    expect(page.get_by_text("課長・財政課: 回答待ち")).to_be_visible()
    axe.check(page)
    if width == 360:
        _no_horizontal_scroll(page)
    sign_out(page)

    # Zaimu's section chief answers from the keyboard: Tab reaches the action buttons.
    page.goto(f"{base}/account/login")
    sign_in(page, "section-chief@zaimu.pref.example.jp")
    page.goto(f"{base}{STAFF}/applications/{ident}")
    expect(page.get_by_role("button", name="合議に同意する")).to_be_visible()
    axe.check(page)
    screenshot(page, f"back-office-consultation-{width}")
    if width == 360:
        _no_horizontal_scroll(page)
    reached: list[str] = []
    page.locator("body").focus()
    for _ in range(120):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "(() => { const e = document.activeElement;"
            " return e && e.name === 'action' ? e.textContent.trim() : null; })()"
        )
        if focused and focused not in reached:
            reached.append(focused)
        if len(reached) == 2:
            break
    assert reached == ["合議に同意する", "合議に異議を述べる"], reached
    page.keyboard.press("Shift+Tab")  # back to consent, and press it with the keyboard
    page.keyboard.press("Enter")
    expect(page.locator(".flash").first).to_contain_text(reference)
    assert load(app, ident).stage_index == 3
    assert axe.found == {}, axe.found
