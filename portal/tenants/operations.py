"""Changes to a tenant's set-up, each recorded in its audit log."""

from __future__ import annotations

from typing import Any

from portal.accounts.models import User
from portal.extensions import db
from portal.tenants.models import AuditEntry, Tenant


def record_change(
    tenant: Tenant, actor: User | None, action: str, subject: str, **detail: Any
) -> AuditEntry:
    """Append one entry to the tenant's audit log (in the same transaction as the change)."""
    entry = AuditEntry(
        tenant_id=tenant.id,
        actor_id=actor.id if actor else None,
        action=action,
        subject=subject[:200],
        detail=detail,
    )
    db.session.add(entry)
    db.session.flush()
    return entry
