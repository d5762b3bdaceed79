"""Translated names of statuses, history events and route actions."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

STATUS = {
    "draft": _l("Saved draft"),
    "submitted": _l("Sent"),
    "received": _l("Received"),
    "under_review": _l("Under review"),
    "correction_requested": _l("Correction requested"),
    "completed": _l("Completed"),
    "rejected": _l("Rejected"),
    "withdrawn": _l("Withdrawn"),
    "abandoned": _l("Closed without a decision"),
}

EVENT = {
    "started": _l("Started"),
    "moved_to_version": _l("Moved to the updated form"),
    "submit": _l("Sent by the applicant"),
    "receive": _l("Received"),
    "pass": _l("Reviewed and passed on"),
    "return_to_previous": _l("Sent back to the previous step"),
    "request_correction": _l("Correction requested"),
    "resubmit": _l("Corrected and sent again"),
    "approve": _l("Approved"),
    "reject": _l("Rejected"),
    "withdraw": _l("Withdrawn by the applicant"),
    "message": _l("Message from the office"),
    "internal_note": _l("Internal note"),
    "claim": _l("Taken on"),
    "reassign": _l("Handed to a colleague"),
    "consent": _l("Consented (consultation)"),
    "object": _l("Objected (consultation)"),
    "abandon": _l("Closed without a decision"),
    "post_review": _l("Read afterwards"),
    "decision_corrected": _l("Decision corrected"),
    "decision_revoked": _l("Decision revoked"),
    "delivery_consent": _l("Agreed to receive notices electronically"),
}

#: History events about the office's internal work: staff see them, the applicant does not.
STAFF_ONLY_EVENTS = frozenset(
    {"internal_note", "claim", "reassign", "consent", "object", "post_review", "return_to_previous"}
)

ACTION = {
    "receive": _l("Mark as received"),
    "pass": _l("Pass on to the next step"),
    "return_to_previous": _l("Send back to an earlier step"),
    "request_correction": _l("Ask the applicant to correct"),
    "approve": _l("Approve"),
    "reject": _l("Reject"),
    "withdraw": _l("Withdraw"),
    "claim": _l("Take this on"),
    "reassign": _l("Hand to a colleague"),
    "consent": _l("Consent"),
    "object": _l("Object"),
    "abandon": _l("Close without a decision"),
}

ROLE = {
    "reviewer": _l("Reviewer"),
    "chief": _l("Chief"),
    "approver": _l("Approver"),
    "section_chief": _l("Section chief"),
    "director": _l("Director"),
    "admin": _l("Administrator"),
    "owner": _l("Procedure owner"),
}


def label(table: dict[str, object], key: str | None) -> str:
    """Return the translated label of a key, or the key itself when it has none."""
    return str(table.get(key or "", key or ""))


def status_label(key: str | None) -> str:
    """The translated name of a status."""
    return label(STATUS, key)


def helpers() -> dict[str, object]:
    """Template helpers for the label tables."""
    return {
        "status_label": status_label,
        "event_label": lambda key: label(EVENT, key),
        "action_label": lambda key: label(ACTION, key),
        "role_label": lambda key: label(ROLE, key),
        "staff_only_events": STAFF_ONLY_EVENTS,
    }
