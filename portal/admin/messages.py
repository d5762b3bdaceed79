"""The sentences that explain why administrators' input was refused."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask_babel import gettext as _

from portal.admin.forms import LABELS, Invalid, Problem
from portal.core.labels import ROLE, label


def messages(error: Invalid) -> dict[str, str]:
    """The sentence explaining each field's problem, in the current language."""
    return {name: message(name, problem) for name, problem in error.problems.items()}


def message(name: str, problem: Problem) -> str:
    """Explain why one field was refused."""
    params = dict(problem.params)
    field_label = str(LABELS.get(name, name))
    if problem.code in _SEAL_MESSAGES:
        return seal_message(problem.code)
    explain = _MESSAGES.get(problem.code)
    if explain is None:
        return str(_("Check %(label)s.", label=field_label))
    return str(explain(field_label, params))


Explain = Callable[[str, dict[str, Any]], str]

_MESSAGES: dict[str, Explain] = {
    "required": lambda lbl, p: _("Enter %(label)s.", label=lbl),
    "too_long": lambda lbl, p: _(
        "%(label)s must be %(max)s characters or fewer.", label=lbl, max=p["max"]
    ),
    "colour_format": lambda lbl, p: _(
        "Enter the colour as # and six hexadecimal digits, like #00508c, or leave it empty."
    ),
    "colour_contrast": lambda lbl, p: _(
        "White text on %(colour)s has a contrast of only %(ratio)s:1. The header text is "
        "white, so the colour needs a contrast of at least 4.5:1: choose a darker colour.",
        colour=p["colour"],
        ratio=p["ratio"],
    ),
    "logo_missing": lambda lbl, p: _("Choose the logo file."),
    "logo_too_large": lambda lbl, p: _("The logo must be 1 MB or smaller."),
    "logo_type": lambda lbl, p: _(
        "The logo must be a PNG or JPEG image, and this file is neither, whatever its name."
    ),
    "code_format": lambda lbl, p: _(
        "Write the code in lowercase letters, digits, “_” and “-” only, like zaimu."
    ),
    "code_taken": lambda lbl, p: _(
        "This government already has a department with the code “%(code)s”. Choose another.",
        code=p["code"],
    ),
    "name_taken": lambda lbl, p: _(
        "This government already has a department called “%(name)s”.", name=p["name"]
    ),
    "phone_format": lambda lbl, p: _(
        "Enter the phone number in digits and hyphens, like 000-111-2222."
    ),
    "email_format": lambda lbl, p: _(
        "Enter %(label)s in the right format, like name@example.jp.", label=lbl
    ),
    "role_unknown": lambda lbl, p: _("Choose a role."),
    "department_unknown": lambda lbl, p: _(
        "Choose a department of this government, or all departments."
    ),
    "role_held": lambda lbl, p: _(
        "%(email)s already holds the role “%(role)s” in this government.",
        email=p["email"],
        role=label(ROLE, p["role"]),
    ),
    "last_admin": lambda lbl, p: _(
        "This is the government's last administrator. Give the administrator role to "
        "someone else before removing this one."
    ),
    "deputy_self": lambda lbl, p: _("A member of staff cannot be their own deputy."),
    "deputy_unknown": lambda lbl, p: _("Choose the deputy among the staff of this government."),
    "day_format": lambda lbl, p: _(
        "Line %(line)s of %(label)s, “%(value)s”, is not a day of the year. Write one day "
        "a line as month-day, like 12-29.",
        line=p["line"],
        label=lbl,
        value=p["value"],
    ),
    "date_format": lambda lbl, p: _(
        "Line %(line)s of %(label)s, “%(value)s”, is not a date. Write one date a line as "
        "year-month-day, like 2026-06-03.",
        line=p["line"],
        label=lbl,
        value=p["value"],
    ),
}


_SEAL_MESSAGES: dict[str, Callable[[], str]] = {
    "seal_missing": lambda: _("Choose the seal certificate file (.p12 or .pfx)."),
    "not_pkcs12": lambda: _(
        "This file is not a PKCS#12 certificate file (.p12 or .pfx) of at most 256 KB."
    ),
    "unsupported": lambda: _(
        "The file is protected or signed in a way the portal cannot read. Export it "
        "again with AES-256 encryption."
    ),
    "wrong_passphrase": lambda: _(
        "The file cannot be opened with this passphrase. Check the passphrase."
    ),
    "no_certificate": lambda: _("The file holds no certificate."),
    "no_key": lambda: _(
        "The file holds no private key. Export the certificate together with its key."
    ),
    "key_mismatch": lambda: _("The private key in the file does not belong to its certificate."),
    "not_yet_valid": lambda: _("The certificate is not valid yet."),
    "expired": lambda: _("The certificate has expired."),
    "not_a_seal": lambda: _(
        "The certificate cannot sign documents: its key usage allows neither digital "
        "signatures nor non-repudiation."
    ),
    "tls_only": lambda: _(
        "The certificate is for web servers (TLS) only and cannot seal documents."
    ),
    "not_writable": lambda: _(
        "The portal cannot write the seal file where it keeps seals. Ask the portal's "
        "operator to check the PORTAL_SEAL_PKCS12 setting and the folder's permissions."
    ),
    "no_portal_passphrase": lambda: _(
        "The portal has no seal passphrase configured (PORTAL_SEAL_PASSPHRASE), so it "
        "cannot keep a seal. Ask the portal's operator to set one."
    ),
}


def seal_message(code: str) -> str:
    """Explain why an uploaded seal certificate was refused."""
    return str(_SEAL_MESSAGES[code]())
