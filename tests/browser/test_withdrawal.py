"""Withdrawing a sent application at 360 px, under axe-core."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import AxeChecker, screenshot
from tests.browser.test_journey import sign_in

pytestmark = pytest.mark.browser


def test_withdraw_with_a_reason(live_server, demo, phone: Page, axe: AxeChecker) -> None:
    page = phone
    page.goto(f"{live_server.url}/account/login")
    sign_in(page, "resident@example.jp")
    page.goto(f"{live_server.url}/procedures/aoba-city/residence-certificate")
    page.get_by_role("button", name="申請を開始する").click()
    page.get_by_label("氏名").fill("山田 花子")
    page.get_by_label("生年月日").fill("1990-01-01")
    page.get_by_label("連絡先メールアドレス").fill("hanako@example.jp")
    page.get_by_label("自分（または同じ世帯の方）の住民票").check()
    page.get_by_role("button", name="保存して次へ進む").click()
    page.get_by_label("本人のみ").check()
    page.get_by_label("通数").fill("1")
    page.get_by_label("使いみち").fill("免許の更新")
    page.get_by_role("button", name="保存して次へ進む").click()
    page.get_by_role("button", name="同意して送信する").click()
    page.get_by_role("link", name="申請一覧").first.click()
    page.get_by_role("link", name="住民票の写し等交付請求").click()
    page.get_by_role("link", name="この申請を取り下げる").click()
    axe.check(page)
    screenshot(page, "withdraw-360")
    page.get_by_label("理由（任意）").fill("窓口で受け取ることにしました")
    page.get_by_role("button", name="申請を取り下げる").click()
    expect(page.locator("[data-status]")).to_have_text("取下げ")
    expect(page.get_by_text("窓口で受け取ることにしました")).to_be_visible()
    axe.check(page)
    assert axe.found == {}, axe.found
