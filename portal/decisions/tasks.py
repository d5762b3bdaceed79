"""The notice rendering job: idempotent, and a failure is recorded where staff see it."""

from __future__ import annotations

from portal.core.jobs import job
from portal.core.storage import save_bytes
from portal.decisions.context import notice_document
from portal.decisions.models import Notice
from portal.decisions.operations import store_rendered
from portal.decisions.sealing import seal_for, timestamp_url
from portal.extensions import db
from portal.pdf.render import render_pdf
from portal.pdf.seal import sign_pdf


def notice_failed(notice_id: int, *, error: Exception) -> None:
    """Record a failed try on the notice (the job's own changes were rolled back)."""
    notice = db.session.get(Notice, notice_id)
    if notice is None or notice.state == "ready":
        return
    notice.attempts += 1
    notice.state = "failed"
    notice.error = f"{type(error).__name__}: {error}"[:2000]


@job(on_failure=notice_failed)
def render_notice(notice_id: int) -> None:
    """Render a pending (or failed) notice to PDF and seal it; a ready notice is left alone.

    The row is locked for the job (on PostgreSQL), so two workers given the same notice
    render it once: the second finds it ready.
    """
    notice = db.session.get(Notice, notice_id, with_for_update=True)
    if notice is None or notice.state == "ready":
        return
    notice.attempts += 1
    tenant = notice.decision.application.tenant
    tsa = timestamp_url()
    template, context = notice_document(notice)
    pdf = render_pdf(template, context)
    seal = seal_for(tenant)
    sealed = sign_pdf(
        pdf, seal, document_id=notice.public_id, location=tenant.name_ja, timestamp_url=tsa
    )
    path = save_bytes(f"notices/{notice.public_id}.pdf", sealed)
    store_rendered(notice, sealed, path, sealed_by=seal.subject, timestamped=tsa is not None)
    notice.error = ""
