"""User accounts: one account across every tenant of the portal."""

from __future__ import annotations

import secrets
from datetime import date, datetime
from typing import Any

from flask_login import UserMixin
from sqlalchemy import JSON, String, false
from sqlalchemy.orm import Mapped, mapped_column

from portal.core.models import UTCDateTime, utcnow
from portal.extensions import db


def new_session_token() -> str:
    """Return a fresh random token that identifies a user's sessions."""
    return secrets.token_urlsafe(24)


class User(UserMixin, db.Model):  # type: ignore[name-defined,misc]
    """A resident, a member of staff, or both."""

    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    family_name: Mapped[str] = mapped_column(String(100))
    given_name: Mapped[str] = mapped_column(String(100))
    locale: Mapped[str] = mapped_column(String(10), default="ja")
    #: A guest applies without an account, signed in by single-use e-mail links.
    is_guest: Mapped[bool] = mapped_column(default=False, server_default=false())
    #: Answers kept for prefilling forms (forms.prefill): name, birth date, phone, address.
    profile: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    #: Staff only: absent up to and including this day; deputies act meanwhile (代決).
    absent_until: Mapped[date | None]
    email_verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    #: Rotated when the password changes, which signs every existing session out.
    session_token: Mapped[str] = mapped_column(String(64), unique=True, default=new_session_token)

    def get_id(self) -> str:
        """Identify sessions by the rotating token rather than the database id."""
        return self.session_token

    @property
    def full_name(self) -> str:
        """Family name first, as in Japan; a guest, who gave no name, by e-mail address."""
        if not (self.family_name or self.given_name):
            return self.email
        return f"{self.family_name} {self.given_name}"

    @property
    def is_verified(self) -> bool:
        """True once the e-mail address has been confirmed through its link."""
        return self.email_verified_at is not None
