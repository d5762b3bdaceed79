"""Correction (補正): staff ask, the resident changes only those answers and sends again."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.applications.models import Application, Revision
from portal.extensions import db
from tests.conftest import outbox, sign_in
from tests.integration.journey import load, submit_parking


def _ask(client: FlaskClient, app: Flask, ident: int, fields: list[str], reason: str) -> int:
    client.post("/account/logout")
    sign_in(client, "reviewer@pref.example.jp")
    response = client.post(
        f"/staff/midori-pref/applications/{ident}/act",
        data={
            "action": "request_correction",
            "reason": reason,
            "fields": fields,
            "version": load(app, ident).lock_version,
        },
    )
    client.post("/account/logout")
    sign_in(client, "resident@example.jp")
    return response.status_code


def test_a_correction_round_keeps_both_versions(app: Flask, client: FlaskClient, demo) -> None:
    ident = submit_parking(client)
    staff_page = _ask(client, app, ident, ["copies"], "必要な枚数を確認してください。")
    assert staff_page == 302
    application = load(app, ident)
    assert application.status == "correction_requested"
    assert application.correction == {
        "fields": ["copies"],
        "message": "必要な枚数を確認してください。",
    }
    assert any("補正" in m["Subject"] or "correct" in m["Subject"] for m in outbox(app))

    detail = client.get(f"/applications/{ident}").get_data(as_text=True)
    assert "必要な枚数を確認してください。" in detail and f"/applications/{ident}/correct" in detail
    page = client.get(f"/applications/{ident}/correct").get_data(as_text=True)
    assert 'name="copies"' in page and 'name="name"' not in page  # only what was asked
    refused = client.post(f"/applications/{ident}/correct", data={"copies": "9"})
    assert refused.status_code == 422 and 'value="9"' in refused.get_data(as_text=True)
    # An answer that was not asked about cannot be slipped in.
    sent = client.post(f"/applications/{ident}/correct", data={"copies": "1", "name": "別人"})
    assert sent.status_code == 302
    application = load(app, ident)
    assert application.status == "under_review"
    assert application.answers["copies"] == 1 and application.answers["name"] == "山田 花子"
    assert application.correction is None
    with app.app_context():
        revisions = db.session.scalars(
            select(Revision).where(Revision.application_id == ident).order_by(Revision.number)
        ).all()
        assert [(r.number, r.answers["copies"]) for r in revisions] == [(1, 2), (2, 1)]
        kinds = [e.kind for e in db.session.get(Application, ident).events]
    assert kinds[-2:] == ["request_correction", "resubmit"]
    client.post("/account/logout")
    sign_in(client, "reviewer@pref.example.jp")
    staff = client.get(f"/staff/midori-pref/applications/{ident}").get_data(as_text=True)
    assert "<tr><td>必要な枚数</td><td>2</td><td>1</td></tr>" in staff  # before and after


def test_staff_must_say_what_to_correct(app: Flask, client: FlaskClient, demo) -> None:
    ident = submit_parking(client)
    assert _ask(client, app, ident, [], "確認してください。") == 409
    assert _ask(client, app, ident, ["copies"], "") == 409
    assert load(app, ident).status == "submitted"
    # Nothing to correct: the page goes back to the application.
    assert client.get(f"/applications/{ident}/correct").status_code == 302


def test_staff_write_to_the_applicant(app: Flask, client: FlaskClient, demo) -> None:
    ident = submit_parking(client)
    client.post("/account/logout")
    sign_in(client, "reviewer@pref.example.jp")
    url = f"/staff/midori-pref/applications/{ident}/message"
    assert client.post(url, data={"message": "  "}).status_code == 422
    sent = client.post(url, data={"message": "来週中に審査を終える予定です。"})
    assert sent.status_code == 302
    assert load(app, ident).status == "submitted"  # a message changes no status
    assert "来週中に審査を終える予定です。" in outbox(app)[-1].get_body(("plain",)).get_content()
    client.post("/account/logout")
    sign_in(client, "resident@example.jp")
    page = client.get(f"/applications/{ident}").get_data(as_text=True)
    assert "担当課からのメッセージ" in page and "来週中に審査を終える予定です。" in page


def test_the_processing_period_pauses_while_a_correction_is_awaited(
    app: Flask, client: FlaskClient, demo
) -> None:
    ident = submit_parking(client)
    before = client.get(f"/applications/{ident}").get_data(as_text=True)
    assert "結果通知の目安" in before
    _ask(client, app, ident, ["copies"], "枚数を確認してください。")
    page = client.get(f"/applications/{ident}").get_data(as_text=True)
    assert "補正を送信するまで、処理期間は止まっています" in page
    client.post(f"/applications/{ident}/correct", data={"copies": "1"})
    with app.app_context():
        from portal.applications.queries import correction_pauses, expected_date

        application = db.session.get(Application, ident)
        assert application is not None
        [(asked, answered)] = correction_pauses(application)
        assert answered is not None and asked <= answered
        assert expected_date(application) is not None


def test_internal_notes_stay_with_staff(app: Flask, client: FlaskClient, demo) -> None:
    ident = submit_parking(client)
    client.post("/account/logout")
    sign_in(client, "reviewer@pref.example.jp")
    url = f"/staff/midori-pref/applications/{ident}/note"
    assert client.post(url, data={"note": ""}).status_code == 422
    assert client.post(url, data={"note": "電話で本人確認済み。"}).status_code == 302
    staff = client.get(f"/staff/midori-pref/applications/{ident}").get_data(as_text=True)
    assert "電話で本人確認済み。" in staff
    sent = len(outbox(app))
    client.post("/account/logout")
    sign_in(client, "resident@example.jp")
    page = client.get(f"/applications/{ident}").get_data(as_text=True)
    assert "電話で本人確認済み。" not in page and "内部メモ" not in page
    assert len(outbox(app)) == sent  # nobody is mailed about a note
