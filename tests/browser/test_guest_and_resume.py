"""A guest application, and resuming a draft in another browser, at 360 px under axe."""

from __future__ import annotations

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import PHONE, AxeChecker, screenshot
from tests.browser.test_journey import sign_in
from tests.conftest import link_in, outbox

pytestmark = pytest.mark.browser


def _new_phone(browser: Browser) -> Page:
    context = browser.new_context(viewport=PHONE, locale="ja-JP", is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def test_a_guest_signs_up_for_an_event(
    app: Flask, live_server, demo, phone: Page, axe: AxeChecker
) -> None:
    page, base = phone, live_server.url
    page.goto(f"{base}/procedures/sakura-town/event-signup")
    axe.check(page)
    page.get_by_label("メールアドレス").fill("guest@example.jp")
    page.get_by_role("button", name="リンクを送る").click()
    expect(page.get_by_role("heading", name="メールをご確認ください")).to_be_visible()
    axe.check(page)
    page.goto(base + link_in(outbox(app)[-1]))
    axe.check(page)
    page.get_by_role("button", name="続ける").click()
    page.get_by_role("button", name="申請を開始する").click()
    expect(
        page.get_by_role("button", name="続きを後で入力するためのリンクをメールで受け取る")
    ).to_be_visible()
    axe.check(page)
    screenshot(page, "guest-first-page-360")
    assert axe.found == {}, axe.found


def test_a_draft_resumes_in_another_browser(
    live_server, demo, phone: Page, browser: Browser, axe: AxeChecker
) -> None:
    page, base = phone, live_server.url
    page.goto(f"{base}/account/login")
    sign_in(page, "resident@example.jp")
    page.goto(f"{base}/procedures/aoba-city/residence-certificate")
    page.get_by_role("button", name="申請を開始する").click()
    page.get_by_label("氏名").fill("山田 花子")
    page.get_by_label("連絡先メールアドレス").fill("hanako@example.jp")
    page.get_by_label("自分（または同じ世帯の方）の住民票").check()
    page.get_by_role("button", name="保存して次へ進む").click()
    expect(page.get_by_role("heading", name="請求の内容")).to_be_visible()
    page.context.close()

    other = _new_phone(browser)
    other.goto(f"{base}/account/login")
    sign_in(other, "resident@example.jp")
    other.get_by_role("link", name="申請一覧").first.click()
    axe.check(other)
    other.get_by_role("link", name="住民票の写し等交付請求").click()
    # The second page, where an answer is needed; the first page's answers are kept.
    expect(other.get_by_role("heading", name="請求の内容")).to_be_visible()
    other.get_by_role("link", name="戻る").click()
    expect(other.get_by_label("氏名")).to_have_value("山田 花子")
    axe.check(other)
    other.context.close()
    assert axe.found == {}, axe.found
