"""Tenants (a prefecture or a municipality), their departments and staff memberships."""

from __future__ import annotations

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db

TENANT_KINDS = ("prefecture", "municipality")
YEAR_END_DAYS = ("12-29", "12-30", "12-31", "01-01", "01-02", "01-03")
#: Staff roles, lowest authority first: 担当, 係長, 決裁者 (generic), 課長, 部長, and the
#: tenant administrator. Routes name these roles; authority tiers pick among them.
ROLES = ("reviewer", "chief", "approver", "section_chief", "director", "admin")
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

    departments: Mapped[list[Department]] = relationship(back_populates="tenant")

    def name(self, locale: str) -> str:
        """Return the tenant's name in a locale (Japanese unless English is asked for)."""
        return self.name_en if locale == "en" else self.name_ja


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
        """Return the department's name in a locale."""
        return self.name_en if locale == "en" else self.name_ja


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
