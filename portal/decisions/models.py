"""Decisions (never edited) and the PDF notices that carry them to residents."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.accounts.models import User
from portal.applications.models import Application
from portal.core.models import UTCDateTime, utcnow
from portal.extensions import db

OUTCOMES = ("approved", "rejected")
NOTICE_STATES = ("pending", "ready", "failed")


class Decision(db.Model):  # type: ignore[name-defined,misc]
    """The decision on an application, with its official document number."""

    __tablename__ = "decision"
    __table_args__ = (CheckConstraint(f"outcome IN {OUTCOMES}", name="outcome"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id"), index=True)
    outcome: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text, default="")
    decided_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    document_number: Mapped[str | None] = mapped_column(String(40), unique=True)
    #: The decision this one corrects (訂正): the earlier one then verifies as superseded.
    #: Decisions are never edited; a correction is always a new decision.
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("decision.id"), unique=True)

    application: Mapped[Application] = relationship()
    decided_by: Mapped[User] = relationship()
    notices: Mapped[list[Notice]] = relationship(back_populates="decision")
    supersedes: Mapped[Decision | None] = relationship(remote_side=[id])


class Notice(db.Model):  # type: ignore[name-defined,misc]
    """A PDF notice of a decision; rendered by a job after the decision is committed."""

    __tablename__ = "notice"
    __table_args__ = (CheckConstraint(f"state IN {NOTICE_STATES}", name="state"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("decision.id"), index=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True)
    state: Mapped[str] = mapped_column(String(20), default="pending")
    path: Mapped[str | None] = mapped_column(String(200))
    #: Indexed: the verification page looks an uploaded file up by its hash.
    sha256: Mapped[str | None] = mapped_column(String(64), index=True)
    error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    rendered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    first_downloaded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: Who the seal certificate names (e.g. みどり県知事), and whether a timestamp
    #: authority countersigned the time of sealing.
    sealed_by: Mapped[str] = mapped_column(String(200), default="")
    timestamped: Mapped[bool] = mapped_column(default=False)
    #: How many times rendering has been tried (the job retries a few times).
    attempts: Mapped[int] = mapped_column(default=0)

    decision: Mapped[Decision] = relationship(back_populates="notices")


class Revocation(db.Model):  # type: ignore[name-defined,misc]
    """The revocation (取消し) of a decision: a reason, shown on verification.

    A separate record, so that the decision itself is never changed.
    """

    __tablename__ = "decision_revocation"

    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("decision.id"), unique=True)
    reason: Mapped[str] = mapped_column(Text)
    revoked_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    revoked_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    decision: Mapped[Decision] = relationship()
    revoked_by: Mapped[User] = relationship()
