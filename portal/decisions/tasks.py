"""The notice rendering job: idempotent, and a failure is recorded where staff see it."""

from __future__ import annotations

import logging

from portal.core.jobs import job
from portal.core.storage import save_bytes
from portal.decisions.context import notice_context
from portal.decisions.models import Notice
from portal.decisions.operations import store_rendered
from portal.extensions import db
from portal.pdf.render import render_pdf

log = logging.getLogger(__name__)


@job
def render_notice(notice_id: int) -> None:
    """Render a pending notice to PDF; a ready notice is left alone."""
    notice = db.session.get(Notice, notice_id)
    if notice is None or notice.state == "ready":
        return
    try:
        pdf = render_pdf("notice.html", notice_context(notice))
    except Exception as error:
        log.exception("notice %s could not be rendered", notice_id)
        notice.state = "failed"
        notice.error = f"{type(error).__name__}: {error}"[:2000]
        return
    path = save_bytes(f"notices/{notice.public_id}.pdf", pdf)
    store_rendered(notice, pdf, path)
