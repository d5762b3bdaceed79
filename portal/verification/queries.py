"""What the public may learn about a notice: pure reads, no personal details.

A record carries plain values only (no models), so that a template or a JSON payload
cannot reach the applicant, the answers or the reference number by accident.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from portal.core.calendar import to_local_date
from portal.decisions.models import Notice
from portal.decisions.queries import ready_notice_of, standing
from portal.decisions.sealing import trust_roots
from portal.extensions import db
from portal.pdf.seal import SignatureCheck, check_signature

#: A document id as printed on notices: 20 lowercase hexadecimal digits.
DOCUMENT_ID = re.compile(r"[0-9a-f]{20}")

VALID, SUPERSEDED, REVOKED = "valid", "superseded", "revoked"
MODIFIED, UNKNOWN = "modified", "unknown"


@dataclass(frozen=True)
class Record:
    """The public facts of one issued notice and the current state of its decision."""

    document_id: str
    status: str
    issuer: str
    government: dict[str, str]
    department: dict[str, str]
    issued_on: date
    subject: str
    document_number: str
    sealed_by: str
    timestamped: bool
    superseded_by: str | None = None
    revocation_reason: str | None = None
    revoked_on: date | None = None


@dataclass(frozen=True)
class FileCheck:
    """The verdict on an uploaded file: its status, the record it claims, its seal."""

    status: str
    record: Record | None = None
    matches: bool = False
    signature: SignatureCheck | None = None


def normalise_id(value: str) -> str:
    """A document id as people type it: full-width folded, spaces and hyphens dropped."""
    return re.sub(r"[\s\-‐‑–—ー]", "", unicodedata.normalize("NFKC", value)).lower()


def record_of(document_id: str) -> Record | None:
    """The record of a ready notice, or None for an unknown or malformed id."""
    notice = _ready_notice(document_id)
    return _record(notice) if notice else None


def check_file(pdf: bytes, document_id: str = "") -> FileCheck:
    """Compare an uploaded PDF with the records and check its seal.

    The id the person typed wins when it is known; otherwise the file's own hash, then
    the id its signature field names, decide which record it is compared with.
    """
    digest = hashlib.sha256(pdf).hexdigest()
    signature = check_signature(pdf, trust_roots())
    notice = _ready_notice(document_id) if document_id else None
    if notice is None:
        notice = _notice_by_hash(digest) or _ready_notice(signature.document_id or "")
    if notice is None:
        return FileCheck(status=UNKNOWN)
    record = _record(notice)
    matches = notice.sha256 == digest
    status = record.status if matches else MODIFIED
    return FileCheck(status=status, record=record, matches=matches, signature=signature)


def _ready_notice(document_id: str) -> Notice | None:
    if not DOCUMENT_ID.fullmatch(document_id):
        return None
    return db.session.scalar(
        select(Notice).where(Notice.public_id == document_id, Notice.state == "ready")
    )


def _notice_by_hash(digest: str) -> Notice | None:
    return db.session.scalar(
        select(Notice).where(Notice.sha256 == digest, Notice.state == "ready").limit(1)
    )


def _record(notice: Notice) -> Record:
    decision = notice.decision
    application = decision.application
    tenant = application.tenant
    department = application.version.procedure.department
    document = application.version.document
    found = standing(decision)
    revocation, successor = found.revocation, found.superseded_by
    newer = ready_notice_of(successor) if successor else None
    return Record(
        document_id=notice.public_id,
        status=REVOKED if revocation else SUPERSEDED if successor else VALID,
        issuer=tenant.head_title,
        government={"ja": tenant.name_ja, "en": tenant.name_en},
        department={"ja": department.name_ja, "en": department.name_en},
        issued_on=to_local_date(decision.decided_at),
        subject=document.get("notice", {}).get("subject") or document["title"]["ja"],
        document_number=decision.document_number or "",
        sealed_by=notice.sealed_by,
        timestamped=notice.timestamped,
        superseded_by=newer.public_id if newer else None,
        revocation_reason=revocation.reason if revocation else None,
        revoked_on=to_local_date(revocation.revoked_at) if revocation else None,
    )
