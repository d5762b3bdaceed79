"""Checking the hash-chained trails of applications, and exporting one trail for people.

The check reads the rows as they are in the database, never through the session's
identity map: an event already loaded (and perhaps changed in memory) must not hide
what is actually stored. Applications are walked by id in chunks, with one query for
the events of each chunk, so a million events never sit in memory at once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Row, inspect, select
from sqlalchemy.orm import selectinload

from portal.accounts.models import User
from portal.applications.history import GENESIS, event_digest
from portal.applications.models import Application, Event
from portal.core.calendar import to_local_time
from portal.extensions import db

#: Applications checked per query; their events are loaded with one more query.
BATCH = 500

CHANGED = "changed"
MISSING = "missing"
BROKEN_LINK = "broken link"
DUPLICATE = "duplicate"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an application's trail, for an operator to read."""

    reference: str
    seq: int | None
    kind: str
    message: str


@dataclass
class Audit:
    """What a verification looked at, and what it found."""

    applications: int = 0
    events: int = 0
    problems: list[Problem] = field(default_factory=list)


def audit_trails(application_ids: Iterable[int] | None = None) -> Audit:
    """Check the trail of every submitted application (or of these ones only)."""
    audit = Audit()
    wanted = None if application_ids is None else sorted(set(application_ids))
    for chunk in _application_chunks(wanted):
        trails = _stored_events([row.id for row in chunk])
        for row in chunk:
            trail = trails.get(row.id, [])
            # Read with the events, by the same statement: on a live portal the row
            # read before may already be a step behind.
            status = trail[-1].application_status if trail else row.status
            audit.applications += 1
            audit.events += len(trail)
            audit.problems.extend(check_trail(row.reference, status, trail))
    return audit


def verify_trails(application_ids: Iterable[int] | None = None) -> list[Problem]:
    """Every problem in the trails of submitted applications (or of these ones only)."""
    return audit_trails(application_ids).problems


def _application_chunks(wanted: list[int] | None) -> Iterator[Sequence[Row[Any]]]:
    """Submitted applications by id, ``BATCH`` at a time (keyset, not OFFSET, paging)."""
    after = 0
    while True:
        query = (
            select(Application.id, Application.reference, Application.status)
            .where(Application.reference.is_not(None), Application.id > after)
            .order_by(Application.id)
            .limit(BATCH)
        )
        if wanted is not None:
            query = query.where(Application.id.in_(wanted))
        chunk = db.session.execute(query).all()
        if not chunk:
            return
        yield chunk
        after = chunk[-1].id


def _stored_events(application_ids: list[int]) -> dict[int, list[Row[Any]]]:
    """The stored events of some applications, by application, in order of seq.

    Plain rows, not ``Event`` objects: a row has every mapped column as an attribute,
    which is all ``event_digest`` reads, costs a fraction of an ORM object to build,
    and never comes from the identity map. Each row also has its application's
    status as ``application_status``.
    """
    attributes = [getattr(Event, column.key) for column in inspect(Event).column_attrs]
    query = (
        select(*attributes, Application.status.label("application_status"))
        .join(Application, Application.id == Event.application_id)
        .where(Event.application_id.in_(application_ids))
        .order_by(Event.application_id, Event.seq, Event.id)
    )
    trails: dict[int, list[Row[Any]]] = defaultdict(list)
    for row in db.session.execute(query):
        trails[row.application_id].append(row)
    return trails


def check_trail(reference: str, status: str, events: Sequence[Any]) -> list[Problem]:
    """The problems of one application's trail: its events (or rows) in order of seq."""
    problems: list[Problem] = []
    previous: Any = None
    for event in events:
        problems.extend(_event_problems(reference, previous, event))
        # A duplicate does not move the chain on: the next event links to the first.
        if previous is None or event.seq != previous.seq:
            previous = event
    problems.extend(_end_problems(reference, status, events))
    return problems


def _event_problems(reference: str, previous: Any, event: Any) -> list[Problem]:
    problems = [_order_problem(reference, previous, event)]
    if event_digest(event) != event.hash:
        message = (
            f"event {event.seq} ({event.kind}) was changed: its content no longer matches its hash"
        )
        problems.append(Problem(reference, event.seq, CHANGED, message))
    return [problem for problem in problems if problem is not None]


def _order_problem(reference: str, previous: Any, event: Any) -> Problem | None:
    """A duplicate, a gap, or a link to something other than the event before."""
    expected = previous.seq + 1 if previous is not None else 1
    if previous is not None and event.seq == previous.seq:
        message = f"event {event.seq} appears more than once"
        return Problem(reference, event.seq, DUPLICATE, message)
    if event.seq < expected:
        message = f"the trail starts at event {event.seq} instead of 1"
        return Problem(reference, event.seq, MISSING, message)
    if event.seq > expected:
        # The link of the event after a gap is necessarily broken: one report is enough.
        return Problem(reference, expected, MISSING, _gap_message(expected, event.seq - 1))
    if event.prev_hash != (previous.hash if previous is not None else GENESIS):
        before = f"event {previous.seq}" if previous is not None else "the start of the trail"
        message = f"event {event.seq} does not link to {before}: the chain is broken there"
        return Problem(reference, event.seq, BROKEN_LINK, message)
    return None


def _gap_message(first: int, last: int) -> str:
    if first == last:
        return f"event {first} is missing"
    return f"events {first} to {last} are missing"


def _end_problems(reference: str, status: str, events: Sequence[Any]) -> list[Problem]:
    """A trail must exist and end in the application's status.

    Every status change is recorded as an event, so a trail whose last status is
    not the application's has lost its last events (which leave no gap behind).
    """
    if not events:
        message = "the application has no events: its whole trail is missing"
        return [Problem(reference, 1, MISSING, message)]
    last = next((event.to_status for event in reversed(events) if event.to_status), None)
    if last == status:
        return []
    message = (
        f"the trail ends in the status {last!r} but the application is {status!r}: "
        "its last event(s) are missing"
    )
    return [Problem(reference, events[-1].seq + 1, MISSING, message)]


def trail_rows(application: Application) -> list[dict[str, Any]]:
    """One application's trail as plain rows, times in Japan, for export."""
    query = (
        select(Event)
        .where(Event.application_id == application.id)
        .order_by(Event.seq, Event.id)
        .options(selectinload(Event.actor))
    )
    return [_row(event) for event in db.session.scalars(query)]


def _row(event: Event) -> dict[str, Any]:
    return {
        "seq": event.seq,
        "at": to_local_time(event.at).isoformat(),
        "kind": event.kind,
        "actor": _actor(event.actor),
        "from_status": event.from_status,
        "to_status": event.to_status,
        "stage": event.stage_id,
        "reason": event.reason,
        "prev_hash": event.prev_hash,
        "hash": event.hash,
    }


def _actor(user: User | None) -> str:
    """Name and e-mail address; the address alone for a guest, who gave no name."""
    if user is None:
        return ""
    if user.full_name == user.email:
        return user.email
    return f"{user.full_name} ({user.email})"
