"""The audit trail: verification of the hash chain, the CLI, and the staff exports."""

from __future__ import annotations

import csv
import io
import json

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, text

from portal.applications.audit import audit_trails, verify_trails
from portal.applications.history import GENESIS, event_digest
from portal.applications.models import Event
from portal.extensions import db
from tests.conftest import sign_in
from tests.integration.journey import act, load, start, submit_parking

REASON = "必要書類がそろっているため承認する"
TRAIL = "/staff/{tenant}/applications/{ident}/trail.{ext}"


def as_staff(client: FlaskClient, email: str) -> None:
    """Sign out whoever is signed in, then sign in as ``email``."""
    client.post("/account/logout")
    sign_in(client, email)


def approved(app: Flask, client: FlaskClient, reason: str = REASON) -> int:
    """Submit the parking application; review it and approve it. Four events."""
    ident = submit_parking(client)
    as_staff(client, "reviewer@pref.example.jp")
    assert act(client, ident, "pass", load(app, ident).lock_version).status_code == 302
    as_staff(client, "approver@pref.example.jp")
    version = load(app, ident).lock_version
    assert act(client, ident, "approve", version, reason).status_code == 302
    return ident


def run_sql(app: Flask, statement: str, **values: object) -> None:
    """Change the stored events behind the application's back, as an intruder would."""
    with app.app_context():
        db.session.execute(text(statement), values)
        db.session.commit()


def problems(app: Flask) -> list[tuple[int | None, str]]:
    """(seq, kind) of every problem found in every trail."""
    with app.app_context():
        return [(problem.seq, problem.kind) for problem in verify_trails()]


def trail(client: FlaskClient, ident: int, ext: str, tenant: str = "midori-pref"):  # type: ignore[no-untyped-def]
    """Fetch an export of an application's trail."""
    return client.get(TRAIL.format(tenant=tenant, ident=ident, ext=ext))


def test_intact_trails_have_no_problems_and_drafts_are_not_checked(
    app: Flask, client: FlaskClient, demo
) -> None:
    approved(app, client)
    as_staff(client, "resident@example.jp")
    start(client)  # a draft: no reference yet, so not part of the record
    with app.app_context():
        audit = audit_trails()
    assert (audit.applications, audit.events, audit.problems) == (1, 4, [])


def test_an_edited_event_is_reported_as_changed(app: Flask, client: FlaskClient, demo) -> None:
    ident = approved(app, client)
    reference = load(app, ident).reference
    update = (
        "UPDATE application_event SET reason = :reason WHERE application_id = :ident AND seq = 4"
    )
    run_sql(app, update, reason="書類不足のため却下", ident=ident)
    with app.app_context():
        # Loaded (and so in the identity map) first: the check must still read the table.
        db.session.scalars(select(Event).where(Event.application_id == ident)).all()
        found = verify_trails()
    assert [(p.reference, p.seq, p.kind) for p in found] == [(reference, 4, "changed")]
    assert "event 4 (approve) was changed" in found[0].message


def test_deleted_events_are_reported_as_missing(app: Flask, client: FlaskClient, demo) -> None:
    ident = approved(app, client)
    delete = "DELETE FROM application_event WHERE application_id = :ident AND seq = :seq"
    run_sql(app, delete, ident=ident, seq=2)
    assert problems(app) == [(2, "missing")]
    run_sql(app, delete, ident=ident, seq=1)
    assert problems(app) == [(1, "missing")]  # the trail now starts at event 3
    run_sql(app, delete, ident=ident, seq=4)  # the last one: no gap left behind
    assert problems(app) == [(1, "missing"), (4, "missing")]
    run_sql(app, delete, ident=ident, seq=3)
    with app.app_context():
        assert "no events" in verify_trails()[0].message


def test_a_rewritten_link_is_reported_as_broken(app: Flask, client: FlaskClient, demo) -> None:
    ident = approved(app, client)
    with app.app_context():
        event = db.session.scalar(select(Event).filter_by(application_id=ident, seq=3))
        assert event is not None
        # Resealed with a new hash, so only the link to event 2 gives it away.
        event.prev_hash = GENESIS
        event.hash = event_digest(event)
        values = {"prev": event.prev_hash, "hash": event.hash, "id": event.id}
        db.session.rollback()
    run_sql(
        app, "UPDATE application_event SET prev_hash = :prev, hash = :hash WHERE id = :id", **values
    )
    assert problems(app) == [(3, "broken link"), (4, "broken link")]


def test_cli_exits_with_1_only_when_there_are_problems(
    app: Flask, client: FlaskClient, demo
) -> None:
    ident = approved(app, client)
    reference = load(app, ident).reference
    runner = app.test_cli_runner()
    result = runner.invoke(args=["portal", "audit", "verify"])
    assert result.exit_code == 0, result.output
    assert result.output == "1 application(s), 4 event(s) checked: no problems\n"
    update = "UPDATE application_event SET reason = 'x' WHERE application_id = :ident AND seq = 2"
    run_sql(app, update, ident=ident)
    result = runner.invoke(args=["portal", "audit", "verify", "--reference", reference])
    assert result.exit_code == 1
    assert f"{reference} [changed] event 2 (submit)" in result.output
    assert "1 application(s), 4 event(s) checked: 1 problem(s)" in result.output
    result = runner.invoke(args=["portal", "audit", "verify", "--reference", "MDR-NONE"])
    assert result.exit_code == 1 and "no application MDR-NONE" in result.output


def test_csv_export_opens_in_excel_with_the_japanese_rows(
    app: Flask, client: FlaskClient, demo
) -> None:
    ident = approved(app, client, reason='=HYPERLINK("http://example.com") 承認')
    reference = load(app, ident).reference
    response = trail(client, ident, "csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert f'filename="{reference}-trail.csv"' in response.headers["Content-Disposition"]
    body = response.get_data()
    assert body.startswith(b"\xef\xbb\xbf")
    assert body.count(b"\r\n") == 5 and b"\n" not in body.replace(b"\r\n", b"")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))
    assert rows[0][1:4] == ["日時", "内容", "操作者"]  # the headings in Japanese
    assert [row[0] for row in rows[1:]] == ["1", "2", "3", "4"]
    assert rows[1][3] == "山田 花子 (resident@example.jp)"
    assert rows[3][2:4] == ["pass", "審査 担当 (reviewer@pref.example.jp)"]
    assert rows[4][7] == '\'=HYPERLINK("http://example.com") 承認'  # never a formula
    assert rows[4][1].endswith("+09:00")  # Japan time


def test_json_export_says_whether_the_chain_is_intact(
    app: Flask, client: FlaskClient, demo
) -> None:
    ident = approved(app, client)
    reference = load(app, ident).reference
    response = trail(client, ident, "json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert f'filename="{reference}-trail.json"' in response.headers["Content-Disposition"]
    data = json.loads(response.get_data(as_text=True))
    assert (data["reference"], data["intact"], data["problems"]) == (reference, True, [])
    assert [event["kind"] for event in data["events"]] == ["started", "submit", "pass", "approve"]
    last = data["events"][-1]
    assert set(last) == {
        "seq", "at", "kind", "actor", "from_status", "to_status", "stage", "reason",
        "prev_hash", "hash",
    }  # fmt: skip
    assert (last["reason"], last["to_status"]) == (REASON, "completed")
    assert last["prev_hash"] == data["events"][-2]["hash"]
    run_sql(app, "DELETE FROM application_event WHERE application_id = :i AND seq = 2", i=ident)
    data = json.loads(trail(client, ident, "json").get_data(as_text=True))
    assert data["intact"] is False
    assert data["problems"][0]["kind"] == "missing"


def test_the_application_page_links_to_both_exports(app: Flask, client: FlaskClient, demo) -> None:
    ident = approved(app, client)
    page = client.get(f"/staff/midori-pref/applications/{ident}").get_data(as_text=True)
    for ext in ("csv", "json"):
        assert TRAIL.format(tenant="midori-pref", ident=ident, ext=ext) in page


def test_only_the_tenants_staff_can_export(app: Flask, client: FlaskClient, demo) -> None:
    ident = submit_parking(client)
    for ext in ("csv", "json"):
        assert trail(client, ident, ext).status_code == 403  # the applicant is not staff
    as_staff(client, "reviewer@aoba.example.jp")
    for ext in ("csv", "json"):
        assert trail(client, ident, ext).status_code == 403
        assert trail(client, ident, ext, tenant="aoba-city").status_code == 404
    client.post("/account/logout")
    response = trail(client, ident, "csv")
    assert response.status_code == 302 and "/account/login" in response.headers["Location"]
