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


def test_children_as_a_repeating_group_and_a_question_shown_as_you_answer(
    live_server, demo, phone: Page, axe: AxeChecker
) -> None:
    page = phone
    page.goto(f"{live_server.url}/account/login")
    sign_in(page, "resident@example.jp")
    page.goto(f"{live_server.url}/procedures/sakura-town/childcare-support")
    page.get_by_role("button", name="申請を開始する").click()
    # The "other" relationship appears only once "other" is chosen (without JavaScript
    # it is always shown, and the server decides).
    other = page.get_by_label("続柄（その他）", exact=False)
    expect(other).to_be_hidden()
    page.get_by_label("その他の保護者").check()
    expect(other).to_be_visible()
    axe.check(page)
    page.get_by_label("母", exact=True).check()
    expect(other).to_be_hidden()
    page.get_by_label("保護者の氏名").fill("山田 花子")
    page.get_by_role("button", name="保存して次へ進む").click()

    expect(page.get_by_role("group", name="お子さん 1")).to_be_visible()
    page.locator("#field-children\\.0\\.name").fill("山田 一郎")
    page.locator("#field-children\\.0\\.birth_date").fill("平成30年5月1日")
    page.locator("#field-children\\.0\\.living_together").check()
    page.get_by_role("button", name="お子さんを追加する").click()
    expect(page.get_by_role("group", name="お子さん 2")).to_be_visible()
    expect(page.locator("#field-children\\.0\\.name")).to_have_value("山田 一郎")
    page.locator("#field-children\\.1\\.name").fill("山田 二葉")
    page.get_by_role("button", name="保存して次へ進む").click()
    # The second child's missing answers are named with the child's number.
    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("お子さん 2：生年月日")
    axe.check(page)
    screenshot(page, "group-errors-360")
    page.locator("#field-children\\.1\\.birth_date").fill("令和2年5月1日")
    page.locator("#field-children\\.1\\.living_together").check()
    page.get_by_role("button", name="保存して次へ進む").click()
    page.get_by_label("金融機関名・支店名").fill("さくら銀行 本店")
    page.get_by_label("口座名義（カナ）").fill("ヤマダ ハナコ")
    page.get_by_role("button", name="保存して次へ進む").click()
    expect(page.get_by_role("heading", name="申請内容の確認")).to_be_visible()
    expect(page.get_by_text("お子さん 2")).to_be_visible()
    expect(page.get_by_text("山田 二葉")).to_be_visible()
    axe.check(page)
    screenshot(page, "group-check-360")
    assert axe.found == {}, axe.found
