"""Prefilling answers from the resident's profile (住所・氏名 once, not on every form).

A definition marks a question with ``"prefill": "<key>"``; the profile keeps one answer
per key, cleaned by the same field types as any answer, so a prefilled value is
exactly what the resident would have typed. The value is only shown: it becomes an
answer when the resident saves the page, and they may change it first.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from forms.model import Field, FormDefinition, Page

#: Profile key → the field type its value has (and the questions it may fill).
PREFILL_TYPES: dict[str, str] = {
    "name": "name",
    "birth_date": "date",
    "phone": "phone",
    "address": "address",
}

#: The profile page, defined in the definition language itself.
PROFILE_PAGE = Page(
    id="profile",
    title={"ja": "登録情報", "en": "Your details"},
    fields=(
        Field("name", "name", {"ja": "氏名", "en": "Name"}, params={"foreign": True}),
        Field(
            "birth_date",
            "date",
            {"ja": "生年月日", "en": "Date of birth"},
            hint={"ja": "例：平成2年4月1日、1990-04-01", "en": "For example: 1990-04-01"},
            params={"past": True, "autocomplete": "bday"},
        ),
        Field("phone", "phone", {"ja": "電話番号", "en": "Phone number"}),
        Field("address", "address", {"ja": "住所", "en": "Address"}),
    ),
)


def prefill_problems(form: FormDefinition) -> list[str]:
    """A question may only be prefilled from a profile value of its own type."""
    problems = []
    for f in form.fields():
        key = f.params.get("prefill")
        if key is None:
            continue
        if key not in PREFILL_TYPES:
            problems.append(f"field {f.id!r}: unknown prefill {key!r}")
        elif PREFILL_TYPES[key] != f.type:
            problems.append(
                f"field {f.id!r}: prefill {key!r} gives a {PREFILL_TYPES[key]!r}, not a {f.type!r}"
            )
    return problems


def prefilled(page: Page, answers: Mapping[str, Any], profile: Mapping[str, Any]) -> dict[str, Any]:
    """Answers for the page's unanswered questions that the profile can fill."""
    values: dict[str, Any] = {}
    for f in page.fields:
        key = f.params.get("prefill")
        if answers.get(f.id) is None and key in PREFILL_TYPES and profile.get(key) is not None:
            values[f.id] = profile[key]
    return values
