"""Finding a procedure and reading about it before applying."""

from __future__ import annotations

import copy
from datetime import timedelta

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.applications.models import Application
from portal.catalog.models import Procedure
from portal.catalog.operations import publish_version
from portal.catalog.queries import latest_version
from portal.core.calendar import to_local_date
from portal.core.models import utcnow
from portal.core.uow import commit
from portal.extensions import db
from tests.conftest import sign_in
from tests.integration.journey import PARKING_ANSWERS, fill, start, submit_parking


def _titles(client: FlaskClient, query: str) -> str:
    return client.get(f"/?{query}").get_data(as_text=True)


def test_search_ignores_width_and_kana(client: FlaskClient, demo) -> None:
    page = _titles(client, "q=ﾁｭｳｼｬｼﾞｮｳ")  # no match: kanji are not read as kana
    assert "おもいやり駐車場" not in page
    for query in ("q=駐車場", "q=ﾊﾟｰｷﾝｸﾞ", "q=ぱーきんぐ", "q=ＰＡＲＫＩＮＧ"):
        page = _titles(client, query)
        assert "おもいやり駐車場利用証交付申請" in page, query
        assert "住民票の写し等交付請求" not in page, query
    page = _titles(client, "q=住民票%E3%80%80写し")  # a full-width space between words
    assert "1件の手続が見つかりました" in page or "1 procedure found" in page
    assert "住民票の写し等交付請求" in page
    page = _titles(client, "q=存在しない手続")
    assert "見つかりません" in page or "No procedures match" in page


def test_browse_by_life_event_and_government(client: FlaskClient, demo) -> None:
    home = _titles(client, "")
    assert "出産・子育て" in home and 'href="/?category=childcare"' in home
    page = _titles(client, "category=childcare")
    assert "子育て支援金支給申請" in page and "住民票の写し等交付請求" not in page
    assert 'aria-current="page"' in page
    page = _titles(client, "tenant=aoba-city")
    assert "住民票の写し等交付請求" in page and "子育て支援金支給申請" not in page
    page = _titles(client, "tenant=aoba-city&q=子育て")
    assert "子育て支援金支給申請" not in page


def test_most_used_procedures_come_first(app: Flask, client: FlaskClient, demo) -> None:
    assert "よく利用される手続" not in _titles(client, "")
    submit_parking(client)
    client.post("/account/logout")
    home = _titles(client, "")
    popular = home.split("よく利用される手続")[1].split("すべての手続")[0]
    assert "おもいやり駐車場利用証交付申請" in popular
    assert "住民票の写し等交付請求" not in popular


def test_procedure_page_says_who_what_and_how_much(client: FlaskClient, demo) -> None:
    page = client.get("/procedures/midori-pref/accessible-parking").get_data(as_text=True)
    assert "申請できる方" in page and "歩行が困難な方" in page
    assert "必要なもの" in page and "確認書類の写し" in page
    assert "標準処理期間" in page
    fee = client.get("/procedures/aoba-city/residence-certificate").get_data(as_text=True)
    assert "手数料" in fee and "委任状" in fee


def _set_period(app: Flask, **period: int) -> None:
    """Publish the parking permit again with a period relative to today (Japan time)."""
    today = to_local_date(utcnow())
    with app.app_context():
        procedure = db.session.scalar(
            select(Procedure).where(Procedure.slug == "accessible-parking")
        )
        document = copy.deepcopy(latest_version(procedure).document)  # type: ignore[arg-type,union-attr]
        document["application_period"] = {
            key: (today + timedelta(days=days)).isoformat() for key, days in period.items()
        }
        publish_version(procedure, document, actor=None)  # type: ignore[arg-type]
        commit()


def test_a_procedure_outside_its_period_cannot_be_started(
    app: Flask, client: FlaskClient, demo
) -> None:
    sign_in(client, "resident@example.jp")
    _set_period(app, opens=1, closes=30)
    page = client.get("/procedures/midori-pref/accessible-parking").get_data(as_text=True)
    assert "申請の受付期間" in page and "まだ受付を開始していません" in page
    assert "/applications/start/midori-pref/accessible-parking" not in page
    refused = client.post("/applications/start/midori-pref/accessible-parking")
    assert refused.headers["Location"].endswith("/procedures/midori-pref/accessible-parking")
    _set_period(app, opens=-30, closes=0)  # the last day is included
    assert client.post("/applications/start/midori-pref/accessible-parking").status_code == 302


def test_a_draft_cannot_be_sent_after_the_period(
    app: Flask, client: FlaskClient, demo, monkeypatch
) -> None:
    sign_in(client, "resident@example.jp")
    _set_period(app, opens=-30, closes=5)
    check = fill(client, start(client), PARKING_ANSWERS)
    # Ten days later the round has closed while the draft waited.
    later = utcnow() + timedelta(days=10)
    monkeypatch.setattr("portal.catalog.periods.utcnow", lambda: later)
    refused = client.post(check)
    assert refused.headers["Location"].endswith("/check")
    page = client.get(refused.headers["Location"]).get_data(as_text=True)
    assert "受付期間が終了" in page
    with app.app_context():
        draft = db.session.scalar(select(Application))
        assert draft is not None and draft.status == "draft" and draft.reference is None
