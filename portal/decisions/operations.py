"""Recording decisions, correcting (訂正) and revoking (取消し) them, and their notices.

Decisions are never edited. A correction is a new decision that supersedes the old one
(which then verifies as superseded); a revocation is a separate record with its reason.
"""

from __future__ import annotations

import hashlib
import secrets

from flask import url_for

from portal.accounts.models import User
from portal.applications.history import append_event
from portal.applications.models import Application
from portal.catalog.definitions import route_of
from portal.core.jobs import enqueue
from portal.core.mail import send_mail
from portal.core.models import utcnow
from portal.core.refusals import Refused
from portal.decisions.models import OUTCOMES, Decision, Notice, Revocation
from portal.decisions.queries import standing
from portal.extensions import db
from portal.review.authority import actor_for, context_for
from workflows import Position, StageKind, Status, deciding_position

#: Longest reason for a correction or a revocation, in characters.
REASON_LIMIT = 2000

#: The application's status that follows each outcome of a decision.
STATUS_OF_OUTCOME = {"approved": Status.COMPLETED.value, "rejected": Status.REJECTED.value}


def record_decision(application: Application, user: User, outcome: str, reason: str) -> Decision:
    """Record a decision, give it a document number, and ask for its notice."""
    decision = _new_decision(application, user, outcome, reason)
    _mail_applicant(application, "decision_made")
    return decision


def _new_decision(
    application: Application,
    user: User,
    outcome: str,
    reason: str,
    supersedes: Decision | None = None,
) -> Decision:
    """A new decision with its document number, and its notice queued for sealing."""
    decision = Decision(
        application=application,
        outcome=outcome,
        reason=reason,
        decided_by=user,
        decided_at=utcnow(),
        supersedes=supersedes,
    )
    db.session.add(decision)
    db.session.flush()
    # The database id makes the number unique without a counter to lock.
    decision.document_number = f"{application.tenant.document_symbol}第{decision.id}号"
    notice = Notice(decision=decision, public_id=secrets.token_hex(10), state="pending")
    db.session.add(notice)
    db.session.flush()
    enqueue("render_notice", notice.id)
    return decision


def _mail_applicant(application: Application, template: str, **context: object) -> None:
    send_mail(
        application.applicant.email,
        template,
        locale=application.applicant.locale,
        application=application,
        electronic=application.electronic_delivery_at is not None,
        link=url_for("applications.detail", application_id=application.id, _external=True),
        **context,
    )


# --- who may correct or revoke --------------------------------------------------------


def deciding_positions(application: Application) -> frozenset[Position]:
    """The positions that hold the authority to decide this application.

    For each decision stage of the route the application was filed on: the position its
    authority tiers (専決) name for these answers, and the stage's own position (the
    one a 専決 delegates from, who keeps the authority).
    """
    route = route_of(application.version)
    context = context_for(application, route)
    found: set[Position] = set()
    for stage in route.stages:
        if stage.kind is not StageKind.DECISION:
            continue
        found.add(deciding_position(stage, context))
        if stage.position is not None:
            found.add(stage.position.resolved(context.home_department))
    return frozenset(found)


def may_change_decision(user: User, application: Application) -> bool:
    """Whether ``user`` may correct or revoke the decisions on ``application``.

    The rule: a correction or a revocation is a new act of the authority that decided
    (処分庁), so only a member of staff who could make the decision itself may make it:
    someone who holds a deciding position of the route's decision stage (the position
    the authority tiers choose for these answers, or the stage's own position), in
    person or as the deputy (代決) of an absent holder, as the approval engine counts
    authority. Reviewers, chiefs and the tenant administrator do not, unless the route
    makes them the decider; nobody changes a decision on their own application.
    """
    if user.id == application.applicant_id:
        return False
    actor = actor_for(user, application)
    held = set(actor.positions)
    for positions in actor.deputy_for.values():
        held |= positions
    required = deciding_positions(application)
    return any(mine.covers(needed) for mine in held for needed in required)


def _check_change(user: User, decision: Decision, reason: str) -> str:
    """Refuse a correction or revocation that is not allowed; return the cleaned reason.

    Checked in this order: authority (not_deciding_authority), the decision's standing
    (decision_revoked, decision_superseded), then what was typed (change_reason).
    """
    if not may_change_decision(user, decision.application):
        raise Refused("not_deciding_authority")
    found = standing(decision)
    if found.revocation is not None:
        raise Refused("decision_revoked")
    if found.superseded_by is not None:
        raise Refused("decision_superseded")
    reason = reason.strip()
    if not reason or len(reason) > REASON_LIMIT:
        raise Refused("change_reason")
    return reason


# --- correction and revocation --------------------------------------------------------


def correct_decision(
    decision: Decision, user: User, outcome: str, grounds: str, reason: str
) -> Decision:
    """Correct (訂正) a decision: a new decision with its own number and notice.

    ``outcome`` and ``grounds`` are the corrected decision (the grounds are printed on
    the notice and are needed for a rejection, as the route requires them to reject);
    ``reason`` says why the earlier decision is corrected, and goes to the history and
    the e-mail. The earlier decision is left as it was and verifies as superseded; a
    decision is corrected at most once (the database holds one successor per decision),
    so a later correction corrects the newest decision.
    """
    reason = _check_change(user, decision, reason)
    grounds = grounds.strip()
    if outcome not in OUTCOMES:
        raise Refused("outcome_required")
    if outcome == "rejected" and not grounds:
        raise Refused("grounds_required")
    if len(grounds) > REASON_LIMIT:
        raise Refused("change_reason")
    application = decision.application
    corrected = _new_decision(application, user, outcome, grounds, supersedes=decision)
    before = application.status
    # Statuses change only through the engine's transitions; but a correction comes
    # after the case is final, where the engine allows nothing (there is no transition
    # out of completed or rejected). The status must still say what the decision in
    # force is, so it is set here, in the one operation that also records the new
    # decision and the history event that explains the change.
    application.status = STATUS_OF_OUTCOME[outcome]
    append_event(
        application,
        "decision_corrected",
        user,
        from_status=before,
        to_status=application.status,
        reason=reason,
        detail={
            "decision": corrected.document_number,
            "supersedes": decision.document_number,
            "outcome": outcome,
        },
    )
    _mail_applicant(application, "decision_corrected", reason=reason, outcome=outcome)
    return corrected


def revoke_decision(decision: Decision, user: User, reason: str) -> Revocation:
    """Revoke (取消し) a decision in force, with a reason shown on verification.

    The decision itself is not changed and the application keeps its status: the
    status tells how the procedure ended, the revocation record says that its outcome
    no longer stands (verification and both parties' pages show it). A revoked decision
    cannot be corrected; a superseded one is revoked through its successor.
    """
    reason = _check_change(user, decision, reason)
    revocation = Revocation(decision=decision, reason=reason, revoked_by=user, revoked_at=utcnow())
    db.session.add(revocation)
    db.session.flush()
    append_event(
        decision.application,
        "decision_revoked",
        user,
        reason=reason,
        detail={"decision": decision.document_number},
    )
    _mail_applicant(decision.application, "decision_revoked", reason=reason, decision=decision)
    return revocation


# --- electronic delivery (電子交付) ---------------------------------------------------


def consent_to_electronic_delivery(application: Application, user: User) -> bool:
    """Record the applicant's consent to receive notices electronically (once).

    Without it notices go by post and cannot be downloaded in the portal; with it the
    first download counts as receipt. Returns False when consent was already given.
    """
    if application.applicant_id != user.id:
        raise Refused("not_permitted")
    if application.status == Status.DRAFT.value:
        raise Refused("wrong_status")
    if application.electronic_delivery_at is not None:
        return False
    application.electronic_delivery_at = utcnow()
    append_event(application, "delivery_consent", user)
    return True


def mark_downloaded(notice: Notice) -> None:
    """Record the first time the resident downloaded a notice (appeal periods run from it)."""
    if notice.first_downloaded_at is None:
        notice.first_downloaded_at = utcnow()


def retry_notice(notice: Notice) -> None:
    """Queue a failed notice for rendering again."""
    if notice.state == "failed":
        notice.state = "pending"
        notice.error = ""
        enqueue("render_notice", notice.id)


def store_rendered(
    notice: Notice, pdf: bytes, path: str, *, sealed_by: str = "", timestamped: bool = False
) -> None:
    """Record a rendered (and sealed) notice's file, hash and seal."""
    notice.path = path
    notice.sealed_by = sealed_by
    notice.timestamped = timestamped
    notice.sha256 = hashlib.sha256(pdf).hexdigest()
    notice.state = "ready"
    notice.rendered_at = utcnow()
