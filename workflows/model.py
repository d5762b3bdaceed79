"""The workflow model: case statuses, routes of stages, actions and their outcomes."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Literal

DEFAULT_LOCALE = "ja"

# Lower-case ASCII so that ids are safe in URLs, HTML ids and translation keys.
_SLUG = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")


class Status(StrEnum):
    """Where an application stands; the portal translates the values."""

    DRAFT = "draft"  # 一時保存
    SUBMITTED = "submitted"  # 送信済
    RECEIVED = "received"  # 受付
    UNDER_REVIEW = "under_review"  # 審査中
    CORRECTION_REQUESTED = "correction_requested"  # 補正依頼中
    COMPLETED = "completed"  # 処理完了
    REJECTED = "rejected"  # 却下
    WITHDRAWN = "withdrawn"  # 取下げ

    @property
    def is_final(self) -> bool:
        """Whether the case is closed and accepts no further action."""
        return self in _FINAL

    @property
    def is_open(self) -> bool:
        """Whether the case has been submitted and is still being handled."""
        return self in _OPEN


_FINAL = frozenset({Status.COMPLETED, Status.REJECTED, Status.WITHDRAWN})
_OPEN = frozenset(
    {Status.SUBMITTED, Status.RECEIVED, Status.UNDER_REVIEW, Status.CORRECTION_REQUESTED}
)


class StageKind(StrEnum):
    """What a stage does: circulate for review (回議) or decide (決裁)."""

    REVIEW = "review"
    DECISION = "decision"


@dataclass(frozen=True)
class Stage:
    """One step of a route, handled by staff holding ``role`` in the tenant."""

    id: str
    kind: StageKind
    role: str
    title: Mapping[str, str]


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


def _stage_from_dict(raw: Mapping[str, Any]) -> Stage:
    return Stage(
        id=raw["id"],
        kind=StageKind(raw["kind"]),
        role=raw["role"],
        title=dict(raw["title"]),
    )


def _stage_to_dict(stage: Stage) -> dict[str, Any]:
    return {
        "id": stage.id,
        "kind": str(stage.kind),
        "role": stage.role,
        "title": dict(stage.title),
    }


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
    problems.extend(_decision_problems(stages))
    return problems


def _stage_problems(index: int, raw: Any) -> list[str]:
    where = f"stages[{index}]"
    if not isinstance(raw, Mapping):
        return [f"{where}: must be an object"]
    problems: list[str] = []
    stage_id = raw.get("id")
    if not isinstance(stage_id, str) or not _SLUG.match(stage_id):
        problems.append(f"{where}.id: must be a non-empty slug (a-z, 0-9, - and _)")
    if _kind_of(raw) is None:
        known = ", ".join(kind.value for kind in StageKind)
        problems.append(f"{where}.kind: must be one of {known}")
    role = raw.get("role")
    if not isinstance(role, str) or not role.strip():
        problems.append(f"{where}.role: must be a non-empty string")
    problems.extend(_title_problems(where, raw.get("title")))
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


def _decision_problems(stages: list[Any] | tuple[Any, ...]) -> list[str]:
    kinds = [_kind_of(raw) for raw in stages]
    decisions = kinds.count(StageKind.DECISION)
    problems: list[str] = []
    if decisions != 1:
        problems.append(f"stages: a route needs exactly one decision stage, found {decisions}")
    if decisions and kinds[-1] is not StageKind.DECISION:
        problems.append("stages: the decision stage must be the last stage")
    return problems


class ActionKind(StrEnum):
    """What someone does to a case; the declaration order is the order offered in the UI."""

    SUBMIT = "submit"
    RECEIVE = "receive"  # 受付
    PASS = "pass"  # noqa: S105 - an action name that merely looks like a password
    RETURN_TO_PREVIOUS = "return_to_previous"  # 差戻し
    REQUEST_CORRECTION = "request_correction"  # 補正依頼
    APPROVE = "approve"
    REJECT = "reject"
    WITHDRAW = "withdraw"  # 取下げ
    RESUBMIT = "resubmit"  # 補正後の再提出


@dataclass(frozen=True)
class Action:
    """An action someone asks for, with the reason they gave (if any)."""

    kind: ActionKind
    reason: str = ""


@dataclass(frozen=True)
class Actor:
    """Who is acting: their roles in the application's tenant and whether they applied."""

    user_id: int
    roles: frozenset[str]
    is_applicant: bool = False


@dataclass(frozen=True)
class CaseState:
    """The status of a case and the index of its current stage (None while draft or final)."""

    status: Status
    stage_index: int | None = None

    def __post_init__(self) -> None:
        # Refusing impossible states here saves every caller from re-checking them.
        needs_stage = self.status.is_open
        if needs_stage and (self.stage_index is None or self.stage_index < 0):
            raise ValueError(f"a {self.status} case needs a stage index >= 0")
        if not needs_stage and self.stage_index is not None:
            raise ValueError(f"a {self.status} case has no stage")


@dataclass(frozen=True)
class Event:
    """A record of one transition; ``stage_id`` is the stage the action was taken at."""

    kind: str
    from_status: Status
    to_status: Status
    stage_id: str | None
    reason: str = ""
    decision: str | None = None


@dataclass(frozen=True)
class Outcome:
    """An accepted action: the new state and the events to record."""

    state: CaseState
    events: tuple[Event, ...]


RefusalCode = Literal["not_permitted", "wrong_status", "reason_required"]


@dataclass(frozen=True)
class Refusal:
    """A refused action, with a code the portal translates."""

    code: RefusalCode
