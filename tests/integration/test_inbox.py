"""The staff inbox: tab counts, filters, both orders, keyset pages, the CSV export, digests.

Seven applications of Midori Prefecture wait at their first review stage: five parking
permits (福祉政策課) and two IoT subsidies (産業政策課), with due dates and sending
times set directly so that orders, ties and applications without a due date are known.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.accounts.models import User
from portal.applications.models import Application
from portal.catalog.models import Procedure
from portal.extensions import db
from portal.review import inbox
from portal.review.authority import today
from portal.review.models import Task
from portal.tenants.models import Membership, Tenant
from tests.conftest import outbox
from tests.integration.journey import (
    load,
    staff_act,
    submit_parking,
    submit_subsidy,
    switch_user,
    user_id,
)

STAFF = "/staff/midori-pref"
REVIEWER = "reviewer@pref.example.jp"
APPROVER = "approver@pref.example.jp"
CLERK = "clerk@sangyo.pref.example.jp"
CHIEF = "chief@sangyo.pref.example.jp"

#: Days from today of each application's due date (None: no due date), by position.
DUE = [1, 1, 2, None, 3, -5, None]
#: Hours before a fixed moment each application was sent (1 and 2 tie).
SENT = [6, 1, 1, 3, 2, 10, 4]
#: Positions of the subsidies among the seven (the rest are parking permits).
SUBSIDIES = (2, 6)
BY_DUE = [5, 0, 1, 2, 4, 3, 6]  # dated first by day then id, then undated by id
BY_NEWEST = [2, 1, 4, 3, 6, 0, 5]  # latest sent first; the tie by id, highest first
#: The same day in UTC and in Japan for every sending time above.
MOMENT = datetime(2026, 4, 1, 14, 0, tzinfo=UTC)

HEADER = ["受付番号", "手続", "申請者", "処理状況", "送信日", "処理期限", "担当者"]


# --- setting up --------------------------------------------------------------------------


def _seven(app: Flask, client: FlaskClient) -> list[int]:
    """Submit the seven applications and set their due dates and sending times."""
    idents = [
        submit_subsidy(client) if i in SUBSIDIES else submit_parking(client)
        for i in range(len(DUE))
    ]
    _arrange(app, idents)
    return idents


def _arrange(app: Flask, idents: list[int]) -> None:
    """Set due dates (on the application and its open tasks) and sending times."""
    with app.app_context():
        base = today()
        for ident, days, hours in zip(idents, DUE, SENT, strict=True):
            application = db.session.get_one(Application, ident)
            application.due_on = None if days is None else base + timedelta(days=days)
            application.submitted_at = MOMENT - timedelta(hours=hours)
            for task in db.session.scalars(
                select(Task).where(Task.application_id == ident, Task.done_at.is_(None))
            ):
                task.due_on = application.due_on
        db.session.commit()


def _references(app: Flask, idents: list[int]) -> list[str]:
    return [load(app, ident).reference for ident in idents]


def _viewer(email: str) -> inbox.Viewer:
    """The inbox's viewer for a member of Midori Prefecture's staff (in an app context)."""
    user = db.session.scalar(select(User).where(User.email == email))
    tenant = db.session.scalar(select(Tenant).where(Tenant.slug == "midori-pref"))
    assert user is not None and tenant is not None
    roles = frozenset(
        db.session.scalars(
            select(Membership.role).where(
                Membership.user_id == user.id, Membership.tenant_id == tenant.id
            )
        )
    )
    return inbox.Viewer.of(user, tenant, roles)


def _walk_pages(
    viewer: inbox.Viewer, tab: str, filters: inbox.Filters, limit: int
) -> tuple[list[int], int]:
    """Application ids of every page in turn, and how many pages there were."""
    seen: list[int] = []
    cursor: str | None = None
    pages = 0
    while True:
        found = inbox.page(viewer, tab, filters, cursor, limit=limit)
        pages += 1
        assert len(found.rows) <= limit
        seen += [row.application.id for row in found.rows]
        if found.next_cursor is None:
            return seen, pages
        assert found.rows, "a page with a next cursor must have rows"
        cursor = found.next_cursor
        assert pages < 20, "pagination does not end"


def _rows(client: FlaskClient, query: str) -> list[str]:
    """The references listed in an inbox page, in order."""
    response = client.get(f"{STAFF}/inbox?{query}")
    assert response.status_code == 200, (query, response.status_code)
    body = response.get_data(as_text=True)
    table = body.partition("<tbody>")[2].partition("</tbody>")[0]
    return re.findall(r">(MDR-\w{4}-\w{4})</a>", table)


def _download(client: FlaskClient, query: str) -> Any:
    """The CSV export, read to its end (a streamed response left open keeps its context)."""
    response = client.get(f"{STAFF}/inbox.csv?{query}")
    response.get_data()
    response.close()
    return response


def _csv(client: FlaskClient, query: str) -> tuple[bytes, list[list[str]]]:
    response = _download(client, query)
    assert response.status_code == 200, response.status_code
    raw = response.get_data()
    return raw, list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


# --- keyset pages ---------------------------------------------------------------------------


@pytest.mark.parametrize("limit", [1, 2, 3, 7, 50])
def test_every_row_comes_exactly_once_across_pages_in_both_orders(
    app: Flask, client: FlaskClient, demo, limit: int
) -> None:
    idents = _seven(app, client)
    with app.app_context():
        viewer = _viewer(REVIEWER)
        for tab in ("open", "mine", "department"):
            for sort, order in (("due", BY_DUE), ("newest", BY_NEWEST)):
                seen, pages = _walk_pages(viewer, tab, inbox.Filters(sort=sort), limit)
                assert seen == [idents[i] for i in order], (tab, sort, limit)
                assert pages == max(1, -(-len(order) // limit)), (tab, sort, limit)


def test_pages_of_a_filtered_work_tab(app: Flask, client: FlaskClient, demo) -> None:
    idents = _seven(app, client)
    with app.app_context():
        viewer = _viewer(REVIEWER)
        soon = inbox.Filters(due_before=today() + timedelta(days=2))
        seen, _ = _walk_pages(viewer, "mine", soon, 2)
        assert seen == [idents[i] for i in (5, 0, 1, 2)]
        newest = inbox.Filters(due_before=today() + timedelta(days=2), sort="newest")
        seen, _ = _walk_pages(viewer, "mine", newest, 2)
        assert seen == [idents[i] for i in (2, 1, 0, 5)]


@pytest.mark.parametrize(
    "cursor",
    [
        "garbage",
        "d:",
        "d:not-a-day:1",
        "d:2026-04-01:x",
        "n:x",
        "s:",
        "s:yesterday:3",
        "s:2026-04-01T00:00:00+00:00:x",
    ],
)
def test_a_malformed_cursor_starts_from_the_beginning(
    app: Flask, client: FlaskClient, demo, cursor: str
) -> None:
    idents = _seven(app, client)
    with app.app_context():
        viewer = _viewer(REVIEWER)
        for sort, order in (("due", BY_DUE), ("newest", BY_NEWEST)):
            found = inbox.page(viewer, "open", inbox.Filters(sort=sort), cursor, limit=2)
            assert [r.application.id for r in found.rows] == [idents[i] for i in order[:2]]
    switch_user(client, REVIEWER)
    references = _references(app, idents)
    for sort, order in (("due", BY_DUE), ("newest", BY_NEWEST)):
        shown = _rows(client, f"tab=open&sort={sort}&after={cursor}")
        assert shown == [references[i] for i in order], (cursor, sort)


@pytest.mark.parametrize(
    ("sort", "cursor"),
    [
        # A cursor with a time but no zone (e.g. edited by hand).
        ("newest", "s:2026-04-01T00:00:00:5"),
        # An id too large for the database's integers.
        ("due", "d:2026-04-01:99999999999999999999999"),
        ("due", "n:99999999999999999999999"),
    ],
)
def test_a_cursor_the_database_cannot_take_starts_from_the_beginning(
    app: Flask, client: FlaskClient, demo, sort: str, cursor: str
) -> None:
    idents = _seven(app, client)
    switch_user(client, REVIEWER)
    order = BY_NEWEST if sort == "newest" else BY_DUE
    references = _references(app, idents)
    shown = _rows(client, f"tab=open&sort={sort}&after={cursor}")
    assert shown == [references[i] for i in order]


# --- tabs, counts and filters through the page ---------------------------------------------


def test_tabs_show_their_counts(app: Flask, client: FlaskClient, demo) -> None:
    idents = _seven(app, client)
    switch_user(client, REVIEWER)
    page = client.get(f"{STAFF}/inbox").get_data(as_text=True)
    for label in (
        "自分の担当 (7)",
        "所属課の案件 (7)",
        "処理中の全件 (7)",
        "後閲 (0)",
        "処理済 (0)",
    ):
        assert label in page, label
    assert 'aria-current="page">自分の担当 (7)' in page

    # The approver decides; nothing waits for him yet, but he sees every open case.
    switch_user(client, APPROVER)
    page = client.get(f"{STAFF}/inbox").get_data(as_text=True)
    assert "自分の担当 (0)" in page and "処理中の全件 (7)" in page
    assert "該当するものはありません。" in page

    # The sangyo clerk sees the two subsidies only.
    switch_user(client, CLERK)
    page = client.get(f"{STAFF}/inbox").get_data(as_text=True)
    assert "自分の担当 (2)" in page and "処理中の全件 (2)" in page and "所属課の案件 (2)" in page

    # Once decided, a case moves from open to closed.
    staff_act(app, client, idents[0], APPROVER, "approve")
    assert load(app, idents[0]).status == "completed"
    page = client.get(f"{STAFF}/inbox").get_data(as_text=True)
    assert "処理中の全件 (6)" in page and "処理済 (1)" in page
    assert _rows(client, "tab=closed") == _references(app, idents[:1])


def test_counts_stop_at_the_cap(
    app: Flask, client: FlaskClient, demo, monkeypatch: pytest.MonkeyPatch
) -> None:
    _seven(app, client)
    monkeypatch.setattr(inbox, "COUNT_CAP", 3)
    with app.app_context():
        counts = inbox.counts(_viewer(REVIEWER))
    assert counts == {"mine": 3, "department": 3, "open": 3, "readings": 0, "closed": 0}
    switch_user(client, REVIEWER)
    page = client.get(f"{STAFF}/inbox").get_data(as_text=True)
    # A count that reached the cap reads "at least the cap" ("3件以上").
    assert "自分の担当 (3件以上)" in page and "処理中の全件 (3件以上)" in page
    assert "後閲 (0)" in page and "処理済 (0)" in page


def test_filters_narrow_the_list_and_sorts_order_it(app: Flask, client: FlaskClient, demo) -> None:
    idents = _seven(app, client)
    references = _references(app, idents)

    def shown(*positions: int) -> list[str]:
        return [references[i] for i in positions]

    # Some work first: one received, one taken by the reviewer, one by the sangyo clerk.
    assert staff_act(app, client, idents[4], REVIEWER, "receive").status_code == 302
    assert staff_act(app, client, idents[0], REVIEWER, "claim").status_code == 302
    assert staff_act(app, client, idents[2], CLERK, "claim").status_code == 302
    _arrange(app, idents)  # the actions keep due dates, but set them again to be sure

    switch_user(client, REVIEWER)
    assert _rows(client, "tab=open") == shown(*BY_DUE)
    assert _rows(client, "tab=open&sort=due") == shown(*BY_DUE)
    assert _rows(client, "tab=open&sort=newest") == shown(*BY_NEWEST)
    assert _rows(client, "tab=closed&sort=newest") == []

    with app.app_context():
        parking = db.session.scalar(
            select(Procedure.id).where(Procedure.slug == "accessible-parking")
        )
        subsidy = db.session.scalar(
            select(Procedure.id).where(Procedure.slug == "iot-ai-robot-subsidy")
        )
    assert _rows(client, f"tab=open&procedure={parking}") == shown(5, 0, 1, 4, 3)
    assert _rows(client, f"tab=open&procedure={subsidy}&sort=newest") == shown(2, 6)
    assert _rows(client, "tab=open&status=received") == shown(4)
    assert _rows(client, "tab=open&status=submitted") == shown(5, 0, 1, 2, 3, 6)
    assert _rows(client, "tab=open&overdue=1") == shown(5)
    due_before = (date.fromisoformat(_today(app)) + timedelta(days=1)).isoformat()
    assert _rows(client, f"tab=open&due_before={due_before}") == shown(5, 0, 1)
    assert _rows(client, "tab=open&assignee=me") == shown(0)
    assert _rows(client, "tab=open&assignee=none") == shown(5, 1, 4, 3, 6)
    assert _rows(client, f"tab=open&assignee={user_id(app, CLERK)}") == shown(2)
    # Filters combine, and work tabs take them too: the clerk's claim hides it from "mine".
    assert _rows(client, f"tab=open&procedure={parking}&assignee=none&sort=newest") == shown(
        1, 4, 3, 5
    )
    assert _rows(client, "tab=mine") == shown(5, 0, 1, 4, 3, 6)
    assert _rows(client, "tab=mine&overdue=1") == shown(5)
    assert _rows(client, "tab=department&assignee=me") == shown(0)

    # The form keeps what was chosen, and is open when something was.
    page = client.get(f"{STAFF}/inbox?tab=open&procedure={parking}&overdue=1&sort=newest").get_data(
        as_text=True
    )
    assert '<details class="filters" open>' in page
    assert f'<option value="{parking}" selected>' in page
    assert 'id="f-overdue" name="overdue" value="1" checked' in page
    assert '<option value="newest" selected>' in page
    assert '<details class="filters">' in client.get(f"{STAFF}/inbox?tab=open").get_data(
        as_text=True
    )


@pytest.mark.parametrize(
    "query",
    [
        "procedure=abc",
        "status=bogus",
        "due_before=2026-13-45",
        "sort=sideways",
        "overdue=yes",
        "assignee=someone",
        # Characters that str.isdigit() accepts but int() does not.
        "procedure=%C2%B2",
        "assignee=%C2%B2",
        # Numbers too large for the database's integers.
        "procedure=99999999999999999999999",
        "assignee=99999999999999999999999",
    ],
)
def test_malformed_filters_are_ignored_not_errors(
    app: Flask, client: FlaskClient, demo, query: str
) -> None:
    _seven(app, client)
    switch_user(client, REVIEWER)
    response = client.get(f"{STAFF}/inbox?tab=open&{query}")
    assert response.status_code == 200, query
    assert _download(client, f"tab=open&{query}").status_code == 200, query


def _today(app: Flask) -> str:
    with app.app_context():
        return today().isoformat()


# --- CSV export -------------------------------------------------------------------------------


def test_the_csv_export_is_for_excel_and_lists_every_application_once(
    app: Flask, client: FlaskClient, demo, monkeypatch: pytest.MonkeyPatch
) -> None:
    idents = _seven(app, client)
    references = _references(app, idents)
    assert staff_act(app, client, idents[1], REVIEWER, "claim").status_code == 302
    _arrange(app, idents)
    switch_user(client, REVIEWER)
    response = _download(client, "tab=open")
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == 'attachment; filename="inbox-open.csv"'
    raw, rows = _csv(client, "tab=open")
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM, for Excel
    assert raw.count(b"\r\n") == 8 and raw.count(b"\n") == 8  # CRLF only, one per line
    assert rows[0] == HEADER
    assert [row[0] for row in rows[1:]] == [references[i] for i in BY_DUE]
    by_reference = {row[0]: row for row in rows[1:]}
    first = by_reference[references[0]]
    assert first[1] == "おもいやり駐車場利用証交付申請"
    assert first[2] == "山田 花子" and first[3] == "送信済"
    assert first[4] == "2026-04-01"
    assert first[5] == (date.fromisoformat(_today(app)) + timedelta(days=1)).isoformat()
    assert first[6] == ""
    assert by_reference[references[1]][6] == "審査 担当"
    assert by_reference[references[3]][5] == ""  # no due date

    # The page's link leaves the page cursor out, and a cursor never limits the export.
    with app.app_context():
        cursor = inbox.page(_viewer(REVIEWER), "open", inbox.Filters(), limit=2).next_cursor
    assert cursor
    page = client.get(f"{STAFF}/inbox?tab=open&after={cursor}").get_data(as_text=True)
    link = re.search(r'href="([^"]*inbox\.csv[^"]*)"', page)
    assert link and "after" not in link.group(1)
    _, after = _csv(client, f"tab=open&after={cursor}")
    assert after == rows

    # The export reads page after page: every row once, in order, whatever the batch.
    real = inbox.all_rows
    monkeypatch.setattr(
        inbox, "all_rows", lambda viewer, tab, filters: real(viewer, tab, filters, batch=2)
    )
    _, batched = _csv(client, "tab=open")
    assert batched == rows
    _, newest = _csv(client, "tab=open&sort=newest")
    assert [row[0] for row in newest[1:]] == [references[i] for i in BY_NEWEST]
    _, filtered = _csv(client, "tab=open&overdue=1")
    assert [row[0] for row in filtered[1:]] == [references[5]]
    _, mine = _csv(client, "tab=mine")
    assert len(mine) == 8
    response = _download(client, "tab=mine")
    assert response.headers["Content-Disposition"] == 'attachment; filename="inbox-mine.csv"'


def test_the_csv_sending_day_is_the_day_in_japan(app: Flask, client: FlaskClient, demo) -> None:
    idents = _seven(app, client)
    with app.app_context():
        application = db.session.get_one(Application, idents[0])
        # 2026-04-01 20:30 UTC is 2026-04-02 05:30 in Japan.
        application.submitted_at = datetime(2026, 4, 1, 20, 30, tzinfo=UTC)
        db.session.commit()
    switch_user(client, REVIEWER)
    _, rows = _csv(client, "tab=open")
    by_reference = {row[0]: row for row in rows[1:]}
    assert by_reference[load(app, idents[0]).reference][4] == "2026-04-02"


def test_a_name_that_looks_like_a_formula_is_exported_as_text(
    app: Flask, client: FlaskClient, demo
) -> None:
    _seven(app, client)
    with app.app_context():
        resident = db.session.scalar(select(User).where(User.email == "resident@example.jp"))
        assert resident is not None
        resident.family_name = '=HYPERLINK("https://evil.example","山田")'
        db.session.commit()
    switch_user(client, REVIEWER)
    _, rows = _csv(client, "tab=open")
    assert len(rows) == 8
    assert all(row[2].startswith("'=HYPERLINK(") for row in rows[1:])


# --- the daily digest ---------------------------------------------------------------------------


def _digests(app: Flask) -> dict[str, Any]:
    from portal.core.uow import commit
    from portal.review.digest import send_digests

    before = len(outbox(app))
    with app.app_context():
        sent = send_digests()
        commit()
    mails = outbox(app)[before:]
    assert sent == len(mails)
    return {message["To"]: message for message in mails}


def _body(message: Any) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def test_the_digest_goes_to_staff_with_work_and_lists_what_is_overdue(
    app: Flask, client: FlaskClient, demo, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app.config, "PORTAL_BASE_URL", "https://madoguchi.example.jp")
    late, fresh = submit_parking(client), submit_parking(client)
    subsidy = submit_subsidy(client)
    with app.app_context():
        application = db.session.get_one(Application, late)
        application.due_on = today() - timedelta(days=3)
        db.session.commit()
    late_ref, fresh_ref, subsidy_ref = _references(app, [late, fresh, subsidy])

    # The sangyo clerk is away; the chief stands in for him.
    switch_user(client, CLERK)
    saved = client.post(
        f"{STAFF}/absence", data={"until": _today(app), "deputy": str(user_id(app, CHIEF))}
    )
    assert saved.status_code == 302

    digests = _digests(app)
    # The absent clerk gets none; the approvers, the other departments and the other
    # governments' staff have nothing waiting and get none either.
    assert set(digests) == {REVIEWER, CHIEF}

    reviewer = digests[REVIEWER]
    assert reviewer["Subject"] == "本日の案件：処理待ち3件、期限超過1件"
    body = _body(reviewer)
    assert "あなたの処理待ち：3件" in body and "うち期限超過：1件" in body
    assert "後閲待ち：0件" in body
    overdue = body.partition("期限超過の案件：")[2]
    assert late_ref in overdue and "おもいやり駐車場利用証交付申請" in overdue
    assert fresh_ref not in body and subsidy_ref not in body
    assert "https://madoguchi.example.jp/staff/midori-pref/inbox" in body

    chief = digests[CHIEF]  # the clerk's step, as his deputy
    assert chief["Subject"] == "本日の案件：処理待ち1件、期限超過0件"
    assert "期限超過の案件：" not in _body(chief)


def test_a_reading_alone_is_worth_a_digest(app: Flask, client: FlaskClient, demo) -> None:
    ident = submit_subsidy(client)
    # 引き上げ: the chief passes ahead of the review; the reviewers owe a reading.
    assert staff_act(app, client, ident, CHIEF, "pass").status_code == 302
    switch_user(client, REVIEWER)
    assert client.post(f"{STAFF}/applications/{ident}/read").status_code == 302
    digests = _digests(app)
    # The consultation waits for zaimu's section chief; the clerk only owes a reading.
    assert set(digests) == {CLERK, "section-chief@zaimu.pref.example.jp"}
    body = _body(digests[CLERK])
    assert "あなたの処理待ち：0件" in body and "後閲待ち：1件" in body
