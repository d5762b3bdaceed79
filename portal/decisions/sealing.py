"""Which seal a government signs with, and which CAs verification trusts."""

from __future__ import annotations

from pathlib import Path

from asn1crypto import x509 as asn1_x509
from flask import current_app

from portal.pdf.demo_seals import CA_FILE, PASSPHRASE_FILE
from portal.pdf.seal import Seal, cached_seal, load_trust_roots
from portal.tenants.models import Tenant


def seals_dir() -> Path:
    """Where ``make run`` keeps the demo CA and the demo seals."""
    return Path(current_app.config["INSTANCE_DIR"]) / "seals"


def seal_path(tenant: Tenant) -> Path:
    """The PKCS#12 file of a government's seal."""
    template = current_app.config.get("PORTAL_SEAL_PKCS12") or str(seals_dir() / "{tenant}.p12")
    return Path(template.format(tenant=tenant.slug))


def passphrase() -> bytes | None:
    """The seals' passphrase: from the environment, else the demo passphrase file."""
    configured = current_app.config.get("PORTAL_SEAL_PASSPHRASE")
    if configured:
        return str(configured).encode("utf-8")
    demo = seals_dir() / PASSPHRASE_FILE
    return demo.read_text(encoding="ascii").strip().encode("ascii") if demo.is_file() else None


def seal_for(tenant: Tenant) -> Seal:
    """The loaded seal of a government (SealError when it has none usable)."""
    return cached_seal(seal_path(tenant), passphrase())


def trust_roots() -> list[asn1_x509.Certificate]:
    """The CAs whose seals the verification page accepts."""
    configured = current_app.config.get("PORTAL_SEAL_TRUST")
    return load_trust_roots(Path(configured) if configured else seals_dir() / CA_FILE)


def timestamp_url() -> str | None:
    """The RFC 3161 timestamp authority, when one is configured."""
    return current_app.config.get("PORTAL_TSA_URL")
