"""Demo tenants, staff, a resident and procedures; loading twice changes nothing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy import select

from portal.accounts.models import User
from portal.accounts.passwords import hash_password
from portal.catalog.models import Procedure
from portal.catalog.operations import publish_version
from portal.core.models import utcnow
from portal.decisions.sealing import seals_dir
from portal.extensions import db
from portal.pdf.demo_seals import ensure_demo_seals
from portal.tenants.models import Department, Membership, Tenant

DEMO_PASSWORD = "madoguchi-demo"  # noqa: S105  (printed for the demo; never a real account)
HERE = Path(__file__).parent

#: The demo resident's saved details, prefilled into forms that ask for them.
DEMO_PROFILE: dict[str, Any] = {
    "name": {
        "mode": "japanese",
        "family": "山田",
        "given": "花子",
        "family_kana": "ヤマダ",
        "given_kana": "ハナコ",
    },
    "birth_date": "1990-04-01",
    "phone": "090-1234-5678",
    "address": {
        "postcode": "100-0001",
        "prefecture": "東京都",
        "city": "千代田区",
        "street": "千代田1-1",
        "building": "",
    },
}

TENANTS: list[dict[str, Any]] = [
    {
        "slug": "midori-pref",
        "code": "MDR",
        "kind": "prefecture",
        "name_ja": "みどり県",
        "name_en": "Midori Prefecture",
        "document_symbol": "みどり県電",
        "head_title": "みどり県知事",
        "department": ("fukushi", "福祉政策課", "Welfare Policy Division", "000-111-2222"),
        "staff": "pref",
    },
    {
        "slug": "aoba-city",
        "code": "AOB",
        "kind": "municipality",
        "name_ja": "あおば市",
        "name_en": "Aoba City",
        "document_symbol": "あおば市市",
        "head_title": "あおば市長",
        "department": ("shimin", "市民課", "Citizen Services Division", "000-333-4444"),
        "staff": "aoba",
    },
    {
        "slug": "sakura-town",
        "code": "SKR",
        "kind": "municipality",
        "name_ja": "さくら町",
        "name_en": "Sakura Town",
        "document_symbol": "さくら町子",
        "head_title": "さくら町長",
        "department": ("kosodate", "子育て支援課", "Child Support Division", "000-555-6666"),
        # 町民の日: the town's offices close besides the national holidays and year end.
        "closing_days": ["12-29", "12-30", "12-31", "01-01", "01-02", "01-03", "04-10"],
        "staff": "sakura",
    },
]

PROCEDURES = [
    ("midori-pref", "accessible-parking", "accessible_parking.json"),
    ("midori-pref", "vehicle-tax-address", "vehicle_tax_address.json"),
    ("aoba-city", "residence-certificate", "residence_certificate.json"),
    ("sakura-town", "childcare-support", "childcare_support.json"),
    ("midori-pref", "teacher-recruitment-exam", "teacher_recruitment_exam.json"),
    ("midori-pref", "fertiliser-production", "fertiliser_production.json"),
    ("midori-pref", "iot-ai-robot-subsidy", "iot_ai_robot_subsidy.json"),
    ("aoba-city", "relocation-tour", "relocation_tour.json"),
    ("sakura-town", "event-signup", "event_signup.json"),
    ("sakura-town", "resident-survey", "resident_survey.json"),
]

#: Procedures owned by another department than the tenant's main one: the department
#: signs the notice (issuer_office), so a teacher exam must not come from welfare.
DEPARTMENTS: dict[str, tuple[str, str, str, str]] = {
    "teacher-recruitment-exam": (
        "kyoshokuin",
        "教育委員会事務局教職員課",
        "Teaching Staff Division, Board of Education",
        "000-111-3333",
    ),
    "fertiliser-production": (
        "nogyo",
        "農業技術課",
        "Agricultural Technology Division",
        "000-111-4444",
    ),
    "iot-ai-robot-subsidy": ("sangyo", "産業政策課", "Industrial Policy Division", "000-111-5555"),
    "relocation-tour": ("kikaku", "企画政策課", "Planning Division", "000-333-5555"),
    "event-signup": ("shogai", "生涯学習課", "Lifelong Learning Division", "000-555-7777"),
    "resident-survey": ("kikaku", "企画課", "Planning Division", "000-555-8888"),
}

#: Staff of one department each, for the subsidy's route 回議 → 合議 → 決裁: the
#: industrial policy division reviews and decides (the section chief up to its authority
#: tier, the director above it); the finance division is consulted.
DEPARTMENT_STAFF: list[tuple[str, str, str, str, str]] = [
    # (email, role, department code, family name, given name)
    ("clerk@sangyo.pref.example.jp", "reviewer", "sangyo", "産業", "担当"),
    ("chief@sangyo.pref.example.jp", "chief", "sangyo", "産業", "係長"),
    ("section-chief@sangyo.pref.example.jp", "section_chief", "sangyo", "産業", "課長"),
    ("director@sangyo.pref.example.jp", "director", "sangyo", "商工", "部長"),
    ("section-chief@zaimu.pref.example.jp", "section_chief", "zaimu", "財政", "課長"),
    # The procedure owner (手続所管) who builds the division's procedures.
    ("owner@sangyo.pref.example.jp", "owner", "sangyo", "産業", "手続担当"),
]
FINANCE = ("zaimu", "財政課", "Finance Division", "000-111-6666")


def _get_or_create(model: Any, lookup: dict[str, Any], **values: Any) -> Any:
    found = db.session.scalar(select(model).filter_by(**lookup))
    if found is None:
        found = model(**lookup, **values)
        db.session.add(found)
        db.session.flush()
    return found


def _user(email: str, family: str, given: str) -> User:
    return _get_or_create(
        User,
        {"email": email},
        family_name=family,
        given_name=given,
        password_hash=hash_password(DEMO_PASSWORD),
        email_verified_at=utcnow(),
    )


def _department(tenant: Tenant, spec: tuple[str, str, str, str]) -> Department:
    code, name_ja, name_en, phone = spec
    department = _get_or_create(
        Department,
        {"tenant_id": tenant.id, "name_ja": name_ja},
        code=code,
        name_en=name_en,
        phone=phone,
    )
    department.code = code  # a database migrated from before codes existed gets the demo's
    return department


def _tenant(spec: dict[str, Any], parent: Tenant | None) -> tuple[Tenant, Department]:
    fields = {k: v for k, v in spec.items() if k not in ("slug", "department", "staff")}
    tenant = _get_or_create(
        Tenant, {"slug": spec["slug"]}, parent_id=parent and parent.id, **fields
    )
    tenant.closing_days = list(spec.get("closing_days", tenant.closing_days))
    return tenant, _department(tenant, spec["department"])


def _member(user: User, tenant: Tenant, role: str, department: Department | None) -> None:
    membership = _get_or_create(
        Membership, {"user_id": user.id, "tenant_id": tenant.id, "role": role}
    )
    membership.department_id = department.id if department else None


def _staff(tenant: Tenant, prefix: str) -> list[tuple[str, str]]:
    # The general demo accounts hold their role in every department of the tenant, so
    # one login can follow any demo procedure.
    people = [("reviewer", "審査", "担当"), ("approver", "決裁", "課長"), ("admin", "管理", "者")]
    logins = []
    for role, family, given in people:
        email = f"{role}@{prefix}.example.jp"
        _member(_user(email, family, given), tenant, role, None)
        logins.append((email, f"{role} — {tenant.name_ja} ({tenant.name_en})"))
    return logins


def _department_staff(tenant: Tenant) -> list[tuple[str, str]]:
    departments = {"sangyo": _department(tenant, DEPARTMENTS["iot-ai-robot-subsidy"])}
    departments["zaimu"] = _department(tenant, FINANCE)
    logins = []
    for email, role, code, family, given in DEPARTMENT_STAFF:
        _member(_user(email, family, given), tenant, role, departments[code])
        logins.append((email, f"{role} — {departments[code].name_ja} ({tenant.name_ja})"))
    return logins


def _procedure(tenant: Tenant, department: Department, slug: str, filename: str) -> None:
    document = json.loads((HERE / "procedures" / filename).read_text("utf-8"))
    if slug in DEPARTMENTS:
        department = _department(tenant, DEPARTMENTS[slug])
    procedure = _get_or_create(
        Procedure, {"tenant_id": tenant.id, "slug": slug}, department_id=department.id
    )
    publish_version(procedure, document, actor=None)


def load_demo() -> list[tuple[str, str]]:
    """Create (or find) every demo record; return the logins to print."""
    logins = [("resident@example.jp", "resident 山田 花子 (Hanako Yamada)")]
    resident = _user("resident@example.jp", "山田", "花子")
    if resident.profile is None:
        resident.profile = DEMO_PROFILE
    parent: Tenant | None = None
    made: dict[str, tuple[Tenant, Department]] = {}
    for spec in TENANTS:
        tenant, department = _tenant(spec, parent)
        parent = parent or tenant
        made[spec["slug"]] = (tenant, department)
        logins += _staff(tenant, spec["staff"])
    logins += _department_staff(made["midori-pref"][0])
    ensure_demo_seals(
        seals_dir(), [(t.slug, t.name_ja, t.head_title) for t, _department in made.values()]
    )
    for tenant_slug, slug, filename in PROCEDURES:
        _procedure(*made[tenant_slug], slug, filename)
    return logins
