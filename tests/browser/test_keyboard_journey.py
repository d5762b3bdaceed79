"""A resident applies from start to finish with the keyboard alone: Tab and Shift+Tab to
move, Enter and Space to press, the arrow keys in a group of choices, typing into the
field that has the focus. No mouse, no clicks, no filling fields from the outside; and
wherever the focus lands, it can be seen."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, FileChooser, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tests.browser.a11y import (
    PASSWORD,
    axe_violations,
    choose_language,
    focus_style,
    new_context,
)
from tests.browser.conftest import screenshot
from tests.integration.journey import PDF

pytestmark = pytest.mark.browser

#: A page never needs more presses of Tab than this to reach what it offers.
MAX_TABS = 80


class Keyboard:
    """Moves the focus with Tab and Shift+Tab, checking at every stop that it is visible."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.stops = 0
        self.unseen: list[str] = []

    def _focused(self, selector: str) -> bool:
        matched: bool = self.page.evaluate(
            "(selector) => !!document.activeElement && document.activeElement.matches(selector)",
            selector,
        )
        return matched

    def _note_focus(self) -> None:
        style = focus_style(self.page)
        if style is None:
            return
        self.stops += 1
        if not style["outline"] and not style["shadow"]:
            self.unseen.append(f"{self.page.url}: {style}")

    def tab_to(self, selector: str, *, back: bool = False) -> None:
        """Press Tab (Shift+Tab with ``back``) until the element matching ``selector`` has
        the focus."""
        for _ in range(MAX_TABS):
            self.page.keyboard.press("Shift+Tab" if back else "Tab")
            self._note_focus()
            if self._focused(selector):
                return
        raise AssertionError(f"Tab never reached {selector} on {self.page.url}")

    def press(self, selector: str, key: str = "Enter") -> None:
        """Tab to a control and press it with Enter (or Space)."""
        self.tab_to(selector)
        self.page.keyboard.press(key)

    def type_into(self, selector: str, text: str) -> None:
        """Tab to a field, select what it holds and type over it."""
        self.tab_to(selector)
        self.page.keyboard.press("ControlOrMeta+A")
        self.page.keyboard.type(text)


def _save_and_continue(keys: Keyboard) -> None:
    keys.press("main form[method=post] button.button--block")


def test_a_resident_applies_with_the_keyboard_alone(live_server, demo, browser: Browser) -> None:
    base = live_server.url
    context = new_context(browser, "ja", 1280)
    choose_language(context, base, "ja")
    page = context.new_page()
    page.set_default_timeout(15_000)
    keys = Keyboard(page)
    try:
        _sign_in_and_start(page, base, keys)
        _first_page_with_an_error(page, keys)
        _second_page_with_arrow_keys(page, keys)
        _third_page_with_a_file(page, keys)
        _check_and_send(page, keys)
    finally:
        context.close()
    assert keys.unseen == [], keys.unseen
    assert keys.stops > 30, keys.stops


def _sign_in_and_start(page: Page, base: str, keys: Keyboard) -> None:
    page.goto(base)
    # The first Tab reaches the skip link, which shows itself and jumps to the content.
    keys.tab_to("a.skip")
    expect(page.locator("a.skip")).to_be_in_viewport()
    keys.press("a[href$='/account/login']")
    expect(page.get_by_role("heading", name="ログイン")).to_be_visible()
    keys.type_into("#email", "resident@example.jp")
    keys.type_into("#password", PASSWORD)
    page.keyboard.press("Enter")
    expect(page.locator("form[action$='/account/logout']")).to_be_attached()
    keys.press("a[href$='/procedures/midori-pref/accessible-parking']")
    expect(page.get_by_role("heading", level=1)).to_have_text("おもいやり駐車場利用証交付申請")
    keys.press("form[action*='/applications/start/'] button")


def _first_page_with_an_error(page: Page, keys: Keyboard) -> None:
    expect(page.get_by_role("heading", name="申請する方")).to_be_visible()
    _save_and_continue(keys)
    # The error summary takes the focus; its link takes it on to the field.
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    screenshot(page, "keyboard-01-error-summary")
    assert axe_violations(page) == []
    keys.press(".error-summary a[href='#field-name']")
    expect(page.locator("#field-name")).to_be_focused()
    assert (focus_style(page) or {}).get("outline"), focus_style(page)
    page.keyboard.type("𠮷野 髙子")
    # Shift+Tab goes back through the page: up to the error summary's link, then on.
    keys.tab_to(".error-summary a", back=True)
    keys.tab_to("#field-birth_date")
    expect(page.locator("#field-birth_date")).to_have_value("1990-04-01")
    _save_and_continue(keys)


def _second_page_with_arrow_keys(page: Page, keys: Keyboard) -> None:
    expect(page.get_by_role("heading", name="利用証が必要な理由")).to_be_visible()
    radios = page.locator("input[type=radio][name=reason]")
    # Tab enters the group on its first choice; the arrow keys move and choose.
    keys.tab_to("input[type=radio][name=reason]")
    page.keyboard.press("Space")
    expect(radios.nth(0)).to_be_checked()
    page.keyboard.press("ArrowDown")
    expect(radios.nth(1)).to_be_checked()
    expect(radios.nth(1)).to_be_focused()
    page.keyboard.press("ArrowUp")
    expect(radios.nth(0)).to_be_checked()
    keys.type_into("#field-copies", "2")
    screenshot(page, "keyboard-02-choices")
    _save_and_continue(keys)


def _open_file_chooser(page: Page) -> FileChooser:
    """Open the focused file input's chooser from the keyboard: Space, else Enter (a busy
    Chromium now and then drops the first key's user activation)."""
    for key in ("Space", "Enter", "Space"):
        try:
            with page.expect_file_chooser(timeout=5_000) as chooser:
                page.keyboard.press(key)
            return chooser.value
        except PlaywrightTimeoutError:
            continue
    raise AssertionError("the keyboard never opened the file chooser")


def _third_page_with_a_file(page: Page, keys: Keyboard) -> None:
    expect(page.get_by_role("heading", name="確認書類")).to_be_visible()
    keys.tab_to("#field-proof")
    expect(page.locator("#field-proof")).to_be_focused()
    chooser = _open_file_chooser(page)
    chooser.set_files(
        files=[{"name": "介護保険被保険者証.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    keys.press("button[name=upload]")
    expect(page.locator(".files .file-name")).to_have_text("介護保険被保険者証.pdf")
    _save_and_continue(keys)


def _check_and_send(page: Page, keys: Keyboard) -> None:
    expect(page.get_by_role("heading", name="申請内容の確認")).to_be_visible()
    keys.press("#electronic_delivery", "Space")
    expect(page.locator("#electronic_delivery")).to_be_checked()
    screenshot(page, "keyboard-03-check")
    keys.press("button[data-prevent-double-click]")
    reference = page.locator(".reference")
    expect(reference).to_have_text(re.compile(r"MDR-\w{4}-\w{4}"))
    screenshot(page, "keyboard-04-submitted")
