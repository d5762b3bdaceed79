"""Reads for the staff back office, always scoped to one tenant."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from forms import localise
from portal.accounts.models import User
from portal.applications.models import Application, Event
from portal.catalog.definitions import route_of
from portal.catalog.models import Procedure
from portal.core.labels import ROLE, label
from portal.decisions.models import Decision, Notice
from portal.extensions import db
from portal.review.authority import actor_for, context_for, state_of
from portal.review.models import Task
from portal.review.progress import open_tasks, stage_due_on
from portal.tenants.models import Department, Membership, Tenant
from workflows import (
    ActionKind,
    Position,
    Stage,
    StageKind,
    allowed_actions,
    current_stage,
    deciding_position,
    deciding_tier,
)


def tenant_application(tenant: Tenant, application_id: int) -> Application | None:
    """An application of this tenant (never another tenant's) that has been submitted."""
    application = db.session.get(Application, application_id)
    if application is None or application.tenant_id != tenant.id or application.reference is None:
        return None
    return application


def notices_for_staff(application: Application) -> list[Notice]:
    """Every notice of an application, in any state, for staff."""
    return list(
        db.session.scalars(
            select(Notice)
            .join(Decision)
            .where(Decision.application_id == application.id)
            .order_by(Notice.id)
        )
    )


def tenant_procedures(tenant: Tenant) -> list[Procedure]:
    """The tenant's procedures, for the inbox's procedure filter."""
    return list(
        db.session.scalars(
            select(Procedure).where(Procedure.tenant_id == tenant.id).order_by(Procedure.id)
        )
    )


def department_names(tenant: Tenant, locale: str) -> dict[str, str]:
    """The tenant's department names by code, for showing positions."""
    departments = db.session.scalars(select(Department).where(Department.tenant_id == tenant.id))
    return {department.code: department.name(locale) for department in departments}


def tenant_staff_members(tenant: Tenant) -> list[User]:
    """Everyone holding a staff role in the tenant, by name."""
    query = (
        select(User)
        .where(User.id.in_(select(Membership.user_id).where(Membership.tenant_id == tenant.id)))
        .order_by(User.family_name, User.given_name, User.id)
    )
    return list(db.session.scalars(query))


def deputy_of(user: User, tenant: Tenant) -> int | None:
    """Who acts for this member of staff while they are absent, if anyone is named."""
    return db.session.scalar(
        select(Membership.deputy_id).where(
            Membership.user_id == user.id,
            Membership.tenant_id == tenant.id,
            Membership.deputy_id.is_not(None),
        )
    )


@dataclass(frozen=True)
class Consulted:
    """One position of a consultation (合議) and its answer so far."""

    position: Position
    answer: str  # "consent", "object" or "waiting"


@dataclass(frozen=True)
class StepView:
    """What the application page shows of the current step and what this user may do."""

    stage: Stage | None
    actions: tuple[ActionKind, ...]
    deciding: Position | None = None
    tier: int | None = None
    consulted: list[Consulted] = field(default_factory=list)
    candidates: list[User] = field(default_factory=list)
    earlier: list[Stage] = field(default_factory=list)
    stage_due: date | None = None
    owes_reading: bool = False
    acting_for: list[User] = field(default_factory=list)


def step_view(application: Application, user: User) -> StepView:
    """The current step of an application as a member of staff sees it."""
    route = route_of(application.version)
    state = state_of(application)
    context = context_for(application, route)
    actor = actor_for(user, application)
    stage = current_stage(route, state)
    owes = any(t.user_id == user.id for t in open_tasks(application, ("post_review",)))
    actions = allowed_actions(route, state, actor, context)
    if stage is None:
        return StepView(None, actions, owes_reading=owes)
    consulted = [
        Consulted(
            part.resolved(context.home_department),
            "consent"
            if part.resolved(context.home_department).key in state.consents
            else "object"
            if part.resolved(context.home_department).key in state.objections
            else "waiting",
        )
        for part in stage.consult
    ]
    deciding = None if stage.kind is StageKind.CONSULTATION else deciding_position(stage, context)
    return StepView(
        stage=stage,
        actions=actions,
        deciding=deciding,
        tier=deciding_tier(stage, context) if stage.kind is StageKind.DECISION else None,
        consulted=consulted,
        candidates=[db.session.get(User, uid) for uid in sorted(context.candidates)],
        earlier=list(route.stages[: state.stage_index]),
        stage_due=stage_due_on(application, stage),
        owes_reading=owes,
        acting_for=[db.session.get(User, uid) for uid in sorted(actor.deputy_for)],
    )


def readings_owed(user: User, tenant: Tenant) -> int:
    """How many readings afterwards (後閲) a member of staff owes in a tenant."""
    query = select(Task.id).where(
        Task.tenant_id == tenant.id,
        Task.kind == "post_review",
        Task.user_id == user.id,
        Task.done_at.is_(None),
    )
    return len(list(db.session.scalars(query)))


def history(application: Application, locale: str) -> list[tuple[Event, str]]:
    """The events of an application, each with what its details mean in words.

    The details say who a deputy acted for (代決), which steps a higher approver went
    ahead of (引き上げ), which consulted position answered, which authority tier decided
    and to whom a step was given.
    """
    route = route_of(application.version)
    titles = {stage.id: localise(stage.title, locale) for stage in route.stages}
    departments = department_names(application.tenant, locale)
    rows = []
    for event in application.events:
        detail = event.detail or {}
        notes = []
        if "on_behalf_of" in detail:
            notes.append(_("Acted for %(name)s (代決)", name=_name(detail["on_behalf_of"])))
        if detail.get("skipped"):
            steps = "、".join(titles.get(s, s) for s in detail["skipped"])
            notes.append(_("Decided ahead of: %(steps)s (引き上げ)", steps=steps))
        if "position" in detail:
            department, _slash, role = str(detail["position"]).partition("/")
            place = departments.get(department, department)
            notes.append(f"{label(ROLE, role)}・{place}" if place else label(ROLE, role))
        if "tier" in detail:
            notes.append(
                _("Delegated authority (専決), rule %(number)d", number=detail["tier"] + 1)
            )
        if "assignee" in detail:
            notes.append(_("Assigned to %(name)s", name=_name(detail["assignee"])))
        rows.append((event, " / ".join(notes)))
    return rows


def _name(user_id: int) -> str:
    user = db.session.get(User, user_id)
    return user.full_name if user else "—"
