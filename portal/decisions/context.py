"""The plain values a notice template receives: strings and lists, no models."""

from __future__ import annotations

from typing import Any

import segno
from flask import current_app

from forms import summary, to_seireki, to_wareki
from portal.catalog.definitions import computed_rows, fee_for, form_of
from portal.core.calendar import to_local_date
from portal.decisions.models import Notice


def verification_url(public_id: str) -> str:
    """The public address where anyone can check a notice (printed and in the QR code)."""
    return f"{current_app.config['PORTAL_BASE_URL']}/verify/{public_id}"


def qr_data_uri(text: str) -> str:
    """A QR code of ``text`` as an SVG data: URI (the only kind of URL notices may fetch)."""
    return str(segno.make(text, error="m").svg_data_uri(scale=4, border=2))


def notice_context(notice: Notice) -> dict[str, Any]:
    """Collect what the notice shows, all as text (the official notice stays in Japanese)."""
    decision = notice.decision
    application = decision.application
    tenant = application.tenant
    document = application.version.document
    texts = document.get("notice", {})
    approved = decision.outcome == "approved"
    decided_on = to_local_date(decision.decided_at)
    department = application.version.procedure.department
    return {
        "document_number": decision.document_number or "",
        "date_wareki": to_wareki(decided_on),
        "date_seireki": to_seireki(decided_on),
        "addressee": application.applicant.full_name,
        "issuer_title": tenant.head_title,
        "government": tenant.name_ja,
        "issuer_office": f"{tenant.name_ja} {department.name_ja}",
        "office_phone": department.phone,
        "title": texts.get("approved_title" if approved else "rejected_title")
        or ("決定通知書" if approved else "不許可通知書"),
        "subject": texts.get("subject", ""),
        "body": texts.get("approved_body" if approved else "rejected_body", ""),
        "approved": approved,
        "reason": decision.reason,
        "reference": application.reference or "",
        "procedure_title": document["title"]["ja"],
        "submitted_on": to_wareki(to_local_date(application.submitted_at))
        if application.submitted_at
        else "",
        "answers": summary(form_of(application.version), application.answers, "ja"),
        "public_id": notice.public_id,
        "verify_url": verification_url(notice.public_id),
        "qr": qr_data_uri(verification_url(notice.public_id)),
        "fee": fee_for(application.version, application.answers),
        "computed": [
            {"label": row["label"], "text": row["text"]}
            for row in computed_rows(application.version, application.answers, "ja")
        ],
    }
