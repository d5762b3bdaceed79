"""Applications entered by staff for a resident at the counter (代理入力).

People who struggle with digital tools can apply at the office: a member of staff
checks who they are, starts the application in the resident's name and fills it in
with them. The resident is the applicant (their account is found by e-mail address, or
made for them); the member of staff is recorded as having entered it, with how the
resident's identity was checked, in the application and in its history.
"""

from __future__ import annotations

import secrets

from sqlalchemy import select

from portal.accounts.models import User
from portal.accounts.operations import normalise_email, user_by_email
from portal.accounts.passwords import hash_password
from portal.applications.history import append_event
from portal.applications.models import Application
from portal.catalog.models import ProcedureVersion
from portal.core.labels import IDENTITY_CHECK
from portal.extensions import db
from portal.tenants.models import Membership
from workflows import Status

#: How the resident's identity was checked at the counter.
IDENTITY_CHECKS = IDENTITY_CHECK
#: Accounts of residents who have no e-mail address get one of this reserved domain:
#: nothing is ever sent there, and their notices go by post.
NO_MAILBOX = "no-mailbox.invalid"


def may_enter(application: Application, user: User) -> bool:
    """The applicant, or the member of staff entering it for them while still on staff."""
    if application.applicant_id == user.id:
        return True
    if application.entered_by_id != user.id:
        return False
    return (
        db.session.scalar(
            select(Membership.id)
            .where(Membership.user_id == user.id, Membership.tenant_id == application.tenant_id)
            .limit(1)
        )
        is not None
    )


def resident_for(email: str, family_name: str, given_name: str) -> User:
    """The resident's account by e-mail address, or a new one for them (no password:
    they can set one later with "forgot your password" if they have an address)."""
    address = normalise_email(email) if email.strip() else ""
    existing = user_by_email(address) if address else None
    if existing is not None:
        return existing
    resident = User(
        email=address or f"counter-{secrets.token_hex(8)}@{NO_MAILBOX}",
        family_name=family_name.strip(),
        given_name=given_name.strip(),
        # Unusable until the resident chooses a password with "forgot your password".
        password_hash=hash_password(secrets.token_urlsafe(32)),
    )
    db.session.add(resident)
    db.session.flush()
    return resident


def start_at_counter(
    staff: User, version: ProcedureVersion, resident: User, identity_check: str
) -> Application:
    """Start an application in the resident's name, recorded as entered by staff."""
    application = Application(
        tenant_id=version.procedure.tenant_id,
        department_id=version.procedure.department_id,
        version=version,
        applicant=resident,
        status=Status.DRAFT.value,
        answers={},
        entered_by_id=staff.id,
        identity_check=identity_check,
    )
    db.session.add(application)
    db.session.flush()
    append_event(
        application,
        "entered_at_counter",
        staff,
        to_status=Status.DRAFT.value,
        detail={"identity_check": identity_check, "applicant": resident.full_name},
    )
    return application


def record_sent(application: Application, staff: User) -> None:
    """Record that the member of staff sent the application for the resident."""
    append_event(
        application,
        "sent_at_counter",
        staff,
        detail={"identity_check": application.identity_check or ""},
    )
