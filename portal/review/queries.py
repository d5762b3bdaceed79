"""Reads for the staff back office, always scoped to one tenant."""

from __future__ import annotations

from sqlalchemy import Select, func, select

from portal.applications.models import Application
from portal.decisions.models import Decision, Notice
from portal.extensions import db
from portal.tenants.models import Tenant
from workflows import Status

OPEN = tuple(s.value for s in Status if s.is_open)
TABS = ("mine", "open", "closed")


def _tab_query(tenant: Tenant, roles: frozenset[str], tab: str) -> Select[tuple[Application]]:
    query = select(Application).where(Application.tenant_id == tenant.id)
    if tab == "mine":
        return query.where(Application.status.in_(OPEN), Application.current_role.in_(roles))
    if tab == "open":
        return query.where(Application.status.in_(OPEN))
    closed = tuple(s.value for s in Status if s.is_final)
    return query.where(Application.status.in_(closed))


def inbox(tenant: Tenant, roles: frozenset[str], tab: str, limit: int = 50) -> list[Application]:
    """Applications in one tab of the inbox, oldest submission first (first in, first out)."""
    query = _tab_query(tenant, roles, tab).order_by(Application.submitted_at, Application.id)
    return list(db.session.scalars(query.limit(limit)))


def tab_counts(tenant: Tenant, roles: frozenset[str]) -> dict[str, int]:
    """How many applications each tab holds."""
    counts = {}
    for tab in TABS:
        sub = _tab_query(tenant, roles, tab).subquery()
        counts[tab] = db.session.scalar(select(func.count()).select_from(sub)) or 0
    return counts


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
