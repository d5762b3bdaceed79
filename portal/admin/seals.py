"""Checking an uploaded seal certificate (電子公印) before the portal signs with it.

Plain functions over bytes, so that each refusal can be tested without the web app:
``open_upload`` either returns the key, certificate and chain, or raises
``SealUploadError`` whose code says what is wrong with the file.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from asn1crypto import pkcs12 as asn1_pkcs12
from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID

#: A seal file holds a key and a few certificates: a few kilobytes.
MAX_SEAL_BYTES = 256 * 1024
#: How long before the end of its validity a seal is flagged for renewal.
RENEWAL_WARNING = timedelta(days=60)
#: Purposes that make a certificate one for TLS connections rather than for documents.
_TLS_PURPOSES = frozenset({ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH})


class SealUploadError(ValueError):
    """The uploaded file cannot become the seal; ``code`` says why."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class SealFile:
    """The parts of an accepted PKCS#12 file."""

    key: PrivateKeyTypes
    certificate: x509.Certificate
    chain: list[x509.Certificate]


@dataclass(frozen=True)
class SealSummary:
    """What the settings page says about a seal certificate."""

    subject: str
    issuer: str
    not_before: datetime
    not_after: datetime
    trusted: bool
    expired: bool
    expires_soon: bool


def open_upload(data: bytes, passphrase: bytes | None, now: datetime) -> SealFile:
    """Open an uploaded PKCS#12 file and check it can seal documents at ``now``."""
    if len(data) > MAX_SEAL_BYTES or not is_pkcs12(data):
        raise SealUploadError("not_pkcs12")
    try:
        key, certificate, chain = pkcs12.load_key_and_certificates(data, passphrase or None)
    except UnsupportedAlgorithm as error:
        raise SealUploadError("unsupported") from error
    except ValueError as error:
        # The structure is PKCS#12 (checked above): what fails is the decryption.
        raise SealUploadError("wrong_passphrase") from error
    if key is None:
        # Without a key, cryptography returns the file's certificates as the chain.
        raise SealUploadError("no_key" if certificate or chain else "no_certificate")
    if certificate is None:
        raise SealUploadError("no_certificate")
    check_certificate(certificate, key, now)
    return SealFile(key=key, certificate=certificate, chain=list(chain))


def is_pkcs12(data: bytes) -> bool:
    """Whether the bytes are a PKCS#12 structure (PFX version 3), encrypted or not."""
    try:
        pfx = asn1_pkcs12.Pfx.load(data, strict=True)
        return bool(
            pfx["version"].native == "v3"
            and pfx["auth_safe"]["content_type"].native in ("data", "signed_data")
        )
    except Exception:  # asn1crypto raises several kinds on bytes that are not DER
        return False


def check_certificate(certificate: x509.Certificate, key: PrivateKeyTypes, now: datetime) -> None:
    """Refuse a certificate that is not the key's, not valid now, or not for sealing."""
    if _public_der(key) != certificate.public_key().public_bytes(*_SPKI):
        raise SealUploadError("key_mismatch")
    if now < certificate.not_valid_before_utc:
        raise SealUploadError("not_yet_valid")
    if now > certificate.not_valid_after_utc:
        raise SealUploadError("expired")
    if not _signs_documents(certificate):
        raise SealUploadError("not_a_seal")
    if _tls_only(certificate):
        raise SealUploadError("tls_only")


_SPKI = (serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)


def _public_der(key: PrivateKeyTypes) -> bytes:
    return key.public_key().public_bytes(*_SPKI)


def _signs_documents(certificate: x509.Certificate) -> bool:
    """KeyUsage allows digital signatures or non-repudiation (content commitment)."""
    try:
        usage = certificate.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        return False
    return bool(usage.digital_signature or usage.content_commitment)


def _tls_only(certificate: x509.Certificate) -> bool:
    """An ExtendedKeyUsage naming only TLS purposes (a web server's certificate)."""
    try:
        purposes = certificate.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    except x509.ExtensionNotFound:
        return False
    return set(purposes) <= _TLS_PURPOSES


def seal_bytes(seal: SealFile, passphrase: bytes) -> bytes:
    """The seal as a PKCS#12 file protected by the portal's own passphrase."""
    return pkcs12.serialize_key_and_certificates(
        name=b"seal",
        key=seal.key,  # type: ignore[arg-type]
        cert=seal.certificate,
        cas=seal.chain or None,
        encryption_algorithm=serialization.BestAvailableEncryption(passphrase),
    )


def store(path: Path, data: bytes) -> None:
    """Write a seal file atomically, readable by the portal's user only."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    # mkstemp creates the file with mode 0600; os.replace swaps it in at once, so a
    # notice sealed meanwhile uses either the old seal or the new one, never half a file.
    handle, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def summary(
    certificate: x509.Certificate, roots: list[x509.Certificate], now: datetime
) -> SealSummary:
    """Describe a seal certificate: who, by whom, until when, and whether it is trusted."""
    not_after = certificate.not_valid_after_utc
    return SealSummary(
        subject=certificate.subject.rfc4514_string(),
        issuer=certificate.issuer.rfc4514_string(),
        not_before=certificate.not_valid_before_utc,
        not_after=not_after,
        trusted=any(_issued_by(certificate, root) for root in roots),
        expired=now > not_after,
        expires_soon=now <= not_after < now + RENEWAL_WARNING,
    )


def _issued_by(certificate: x509.Certificate, root: x509.Certificate) -> bool:
    if certificate.issuer != root.subject:
        return False
    try:
        certificate.verify_directly_issued_by(root)
    except (ValueError, TypeError, InvalidSignature):
        return False
    return True
