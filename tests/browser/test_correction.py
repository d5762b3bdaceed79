"""A correction round at 360 px: staff ask, the resident corrects and sends again."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import AxeChecker, screenshot
from tests.browser.test_journey import PDF, sign_in, sign_out
from tests.browser.test_locker import _to_documents_page

pytestmark = pytest.mark.browser


def test_correction_round(live_server, demo, phone: Page, axe: AxeChecker) -> None:
    page, base = phone, live_server.url
    page.goto(f"{base}/account/login")
    sign_in(page, "resident@example.jp")
    _to_documents_page(page, base)
    page.get_by_label("確認書類の写し").set_input_files(
        files=[{"name": "介護保険証.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.get_by_role("button", name="保存して次へ進む").click()
    page.get_by_role("button", name="同意して送信する").click()
    reference = page.locator(".reference").inner_text().strip()
    sign_out(page)

    page.goto(f"{base}/account/login")
    sign_in(page, "reviewer@pref.example.jp")
    page.get_by_role("link", name="職員用受付箱").click()
    page.get_by_role("link", name=reference).click()
    page.get_by_label("理由・コメント").fill("必要な枚数を確認してください。")
    page.get_by_text("補正を求める回答を選ぶ").click()  # a disclosure, so the buttons stay near
    page.get_by_label("必要な枚数").check()
    axe.check(page)
    page.get_by_role("button", name="申請者に補正を依頼する").click()
    sign_out(page)

    page.goto(f"{base}/account/login")
    sign_in(page, "resident@example.jp")
    page.get_by_role("link", name="申請一覧").first.click()
    page.get_by_role("link", name="おもいやり駐車場利用証交付申請").click()
    expect(page.get_by_text("必要な枚数を確認してください。", exact=True)).to_be_visible()
    axe.check(page)
    page.get_by_role("link", name="申請を補正する").click()
    page.get_by_label("必要な枚数").fill("2")
    axe.check(page)
    screenshot(page, "correction-360")
    page.get_by_role("button", name="補正した申請を送信する").click()
    expect(page.locator("[data-status]")).to_have_text("審査中")
    assert axe.found == {}, axe.found
