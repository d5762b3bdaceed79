"""Checking a notice in a real browser at 360 px, signed out: by the id typed from the
paper, by the PDF, and an unknown id; every page under axe and without sideways scroll."""

from __future__ import annotations

import re
import secrets
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from playwright.sync_api import Page, expect

from tests.browser.conftest import AxeChecker, screenshot
from tests.integration.test_notices import decided_notice, stored

pytestmark = pytest.mark.browser


def _fits_the_phone(page: Page) -> None:
    width = page.viewport_size["width"] if page.viewport_size else 0
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, (page.url, scroll, width)


def _verdict(page: Page, status: str) -> None:
    expect(page.locator(f'[data-verdict="{status}"]')).to_be_visible()


def test_a_notice_is_checked_on_a_phone(
    app: Flask,
    live_server,
    demo,
    client: FlaskClient,
    phone: Page,
    axe: AxeChecker,
    tmp_path: Path,
) -> None:
    # Sealing here runs inside Playwright's event loop: the seal copes with that.
    _, notice = decided_notice(app, client)
    pdf = stored(app, notice)
    page, base = phone, live_server.url

    # The footer of any page leads to the check; a mistyped id is explained.
    page.goto(base)
    page.locator("footer a[href='/verify']").click()
    expect(page).to_have_url(f"{base}/verify")
    axe.check(page)
    _fits_the_phone(page)
    page.locator("#id").fill("12345")
    page.locator("form[method=get] button").click()
    expect(page.locator(".error-summary")).to_be_visible()
    axe.check(page)

    # The id as people copy it from paper: in groups, in capitals.
    page.locator("#id").fill(" ".join(re.findall(".{5}", notice.public_id.upper())))
    page.locator("form[method=get] button").click()
    expect(page).to_have_url(f"{base}/verify/{notice.public_id}")
    _verdict(page, "valid")
    expect(page.locator("main")).to_contain_text("みどり県知事")
    expect(page.locator("main")).not_to_contain_text("𠮷野")
    axe.check(page)
    _fits_the_phone(page)
    screenshot(page, "verification-valid-360")

    # The PDF itself, from the notice's own page: the file is the one issued.
    page.locator("#file").set_input_files(str(pdf))
    page.locator("form[enctype] button").click()
    _verdict(page, "valid")
    expect(page.locator('[data-file="matches"]')).to_be_visible()
    axe.check(page)
    _fits_the_phone(page)

    # A copy with one byte changed, uploaded without its id.
    data = pdf.read_bytes()
    middle = len(data) // 3
    changed = tmp_path / "changed.pdf"
    changed.write_bytes(data[:middle] + bytes([data[middle] ^ 1]) + data[middle + 1 :])
    page.goto(f"{base}/verify")
    page.locator("#file").set_input_files(str(changed))
    page.locator("form[enctype] button").click()
    _verdict(page, "modified")
    axe.check(page)
    _fits_the_phone(page)
    screenshot(page, "verification-modified-360")

    # An id that was never issued.
    response = page.goto(f"{base}/verify/{secrets.token_hex(10)}")
    assert response is not None and response.status == 404
    _verdict(page, "unknown")
    axe.check(page)
    _fits_the_phone(page)
    assert axe.found == {}, axe.found
