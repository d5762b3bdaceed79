"""Reference numbers residents read out on the phone: short, prefixed, hard to mistype."""

from __future__ import annotations

import secrets

# No 0/O, 1/I/L, or U/V: the characters people confuse when reading or typing.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTWXYZ"


def new_reference(prefix: str) -> str:
    """Return e.g. ``AOB-7K4M-9QXP``: 8 random characters, about 39 bits."""
    body = "".join(secrets.choice(ALPHABET) for _ in range(8))
    return f"{prefix}-{body[:4]}-{body[4:]}"
