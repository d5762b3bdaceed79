"""Staff open an attached PDF in the viewer at 360 px, under axe."""

from __future__ import annotations

import copy

import pytest
from flask.testing import FlaskClient
from playwright.sync_api import Page, expect

from tests import conftest
from tests.browser.conftest import AxeChecker, screenshot
from tests.browser.test_journey import sign_in
from tests.integration.journey import PARKING_ANSWERS, application_id, fill, load, start

pytestmark = pytest.mark.browser


def tiny_pdf(text: str) -> bytes:
    """A one-page PDF that PDF viewers render, with a line of ASCII text."""
    stream = f"BT /F1 24 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _submit_with_pdf(client: FlaskClient) -> int:
    """The resident sends the parking permit application with a real one-page PDF."""
    conftest.sign_in(client, "resident@example.jp")
    answers = copy.deepcopy(PARKING_ANSWERS)
    answers["documents"]["proof"] = ("介護保険被保険者証.pdf", tiny_pdf("Sample certificate"))
    check = fill(client, start(client), answers)
    assert client.post(check).status_code == 302
    return application_id(check)


def test_staff_view_an_attached_pdf(
    app, live_server, demo, client: FlaskClient, phone: Page, axe: AxeChecker
) -> None:
    ident = _submit_with_pdf(client)  # sent through the test client, beside the live server
    token = load(app, ident).answers["proof"][0]["id"]
    file_url = f"/staff/midori-pref/applications/{ident}/files/{token}"
    page, base = phone, live_server.url
    page.goto(f"{base}/account/login")
    sign_in(page, "reviewer@pref.example.jp")
    page.goto(f"{base}/staff/midori-pref/applications/{ident}")
    axe.check(page)  # the file list: a link to the viewer and one to download
    page.get_by_role("link", name="介護保険被保険者証.pdf", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("介護保険被保険者証.pdf")
    frame = page.locator("iframe")
    expect(frame).to_have_attribute("src", f"{file_url}/inline")
    expect(frame).to_have_attribute("title", "介護保険被保険者証.pdf")
    expect(frame).to_be_visible()
    page.wait_for_load_state("load")  # the frame's document too
    assert any(f.url.endswith(f"{file_url}/inline") for f in page.frames), page.frames
    # The frame spans the width, and nothing scrolls sideways at 360 px.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    box = frame.bounding_box()
    assert box is not None and box["width"] > 300 and box["height"] > 400
    axe.check(page)
    screenshot(page, "file-viewer-pdf-360")
    assert axe.found == {}, axe.found
