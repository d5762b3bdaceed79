"""The browser hides and shows questions as the server decides them (conditions.js)."""

from __future__ import annotations

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from tests.browser.conftest import AxeChecker
from tests.browser.test_journey import sign_in
from tests.integration.journey import publish_variant

pytestmark = pytest.mark.browser

FIELDS = [
    {"id": "together", "type": "yesno", "label": {"ja": "同居していますか"}},
    {
        "id": "since",
        "type": "text",
        "label": {"ja": "同居を始めた時期"},
        "show_if": {"field": "together", "op": "equals", "value": True},
    },
    {
        # Chained: a hidden "since" counts as unanswered, as on the server.
        "id": "why_not",
        "type": "text",
        "label": {"ja": "時期が分からない理由"},
        "show_if": {"field": "since", "op": "empty"},
    },
    {"id": "guardian", "type": "name", "kana": False, "label": {"ja": "保護者"}},
    {
        "id": "guardian_phone",
        "type": "text",
        "label": {"ja": "保護者の連絡先"},
        "show_if": {"field": "guardian", "op": "not_empty"},
    },
]


@pytest.fixture
def procedure(app: Flask, demo) -> None:
    pages = [{"id": "only", "title": {"ja": "質問"}, "fields": FIELDS}]
    publish_variant(app, "event-signup", "conditions", pages)


def test_the_script_agrees_with_the_server(
    live_server, procedure, phone: Page, axe: AxeChecker
) -> None:
    page = phone
    page.goto(f"{live_server.url}/account/login")
    sign_in(page, "resident@example.jp")
    page.goto(f"{live_server.url}/procedures/sakura-town/conditions")
    page.get_by_role("button", name="申請を開始する").click()
    since = page.get_by_label("同居を始めた時期")
    why_not = page.get_by_label("時期が分からない理由")
    phone_field = page.get_by_label("保護者の連絡先")
    expect(since).to_be_hidden()
    expect(why_not).to_be_visible()  # "since" is hidden, so it is empty
    page.get_by_label("はい").check()
    expect(since).to_be_visible()
    since.fill("令和5年")
    expect(why_not).to_be_hidden()
    page.get_by_label("いいえ").check()
    expect(since).to_be_hidden()
    expect(why_not).to_be_visible()  # what "since" holds no longer counts
    expect(phone_field).to_be_hidden()
    page.get_by_label("姓", exact=True).fill("山田")
    expect(phone_field).to_be_visible()  # any part of a name makes it answered
    axe.check(page)
    assert axe.found == {}, axe.found
