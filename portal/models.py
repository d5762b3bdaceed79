"""Import every model so the metadata (and Alembic) sees the whole schema."""

from portal.accounts.models import User
from portal.applications.models import (
    Application,
    Attachment,
    Event,
    LockerDocument,
    Revision,
)
from portal.catalog.models import Procedure, ProcedureVersion
from portal.decisions.models import Decision, Notice, Revocation
from portal.review.models import Task
from portal.tenants.models import Department, Membership, Tenant

__all__ = [
    "Application",
    "Attachment",
    "LockerDocument",
    "Decision",
    "Department",
    "Event",
    "Membership",
    "Notice",
    "Procedure",
    "ProcedureVersion",
    "Revision",
    "Revocation",
    "Task",
    "Tenant",
    "User",
]
