"""The first whole journey in a real browser at 360 px: apply, review, approve, download."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import AxeChecker, screenshot

pytestmark = pytest.mark.browser
PASSWORD = "madoguchi-demo"
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def sign_in(page: Page, email: str) -> None:
    """Fill the login form on the current page."""
    page.get_by_label("メールアドレス").fill(email)
    page.get_by_label("パスワード").fill(PASSWORD)
    page.get_by_role("button", name="ログイン").click()


def sign_out(page: Page) -> None:
    """Use the sign-out button in the header."""
    page.get_by_role("button", name="ログアウト").click()


def staff_act(
    page: Page, base: str, email: str, reference: str, button: str, axe: AxeChecker
) -> None:
    """Sign in as staff, open the application from the inbox and press an action button."""
    page.goto(f"{base}/account/login")
    sign_in(page, email)
    page.get_by_role("link", name="職員用受付箱").click()
    axe.check(page)
    page.get_by_role("link", name=reference).click()
    axe.check(page)
    page.get_by_role("button", name=button).click()
    expect(page.locator(".flash")).to_contain_text(reference)
    sign_out(page)


def test_apply_review_approve_and_download_notice(
    live_server, demo, phone: Page, axe: AxeChecker, tmp_path: Path
) -> None:
    page, base = phone, live_server.url
    page.goto(base)
    axe.check(page)
    page.get_by_role("link", name="おもいやり駐車場利用証交付申請").click()
    axe.check(page)
    page.get_by_role("button", name="申請を開始する").click()
    sign_in(page, "resident@example.jp")
    page.get_by_role("button", name="申請を開始する").click()

    # Page 1: the birth date comes from the resident's saved details; an empty name
    # shows the summary and the field error.
    expect(page.get_by_role("heading", name="申請する方")).to_be_visible()
    expect(page.get_by_label("生年月日")).to_have_value("1990-04-01")
    expect(page.get_by_text("ステップ 1 / 3")).to_be_visible()
    page.get_by_role("button", name="保存して次へ進む").click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("link")).to_have_count(1)
    axe.check(page)
    screenshot(page, "journey-01-errors-360")
    page.get_by_label("氏名").fill("𠮷野 髙子")
    page.get_by_label("生年月日").fill("昭和25年4月1日")
    page.get_by_role("button", name="保存して次へ進む").click()

    # Page 2: a malformed number keeps what was typed and says what is wrong.
    page.get_by_label("要介護認定を受けている方").check()
    page.get_by_label("必要な枚数").fill("にまい")
    page.get_by_role("button", name="保存して次へ進む").click()
    expect(page.locator(".error-summary")).to_be_visible()
    expect(page.get_by_label("必要な枚数")).to_have_value("にまい")
    expect(page.get_by_label("要介護認定を受けている方")).to_be_checked()
    page.get_by_label("必要な枚数").fill("２")
    page.get_by_role("button", name="保存して次へ進む").click()

    # Page 3: a file that is not what its name says is refused; a real one is kept.
    expect(page.get_by_role("heading", name="確認書類")).to_be_visible()
    chooser = page.get_by_label("確認書類の写し")
    chooser.set_input_files(
        files=[{"name": "証明書.pdf", "mimeType": "application/pdf", "buffer": b"<html></html>"}]
    )
    page.get_by_role("button", name="保存して次へ進む").click()
    expect(page.locator(".error-summary")).to_contain_text("証明書.pdf")
    axe.check(page)
    page.get_by_label("確認書類の写し").set_input_files(
        files=[{"name": "介護保険被保険者証.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.get_by_role("button", name="アップロード").click()
    expect(page.get_by_role("button", name="削除 介護保険被保険者証.pdf")).to_be_visible()
    axe.check(page)
    screenshot(page, "journey-02a-file-360")
    page.get_by_role("button", name="保存して次へ進む").click()

    # Check your answers, then submit.
    expect(page.get_by_role("heading", name="申請内容の確認")).to_be_visible()
    expect(page.get_by_text("昭和25年4月1日（1950年4月1日）")).to_be_visible()
    axe.check(page)
    screenshot(page, "journey-02-check-360")
    # Agree to electronic delivery, so that the notice can be downloaded in the portal.
    page.locator("#electronic_delivery").check()
    page.get_by_role("button", name="同意して送信する").click()
    reference = page.locator(".reference").inner_text().strip()
    assert re.fullmatch(r"MDR-\w{4}-\w{4}", reference)
    axe.check(page)
    screenshot(page, "journey-03-submitted-360")
    sign_out(page)

    staff_act(page, base, "reviewer@pref.example.jp", reference, "次の担当へ回付する", axe)
    staff_act(page, base, "approver@pref.example.jp", reference, "承認する", axe)

    # The resident sees the decision and downloads the notice.
    page.goto(f"{base}/account/login")
    sign_in(page, "resident@example.jp")
    page.get_by_role("link", name="申請一覧").first.click()
    axe.check(page)
    page.get_by_role("link", name="おもいやり駐車場利用証交付申請").click()
    expect(page.locator("[data-status]")).to_have_text("処理完了")
    axe.check(page)
    screenshot(page, "journey-04-detail-360")
    with page.expect_download() as download:
        page.get_by_role("link", name="通知書をダウンロード（PDF）").click()
    pdf = tmp_path / "notice.pdf"
    download.value.save_as(pdf)
    _check_notice(pdf, reference)
    assert axe.found == {}, axe.found


def _check_notice(pdf: Path, reference: str) -> None:
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    for expected in (
        reference,
        "決定通知書",
        "令和",
        "年",
        "みどり県知事",
        "𠮷野 髙子",
        "昭和25年4月1日",
    ):
        assert expected in text, (expected, text)
    assert re.search(r"令和\d+年\d+月\d+日（20\d\d年\d+月\d+日）", text), text
    fonts = subprocess.run(
        ["pdffonts", str(pdf)], capture_output=True, text=True, check=True
    ).stdout
    cjk = [line for line in fonts.splitlines() if "CJK" in line or "IPA" in line]
    assert cjk and all(" yes " in line for line in cjk), fonts
