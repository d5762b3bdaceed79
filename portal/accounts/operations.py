"""Account mutations: they take explicit arguments, flush, and never commit."""

from __future__ import annotations

import secrets
from typing import Any

from flask import url_for
from sqlalchemy import func, select

from portal.accounts.models import User, new_session_token
from portal.accounts.passwords import hash_password, needs_rehash, verify_password
from portal.accounts.tokens import RESET_MAX_AGE, VERIFY_MAX_AGE, make_token, read_token
from portal.core.mail import send_mail
from portal.core.models import utcnow
from portal.extensions import db


def normalise_email(email: str) -> str:
    """E-mail addresses are compared case-insensitively and without surrounding spaces."""
    return email.strip().lower()


def user_by_email(email: str) -> User | None:
    """Return the account with this e-mail address, if any."""
    return db.session.scalar(select(User).where(func.lower(User.email) == normalise_email(email)))


def register_resident(
    email: str, password: str, family_name: str, given_name: str, locale: str
) -> User | None:
    """Create an unverified account and mail its verification link.

    When the address already has an account, that account's owner is told by mail
    instead, so the form never reveals who is registered. Returns the new user or None.
    """
    existing = user_by_email(email)
    if existing is not None:
        send_mail(
            existing.email,
            "already_registered",
            locale=existing.locale,
            user=existing,
            login_url=url_for("accounts.login", _external=True),
        )
        return None
    user = User(
        email=normalise_email(email),
        password_hash=hash_password(password),
        family_name=family_name.strip(),
        given_name=given_name.strip(),
        locale=locale,
    )
    db.session.add(user)
    db.session.flush()
    send_verification(user)
    return user


def send_verification(user: User) -> None:
    """Mail a link that confirms the user's e-mail address."""
    token = make_token("verify", {"user": user.id, "email": user.email})
    send_mail(
        user.email,
        "verify_email",
        locale=user.locale,
        user=user,
        link=url_for("accounts.verify_email", token=token, _external=True),
    )


def verify_email(token: str) -> User | None:
    """Mark the address in a valid token as verified; None when the link is bad or old."""
    payload = read_token("verify", token, VERIFY_MAX_AGE)
    user = db.session.get(User, payload["user"]) if payload else None
    if user is None or payload is None or user.email != payload.get("email"):
        return None
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()
    return user


def authenticate(email: str, password: str) -> User | None:
    """Return the user when the password is right, upgrading an outdated hash."""
    user = user_by_email(email)
    if not verify_password(user.password_hash if user else None, password):
        return None
    assert user is not None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


def _reset_stamp(user: User) -> str:
    # Part of the current hash: once the password changes the link stops working,
    # which makes every reset link single-use.
    return user.password_hash[-16:]


def request_password_reset(email: str) -> None:
    """Mail a reset link when the account exists; say nothing either way."""
    user = user_by_email(email)
    if user is None:
        return
    token = make_token("reset", {"user": user.id, "stamp": _reset_stamp(user)})
    send_mail(
        user.email,
        "reset_password",
        locale=user.locale,
        user=user,
        link=url_for("accounts.reset_password", token=token, _external=True),
    )


def user_for_reset(token: str) -> User | None:
    """Return the user a valid, unused, unexpired reset token belongs to."""
    payload = read_token("reset", token, RESET_MAX_AGE)
    user = db.session.get(User, payload["user"]) if payload else None
    if user is None or payload is None or payload.get("stamp") != _reset_stamp(user):
        return None
    return user


def reset_password(user: User, password: str) -> None:
    """Set a new password and sign out every existing session of the user."""
    user.password_hash = hash_password(password)
    user.session_token = new_session_token()
    if user.email_verified_at is None:
        # Following the mailed link proves the address as well as verification would.
        user.email_verified_at = utcnow()


def save_profile(user: User, values: dict[str, Any]) -> None:
    """Keep the cleaned profile answers (empty ones are dropped) for prefilling forms."""
    user.profile = {key: value for key, value in values.items() if value is not None}


def set_locale(user: User, locale: str) -> None:
    """Remember the language the user chose: for the e-mails we send them, and for pages
    on a device without the language cookie."""
    user.locale = locale


GUEST_LINK_MAX_AGE = 24 * 3600


def request_guest_link(email: str, target: str, locale: str) -> None:
    """Mail a link that lets someone apply without an account (guest mode).

    The answer on screen is the same whoever asks, so nobody learns whether an address
    has an account: an account holder is told by e-mail to sign in instead.
    """
    user = user_by_email(email)
    if user is not None and not user.is_guest:
        send_mail(
            user.email,
            "already_registered",
            locale=user.locale,
            user=user,
            login_url=url_for("accounts.login", _external=True),
        )
        return
    if user is None:
        user = User(
            email=normalise_email(email),
            # Guests never sign in with a password: an unguessable one nobody knows.
            password_hash=hash_password(secrets.token_urlsafe(32)),
            family_name="",
            given_name="",
            locale=locale,
            is_guest=True,
        )
        db.session.add(user)
        db.session.flush()
    send_guest_link(user, target)


def send_guest_link(user: User, target: str) -> None:
    """Mail a guest a single-use link (valid one day) that signs them in and opens
    ``target``; using it makes every earlier link useless."""
    token = make_token("guest", {"user": user.id, "session": user.session_token, "to": target})
    send_mail(
        user.email,
        "guest_link",
        locale=user.locale,
        link=url_for("accounts.guest_link", token=token, _external=True),
        hours=GUEST_LINK_MAX_AGE // 3600,
    )


def use_guest_link(token: str) -> tuple[User, str] | None:
    """The guest and the page a valid, unused link opens; None for a bad, old or used one.

    Using it rotates the guest's session token, which the link is bound to: the link
    works once, and older links and sessions stop working with it.
    """
    payload = read_token("guest", token, GUEST_LINK_MAX_AGE)
    user = db.session.get(User, payload["user"]) if payload else None
    if user is None or payload is None or not user.is_guest:
        return None
    if user.session_token != payload.get("session"):
        return None
    user.session_token = new_session_token()
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()  # the link reached this address
    return user, str(payload.get("to") or "/")
