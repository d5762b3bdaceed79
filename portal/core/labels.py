"""Translated names of statuses, history events and route actions."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from portal.core.easy_japanese import resolved

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
    "entered_at_counter": _l("Started at the counter by staff for the resident (代理入力)"),
    "sent_at_counter": _l("Sent at the counter by staff for the resident (代理入力)"),
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
    """Return the translated label of a key, or the key itself when it has none (as
    gettext returned it: easy Japanese keeps its furigana for the page)."""
    found = resolved(table.get(key or "", key or ""))
    return found if isinstance(found, str) else str(found)


#: How a member of staff checked a resident's identity at the counter (代理入力).
IDENTITY_CHECK = {
    "my_number_card": _l("My Number Card"),
    "driving_licence": _l("Driving licence"),
    "residence_card": _l("Residence card"),
    "health_insurance_card": _l("Health insurance card with another document"),
    "passport": _l("Passport"),
    "known_in_person": _l("Known in person by the office (e.g. a regular visitor)"),
}


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
        "identity_label": lambda key: label(IDENTITY_CHECK, key),
        "staff_only_events": STAFF_ONLY_EVENTS,
    }
