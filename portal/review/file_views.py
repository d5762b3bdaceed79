"""The staff viewer of an attachment: its details and the file itself, in the page.

PDFs open in the browser's own PDF viewer inside an iframe, images in an ``<img>``;
any other kind is offered as a download only. The plain file route of the review
blueprint (``review.attachment``) keeps downloading PDFs; the viewer frames a second
route that serves a PDF inline, to this origin's pages only.
"""

from __future__ import annotations

from flask import abort, render_template, send_file
from werkzeug.wrappers import Response

from forms.fields.files import KIND_LABELS, KINDS
from portal.applications import attachments
from portal.applications.models import Attachment
from portal.core import storage
from portal.core.policies import tenant_staff
from portal.review.views import bp, load_application

PDF = "application/pdf"
#: How the viewer shows the kinds it can show in the page: a PDF in a frame, an image in
#: an ``<img>``. Any other kind (HEIC, which browsers do not show, Word, Excel) downloads.
SHOWN = {PDF: "pdf", "image/jpeg": "image", "image/png": "image"}
#: The policy of a PDF shown in the viewer's frame. No ``sandbox``: Chromium's PDF
#: viewer refuses to render in a sandboxed document. Nothing may be fetched, and only
#: pages of the portal may frame it.
PDF_POLICY = "default-src 'none'; frame-ancestors 'self'"


def _attachment(application_id: int, token: str) -> Attachment:
    """The attachment of a submitted application of the tenant, or a 404."""
    found = attachments.attachment_of(load_application(application_id), token)
    if found is None:
        abort(404)
    return found


def _kind(content_type: str) -> str:
    """The kind of a file as people name it (PDF, PNG…), else its media type."""
    for kind, media_type in KINDS.items():
        if media_type == content_type:
            return KIND_LABELS[kind]
    return content_type


@bp.route("/<tenant_slug>/applications/<int:application_id>/files/<token>/view")
@tenant_staff
def file_viewer(tenant_slug: str, application_id: int, token: str) -> str:
    """Show a file of an application with its details, in the page when it can be."""
    found = _attachment(application_id, token)
    return render_template(
        "review/file.html",
        application=found.application,
        attachment=found,
        kind=_kind(found.content_type),
        shown=SHOWN.get(found.content_type),
    )


@bp.route("/<tenant_slug>/applications/<int:application_id>/files/<token>/inline")
@tenant_staff
def file_inline(tenant_slug: str, application_id: int, token: str) -> Response:
    """The bytes of a file for the viewer: a PDF inline and frameable by the portal only.

    Images and other kinds are sent as by the plain file route (images inline in a
    sandbox, anything else as a download).
    """
    found = _attachment(application_id, token)
    if found.content_type != PDF:
        return attachments.file_response(found)
    # The stored type was sniffed from the bytes at upload: this really is a PDF.
    response = send_file(
        storage.open_file(found.storage_key),
        mimetype=PDF,
        as_attachment=False,
        download_name=found.name,
        max_age=0,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = PDF_POLICY
    response.headers["X-Frame-Options"] = "SAMEORIGIN"
    response.headers["Cache-Control"] = "private, no-store"
    return response
