"""The whole journey with the test client: apply, review, approve, download."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient

from portal.applications.models import Application
from portal.extensions import db
from tests.conftest import outbox, sign_in
from tests.integration.journey import (
    PARKING_ANSWERS,
    act,
    count_applications,
    fill,
    load,
    start,
    submit_parking,
)


def test_resident_applies_and_gets_a_reference(app: Flask, client: FlaskClient, demo) -> None:
    ident = submit_parking(client)
    application = load(app, ident)
    assert application.status == "submitted"
    assert re.fullmatch(r"MDR-[2-9A-HJKMNP-TW-Z]{4}-[2-9A-HJKMNP-TW-Z]{4}", application.reference)
    assert application.answers["birth_date"] == "1950-04-01"
    assert application.answers["copies"] == 2
    page = client.get(f"/applications/{ident}/submitted").get_data(as_text=True)
    assert application.reference in page


def test_check_page_shows_answers_with_wareki(app: Flask, client: FlaskClient, demo) -> None:
    sign_in(client, "resident@example.jp")
    check = fill(client, start(client), PARKING_ANSWERS)
    page = client.get(check).get_data(as_text=True)
    assert "昭和25年4月1日（1950年4月1日）" in page
    assert "要介護認定を受けている方" in page
    assert "山田 花子" in page


def test_missing_and_malformed_fields_show_errors_and_keep_answers(
    client: FlaskClient, demo
) -> None:
    sign_in(client, "resident@example.jp")
    first = start(client)
    response = client.post(first, data={"name": "  ", "birth_date": "2024-02-30"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'class="error-summary"' in page
    assert 'href="#field-name"' in page and 'href="#field-birth_date"' in page
    assert "氏名を入力してください" in page or "Enter" in page
    assert 'value="2024-02-30"' in page  # what the resident typed is kept
    response = client.post(first, data={"name": "山田 花子", "birth_date": "1950-04-01"})
    second = response.headers["Location"]
    response = client.post(second, data={"reason": "nonsense", "copies": "たくさん"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'value="たくさん"' in page
    assert 'aria-invalid="true"' in page


def test_full_width_digits_are_accepted(app: Flask, client: FlaskClient, demo) -> None:
    sign_in(client, "resident@example.jp")
    first = start(client)
    second = client.post(first, data={"name": "山田 花子", "birth_date": "１９５０／４／１"})
    check = client.post(second.headers["Location"], data={"reason": "injury", "copies": "３"})
    assert check.status_code == 302
    ident = int(re.search(r"/applications/(\d+)", first).group(1))
    assert load(app, ident).answers["copies"] == 3
    assert load(app, ident).answers["birth_date"] == "1950-04-01"


def test_back_keeps_answers(client: FlaskClient, demo) -> None:
    sign_in(client, "resident@example.jp")
    first = start(client)
    client.post(first, data={"name": "髙橋 𠮷子", "birth_date": "平成元年1月8日"})
    page = client.get(first).get_data(as_text=True)
    assert 'value="髙橋 𠮷子"' in page
    assert 'value="1989-01-08"' in page


def test_double_submit_makes_one_application(app: Flask, client: FlaskClient, demo) -> None:
    sign_in(client, "resident@example.jp")
    check = fill(client, start(client), PARKING_ANSWERS)
    first, second = client.post(check), client.post(check)
    assert first.status_code == second.status_code == 302
    assert count_applications(app, status="submitted") == 1
    ident = int(re.search(r"/applications/(\d+)", check).group(1))
    reference = load(app, ident).reference
    client.post(check)
    assert load(app, ident).reference == reference
    assert [e.kind for e in _events(app, ident)].count("submit") == 1


def _events(app: Flask, ident: int):  # type: ignore[no-untyped-def]
    from portal.applications.models import Event
    from portal.extensions import db

    with app.app_context():
        return list(db.session.query(Event).filter_by(application_id=ident).order_by(Event.seq))


def test_starting_again_resumes_the_draft(app: Flask, client: FlaskClient, demo) -> None:
    sign_in(client, "resident@example.jp")
    assert start(client) == start(client)
    assert count_applications(app, status="draft") == 1


def test_unverified_resident_cannot_submit(app: Flask, client: FlaskClient, demo) -> None:
    client.post(
        "/account/register",
        data={
            "family_name": "佐藤",
            "given_name": "一郎",
            "email": "ichiro@example.jp",
            "password": "long enough password",
            "password_confirm": "long enough password",
        },
    )
    sign_in(client, "ichiro@example.jp", "long enough password")
    check = fill(client, start(client), PARKING_ANSWERS)
    response = client.post(check, follow_redirects=True)
    assert count_applications(app, status="submitted") == 0
    assert count_applications(app, status="draft") == 1
    page = response.get_data(as_text=True)
    assert 'class="flash flash--error"' in page
    assert "/account/verify/resend" in page


def test_review_approve_and_download_notice(app: Flask, client: FlaskClient, demo) -> None:
    ident = submit_parking(client)
    client.post("/account/logout")
    sign_in(client, "reviewer@pref.example.jp")
    inbox = client.get("/staff/midori-pref/inbox").get_data(as_text=True)
    assert load(app, ident).reference in inbox
    assert act(client, ident, "pass", load(app, ident).lock_version).status_code == 302
    assert load(app, ident).status == "under_review"
    client.post("/account/logout")
    sign_in(client, "approver@pref.example.jp")
    assert act(client, ident, "approve", load(app, ident).lock_version).status_code == 302
    assert load(app, ident).status == "completed"
    client.post("/account/logout")
    sign_in(client, "resident@example.jp")
    # Notices are downloaded in the portal once the resident agrees to electronic delivery.
    client.post(f"/applications/{ident}/electronic-delivery")
    detail = client.get(f"/applications/{ident}").get_data(as_text=True)
    notice = re.search(r'href="(/notices/[0-9a-f]+\.pdf)"', detail)
    assert notice, detail
    pdf = client.get(notice.group(1))
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert pdf.data.startswith(b"%PDF")


def test_a_resident_withdraws_before_the_decision(app: Flask, client: FlaskClient, demo) -> None:
    ident = submit_parking(client)
    detail = client.get(f"/applications/{ident}").get_data(as_text=True)
    assert f"/applications/{ident}/withdraw" in detail
    form = client.get(f"/applications/{ident}/withdraw").get_data(as_text=True)
    assert "理由（任意）" in form
    too_long = client.post(f"/applications/{ident}/withdraw", data={"reason": "あ" * 1001})
    assert too_long.status_code == 422 and "あ" * 1001 in too_long.get_data(as_text=True)
    assert load(app, ident).status == "submitted"
    done = client.post(f"/applications/{ident}/withdraw", data={"reason": "別の方法で申請します"})
    assert done.status_code == 302
    application = load(app, ident)
    assert application.status == "withdrawn"
    page = client.get(f"/applications/{ident}").get_data(as_text=True)
    assert "取下げ" in page and "別の方法で申請します" in page
    assert f"/applications/{ident}/withdraw" not in page
    assert any("取り下げ" in m["Subject"] or "取下げ" in m["Subject"] for m in outbox(app))
    # Withdrawing again (a stale tab) changes nothing and says why.
    again = client.post(
        f"/applications/{ident}/withdraw", data={"reason": ""}, follow_redirects=True
    )
    assert "取り下げることはできません" in again.get_data(as_text=True)
    with app.app_context():
        events = [e.kind for e in db.session.get(Application, ident).events]
    assert events.count("withdraw") == 1


def test_a_decided_application_cannot_be_withdrawn(app: Flask, client: FlaskClient, demo) -> None:
    ident = submit_parking(client)
    for email, action in (
        ("reviewer@pref.example.jp", "pass"),
        ("approver@pref.example.jp", "approve"),
    ):
        client.post("/account/logout")
        sign_in(client, email)
        act(client, ident, action, load(app, ident).lock_version)
    client.post("/account/logout")
    sign_in(client, "resident@example.jp")
    refused = client.post(f"/applications/{ident}/withdraw", data={"reason": "x"})
    assert refused.status_code == 302
    assert load(app, ident).status == "completed"


def test_a_draft_resumes_where_an_answer_is_needed(app: Flask, client: FlaskClient, demo) -> None:
    sign_in(client, "resident@example.jp")
    first = start(client)
    ident = int(first.split("/")[2])
    assert client.get(f"/applications/{ident}/resume").headers["Location"] == first
    second = fill(client, first, {"applicant": PARKING_ANSWERS["applicant"]})
    # Another device: a new session of the same resident.
    other = app.test_client()
    sign_in(other, "resident@example.jp")
    assert f"/applications/{ident}/resume" in other.get("/applications/").get_data(as_text=True)
    assert other.get(f"/applications/{ident}/resume").headers["Location"] == second
    check = fill(other, second, {k: v for k, v in PARKING_ANSWERS.items() if k != "applicant"})
    assert other.get(f"/applications/{ident}/resume").headers["Location"] == check


def test_a_stale_tab_cannot_change_a_sent_application(
    app: Flask, client: FlaskClient, demo
) -> None:
    ident = submit_parking(client)
    before = load(app, ident).answers
    stale = client.post(f"/applications/{ident}/pages/applicant", data={"name": "別の名前"})
    assert stale.status_code == 302 and stale.headers["Location"] == f"/applications/{ident}"
    assert load(app, ident).answers == before


def test_the_application_page_shows_where_it_stands(app: Flask, client: FlaskClient, demo) -> None:
    ident = submit_parking(client)
    page = client.get(f"/applications/{ident}").get_data(as_text=True)
    current = page.split('aria-current="step"')[1].split("</li>")[0]
    assert "送信済" in current
    client.post("/account/logout")
    sign_in(client, "reviewer@pref.example.jp")
    act(client, ident, "pass", load(app, ident).lock_version)
    client.post("/account/logout")
    sign_in(client, "resident@example.jp")
    page = client.get(f"/applications/{ident}").get_data(as_text=True)
    assert "審査中" in page.split('aria-current="step"')[1].split("</li>")[0]
    assert page.count("steps__item--done") == 2
    # Answers keep their own line breaks, so the markup around them adds none.
    assert "<dd>山田 花子</dd>" in page
