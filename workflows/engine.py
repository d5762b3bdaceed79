"""The workflow engine: a pure transition function over a route's stages.

``transition(route, state, action, actor, context)`` returns the new state and the events
to record, or a refusal with a reason. Nothing is allowed unless a rule below allows it.

Who may act at a stage:

- the holder of the stage's position (for a decision, the position the authority tiers
  choose) — once someone has taken the step (claim), only they;
- a deputy of an absent holder (代決), recorded with ``on_behalf_of``;
- a higher approver, meaning the holder of a later review or decision stage, who may act
  ahead of the review stages before theirs (引き上げ), recorded with ``skipped``. A
  consultation (合議) is never skipped: other departments' consent is not the owning
  department's to give.

Everyone acted for or skipped owes the case a reading afterwards (後閲); the portal turns
``on_behalf_of`` and ``skipped`` into those reading tasks.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from workflows.conditions import holds
from workflows.model import (
    Action,
    ActionKind,
    Actor,
    CaseState,
    Context,
    Event,
    ObjectionRule,
    Outcome,
    Position,
    Refusal,
    Stage,
    StageKind,
    Status,
)
from workflows.routes import Route

NOT_PERMITTED = Refusal("not_permitted")
WRONG_STATUS = Refusal("wrong_status")
REASON_REQUIRED = Refusal("reason_required")
ASSIGNED_TO_OTHER = Refusal("assigned_to_other")
NOT_ASSIGNABLE = Refusal("not_assignable")
UNKNOWN_STAGE = Refusal("unknown_stage")

# Staff work on a case only while it is in hand; a correction request waits for the applicant.
_WORKABLE = frozenset({Status.SUBMITTED, Status.RECEIVED, Status.UNDER_REVIEW})

_NEEDS_REASON = frozenset(
    {
        ActionKind.RETURN_TO_PREVIOUS,
        ActionKind.REQUEST_CORRECTION,
        ActionKind.REJECT,
        ActionKind.OBJECT,
        ActionKind.ABANDON,
    }
)

_DECISIONS = {ActionKind.APPROVE: "approved", ActionKind.REJECT: "rejected"}

# Passed to ``transition`` by ``allowed_actions`` so that reason checks never hide an action.
_PLACEHOLDER_REASON = "(reason to be given)"


@dataclass(frozen=True)
class _Authority:
    """How an actor may act at a stage: in person, for an absent colleague, or ahead."""

    on_behalf_of: int | None = None
    skipped: tuple[str, ...] = ()
    target: int = 0  # the stage whose authority is used (later than the current one when ahead)
    position: Position | None = None


@dataclass(frozen=True)
class _Attempt:
    route: Route
    state: CaseState
    action: Action
    actor: Actor
    context: Context

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
    authority: _Authority = _Authority()
    tier: int | None = None


_Rule = Callable[[_Attempt], _Move | Refusal]


def current_stage(route: Route, state: CaseState) -> Stage | None:
    """Return the stage a case is at, or None when it has none (draft, final, stale index)."""
    index = state.stage_index
    if index is None or not 0 <= index < len(route.stages):
        return None
    return route.stages[index]


def deciding_tier(stage: Stage, context: Context) -> int | None:
    """The index of the first authority tier that applies, or None for the default."""
    return next((i for i, tier in enumerate(stage.tiers) if holds(tier.when, context.values)), None)


def deciding_position(stage: Stage, context: Context) -> Position:
    """The position that acts at a review or decision stage (the tiers choose for a decision)."""
    tier = deciding_tier(stage, context)
    position = stage.tiers[tier].position if tier is not None else stage.position
    assert position is not None, "review and decision stages always have a position"
    return position.resolved(context.home_department)


def waiting_positions(route: Route, state: CaseState, context: Context) -> tuple[Position, ...]:
    """The positions that can move the case on now (several during a consultation)."""
    stage = current_stage(route, state)
    if stage is None or state.status.is_final:
        return ()
    if stage.kind is StageKind.CONSULTATION:
        answered = state.consents | state.objections
        return tuple(
            part.resolved(context.home_department)
            for part in stage.consult
            if part.resolved(context.home_department).key not in answered
        )
    return (deciding_position(stage, context),)


def transition(
    route: Route,
    state: CaseState,
    action: Action,
    actor: Actor,
    context: Context | None = None,
) -> Outcome | Refusal:
    """Apply an action to a case, or say why it is refused; nothing is allowed by default."""
    attempt = _Attempt(route, state, action, actor, context or Context())
    move = _RULES[action.kind](attempt)
    if isinstance(move, Refusal):
        return move
    reason = action.reason.strip()
    if action.kind in _NEEDS_REASON and not reason:
        return REASON_REQUIRED
    authority = move.authority
    event = Event(
        kind=action.kind.value,
        from_status=state.status,
        to_status=move.target.status,
        stage_id=move.stage.id if move.stage else None,
        reason=reason,
        decision=_DECISIONS.get(action.kind),
        on_behalf_of=authority.on_behalf_of,
        skipped=authority.skipped,
        position=authority.position.key
        if authority.position and action.kind in _CONSULTING
        else None,
        tier=move.tier,
        assignee=move.target.assignee
        if action.kind in (ActionKind.CLAIM, ActionKind.REASSIGN)
        else None,
    )
    return Outcome(state=move.target, events=(event,))


def allowed_actions(
    route: Route, state: CaseState, actor: Actor, context: Context | None = None
) -> tuple[ActionKind, ...]:
    """List the actions ``transition`` would accept from this actor, in declaration order.

    A reassignment is offered when it would be accepted for some candidate.
    """
    context = context or Context()
    found = []
    for kind in ActionKind:
        users = sorted(context.candidates) if kind is ActionKind.REASSIGN else [None]
        options = [Action(kind, _PLACEHOLDER_REASON, assignee=user) for user in users]
        if any(
            isinstance(transition(route, state, option, actor, context), Outcome)
            for option in options
        ):
            found.append(kind)
    return tuple(found)


# --- authority -------------------------------------------------------------------------


def _holds(positions: frozenset[Position], required: Position) -> bool:
    return any(held.covers(required) for held in positions)


def _in_person_or_deputy(attempt: _Attempt, required: Position, index: int) -> _Authority | None:
    """The actor's authority for one position: their own, or as deputy of an absent holder."""
    actor = attempt.actor
    if actor.is_applicant:
        # Nobody decides their own case, even when they hold the stage's role.
        return None
    if _holds(actor.positions, required):
        return _Authority(target=index, position=required)
    for principal in sorted(actor.deputy_for):
        if principal != actor.user_id and _holds(actor.deputy_for[principal], required):
            return _Authority(on_behalf_of=principal, target=index, position=required)
    return None


def _at_current(attempt: _Attempt) -> _Authority | Refusal:
    """Authority at the current (review or decision) stage, honouring who has taken it."""
    stage = attempt.stage
    assert stage is not None and stage.kind is not StageKind.CONSULTATION
    required = deciding_position(stage, attempt.context)
    authority = _in_person_or_deputy(attempt, required, attempt.index)
    if authority is None and stage.position is not None:
        # 専決 delegates a decision; whoever holds the stage's own position keeps it.
        default = stage.position.resolved(attempt.context.home_department)
        authority = _in_person_or_deputy(attempt, default, attempt.index)
    if authority is None:
        return NOT_PERMITTED
    assignee = attempt.state.assignee
    acting_as = attempt.actor.user_id if authority.on_behalf_of is None else authority.on_behalf_of
    if assignee is not None and assignee != acting_as:
        return ASSIGNED_TO_OTHER
    return authority


def _ahead(attempt: _Attempt, kind: StageKind) -> _Authority | None:
    """Authority of a higher approver acting ahead of the review stages before theirs.

    The nearest later ``kind`` stage the actor may act at counts. Only review stages may
    lie in between, so a consultation is never skipped (and, having no single position,
    never acted ahead at).
    """
    stages = attempt.route.stages
    for index in range(attempt.index + 1, len(stages)):
        if stages[index - 1].kind is not StageKind.REVIEW:
            return None
        if stages[index].kind is not kind:
            continue
        required = deciding_position(stages[index], attempt.context)
        found = _in_person_or_deputy(attempt, required, index)
        if found is not None:
            skipped = tuple(stage.id for stage in stages[attempt.index : index])
            return replace(found, skipped=skipped)
    return None


def _stage_authority(attempt: _Attempt, kind: StageKind) -> _Authority | Refusal:
    """Authority to do a ``kind`` stage's work now: at the current stage, or ahead of it."""
    stage = attempt.stage
    if stage is None or attempt.state.status not in _WORKABLE:
        return WRONG_STATUS
    if stage.kind is StageKind.CONSULTATION:
        return WRONG_STATUS
    here = _at_current(attempt) if stage.kind is kind else WRONG_STATUS
    if isinstance(here, _Authority):
        return here
    ahead = _ahead(attempt, kind)
    return here if ahead is None else ahead


def _fresh(status: Status, index: int) -> CaseState:
    """A state at a newly reached stage: no consultation answers, nobody has taken it."""
    return CaseState(status, index)


# --- rules -----------------------------------------------------------------------------


def _submit(attempt: _Attempt) -> _Move | Refusal:
    if attempt.state.status is not Status.DRAFT:
        return WRONG_STATUS
    if not attempt.actor.is_applicant:
        return NOT_PERMITTED
    return _Move(CaseState(Status.SUBMITTED, 0), None)


def _receive(attempt: _Attempt) -> _Move | Refusal:
    if attempt.state.status is not Status.SUBMITTED or attempt.stage is None:
        return WRONG_STATUS
    authority = _at_current(attempt)
    if isinstance(authority, Refusal):
        return authority
    return _Move(replace(attempt.state, status=Status.RECEIVED), attempt.stage, authority)


def _claim(attempt: _Attempt) -> _Move | Refusal:
    stage, state = attempt.stage, attempt.state
    if stage is None or not state.status.is_open or stage.kind is StageKind.CONSULTATION:
        return WRONG_STATUS
    required = deciding_position(stage, attempt.context)
    if attempt.actor.is_applicant or not _holds(attempt.actor.positions, required):
        return NOT_PERMITTED
    if state.assignee == attempt.actor.user_id:
        return WRONG_STATUS
    if state.assignee is not None and state.assignee not in attempt.context.absent:
        return ASSIGNED_TO_OTHER
    return _Move(replace(state, assignee=attempt.actor.user_id), stage)


def _reassign(attempt: _Attempt) -> _Move | Refusal:
    stage, state = attempt.stage, attempt.state
    if stage is None or not state.status.is_open or stage.kind is StageKind.CONSULTATION:
        return WRONG_STATUS
    here = _at_current(attempt)
    # A supervisor, meaning the holder of any later stage, may hand the step on too; a
    # colleague of the same position may not take a step someone else has taken.
    later = any(
        later_stage.kind is not StageKind.CONSULTATION
        and _holds(attempt.actor.positions, deciding_position(later_stage, attempt.context))
        for later_stage in attempt.route.stages[attempt.index + 1 :]
    )
    if attempt.actor.is_applicant:
        return NOT_PERMITTED
    if isinstance(here, Refusal) and not later:
        return here
    target = attempt.action.assignee
    if target is None or target not in attempt.context.candidates or target == state.assignee:
        return NOT_ASSIGNABLE
    if target in attempt.context.absent:
        return NOT_ASSIGNABLE
    authority = here if isinstance(here, _Authority) else _Authority()
    return _Move(replace(state, assignee=target), stage, authority)


def _pass(attempt: _Attempt) -> _Move | Refusal:
    authority = _stage_authority(attempt, StageKind.REVIEW)
    if isinstance(authority, Refusal):
        return authority
    # A valid route ends in its decision stage, so a review stage always has a successor.
    return _Move(
        _fresh(Status.UNDER_REVIEW, authority.target + 1),
        attempt.stage,
        authority,
    )


def _consultation(attempt: _Attempt) -> _Authority | Refusal:
    stage = attempt.stage
    if stage is None or attempt.state.status not in _WORKABLE:
        return WRONG_STATUS
    if stage.kind is not StageKind.CONSULTATION:
        return WRONG_STATUS
    for position in waiting_positions(attempt.route, attempt.state, attempt.context):
        found = _in_person_or_deputy(attempt, position, attempt.index)
        if found is not None:
            return found
    return NOT_PERMITTED


def _after_answer(attempt: _Attempt, state: CaseState, authority: _Authority) -> _Move:
    """Move on once every consulted position has answered; otherwise wait for the rest."""
    if waiting_positions(attempt.route, state, attempt.context):
        return _Move(state, attempt.stage, authority)
    return _Move(_fresh(Status.UNDER_REVIEW, attempt.index + 1), attempt.stage, authority)


def _consent(attempt: _Attempt) -> _Move | Refusal:
    return _answer(attempt, objected=False)


def _object(attempt: _Attempt) -> _Move | Refusal:
    return _answer(attempt, objected=True)


def _answer(attempt: _Attempt, objected: bool) -> _Move | Refusal:
    """A consulted position's answer: consent, or an objection that returns or is recorded."""
    authority = _consultation(attempt)
    if isinstance(authority, Refusal):
        return authority
    assert attempt.stage is not None and authority.position is not None
    if objected and attempt.stage.on_objection is ObjectionRule.RETURN:
        # A valid route never starts with a consultation, so there is a stage before it.
        return _Move(_fresh(Status.UNDER_REVIEW, attempt.index - 1), attempt.stage, authority)
    key = frozenset({authority.position.key})
    state = replace(
        attempt.state,
        status=Status.UNDER_REVIEW,
        consents=attempt.state.consents | (frozenset() if objected else key),
        objections=attempt.state.objections | (key if objected else frozenset()),
    )
    return _after_answer(attempt, state, authority)


def _return_to_previous(attempt: _Attempt) -> _Move | Refusal:
    stage = attempt.stage
    if stage is None or attempt.state.status not in _WORKABLE or attempt.index < 1:
        return WRONG_STATUS
    if stage.kind is StageKind.CONSULTATION:
        return WRONG_STATUS
    authority = _at_current(attempt)
    if isinstance(authority, Refusal):
        return authority
    wanted = attempt.action.target_stage
    target = attempt.index - 1 if wanted is None else attempt.route.index_of(wanted)
    if target is None or not 0 <= target < attempt.index:
        return UNKNOWN_STAGE
    return _Move(_fresh(Status.UNDER_REVIEW, target), stage, authority)


def _request_correction(attempt: _Attempt) -> _Move | Refusal:
    # 補正: the case waits for the applicant at the same stage (the clock pauses).
    stage = attempt.stage
    if stage is None or attempt.state.status not in _WORKABLE:
        return WRONG_STATUS
    if stage.kind is StageKind.CONSULTATION:
        return WRONG_STATUS
    authority = _at_current(attempt)
    if isinstance(authority, Refusal):
        return authority
    return _Move(replace(attempt.state, status=Status.CORRECTION_REQUESTED), stage, authority)


def _resubmit(attempt: _Attempt) -> _Move | Refusal:
    if attempt.state.status is not Status.CORRECTION_REQUESTED:
        return WRONG_STATUS
    if not attempt.actor.is_applicant:
        return NOT_PERMITTED
    # Back to the stage that asked, so the same staff see the corrected answers.
    return _Move(replace(attempt.state, status=Status.UNDER_REVIEW), attempt.stage)


def _decide(final: Status) -> _Rule:
    def rule(attempt: _Attempt) -> _Move | Refusal:
        authority = _stage_authority(attempt, StageKind.DECISION)
        if isinstance(authority, Refusal):
            return authority
        decision_stage = attempt.route.stages[authority.target]
        tier = deciding_tier(decision_stage, attempt.context)
        return _Move(CaseState(final), attempt.stage, authority, tier)

    return rule


def _abandon(attempt: _Attempt) -> _Move | Refusal:
    # 廃案: the office closes the case without a decision, e.g. when a correction is never
    # answered. The current stage's holder may, and so may whoever decides.
    stage = attempt.stage
    if stage is None or not attempt.state.status.is_open:
        return WRONG_STATUS
    authority: _Authority | Refusal = NOT_PERMITTED
    if stage.kind is not StageKind.CONSULTATION:
        authority = _at_current(attempt)
    if isinstance(authority, Refusal):
        last = len(attempt.route.stages) - 1
        decider = deciding_position(attempt.route.stages[last], attempt.context)
        found = _in_person_or_deputy(attempt, decider, last)
        if found is None:
            return authority
        authority = found
    return _Move(CaseState(Status.ABANDONED), stage, authority)


def _withdraw(attempt: _Attempt) -> _Move | Refusal:
    if not attempt.state.status.is_open:
        return WRONG_STATUS
    if not attempt.actor.is_applicant:
        return NOT_PERMITTED
    return _Move(CaseState(Status.WITHDRAWN), attempt.stage)


_CONSULTING = frozenset({ActionKind.CONSENT, ActionKind.OBJECT})

_RULES: dict[ActionKind, _Rule] = {
    ActionKind.SUBMIT: _submit,
    ActionKind.RECEIVE: _receive,
    ActionKind.CLAIM: _claim,
    ActionKind.PASS: _pass,
    ActionKind.CONSENT: _consent,
    ActionKind.OBJECT: _object,
    ActionKind.APPROVE: _decide(Status.COMPLETED),
    ActionKind.REJECT: _decide(Status.REJECTED),
    ActionKind.REQUEST_CORRECTION: _request_correction,
    ActionKind.RETURN_TO_PREVIOUS: _return_to_previous,
    ActionKind.REASSIGN: _reassign,
    ActionKind.ABANDON: _abandon,
    ActionKind.WITHDRAW: _withdraw,
    ActionKind.RESUBMIT: _resubmit,
}
