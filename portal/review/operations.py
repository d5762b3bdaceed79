"""Staff actions on applications, checked by the approval engine."""

from __future__ import annotations

from flask import url_for

from portal.accounts.models import User
from portal.applications.history import append_event
from portal.applications.models import Application
from portal.applications.operations import Refused, perform
from portal.catalog.definitions import form_of
from portal.core.mail import send_mail
from portal.decisions.operations import record_decision
from workflows import Action, ActionKind, Actor


def act(
    application: Application,
    user: User,
    roles: frozenset[str],
    kind: str,
    reason: str,
    seen_version: int,
    fields: list[str] | None = None,
) -> None:
    """Take one route action as staff; raise Refused when it is not allowed now.

    ``seen_version`` is the version of the application the member of staff was
    looking at: acting on a page that has since changed is refused as stale.
    """
    if seen_version != application.lock_version:
        raise Refused("stale")
    try:
        action = Action(ActionKind(kind), reason=reason.strip())
    except ValueError as error:
        raise Refused("not_permitted") from error
    actor = Actor(user_id=user.id, roles=roles, is_applicant=application.applicant_id == user.id)
    if action.kind is ActionKind.REQUEST_CORRECTION:
        asked = _fields_to_correct(application, fields or [])
    outcome = perform(application, action, actor, user)
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
