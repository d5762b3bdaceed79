"""The procedure builder in a real browser at 360 px: a tenant administrator builds a
three-page procedure with a conditional question from forms alone (no JSON anywhere),
publishes it, a resident applies, and staff decide it along the starter route.

The builder's own words may not be translated yet, so its controls are found by what
does not change with the language: the ``#field-…`` ids, the forms' addresses and the
buttons' values. The resident's and the staff's pages are found by their Japanese.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser.conftest import AxeChecker, screenshot
from tests.browser.test_journey import sign_in, sign_out, staff_act

pytestmark = pytest.mark.browser

ADMIN = "admin@pref.example.jp"
RESIDENT = "resident@example.jp"
BUILDER = "/staff/midori-pref/procedures"
TITLE = "ペット飼育届"
SLUG = "pet-keeping-notice"
PAGE_2 = "ペットについて"
PAGE_3 = "飼育の状況"
YESNO = "ペットを飼っていますか"
DETAIL = "ペットの名前"
COUNT = "飼育している頭数"


def _check(page: Page, axe: AxeChecker) -> None:
    """Run axe on a builder page, which must also fit the phone's width."""
    axe.check(page)
    width = page.viewport_size["width"] if page.viewport_size else 0
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, (page.url, scroll, width)


def _submit(page: Page, inside: str) -> None:
    """Press the submit button of the form holding ``inside`` (a CSS selector)."""
    page.locator(f"form:has({inside})").locator("button[type=submit]").last.click()


def _page_section(page: Page, number: int) -> Locator:
    """The questions tab's section of page ``number`` (1-based)."""
    return page.locator("section.builder-page").nth(number - 1)


def _question(section: Locator, label: str) -> Locator:
    """A question of a page in the questions tab, by its exact Japanese label."""
    return section.locator("ol.builder-fields > li").filter(
        has=section.page.locator("strong", has_text=re.compile(f"^{re.escape(label)}$"))
    )


def _tab(page: Page, endpoint: str) -> None:
    """Open a tab of the procedure from the tab list (``questions``, ``route``, …)."""
    page.locator(f"ul.tabs a[href$='/{endpoint}']").click()
    expect(page.locator(f"ul.tabs a[href$='/{endpoint}']")).to_have_attribute(
        "aria-current", "page"
    )


def _add_question(
    page: Page, axe: AxeChecker, number: int, kind: str, label: str, *, required: bool = True
) -> None:
    """Add a question of type ``kind`` to page ``number`` through the field editor."""
    section = _page_section(page, number)
    section.locator("select[name=type]").select_option(kind)
    section.locator("form.builder-add button[type=submit]").click()
    expect(page.locator("#field-label_ja")).to_be_visible()
    expect(page.locator("input[name=type]")).to_have_value(kind)
    if kind == "yesno":
        _check(page, axe)  # the field editor
        screenshot(page, "builder-04-field-editor-360")
    page.locator("#field-label_ja").fill(label)
    if required:
        page.locator("#field-required").check()
    _submit(page, "#field-label_ja")
    expect(page.locator("section.builder-page")).to_have_count(3)
    expect(_question(_page_section(page, number), label)).to_have_count(1)


def _delete_placeholder(page: Page, number: int, title: str) -> None:
    """Delete the guidance text a new page starts with (labelled with the page's title)."""
    section = _page_section(page, number)
    placeholder = _question(section, title)
    expect(placeholder).to_have_count(1)
    placeholder.locator("button[name=action][value=delete]").click()
    expect(_question(_page_section(page, number), title)).to_have_count(0)
    expect(page.locator(".error-summary")).to_have_count(0)


def test_an_administrator_builds_and_publishes_a_procedure_that_residents_use(
    live_server, demo, phone: Page, axe: AxeChecker
) -> None:
    page, base = phone, live_server.url

    # The administrator opens the builder and starts a procedure from a blank page.
    page.goto(f"{base}/account/login")
    sign_in(page, ADMIN)
    page.goto(f"{base}{BUILDER}")
    expect(page.locator("a[href$='/procedures/new']")).to_be_visible()
    _check(page, axe)
    screenshot(page, "builder-01-list-360")
    page.locator("a[href$='/procedures/new']").click()
    expect(page.locator("#field-department")).to_be_visible()
    _check(page, axe)
    screenshot(page, "builder-02-new-360")
    page.locator("#field-title").fill(TITLE)
    page.locator("#field-slug").fill(SLUG)
    page.locator("#field-department").select_option(label="産業政策課")
    _submit(page, "#field-slug")

    # It starts with one page 「申請者」 asking for the name, address and phone number…
    expect(page).to_have_url(re.compile(r"/procedures/\d+/questions$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.locator("section.builder-page")).to_have_count(1)
    first = _page_section(page, 1)
    expect(first.locator("h3")).to_contain_text("申請者")
    expect(first.locator("ol.builder-fields > li strong")).to_have_text(
        ["氏名", "住所", "電話番号"]
    )
    _check(page, axe)
    # …and a route of two stages: a review, then the decision.
    _tab(page, "route")
    stages = page.locator("ol.builder-route > li")
    expect(stages).to_have_count(2)
    expect(stages.nth(0).locator("h3")).to_contain_text("審査")
    expect(stages.nth(1).locator("h3")).to_contain_text("決裁")
    _check(page, axe)
    screenshot(page, "builder-03-route-360")

    # Two more pages: three in all, each starting with a guidance text to replace.
    _tab(page, "questions")
    for title in (PAGE_2, PAGE_3):
        page.locator("#field-title").fill(title)
        _submit(page, "#field-title")
        expect(page.locator("section.builder-page").last.locator("h3")).to_contain_text(title)
    expect(page.locator("section.builder-page")).to_have_count(3)

    # Page 2: a yes/no question and a short text; page 3: a number.
    _add_question(page, axe, 2, "yesno", YESNO)
    _add_question(page, axe, 2, "text", DETAIL)
    _add_question(page, axe, 3, "number", COUNT)

    # The short text is asked only when the answer to the yes/no question is yes,
    # built from the lists: question and comparison, then the value.
    _question(_page_section(page, 2), DETAIL).locator("a[href$='/condition']").click()
    expect(page.locator("#field-field")).to_be_visible()
    _check(page, axe)
    screenshot(page, "builder-05-condition-360")
    page.locator("#field-field").select_option(label=YESNO)
    page.locator("#field-op").select_option("equals")
    _submit(page, "#field-op")
    expect(page.locator("#field-value")).to_be_visible()
    expect(page.locator("label[for=field-value]")).to_contain_text(YESNO)
    _check(page, axe)
    page.locator("#field-value").select_option("yes")
    page.locator("button[name=action][value=add]").click()
    rules = page.locator("ul.builder-rules > li")
    expect(rules).to_have_count(1)
    expect(rules.first).to_contain_text(YESNO)
    _check(page, axe)
    screenshot(page, "builder-06-condition-saved-360")

    # The new pages' guidance texts can go now that each page has another question.
    page.locator("p a.back[href$='/questions']").click()
    _delete_placeholder(page, 2, PAGE_2)
    _delete_placeholder(page, 3, PAGE_3)
    second = _page_section(page, 2)
    expect(second.locator("ol.builder-fields > li strong")).to_have_text([YESNO, DETAIL])
    expect(_page_section(page, 3).locator("ol.builder-fields > li strong")).to_have_text([COUNT])

    # The yes/no question cannot be deleted while the condition looks at it.
    _question(second, YESNO).locator("button[name=action][value=delete]").click()
    refusal = page.locator(".error-summary")
    expect(refusal).to_be_visible()
    expect(refusal).to_contain_text(YESNO)
    expect(refusal).to_contain_text(DETAIL)
    expect(page).to_have_title(re.compile(r"^(Error|エラー)"))
    second = _page_section(page, 2)
    expect(second.locator("ol.builder-fields > li strong")).to_have_text([YESNO, DETAIL])
    _check(page, axe)
    screenshot(page, "builder-07-questions-refusal-360")

    # Publish: the tab lists what changes, and nothing stops it.
    _tab(page, "publish")
    expect(page.locator("ul.changes > li").first).to_be_visible()
    expect(page.locator(".error-summary")).to_have_count(0)
    _check(page, axe)
    screenshot(page, "builder-08-publish-360")
    page.locator("form[action$='/publish'] button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/procedures/\d+/versions$"))
    expect(page.locator("#version-1")).to_be_visible()
    _check(page, axe)
    screenshot(page, "builder-09-published-360")
    sign_out(page)

    # A resident applies, answering yes, so the conditional question must be answered.
    page.goto(f"{base}/account/login")
    sign_in(page, RESIDENT)
    page.goto(f"{base}/procedures/midori-pref/{SLUG}")
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    page.get_by_role("button", name="申請を開始する").click()
    expect(page.get_by_role("heading", name="申請者")).to_be_visible()
    expect(page.get_by_text("ステップ 1 / 3")).to_be_visible()
    page.locator("#field-q1").fill("山田")
    page.locator("#field-q1-given").fill("花子")
    page.locator("#field-q1-family_kana").fill("ヤマダ")
    page.locator("#field-q1-given_kana").fill("ハナコ")
    page.locator("#field-q2").fill("1000001")
    page.locator("#field-q2-prefecture").select_option("東京都")
    page.locator("#field-q2-city").fill("千代田区")
    page.locator("#field-q2-street").fill("千代田1-1")
    page.locator("#field-q3").fill("090-1234-5678")
    page.get_by_role("button", name="保存して次へ進む").click()

    expect(page.get_by_role("heading", name=PAGE_2)).to_be_visible()
    detail = page.get_by_label(DETAIL)
    expect(detail).to_be_hidden()
    page.get_by_role("group", name=YESNO).get_by_label("はい").check()
    expect(detail).to_be_visible()
    page.get_by_role("button", name="保存して次へ進む").click()
    # Shown, the conditional question is required: the server asks for it.
    expect(page.locator(".error-summary")).to_contain_text(DETAIL)
    page.get_by_label(DETAIL).fill("ポチ")
    page.get_by_role("button", name="保存して次へ進む").click()

    expect(page.get_by_role("heading", name=PAGE_3)).to_be_visible()
    page.get_by_label(COUNT).fill("2")
    page.get_by_role("button", name="保存して次へ進む").click()

    expect(page.get_by_role("heading", name="申請内容の確認")).to_be_visible()
    expect(page.get_by_text("ポチ")).to_be_visible()
    page.locator("#electronic_delivery").check()
    page.get_by_role("button", name="同意して送信する").click()
    reference = page.locator(".reference").inner_text().strip()
    assert re.fullmatch(r"MDR-\w{4}-\w{4}", reference), reference
    sign_out(page)

    # The starter route: the reviewer passes it on, the approver approves.
    staff_act(page, base, "reviewer@pref.example.jp", reference, "次の担当へ回付する", axe)
    staff_act(page, base, "approver@pref.example.jp", reference, "承認する", axe)

    # The resident sees the decision.
    page.goto(f"{base}/account/login")
    sign_in(page, RESIDENT)
    page.get_by_role("link", name="申請一覧").first.click()
    page.get_by_role("link", name=TITLE).click()
    status = page.locator("[data-status]")
    expect(status).to_have_attribute("data-status", "completed")
    expect(status).to_have_text("処理完了")
    screenshot(page, "builder-10-resident-decided-360")
    assert axe.found == {}, axe.found
