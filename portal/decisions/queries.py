"""Reads about decisions: which one stands, which were corrected (訂正) or revoked (取消し)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from portal.applications.models import Application
from portal.decisions.models import Decision, Notice, Revocation
from portal.extensions import db


@dataclass(frozen=True)
class Standing:
    """Where a decision stands: in force, corrected by a later one, or revoked."""

    decision: Decision
    superseded_by: Decision | None
    revocation: Revocation | None

    @property
    def in_force(self) -> bool:
        """Neither corrected nor revoked: the decision the resident should act on."""
        return self.superseded_by is None and self.revocation is None

    @property
    def state(self) -> str:
        """``revoked``, ``superseded`` or ``in_force`` (as verification reports it)."""
        if self.revocation is not None:
            return "revoked"
        return "superseded" if self.superseded_by is not None else "in_force"


def standing(decision: Decision) -> Standing:
    """Read whether a decision was corrected or revoked."""
    successor = db.session.scalar(select(Decision).where(Decision.supersedes_id == decision.id))
    revocation = db.session.scalar(select(Revocation).where(Revocation.decision_id == decision.id))
    return Standing(decision, successor, revocation)


def decision_of(application: Application, decision_id: int) -> Decision | None:
    """One decision on this application (None when it is another application's)."""
    return db.session.scalar(
        select(Decision).where(
            Decision.id == decision_id, Decision.application_id == application.id
        )
    )


def ready_notice_of(decision: Decision) -> Notice | None:
    """The newest ready notice of a decision, if its PDF is ready."""
    return db.session.scalar(
        select(Notice)
        .where(Notice.decision_id == decision.id, Notice.state == "ready")
        .order_by(Notice.id.desc())
        .limit(1)
    )
