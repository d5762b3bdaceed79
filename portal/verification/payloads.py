"""The JSON answers for machines: the same facts as the page, in Japanese as issued."""

from __future__ import annotations

from typing import Any

from portal.pdf.seal import SignatureCheck
from portal.verification.queries import UNKNOWN, FileCheck, Record


def unknown() -> dict[str, Any]:
    """All that is said about an unknown document: nothing but that."""
    return {"status": UNKNOWN}


def record_payload(record: Record) -> dict[str, Any]:
    """The public facts of a notice, looked up by its document id."""
    return {
        "document_id": record.document_id,
        "status": record.status,
        "issuer": record.issuer,
        "issuing_office": f"{record.government['ja']} {record.department['ja']}",
        "issued_on": record.issued_on.isoformat(),
        "subject": record.subject,
        "document_number": record.document_number,
        "superseded_by": record.superseded_by,
        "revocation": _revocation(record),
        "sealed_by": record.sealed_by,
        "timestamped": record.timestamped,
        "signature": None,
    }


def file_payload(check: FileCheck) -> dict[str, Any]:
    """The verdict on an uploaded file, with the record it was compared with."""
    if check.record is None:
        return unknown()
    return {
        **record_payload(check.record),
        "status": check.status,
        "record_status": check.record.status,
        "file_matches": check.matches,
        "signature": signature_payload(check.signature) if check.signature else None,
    }


def signature_payload(signature: SignatureCheck) -> dict[str, Any]:
    """What the file's electronic seal says, as checked with pyHanko."""
    return {
        "found": signature.found,
        "valid": signature.valid,
        "intact": signature.intact,
        "trusted": signature.trusted,
        "whole_file": signature.whole_file,
        "signer": signature.signer,
        "timestamped": signature.timestamped,
    }


def _revocation(record: Record) -> dict[str, str] | None:
    if record.revoked_on is None:
        return None
    return {"reason": record.revocation_reason or "", "revoked_on": record.revoked_on.isoformat()}
