"""Compound Japanese fields at 360 px: usable, and clean under axe-core."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import AxeChecker, screenshot
from tests.browser.test_journey import sign_in

pytestmark = pytest.mark.browser


def test_name_address_and_declaration_pages(
    live_server, demo, phone: Page, axe: AxeChecker
) -> None:
    page = phone
    page.goto(f"{live_server.url}/account/login")
    sign_in(page, "resident@example.jp")
    page.goto(f"{live_server.url}/procedures/midori-pref/vehicle-tax-address")
    page.get_by_role("button", name="申請を開始する").click()
    page.get_by_role("button", name="保存して次へ進む").click()
    expect(page.locator(".error-summary")).to_be_visible()
    axe.check(page)
    page.get_by_label("姓", exact=True).fill("髙橋")
    page.get_by_label("名", exact=True).fill("𠮷子")
    page.get_by_label("セイ（カタカナ）").fill("たかはし")
    page.get_by_label("メイ（カタカナ）").fill("よしこ")
    page.get_by_label("日中の電話番号").fill("09012345678")
    page.get_by_label("自動車登録番号（ナンバー）").fill("みどり 300 あ 12-34")
    page.get_by_role("button", name="保存して次へ進む").click()
    expect(page.get_by_role("heading", name="新しい送付先")).to_be_visible()
    axe.check(page)
    screenshot(page, "compound-address-360")
    page.get_by_label("郵便番号").fill("1000001")
    page.get_by_label("都道府県").select_option("東京都")
    page.get_by_label("市区町村").fill("千代田区")
    page.get_by_label("町名・番地").fill("千代田1-1")
    page.get_by_label("いいえ").check()
    page.get_by_label("上記の内容に相違ないことを確認しました").check()
    page.get_by_label("氏名（署名）").fill("髙橋 𠮷子")
    page.get_by_role("button", name="保存して次へ進む").click()
    expect(page.get_by_role("heading", name="申請内容の確認")).to_be_visible()
    expect(page.get_by_text("タカハシ")).to_be_visible()
    axe.check(page)
    assert axe.found == {}, axe.found
