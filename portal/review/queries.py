"""Reads for the staff back office, always scoped to one tenant."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from portal.accounts.models import User
from portal.applications.models import Application
from portal.catalog.definitions import route_of
from portal.catalog.models import Procedure
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
