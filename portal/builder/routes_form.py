"""The approval route's forms read into stages, and the route's problems told in words.

Pure helpers over the draft's plain data and a posted form (any mapping with ``get``):
no database, no request. The choices a form offers (roles, department codes, the
answers an authority tier may look at) are passed in, so that a posted value outside
them is refused here rather than stored.
"""

from __future__ import annotations

import copy
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from forms import editing
from workflows.routes import MAX_DAYS, route_problems

KIND_NAMES = {
    "review": _l("Review (回議)"),
    "consultation": _l("Consultation (合議)"),
    "decision": _l("Decision (決裁)"),
}
OBJECTION_NAMES = {
    "return": _l("An objection sends the application back to the stage before"),
    "record": _l("An objection is recorded for the decider, and the application goes on"),
}
TIER_OPERATORS = {
    "at_most": _l("is at most"),
    "at_least": _l("is at least"),
    "equals": _l("equals"),
}
#: Consulted positions the stage editor offers rows for (more when a stage has more).
CONSULT_ROWS = 5
_MAX_CONSULT = 30
_NUMERIC_TYPES = frozenset({"number", "money"})
_STAGE_PROBLEM = re.compile(r"^stages\[(\d+)\](\S*): (.*)$")


@dataclass(frozen=True)
class Choices:
    """What the route's forms may choose: roles, department codes, tier fields."""

    roles: tuple[str, ...]
    departments: tuple[str, ...]
    fields: tuple[str, ...] = ()


Form = Mapping[str, Any]
Stage = dict[str, Any]


# The route in the document -------------------------------------------------------------


def stages_of(document: Mapping[str, Any]) -> list[Stage]:
    """A copy of the draft's stages, safe to change."""
    return copy.deepcopy(list((document.get("route") or {}).get("stages") or []))


def with_stages(document: Mapping[str, Any], stages: list[Stage]) -> dict[str, Any]:
    """A new document whose route has these stages."""
    return editing.set_route(document, {**(document.get("route") or {}), "stages": stages})


def new_stage_id(stages: list[Stage]) -> str:
    """The first unused id of s1, s2, …"""
    used = {stage.get("id") for stage in stages}
    number = 1
    while f"s{number}" in used:
        number += 1
    return f"s{number}"


def index_of(stages: list[Stage], stage_id: str) -> int | None:
    """Where the stage with this id is, or None."""
    return next((i for i, stage in enumerate(stages) if stage.get("id") == stage_id), None)


def insert_stage(stages: list[Stage], stage: Stage) -> list[Stage]:
    """The stages with a new one: a review or consultation goes before the decision."""
    decisions = [i for i, s in enumerate(stages) if s.get("kind") == "decision"]
    at = decisions[-1] if decisions and stage["kind"] != "decision" else len(stages)
    return [*stages[:at], stage, *stages[at:]]


def move(items: list[Any], index: int, offset: int) -> list[Any]:
    """The list with one item moved up (-1) or down (+1), kept inside the list."""
    moved = list(items)
    target = max(0, min(len(moved) - 1, index + offset))
    moved.insert(target, moved.pop(index))
    return moved


def tier_fields(document: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(id, Japanese label) of the number and amount questions and the computed values."""
    found = [
        (field["id"], _ja(field.get("label")) or field["id"])
        for page in (document.get("form") or {}).get("pages") or []
        for field in page.get("fields") or []
        if field.get("type") in _NUMERIC_TYPES
    ]
    found += [
        (item["id"], _ja(item.get("label")) or item["id"])
        for item in document.get("computed") or []
        if isinstance(item, Mapping) and "id" in item
    ]
    return found


def _ja(text: Any) -> str:
    return str(text.get("ja") or "") if isinstance(text, Mapping) else ""


# Reading the forms ---------------------------------------------------------------------


def _position(
    form: Form, role_key: str, department_key: str, choices: Choices, errors: dict[str, str]
) -> Stage:
    """A role in a department (none: the procedure's own) from two inputs of the form."""
    role = form.get(role_key) or ""
    department = form.get(department_key) or ""
    if role not in choices.roles:
        errors[role_key] = _("Choose who acts: a role from the list.")
    if department and department not in choices.departments:
        errors[department_key] = _("Choose one of the departments in the list.")
    position: Stage = {"role": role}
    if department:
        position["department"] = department
    return position


def read_new_stage(
    form: Form, stages: list[Stage], choices: Choices
) -> tuple[Stage, dict[str, str]]:
    """A stage from the "add a stage" form: its title, kind and who acts.

    For a consultation, the role and department chosen are the first position consulted.
    """
    errors: dict[str, str] = {}
    title = (form.get("title") or "").strip()
    if not title:
        errors["title"] = _("Enter the name of the stage in Japanese, such as 係長回議.")
    kind = form.get("kind") or ""
    if kind not in KIND_NAMES:
        errors["kind"] = _("Choose what the stage does.")
    position = _position(form, "role", "department", choices, errors)
    stage: Stage = {"id": new_stage_id(stages), "kind": kind, "title": {"ja": title}}
    if kind == "consultation":
        stage.update(consult=[position], on_objection="return")
    else:
        stage.update(position)
    return stage, errors


def stage_values(stage: Mapping[str, Any]) -> dict[str, str]:
    """A stage as the stage editor's inputs."""
    title = stage.get("title") or {}
    values = {
        "title_ja": title.get("ja", ""),
        "title_en": title.get("en", ""),
        "kind": stage.get("kind", ""),
        "role": stage.get("role", ""),
        "department": stage.get("department", ""),
        "days": str(stage.get("days") or ""),
        "on_objection": stage.get("on_objection", "return"),
    }
    for number, part in enumerate(stage.get("consult") or [], start=1):
        values[f"consult_role_{number}"] = part.get("role", "")
        values[f"consult_department_{number}"] = part.get("department", "")
    return values


def consult_rows(stage: Mapping[str, Any]) -> int:
    """How many consulted positions the stage editor offers rows for."""
    return max(CONSULT_ROWS, len(stage.get("consult") or []) + 1)


def read_stage(stage: Stage, form: Form, choices: Choices) -> tuple[Stage, dict[str, str]]:
    """The stage as edited: title, kind, who acts or who is consulted, days.

    A stage keeps only the keys of its kind: a review changed into a consultation loses
    its role, a decision changed into a review loses its authority tiers.
    """
    errors: dict[str, str] = {}
    kind = form.get("kind") or ""
    if kind not in KIND_NAMES:
        errors["kind"] = _("Choose what the stage does.")
    changed: Stage = {"id": stage["id"], "kind": kind, "title": _title(stage, form, errors)}
    if kind == "consultation":
        changed["consult"] = _consulted(form, choices, errors)
        changed["on_objection"] = _objection(form, errors)
    elif kind in KIND_NAMES:
        changed.update(_position(form, "role", "department", choices, errors))
    days = _days(form.get("days") or "", errors)
    if days is not None:
        changed["days"] = days
    if kind == "decision" and stage.get("kind") == "decision" and stage.get("tiers"):
        changed["tiers"] = copy.deepcopy(stage["tiers"])
    return changed, errors


def _title(stage: Mapping[str, Any], form: Form, errors: dict[str, str]) -> dict[str, str]:
    title = dict(stage.get("title") or {})
    title["ja"] = (form.get("title_ja") or "").strip()
    if not title["ja"]:
        errors["title_ja"] = _("Enter the name of the stage in Japanese.")
    english = (form.get("title_en") or "").strip()
    if english:
        title["en"] = english
    else:
        title.pop("en", None)
    return title


def _consulted(form: Form, choices: Choices, errors: dict[str, str]) -> list[Stage]:
    positions = []
    for number in range(1, _MAX_CONSULT + 1):
        role_key, department_key = f"consult_role_{number}", f"consult_department_{number}"
        if form.get(role_key):
            positions.append(_position(form, role_key, department_key, choices, errors))
    if not positions:
        errors["consult_role_1"] = _("Choose at least one position to consult.")
    return positions


def _objection(form: Form, errors: dict[str, str]) -> str:
    rule = form.get("on_objection") or "return"
    if rule not in OBJECTION_NAMES:
        errors["on_objection"] = _("Choose what an objection does.")
    return rule


def _days(typed: str, errors: dict[str, str]) -> int | None:
    typed = unicodedata.normalize("NFKC", typed).strip()
    if not typed:
        return None
    if not typed.isdigit() or not 1 <= int(typed) <= MAX_DAYS:
        errors["days"] = _(
            "Enter a number of business days from 1 to %(most)d, or leave it empty.",
            most=MAX_DAYS,
        )
        return None
    return int(typed)


def read_tier(form: Form, choices: Choices) -> tuple[Stage, dict[str, str]]:
    """An authority tier (専決) from the "add a tier" row: a comparison and who decides."""
    errors: dict[str, str] = {}
    field = form.get("tier_field") or ""
    if field not in choices.fields:
        errors["tier_field"] = _("Choose the answer or computed value the tier looks at.")
    op = form.get("tier_op") or ""
    if op not in TIER_OPERATORS:
        errors["tier_op"] = _("Choose how the value is compared.")
    value = _number(form.get("tier_value") or "")
    if value is None:
        errors["tier_value"] = _("Enter a number, such as 500000.")
    tier: Stage = {"when": {"field": field, "op": op, "value": value}}
    tier.update(_position(form, "tier_role", "tier_department", choices, errors))
    return tier, errors


def _number(typed: str) -> int | float | None:
    cleaned = unicodedata.normalize("NFKC", typed).replace(",", "").replace("円", "").strip()
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        return None
    if not number.is_finite():
        return None
    return int(number) if number == number.to_integral_value() else float(number)


def change_tiers(stage: Stage, action: str) -> Stage | None:
    """The stage with a tier deleted or moved (``delete:2``, ``up:1``…); None if unknown."""
    verb, _sep, number = action.partition(":")
    tiers = list(stage.get("tiers") or [])
    if verb not in ("delete", "up", "down") or not number.isdigit():
        return None
    index = int(number)
    if index >= len(tiers):
        return None
    if verb == "delete":
        tiers.pop(index)
    else:
        tiers = move(tiers, index, -1 if verb == "up" else 1)
    changed = {key: value for key, value in stage.items() if key != "tiers"}
    if tiers:
        changed["tiers"] = tiers
    return changed


# The route's problems, in words ---------------------------------------------------------


def new_problems(before: list[Stage], after: list[Stage]) -> list[str]:
    """What is wrong with the changed route and was not already wrong before, in words.

    Problems the draft already had (an imported route, say) are not blamed on an edit
    that did not cause them, so that they can be mended one at a time.
    """
    old = set(route_problems({"stages": before}))
    return [
        message(problem, after)
        for problem in route_problems({"stages": after})
        if problem not in old
    ]


def message(problem: str, stages: list[Stage]) -> str:
    """One problem reported by workflows.routes, told to a procedure owner."""
    if problem.startswith("stages: a route needs exactly one decision stage, found 0") or (
        problem == "stages: a route needs at least one stage"
    ):
        return _(
            "The route needs a decision stage (決裁) as its last stage: it decides the "
            "application. Keep it, and change who decides instead of deleting it or "
            "changing its kind."
        )
    if problem.startswith("stages: a route needs exactly one decision stage"):
        return _(
            "The route can have only one decision stage (決裁). Add a review or a "
            "consultation instead, or edit the decision stage."
        )
    if problem == "stages: the decision stage must be the last stage":
        return _("The decision stage (決裁) must be the last stage of the route.")
    if problem == "stages: a consultation cannot be the first stage":
        return _(
            "A consultation (合議) cannot be the first stage: someone of the procedure's "
            "own department receives the application first. Put a review stage before it."
        )
    return _stage_message(problem, stages)


def _stage_message(problem: str, stages: list[Stage]) -> str:
    match = _STAGE_PROBLEM.match(problem)
    if match is None:
        return _("Approval route: %(problem)s", problem=problem)
    index, where, rest = int(match.group(1)), match.group(2), match.group(3)
    stage = stages[index] if index < len(stages) else {}
    title = _ja(stage.get("title")) or str(stage.get("id", ""))
    if where == ".consult" and rest.startswith("a position is consulted more than once"):
        rest = _("the same position is consulted twice. Remove one of them.")
    elif where == ".consult":
        rest = _("choose at least one position to consult.")
    return _("Stage %(number)d 「%(title)s」: %(problem)s", number=index + 1, title=title,
             problem=rest)  # fmt: skip
