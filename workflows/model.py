"""The workflow model: case statuses, stages, actions, actors and their outcomes.

The vocabulary is that of Japanese electronic approval (電子決裁):

- a **review** stage (回議) is one position reading and passing the case on;
- a **consultation** stage (合議) asks several positions, usually other departments, at
  once; each consents or objects;
- the **decision** stage (決裁) decides; authority tiers (専決規程) choose which position
  decides from the answers (e.g. a subsidy of at most ¥500,000 is decided by the section
  chief, anything more by the director).

A position is a role within a department. Routes are tenant-agnostic data, so a stage may
leave the department out: it then means the department that owns the procedure.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Literal

DEFAULT_LOCALE = "ja"


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
    ABANDONED = "abandoned"  # 廃案: closed by the office without a decision

    @property
    def is_final(self) -> bool:
        """Whether the case is closed and accepts no further action."""
        return self in _FINAL

    @property
    def is_open(self) -> bool:
        """Whether the case has been submitted and is still being handled."""
        return self in _OPEN


_FINAL = frozenset({Status.COMPLETED, Status.REJECTED, Status.WITHDRAWN, Status.ABANDONED})
_OPEN = frozenset(
    {Status.SUBMITTED, Status.RECEIVED, Status.UNDER_REVIEW, Status.CORRECTION_REQUESTED}
)


class StageKind(StrEnum):
    """What a stage does: review (回議), consult in parallel (合議) or decide (決裁)."""

    REVIEW = "review"
    CONSULTATION = "consultation"
    DECISION = "decision"


class ObjectionRule(StrEnum):
    """What an objection does in a consultation (合議)."""

    #: Any objection stops the consultation and returns the case to the stage before it;
    #: the case goes on only when every consulted position has consented.
    RETURN = "return"
    #: An objection is recorded as a dissenting opinion for the decider and counts as an
    #: answer; the case goes on once every consulted position has answered.
    RECORD = "record"


@dataclass(frozen=True)
class Position:
    """A role within a department (課 / 係).

    In a route, ``department=None`` means the department that owns the procedure. On an
    actor, ``department=None`` means the role is held in every department of the tenant.
    """

    role: str
    department: str | None = None

    @property
    def key(self) -> str:
        """A stable text form, e.g. ``zaimu/section_chief`` (``/approver`` without one)."""
        return f"{self.department or ''}/{self.role}"

    def resolved(self, home_department: str | None) -> Position:
        """The position with the procedure's own department filled in where none is named."""
        if self.department is not None or home_department is None:
            return self
        return Position(self.role, home_department)

    def covers(self, required: Position) -> bool:
        """Whether holding this position lets someone act in ``required``."""
        if self.role != required.role:
            return False
        return self.department is None or self.department == required.department


@dataclass(frozen=True)
class Tier:
    """One rule of the 専決規程: when ``when`` holds, ``position`` decides."""

    when: Mapping[str, Any]
    position: Position


@dataclass(frozen=True)
class Stage:
    """One step of a route.

    A review or decision stage has one ``position`` (for a decision, the default when no
    tier applies); a consultation has its ``consult`` positions and an objection rule.
    ``days`` is the stage's own time limit in business days, if it has one.
    """

    id: str
    kind: StageKind
    title: Mapping[str, str]
    position: Position | None = None
    consult: tuple[Position, ...] = ()
    tiers: tuple[Tier, ...] = ()
    on_objection: ObjectionRule = ObjectionRule.RETURN
    days: int | None = None

    @property
    def role(self) -> str | None:
        """The role of the stage's single position (None for a consultation)."""
        return self.position.role if self.position else None


class ActionKind(StrEnum):
    """What someone does to a case; the declaration order is the order offered in the UI."""

    SUBMIT = "submit"
    RECEIVE = "receive"  # 受付
    CLAIM = "claim"  # 担当する
    PASS = "pass"  # noqa: S105 - 回議: read and pass on (an action name, not a password)
    CONSENT = "consent"  # 合議: 同意
    OBJECT = "object"  # 合議: 異議
    APPROVE = "approve"  # 決定 (grant)
    REJECT = "reject"  # 却下
    REQUEST_CORRECTION = "request_correction"  # 補正依頼
    RETURN_TO_PREVIOUS = "return_to_previous"  # 差戻し
    REASSIGN = "reassign"  # 担当替え
    ABANDON = "abandon"  # 廃案
    WITHDRAW = "withdraw"  # 取下げ
    RESUBMIT = "resubmit"  # 補正後の再提出


@dataclass(frozen=True)
class Action:
    """An action someone asks for, with what it needs.

    ``reason`` is the reason or message; ``target_stage`` the stage a 差戻し returns to
    (the previous one when None); ``assignee`` the user a reassignment gives the case to.
    """

    kind: ActionKind
    reason: str = ""
    target_stage: str | None = None
    assignee: int | None = None


@dataclass(frozen=True)
class Actor:
    """Who is acting.

    ``positions`` are the positions the person holds in the application's tenant;
    ``deputy_for`` maps each absent colleague this person stands in for (代決) to the
    positions that colleague holds.
    """

    user_id: int
    positions: frozenset[Position] = frozenset()
    is_applicant: bool = False
    deputy_for: Mapping[int, frozenset[Position]] = field(default_factory=dict)

    @classmethod
    def applicant(cls, user_id: int) -> Actor:
        """The applicant acting on their own application."""
        return cls(user_id=user_id, is_applicant=True)


@dataclass(frozen=True)
class Context:
    """What the engine needs to know beyond the case itself.

    ``home_department`` owns the procedure; ``values`` are the answers and computed
    values the authority tiers look at; ``candidates`` are the people the current step
    may be given to; ``absent`` are the people marked absent today.
    """

    home_department: str | None = None
    values: Mapping[str, Any] = field(default_factory=dict)
    candidates: frozenset[int] = frozenset()
    absent: frozenset[int] = frozenset()


@dataclass(frozen=True)
class CaseState:
    """Where a case stands.

    ``stage_index`` is the current stage (None while draft or final); ``consents`` and
    ``objections`` hold the keys of the positions that have answered the current
    consultation; ``assignee`` is the person who has taken the current step, if anyone.
    """

    status: Status
    stage_index: int | None = None
    consents: frozenset[str] = frozenset()
    objections: frozenset[str] = frozenset()
    assignee: int | None = None

    def __post_init__(self) -> None:
        # Refusing impossible states here saves every caller from re-checking them.
        needs_stage = self.status.is_open
        if needs_stage and (self.stage_index is None or self.stage_index < 0):
            raise ValueError(f"a {self.status} case needs a stage index >= 0")
        if not needs_stage and (
            self.stage_index is not None
            or self.consents
            or self.objections
            or self.assignee is not None
        ):
            raise ValueError(f"a {self.status} case has no stage")
        if self.consents & self.objections:
            raise ValueError("a position cannot both consent and object")


@dataclass(frozen=True)
class Event:
    """A record of one transition; ``stage_id`` is the stage the action was taken at.

    ``on_behalf_of`` is the absent colleague a deputy acted for (代決); ``skipped`` the
    stages a higher approver acted ahead of (引き上げ); both owe those people a reading
    afterwards (後閲). ``position`` is the consulted position that answered, ``tier`` the
    authority tier that decided (None: the stage's default), ``assignee`` whom a claim or
    reassignment gave the case to.
    """

    kind: str
    from_status: Status
    to_status: Status
    stage_id: str | None
    reason: str = ""
    decision: str | None = None
    on_behalf_of: int | None = None
    skipped: tuple[str, ...] = ()
    position: str | None = None
    tier: int | None = None
    assignee: int | None = None

    @property
    def pulled_up(self) -> bool:
        """Whether a higher approver acted ahead of the stages in ``skipped`` (引き上げ)."""
        return bool(self.skipped)

    def detail(self) -> dict[str, Any]:
        """The optional facts of the event, leaving out those that do not apply."""
        facts: dict[str, Any] = {
            "on_behalf_of": self.on_behalf_of,
            "skipped": list(self.skipped),
            "position": self.position,
            "tier": self.tier,
            "assignee": self.assignee,
        }
        return {key: value for key, value in facts.items() if value not in (None, [])}


@dataclass(frozen=True)
class Outcome:
    """An accepted action: the new state and the events to record."""

    state: CaseState
    events: tuple[Event, ...]


RefusalCode = Literal[
    "not_permitted",
    "wrong_status",
    "reason_required",
    "assigned_to_other",
    "not_assignable",
    "unknown_stage",
]


@dataclass(frozen=True)
class Refusal:
    """A refused action, with a code the portal translates."""

    code: RefusalCode
