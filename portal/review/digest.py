"""The daily digest: each member of staff gets their open and overdue steps by e-mail."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from portal.accounts.models import User
from portal.core.mail import send_mail
from portal.core.urls import external_url
from portal.extensions import db
from portal.review import inbox
from portal.review.authority import is_absent
from portal.tenants.models import Membership, Tenant

#: Overdue applications listed by reference in one digest; the rest are counted.
LISTED = 20


@dataclass(frozen=True)
class Digest:
    """What one member of staff has waiting in one tenant."""

    user: User
    tenant: Tenant
    mine: int
    overdue: list[inbox.Row]
    overdue_count: int
    readings: int

    @property
    def is_empty(self) -> bool:
        """Nothing waits: no mail is sent for an empty digest."""
        return not (self.mine or self.overdue_count or self.readings)


def digest_for(user: User, tenant: Tenant) -> Digest:
    """Count a member of staff's tasks, overdue ones and readings in a tenant."""
    roles = frozenset(
        db.session.scalars(
            select(Membership.role).where(
                Membership.user_id == user.id, Membership.tenant_id == tenant.id
            )
        )
    )
    viewer = inbox.Viewer.of(user, tenant, roles)
    overdue_filter = inbox.Filters(overdue=True)
    # Exact counts: one person's steps are few, and a digest should not say "1,000+".
    counts = inbox.counts(viewer, exact=True)
    overdue = inbox.page(viewer, "mine", overdue_filter, limit=LISTED)
    overdue_count = inbox.counts(viewer, overdue_filter, exact=True)["mine"]
    return Digest(user, tenant, counts["mine"], overdue.rows, overdue_count, counts["readings"])


def send_digests() -> int:
    """Send every member of staff with something waiting their digest; return how many.

    Staff marked absent get none: their deputies' digests include what waits for them.
    """
    pairs = db.session.execute(
        select(Membership.user_id, Membership.tenant_id)
        .distinct()
        .order_by(Membership.tenant_id, Membership.user_id)
    ).all()
    sent = 0
    for user_id, tenant_id in pairs:
        user, tenant = db.session.get_one(User, user_id), db.session.get_one(Tenant, tenant_id)
        if is_absent(user):
            continue
        digest = digest_for(user, tenant)
        if digest.is_empty:
            continue
        send_mail(
            user.email,
            "staff_digest",
            locale=user.locale,
            digest=digest,
            link=external_url("review.inbox", tenant_slug=tenant.slug),
        )
        sent += 1
    return sent
