"""The workflow engine: a pure transition function over a route's stages."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from workflows.model import (
    Action,
    ActionKind,
    Actor,
    CaseState,
    Event,
    Outcome,
    Refusal,
    Route,
    Stage,
    StageKind,
    Status,
)

NOT_PERMITTED = Refusal("not_permitted")
WRONG_STATUS = Refusal("wrong_status")
REASON_REQUIRED = Refusal("reason_required")

# Staff work on a case only while it is in hand; a correction request waits for the applicant.
_WORKABLE = frozenset({Status.SUBMITTED, Status.RECEIVED, Status.UNDER_REVIEW})

_NEEDS_REASON = frozenset(
    {ActionKind.RETURN_TO_PREVIOUS, ActionKind.REQUEST_CORRECTION, ActionKind.REJECT}
)

_DECISIONS = {ActionKind.APPROVE: "approved", ActionKind.REJECT: "rejected"}

# Passed to ``transition`` by ``allowed_actions`` so that reason checks never hide an action.
_PLACEHOLDER_REASON = "(reason to be given)"


@dataclass(frozen=True)
class _Attempt:
    route: Route
    state: CaseState
    actor: Actor

    @property
    def stage(self) -> Stage | None:
        return current_stage(self.route, self.state)

    @property
    def index(self) -> int:
        # -1 stands for "no stage" so that index comparisons need no None checks.
        return -1 if self.state.stage_index is None else self.state.stage_index


@dataclass(frozen=True)
class _Move:
    target: CaseState
    stage: Stage | None


_Rule = Callable[[_Attempt], _Move | Refusal]


def current_stage(route: Route, state: CaseState) -> Stage | None:
    """Return the stage a case is at, or None when it has none (draft, final, stale index)."""
    index = state.stage_index
    if index is None or not 0 <= index < len(route.stages):
        return None
    return route.stages[index]


def transition(route: Route, state: CaseState, action: Action, actor: Actor) -> Outcome | Refusal:
    """Apply an action to a case, or say why it is refused; nothing is allowed by default."""
    attempt = _Attempt(route, state, actor)
    move = _RULES[action.kind](attempt)
    if isinstance(move, Refusal):
        return move
    reason = action.reason.strip()
    if action.kind in _NEEDS_REASON and not reason:
        return REASON_REQUIRED
    event = Event(
        kind=action.kind.value,
        from_status=state.status,
        to_status=move.target.status,
        stage_id=move.stage.id if move.stage else None,
        reason=reason,
        decision=_DECISIONS.get(action.kind),
    )
    return Outcome(state=move.target, events=(event,))


def allowed_actions(route: Route, state: CaseState, actor: Actor) -> tuple[ActionKind, ...]:
    """List the actions ``transition`` would accept from this actor, in declaration order."""
    return tuple(
        kind
        for kind in ActionKind
        if isinstance(transition(route, state, Action(kind, _PLACEHOLDER_REASON), actor), Outcome)
    )


def _staff_stage(
    attempt: _Attempt, statuses: frozenset[Status], kind: StageKind | None = None
) -> Stage | Refusal:
    """Return the current stage if its staff may act on it now, else the refusal."""
    stage = attempt.stage
    if stage is None or attempt.state.status not in statuses:
        return WRONG_STATUS
    if kind is not None and stage.kind is not kind:
        return WRONG_STATUS
    # Nobody decides their own case, even when they hold the stage's role.
    if stage.role not in attempt.actor.roles or attempt.actor.is_applicant:
        return NOT_PERMITTED
    return stage


def _submit(attempt: _Attempt) -> _Move | Refusal:
    if attempt.state.status is not Status.DRAFT:
        return WRONG_STATUS
    if not attempt.actor.is_applicant:
        return NOT_PERMITTED
    return _Move(CaseState(Status.SUBMITTED, 0), None)


def _receive(attempt: _Attempt) -> _Move | Refusal:
    if attempt.index != 0:
        return WRONG_STATUS
    stage = _staff_stage(attempt, frozenset({Status.SUBMITTED}))
    if isinstance(stage, Refusal):
        return stage
    return _Move(CaseState(Status.RECEIVED, 0), stage)


def _pass(attempt: _Attempt) -> _Move | Refusal:
    stage = _staff_stage(attempt, _WORKABLE, StageKind.REVIEW)
    if isinstance(stage, Refusal):
        return stage
    # A valid route ends in its decision stage, so a review stage always has a successor.
    return _Move(CaseState(Status.UNDER_REVIEW, attempt.index + 1), stage)


def _return_to_previous(attempt: _Attempt) -> _Move | Refusal:
    if attempt.index < 1:
        return WRONG_STATUS
    stage = _staff_stage(attempt, _WORKABLE)
    if isinstance(stage, Refusal):
        return stage
    return _Move(CaseState(Status.UNDER_REVIEW, attempt.index - 1), stage)


def _request_correction(attempt: _Attempt) -> _Move | Refusal:
    # 補正: the case waits for the applicant at the same stage (the clock pauses).
    stage = _staff_stage(attempt, _WORKABLE)
    if isinstance(stage, Refusal):
        return stage
    return _Move(CaseState(Status.CORRECTION_REQUESTED, attempt.index), stage)


def _resubmit(attempt: _Attempt) -> _Move | Refusal:
    if attempt.state.status is not Status.CORRECTION_REQUESTED:
        return WRONG_STATUS
    if not attempt.actor.is_applicant:
        return NOT_PERMITTED
    # Back to the stage that asked, so the same staff see the corrected answers.
    return _Move(CaseState(Status.UNDER_REVIEW, attempt.index), attempt.stage)


def _decide(final: Status) -> _Rule:
    def rule(attempt: _Attempt) -> _Move | Refusal:
        stage = _staff_stage(attempt, _WORKABLE, StageKind.DECISION)
        if isinstance(stage, Refusal):
            return stage
        return _Move(CaseState(final), stage)

    return rule


def _withdraw(attempt: _Attempt) -> _Move | Refusal:
    if not attempt.state.status.is_open:
        return WRONG_STATUS
    if not attempt.actor.is_applicant:
        return NOT_PERMITTED
    return _Move(CaseState(Status.WITHDRAWN), attempt.stage)


_RULES: dict[ActionKind, _Rule] = {
    ActionKind.SUBMIT: _submit,
    ActionKind.RECEIVE: _receive,
    ActionKind.PASS: _pass,
    ActionKind.RETURN_TO_PREVIOUS: _return_to_previous,
    ActionKind.REQUEST_CORRECTION: _request_correction,
    ActionKind.APPROVE: _decide(Status.COMPLETED),
    ActionKind.REJECT: _decide(Status.REJECTED),
    ActionKind.WITHDRAW: _withdraw,
    ActionKind.RESUBMIT: _resubmit,
}
