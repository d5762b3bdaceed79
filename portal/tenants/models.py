"""Tenants (a prefecture or a municipality), their departments and staff memberships."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.core.i18n import is_japanese
from portal.core.models import UTCDateTime, utcnow
from portal.extensions import db

TENANT_KINDS = ("prefecture", "municipality")
YEAR_END_DAYS = ("12-29", "12-30", "12-31", "01-01", "01-02", "01-03")
#: Staff roles, lowest authority first: 担当, 係長, 決裁者 (generic), 課長, 部長, and the
#: tenant administrator. Routes name these roles; authority tiers pick among them. The
#: procedure owner (手続所管) builds and publishes their department's procedures and acts
#: on no application.
ROLES = ("reviewer", "chief", "approver", "section_chief", "director", "admin", "owner")
#: Roles that act on applications (route stages may name these).
ROUTE_ROLES = ROLES[:5]
#: Roles that see every application of the tenant; the others see their departments'.
TENANT_WIDE_ROLES = frozenset({"approver", "section_chief", "director", "admin"})


class Tenant(db.Model):  # type: ignore[name-defined,misc]
    """A government sharing the portal, with its own procedures, staff and seal."""

    __tablename__ = "tenant"
    __table_args__ = (CheckConstraint(f"kind IN {TENANT_KINDS}", name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    code: Mapped[str] = mapped_column(String(4), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    name_ja: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str] = mapped_column(String(100))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("tenant.id"))
    #: Prefix of official document numbers (文書番号), e.g. みどり県電 → みどり県電第12号.
    document_symbol: Mapped[str] = mapped_column(String(20))
    #: Title of the head of the government, who issues notices (e.g. みどり県知事).
    head_title: Mapped[str] = mapped_column(String(60))

    #: Days the offices close every year ("MM-DD"), besides public holidays: by default
    #: the year-end closure 12/29–1/3; a municipality adds its own (e.g. 町民の日).
    closing_days: Mapped[list[str]] = mapped_column(JSON, default=lambda: list(YEAR_END_DAYS))
    #: Single days the offices close ("YYYY-MM-DD"), e.g. for a system changeover.
    closed_dates: Mapped[list[str]] = mapped_column(JSON, default=list)

    #: Branding: the logo (a path under the data folder, PNG or JPEG) and the colour of
    #: the portal's header for this government ("#RRGGBB"; empty for the default).
    logo_path: Mapped[str | None] = mapped_column(String(200))
    brand_colour: Mapped[str] = mapped_column(String(7), default="", server_default="")

    departments: Mapped[list[Department]] = relationship(back_populates="tenant")

    def name(self, locale: str) -> str:
        """Return the tenant's name in a locale: Japanese in Japanese (standard or easy),
        else English, the name every other language reads best."""
        return localised_name(self.name_ja, self.name_en, locale)


def localised_name(japanese: str, english: str, locale: str) -> str:
    """A name kept in Japanese and English, for a locale (Japanese when English is empty)."""
    return japanese if is_japanese(locale) or not english else english


class Department(db.Model):  # type: ignore[name-defined,misc]
    """A department of a tenant that owns procedures and staffs approval stages."""

    __tablename__ = "department"
    __table_args__ = (
        UniqueConstraint("tenant_id", "name_ja"),
        UniqueConstraint("tenant_id", "code"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenant.id"), index=True)
    #: The code routes use for the department (e.g. ``zaimu``), so that one route fits
    #: every tenant that has a department with that code.
    code: Mapped[str] = mapped_column(String(40))
    name_ja: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str] = mapped_column(String(100))
    phone: Mapped[str] = mapped_column(String(20), default="")

    tenant: Mapped[Tenant] = relationship(back_populates="departments")

    def name(self, locale: str) -> str:
        """Return the department's name in a locale (as :meth:`Tenant.name`)."""
        return localised_name(self.name_ja, self.name_en, locale)


class Membership(db.Model):  # type: ignore[name-defined,misc]
    """One role a user holds in one tenant (a user may hold several)."""

    __tablename__ = "membership"
    __table_args__ = (
        UniqueConstraint("user_id", "tenant_id", "role"),
        CheckConstraint(f"role IN {ROLES}", name="role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenant.id"), index=True)
    #: None: the role is held in every department of the tenant.
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"))
    role: Mapped[str] = mapped_column(String(20))
    #: Who acts for this member while they are absent (代決).
    deputy_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    tenant: Mapped[Tenant] = relationship()
    department: Mapped[Department | None] = relationship()


class AuditEntry(db.Model):  # type: ignore[name-defined,misc]
    """One change made by staff to a tenant's set-up or procedures (never changed)."""

    __tablename__ = "audit_entry"
    __table_args__ = (Index("ix_audit_entry_tenant_at", "tenant_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenant.id"))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    #: What was done, as a dotted verb (``procedure.publish``, ``staff.invite``…).
    action: Mapped[str] = mapped_column(String(60))
    #: What it was done to, for people (a procedure's slug, an e-mail address…).
    subject: Mapped[str] = mapped_column(String(200))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


@event.listens_for(AuditEntry, "before_update")
@event.listens_for(AuditEntry, "before_delete")
def _refuse_audit_change(mapper: Any, connection: Any, target: AuditEntry) -> None:
    """The audit log is append-only."""
    raise RuntimeError(f"audit entry {target.id} cannot be changed")
