"""Reads for the administration pages: departments, staff, closures and the audit log."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import jpholiday
from sqlalchemy import func, select

from portal.accounts.models import User
from portal.core.calendar import calendar_for
from portal.extensions import db
from portal.tenants.models import ROLES, AuditEntry, Department, Membership, Tenant

AUDIT_PAGE_SIZE = 50


def departments(tenant: Tenant) -> list[Department]:
    """The tenant's departments, by code."""
    query = select(Department).where(Department.tenant_id == tenant.id).order_by(Department.code)
    return list(db.session.scalars(query))


def department_of(tenant: Tenant, department_id: int | None) -> Department | None:
    """A department of this tenant (None for another tenant's or an unknown one)."""
    found = db.session.get(Department, department_id) if department_id else None
    return found if found is not None and found.tenant_id == tenant.id else None


def department_named(tenant: Tenant, *, code: str = "", name_ja: str = "") -> Department | None:
    """The tenant's department with this code or this Japanese name, if any."""
    query = select(Department).where(Department.tenant_id == tenant.id)
    if code:
        query = query.where(Department.code == code)
    else:
        query = query.where(Department.name_ja == name_ja)
    return db.session.scalar(query)


@dataclass(frozen=True)
class StaffMember:
    """One person's roles in a tenant, and who deputises for them."""

    user: User
    memberships: list[Membership]
    deputy: User | None

    @property
    def roles(self) -> set[str]:
        """The roles the person holds."""
        return {membership.role for membership in self.memberships}


def staff(tenant: Tenant, user_id: int | None = None) -> list[StaffMember]:
    """Everyone holding a role in the tenant (or only ``user_id``), by name."""
    query = (
        select(Membership, User)
        .join(User, User.id == Membership.user_id)
        .where(Membership.tenant_id == tenant.id)
        .order_by(User.family_name, User.given_name, User.email, Membership.id)
    )
    if user_id is not None:
        query = query.where(Membership.user_id == user_id)
    grouped: dict[int, tuple[User, list[Membership]]] = {}
    for membership, user in db.session.execute(query):
        grouped.setdefault(user.id, (user, []))[1].append(membership)
    return [_member(user, memberships) for user, memberships in grouped.values()]


def _member(user: User, memberships: list[Membership]) -> StaffMember:
    memberships.sort(key=lambda membership: ROLES.index(membership.role))
    deputy_id = next((m.deputy_id for m in memberships if m.deputy_id), None)
    deputy = db.session.get(User, deputy_id) if deputy_id else None
    return StaffMember(user=user, memberships=memberships, deputy=deputy)


def staff_member(tenant: Tenant, user_id: int) -> StaffMember | None:
    """One member of the tenant's staff, or None when they hold no role there."""
    found = staff(tenant, user_id)
    return found[0] if found else None


def admin_count(tenant: Tenant) -> int:
    """How many people administer the tenant."""
    query = select(func.count(func.distinct(Membership.user_id))).where(
        Membership.tenant_id == tenant.id, Membership.role == "admin"
    )
    return int(db.session.scalar(query) or 0)


@dataclass(frozen=True)
class AuditRow:
    """One audit entry with the e-mail address of whoever made the change."""

    entry: AuditEntry
    actor_email: str | None


@dataclass(frozen=True)
class AuditPage:
    """A page of the audit log, newest first, and where the next (older) page starts."""

    rows: list[AuditRow]
    older_than: int | None


def audit_page(tenant: Tenant, before: int | None) -> AuditPage:
    """The tenant's audit entries older than the id ``before`` (the newest when None)."""
    query = (
        select(AuditEntry, User.email)
        .outerjoin(User, User.id == AuditEntry.actor_id)
        .where(AuditEntry.tenant_id == tenant.id)
        .order_by(AuditEntry.id.desc())
        .limit(AUDIT_PAGE_SIZE + 1)
    )
    if before is not None:
        query = query.where(AuditEntry.id < before)
    rows = [AuditRow(entry, email) for entry, email in db.session.execute(query)]
    more = len(rows) > AUDIT_PAGE_SIZE
    rows = rows[:AUDIT_PAGE_SIZE]
    return AuditPage(rows=rows, older_than=rows[-1].entry.id if more else None)


@dataclass(frozen=True)
class Closure:
    """A weekday the offices are closed: a public holiday (named) or a closing day."""

    day: date
    holiday: str | None


def upcoming_closures(tenant: Tenant, start: date, count: int = 10) -> list[Closure]:
    """The next weekdays from ``start`` on which the tenant's offices are closed."""
    calendar = calendar_for(tenant)
    found: list[Closure] = []
    day = start
    while len(found) < count and day < start + timedelta(days=366):
        if day.weekday() < 5 and not calendar.is_business_day(day):
            found.append(Closure(day, jpholiday.is_holiday_name(day)))
        day += timedelta(days=1)
    return found
