"""The receipt (受付票): what was sent, when, to whom, as a PDF the resident keeps.

Rendered on request from records that never change once an application is sent (the
pinned version, the answers, the time of sending), so the same receipt comes out every
time. It lists each attached file with the start of its SHA-256, so a resident can show
which document they sent.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from forms import summary, to_seireki, to_wareki
from forms.fields.files import descriptors, format_size
from portal.applications.models import Application
from portal.catalog.definitions import computed_rows, fee_for, form_of
from portal.core.calendar import to_local_date, to_local_time
from portal.pdf.render import render_pdf


def receipt_context(application: Application) -> dict[str, Any]:
    """Plain values for templates/pdf/receipt.html (in Japanese, as official records)."""
    assert application.submitted_at is not None
    form = form_of(application.version)
    sent = to_local_time(application.submitted_at)
    tenant = application.tenant
    department = application.version.procedure.department
    return {
        "reference": application.reference,
        "procedure_title": application.version.document["title"]["ja"],
        "version": application.version.number,
        "issuer_office": f"{tenant.name_ja} {department.name_ja}",
        "office_phone": department.phone,
        "applicant": application.applicant.full_name,
        "sent_wareki": to_wareki(to_local_date(application.submitted_at)),
        "sent_seireki": to_seireki(to_local_date(application.submitted_at)),
        "sent_time": sent.strftime("%H:%M"),
        "answers": summary(form, application.answers, "ja"),
        "files": [
            {"name": f["name"], "size": format_size(f["size"]), "sha": f["sha256"][:16]}
            for value in application.answers.values()
            for f in descriptors(value)
        ],
        "fee": fee_for(application.version, application.answers),
        "computed": [
            {"label": row["label"], "text": row["text"]}
            for row in computed_rows(application.version, application.answers, "ja")
        ],
        "digest": answers_digest(application.answers),
    }


def answers_digest(answers: dict[str, Any]) -> str:
    """The SHA-256 of the answers as sent (canonical JSON), printed on the receipt."""
    canonical = json.dumps(answers, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def receipt_pdf(application: Application) -> bytes:
    """The receipt as PDF bytes."""
    return render_pdf("receipt.html", receipt_context(application))
