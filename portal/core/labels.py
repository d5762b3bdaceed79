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
}

ACTION = {
    "receive": _l("Mark as received"),
    "pass": _l("Pass on to the next step"),
    "return_to_previous": _l("Send back to the previous step"),
    "request_correction": _l("Ask the applicant to correct"),
    "approve": _l("Approve"),
    "reject": _l("Reject"),
    "withdraw": _l("Withdraw"),
}

ROLE = {"reviewer": _l("Reviewer"), "approver": _l("Approver"), "admin": _l("Administrator")}


def label(table: dict[str, object], key: str | None) -> str:
    """Return the translated label of a key, or the key itself when it has none."""
    return str(table.get(key or "", key or ""))


def helpers() -> dict[str, object]:
    """Template helpers for the label tables."""
    return {
        "status_label": lambda key: label(STATUS, key),
        "event_label": lambda key: label(EVENT, key),
        "action_label": lambda key: label(ACTION, key),
        "role_label": lambda key: label(ROLE, key),
    }
