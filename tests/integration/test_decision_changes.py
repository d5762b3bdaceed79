"""Correcting (訂正) and revoking (取消し) decisions, over HTTP with the demo staff.

A decision is never edited: a correction is a new decision, with its own document
number and sealed notice, that supersedes the old one; a revocation is a record with
its reason. Only staff with the authority to decide the procedure may do either.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_babel import force_locale
from sqlalchemy import func, select

from portal.applications.models import Event
from portal.decisions.models import Decision, Notice, Revocation
from portal.extensions import db
from tests.conftest import outbox
from tests.integration.journey import load, staff_act, submit_subsidy, switch_user, user_id
from tests.integration.test_notices import decided_notice

STAFF = "/staff/midori-pref"
RESIDENT = "resident@example.jp"
REVIEWER = "reviewer@pref.example.jp"
APPROVER = "approver@pref.example.jp"
ADMIN = "admin@pref.example.jp"


# --- helpers -----------------------------------------------------------------------------


def _url(ident: int, decision_id: int, action: str, tenant: str = "midori-pref") -> str:
    return f"/staff/{tenant}/applications/{ident}/decisions/{decision_id}/{action}"


def correct(
    client: FlaskClient, ident: int, decision_id: int, tenant: str = "midori-pref", **form: str
) -> Any:
    """Post a correction of a decision."""
    return client.post(_url(ident, decision_id, "correct", tenant), data=form)


def revoke(
    client: FlaskClient, ident: int, decision_id: int, reason: str, tenant: str = "midori-pref"
) -> Any:
    """Post a revocation of a decision."""
    return client.post(_url(ident, decision_id, "revoke", tenant), data={"reason": reason})


def message(app: Flask, code: str) -> str:
    """A refusal as the pages show it in Japanese (whatever the catalog says today)."""
    from portal.decisions.views import change_message

    with app.test_request_context(), force_locale("ja"):
        return change_message(code)


def decisions(app: Flask, ident: int) -> list[dict[str, Any]]:
    """Every decision on an application as plain column values, oldest first."""
    with app.app_context():
        rows = db.session.scalars(
            select(Decision).where(Decision.application_id == ident).order_by(Decision.id)
        )
        return [{c.name: getattr(row, c.name) for c in Decision.__table__.columns} for row in rows]


def notices(app: Flask, decision_id: int) -> list[dict[str, Any]]:
    with app.app_context():
        rows = db.session.scalars(select(Notice).where(Notice.decision_id == decision_id))
        return [{c.name: getattr(row, c.name) for c in Notice.__table__.columns} for row in rows]


def revocations(app: Flask) -> list[dict[str, Any]]:
    with app.app_context():
        rows = db.session.scalars(select(Revocation).order_by(Revocation.id))
        return [
            {c.name: getattr(row, c.name) for c in Revocation.__table__.columns} for row in rows
        ]


def events(app: Flask, ident: int) -> list[dict[str, Any]]:
    with app.app_context():
        rows = db.session.scalars(
            select(Event).where(Event.application_id == ident).order_by(Event.seq)
        )
        return [
            {
                "kind": e.kind,
                "actor": e.actor_id,
                "reason": e.reason,
                "from": e.from_status,
                "to": e.to_status,
                "detail": e.detail,
            }
            for e in rows
        ]


def written(app: Flask, ident: int) -> tuple[int, int, int, int]:
    """How many decisions, notices, revocations and events there are (to see nothing moved)."""
    with app.app_context():
        return (
            db.session.scalar(select(func.count()).select_from(Decision)) or 0,
            db.session.scalar(select(func.count()).select_from(Notice)) or 0,
            db.session.scalar(select(func.count()).select_from(Revocation)) or 0,
            db.session.scalar(select(func.count()).where(Event.application_id == ident)) or 0,
        )


def decided(app: Flask, client: FlaskClient, outcome: str = "approve") -> tuple[int, int]:
    """A parking permit decided by the approver; return the application and decision ids."""
    ident, notice = decided_notice(app, client, outcome=outcome)
    return ident, notice.decision_id


# --- correction --------------------------------------------------------------------------


def test_a_correction_is_a_new_decision_and_the_old_one_stays_as_it_was(
    app: Flask, client: FlaskClient, demo
) -> None:
    ident, first = decided(app, client)
    before = decisions(app, ident)
    old_notices = notices(app, first)
    assert [d["outcome"] for d in before] == ["approved"] and load(app, ident).status == "completed"
    mails = len(outbox(app))

    switch_user(client, APPROVER)
    page = client.get(f"{STAFF}/applications/{ident}").get_data(as_text=True)
    assert _url(ident, first, "correct") in page and _url(ident, first, "revoke") in page
    form = client.get(_url(ident, first, "correct"))
    assert form.status_code == 200 and 'name="reason"' in form.get_data(as_text=True)
    response = correct(
        client,
        ident,
        first,
        outcome="rejected",
        grounds="所得要件を満たさないため",
        reason="所得の確認に誤りがあったため",
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"{STAFF}/applications/{ident}")

    after = decisions(app, ident)
    assert after[0] == before[0]  # the old decision: every column as it was
    assert notices(app, first) == old_notices
    new = after[1]
    assert new["supersedes_id"] == first and new["outcome"] == "rejected"
    assert new["reason"] == "所得要件を満たさないため"
    assert new["decided_by_id"] == user_id(app, APPROVER)
    assert re.fullmatch(r"みどり県電第\d+号", new["document_number"])
    assert new["document_number"] != before[0]["document_number"]
    (new_notice,) = notices(app, new["id"])
    assert new_notice["state"] == "ready" and new_notice["sha256"]
    assert new_notice["public_id"] != old_notices[0]["public_id"]

    # The application's status follows the decision in force, and the history says why.
    assert load(app, ident).status == "rejected"
    last = events(app, ident)[-1]
    assert last == {
        "kind": "decision_corrected",
        "actor": user_id(app, APPROVER),
        "reason": "所得の確認に誤りがあったため",
        "from": "completed",
        "to": "rejected",
        "detail": {
            "decision": new["document_number"],
            "supersedes": before[0]["document_number"],
            "outcome": "rejected",
        },
    }
    sent = outbox(app)[mails:]
    assert len(sent) == 1 and sent[0]["To"] == RESIDENT
    assert "所得の確認に誤りがあったため" in sent[0].get_body().get_content()  # type: ignore[union-attr]

    # Staff see which decision stands; only the newest can be changed.
    page = client.get(f"{STAFF}/applications/{ident}").get_data(as_text=True)
    assert f'data-notice="{old_notices[0]["public_id"]}" data-standing="superseded"' in page
    assert f'data-notice="{new_notice["public_id"]}" data-standing="in_force"' in page
    assert _url(ident, first, "correct") not in page
    assert _url(ident, new["id"], "correct") in page

    # The resident sees the newest decision first, the old one marked as corrected.
    switch_user(client, RESIDENT)
    detail = client.get(f"/applications/{ident}").get_data(as_text=True)
    listed = re.findall(r'data-notice="([0-9a-f]+)" data-standing="(\w+)"', detail)
    assert listed == [
        (new_notice["public_id"], "in_force"),
        (old_notices[0]["public_id"], "superseded"),
    ]
    assert new["document_number"] in detail and "所得の確認に誤りがあったため" in detail


def test_a_decision_is_corrected_only_once(app: Flask, client: FlaskClient, demo) -> None:
    ident, first = decided(app, client)
    switch_user(client, APPROVER)
    fix = {"outcome": "approved", "grounds": "", "reason": "文書番号の記載誤り"}
    assert correct(client, ident, first, **fix).status_code == 302
    counts = written(app, ident)

    again = correct(client, ident, first, **fix)
    assert again.status_code == 409
    assert message(app, "decision_superseded") in again.get_data(as_text=True)
    assert written(app, ident) == counts
    assert client.get(_url(ident, first, "correct")).status_code == 409

    # The newest decision can itself be corrected: it is the one in force.
    second = decisions(app, ident)[-1]["id"]
    assert correct(client, ident, second, **fix).status_code == 302
    assert [d["supersedes_id"] for d in decisions(app, ident)] == [None, first, second]


def test_two_corrections_at_once_leave_one(
    app: Flask, client: FlaskClient, demo, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two staff sending a correction of the same decision at the same moment: both
    pass the check, the database keeps one successor and the other is told."""
    from portal.decisions import operations, queries

    ident, first = decided(app, client)
    switch_user(client, APPROVER)
    fix = {"outcome": "approved", "grounds": "", "reason": "誤記"}
    assert correct(client, ident, first, **fix).status_code == 302
    counts = written(app, ident)
    # The second request read the decision before the first committed.
    monkeypatch.setattr(
        operations, "standing", lambda decision: queries.Standing(decision, None, None)
    )
    late = correct(client, ident, first, **fix)
    assert late.status_code == 409
    assert message(app, "decision_superseded") in late.get_data(as_text=True)
    assert written(app, ident) == counts


def test_a_correction_needs_an_outcome_grounds_for_a_rejection_and_a_reason(
    app: Flask, client: FlaskClient, demo
) -> None:
    ident, first = decided(app, client)
    switch_user(client, APPROVER)
    counts = written(app, ident)
    for form, code in (
        ({"outcome": "rejected", "grounds": "理由", "reason": "  "}, "change_reason"),
        ({"outcome": "rejected", "grounds": "理由", "reason": "あ" * 2001}, "change_reason"),
        ({"outcome": "maybe", "grounds": "", "reason": "誤り"}, "outcome_required"),
        ({"outcome": "rejected", "grounds": " ", "reason": "誤り"}, "grounds_required"),
    ):
        response = correct(client, ident, first, **form)
        assert response.status_code == 422, form
        page = response.get_data(as_text=True)
        assert message(app, code) in page
        assert form["grounds"].strip() in page  # what was typed is shown again
    assert written(app, ident) == counts
    assert load(app, ident).status == "completed"


# --- revocation --------------------------------------------------------------------------


def test_a_revocation_needs_a_reason_and_is_shown_to_both_sides(
    app: Flask, client: FlaskClient, demo
) -> None:
    ident, first = decided(app, client)
    before = decisions(app, ident)
    switch_user(client, APPROVER)
    counts = written(app, ident)
    mails = len(outbox(app))

    refused = revoke(client, ident, first, "   ")
    assert refused.status_code == 422
    assert message(app, "change_reason") in refused.get_data(as_text=True)
    assert written(app, ident) == counts and len(outbox(app)) == mails

    reason = "偽りの申請により交付を受けたことが判明したため"
    response = revoke(client, ident, first, reason)
    assert response.status_code == 302
    (revocation,) = revocations(app)
    assert (revocation["decision_id"], revocation["reason"]) == (first, reason)
    assert revocation["revoked_by_id"] == user_id(app, APPROVER)
    assert decisions(app, ident) == before  # the decision itself is not changed
    assert load(app, ident).status == "completed"
    last = events(app, ident)[-1]
    assert (last["kind"], last["reason"], last["detail"]) == (
        "decision_revoked",
        reason,
        {"decision": before[0]["document_number"]},
    )
    sent = outbox(app)[mails:]
    assert len(sent) == 1 and sent[0]["To"] == RESIDENT
    assert reason in sent[0].get_body().get_content()  # type: ignore[union-attr]

    page = client.get(f"{STAFF}/applications/{ident}").get_data(as_text=True)
    assert 'data-standing="revoked"' in page and reason in page
    assert _url(ident, first, "revoke") not in page
    switch_user(client, RESIDENT)
    detail = client.get(f"/applications/{ident}").get_data(as_text=True)
    assert 'data-standing="revoked"' in detail and reason in detail


def test_a_revoked_decision_cannot_be_corrected_or_revoked_again(
    app: Flask, client: FlaskClient, demo
) -> None:
    ident, first = decided(app, client)
    switch_user(client, APPROVER)
    assert revoke(client, ident, first, "誤って交付したため").status_code == 302
    counts = written(app, ident)

    refused = correct(client, ident, first, outcome="rejected", grounds="理由", reason="訂正")
    assert refused.status_code == 409
    assert message(app, "decision_revoked") in refused.get_data(as_text=True)
    assert revoke(client, ident, first, "もう一度").status_code == 409
    assert written(app, ident) == counts
    assert load(app, ident).status == "completed"


def test_a_superseded_decision_is_revoked_through_its_successor(
    app: Flask, client: FlaskClient, demo
) -> None:
    ident, first = decided(app, client)
    switch_user(client, APPROVER)
    assert correct(client, ident, first, outcome="approved", reason="誤記").status_code == 302
    refused = revoke(client, ident, first, "取消し")
    assert refused.status_code == 409
    assert message(app, "decision_superseded") in refused.get_data(as_text=True)
    assert revocations(app) == []
    assert revoke(client, ident, decisions(app, ident)[-1]["id"], "取消し").status_code == 302


# --- who may ---------------------------------------------------------------------------


def test_other_tenants_staff_cannot_correct_or_revoke(
    app: Flask, client: FlaskClient, demo
) -> None:
    ident, first = decided(app, client)
    counts = written(app, ident)
    switch_user(client, "approver@aoba.example.jp")
    fix = {"outcome": "rejected", "grounds": "理由", "reason": "訂正"}
    assert correct(client, ident, first, tenant="aoba-city", **fix).status_code == 404
    assert revoke(client, ident, first, "取消し", tenant="aoba-city").status_code == 404
    assert client.get(_url(ident, first, "correct", "aoba-city")).status_code == 404
    # Not a member of staff of the application's own tenant at all.
    assert correct(client, ident, first, **fix).status_code == 403
    assert revoke(client, ident, first, "取消し").status_code == 403
    assert written(app, ident) == counts


def test_a_decision_of_another_application_is_not_found(
    app: Flask, client: FlaskClient, demo
) -> None:
    ident, first = decided(app, client)
    switch_user(client, APPROVER)
    assert revoke(client, ident + 1000, first, "取消し").status_code == 404
    assert revoke(client, ident, first + 1000, "取消し").status_code == 404
    assert revocations(app) == []


def test_staff_without_the_authority_to_decide_cannot_correct_or_revoke(
    app: Flask, client: FlaskClient, demo
) -> None:
    ident, first = decided(app, client)
    counts = written(app, ident)
    fix = {"outcome": "rejected", "grounds": "理由", "reason": "訂正"}
    # The parking permit is decided by an approver: its reviewer and the tenant's
    # administrator see the case but may not change the decision.
    for email in (REVIEWER, ADMIN):
        switch_user(client, email)
        page = client.get(f"{STAFF}/applications/{ident}").get_data(as_text=True)
        assert _url(ident, first, "correct") not in page
        for response in (
            client.get(_url(ident, first, "correct")),
            client.get(_url(ident, first, "revoke")),
            correct(client, ident, first, **fix),
            revoke(client, ident, first, "取消し"),
        ):
            assert response.status_code == 403, email
            body = response.get_data(as_text=True)
            assert message(app, "not_deciding_authority") in body
            assert 'name="reason"' not in body  # no form to fill in vain
    assert written(app, ident) == counts


def test_the_delegated_decider_and_the_stage_holder_may_change_the_decision(
    app: Flask, client: FlaskClient, demo
) -> None:
    """The subsidy is decided by the section chief by 専決 (cost ≤ 500,000 yen); the
    director, who holds the decision stage's own position, keeps the authority too. The
    chief who reviewed it, and the finance division's section chief consulted, do not."""
    ident = submit_subsidy(client, "301,999")
    for email, action in (
        ("clerk@sangyo.pref.example.jp", "pass"),
        ("chief@sangyo.pref.example.jp", "pass"),
        ("section-chief@zaimu.pref.example.jp", "consent"),
        ("section-chief@sangyo.pref.example.jp", "approve"),
    ):
        assert staff_act(app, client, ident, email, action).status_code == 302, email
    first = decisions(app, ident)[0]["id"]
    counts = written(app, ident)
    for email in ("chief@sangyo.pref.example.jp", "section-chief@zaimu.pref.example.jp"):
        switch_user(client, email)
        refused = revoke(client, ident, first, "取消し")
        assert refused.status_code == 403, email
        assert message(app, "not_deciding_authority") in refused.get_data(as_text=True)
    assert written(app, ident) == counts

    switch_user(client, "section-chief@sangyo.pref.example.jp")
    fix = {"outcome": "approved", "grounds": "", "reason": "交付額の誤記"}
    assert correct(client, ident, first, **fix).status_code == 302
    switch_user(client, "director@sangyo.pref.example.jp")
    second = decisions(app, ident)[-1]["id"]
    assert revoke(client, ident, second, "補助要件を欠くことが判明したため").status_code == 302
    assert [r["decision_id"] for r in revocations(app)] == [second]
