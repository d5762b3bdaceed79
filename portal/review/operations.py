"""Staff actions on applications, checked by the approval engine."""

from __future__ import annotations

from portal.accounts.models import User
from portal.applications.models import Application
from portal.applications.operations import Refused, perform
from portal.decisions.operations import record_decision
from workflows import Action, ActionKind, Actor


def act(
    application: Application,
    user: User,
    roles: frozenset[str],
    kind: str,
    reason: str,
    seen_version: int,
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
    outcome = perform(application, action, actor, user)
    for event in outcome.events:
        if event.decision is not None:
            record_decision(application, user, event.decision, event.reason)
