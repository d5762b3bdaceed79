"""Changes administrators make to their government's set-up.

Each takes the acting administrator, flushes and never commits, and appends an entry to
the tenant's audit log in the same transaction. Refusals raise ``forms.Invalid``.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime
from typing import Any

from cryptography.hazmat.primitives import hashes
from flask import url_for
from sqlalchemy import select

from portal.accounts.models import User
from portal.accounts.operations import _reset_stamp, normalise_email, user_by_email
from portal.accounts.passwords import hash_password
from portal.accounts.tokens import make_token
from portal.admin import queries, seals
from portal.admin.forms import (
    ClosingDays,
    DepartmentValues,
    Invalid,
    Invitation,
    RoleChoice,
    TenantDetails,
    logo_extension,
)
from portal.admin.queries import StaffMember
from portal.core import storage
from portal.core.mail import send_mail
from portal.core.uow import after_commit
from portal.decisions import sealing
from portal.extensions import db
from portal.tenants.models import Department, Membership, Tenant
from portal.tenants.operations import record_change


def _apply(target: Any, values: dict[str, Any]) -> dict[str, list[Any]]:
    """Set the attributes that differ; return each change as [old, new]."""
    changes = {}
    for name, value in values.items():
        old = getattr(target, name)
        if old != value:
            changes[name] = [old, value]
            setattr(target, name, value)
    return changes


def update_details(tenant: Tenant, actor: User, values: TenantDetails) -> None:
    """Change the government's names, document prefix, head's title and header colour."""
    names = {key: getattr(values, key) for key in ("name_ja", "name_en", "document_symbol")}
    changes = _apply(tenant, {**names, "head_title": values.head_title})
    if changes:
        record_change(tenant, actor, "tenant.update", tenant.slug, changes=changes)
    colour = _apply(tenant, {"brand_colour": values.brand_colour})
    if colour:
        record_change(tenant, actor, "branding.update", tenant.slug, changes=colour)


def upload_logo(tenant: Tenant, actor: User, data: bytes) -> None:
    """Keep a PNG or JPEG logo for the government (the content decides, not the name)."""
    relative = f"branding/{tenant.slug}/logo.{logo_extension(data)}"
    previous = tenant.logo_path
    tenant.logo_path = relative
    digest = hashlib.sha256(data).hexdigest()
    record_change(tenant, actor, "branding.update", tenant.slug, logo=relative, sha256=digest)
    storage.save_bytes(relative, data)
    if previous and previous != relative:
        after_commit(lambda: storage.delete(previous))


def remove_logo(tenant: Tenant, actor: User) -> None:
    """Go back to no logo."""
    previous = tenant.logo_path
    if previous is None:
        return
    tenant.logo_path = None
    record_change(tenant, actor, "branding.update", tenant.slug, logo=None)
    after_commit(lambda: storage.delete(previous))


def add_department(tenant: Tenant, actor: User, values: DepartmentValues) -> Department:
    """Create a department; its code and Japanese name must be new in the tenant."""
    if queries.department_named(tenant, code=values.code):
        raise Invalid.about("code", "code_taken", code=values.code)
    _check_name_free(tenant, values.name_ja, None)
    department = Department(
        tenant_id=tenant.id,
        code=values.code,
        name_ja=values.name_ja,
        name_en=values.name_en,
        phone=values.phone,
    )
    db.session.add(department)
    db.session.flush()
    detail = {"name_ja": values.name_ja, "name_en": values.name_en, "phone": values.phone}
    record_change(tenant, actor, "department.add", values.code, **detail)
    return department


def update_department(
    tenant: Tenant, actor: User, department: Department, values: DepartmentValues
) -> None:
    """Rename a department or change its phone number (its code stays: routes use it)."""
    _check_name_free(tenant, values.name_ja, department)
    changes = _apply(
        department, {"name_ja": values.name_ja, "name_en": values.name_en, "phone": values.phone}
    )
    if changes:
        record_change(tenant, actor, "department.update", department.code, changes=changes)


def _check_name_free(tenant: Tenant, name_ja: str, department: Department | None) -> None:
    found = queries.department_named(tenant, name_ja=name_ja)
    if found is not None and found is not department:
        raise Invalid.about("name_ja", "name_taken", name=name_ja)


def _department(tenant: Tenant, choice: RoleChoice) -> Department | None:
    """The chosen department of this tenant; None for all departments."""
    if choice.department_id is None:
        return None
    found = queries.department_of(tenant, choice.department_id)
    if found is None:
        raise Invalid.about("department", "department_unknown")
    return found


def invite_staff(tenant: Tenant, actor: User, invitation: Invitation, locale: str) -> User:
    """Give a role to someone by e-mail, creating their account if they have none.

    A new account gets a password nobody knows and a mailed link to choose one (the
    password-reset link); someone who already has an account is told by mail.
    """
    department = _department(tenant, invitation.choice)
    user = user_by_email(invitation.email)
    new_account = user is None or user.is_guest
    if user is None:
        user = _new_account(invitation, locale)
    elif user.is_guest:
        # A guest never had a password; as staff they sign in with one.
        user.is_guest = False
    membership = _add_membership(tenant, user, invitation.choice, department)
    record_change(
        tenant,
        actor,
        "staff.invite",
        user.email,
        role=membership.role,
        department=department.code if department else None,
        new_account=new_account,
    )
    link = _set_password_link(user) if new_account else url_for("accounts.login", _external=True)
    send_mail(
        user.email,
        "staff_invitation",
        locale=user.locale,
        user=user,
        tenant=tenant,
        role=membership.role,
        department=department,
        inviter=actor.full_name,
        new_account=new_account,
        link=link,
    )
    return user


def _new_account(invitation: Invitation, locale: str) -> User:
    user = User(
        email=normalise_email(invitation.email),
        # Unusable until the invited person chooses a password through the mailed link.
        password_hash=hash_password(secrets.token_urlsafe(32)),
        family_name=invitation.family_name,
        given_name=invitation.given_name,
        locale=locale,
    )
    db.session.add(user)
    db.session.flush()
    return user


def _set_password_link(user: User) -> str:
    """The password-reset link, made as accounts.request_password_reset makes it: the
    reset page checks the same stamp, so the link works once."""
    token = make_token("reset", {"user": user.id, "stamp": _reset_stamp(user)})
    return url_for("accounts.reset_password", token=token, _external=True)


def _add_membership(
    tenant: Tenant, user: User, choice: RoleChoice, department: Department | None
) -> Membership:
    member = queries.staff_member(tenant, user.id)
    if member is not None and choice.role in member.roles:
        raise Invalid.about("role", "role_held", email=user.email, role=choice.role)
    membership = Membership(
        user_id=user.id,
        tenant_id=tenant.id,
        role=choice.role,
        department_id=department.id if department else None,
        # A new role shares the deputy the person's other roles have.
        deputy_id=member.deputy.id if member is not None and member.deputy else None,
    )
    db.session.add(membership)
    db.session.flush()
    return membership


def add_role(tenant: Tenant, actor: User, member: StaffMember, choice: RoleChoice) -> None:
    """Give a member of staff another role, in one department or in all of them."""
    department = _department(tenant, choice)
    _add_membership(tenant, member.user, choice, department)
    record_change(
        tenant,
        actor,
        "staff.role_add",
        member.user.email,
        role=choice.role,
        department=department.code if department else None,
    )


def remove_role(tenant: Tenant, actor: User, membership: Membership, email: str) -> None:
    """Take a role away; the tenant's last administrator cannot lose theirs."""
    if membership.role == "admin" and queries.admin_count(tenant) <= 1:
        raise Invalid.about("roles", "last_admin")
    role, department, user_id = membership.role, membership.department, membership.user_id
    db.session.delete(membership)
    db.session.flush()
    detail: dict[str, Any] = {"role": role, "department": department.code if department else None}
    if queries.staff_member(tenant, user_id) is None:
        # Someone who no longer works here cannot act for colleagues while they are away.
        detail["deputy_for_cleared"] = _clear_deputy(tenant, user_id)
    record_change(tenant, actor, "staff.role_remove", email, **detail)


def _clear_deputy(tenant: Tenant, user_id: int) -> int:
    """Name nobody where this person was the deputy; return how many roles changed."""
    query = select(Membership).where(
        Membership.tenant_id == tenant.id, Membership.deputy_id == user_id
    )
    memberships = list(db.session.scalars(query))
    for membership in memberships:
        membership.deputy_id = None
    db.session.flush()
    return len(memberships)


def set_deputy(tenant: Tenant, actor: User, member: StaffMember, deputy_id: int | None) -> None:
    """Name who acts for a member of staff while they are absent (代決), or nobody."""
    if deputy_id == member.user.id:
        raise Invalid.about("deputy", "deputy_self")
    deputy = queries.staff_member(tenant, deputy_id) if deputy_id else None
    if deputy_id and deputy is None:
        raise Invalid.about("deputy", "deputy_unknown")
    for membership in member.memberships:
        membership.deputy_id = deputy_id
    db.session.flush()
    record_change(
        tenant,
        actor,
        "staff.deputy",
        member.user.email,
        deputy=deputy.user.email if deputy else None,
    )


def update_calendar(tenant: Tenant, actor: User, days: ClosingDays) -> None:
    """Replace the days the offices close every year and the single closed dates."""
    changes = _apply(tenant, {"closing_days": days.yearly, "closed_dates": days.single})
    if changes:
        record_change(tenant, actor, "calendar.update", tenant.slug, changes=changes)


def install_seal(
    tenant: Tenant, actor: User, data: bytes, passphrase: bytes, now: datetime
) -> seals.SealFile:
    """Check an uploaded seal certificate and keep it, under the portal's own passphrase.

    The uploaded passphrase is used only to open the file. Nothing is stored when the
    file is refused.
    """
    if not data:
        raise Invalid.about("file", "seal_missing")
    portal_passphrase = sealing.passphrase()
    if portal_passphrase is None:
        raise Invalid.about("file", "no_portal_passphrase")
    try:
        seal = seals.open_upload(data, passphrase, now)
    except seals.SealUploadError as error:
        field = "passphrase" if error.code == "wrong_passphrase" else "file"
        raise Invalid.about(field, error.code) from error
    record_change(tenant, actor, "seal.upload", _subject(seal), **_seal_detail(seal))
    # Written last, so that a refusal here rolls the audit entry back with the request.
    try:
        seals.store(sealing.seal_path(tenant), seals.seal_bytes(seal, portal_passphrase))
    except OSError as error:  # e.g. PORTAL_SEAL_PKCS12 points at a read-only volume
        raise Invalid.about("file", "not_writable") from error
    return seal


def _subject(seal: seals.SealFile) -> str:
    return seal.certificate.subject.rfc4514_string()


def _seal_detail(seal: seals.SealFile) -> dict[str, Any]:
    certificate = seal.certificate
    return {
        "issuer": certificate.issuer.rfc4514_string(),
        "serial": format(certificate.serial_number, "x"),
        "not_after": certificate.not_valid_after_utc.isoformat(),
        "sha256": certificate.fingerprint(hashes.SHA256()).hex(),
    }
