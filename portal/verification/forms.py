"""The two verification forms (look up an id; upload a PDF) and the upload's checks."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from werkzeug.datastructures import FileStorage
from wtforms import StringField
from wtforms.validators import InputRequired, Optional, ValidationError

from portal.verification.queries import DOCUMENT_ID, normalise_id

#: Notices are a few hundred kilobytes; anything far bigger is not one of them.
UPLOAD_LIMIT = 20 * 1024 * 1024
PDF_MAGIC = b"%PDF-"


class UploadError(ValueError):
    """An upload that is not a PDF we can check: a code for machines, a text for people."""

    def __init__(self, code: str, message: Any, status: int = 400) -> None:
        super().__init__(code)
        self.code, self.message, self.status = code, message, status


def read_pdf(storage: FileStorage | None) -> bytes:
    """The bytes of an uploaded PDF, refusing a missing, oversized or non-PDF file."""
    if storage is None or not storage.filename:
        raise UploadError("no_file", _l("Choose the PDF file of the notice."))
    data = storage.stream.read(UPLOAD_LIMIT + 1)
    if len(data) > UPLOAD_LIMIT:
        raise UploadError("too_large", _l("The file is larger than 20 MB."), status=413)
    if not data.startswith(PDF_MAGIC):
        raise UploadError("not_pdf", _l("The file is not a PDF."))
    return data


def _document_id(form: FlaskForm, field: StringField) -> None:
    if field.data and not DOCUMENT_ID.fullmatch(field.data):
        raise ValidationError(
            _l("A document id has 20 characters: the digits 0–9 and the letters a–f.")
        )


def _pdf(form: UploadForm, field: FileField) -> None:
    try:
        form.pdf = read_pdf(field.data)
    except UploadError as error:
        form.refusal = error
        raise ValidationError(str(error.message)) from error


def _normalised(value: str | None) -> str:
    return normalise_id(value or "")


_ID_INPUT = {"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"}


class LookupForm(FlaskForm):
    """Look a notice up by the document id printed on it (a GET form: no CSRF token)."""

    class Meta:
        csrf = False

    id = StringField(
        _l("Document id"),
        filters=[_normalised],
        validators=[InputRequired(_l("Enter the document id.")), _document_id],
        render_kw=_ID_INPUT,
    )


class UploadForm(FlaskForm):
    """Upload a notice's PDF, with its document id when the person has it."""

    pdf: bytes = b""
    refusal: UploadError | None = None

    document_id = StringField(
        _l("Document id (optional)"),
        filters=[_normalised],
        validators=[Optional(), _document_id],
        render_kw=_ID_INPUT,
    )
    file = FileField(
        _l("The notice's PDF file"), validators=[_pdf], render_kw={"accept": "application/pdf,.pdf"}
    )
