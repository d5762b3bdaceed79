"""Reads of the procedure catalogue."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from portal.catalog.models import Procedure, ProcedureVersion
from portal.core.models import utcnow
from portal.extensions import db
from portal.tenants.models import Tenant


def latest_version(procedure: Procedure) -> ProcedureVersion | None:
    """Return the newest published version of a procedure."""
    return db.session.scalar(
        select(ProcedureVersion)
        .where(ProcedureVersion.procedure_id == procedure.id)
        .order_by(ProcedureVersion.number.desc())
        .limit(1)
    )


def published_procedures(tenant: Tenant | None = None) -> list[tuple[Procedure, ProcedureVersion]]:
    """Return published procedures with their newest version, optionally for one tenant."""
    newest = (
        select(ProcedureVersion.procedure_id, func.max(ProcedureVersion.number).label("n"))
        .group_by(ProcedureVersion.procedure_id)
        .subquery()
    )
    query = (
        select(Procedure, ProcedureVersion)
        .join(newest, newest.c.procedure_id == Procedure.id)
        .join(
            ProcedureVersion,
            (ProcedureVersion.procedure_id == Procedure.id)
            & (ProcedureVersion.number == newest.c.n),
        )
        .where(Procedure.is_published.is_(True))
        .order_by(Procedure.tenant_id, Procedure.id)
    )
    if tenant is not None:
        query = query.where(Procedure.tenant_id == tenant.id)
    return [(row[0], row[1]) for row in db.session.execute(query)]


def procedure_by_slug(tenant: Tenant, slug: str) -> Procedure | None:
    """Return a tenant's procedure by its slug."""
    return db.session.scalar(
        select(Procedure).where(Procedure.tenant_id == tenant.id, Procedure.slug == slug)
    )


def most_used(
    procedures: list[tuple[Procedure, ProcedureVersion]], days: int = 90, limit: int = 5
) -> list[tuple[Procedure, ProcedureVersion]]:
    """The listed procedures with the most applications sent in the last ``days`` days."""
    from portal.applications.models import Application  # the catalogue is read by them

    since = utcnow() - timedelta(days=days)
    counts = dict(
        db.session.execute(
            select(ProcedureVersion.procedure_id, func.count(Application.id))
            .join(Application, Application.procedure_version_id == ProcedureVersion.id)
            .where(Application.submitted_at >= since)
            .group_by(ProcedureVersion.procedure_id)
        ).all()
    )
    used = [entry for entry in procedures if counts.get(entry[0].id)]
    used.sort(key=lambda entry: -counts[entry[0].id])
    return used[:limit]
