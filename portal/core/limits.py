"""Rate limits: how often one client may try what an attacker would try many times.

Signing in is limited per account and per address (password guessing from one place,
or one account from many); what sends mail (registration, reset and guest links, a new
verification link) per address, so the portal cannot be made to mail-bomb anyone; public
verification uploads per address, since each one is parsed and its seal validated.
"""

from __future__ import annotations

from flask import request
from flask_limiter.util import get_remote_address

LOGIN_PER_ACCOUNT = "10 per minute"
LOGIN_PER_ADDRESS = "50 per minute"
MAIL_PER_ADDRESS = "5 per minute;30 per hour"
UPLOADS_PER_ADDRESS = "30 per minute"


def login_key() -> str:
    """Count sign-in attempts per e-mail address (as typed, folded) and client address."""
    email = request.form.get("email", "").strip().casefold()
    return f"login:{email}:{get_remote_address()}"
