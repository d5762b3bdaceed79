"""Procedures and their immutable published versions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.core.models import UTCDateTime, utcnow
from portal.extensions import db
from portal.tenants.models import Department, Tenant


class Procedure(db.Model):  # type: ignore[name-defined,misc]
    """An administrative procedure a tenant offers online."""

    __tablename__ = "procedure"
    __table_args__ = (UniqueConstraint("tenant_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenant.id"), index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"))
    slug: Mapped[str] = mapped_column(String(60))
    is_published: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    tenant: Mapped[Tenant] = relationship()
    department: Mapped[Department] = relationship()
    versions: Mapped[list[ProcedureVersion]] = relationship(
        back_populates="procedure", order_by="ProcedureVersion.number"
    )


class ProcedureVersion(db.Model):  # type: ignore[name-defined,misc]
    """One published definition of a procedure; never changed once written."""

    __tablename__ = "procedure_version"
    __table_args__ = (UniqueConstraint("procedure_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    procedure_id: Mapped[int] = mapped_column(ForeignKey("procedure.id"), index=True)
    number: Mapped[int]
    document: Mapped[dict[str, Any]] = mapped_column(JSON)
    checksum: Mapped[str] = mapped_column(String(64))
    published_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    procedure: Mapped[Procedure] = relationship(back_populates="versions")


class ImmutableVersionError(RuntimeError):
    """A published procedure version was about to be changed or deleted."""


@event.listens_for(ProcedureVersion, "before_update")
@event.listens_for(ProcedureVersion, "before_delete")
def _refuse_change(mapper: Any, connection: Any, target: ProcedureVersion) -> None:
    """Applications point at versions: a change would rewrite what people applied for."""
    raise ImmutableVersionError(f"procedure version {target.id} is published and immutable")
