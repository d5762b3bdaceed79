"""Moving applications along their route: the engine's verdict, persisted.

``perform`` is the only place an application's status changes. It asks the engine,
stores the new state, appends the events to the hash-chained history, recomputes the due
date, and brings the tasks up to date: the open steps positions must take, and the
readings afterwards (後閲) owed by people a deputy acted for or a higher approver went
ahead of.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from portal.accounts.models import User
from portal.applications.history import append_event
from portal.applications.models import Application
from portal.applications.queries import expected_date
from portal.catalog.definitions import route_of
from portal.core.calendar import calendar_for, to_local_date
from portal.core.models import utcnow
from portal.core.refusals import Refused
from portal.extensions import db
from portal.review.authority import actor_for, context_for, holders, state_of
from portal.review.models import Task
from workflows import (
    Action,
    ActionKind,
    CaseState,
    Context,
    Event,
    Outcome,
    Refusal,
    Route,
    Stage,
    StageKind,
    Status,
    current_stage,
    deciding_position,
    transition,
    waiting_positions,
)

# The due date is computed again when the clock starts and when it restarts after 補正.
_CLOCK_STARTS = frozenset({ActionKind.SUBMIT, ActionKind.RESUBMIT})


def perform(application: Application, action: Action, user: User) -> Outcome:
    """Run an action through the engine and record its result, or raise Refused."""
    route = route_of(application.version)
    before = state_of(application)
    context = context_for(application, route)
    result = transition(route, before, action, actor_for(user, application), context)
    if isinstance(result, Refusal):
        raise Refused(str(result.code))
    _store(application, result.state)
    for event in result.events:
        _record(application, user, event)
    if result.state.stage_index != before.stage_index or action.kind is ActionKind.SUBMIT:
        application.stage_entered_at = utcnow()
    if action.kind in _CLOCK_STARTS:
        application.due_on = expected_date(application)
    # The context holds what the action cannot change (answers, department, absences).
    sync_tasks(application, route, context)
    for event in result.events:
        _owe_readings(application, route, before, context, event, user)
    return result


def _store(application: Application, state: CaseState) -> None:
    application.status = state.status.value
    application.stage_index = state.stage_index
    application.consents = sorted(state.consents)
    application.objections = sorted(state.objections)
    application.assignee_id = state.assignee


def _record(application: Application, user: User, event: Event) -> None:
    append_event(
        application,
        event.kind,
        user,
        from_status=event.from_status.value,
        to_status=event.to_status.value,
        stage_id=event.stage_id,
        reason=event.reason,
        detail=event.detail(),
    )


def stage_due_on(application: Application, stage: Stage) -> date | None:
    """The end of the current stage's own time limit, when the route gives it one."""
    if stage.days is None or application.stage_entered_at is None:
        return None
    start = to_local_date(application.stage_entered_at)
    return calendar_for(application.tenant).add_business_days(start, stage.days)


def open_tasks(application: Application, kinds: tuple[str, ...] = ("act", "consult")) -> list[Task]:
    """The application's tasks not yet done, of the given kinds."""
    query = select(Task).where(
        Task.application_id == application.id, Task.done_at.is_(None), Task.kind.in_(kinds)
    )
    return list(db.session.scalars(query.order_by(Task.id)))


def sync_tasks(application: Application, route: Route, context: Context) -> None:
    """Make the open work tasks match the positions the case now waits for.

    Nothing waits for staff while a correction is with the applicant or once the case is
    closed; done tasks are kept, so the table is also a record of who held each step.
    """
    state = state_of(application)
    stage = current_stage(route, state)
    wanted: dict[tuple[str, str, str, str | None], Stage] = {}
    if stage is not None and state.status is not Status.CORRECTION_REQUESTED:
        kind = "consult" if stage.kind is StageKind.CONSULTATION else "act"
        for position in waiting_positions(route, state, context):
            wanted[(kind, stage.id, position.role, position.department)] = stage
    now = utcnow()
    for task in open_tasks(application):
        key = (task.kind, task.stage_id, task.role or "", task.department)
        if key in wanted:
            del wanted[key]
            task.due_on = application.due_on
        else:
            task.done_at = now
    for (kind, stage_id, role, department), wanted_stage in wanted.items():
        db.session.add(
            Task(
                application_id=application.id,
                tenant_id=application.tenant_id,
                kind=kind,
                stage_id=stage_id,
                role=role,
                department=department,
                due_on=application.due_on,
                stage_due_on=stage_due_on(application, wanted_stage),
            )
        )


def _owe_readings(
    application: Application,
    route: Route,
    before: CaseState,
    context: Context,
    event: Event,
    actor: User,
) -> None:
    """後閲: whoever a deputy acted for, or a higher approver went ahead of, reads it later."""
    readers: dict[int, tuple[str, str]] = {}
    if event.on_behalf_of is not None:
        readers[event.on_behalf_of] = (event.stage_id or "", "deputy")
    for stage_id in event.skipped:
        index = route.index_of(stage_id)
        assert index is not None
        stage = route.stages[index]
        if index == before.stage_index and before.assignee is not None:
            people = [before.assignee]
        else:
            people = [u.id for u in holders(application.tenant, deciding_position(stage, context))]
        for person in people:
            readers.setdefault(person, (stage_id, "skipped"))
    for person, (stage_id, note) in readers.items():
        if person == actor.id or person == application.applicant_id:
            continue
        db.session.add(
            Task(
                application_id=application.id,
                tenant_id=application.tenant_id,
                kind="post_review",
                stage_id=stage_id,
                user_id=person,
                due_on=application.due_on,
                note=note,
            )
        )


def acknowledge_reading(application: Application, user: User) -> bool:
    """Record that a member of staff has read what was decided without them (後閲済).

    Returns False when they owed no reading. Allowed after the case has closed: that is
    when most readings happen.
    """
    owed = [t for t in open_tasks(application, ("post_review",)) if t.user_id == user.id]
    if not owed:
        return False
    now = utcnow()
    for task in owed:
        task.done_at = now
    append_event(application, "post_review", user, stage_id=owed[0].stage_id)
    return True
