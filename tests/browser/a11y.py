"""Shared checks for the accessibility tests: axe with WCAG 2.2's target size on, touch
targets of 44 px, visible focus, no sideways scrolling, and locale-free sign-in."""

from __future__ import annotations

from typing import Any

from axe_playwright_python.sync_playwright import Axe
from flask import Flask
from flask.testing import FlaskClient
from playwright.sync_api import Browser, BrowserContext, Page, expect
from sqlalchemy import select

from portal.catalog.models import Procedure
from portal.extensions import db
from tests.integration.journey import (
    PARKING_ANSWERS,
    application_id,
    fill,
    start,
    submit_parking,
)

PASSWORD = "madoguchi-demo"
STAFF = "/staff/midori-pref"
#: axe's defaults (WCAG A/AA and best practices) plus 2.5.8 target size, off by default.
AXE_OPTIONS = {"resultTypes": ["violations"], "rules": {"target-size": {"enabled": True}}}
LOCALES = {"ja": "ja-JP", "en": "en-US"}
WIDTHS = {360: {"width": 360, "height": 740}, 1280: {"width": 1280, "height": 800}}

_AXE = Axe()

#: Interactive targets smaller than 44 × 44 CSS px. A link inside a sentence is exempt (as
#: in WCAG 2.5.8); a checkbox or radio counts together with its label, which presses it.
SMALL_TARGETS_JS = """
() => {
  const selector = "a[href], button, input:not([type=hidden]), select, textarea, summary";
  const small = [];
  const blockOf = (el) => {
    let node = el.parentElement;
    while (node && getComputedStyle(node).display.startsWith("inline")) {
      node = node.parentElement;
    }
    return node;
  };
  const inSentence = (el) => {
    const block = blockOf(el);
    return block && block.textContent.trim().length > el.textContent.trim().length;
  };
  for (const el of document.querySelectorAll(selector)) {
    if (el.closest("[hidden], template, dialog:not([open])")) { continue; }
    if (el.matches(".skip, .default-submit, [aria-hidden=true]")) { continue; }
    const style = getComputedStyle(el);
    if (style.visibility === "hidden" || style.display === "none") { continue; }
    let box = el.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) { continue; }
    if (el.tagName === "A" && inSentence(el)) { continue; }
    if (el.type === "checkbox" || el.type === "radio") {
      for (const label of el.labels) {
        const other = label.getBoundingClientRect();
        const left = Math.min(box.left, other.left), top = Math.min(box.top, other.top);
        const right = Math.max(box.right, other.right), bottom = Math.max(box.bottom, other.bottom);
        box = {width: right - left, height: bottom - top};
      }
    }
    if (box.width < 43.5 || box.height < 43.5) {
      const name = (el.textContent || el.name || el.id || "").trim().slice(0, 30);
      const size = `${Math.round(box.width)}x${Math.round(box.height)}`;
      small.push(`${el.tagName.toLowerCase()} "${name}" ${size}`);
    }
  }
  return small;
}
"""

#: How the focused element shows its focus: its outline and box shadow.
FOCUS_JS = """
() => {
  const el = document.activeElement;
  if (!el || el === document.body) { return null; }
  const style = getComputedStyle(el);
  return {
    tag: el.tagName.toLowerCase(), id: el.id, name: el.name || "",
    text: (el.textContent || el.value || "").trim().slice(0, 40),
    outline: style.outlineStyle === "none" ? "" : `${style.outlineWidth} ${style.outlineStyle}`,
    shadow: style.boxShadow === "none" ? "" : style.boxShadow,
  };
}
"""


def new_context(browser: Browser, locale: str, width: int, **extra: Any) -> BrowserContext:
    """A fresh browser context in ``locale`` (ja, en) at ``width`` (360 or 1280) px."""
    phone = width < 1000
    return browser.new_context(
        viewport=WIDTHS.get(width, {"width": width, "height": 740}),
        locale=LOCALES[locale],
        is_mobile=phone,
        has_touch=phone,
        **extra,
    )


def choose_language(context: BrowserContext, base: str, locale: str) -> None:
    """Set the language cookie, which wins over a signed-in person's saved language."""
    context.add_cookies([{"name": "lang", "value": locale, "url": base}])


def axe_violations(page: Page) -> list[str]:
    """axe-core's violations on the page as it is now, one line each."""
    found = _AXE.run(page, options=AXE_OPTIONS).response["violations"]
    return [
        f"{v['id']}: {v['help']} ({', '.join(str(n['target'][0]) for n in v['nodes'][:3])})"
        for v in found
    ]


def small_targets(page: Page) -> list[str]:
    """Interactive targets under 44 × 44 CSS px (links inside sentences excepted)."""
    result: list[str] = page.evaluate(SMALL_TARGETS_JS)
    return result


def horizontal_overflow(page: Page) -> int:
    """How many CSS px the page is wider than the window (0 when it fits).

    Compared with the viewport asked for, not ``innerWidth``: a mobile browser zooms out
    to show a page that is too wide, and ``innerWidth`` grows with it."""
    width = page.viewport_size["width"] if page.viewport_size else 0
    scroll = page.evaluate("Math.max(document.documentElement.scrollWidth, window.innerWidth)")
    return max(0, int(scroll) - width)


def focus_style(page: Page) -> dict[str, str] | None:
    """The focused element and the outline or shadow that shows its focus."""
    result: dict[str, str] | None = page.evaluate(FOCUS_JS)
    return result


def sign_in(page: Page, base: str, email: str) -> None:
    """Sign in through the login form, in any language."""
    page.goto(f"{base}/account/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_selector("form[action$='/account/logout']", state="attached")


def sign_out(page: Page) -> None:
    """Press the sign-out button in the header, in any language."""
    page.locator("form[action$='/account/logout'] button").click()
    page.wait_for_selector("a[href$='/account/login']", state="attached")


def seed_applications(app: Flask, client: FlaskClient) -> dict[str, str]:
    """A submitted parking application and a filled draft of another, for the resident."""
    submitted = submit_parking(client)
    draft = application_id(fill(client, start(client), PARKING_ANSWERS))
    with app.app_context():
        procedure = db.session.scalar(
            select(Procedure.id).where(Procedure.slug == "accessible-parking")
        )
    return {"submitted": str(submitted), "draft": str(draft), "procedure": str(procedure)}


def send_first_page_empty(page: Page) -> None:
    """Send the first page without a name: the error summary and the field's error."""
    page.locator("#field-name").fill("")
    page.locator("main form[method=post] button.button--block").click()
    expect(page.locator(".error-summary")).to_be_visible()
