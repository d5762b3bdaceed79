"""The electronic seal (電子公印): PAdES signatures with a government's certificate.

Each tenant signs its notices with its own seal certificate, loaded from a PKCS#12 file.
Where the file is and how it opens come from the environment:

- ``PORTAL_SEAL_PKCS12``: the path, with ``{tenant}`` standing for the tenant's slug
  (default ``instance/seals/{tenant}.p12``, which ``flask demo-data`` creates, signed by
  a clearly labelled demo CA);
- ``PORTAL_SEAL_PASSPHRASE``: its passphrase (default: ``instance/seals/passphrase``);
- ``PORTAL_SEAL_TRUST``: the PEM bundle of the CAs whose seals verification accepts;
- ``PORTAL_TSA_URL``: an RFC 3161 timestamp authority; every signature then carries a
  timestamp (PAdES B-T).

A hardware security module is the next step: pyHanko's PKCS#11 signer takes the place of
the PKCS#12 one in ``load_seal`` and the key never leaves the device.
"""

from __future__ import annotations

import asyncio
import io
import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.general import get_pyca_cryptography_hash
from pyhanko.sign.timestamps import HTTPTimeStamper
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

T = TypeVar("T")

#: The signature field's name carries the document id, so that a modified copy can still
#: be matched to its record.
FIELD_PREFIX = "Madoguchi-"
_FIELD = re.compile(rb"Madoguchi-([0-9a-f]{20})")


class _KeptKeySigner(signers.SimpleSigner):
    """pyHanko's in-memory signer, keeping its RSA key parsed between signatures.

    The stock signer parses (and checks) the private key on every signature, and it
    signs twice per PDF, once only to learn the signature's size. Keeping the parsed key
    and answering the sizing pass with zeros of the right length halves sealing time.
    """

    _parsed: RSAPrivateKey | None = None

    def _rsa_key(self) -> RSAPrivateKey | None:
        if self._parsed is None:
            key = serialization.load_der_private_key(self.signing_key.dump(), password=None)
            self._parsed = key if isinstance(key, RSAPrivateKey) else None
        return self._parsed

    async def async_sign_raw(
        self, data: bytes, digest_algorithm: str, dry_run: bool = False
    ) -> bytes:
        """Sign with the kept key (zeros of the signature's length on the sizing pass)."""
        key = self._rsa_key()
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm)
        if key is None or mechanism.signature_algo != "rsassa_pkcs1v15":
            return self.sign_raw(data, digest_algorithm)
        if dry_run:
            return bytes(key.key_size // 8)
        return key.sign(data, PKCS1v15(), get_pyca_cryptography_hash(digest_algorithm))


class SealError(RuntimeError):
    """A seal that cannot be loaded or used; the message says which and why."""


@dataclass(frozen=True)
class Seal:
    """A loaded seal: the signer, and who the certificate says signs."""

    signer: signers.SimpleSigner
    subject: str

    @property
    def certificate(self) -> asn1_x509.Certificate:
        """The seal certificate."""
        certificate = self.signer.signing_cert
        assert certificate is not None
        return certificate


@dataclass(frozen=True)
class SignatureCheck:
    """What a PDF's signature says: intact, trusted, covering the whole file, and by whom."""

    found: bool
    intact: bool = False
    trusted: bool = False
    whole_file: bool = False
    signer: str = ""
    document_id: str | None = None
    timestamped: bool = False

    @property
    def valid(self) -> bool:
        """Intact, by a trusted seal, and nothing added after signing."""
        return self.found and self.intact and self.trusted and self.whole_file


def load_seal(path: Path, passphrase: bytes | None) -> Seal:
    """Open a PKCS#12 seal file; SealError explains a missing file or a wrong passphrase."""
    if not path.is_file():
        raise SealError(f"no seal certificate at {path}")
    try:
        signer = _KeptKeySigner.load_pkcs12(str(path), passphrase=passphrase)
    except (ValueError, OSError) as error:
        raise SealError(f"the seal at {path} cannot be opened: {error}") from error
    if signer is None or signer.signing_cert is None:
        raise SealError(f"the seal at {path} cannot be opened (wrong passphrase?)")
    subject = signer.signing_cert.subject.native.get("common_name", "")
    return Seal(signer=signer, subject=str(subject))


@lru_cache(maxsize=64)
def _cached_seal(path: str, modified: float, passphrase: bytes | None) -> Seal:
    return load_seal(Path(path), passphrase)


def cached_seal(path: Path, passphrase: bytes | None) -> Seal:
    """A seal loaded once per file version (a replaced file is read again)."""
    if not path.is_file():
        raise SealError(f"no seal certificate at {path}")
    return _cached_seal(str(path), path.stat().st_mtime, passphrase)


def _outside_event_loop(function: Callable[[], T]) -> T:
    """Run ``function`` where no asyncio loop is running.

    pyHanko's synchronous API runs its own event loop, which fails in a thread that
    already runs one (an async server, a browser driver); such callers get a worker
    thread for the duration.
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return function()
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function).result()


def sign_pdf(
    pdf: bytes,
    seal: Seal,
    *,
    document_id: str,
    location: str,
    reason: str = "電子公印",
    timestamp_url: str | None = None,
) -> bytes:
    """Sign a PDF as PAdES (B-B, or B-T with a timestamp authority) with the seal."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    metadata = signers.PdfSignatureMetadata(
        field_name=f"{FIELD_PREFIX}{document_id}",
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason,
        location=location,
    )
    timestamper = HTTPTimeStamper(timestamp_url) if timestamp_url else None
    signer = signers.PdfSigner(metadata, signer=seal.signer, timestamper=timestamper)
    output = _outside_event_loop(lambda: signer.sign_pdf(writer, in_place=False))
    return output.getvalue()  # type: ignore[no-any-return]


def document_id_in(pdf: bytes) -> str | None:
    """The document id a (possibly modified) sealed PDF names in its signature field."""
    found = _FIELD.search(pdf)
    return found.group(1).decode("ascii") if found else None


def check_signature(pdf: bytes, trust_roots: list[asn1_x509.Certificate]) -> SignatureCheck:
    """Validate the last signature of a PDF against the trusted seal CAs, offline."""
    document_id = document_id_in(pdf)
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        signatures = reader.embedded_signatures
    except Exception:  # noqa: BLE001 - any unreadable upload is simply "no signature found"
        return SignatureCheck(found=False, document_id=document_id)
    if not signatures:
        return SignatureCheck(found=False, document_id=document_id)
    signature = signatures[-1]
    context = ValidationContext(trust_roots=trust_roots, allow_fetching=False)
    try:
        status = _outside_event_loop(
            lambda: validate_pdf_signature(signature, signer_validation_context=context)
        )
    except Exception:  # noqa: BLE001 - a malformed signature is an invalid one
        return SignatureCheck(found=True, document_id=document_id)
    name = signature.field_name or ""
    if name.startswith(FIELD_PREFIX):
        document_id = name.removeprefix(FIELD_PREFIX)
    return SignatureCheck(
        found=True,
        intact=bool(status.intact and status.valid),
        trusted=bool(status.trusted),
        whole_file=status.coverage is not None and status.coverage.name == "ENTIRE_FILE",
        signer=str(status.signing_cert.subject.native.get("common_name", "")),
        document_id=name.removeprefix(FIELD_PREFIX)
        if name.startswith(FIELD_PREFIX)
        else document_id,
        timestamped=status.timestamp_validity is not None,
    )


def load_trust_roots(path: Path) -> list[asn1_x509.Certificate]:
    """Read a PEM bundle of CA certificates (empty when the file does not exist)."""
    from asn1crypto import pem

    if not path.is_file():
        return []
    roots = []
    for _kind, _headers, der in pem.unarmor(path.read_bytes(), multiple=True):
        roots.append(asn1_x509.Certificate.load(der))
    return roots
