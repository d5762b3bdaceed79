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
    #: Archived procedures are withdrawn and hidden from the builder's list; their
    #: versions stay, because applications point at them.
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: Offered in the shared template library (フォームシェア): other governments may
    #: copy the newest published version and adapt it.
    is_template: Mapped[bool] = mapped_column(default=False, server_default="0")

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


class ProcedureDraft(db.Model):  # type: ignore[name-defined,misc]
    """The procedure as its owners are editing it, before it is published.

    One draft per procedure, edited in place (the builder's pages each change one part),
    with an optimistic lock so that two owners editing at once cannot overwrite each
    other. Publishing copies the document into a new immutable version.
    """

    __tablename__ = "procedure_draft"

    id: Mapped[int] = mapped_column(primary_key=True)
    procedure_id: Mapped[int] = mapped_column(ForeignKey("procedure.id"), unique=True)
    document: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    #: Answers given in "preview as a resident", per user id: never an application.
    preview_answers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    lock_version: Mapped[int] = mapped_column(default=1)

    procedure: Mapped[Procedure] = relationship()

    __mapper_args__ = {"version_id_col": lock_version}


class ImmutableVersionError(RuntimeError):
    """A published procedure version was about to be changed or deleted."""


@event.listens_for(ProcedureVersion, "before_update")
@event.listens_for(ProcedureVersion, "before_delete")
def _refuse_change(mapper: Any, connection: Any, target: ProcedureVersion) -> None:
    """Applications point at versions: a change would rewrite what people applied for."""
    raise ImmutableVersionError(f"procedure version {target.id} is published and immutable")
