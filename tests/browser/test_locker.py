"""Keeping a document and attaching it to a second application, at 360 px under axe."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import AxeChecker, screenshot
from tests.browser.test_journey import PDF, sign_in

pytestmark = pytest.mark.browser


def _to_documents_page(page: Page, base: str) -> None:
    page.goto(f"{base}/procedures/midori-pref/accessible-parking")
    page.get_by_role("button", name="申請を開始する").click()
    page.get_by_label("氏名").fill("山田 花子")
    page.get_by_role("button", name="保存して次へ進む").click()
    page.get_by_label("要介護認定を受けている方").check()
    page.get_by_label("必要な枚数").fill("1")
    page.get_by_role("button", name="保存して次へ進む").click()
    expect(page.get_by_role("heading", name="確認書類")).to_be_visible()


def test_a_kept_document_is_reused(live_server, demo, phone: Page, axe: AxeChecker) -> None:
    page, base = phone, live_server.url
    page.goto(f"{base}/account/login")
    sign_in(page, "resident@example.jp")
    _to_documents_page(page, base)
    page.get_by_label("確認書類の写し").set_input_files(
        files=[{"name": "介護保険証.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.get_by_label("「マイ書類」にも保存").check()
    page.get_by_role("button", name="保存して次へ進む").click()
    page.get_by_role("button", name="同意して送信する").click()

    _to_documents_page(page, base)
    axe.check(page)
    page.get_by_role("button", name="添付する 介護保険証.pdf").click()
    expect(page.get_by_role("button", name="削除 介護保険証.pdf")).to_be_visible()
    # Once attached, it is no longer offered.
    expect(page.get_by_role("button", name="添付する 介護保険証.pdf")).to_have_count(0)
    axe.check(page)
    screenshot(page, "locker-reuse-360")
    page.get_by_role("link", name="マイ書類").click()
    expect(page.get_by_role("link", name="介護保険証.pdf")).to_be_visible()
    axe.check(page)
    assert axe.found == {}, axe.found
