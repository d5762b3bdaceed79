"""The append-only history of an application, each event chained to the one before."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from portal.accounts.models import User
from portal.applications.models import Application, Event
from portal.core.models import utcnow

GENESIS = "0" * 64


def event_digest(event: Event) -> str:
    """Return the hash that seals an event together with the hash of the one before it."""
    body: dict[str, Any] = {
        "application": event.application_id,
        "seq": event.seq,
        "kind": event.kind,
        "actor": event.actor_id,
        "at": event.at.isoformat(),
        "from": event.from_status,
        "to": event.to_status,
        "stage": event.stage_id,
        "reason": event.reason,
    }
    if event.detail:
        # Only when present, so that events recorded before details existed keep their hash.
        body["detail"] = event.detail
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256((event.prev_hash + canonical).encode("utf-8")).hexdigest()


def append_event(
    application: Application,
    kind: str,
    actor: User | None,
    *,
    from_status: str | None = None,
    to_status: str | None = None,
    stage_id: str | None = None,
    reason: str = "",
    detail: dict[str, Any] | None = None,
) -> Event:
    """Add one event to the end of an application's history."""
    previous = application.events[-1] if application.events else None
    event = Event(
        application_id=application.id,
        seq=(previous.seq + 1) if previous else 1,
        kind=kind,
        actor_id=actor.id if actor else None,
        actor=actor,
        at=utcnow(),
        from_status=from_status,
        to_status=to_status,
        stage_id=stage_id,
        reason=reason,
        detail=detail or None,
        prev_hash=previous.hash if previous else GENESIS,
    )
    event.hash = event_digest(event)
    application.events.append(event)
    return event


def chain_is_intact(events: list[Event]) -> bool:
    """True when every event's hash matches its content and its predecessor."""
    previous = GENESIS
    for event in events:
        if event.prev_hash != previous or event_digest(event) != event.hash:
            return False
        previous = event.hash
    return True
