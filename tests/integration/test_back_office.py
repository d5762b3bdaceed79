"""The staff back office for Japanese electronic approval, over HTTP with the demo staff.

The IoT/AI/robot subsidy's route: 書類審査 (reviewer) → 係長回議 (chief) → 財政課合議
(zaimu's section chief; an objection returns the case) → 交付決定 (the director, or the
section chief by 専決 when the eligible cost is at most 500,000 yen). Each test walks
it (or the parking permit's two steps) through the real pages and checks what was
recorded: status, stage, assignee, events with their details, tasks and readings (後閲).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.applications.models import Event
from portal.extensions import db
from portal.review.authority import today
from portal.review.models import Task
from tests.conftest import outbox, sign_in
from tests.integration.journey import (
    load,
    staff_act,
    submit_parking,
    submit_subsidy,
    switch_user,
    user_id,
)

CLERK = "clerk@sangyo.pref.example.jp"
CHIEF = "chief@sangyo.pref.example.jp"
SECTION_CHIEF = "section-chief@sangyo.pref.example.jp"
DIRECTOR = "director@sangyo.pref.example.jp"
FINANCE = "section-chief@zaimu.pref.example.jp"
REVIEWER = "reviewer@pref.example.jp"
APPROVER = "approver@pref.example.jp"
RESIDENT = "resident@example.jp"

STAFF = "/staff/midori-pref"

# The Japanese catalog's wording of the refusals (portal.core.messages.refusal_message).
NOT_PERMITTED = "現在の処理段階では、この操作を行う権限がありません。"
WRONG_STATUS = "この申請は、現在その操作ができる段階にありません。"
REASON_REQUIRED = "理由を入力してください。"
ASSIGNED_TO_OTHER = "この処理は他の職員が担当しています。"
NOT_ASSIGNABLE = "この処理の役割を持ち、不在でない職員を選んでください。"
UNKNOWN_STAGE = "差し戻す先として、前の処理段階を選んでください。"
ABSENCE_DATE = "不在の最終日を今日以降の日付で入力するか、空欄にしてください。"
DEPUTY_UNKNOWN = "代決者はこの団体の職員から選んでください。"


# --- helpers -----------------------------------------------------------------------------


def _events(app: Flask, ident: int) -> list[dict[str, Any]]:
    """The application's events as plain values, oldest first."""
    with app.app_context():
        found = db.session.scalars(
            select(Event).where(Event.application_id == ident).order_by(Event.seq)
        )
        return [
            {
                "kind": e.kind,
                "actor": e.actor_id,
                "stage": e.stage_id,
                "detail": e.detail or {},
                "reason": e.reason,
            }
            for e in found
        ]


def _last(app: Flask, ident: int, kind: str) -> dict[str, Any]:
    matching = [e for e in _events(app, ident) if e["kind"] == kind]
    assert matching, (kind, _events(app, ident))
    return matching[-1]


def _open_tasks(app: Flask, ident: int) -> list[tuple[Any, ...]]:
    """(kind, stage, role, department, reader, note) of the application's open tasks."""
    with app.app_context():
        found = db.session.scalars(
            select(Task)
            .where(Task.application_id == ident, Task.done_at.is_(None))
            .order_by(Task.id)
        )
        return [(t.kind, t.stage_id, t.role, t.department, t.user_id, t.note) for t in found]


def _page(client: FlaskClient, ident: int) -> str:
    response = client.get(f"{STAFF}/applications/{ident}")
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def _tab(client: FlaskClient, tab: str) -> str:
    """A tab of the inbox, from its heading on (not the flashed messages above it)."""
    response = client.get(f"{STAFF}/inbox?tab={tab}")
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True).partition("<h1>")[2]


def _walk(app: Flask, client: FlaskClient, ident: int, *steps: tuple[str, str]) -> None:
    """Each (staff e-mail, action) in turn, every one accepted."""
    for email, action in steps:
        response = staff_act(app, client, ident, email, action)
        assert response.status_code == 302, (email, action, response.get_data(as_text=True))


TO_DECISION = ((CLERK, "pass"), (CHIEF, "pass"), (FINANCE, "consent"))


def _jst_day(app: Flask, days: int = 0) -> str:
    with app.app_context():
        return (today() + timedelta(days=days)).isoformat()


# --- 1. the route end to end ---------------------------------------------------------------


def test_the_subsidy_goes_through_the_department_to_the_section_chiefs_delegated_decision(
    app: Flask, client: FlaskClient, demo
) -> None:
    ident = submit_subsidy(client, "301,999")
    assert load(app, ident).status == "submitted"
    _walk(app, client, ident, (CLERK, "pass"))
    assert (load(app, ident).status, load(app, ident).stage_index) == ("under_review", 1)
    _walk(app, client, ident, (CHIEF, "pass"))
    assert load(app, ident).stage_index == 2
    assert _open_tasks(app, ident) == [("consult", "finance", "section_chief", "zaimu", None, "")]

    # The consultation: the finance division's section chief sees who is asked and answers.
    switch_user(client, FINANCE)
    page = _page(client, ident)
    assert "財政課合議" in page and "課長・財政課: 回答待ち" in page
    assert "合議に同意する" in page and "合議に異議を述べる" in page
    _walk(app, client, ident, (FINANCE, "consent"))
    application = load(app, ident)
    assert (application.stage_index, application.consents) == (3, [])
    consent = _last(app, ident, "consent")
    assert consent["detail"] == {"position": "zaimu/section_chief"}
    assert consent["actor"] == user_id(app, FINANCE)

    # The decision waits for the section chief by 専決 (cost ≤ 500,000 yen).
    assert _open_tasks(app, ident) == [("act", "decide", "section_chief", "sangyo", None, "")]
    switch_user(client, SECTION_CHIEF)
    page = _page(client, ident)
    assert "交付決定 (課長・産業政策課)" in page
    assert "専決（この手続の決裁区分 第1号）" in page
    assert "合議：同意" in page and "課長・財政課" in page  # the consultation's answer
    assert "承認する" in page
    _walk(app, client, ident, (SECTION_CHIEF, "approve"))
    application = load(app, ident)
    assert application.status == "completed" and application.stage_index is None
    approve = _last(app, ident, "approve")
    assert approve["detail"] == {"tier": 0}
    assert approve["actor"] == user_id(app, SECTION_CHIEF)
    assert _open_tasks(app, ident) == []
    page = _page(client, ident)
    assert "専決（決裁区分 第1号）" in page and "合議：同意" in page
    assert [e["kind"] for e in _events(app, ident)] == [
        "started",
        "submit",
        "pass",
        "pass",
        "consent",
        "approve",
    ]


def test_above_the_tier_the_section_chief_is_refused_and_the_director_decides(
    app: Flask, client: FlaskClient, demo
) -> None:
    ident = submit_subsidy(client, "800,000")
    _walk(app, client, ident, *TO_DECISION)
    assert _open_tasks(app, ident) == [("act", "decide", "director", "sangyo", None, "")]
    refused = staff_act(app, client, ident, SECTION_CHIEF, "approve")
    assert refused.status_code == 409
    page = refused.get_data(as_text=True)
    assert NOT_PERMITTED in page and 'role="alert"' in page
    assert "交付決定 (部長・産業政策課)" in page and "専決" not in page.split("<h2>")[0]
    assert load(app, ident).status == "under_review"
    assert "approve" not in [e["kind"] for e in _events(app, ident)]

    _walk(app, client, ident, (DIRECTOR, "approve"))
    assert load(app, ident).status == "completed"
    approve = _last(app, ident, "approve")
    assert approve["detail"] == {} and approve["actor"] == user_id(app, DIRECTOR)


# --- 2. objection in the consultation ---------------------------------------------------------


def test_an_objection_needs_a_reason_and_returns_the_case_to_the_chief(
    app: Flask, client: FlaskClient, demo
) -> None:
    ident = submit_subsidy(client)
    _walk(app, client, ident, (CLERK, "pass"), (CHIEF, "pass"))
    reference = load(app, ident).reference
    switch_user(client, CHIEF)
    assert reference not in _tab(client, "mine")  # it waits at the consultation now

    refused = staff_act(app, client, ident, FINANCE, "object", reason="   ")
    assert refused.status_code == 409
    assert REASON_REQUIRED in refused.get_data(as_text=True)
    assert load(app, ident).stage_index == 2

    reason = "補助対象経費の積算根拠が不足しています。"
    assert staff_act(app, client, ident, FINANCE, "object", reason=reason).status_code == 302
    application = load(app, ident)
    assert (application.status, application.stage_index) == ("under_review", 1)
    assert application.objections == [] and application.consents == []
    objection = _last(app, ident, "object")
    assert objection["detail"] == {"position": "zaimu/section_chief"}
    assert objection["reason"] == reason and objection["stage"] == "finance"
    assert _open_tasks(app, ident) == [("act", "chief", "chief", "sangyo", None, "")]

    switch_user(client, CHIEF)
    assert reference in _tab(client, "mine")
    page = _page(client, ident)
    assert "合議：異議" in page and reason in page
    assert "次の担当へ回付する" in page


# --- 3. 引き上げ and 後閲 ---------------------------------------------------------------


def test_the_chief_passes_ahead_of_the_review_and_the_reviewers_read_it_afterwards(
    app: Flask, client: FlaskClient, demo
) -> None:
    ident = submit_subsidy(client)
    reference = load(app, ident).reference
    chief, clerk, reviewer = (user_id(app, e) for e in (CHIEF, CLERK, REVIEWER))

    assert staff_act(app, client, ident, CHIEF, "pass").status_code == 302
    application = load(app, ident)
    # Past both review stages: the clerk's and the chief's own; the consultation waits.
    assert (application.status, application.stage_index) == ("under_review", 2)
    passed = _last(app, ident, "pass")
    assert passed["detail"] == {"skipped": ["review"]}
    assert (passed["actor"], passed["stage"]) == (chief, "review")
    readings = [t for t in _open_tasks(app, ident) if t[0] == "post_review"]
    assert sorted(readings) == sorted(
        [
            ("post_review", "review", None, None, clerk, "skipped"),
            ("post_review", "review", None, None, reviewer, "skipped"),
        ]
    )
    page = _page(client, ident)
    assert "引き上げ：書類審査を経ずに処理" in page

    # Both holders of the skipped step owe a reading; the chief owes none.
    assert reference not in _tab(client, "readings")
    switch_user(client, CLERK)
    tab = _tab(client, "readings")
    assert reference in tab and "あなたより先に処理（引き上げ）" in tab
    assert "後閲 (1)" in tab
    page = _page(client, ident)
    assert "後閲済にする" in page

    read = client.post(f"{STAFF}/applications/{ident}/read")
    assert read.status_code == 302 and read.headers["Location"].endswith("tab=readings")
    reading = _last(app, ident, "post_review")
    assert (reading["actor"], reading["stage"]) == (clerk, "review")
    tab = _tab(client, "readings")
    assert reference not in tab and "後閲 (0)" in tab
    assert "後閲済にする" not in _page(client, ident)
    # A second "read" records nothing more.
    client.post(f"{STAFF}/applications/{ident}/read")
    assert [e["kind"] for e in _events(app, ident)].count("post_review") == 1

    switch_user(client, REVIEWER)
    assert reference in _tab(client, "readings")  # the other reviewer still owes it


def test_nobody_pulls_a_case_up_past_the_consultation(
    app: Flask, client: FlaskClient, demo
) -> None:
    ident = submit_subsidy(client)
    # At the first review stage the director would skip the consultation: refused (the
    # engine says the case is not at a decision step it may reach).
    refused = staff_act(app, client, ident, DIRECTOR, "approve")
    assert refused.status_code == 409 and WRONG_STATUS in refused.get_data(as_text=True)
    assert load(app, ident).stage_index == 0
    assert "承認する" not in _page(client, ident)
    _walk(app, client, ident, (CHIEF, "pass"))
    # While the consultation waits, neither the director nor the section chief decides,
    # and the chief cannot pass it on.
    for email, action in ((DIRECTOR, "approve"), (SECTION_CHIEF, "approve"), (CHIEF, "pass")):
        refused = staff_act(app, client, ident, email, action)
        assert refused.status_code == 409, (email, action)
        assert WRONG_STATUS in refused.get_data(as_text=True)
    application = load(app, ident)
    assert (application.status, application.stage_index) == ("under_review", 2)


# --- 4. 代決 ------------------------------------------------------------------------------


def test_a_deputy_decides_for_the_absent_section_chief_who_reads_it_afterwards(
    app: Flask, client: FlaskClient, demo
) -> None:
    ident = submit_subsidy(client, "301,999")
    _walk(app, client, ident, *TO_DECISION)
    reference = load(app, ident).reference
    section_chief, chief = user_id(app, SECTION_CHIEF), user_id(app, CHIEF)

    switch_user(client, CHIEF)
    assert reference not in _tab(client, "mine")
    assert staff_act(app, client, ident, CHIEF, "approve").status_code == 409

    switch_user(client, SECTION_CHIEF)
    assert client.get(f"{STAFF}/absence").status_code == 200
    until = _jst_day(app, 3)
    saved = client.post(f"{STAFF}/absence", data={"until": until, "deputy": str(chief)})
    assert saved.status_code == 302
    assert "不在" in _tab(client, "mine")
    with app.app_context():
        from portal.accounts.models import User

        assert db.session.get_one(User, section_chief).absent_until.isoformat() == until

    # The chief now sees the step in his tasks and may approve for the section chief.
    switch_user(client, CHIEF)
    assert reference in _tab(client, "mine")
    page = _page(client, ident)
    assert "産業 課長" in page and "承認する" in page
    assert staff_act(app, client, ident, CHIEF, "approve").status_code == 302
    application = load(app, ident)
    assert application.status == "completed"
    approve = _last(app, ident, "approve")
    assert approve["actor"] == chief
    assert approve["detail"] == {"on_behalf_of": section_chief, "tier": 0}
    assert "産業 課長に代わって処理（代決）" in _page(client, ident)

    # The section chief owes a reading (後閲) and sees it in his tab.
    assert _open_tasks(app, ident) == [
        ("post_review", "decide", None, None, section_chief, "deputy")
    ]
    switch_user(client, SECTION_CHIEF)
    tab = _tab(client, "readings")
    assert reference in tab and "あなたに代わって処理（代決）" in tab
    assert client.post(f"{STAFF}/applications/{ident}/read").status_code == 302
    assert _open_tasks(app, ident) == []
    assert _last(app, ident, "post_review")["actor"] == section_chief


def test_absence_refuses_a_past_day_and_an_unknown_deputy_keeping_what_was_typed(
    app: Flask, client: FlaskClient, demo
) -> None:
    chief = user_id(app, CHIEF)
    resident = user_id(app, RESIDENT)
    switch_user(client, SECTION_CHIEF)

    past = client.post(f"{STAFF}/absence", data={"until": "2020-01-01", "deputy": str(chief)})
    assert past.status_code == 422
    page = past.get_data(as_text=True)
    assert ABSENCE_DATE in page and 'role="alert"' in page
    assert 'value="2020-01-01"' in page
    assert f'<option value="{chief}" selected>' in page

    until = _jst_day(app, 5)
    for deputy in ("999999", str(resident), "someone", str(user_id(app, SECTION_CHIEF))):
        unknown = client.post(f"{STAFF}/absence", data={"until": until, "deputy": deputy})
        assert unknown.status_code == 422, deputy
        page = unknown.get_data(as_text=True)
        assert DEPUTY_UNKNOWN in page and f'value="{until}"' in page

    not_a_date = client.post(f"{STAFF}/absence", data={"until": "来週", "deputy": ""})
    assert not_a_date.status_code == 422 and 'value="来週"' in not_a_date.get_data(as_text=True)

    with app.app_context():
        from portal.accounts.models import User
        from portal.tenants.models import Membership

        user = db.session.get_one(User, user_id(app, SECTION_CHIEF))
        assert user.absent_until is None
        deputies = db.session.scalars(
            select(Membership.deputy_id).where(Membership.user_id == user.id)
        ).all()
        assert set(deputies) == {None}


# --- 5. claim and reassign -------------------------------------------------------------------


def test_a_claimed_step_is_the_claimers_until_a_supervisor_hands_it_on(
    app: Flask, client: FlaskClient, demo
) -> None:
    ident = submit_subsidy(client)
    reference = load(app, ident).reference
    clerk, reviewer, director = (user_id(app, e) for e in (CLERK, REVIEWER, DIRECTOR))

    assert staff_act(app, client, ident, CLERK, "claim").status_code == 302
    assert load(app, ident).assignee_id == clerk
    assert _last(app, ident, "claim")["detail"] == {"assignee": clerk}
    page = _page(client, ident)
    assert "<dt>担当者</dt><dd>産業 担当</dd>" in page
    assert reference in _tab(client, "mine")

    # A colleague of the same position is refused, and no longer sees it as theirs.
    for action in ("pass", "claim"):
        refused = staff_act(app, client, ident, REVIEWER, action)
        assert refused.status_code == 409, action
        assert ASSIGNED_TO_OTHER in refused.get_data(as_text=True)
    assert reference not in _tab(client, "mine")
    assert reference in _tab(client, "department")
    assert load(app, ident).stage_index == 0

    # The chief (a later stage's holder) hands it on, only to someone holding the step.
    for assignee in (str(director), "", str(clerk)):
        refused = staff_act(app, client, ident, CHIEF, "reassign", assignee=assignee)
        assert refused.status_code == 409, assignee
        assert NOT_ASSIGNABLE in refused.get_data(as_text=True)
    assert load(app, ident).assignee_id == clerk
    page = _page(client, ident)
    assert "担当替えする" in page and f'<option value="{reviewer}">' in page
    moved = staff_act(app, client, ident, CHIEF, "reassign", assignee=str(reviewer))
    assert moved.status_code == 302
    assert load(app, ident).assignee_id == reviewer
    assert _last(app, ident, "reassign")["detail"] == {"assignee": reviewer}
    assert "担当者：審査 担当" in _page(client, ident)

    refused = staff_act(app, client, ident, CLERK, "pass")
    assert refused.status_code == 409 and ASSIGNED_TO_OTHER in refused.get_data(as_text=True)
    assert reference not in _tab(client, "mine")
    assert staff_act(app, client, ident, REVIEWER, "pass").status_code == 302
    application = load(app, ident)
    assert (application.stage_index, application.assignee_id) == (1, None)


# --- 6. 差戻し to a chosen step, and 廃案 -----------------------------------------------------


def test_the_decider_sends_the_case_back_to_the_first_review(
    app: Flask, client: FlaskClient, demo
) -> None:
    ident = submit_subsidy(client)
    _walk(app, client, ident, *TO_DECISION)
    reference = load(app, ident).reference
    switch_user(client, SECTION_CHIEF)
    page = _page(client, ident)
    assert '<select id="target_stage" name="target_stage">' in page
    for stage in ("review", "chief", "finance"):
        assert f'<option value="{stage}">' in page

    refused = staff_act(
        app, client, ident, SECTION_CHIEF, "return_to_previous", target_stage="review"
    )
    assert refused.status_code == 409 and REASON_REQUIRED in refused.get_data(as_text=True)
    reason = "事業計画書の添付漏れを担当で確認してください。"
    for wrong in ("decide", "nowhere"):
        refused = staff_act(
            app,
            client,
            ident,
            SECTION_CHIEF,
            "return_to_previous",
            target_stage=wrong,
            reason=reason,
        )
        assert refused.status_code == 409, wrong
        assert UNKNOWN_STAGE in refused.get_data(as_text=True)
    assert load(app, ident).stage_index == 3

    sent = staff_act(
        app,
        client,
        ident,
        SECTION_CHIEF,
        "return_to_previous",
        target_stage="review",
        reason=reason,
    )
    assert sent.status_code == 302
    application = load(app, ident)
    assert (application.status, application.stage_index) == ("under_review", 0)
    back = _last(app, ident, "return_to_previous")
    assert (back["stage"], back["reason"]) == ("decide", reason)
    assert _open_tasks(app, ident) == [("act", "review", "reviewer", "sangyo", None, "")]
    switch_user(client, CLERK)
    assert reference in _tab(client, "mine")
    page = _page(client, ident)
    assert reason in page and "前の担当へ差戻し" in page


def test_the_office_abandons_a_case_waiting_for_a_correction(
    app: Flask, client: FlaskClient, demo
) -> None:
    ident = submit_parking(client)
    asked = staff_act(
        app, client, ident, REVIEWER, "request_correction", reason="枚数を確認", fields="copies"
    )
    assert asked.status_code == 302
    assert load(app, ident).status == "correction_requested"
    assert _open_tasks(app, ident) == []
    switch_user(client, REVIEWER)
    assert "廃案にする" in _page(client, ident)

    refused = staff_act(app, client, ident, REVIEWER, "abandon", reason=" ")
    assert refused.status_code == 409 and REASON_REQUIRED in refused.get_data(as_text=True)
    assert load(app, ident).status == "correction_requested"
    before = len(outbox(app))
    reason = "補正期限を過ぎても補正がなかったため"
    assert staff_act(app, client, ident, REVIEWER, "abandon", reason=reason).status_code == 302
    application = load(app, ident)
    assert application.status == "abandoned"
    abandon = _last(app, ident, "abandon")
    assert abandon["reason"] == reason and abandon["actor"] == user_id(app, REVIEWER)
    assert _open_tasks(app, ident) == []
    mails = outbox(app)[before:]
    assert [m["To"] for m in mails] == [RESIDENT]
    # Nothing more can be done: the case is closed for staff too.
    assert staff_act(app, client, ident, REVIEWER, "pass").status_code == 409
    switch_user(client, APPROVER)
    assert application.reference in _tab(client, "closed")
    assert application.reference not in _tab(client, "open")

    switch_user(client, RESIDENT)
    detail = client.get(f"/applications/{ident}").get_data(as_text=True)
    assert 'data-status="abandoned">処理終了（廃案）' in detail
    assert reason in detail
    assert f"/applications/{ident}/correct" not in detail
    late = client.post(f"/applications/{ident}/correct", data={"copies": "1"})
    assert late.headers["Location"].endswith(f"/applications/{ident}")  # no correction page
    application = load(app, ident)
    assert application.status == "abandoned" and application.answers["copies"] == 2


# --- 7. scope ----------------------------------------------------------------------------


def test_department_staff_see_only_their_departments_applications(
    app: Flask, client: FlaskClient, demo
) -> None:
    parking = submit_parking(client)
    subsidy = submit_subsidy(client)
    parking_ref, subsidy_ref = load(app, parking).reference, load(app, subsidy).reference

    for email in (CLERK, CHIEF):
        switch_user(client, email)
        assert client.get(f"{STAFF}/applications/{parking}").status_code == 404, email
        refused = client.post(
            f"{STAFF}/applications/{parking}/act",
            data={"action": "pass", "version": str(load(app, parking).lock_version)},
        )
        assert refused.status_code == 404
        for tab in ("open", "department", "mine"):
            assert parking_ref not in _tab(client, tab), (email, tab)
        assert subsidy_ref in _tab(client, "open")
        csv_text = client.get(f"{STAFF}/inbox.csv?tab=open").get_data(as_text=True)
        assert subsidy_ref in csv_text and parking_ref not in csv_text
    assert load(app, parking).status == "submitted"

    switch_user(client, APPROVER)
    tab = _tab(client, "open")
    assert parking_ref in tab and subsidy_ref in tab
    assert _page(client, parking) and _page(client, subsidy)
    switch_user(client, REVIEWER)
    mine = _tab(client, "mine")
    assert parking_ref in mine and subsidy_ref in mine


def test_signing_in_is_needed_for_every_back_office_page(
    app: Flask, client: FlaskClient, demo
) -> None:
    ident = submit_parking(client)
    client.post("/account/logout")
    for url in (f"{STAFF}/inbox", f"{STAFF}/inbox.csv", f"{STAFF}/absence"):
        assert client.get(url).status_code in (302, 401, 403), url
    assert client.post(f"{STAFF}/applications/{ident}/read").status_code in (302, 401, 403)
    sign_in(client, RESIDENT)
    assert client.get(f"{STAFF}/absence").status_code == 403
    assert client.post(f"{STAFF}/applications/{ident}/read").status_code == 403


def test_staff_open_an_application_waiting_for_a_correction(
    app: Flask, client: FlaskClient, demo
) -> None:
    ident = submit_parking(client)
    reason = "必要な枚数を確認してください。"
    asked = staff_act(
        app, client, ident, REVIEWER, "request_correction", reason=reason, fields="copies"
    )
    assert asked.status_code == 302
    response = client.get(f"{STAFF}/applications/{ident}")
    assert response.status_code == 200  # was 500: no Jinja filter named "extract"
    page = response.get_data(as_text=True)
    assert "申請者の補正待ち：必要な枚数" in page and reason in page


def test_odd_numbers_in_staff_forms_are_refused_with_a_message_not_an_error(
    app: Flask, client: FlaskClient, demo
) -> None:
    ident = submit_subsidy(client)
    # "²" passes str.isdigit() but int() refuses it.
    switch_user(client, SECTION_CHIEF)
    absence = client.post(f"{STAFF}/absence", data={"until": "", "deputy": "²"})
    assert absence.status_code == 422
    assert DEPUTY_UNKNOWN in absence.get_data(as_text=True)
    refused = staff_act(app, client, ident, CHIEF, "reassign", assignee="²")
    assert refused.status_code == 409
    assert NOT_ASSIGNABLE in refused.get_data(as_text=True)
    assert load(app, ident).assignee_id is None
