"""What administrators type, parsed and checked (the messages module explains refusals).

The parsers take the posted form and return plain values, or raise ``Invalid`` naming
every field that is wrong, so the page can show them all at once with the input kept.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import filetype
from flask_babel import lazy_gettext as _l

from portal.review.inbox import small_id
from portal.tenants.models import ROLES

#: Labels of the inputs, shared by the pages and by the messages that name them.
LABELS = {
    "name_ja": _l("Name in Japanese"),
    "name_en": _l("Name in English"),
    "document_symbol": _l("Document number prefix"),
    "head_title": _l("Title of the head of government"),
    "brand_colour": _l("Header colour"),
    "logo": _l("Logo"),
    "code": _l("Code"),
    "phone": _l("Phone number"),
    "email": _l("E-mail address"),
    "family_name": _l("Family name"),
    "given_name": _l("Given name"),
    "role": _l("Role"),
    "department": _l("Department"),
    "deputy": _l("Deputy"),
    "closing_days": _l("Closing days every year"),
    "closed_dates": _l("Single closed dates"),
    "file": _l("Seal certificate file"),
    "passphrase": _l("Passphrase of the file"),
}

MAX_LOGO_BYTES = 1024 * 1024
LOGO_KINDS = {"image/png": "png", "image/jpeg": "jpg"}
MINIMUM_CONTRAST = 4.5

_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
_CODE = re.compile(r"[a-z0-9_-]{1,40}")
_PHONE = re.compile(r"[0-9][0-9-]{0,18}[0-9]")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_MONTH_DAY = re.compile(r"(\d{2})-(\d{2})")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class Problem:
    """Why one input was refused, with the values its message names."""

    code: str
    params: Mapping[str, Any] = field(default_factory=dict)


class Invalid(Exception):
    """Input refused: the problem of each wrong field."""

    def __init__(self, problems: dict[str, Problem]) -> None:
        super().__init__(problems)
        self.problems = problems

    @classmethod
    def about(cls, name: str, code: str, /, **params: Any) -> Invalid:
        """A refusal of one field."""
        return cls({name: Problem(code, params)})


class _Checker:
    """Reads a posted form, gathering the problems of every field."""

    def __init__(self, form: Mapping[str, str]) -> None:
        self.form = form
        self.problems: dict[str, Problem] = {}

    def fail(self, name: str, code: str, /, **params: Any) -> None:
        self.problems.setdefault(name, Problem(code, params))

    def text(self, name: str, max_length: int, *, required: bool = True) -> str:
        value = (self.form.get(name) or "").strip()
        if required and not value:
            self.fail(name, "required")
        elif len(value) > max_length:
            self.fail(name, "too_long", max=max_length)
        return value

    def done(self) -> None:
        if self.problems:
            raise Invalid(self.problems)


@dataclass(frozen=True)
class TenantDetails:
    """The government's names, document prefix, head's title and header colour."""

    name_ja: str
    name_en: str
    document_symbol: str
    head_title: str
    brand_colour: str


def details(form: Mapping[str, str]) -> TenantDetails:
    """Parse the government details form."""
    check = _Checker(form)
    values = TenantDetails(
        name_ja=check.text("name_ja", 100),
        name_en=check.text("name_en", 100),
        document_symbol=check.text("document_symbol", 20),
        head_title=check.text("head_title", 60),
        brand_colour=_colour(check, (form.get("brand_colour") or "").strip()),
    )
    check.done()
    return values


def _colour(check: _Checker, text: str) -> str:
    if not text:
        return ""
    if not _COLOUR.fullmatch(text):
        check.fail("brand_colour", "colour_format")
        return text
    ratio = contrast_with_white(text)
    if ratio < MINIMUM_CONTRAST:
        # Rounded down: a ratio of 4.46 must not read as an acceptable 4.5.
        shown = f"{math.floor(ratio * 10) / 10:.1f}"
        check.fail("brand_colour", "colour_contrast", colour=text, ratio=shown)
    return text.lower()


def contrast_with_white(colour: str) -> float:
    """The WCAG 2 contrast ratio of white text on a "#RRGGBB" background."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return 1.05 / (luminance + 0.05)


def logo_extension(data: bytes) -> str:
    """The file extension of an acceptable logo, judged by its content, not its name."""
    if not data:
        raise Invalid.about("logo", "logo_missing")
    if len(data) > MAX_LOGO_BYTES:
        raise Invalid.about("logo", "logo_too_large")
    guessed = filetype.guess(data)
    if guessed is None or guessed.mime not in LOGO_KINDS:
        raise Invalid.about("logo", "logo_type")
    return LOGO_KINDS[guessed.mime]


@dataclass(frozen=True)
class DepartmentValues:
    """A department's code (fixed once created), names and phone number."""

    code: str
    name_ja: str
    name_en: str
    phone: str


def department(form: Mapping[str, str], *, code: str | None = None) -> DepartmentValues:
    """Parse the department form; ``code`` is the existing one when editing."""
    check = _Checker(form)
    if code is None:
        code = check.text("code", 40)
        if code and not _CODE.fullmatch(code):
            check.fail("code", "code_format")
    phone = check.text("phone", 20, required=False)
    if phone and not _PHONE.fullmatch(phone):
        check.fail("phone", "phone_format")
    values = DepartmentValues(
        code=code,
        name_ja=check.text("name_ja", 100),
        name_en=check.text("name_en", 100),
        phone=phone,
    )
    check.done()
    return values


@dataclass(frozen=True)
class RoleChoice:
    """A role, held in one department (an id) or in every one (None)."""

    role: str
    department_id: int | None


def role_choice(form: Mapping[str, str]) -> RoleChoice:
    """Parse a role and its department (the department is checked against the tenant later)."""
    check = _Checker(form)
    role = form.get("role") or ""
    if role not in ROLES:
        check.fail("role", "role_unknown")
    raw = (form.get("department") or "").strip()
    department_id = small_id(raw)
    if raw and department_id is None:
        check.fail("department", "department_unknown")
    check.done()
    return RoleChoice(role=role, department_id=department_id)


@dataclass(frozen=True)
class Invitation:
    """Who to invite, and the role they get."""

    email: str
    family_name: str
    given_name: str
    choice: RoleChoice


def invitation(form: Mapping[str, str]) -> Invitation:
    """Parse the invitation form."""
    check = _Checker(form)
    email = check.text("email", 254).lower()
    if email and not _EMAIL.fullmatch(email):
        check.fail("email", "email_format")
    family_name = check.text("family_name", 100, required=False)
    given_name = check.text("given_name", 100, required=False)
    try:
        choice = role_choice(form)
    except Invalid as error:
        check.problems.update(error.problems)
        choice = RoleChoice(role="", department_id=None)
    check.done()
    return Invitation(email, family_name, given_name, choice)


def deputy_choice(form: Mapping[str, str]) -> int | None:
    """The user id of the chosen deputy; None for nobody."""
    raw = (form.get("deputy") or "").strip()
    chosen = small_id(raw)
    if raw and chosen is None:
        raise Invalid.about("deputy", "deputy_unknown")
    return chosen


@dataclass(frozen=True)
class ClosingDays:
    """The days a government's offices close: each year ("MM-DD") and once ("YYYY-MM-DD")."""

    yearly: list[str]
    single: list[str]


def closing_days(form: Mapping[str, str]) -> ClosingDays:
    """Parse the two lists, one day a line; a wrong line is named by its number."""
    check = _Checker(form)
    yearly = _lines(check, form, "closing_days", _month_day, "day_format")
    single = _lines(check, form, "closed_dates", _iso_date, "date_format")
    check.done()
    return ClosingDays(yearly=yearly, single=single)


def _lines(
    check: _Checker,
    form: Mapping[str, str],
    name: str,
    parse: Callable[[str], str | None],
    code: str,
) -> list[str]:
    found: set[str] = set()
    for number, line in enumerate((form.get(name) or "").splitlines(), start=1):
        text = line.strip()
        if not text:
            continue
        day = parse(text)
        if day is None:
            check.fail(name, code, line=number, value=text[:20])
            break
        found.add(day)
    return sorted(found)


def _month_day(text: str) -> str | None:
    match = _MONTH_DAY.fullmatch(text.replace("/", "-"))
    try:
        # A leap year, so that 02-29 counts as a day of the year.
        return date(2024, int(match[1]), int(match[2])).strftime("%m-%d") if match else None
    except ValueError:
        return None


def _iso_date(text: str) -> str | None:
    text = text.replace("/", "-")
    try:
        return date.fromisoformat(text).isoformat() if _ISO_DATE.fullmatch(text) else None
    except ValueError:
        return None
