"""Reads about tenants and who works where."""

from __future__ import annotations

from sqlalchemy import select

from portal.accounts.models import User
from portal.extensions import db
from portal.tenants.models import Membership, Tenant


def tenant_by_slug(slug: str) -> Tenant | None:
    """Return the tenant with this slug, if any."""
    return db.session.scalar(select(Tenant).where(Tenant.slug == slug))


def all_tenants() -> list[Tenant]:
    """Return every tenant, the prefecture first."""
    return list(
        db.session.scalars(select(Tenant).order_by(Tenant.parent_id.is_not(None), Tenant.id))
    )


def staff_roles(user: User, tenant: Tenant) -> frozenset[str]:
    """Return the roles a user holds in a tenant (empty for residents)."""
    rows = db.session.scalars(
        select(Membership.role).where(
            Membership.user_id == user.id, Membership.tenant_id == tenant.id
        )
    )
    return frozenset(rows)


def staff_tenants(user: User) -> list[Tenant]:
    """Return the tenants where the user holds any staff role."""
    # A subquery rather than DISTINCT: PostgreSQL cannot compare the JSON columns.
    mine = select(Membership.tenant_id).where(Membership.user_id == user.id)
    query = select(Tenant).where(Tenant.id.in_(mine)).order_by(Tenant.id)
    return list(db.session.scalars(query))
