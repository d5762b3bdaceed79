"""Who may act: the engine's actors and context, read from memberships and absences."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import or_, select

from portal.accounts.models import User
from portal.applications.models import Application
from portal.catalog.definitions import computed_for, route_of
from portal.core.calendar import to_local_date
from portal.core.models import utcnow
from portal.extensions import db
from portal.tenants.models import TENANT_WIDE_ROLES, Department, Membership, Tenant
from workflows import (
    Actor,
    CaseState,
    Context,
    Position,
    Route,
    StageKind,
    current_stage,
    deciding_position,
)


def today() -> date:
    """Today in Japan, the day absences and due dates are counted in."""
    return to_local_date(utcnow())


def is_absent(user: User, on: date | None = None) -> bool:
    """Whether a member of staff is marked absent on a day (today by default)."""
    return user.absent_until is not None and user.absent_until >= (on or today())


def _memberships(tenant: Tenant, *conditions: object) -> list[Membership]:
    query = select(Membership).where(Membership.tenant_id == tenant.id, *conditions)
    return list(db.session.scalars(query))


def _position(membership: Membership) -> Position:
    department = membership.department.code if membership.department else None
    return Position(membership.role, department)


def positions_of(user: User, tenant: Tenant) -> frozenset[Position]:
    """The positions a user holds in a tenant (department None: every department)."""
    return frozenset(_position(m) for m in _memberships(tenant, Membership.user_id == user.id))


def sees_whole_tenant(roles: frozenset[str]) -> bool:
    """Whether these roles see every application of the tenant, not only their departments'."""
    return bool(roles & TENANT_WIDE_ROLES)


def department_ids_of(user: User, tenant: Tenant) -> frozenset[int | None]:
    """The departments a user works in (None when a role spans the whole tenant)."""
    return frozenset(m.department_id for m in _memberships(tenant, Membership.user_id == user.id))


def absent_users(tenant: Tenant) -> frozenset[int]:
    """The members of staff of a tenant marked absent today."""
    query = (
        select(User.id)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.tenant_id == tenant.id, User.absent_until >= today())
    )
    return frozenset(db.session.scalars(query))


def deputy_for(user: User, tenant: Tenant) -> dict[int, frozenset[Position]]:
    """The absent colleagues this user stands in for (代決), with their positions."""
    found: dict[int, set[Position]] = defaultdict(set)
    absent = absent_users(tenant)
    for membership in _memberships(tenant, Membership.deputy_id == user.id):
        if membership.user_id in absent:
            found[membership.user_id].add(_position(membership))
    return {user_id: frozenset(positions) for user_id, positions in found.items()}


def actor_for(user: User, application: Application) -> Actor:
    """The engine's view of a user acting on an application."""
    if application.applicant_id == user.id:
        return Actor.applicant(user.id)
    tenant = application.tenant
    return Actor(
        user_id=user.id,
        positions=positions_of(user, tenant),
        deputy_for=deputy_for(user, tenant),
    )


def holders(tenant: Tenant, position: Position) -> list[User]:
    """The members of staff who hold a position (a tenant-wide role counts everywhere)."""
    members = (
        select(Membership.user_id)
        .outerjoin(Department, Department.id == Membership.department_id)
        .where(Membership.tenant_id == tenant.id, Membership.role == position.role)
    )
    if position.department is not None:
        members = members.where(
            or_(Membership.department_id.is_(None), Department.code == position.department)
        )
    # A subquery rather than DISTINCT: PostgreSQL cannot compare the JSON columns of users.
    query = select(User).where(User.id.in_(members))
    return list(db.session.scalars(query.order_by(User.family_name, User.given_name, User.id)))


def home_department(application: Application) -> str | None:
    """The code of the department that owns the application's procedure."""
    department = db.session.get(Department, application.department_id or -1)
    return department.code if department else None


def state_of(application: Application) -> CaseState:
    """The engine's state of an application."""
    return CaseState(
        application.status_enum,
        application.stage_index,
        consents=frozenset(application.consents or ()),
        objections=frozenset(application.objections or ()),
        assignee=application.assignee_id,
    )


def context_for(application: Application, route: Route | None = None) -> Context:
    """What the engine needs besides the case: tiers' values, candidates, absences."""
    route = route or route_of(application.version)
    absent = absent_users(application.tenant)
    values = {**application.answers, **computed_for(application.version, application.answers)}
    context = Context(home_department=home_department(application), values=values, absent=absent)
    stage = current_stage(route, state_of(application))
    if stage is None or stage.kind is StageKind.CONSULTATION:
        return context
    position = deciding_position(stage, context)
    candidates = frozenset(
        user.id
        for user in holders(application.tenant, position)
        if user.id not in absent and user.id != application.applicant_id
    )
    return Context(context.home_department, values, candidates, absent)
