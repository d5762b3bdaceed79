"""Public verification of notices: no sign-in, and nothing personal is ever shown.

``/verify/<id>`` is the address printed on every notice and in its QR code.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify, redirect, render_template, request, url_for
from werkzeug.exceptions import RequestEntityTooLarge

from portal.core.limits import UPLOADS_PER_ADDRESS
from portal.core.policies import public
from portal.extensions import csrf, limiter
from portal.verification import payloads, queries
from portal.verification.forms import UPLOAD_LIMIT, LookupForm, UploadError, UploadForm, read_pdf

bp = Blueprint("verification", __name__)

#: A status can change (a revocation, a correction): never serve a stale one.
NO_STORE = {"Cache-Control": "no-store", "X-Robots-Tag": "noindex"}


@bp.route("/verify")
@public
def index() -> Any:
    """The forms: type the document id, or upload the PDF; a typed id goes to its page."""
    lookup = LookupForm(request.args)
    if "id" in request.args:
        if lookup.validate():
            return redirect(url_for(".record", document_id=lookup.id.data))
        return _forms(lookup=lookup), 400
    return _forms(lookup=LookupForm(formdata=None))


@bp.route("/verify/<document_id>")
@public
def record(document_id: str) -> Any:
    """What the record says about a notice; unknown ids, well-formed or not, look alike."""
    found = queries.record_of(document_id)
    upload = UploadForm(formdata=None)
    page = render_template("verification/result.html", record=found, upload=upload)
    return page, 200 if found else 404, NO_STORE


@bp.route("/verify/<document_id>.json")
@public
def record_json(document_id: str) -> Any:
    """The same as the page, for machines."""
    found = queries.record_of(document_id)
    if found is None:
        return jsonify(payloads.unknown()), 404, _json_headers()
    return jsonify(payloads.record_payload(found)), 200, _json_headers()


@bp.route("/verify", methods=["POST"])
@limiter.limit(UPLOADS_PER_ADDRESS)
@public
def upload() -> Any:
    """Check an uploaded PDF against the records and its seal."""
    form = UploadForm()
    if not form.validate_on_submit():
        return _forms(upload=form), form.refusal.status if form.refusal else 400
    check = queries.check_file(form.pdf, form.document_id.data or "")
    page = render_template(
        "verification/result.html",
        record=check.record,
        check=check,
        upload=UploadForm(formdata=None),
    )
    return page, 404 if check.record is None else 200, NO_STORE


@bp.route("/api/verify", methods=["POST"])
@limiter.limit(UPLOADS_PER_ADDRESS)
@public
def upload_json() -> Any:
    """Check an uploaded PDF (multipart ``file``, optional ``id``), for machines."""
    request.max_content_length = UPLOAD_LIMIT + 64 * 1024
    try:
        pdf = read_pdf(request.files.get("file"))
    except RequestEntityTooLarge:
        return jsonify(error="too_large"), 413
    except UploadError as error:
        return jsonify(error=error.code), error.status
    typed = queries.normalise_id(request.form.get("id", ""))
    check = queries.check_file(pdf, typed)
    status = 404 if check.record is None else 200
    return jsonify(payloads.file_payload(check)), status, {"Cache-Control": "no-store"}


csrf.exempt(upload_json)


def _forms(lookup: LookupForm | None = None, upload: UploadForm | None = None) -> str:
    return render_template(
        "verification/index.html",
        lookup=lookup or LookupForm(formdata=None),
        upload=upload or UploadForm(formdata=None),
    )


def _json_headers() -> dict[str, str]:
    # Public facts, meant for other services: any origin may read them.
    return {**NO_STORE, "Access-Control-Allow-Origin": "*"}
