"""Staff actions on applications, checked by the approval engine."""

from __future__ import annotations

from datetime import date

from flask import url_for
from sqlalchemy import select

from portal.accounts.models import User
from portal.applications.history import append_event
from portal.applications.models import Application
from portal.catalog.definitions import form_of
from portal.core.mail import send_mail
from portal.core.refusals import Refused
from portal.decisions.operations import record_decision
from portal.extensions import db
from portal.review.authority import today
from portal.review.inbox import small_id
from portal.review.progress import perform
from portal.review.queries import tenant_staff_members
from portal.tenants.models import Membership, Tenant
from workflows import Action, ActionKind


def act(
    application: Application,
    user: User,
    action: Action,
    seen_version: int,
    fields: list[str] | None = None,
) -> None:
    """Take one route action as staff; raise Refused when it is not allowed now.

    ``seen_version`` is the version of the application the member of staff was
    looking at: acting on a page that has since changed is refused as stale.
    """
    if seen_version != application.lock_version:
        raise Refused("stale")
    if action.kind in (ActionKind.SUBMIT, ActionKind.RESUBMIT, ActionKind.WITHDRAW):
        raise Refused("not_permitted")  # the applicant's own actions have their own pages
    if action.kind is ActionKind.REQUEST_CORRECTION:
        asked = _fields_to_correct(application, fields or [])
    outcome = perform(application, action, user)
    if action.kind is ActionKind.REQUEST_CORRECTION:
        application.correction = {"fields": asked, "message": action.reason}
        send_mail(
            application.applicant.email,
            "correction_requested",
            locale=application.applicant.locale,
            application=application,
            message=action.reason,
            link=url_for("applications.detail", application_id=application.id, _external=True),
        )
    if action.kind is ActionKind.ABANDON:
        send_mail(
            application.applicant.email,
            "application_abandoned",
            locale=application.applicant.locale,
            application=application,
            reason=action.reason,
            link=url_for("applications.detail", application_id=application.id, _external=True),
        )
    for event in outcome.events:
        if event.decision is not None:
            record_decision(application, user, event.decision, event.reason)


def _fields_to_correct(application: Application, fields: list[str]) -> list[str]:
    """The questions named for correction, in form order; at least one is needed."""
    form = form_of(application.version)
    wanted = set(fields)
    asked = [f.id for f in form.fields() if f.id in wanted and f.type != "guidance"]
    if not asked:
        raise Refused("fields_required")
    return asked


#: Longest message to an applicant, in characters.
MESSAGE_LIMIT = 2000


def message_applicant(application: Application, user: User, text: str) -> None:
    """Write to the applicant: shown on their application and sent by e-mail.

    A message changes no status; it is an event in the history like any action.
    """
    text = text.strip()
    if not text or len(text) > MESSAGE_LIMIT:
        raise Refused("message_required")
    append_event(application, "message", user, reason=text)
    send_mail(
        application.applicant.email,
        "staff_message",
        locale=application.applicant.locale,
        application=application,
        message=text,
        link=url_for("applications.detail", application_id=application.id, _external=True),
    )


def add_internal_note(application: Application, user: User, text: str) -> None:
    """Write a note for colleagues; the resident never sees it."""
    text = text.strip()
    if not text or len(text) > MESSAGE_LIMIT:
        raise Refused("message_required")
    append_event(application, "internal_note", user, reason=text)


def set_absence(user: User, tenant: Tenant, until: str, deputy: str) -> None:
    """Mark a member of staff absent up to a day (empty: present) and name their deputy.

    The deputy acts for them meanwhile (代決) and the history says so; an empty deputy
    leaves nobody named.
    """
    try:
        last_day = date.fromisoformat(until) if until.strip() else None
    except ValueError as error:
        raise Refused("absence_date") from error
    if last_day is not None and last_day < today():
        raise Refused("absence_date")
    staff = {member.id for member in tenant_staff_members(tenant)} - {user.id}
    deputy_id = small_id(deputy)
    if deputy and deputy_id not in staff:
        raise Refused("deputy_unknown")
    user.absent_until = last_day
    memberships = db.session.scalars(
        select(Membership).where(Membership.user_id == user.id, Membership.tenant_id == tenant.id)
    )
    for membership in memberships:
        membership.deputy_id = deputy_id
