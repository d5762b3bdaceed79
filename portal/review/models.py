"""Tasks: the open steps of applications, one row per position that must act.

A review or decision stage has one task; a consultation (合議) has one per consulted
position still to answer; a reading afterwards (後閲) is a task for one person. Tasks are
derived from the case state by ``portal.review.tasks`` at every step, so the inbox can
find "what waits for my positions" through an index instead of evaluating routes.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.accounts.models import User
from portal.applications.models import Application
from portal.core.models import UTCDateTime, utcnow
from portal.extensions import db

TASK_KINDS = ("act", "consult", "post_review")


class Task(db.Model):  # type: ignore[name-defined,misc]
    """One open (or done) step of an application for a position or a person."""

    __tablename__ = "task"
    __table_args__ = (
        CheckConstraint(f"kind IN {TASK_KINDS}", name="kind"),
        CheckConstraint("kind = 'post_review' OR role IS NOT NULL", name="position_for_work"),
        CheckConstraint("kind != 'post_review' OR user_id IS NOT NULL", name="reader"),
        # "My tasks" and "my departments": open tasks of a position or department, in due
        # order (the id settles ties and is the keyset's second column). Partial, so that
        # the years of done tasks never weigh on the inbox.
        Index(
            "ix_task_open_position",
            "tenant_id",
            "role",
            "department",
            "due_on",
            "id",
            postgresql_where=text("done_at IS NULL"),
            sqlite_where=text("done_at IS NULL"),
        ),
        Index(
            "ix_task_open_department",
            "tenant_id",
            "department",
            "due_on",
            "id",
            postgresql_where=text("done_at IS NULL"),
            sqlite_where=text("done_at IS NULL"),
        ),
        Index("ix_task_reader", "user_id", "done_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id"), index=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenant.id"))
    kind: Mapped[str] = mapped_column(String(20))
    stage_id: Mapped[str] = mapped_column(String(40))
    #: The position that must act (work tasks); the department is a route code.
    role: Mapped[str | None] = mapped_column(String(40))
    department: Mapped[str | None] = mapped_column(String(40))
    #: The person who owes a reading afterwards (後閲 tasks).
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    #: The application's due date, copied so that "my tasks" sorts by it from the index.
    due_on: Mapped[date | None]
    #: The stage's own time limit, when the route gives the stage one.
    stage_due_on: Mapped[date | None]
    #: Why a reading afterwards is owed: "deputy" (代決) or "skipped" (引き上げ).
    note: Mapped[str] = mapped_column(String(20), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    application: Mapped[Application] = relationship()
    user: Mapped[User | None] = relationship()
