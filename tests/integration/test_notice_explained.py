"""The official notice stays in Japanese; a resident reading another language also gets
what it says explained in theirs."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import sign_in
from tests.integration.test_notices import decided_notice


def test_a_refusal_is_explained_in_english_with_the_japanese_reason_kept(
    app: Flask, client: FlaskClient, demo
) -> None:
    ident, notice = decided_notice(app, client, outcome="reject")
    sign_in(client, "resident@example.jp")
    client.set_cookie("lang", "en")
    page = client.get(f"/applications/{ident}").get_data(as_text=True)
    assert f'data-explained="{notice.public_id}"' in page
    assert "Your application was refused." in page
    assert '<dd lang="ja">所得要件を満たさないため</dd>' in page
    assert "審査請求" in page  # how to appeal, in English with the Japanese term


def test_a_resident_reading_japanese_gets_the_notice_alone(
    app: Flask, client: FlaskClient, demo
) -> None:
    ident, notice = decided_notice(app, client)
    sign_in(client, "resident@example.jp")
    page = client.get(f"/applications/{ident}").get_data(as_text=True)
    assert notice.public_id in page and "data-explained" not in page
