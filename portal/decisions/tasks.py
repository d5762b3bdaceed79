"""The notice rendering job: idempotent, and a failure is recorded where staff see it."""

from __future__ import annotations

import logging

from portal.core.jobs import job
from portal.core.storage import save_bytes
from portal.decisions.context import notice_context
from portal.decisions.models import Notice
from portal.decisions.operations import store_rendered
from portal.decisions.sealing import seal_for, timestamp_url
from portal.extensions import db
from portal.pdf.render import render_pdf
from portal.pdf.seal import sign_pdf

log = logging.getLogger(__name__)


@job
def render_notice(notice_id: int) -> None:
    """Render a pending notice to PDF and seal it; a ready notice is left alone."""
    notice = db.session.get(Notice, notice_id)
    if notice is None or notice.state == "ready":
        return
    notice.attempts += 1
    tenant = notice.decision.application.tenant
    tsa = timestamp_url()
    try:
        pdf = render_pdf("notice.html", notice_context(notice))
        seal = seal_for(tenant)
        sealed = sign_pdf(
            pdf, seal, document_id=notice.public_id, location=tenant.name_ja, timestamp_url=tsa
        )
    except Exception as error:
        log.exception("notice %s could not be rendered and sealed", notice_id)
        notice.state = "failed"
        notice.error = f"{type(error).__name__}: {error}"[:2000]
        return
    path = save_bytes(f"notices/{notice.public_id}.pdf", sealed)
    store_rendered(notice, sealed, path, sealed_by=seal.subject, timestamped=tsa is not None)
