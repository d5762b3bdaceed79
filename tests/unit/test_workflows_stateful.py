"""Random walks through a 回議 → 回議 → 合議 → 決裁 route, checking the engine's invariants.

A hypothesis state machine drives one case with random actors, actions, reasons, target
stages and assignees, both at random and among the actions the engine offers (so that
walks get past the consultation to a decision), and checks after every step that:

- the state is a valid case state whose stage index lies within the route when open;
- a final case accepts nothing, and at most one decision (approve/reject) is ever made;
- every accepted staff action came from someone holding, in person or as a deputy, a
  position of the current stage or of a later one (never an outsider or another
  department's holder), and the applicant only ever submits, withdraws or resubmits;
- ``allowed_actions`` agrees with ``transition`` for every actor;
- consents and objections only ever name positions of the current consultation.
"""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from tests.unit.test_workflows_engine import FULL, HOME
from workflows import (
    Action,
    ActionKind,
    Actor,
    CaseState,
    Context,
    Event,
    Outcome,
    Position,
    Refusal,
    Route,
    StageKind,
    Status,
    allowed_actions,
    current_stage,
    deciding_position,
    transition,
)

A = ActionKind


def route_for(rule: str) -> Route:
    data = copy.deepcopy(FULL)  # 回議 → 回議 → 合議 (two departments) → 決裁 with a tier
    data["stages"][2]["on_objection"] = rule
    return Route.from_dict(data)


ROUTES = {rule: route_for(rule) for rule in ("return", "record")}


def holding(user_id: int, *positions: Position, **extra: Any) -> Actor:
    return Actor(user_id, frozenset(positions), **extra)


APPLICANT_ID = 1
ABSENT_CLERK = 16
ABSENT_DIRECTOR = 15
# The applicant is a clerk of the home department: they may still not handle their own case.
APPLICANT = holding(APPLICANT_ID, Position("clerk", HOME), is_applicant=True)
OUTSIDER = Actor(30)
FOREIGN = holding(31, Position("clerk", "kikaku"), Position("director", "zaimu"))
ACTORS = (
    APPLICANT,
    holding(10, Position("clerk", HOME)),
    holding(ABSENT_CLERK, Position("clerk", HOME)),
    holding(11, Position("chief", HOME)),
    holding(12, Position("section_chief", "zaimu")),
    holding(13, Position("section_chief", "kikaku")),
    holding(14, Position("section_chief", HOME)),
    holding(ABSENT_DIRECTOR, Position("director", HOME)),
    Actor(20, deputy_for={ABSENT_CLERK: frozenset({Position("clerk", HOME)})}),
    Actor(21, deputy_for={ABSENT_DIRECTOR: frozenset({Position("director", HOME)})}),
    holding(22, Position("chief")),  # a chief in every department
    OUTSIDER,
    FOREIGN,
)
CANDIDATES = frozenset({10, ABSENT_CLERK, 11, 14, 99})
ABSENT = frozenset({ABSENT_CLERK, ABSENT_DIRECTOR})
APPLICANT_ACTIONS = frozenset({A.SUBMIT, A.WITHDRAW, A.RESUBMIT})
DECISIONS = frozenset({A.APPROVE, A.REJECT})
NEEDS_REASON = frozenset(
    {A.RETURN_TO_PREVIOUS, A.REQUEST_CORRECTION, A.REJECT, A.OBJECT, A.ABANDON}
)
CODES = {
    "not_permitted",
    "wrong_status",
    "reason_required",
    "assigned_to_other",
    "not_assignable",
    "unknown_stage",
}
PLACEHOLDER = "理由"
OFFERED: dict[tuple[str, str, CaseState], tuple[tuple[Actor, ActionKind], ...]] = {}
PROGRESS = frozenset(
    {A.SUBMIT, A.RECEIVE, A.PASS, A.CONSENT, A.OBJECT, A.APPROVE, A.REJECT, A.RESUBMIT}
)

reasons = st.sampled_from(["", "  ", "理由", " 添付漏れ \n"])
targets = st.sampled_from([None, "check", "chief", "consult", "decide", "nope"])
assignees = st.sampled_from([None, *sorted(CANDIDATES), APPLICANT_ID, 30])


def positions_from(route: Route, index: int, context: Context) -> list[Position]:
    """The positions of the stage at ``index`` and of every later stage.

    A decision stage counts its own position as well as the tier's: 専決 delegates, and
    the delegating position keeps the authority.
    """
    found: list[Position] = []
    for stage in route.stages[index:]:
        if stage.kind is StageKind.CONSULTATION:
            found.extend(part.resolved(context.home_department) for part in stage.consult)
        else:
            found.append(deciding_position(stage, context))
            if stage.position is not None:
                found.append(stage.position.resolved(context.home_department))
    return found


def may_act_for(actor: Actor, required: list[Position]) -> bool:
    """Whether the actor holds one of these positions in person or as a deputy."""
    held = set(actor.positions)
    for positions in actor.deputy_for.values():
        held |= positions
    return any(mine.covers(position) for mine in held for position in required)


class CaseMachine(RuleBasedStateMachine):
    """One case, driven by random people doing random things."""

    def __init__(self) -> None:
        super().__init__()
        self.rule: str = "return"
        self.amount: Any = None
        self.route = ROUTES["return"]
        self.context = Context(HOME)
        self.state = CaseState(Status.DRAFT)
        self.decisions = 0
        self.history: list[Event] = []

    @initialize(
        rule=st.sampled_from(sorted(ROUTES)),
        amount=st.sampled_from([100, "500,000", 500001, "1,200,000", None, "未定"]),
    )
    def choose_route(self, rule: str, amount: Any) -> None:
        self.rule, self.amount = rule, amount
        self.route = ROUTES[rule]
        self.context = Context(HOME, {"amount": amount}, CANDIDATES, ABSENT)

    def _apply(self, actor: Actor, action: Action) -> None:
        before = self.state
        stage = current_stage(self.route, before)
        result = transition(self.route, before, action, actor, self.context)
        if isinstance(result, Refusal):
            assert result.code in CODES
            return
        assert isinstance(result, Outcome)
        assert not before.status.is_final, "a final case accepted an action"
        (event,) = result.events
        assert event.kind == action.kind.value
        assert (event.from_status, event.to_status) == (before.status, result.state.status)
        assert event.stage_id == (stage.id if stage else None)
        assert event.reason == action.reason.strip()
        if action.kind in NEEDS_REASON:
            assert event.reason
        if actor.is_applicant:
            assert action.kind in APPLICANT_ACTIONS, action.kind
        if action.kind not in APPLICANT_ACTIONS:
            assert not actor.is_applicant
            assert actor not in (OUTSIDER, FOREIGN)
            assert before.stage_index is not None
            assert may_act_for(actor, positions_from(self.route, before.stage_index, self.context))
        if event.on_behalf_of is not None:
            assert event.on_behalf_of in actor.deputy_for
        if event.skipped:
            assert before.stage_index is not None
            ids = [s.id for s in self.route.stages[before.stage_index :]]
            assert list(event.skipped) == ids[: len(event.skipped)]
            kinds = [s.kind for s in self.route.stages[before.stage_index :]]
            assert set(kinds[: len(event.skipped)]) == {StageKind.REVIEW}
        if action.kind in DECISIONS:
            self.decisions += 1
            assert event.decision is not None
        self.history.append(event)
        self.state = result.state

    @rule(
        actor=st.sampled_from(ACTORS),
        kind=st.sampled_from(list(ActionKind)),
        reason=reasons,
        to_stage=targets,
        assignee=assignees,
    )
    def anything(
        self,
        actor: Actor,
        kind: ActionKind,
        reason: str,
        to_stage: str | None,
        assignee: int | None,
    ) -> None:
        self._apply(actor, Action(kind, reason, to_stage, assignee))

    def _offered(self) -> tuple[tuple[Actor, ActionKind], ...]:
        """What the engine offers everyone now, checked against ``transition`` once."""
        # The engine is a pure function, so each situation is checked only once per run.
        situation = (self.rule, repr(self.amount), self.state)
        if situation not in OFFERED:
            OFFERED[situation] = tuple(
                (actor, kind) for actor in ACTORS for kind in self._check_offers(actor)
            )
        return OFFERED[situation]

    def _check_offers(self, actor: Actor) -> tuple[ActionKind, ...]:
        allowed = allowed_actions(self.route, self.state, actor, self.context)
        for kind in ActionKind:
            users = sorted(self.context.candidates) if kind is A.REASSIGN else [None]
            results = [
                transition(
                    self.route,
                    self.state,
                    Action(kind, PLACEHOLDER, assignee=user),
                    actor,
                    self.context,
                )
                for user in users
            ]
            accepted = any(isinstance(result, Outcome) for result in results)
            assert accepted == (kind in allowed), (actor, kind, self.state)
        if self.state.status.is_final or actor in (OUTSIDER, FOREIGN):
            assert allowed == ()
        if actor.is_applicant:
            assert set(allowed) <= APPLICANT_ACTIONS
        return allowed

    def _apply_offered(
        self, data: st.DataObject, kinds: frozenset[ActionKind], reason: str, to_stage: str | None
    ) -> None:
        offered = [(actor, kind) for actor, kind in self._offered() if kind in kinds]
        if not offered:
            return
        actor, kind = data.draw(st.sampled_from(offered))
        assignee = data.draw(st.sampled_from(sorted(CANDIDATES))) if kind is A.REASSIGN else None
        self._apply(actor, Action(kind, reason or PLACEHOLDER, to_stage, assignee))

    @rule(data=st.data(), reason=reasons, to_stage=targets)
    def something_offered(self, data: st.DataObject, reason: str, to_stage: str | None) -> None:
        self._apply_offered(data, frozenset(ActionKind), reason, to_stage)

    @rule(data=st.data(), reason=reasons)
    def moving_on(self, data: st.DataObject, reason: str) -> None:
        """Something offered that takes the case forward, so walks reach the decision."""
        self._apply_offered(data, PROGRESS, reason, None)

    @invariant()
    def state_is_consistent(self) -> None:
        state = self.state
        assert isinstance(state, CaseState)
        if state.status.is_open:
            assert state.stage_index is not None
            assert 0 <= state.stage_index < len(self.route.stages)
        else:
            assert state.stage_index is None and state.assignee is None
        stage = current_stage(self.route, state)
        if stage is not None and stage.kind is StageKind.CONSULTATION:
            keys = {part.resolved(HOME).key for part in stage.consult}
            assert state.consents | state.objections <= keys
            assert state.consents | state.objections != keys, "a finished consultation stayed"
        else:
            assert not state.consents and not state.objections
        if stage is not None and stage.kind is StageKind.CONSULTATION:
            assert state.assignee is None, "nobody takes a consultation"
        decisions = [event for event in self.history if event.decision is not None]
        assert len(decisions) == self.decisions <= 1
        assert len(decisions) == (state.status in (Status.COMPLETED, Status.REJECTED))

    @invariant()
    def offered_actions_are_accepted_and_no_others(self) -> None:
        self._offered()


CaseMachine.TestCase.settings = settings(
    max_examples=100,
    stateful_step_count=50,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestCaseMachine = CaseMachine.TestCase
