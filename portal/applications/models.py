"""Applications and their append-only, hash-chained history."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.accounts.models import User
from portal.catalog.models import ProcedureVersion
from portal.core.models import UTCDateTime, utcnow
from portal.extensions import db
from portal.tenants.models import Tenant
from workflows import Status

STATUSES = tuple(status.value for status in Status)
OPEN_STATUSES = tuple(status.value for status in Status if status.is_open)


def _open_index(name: str, column: str) -> Index:
    """An index of open applications by ``column`` in due order (ties by id)."""
    where = text(f"status IN {OPEN_STATUSES}")
    return Index(name, column, "due_on", "id", postgresql_where=where, sqlite_where=where)


class Application(db.Model):  # type: ignore[name-defined,misc]
    """A resident's application, pinned to the procedure version it was filed on."""

    __tablename__ = "application"
    __table_args__ = (
        CheckConstraint(f"status IN {STATUSES}", name="status"),
        CheckConstraint("status = 'draft' OR reference IS NOT NULL", name="reference_on_submit"),
        # The inbox lists open applications by due date; partial indexes keep that fast
        # however many closed ones the years pile up: for the whole tenant, for staff who
        # see their departments only, and for the procedure filter.
        _open_index("ix_application_open_due", "tenant_id"),
        _open_index("ix_application_open_department_due", "department_id"),
        _open_index("ix_application_open_version_due", "procedure_version_id"),
        Index("ix_application_tenant_submitted", "tenant_id", "submitted_at", "id"),
        Index("ix_application_department_submitted", "department_id", "submitted_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenant.id"))
    procedure_version_id: Mapped[int] = mapped_column(ForeignKey("procedure_version.id"))
    applicant_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    reference: Mapped[str | None] = mapped_column(String(20), unique=True)
    status: Mapped[str] = mapped_column(String(30), default=Status.DRAFT.value)
    stage_index: Mapped[int | None]
    #: The department that owns the procedure (copied so the inbox can filter on it).
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"))
    #: Who has taken the current step (claim or reassignment), if anyone.
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    #: Keys of the positions that consented to / objected in the current consultation (合議).
    consents: Mapped[list[str]] = mapped_column(JSON, default=list)
    objections: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: End of the standard processing period, computed by the business-day calendar at
    #: each step (never typed in); kept while a correction pauses the clock.
    due_on: Mapped[date | None]
    #: When the applicant agreed to receive notices electronically (電子交付の同意) for this
    #: application; None: notices go by post.
    electronic_delivery_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: The name the applicant typed to sign a declaration (記名), for procedures whose seal
    #: replacement level is "declaration"; None for the others.
    signed_name: Mapped[str | None] = mapped_column(String(200))
    #: The member of staff who entered the application for the resident at the counter
    #: (代理入力), and how they checked who the resident is; None when the resident did.
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    identity_check: Mapped[str | None] = mapped_column(String(40))
    #: When the case reached its current stage (the start of the stage's own time limit).
    stage_entered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    answers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    #: While a correction (補正) is asked for: {"fields": [ids], "message": text}.
    correction: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: Optimistic lock: two people acting on the same state cannot both succeed.
    lock_version: Mapped[int] = mapped_column(default=1)

    tenant: Mapped[Tenant] = relationship()
    version: Mapped[ProcedureVersion] = relationship()
    applicant: Mapped[User] = relationship(foreign_keys=[applicant_id])
    entered_by: Mapped[User | None] = relationship(foreign_keys=[entered_by_id])
    assignee: Mapped[User | None] = relationship(foreign_keys=[assignee_id])
    events: Mapped[list[Event]] = relationship(back_populates="application", order_by="Event.seq")

    __mapper_args__ = {"version_id_col": lock_version}

    @property
    def status_enum(self) -> Status:
        """The status as the engine's enum."""
        return Status(self.status)


class Event(db.Model):  # type: ignore[name-defined,misc]
    """One thing that happened to an application; rows are only ever inserted.

    Each row carries the hash of the previous one, so a removed or edited row
    breaks the chain and shows.
    """

    __tablename__ = "application_event"
    __table_args__ = (UniqueConstraint("application_id", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id"))
    seq: Mapped[int]
    kind: Mapped[str] = mapped_column(String(40))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    from_status: Mapped[str | None] = mapped_column(String(30))
    to_status: Mapped[str | None] = mapped_column(String(30))
    stage_id: Mapped[str | None] = mapped_column(String(40))
    reason: Mapped[str] = mapped_column(Text, default="")
    #: Facts of the step beyond the reason: 代決 (on_behalf_of), 引き上げ (skipped),
    #: the consulted position, the authority tier, the assignee. Part of the hash.
    detail: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))

    application: Mapped[Application] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship()


class Attachment(db.Model):  # type: ignore[name-defined,misc]
    """A file a resident attached to an answer of an application.

    The bytes live on disk under their sha256 (content-addressed: the same document
    attached twice is stored once); the row says whose it is and where it belongs.
    The token, not the row id, names the file in URLs and in the stored answer.
    """

    __tablename__ = "attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(32), unique=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id"), index=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    field_id: Mapped[str] = mapped_column(String(200))
    name: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    application: Mapped[Application] = relationship()

    @property
    def storage_key(self) -> str:
        """Where the bytes are, under the data folder."""
        return attachment_key(self.sha256)


def attachment_key(sha256: str) -> str:
    """The storage path of a file with this sha256."""
    return f"attachments/{sha256[:2]}/{sha256}"


class LockerDocument(db.Model):  # type: ignore[name-defined,misc]
    """A document a resident chose to keep for later applications (once-only).

    Kept only with the resident's consent, deleted whenever they ask; the bytes are
    shared with the attachments made from it (content-addressed), so deleting it here
    never takes a file away from an application already sent.
    """

    __tablename__ = "locker_document"
    __table_args__ = (UniqueConstraint("owner_id", "sha256"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    @property
    def storage_key(self) -> str:
        """Where the bytes are, under the data folder."""
        return attachment_key(self.sha256)


class Revision(db.Model):  # type: ignore[name-defined,misc]
    """The answers as sent: once at submission, again at each corrected resubmission.

    Rows are only inserted, so every version a resident sent stays in the history.
    """

    __tablename__ = "application_revision"
    __table_args__ = (UniqueConstraint("application_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id"))
    number: Mapped[int]
    answers: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
