"""A demo CA and one seal certificate per demo government, for ``make run`` and tests.

Everything here says DEMO in its name: these certificates prove nothing about any real
government. Production loads each government's own PKCS#12 file instead (see seal.py).
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

CA_NAME = "Madoguchi DEMO CA - not for production use"
PASSPHRASE_FILE = "passphrase"  # noqa: S105 - the name of the file, not a passphrase
CA_FILE = "demo-ca.crt"
#: Key generation is the slow part; a process makes each key once (tests load the demo
#: data hundreds of times).
_KEYS: dict[str, rsa.RSAPrivateKey] = {}


def _key(name: str) -> rsa.RSAPrivateKey:
    if name not in _KEYS:
        _KEYS[name] = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return _KEYS[name]


def _name(common_name: str, organisation: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "JP"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _ca() -> tuple[x509.Certificate, rsa.RSAPrivateKey]:
    key = _key("ca")
    name = _name(CA_NAME, "Madoguchi DEMO")
    now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
        .sign(key, hashes.SHA256())
    )
    return certificate, key


def seal_certificate(
    common_name: str,
    organisation: str,
    serial: int,
    *,
    ca: tuple[x509.Certificate, rsa.RSAPrivateKey] | None = None,
    not_after: dt.datetime | None = None,
    seal_usage: bool = True,
) -> tuple[x509.Certificate, rsa.RSAPrivateKey]:
    """A seal certificate signed by the demo CA (options make broken ones for tests)."""
    ca_certificate, ca_key = ca or _ca()
    key = _key(f"seal-{serial}")
    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    usage = (
        x509.KeyUsage(True, True, False, False, False, False, False, False, False)
        if seal_usage
        else x509.KeyUsage(False, False, True, False, False, False, False, False, False)
    )
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(common_name, organisation))
        .issuer_name(ca_certificate.subject)
        .public_key(key.public_key())
        .serial_number(serial)
        .not_valid_before(start)
        .not_valid_after(not_after or start + dt.timedelta(days=5 * 365))
        .add_extension(usage, critical=True)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), False
        )
    )
    if seal_usage:
        builder = builder.add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False
        )
    return builder.sign(ca_key, hashes.SHA256()), key


def pkcs12_bytes(
    certificate: x509.Certificate,
    key: rsa.RSAPrivateKey,
    passphrase: bytes,
    chain: Iterable[x509.Certificate] = (),
) -> bytes:
    """A PKCS#12 file of a seal with its chain, protected by a passphrase."""
    return pkcs12.serialize_key_and_certificates(
        name=b"seal",
        key=key,
        cert=certificate,
        cas=list(chain),
        encryption_algorithm=serialization.BestAvailableEncryption(passphrase),
    )


def ensure_demo_seals(folder: Path, governments: Iterable[tuple[str, str, str]]) -> None:
    """Create the demo CA and a seal per (slug, name, head title), keeping existing files."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    secret = folder / PASSPHRASE_FILE
    if not secret.exists():
        secret.write_text(secrets.token_urlsafe(24), encoding="ascii")
        secret.chmod(0o600)
    passphrase = secret.read_text(encoding="ascii").strip().encode("ascii")
    ca = _ca()
    (folder / CA_FILE).write_bytes(ca[0].public_bytes(serialization.Encoding.PEM))
    for serial, (slug, name, head_title) in enumerate(governments, start=100):
        target = folder / f"{slug}.p12"
        if target.exists():
            continue
        certificate, key = seal_certificate(f"{head_title} (DEMO)", name, serial, ca=ca)
        target.write_bytes(pkcs12_bytes(certificate, key, passphrase, [ca[0]]))
        target.chmod(0o600)
