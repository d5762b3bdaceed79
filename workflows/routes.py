"""Route definitions: reading, validating and writing the stages of a procedure's route.

A route is data stored with each procedure version::

    {"stages": [
      {"id": "check", "kind": "review", "role": "reviewer", "title": {"ja": "審査"},
       "days": 5},
      {"id": "finance", "kind": "consultation", "title": {"ja": "財政課合議"},
       "consult": [{"department": "zaimu", "role": "section_chief"}],
       "on_objection": "return"},
      {"id": "decide", "kind": "decision", "role": "director", "title": {"ja": "決裁"},
       "tiers": [{"when": {"field": "subsidy", "op": "at_most", "value": 500000},
                  "role": "section_chief"}]}
    ]}

``department`` may be given wherever a role is; without it the role is meant in the
department that owns the procedure.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from workflows.conditions import condition_problems, fields_used
from workflows.model import DEFAULT_LOCALE, ObjectionRule, Position, Stage, StageKind, Tier

# Lower-case ASCII so that ids are safe in URLs, HTML ids and translation keys.
_SLUG = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")
_STAGE_KEYS = {
    StageKind.REVIEW: {"id", "kind", "title", "role", "department", "days"},
    StageKind.CONSULTATION: {"id", "kind", "title", "consult", "on_objection", "days"},
    StageKind.DECISION: {"id", "kind", "title", "role", "department", "days", "tiers"},
}
MAX_DAYS = 365


class RouteError(ValueError):
    """A route definition that breaks the rules; lists every problem at once."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Route:
    """The ordered stages a procedure's applications pass through, ending in a decision."""

    stages: tuple[Stage, ...]

    def __post_init__(self) -> None:
        # Validating the serialised form keeps one rule set for both construction paths.
        problems = route_problems(self.to_dict())
        if problems:
            raise RouteError(problems)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Route:
        """Build a route from stored data; RouteError lists every problem found."""
        problems = route_problems(data)
        if problems:
            raise RouteError(problems)
        return cls(tuple(_stage_from_dict(raw) for raw in data["stages"]))

    def to_dict(self) -> dict[str, Any]:
        """Serialise to the data ``from_dict`` accepts."""
        return {"stages": [_stage_to_dict(stage) for stage in self.stages]}

    def index_of(self, stage_id: str) -> int | None:
        """The position of a stage in the route, or None when there is no such stage."""
        return next((i for i, stage in enumerate(self.stages) if stage.id == stage_id), None)

    def fields_used(self) -> Iterator[str]:
        """Every answer or computed value the authority tiers look at."""
        for stage in self.stages:
            for tier in stage.tiers:
                yield from fields_used(tier.when)


def _position_from_dict(raw: Mapping[str, Any]) -> Position:
    return Position(role=raw["role"], department=raw.get("department"))


def _position_to_dict(position: Position) -> dict[str, Any]:
    data: dict[str, Any] = {"role": position.role}
    if position.department is not None:
        data["department"] = position.department
    return data


def _stage_from_dict(raw: Mapping[str, Any]) -> Stage:
    kind = StageKind(raw["kind"])
    return Stage(
        id=raw["id"],
        kind=kind,
        title=dict(raw["title"]),
        position=None if kind is StageKind.CONSULTATION else _position_from_dict(raw),
        consult=tuple(_position_from_dict(part) for part in raw.get("consult", ())),
        tiers=tuple(
            Tier(when=dict(tier["when"]), position=_position_from_dict(tier))
            for tier in raw.get("tiers", ())
        ),
        on_objection=ObjectionRule(raw.get("on_objection", ObjectionRule.RETURN.value)),
        days=raw.get("days"),
    )


def _stage_to_dict(stage: Stage) -> dict[str, Any]:
    data: dict[str, Any] = {"id": stage.id, "kind": str(stage.kind), "title": dict(stage.title)}
    if stage.position is not None:
        data.update(_position_to_dict(stage.position))
    if stage.kind is StageKind.CONSULTATION:
        data["consult"] = [_position_to_dict(part) for part in stage.consult]
        data["on_objection"] = str(stage.on_objection)
    if stage.tiers:
        data["tiers"] = [
            {"when": dict(tier.when), **_position_to_dict(tier.position)} for tier in stage.tiers
        ]
    if stage.days is not None:
        data["days"] = stage.days
    return data


def route_problems(data: Any) -> list[str]:
    """Return every problem with route data (empty when it is valid)."""
    stages = data.get("stages") if isinstance(data, Mapping) else None
    if not isinstance(stages, list | tuple):
        return ["stages: must be a list of stages"]
    if not stages:
        return ["stages: a route needs at least one stage"]
    problems: list[str] = []
    for index, raw in enumerate(stages):
        problems.extend(_stage_problems(index, raw))
    problems.extend(_duplicate_id_problems(stages))
    problems.extend(_order_problems(stages))
    return problems


def _stage_problems(index: int, raw: Any) -> list[str]:
    where = f"stages[{index}]"
    if not isinstance(raw, Mapping):
        return [f"{where}: must be an object"]
    problems: list[str] = []
    stage_id = raw.get("id")
    if not isinstance(stage_id, str) or not _SLUG.match(stage_id):
        problems.append(f"{where}.id: must be a non-empty slug (a-z, 0-9, - and _)")
    problems.extend(_title_problems(where, raw.get("title")))
    kind = _kind_of(raw)
    if kind is None:
        known = ", ".join(kind.value for kind in StageKind)
        return [*problems, f"{where}.kind: must be one of {known}"]
    unknown = set(raw) - _STAGE_KEYS[kind]
    if unknown:
        problems.append(f"{where}: unknown keys for a {kind} stage: {', '.join(sorted(unknown))}")
    if kind is StageKind.CONSULTATION:
        problems.extend(_consultation_problems(where, raw))
    else:
        problems.extend(_position_problems(where, raw))
    if kind is StageKind.DECISION:
        problems.extend(_tier_problems(where, raw.get("tiers", [])))
    days = raw.get("days")
    if days is not None and (
        isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_DAYS
    ):
        problems.append(f"{where}.days: must be a whole number of business days, 1 to {MAX_DAYS}")
    return problems


def _position_problems(where: str, raw: Mapping[str, Any]) -> list[str]:
    problems = []
    role = raw.get("role")
    if not isinstance(role, str) or not _SLUG.match(role):
        problems.append(f"{where}.role: must be a role name (a-z, 0-9, - and _)")
    department = raw.get("department")
    if department is not None and (not isinstance(department, str) or not _SLUG.match(department)):
        problems.append(f"{where}.department: must be a department code (a-z, 0-9, - and _)")
    return problems


def _consultation_problems(where: str, raw: Mapping[str, Any]) -> list[str]:
    consult = raw.get("consult")
    if not isinstance(consult, list) or not consult:
        return [f"{where}.consult: a consultation needs a non-empty list of positions"]
    problems: list[str] = []
    keys: list[str] = []
    for index, part in enumerate(consult):
        if not isinstance(part, Mapping):
            problems.append(f"{where}.consult[{index}]: must be an object")
            continue
        found = _position_problems(f"{where}.consult[{index}]", part)
        unknown = set(part) - {"role", "department"}
        if unknown:
            found.append(f"{where}.consult[{index}]: unknown keys {', '.join(sorted(unknown))}")
        problems.extend(found)
        if not found:
            keys.append(_position_from_dict(part).key)
    if len(keys) != len(set(keys)):
        problems.append(f"{where}.consult: a position is consulted more than once")
    rule = raw.get("on_objection", ObjectionRule.RETURN.value)
    # Compared as text first: an unhashable value (a list, an object) must be reported too.
    if not isinstance(rule, str) or rule not in {known.value for known in ObjectionRule}:
        known = ", ".join(rule.value for rule in ObjectionRule)
        problems.append(f"{where}.on_objection: must be one of {known}")
    return problems


def _tier_problems(where: str, tiers: Any) -> list[str]:
    if not isinstance(tiers, list):
        return [f"{where}.tiers: must be a list"]
    problems: list[str] = []
    for index, tier in enumerate(tiers):
        place = f"{where}.tiers[{index}]"
        if not isinstance(tier, Mapping):
            problems.append(f"{place}: must be an object")
            continue
        problems.extend(_position_problems(place, tier))
        problems.extend(condition_problems(f"{place}.when", tier.get("when")))
        unknown = set(tier) - {"when", "role", "department"}
        if unknown:
            problems.append(f"{place}: unknown keys {', '.join(sorted(unknown))}")
    return problems


def _title_problems(where: str, title: Any) -> list[str]:
    if not isinstance(title, Mapping) or not all(
        isinstance(key, str) and isinstance(text, str) for key, text in title.items()
    ):
        return [f"{where}.title: must map locales to text"]
    if not title.get(DEFAULT_LOCALE, "").strip():
        return [f"{where}.title: must have a {DEFAULT_LOCALE!r} text"]
    return []


def _kind_of(raw: Any) -> StageKind | None:
    kind = raw.get("kind") if isinstance(raw, Mapping) else None
    return next((known for known in StageKind if known.value == kind), None)


def _duplicate_id_problems(stages: list[Any] | tuple[Any, ...]) -> list[str]:
    seen: set[str] = set()
    reported: list[str] = []
    for raw in stages:
        stage_id = raw.get("id") if isinstance(raw, Mapping) else None
        if not isinstance(stage_id, str) or not stage_id:
            continue
        if stage_id in seen and stage_id not in reported:
            reported.append(stage_id)
        seen.add(stage_id)
    return [f"stages: id {stage_id!r} is used more than once" for stage_id in reported]


def _order_problems(stages: list[Any] | tuple[Any, ...]) -> list[str]:
    kinds = [_kind_of(raw) for raw in stages]
    decisions = kinds.count(StageKind.DECISION)
    problems: list[str] = []
    if decisions != 1:
        problems.append(f"stages: a route needs exactly one decision stage, found {decisions}")
    if decisions and kinds[-1] is not StageKind.DECISION:
        problems.append("stages: the decision stage must be the last stage")
    if kinds[0] is StageKind.CONSULTATION:
        # Someone of the owning department receives the case before others are consulted,
        # and an objection needs a stage to return the case to.
        problems.append("stages: a consultation cannot be the first stage")
    return problems
