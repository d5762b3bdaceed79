"""Files attached to answers: stored by content, held in the answer as descriptors.

Uploads are read with a bound (never more than the field's limit plus one byte is held
in memory), checked by the form engine (kind by content, size), written to disk under
their sha256 and recorded as Attachment rows. The answer of the file field lists the
descriptors, which the engine checks again before submission.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping
from typing import Any

from flask import Response, send_file
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage

from forms import Field, Page, Problem
from forms.fields.files import (
    descriptor_problem,
    descriptors,
    inspect_upload,
    max_files,
    max_size,
)
from portal.accounts.models import User
from portal.applications.models import Application, Attachment, LockerDocument, attachment_key
from portal.core import storage
from portal.extensions import db
from workflows import Status

#: Kinds a browser may show inline; anything else is offered as a download. PDFs are
#: downloaded: browsers refuse their PDF viewer under a sandboxing policy, and a PDF
#: may carry scripts, so it is opened by the reader's own PDF application.
_INLINE = {"image/jpeg", "image/png"}


def file_fields(page: Page) -> list[Field]:
    """The file fields of a page."""
    return [f for f in page.fields if f.type == "file"]


def attach_uploads(
    application: Application,
    page: Page,
    uploads: Mapping[str, Iterable[FileStorage]],
    user: User,
    keep: Iterable[str] = (),
) -> list[Problem]:
    """Store the files chosen on a page; return the problems of the files refused.

    Files of the fields named in ``keep`` (the resident ticked "keep a copy") also go
    into the resident's document locker.
    """
    keep = set(keep)
    problems: list[Problem] = []
    for field in file_fields(page):
        held = list(descriptors(application.answers.get(field.id)))
        for upload in uploads.get(field.id, ()):
            if not upload or not upload.filename:
                continue  # the input was left empty
            if len(held) >= max_files(field):
                problems.append(Problem(field.id, "too_many_files", {"max": max_files(field)}))
                break
            try:
                data = upload.stream.read(max_size(field) + 1)
            finally:
                upload.close()  # spooled to a temporary file when large: release it now
            descriptor, found = inspect_upload(field, upload.filename, data)
            if found:
                problems += found
                continue
            held.append(_store(application, field, descriptor, data, user))
            if field.id in keep:
                keep_in_locker(user, descriptor)
        _set_files(application, field, held)
    return problems


def keep_in_locker(user: User, descriptor: Mapping[str, Any]) -> LockerDocument:
    """Put a stored file in the resident's locker (once per content)."""
    found = db.session.scalar(
        select(LockerDocument).where(
            LockerDocument.owner_id == user.id, LockerDocument.sha256 == descriptor["sha256"]
        )
    )
    if found is None:
        found = LockerDocument(
            owner_id=user.id,
            name=descriptor["name"],
            content_type=descriptor["type"],
            size=descriptor["size"],
            sha256=descriptor["sha256"],
        )
        db.session.add(found)
        db.session.flush()
    return found


def locker_of(user: User) -> list[LockerDocument]:
    """The resident's kept documents, newest first."""
    return list(
        db.session.scalars(
            select(LockerDocument)
            .where(LockerDocument.owner_id == user.id)
            .order_by(LockerDocument.id.desc())
        )
    )


def attach_from_locker(
    application: Application, page: Page, target: str, user: User
) -> list[Problem]:
    """Attach a kept document ("<field id>:<document id>") to a file question, without
    uploading it again; the field's limits apply as to an upload."""
    field_id, _sep, number = target.partition(":")
    field = next((f for f in file_fields(page) if f.id == field_id), None)
    document = db.session.get(LockerDocument, int(number)) if number.isdigit() else None
    if field is None or document is None or document.owner_id != user.id:
        return []  # not this resident's document, or not this page's question
    held = list(descriptors(application.answers.get(field.id)))
    if len(held) >= max_files(field):
        return [Problem(field.id, "too_many_files", {"max": max_files(field)})]
    descriptor = {
        "name": document.name,
        "size": document.size,
        "type": document.content_type,
        "sha256": document.sha256,
    }
    problem = descriptor_problem(field, {"id": "new", **descriptor})
    if problem is not None:
        return [problem]
    _set_files(application, field, [*held, _record(application, field, descriptor, user)])
    return []


def delete_from_locker(user: User, document_id: int) -> bool:
    """Delete a kept document; its file goes once no application holds it."""
    document = db.session.get(LockerDocument, document_id)
    if document is None or document.owner_id != user.id:
        return False
    db.session.delete(document)
    db.session.flush()
    return True  # the bytes go with prune_files once nothing refers to them


def _store(
    application: Application, field: Field, descriptor: dict[str, Any], data: bytes, user: User
) -> dict[str, Any]:
    # Content-addressed: writing the same bytes again is harmless, so the file may be
    # written before the commit; a rolled-back request leaves at most an unreferenced
    # file, never a row without its file.
    storage.save_content(attachment_key(descriptor["sha256"]), data)
    return _record(application, field, descriptor, user)


def _record(
    application: Application, field: Field, descriptor: Mapping[str, Any], user: User
) -> dict[str, Any]:
    """Add the row of an attachment whose bytes are stored; return its descriptor."""
    token = secrets.token_urlsafe(16)
    db.session.add(
        Attachment(
            token=token,
            application_id=application.id,
            owner_id=user.id,
            field_id=field.id,
            name=descriptor["name"],
            content_type=descriptor["type"],
            size=descriptor["size"],
            sha256=descriptor["sha256"],
        )
    )
    return {"id": token, **descriptor}


def _set_files(application: Application, field: Field, held: list[Any]) -> None:
    answers = dict(application.answers)
    if held:
        answers[field.id] = [dict(item) for item in held]
    else:
        answers.pop(field.id, None)
    application.answers = answers


def remove_attachment(application: Application, page: Page, token: str) -> bool:
    """Take a file off a draft's answer and delete it; False if it is not there."""
    if application.status != Status.DRAFT.value:
        return False
    for field in file_fields(page):
        held = descriptors(application.answers.get(field.id))
        kept = [item for item in held if item["id"] != token]
        if len(kept) != len(held):
            _set_files(application, field, kept)
            delete_attachment(application, token)
            return True
    return False


def _tokens(answers: Mapping[str, Any]) -> set[str]:
    return {item["id"] for value in answers.values() for item in descriptors(value)}


def release_unheld(
    application: Application, before: Mapping[str, Any], after: Mapping[str, Any]
) -> None:
    """Delete the attachments the answers held before and no longer hold (a question
    hidden by another answer, or its files replaced)."""
    for token in sorted(_tokens(before) - _tokens(after)):
        delete_attachment(application, token)


def delete_attachment(application: Application, token: str) -> None:
    """Delete an attachment's row, and its file once nothing else refers to it."""
    row = db.session.scalar(
        select(Attachment).where(
            Attachment.application_id == application.id, Attachment.token == token
        )
    )
    if row is None:
        return
    db.session.delete(row)
    db.session.flush()
    # The bytes may be shared, or being attached again by another request right now:
    # they are removed later by prune_files, once nothing has referred to them for a day.


#: Files are kept this long after they were written, whatever refers to them: a request
#: may have written a file and not yet committed the row that refers to it.
PRUNE_GRACE = 24 * 3600


def prune_files(grace: float = PRUNE_GRACE) -> int:
    """Delete stored attachment files that nothing refers to any more; return how many.

    Run daily (``flask prune-files``). Deleting here, not when a row goes, means a file
    shared by another application, a kept document or an upload in flight is never
    deleted from under it.
    """
    removed = 0
    for relative in storage.stale_files("attachments", grace):
        name = relative.rsplit("/", 1)[-1]
        # A leftover temporary file (a write that failed), or bytes no row refers to.
        if name.startswith(".") or (len(name) == 64 and not _still_used(name)):
            storage.delete(relative)
            removed += 1
    return removed


def _still_used(sha256: str) -> bool:
    """Whether an attachment or a kept document still refers to these bytes."""
    for model in (Attachment, LockerDocument):
        if db.session.scalar(select(func.count()).where(model.sha256 == sha256)):
            return True
    return False


def attachment_of(application: Application, token: str) -> Attachment:
    """The attachment with this token on this application, or None."""
    return db.session.scalar(
        select(Attachment).where(
            Attachment.application_id == application.id, Attachment.token == token
        )
    )


def file_response(attachment: Attachment | LockerDocument) -> Response:
    """Send a stored file so that it can never run as part of the portal.

    PDFs and images open in the browser inside a sandbox; anything else downloads. The
    type is the one the content was sniffed as, and nosniff stops browsers guessing.
    """
    inline = attachment.content_type in _INLINE
    response = send_file(
        storage.open_file(attachment.storage_key),
        mimetype=attachment.content_type,
        as_attachment=not inline,
        download_name=attachment.name,
        max_age=0,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "sandbox; default-src 'none'; img-src 'self'"
    response.headers["Cache-Control"] = "private, no-store"
    return response
