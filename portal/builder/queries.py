"""Reads for the procedure builder: who may edit what, drafts, the template library."""

from __future__ import annotations

from sqlalchemy import select

from portal.accounts.models import User
from portal.catalog.models import Procedure, ProcedureDraft, ProcedureVersion
from portal.catalog.queries import latest_version
from portal.extensions import db
from portal.tenants.models import Department, Membership, Tenant


def owned_departments(user: User, tenant: Tenant, roles: frozenset[str]) -> list[Department]:
    """The departments whose procedures the user may build: every one for administrators
    and for owners without a department, else those they own procedures for."""
    everything = list(
        db.session.scalars(
            select(Department).where(Department.tenant_id == tenant.id).order_by(Department.id)
        )
    )
    if "admin" in roles:
        return everything
    owned = set(
        db.session.scalars(
            select(Membership.department_id).where(
                Membership.user_id == user.id,
                Membership.tenant_id == tenant.id,
                Membership.role == "owner",
            )
        )
    )
    if None in owned:
        return everything
    return [department for department in everything if department.id in owned]


def may_edit(user: User, tenant: Tenant, roles: frozenset[str], procedure: Procedure) -> bool:
    """True when the user builds procedures of the procedure's department in its tenant."""
    if procedure.tenant_id != tenant.id:
        return False
    return procedure.department_id in {d.id for d in owned_departments(user, tenant, roles)}


def tenant_procedures(
    tenant: Tenant, departments: list[Department], archived: bool = False
) -> list[Procedure]:
    """The tenant's procedures in these departments, live or archived, newest first."""
    query = (
        select(Procedure)
        .where(
            Procedure.tenant_id == tenant.id,
            Procedure.department_id.in_([d.id for d in departments]),
            Procedure.archived_at.is_not(None) if archived else Procedure.archived_at.is_(None),
        )
        .order_by(Procedure.id.desc())
    )
    return list(db.session.scalars(query))


def draft_of(procedure: Procedure) -> ProcedureDraft | None:
    """The procedure's draft, if anyone has started editing it."""
    return db.session.scalar(
        select(ProcedureDraft).where(ProcedureDraft.procedure_id == procedure.id)
    )


def versions_of(procedure: Procedure) -> list[ProcedureVersion]:
    """Every published version of a procedure, newest first."""
    return list(
        db.session.scalars(
            select(ProcedureVersion)
            .where(ProcedureVersion.procedure_id == procedure.id)
            .order_by(ProcedureVersion.number.desc())
        )
    )


def template_library() -> list[tuple[Procedure, ProcedureVersion]]:
    """Procedures any government has shared as templates, with their newest version."""
    shared = db.session.scalars(
        select(Procedure)
        .where(Procedure.is_template.is_(True), Procedure.archived_at.is_(None))
        .order_by(Procedure.tenant_id, Procedure.id)
    )
    found = [(procedure, latest_version(procedure)) for procedure in shared]
    return [(procedure, version) for procedure, version in found if version is not None]


def slug_taken(tenant: Tenant, slug: str) -> bool:
    """True when the tenant already has a procedure with this address."""
    return (
        db.session.scalar(
            select(Procedure.id).where(Procedure.tenant_id == tenant.id, Procedure.slug == slug)
        )
        is not None
    )
