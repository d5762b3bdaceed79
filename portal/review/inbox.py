"""The staff inbox: tabs, filters, counts and keyset pagination.

Tabs:

- ``mine``: open steps waiting for one of my positions (or a position of an absent
  colleague I stand in for), not taken by someone else;
- ``department``: open steps waiting in my departments, whoever they wait for;
- ``open`` and ``closed``: every application I may see (the whole tenant for deciding
  roles and administrators, my departments' otherwise);
- ``readings``: what was decided without me and waits for me to read (後閲).

Pages are cut by keyset (the sort value and id of the last row shown), never by offset,
so the hundredth page costs what the first does, however many applications there are.
Applications without a due date come after those with one, read by a second query, so
both orders stay index-friendly on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime

from sqlalchemy import ColumnElement, Select, and_, false, func, or_, select

from portal.accounts.models import User
from portal.applications.models import Application
from portal.catalog.models import ProcedureVersion
from portal.extensions import db
from portal.review.authority import (
    department_ids_of,
    deputy_for,
    positions_of,
    sees_whole_tenant,
    today,
)
from portal.review.models import Task
from portal.tenants.models import Department, Tenant
from workflows import Position, Status

TABS = ("mine", "department", "open", "readings", "closed")
WORK_TABS = frozenset({"mine", "department", "readings"})
OPEN = tuple(s.value for s in Status if s.is_open)
CLOSED = tuple(s.value for s in Status if s.is_final)
#: Counts stop here ("1,000+"): an exact count of a million rows is slow and no help.
COUNT_CAP = 1000
PAGE_SIZE = 50


@dataclass(frozen=True)
class Filters:
    """What a member of staff narrowed the inbox to; every field is optional."""

    procedure: int | None = None
    status: str | None = None
    due_before: date | None = None
    overdue: bool = False
    assignee: str | None = None  # "me", "none" or a user id
    sort: str = "due"  # "due" (soonest first) or "newest" (latest submission first)


@dataclass(frozen=True)
class Viewer:
    """Who is looking, with what they hold in the tenant (read once per request).

    Plain values only, so that an export can go on reading pages while it streams.
    """

    user_id: int
    tenant_id: int
    roles: frozenset[str]
    positions: frozenset[Position]
    departments: frozenset[str]
    department_ids: frozenset[int]
    whole_tenant: bool
    stand_in_for: frozenset[int]

    @classmethod
    def of(cls, user: User, tenant: Tenant, roles: frozenset[str]) -> Viewer:
        """Read a member of staff's positions, departments and stand-ins in a tenant."""
        deputised = deputy_for(user, tenant)
        positions = positions_of(user, tenant).union(*deputised.values())
        department_ids = department_ids_of(user, tenant)
        own = [d for d in department_ids if d is not None]
        codes = db.session.scalars(select(Department.code).where(Department.id.in_(own)))
        return cls(
            user_id=user.id,
            tenant_id=tenant.id,
            roles=roles,
            positions=positions,
            departments=frozenset(codes),
            department_ids=frozenset(own),
            whole_tenant=sees_whole_tenant(roles) or None in department_ids,
            stand_in_for=frozenset(deputised),
        )


@dataclass(frozen=True)
class Row:
    """One line of the inbox: an application, and the step that put it there (if any)."""

    application: Application
    task: Task | None = None


@dataclass(frozen=True)
class Page:
    """One page of a tab and the cursor of the next page (None on the last)."""

    rows: list[Row]
    next_cursor: str | None


# --- scope and tabs ----------------------------------------------------------------------


def _scope(viewer: Viewer) -> ColumnElement[bool]:
    if viewer.whole_tenant:
        return Application.tenant_id == viewer.tenant_id
    # Ids, not a subquery: the planner then walks the department index.
    owned = sorted(viewer.department_ids)
    return and_(Application.tenant_id == viewer.tenant_id, Application.department_id.in_(owned))


def may_view(viewer: Viewer, application: Application) -> bool:
    """Whether a member of staff may open an application (scope, a task, or a reading)."""
    if application.tenant_id != viewer.tenant_id:
        return False
    if viewer.whole_tenant:
        return True
    in_scope = select(Application.id).where(Application.id == application.id, _scope(viewer))
    involved = select(Task.id).where(
        Task.application_id == application.id,
        or_(_position_match(viewer), Task.user_id == viewer.user_id),
    )
    return db.session.scalar(in_scope.union(involved).limit(1)) is not None


def _position_match(viewer: Viewer) -> ColumnElement[bool]:
    matches = [
        Task.role == p.role
        if p.department is None
        else and_(Task.role == p.role, Task.department == p.department)
        for p in viewer.positions
    ]
    return or_(*matches) if matches else false()


def _work_query(viewer: Viewer, tab: str) -> Select[tuple[Task, Application]]:
    query = (
        select(Task, Application)
        .join(Application, Task.application_id == Application.id)
        .where(Task.tenant_id == viewer.tenant_id, Task.done_at.is_(None))
    )
    if tab == "readings":
        return query.where(Task.kind == "post_review", Task.user_id == viewer.user_id)
    query = query.where(Task.kind.in_(("act", "consult")))
    if tab == "department":
        if viewer.whole_tenant:
            return query
        return query.where(Task.department.in_(viewer.departments))
    takers = {viewer.user_id, *viewer.stand_in_for}
    return query.where(
        _position_match(viewer),
        or_(Application.assignee_id.is_(None), Application.assignee_id.in_(takers)),
    )


def _case_query(viewer: Viewer, tab: str) -> Select[tuple[Application]]:
    statuses = OPEN if tab == "open" else CLOSED
    return select(Application).where(_scope(viewer), Application.status.in_(statuses))


def _filtered(query: Select, viewer: Viewer, filters: Filters) -> Select:  # type: ignore[type-arg]
    conditions: list[ColumnElement[bool]] = []
    if filters.procedure is not None:
        # Ids, not a subquery, so that the planner walks the per-version index.
        versions = db.session.scalars(
            select(ProcedureVersion.id).where(ProcedureVersion.procedure_id == filters.procedure)
        )
        conditions.append(Application.procedure_version_id.in_(list(versions)))
    if filters.status:
        conditions.append(Application.status == filters.status)
    if filters.due_before is not None:
        conditions.append(Application.due_on <= filters.due_before)
    if filters.overdue:
        running = tuple(s for s in OPEN if s != Status.CORRECTION_REQUESTED.value)
        conditions.append(and_(Application.due_on < today(), Application.status.in_(running)))
    if filters.assignee == "me":
        conditions.append(Application.assignee_id == viewer.user_id)
    elif filters.assignee == "none":
        conditions.append(Application.assignee_id.is_(None))
    elif small_id(filters.assignee) is not None:
        conditions.append(Application.assignee_id == small_id(filters.assignee))
    return query.where(*conditions)


def _base(viewer: Viewer, tab: str, filters: Filters) -> Select:  # type: ignore[type-arg]
    query = _work_query(viewer, tab) if tab in WORK_TABS else _case_query(viewer, tab)
    return _filtered(query, viewer, filters)


# --- ordering and keyset -----------------------------------------------------------------


def _keys(tab: str) -> tuple[ColumnElement[date], ColumnElement[int]]:
    if tab in WORK_TABS:
        return Task.due_on, Task.id  # type: ignore[return-value]
    return Application.due_on, Application.id  # type: ignore[return-value]


def _fetch(query: Select, tab: str, limit: int) -> list[Row]:  # type: ignore[type-arg]
    results = db.session.execute(query.limit(limit))
    if tab in WORK_TABS:
        return [Row(app, task) for task, app in results]
    return [Row(app) for (app,) in results]


@dataclass(frozen=True)
class _After:
    """A parsed cursor: the sort value of the last row shown (None: no due date) and its id."""

    kind: str  # "d" (due date), "n" (no due date) or "s" (sent at)
    value: date | datetime | None
    ident: int


def small_id(text: str | None) -> int | None:
    """A database id typed or posted as text, or None when it cannot be one.

    ``isdigit`` alone accepts "²"; and an id past 2**31 fails in the database.
    """
    if not text or not text.isascii() or not text.isdigit() or len(text) > 9:
        return None
    return int(text)


def _parse_after(cursor: str | None) -> _After | None:
    """Read a cursor from the query string; anything malformed means "from the start"."""
    kind, _, rest = (cursor or "").partition(":")
    value_text, _, ident_text = rest.rpartition(":")
    ident = small_id(ident_text)
    if ident is None:
        return None
    try:
        if kind == "d":
            return _After(kind, date.fromisoformat(value_text), ident)
        if kind == "s":
            moment = datetime.fromisoformat(value_text)
            return _After(kind, moment, ident) if moment.tzinfo is not None else None
    except ValueError:
        return None
    return _After(kind, None, ident) if kind == "n" and not value_text else None


def _by_due(query: Select, tab: str, after: _After | None, limit: int) -> list[Row]:  # type: ignore[type-arg]
    due, ident = _keys(tab)
    dated = query.where(due.is_not(None)).order_by(due, ident)
    undated = query.where(due.is_(None)).order_by(ident)
    rows: list[Row] = []
    if after is None or after.kind != "n":
        if after is not None and after.kind == "d":
            day = after.value
            dated = dated.where(or_(due > day, and_(due == day, ident > after.ident)))
        rows = _fetch(dated, tab, limit)
    else:
        undated = undated.where(ident > after.ident)
    if len(rows) < limit:
        rows += _fetch(undated, tab, limit - len(rows))
    return rows


def _by_newest(query: Select, tab: str, after: _After | None, limit: int) -> list[Row]:  # type: ignore[type-arg]
    submitted, ident = Application.submitted_at, _keys(tab)[1]
    query = query.order_by(submitted.desc(), ident.desc())
    if after is not None and after.kind == "s":
        at = after.value
        query = query.where(or_(submitted < at, and_(submitted == at, ident < after.ident)))
    return _fetch(query, tab, limit)


def _cursor(tab: str, sort: str, row: Row) -> str:
    ident = row.task.id if row.task is not None else row.application.id
    if sort == "newest":
        return f"s:{row.application.submitted_at.isoformat()}:{ident}"
    due = row.task.due_on if row.task is not None else row.application.due_on
    return f"d:{due.isoformat()}:{ident}" if due is not None else f"n:{ident}"


def page(
    viewer: Viewer,
    tab: str,
    filters: Filters,
    cursor: str | None = None,
    limit: int = PAGE_SIZE,
) -> Page:
    """One page of a tab, after ``cursor`` (from the previous page), in the chosen order.

    A malformed cursor starts from the beginning rather than failing.
    """
    query = _base(viewer, tab, filters)
    fetch = _by_newest if filters.sort == "newest" else _by_due
    rows = fetch(query, tab, _parse_after(cursor), limit + 1)
    more = len(rows) > limit
    rows = rows[:limit]
    return Page(rows, _cursor(tab, filters.sort, rows[-1]) if more else None)


def all_rows(viewer: Viewer, tab: str, filters: Filters, batch: int = 500) -> Iterator[Row]:
    """Every row of a tab in order, read a page at a time (for exports)."""
    cursor: str | None = None
    while True:
        found = page(viewer, tab, filters, cursor, batch)
        yield from found.rows
        if found.next_cursor is None:
            return
        cursor = found.next_cursor


def counts(viewer: Viewer, filters: Filters | None = None, exact: bool = False) -> dict[str, int]:
    """How many rows each tab holds, counted up to COUNT_CAP unless ``exact``."""
    filters = filters or Filters()
    cap = None if exact else COUNT_CAP
    found = {}
    for tab in TABS:
        query = _base(viewer, tab, replace(filters, sort="due")).with_only_columns(Application.id)
        capped = (query.limit(cap) if cap is not None else query).subquery()
        found[tab] = db.session.scalar(select(func.count()).select_from(capped)) or 0
    return found
