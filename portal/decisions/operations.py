"""Recording decisions and rendering their notices."""

from __future__ import annotations

import hashlib
import secrets

from flask import url_for

from portal.accounts.models import User
from portal.applications.models import Application
from portal.core.jobs import enqueue
from portal.core.mail import send_mail
from portal.core.models import utcnow
from portal.decisions.models import Decision, Notice
from portal.extensions import db


def record_decision(application: Application, user: User, outcome: str, reason: str) -> Decision:
    """Record a decision, give it a document number, and ask for its notice."""
    decision = Decision(
        application=application,
        outcome=outcome,
        reason=reason,
        decided_by=user,
        decided_at=utcnow(),
    )
    db.session.add(decision)
    db.session.flush()
    # The database id makes the number unique without a counter to lock.
    decision.document_number = f"{application.tenant.document_symbol}第{decision.id}号"
    notice = Notice(decision=decision, public_id=secrets.token_hex(10), state="pending")
    db.session.add(notice)
    db.session.flush()
    enqueue("render_notice", notice.id)
    send_mail(
        application.applicant.email,
        "decision_made",
        locale=application.applicant.locale,
        application=application,
        link=url_for("applications.detail", application_id=application.id, _external=True),
    )
    return decision


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
