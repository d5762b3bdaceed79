"""Tests for the workflow model and the pure transition engine (電子決裁)."""

from __future__ import annotations

import copy
from typing import Any

import pytest

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
    RefusalCode,
    Route,
    Status,
    allowed_actions,
    current_stage,
    deciding_position,
    deciding_tier,
    transition,
    waiting_positions,
)

A = ActionKind
S = Status
HOME = "somu"  # the department that owns the procedure (総務課)

# --- routes --------------------------------------------------------------------------------

TWO_STAGES: dict[str, Any] = {
    "stages": [
        {
            "id": "review",
            "kind": "review",
            "role": "reviewer",
            "title": {"ja": "審査", "en": "Review"},
        },
        {"id": "decide", "kind": "decision", "role": "approver", "title": {"ja": "決裁"}},
    ]
}
THREE_STAGES: dict[str, Any] = {
    "stages": [
        {"id": "check", "kind": "review", "role": "clerk", "title": {"ja": "受付審査"}},
        {"id": "chief", "kind": "review", "role": "chief", "title": {"ja": "係長回議"}},
        {"id": "decide", "kind": "decision", "role": "director", "title": {"ja": "課長決裁"}},
    ]
}
DECISION_ONLY: dict[str, Any] = {
    "stages": [{"id": "decide", "kind": "decision", "role": "approver", "title": {"ja": "決裁"}}]
}
SMALL_SUBSIDY = {"field": "amount", "op": "at_most", "value": 500000}
# 回議 → 回議 → 合議 (two departments) → 決裁 (専決: the section chief up to ¥500,000).
FULL: dict[str, Any] = {
    "stages": [
        {"id": "check", "kind": "review", "role": "clerk", "title": {"ja": "受付審査"}},
        {"id": "chief", "kind": "review", "role": "chief", "title": {"ja": "係長回議"}},
        {
            "id": "consult",
            "kind": "consultation",
            "title": {"ja": "財政課・企画課合議"},
            "consult": [
                {"role": "section_chief", "department": "zaimu"},
                {"role": "section_chief", "department": "kikaku"},
            ],
            "on_objection": "return",
        },
        {
            "id": "decide",
            "kind": "decision",
            "role": "director",
            "title": {"ja": "課長決裁"},
            "tiers": [{"when": SMALL_SUBSIDY, "role": "section_chief"}],
        },
    ]
}


def with_objection_rule(rule: str) -> Route:
    """The full route with another objection rule for its consultation."""
    data = copy.deepcopy(FULL)
    data["stages"][2]["on_objection"] = rule
    return Route.from_dict(data)


ROUTE = Route.from_dict(TWO_STAGES)
ROUTE3 = Route.from_dict(THREE_STAGES)
ROUTE_FULL = Route.from_dict(FULL)
ROUTE_RECORD = with_objection_rule("record")

# --- people --------------------------------------------------------------------------------


def staff(user_id: int, *roles: str, department: str | None = HOME) -> Actor:
    """A member of staff holding these roles in one department (None: in every one)."""
    return Actor(user_id, frozenset(Position(role, department) for role in roles))


def deputy(user_id: int, principal: int, *roles: str, department: str | None = HOME) -> Actor:
    """Someone standing in for an absent colleague who holds these roles (代決)."""
    positions = frozenset(Position(role, department) for role in roles)
    return Actor(user_id, deputy_for={principal: positions})


APPLICANT = Actor.applicant(1)
REVIEWER = staff(2, "reviewer")
APPROVER = staff(3, "approver")
OUTSIDER = staff(4, "clerk", "viewer")

CLERK = staff(10, "clerk")
CHIEF = staff(11, "chief")
ZAIMU = staff(12, "section_chief", department="zaimu")
KIKAKU = staff(13, "section_chief", department="kikaku")
SECTION_CHIEF = staff(14, "section_chief")
DIRECTOR = staff(15, "director")
CLERK2 = staff(16, "clerk")
FOREIGN_CLERK = staff(17, "clerk", department="kikaku")
NOBODY = Actor(18)

CTX = Context(HOME)
BIG = Context(HOME, values={"amount": 1_000_000})  # the director decides
SMALL = Context(HOME, values={"amount": "300,000"})  # the section chief decides (専決)

# --- states --------------------------------------------------------------------------------

DRAFT = CaseState(S.DRAFT)
SUBMITTED = CaseState(S.SUBMITTED, 0)
RECEIVED = CaseState(S.RECEIVED, 0)
AT_DECISION = CaseState(S.UNDER_REVIEW, 1)
CORRECTION = CaseState(S.CORRECTION_REQUESTED, 0)
FINAL_STATES = (
    CaseState(S.COMPLETED),
    CaseState(S.REJECTED),
    CaseState(S.WITHDRAWN),
    CaseState(S.ABANDONED),
)

AT_CHECK = CaseState(S.UNDER_REVIEW, 0)
AT_CHIEF = CaseState(S.UNDER_REVIEW, 1)
AT_CONSULT = CaseState(S.UNDER_REVIEW, 2)
AT_DECIDE = CaseState(S.UNDER_REVIEW, 3)
ZAIMU_KEY = "zaimu/section_chief"
KIKAKU_KEY = "kikaku/section_chief"


def accepted(result: Outcome | Refusal) -> Outcome:
    """Narrow a transition result to an outcome, failing the test on a refusal."""
    assert isinstance(result, Outcome), result
    return result


def only_event(outcome: Outcome) -> Event:
    """The single event an outcome records."""
    assert len(outcome.events) == 1
    return outcome.events[0]


def act(
    route: Route, state: CaseState, action: Action, actor: Actor, context: Context = BIG
) -> tuple[CaseState, Event]:
    """Apply an accepted action; return the new state and its event."""
    outcome = accepted(transition(route, state, action, actor, context))
    return outcome.state, only_event(outcome)


# --- Status, CaseState, Position -----------------------------------------------------------


def test_final_and_open_statuses() -> None:
    assert {s for s in Status if s.is_final} == {S.COMPLETED, S.REJECTED, S.WITHDRAWN, S.ABANDONED}
    assert {s for s in Status if s.is_open} == {
        S.SUBMITTED,
        S.RECEIVED,
        S.UNDER_REVIEW,
        S.CORRECTION_REQUESTED,
    }
    assert not S.DRAFT.is_final and not S.DRAFT.is_open


def test_status_values_are_stable_strings() -> None:
    assert str(S.CORRECTION_REQUESTED) == "correction_requested"
    assert str(S.ABANDONED) == "abandoned"
    assert Status("under_review") is S.UNDER_REVIEW


@pytest.mark.parametrize(
    ("status", "index"),
    [(S.DRAFT, 0), (S.COMPLETED, 1), (S.ABANDONED, 0), (S.SUBMITTED, None), (S.UNDER_REVIEW, -1)],
)
def test_case_state_refuses_impossible_combinations(status: Status, index: int | None) -> None:
    with pytest.raises(ValueError, match="stage"):
        CaseState(status, index)


@pytest.mark.parametrize(
    "changes",
    [
        {"consents": frozenset({ZAIMU_KEY})},
        {"objections": frozenset({ZAIMU_KEY})},
        {"assignee": 10},
    ],
)
@pytest.mark.parametrize("status", [S.DRAFT, S.COMPLETED, S.WITHDRAWN])
def test_a_case_without_a_stage_has_no_answers_and_no_assignee(
    status: Status, changes: dict[str, Any]
) -> None:
    with pytest.raises(ValueError, match="has no stage"):
        CaseState(status, **changes)


def test_a_position_cannot_both_consent_and_object() -> None:
    with pytest.raises(ValueError, match="both consent and object"):
        both = frozenset({ZAIMU_KEY})
        CaseState(S.UNDER_REVIEW, 2, consents=both, objections=both)


def test_position_key_and_resolution() -> None:
    assert Position("section_chief", "zaimu").key == "zaimu/section_chief"
    assert Position("approver").key == "/approver"
    assert Position("clerk").resolved(HOME) == Position("clerk", HOME)
    assert Position("clerk", "zaimu").resolved(HOME) == Position("clerk", "zaimu")
    assert Position("clerk").resolved(None) == Position("clerk")


@pytest.mark.parametrize(
    ("held", "required", "covers"),
    [
        (Position("clerk", HOME), Position("clerk", HOME), True),
        (Position("clerk", "zaimu"), Position("clerk", HOME), False),
        (Position("chief", HOME), Position("clerk", HOME), False),
        (Position("clerk"), Position("clerk", HOME), True),  # held in every department
        (Position("clerk"), Position("clerk"), True),
        (Position("clerk", HOME), Position("clerk"), False),
    ],
)
def test_position_covers(held: Position, required: Position, covers: bool) -> None:
    assert held.covers(required) is covers


def test_applicant_constructor() -> None:
    assert Actor.applicant(5) == Actor(5, is_applicant=True)
    assert Actor.applicant(5).positions == frozenset()


# --- current_stage, deciding_position, waiting_positions -----------------------------------


def test_current_stage() -> None:
    assert current_stage(ROUTE, SUBMITTED) == ROUTE.stages[0]
    assert current_stage(ROUTE, AT_DECISION) == ROUTE.stages[1]
    assert current_stage(ROUTE, DRAFT) is None
    assert current_stage(ROUTE, CaseState(S.COMPLETED)) is None
    assert current_stage(ROUTE, CaseState(S.UNDER_REVIEW, 2)) is None


@pytest.mark.parametrize(
    ("values", "tier", "position"),
    [
        ({"amount": 500000}, 0, Position("section_chief", HOME)),
        ({"amount": "500,000"}, 0, Position("section_chief", HOME)),
        ({"amount": 1}, 0, Position("section_chief", HOME)),
        ({"amount": 500001}, None, Position("director", HOME)),
        ({"amount": "五十万"}, None, Position("director", HOME)),
        ({}, None, Position("director", HOME)),  # missing: never the lower authority
    ],
)
def test_the_first_tier_that_holds_picks_the_deciding_position(
    values: dict[str, Any], tier: int | None, position: Position
) -> None:
    decide = ROUTE_FULL.stages[3]
    context = Context(HOME, values=values)
    assert deciding_tier(decide, context) == tier
    assert deciding_position(decide, context) == position


def test_the_first_of_several_tiers_wins() -> None:
    data = copy.deepcopy(FULL)
    data["stages"][3]["tiers"] = [
        {"when": {"field": "amount", "op": "at_most", "value": 100000}, "role": "chief"},
        {"when": SMALL_SUBSIDY, "role": "section_chief"},
        {"when": {"field": "amount", "op": "at_most", "value": 0}, "role": "clerk"},
    ]
    decide = Route.from_dict(data).stages[3]
    assert deciding_tier(decide, Context(HOME, values={"amount": 0})) == 0
    assert deciding_tier(decide, Context(HOME, values={"amount": 300000})) == 1
    assert deciding_position(decide, Context(HOME, values={"amount": 300000})).role == (
        "section_chief"
    )
    state = accepted(
        transition(
            Route.from_dict(data),
            AT_DECIDE,
            Action(A.APPROVE),
            SECTION_CHIEF,
            Context(HOME, values={"amount": 300000}),
        )
    )
    assert only_event(state).tier == 1


def test_a_review_stage_position_is_its_own_in_the_home_department() -> None:
    assert deciding_tier(ROUTE_FULL.stages[0], BIG) is None
    assert deciding_position(ROUTE_FULL.stages[0], BIG) == Position("clerk", HOME)
    assert deciding_position(ROUTE_FULL.stages[0], Context()) == Position("clerk")


def test_waiting_positions() -> None:
    assert waiting_positions(ROUTE_FULL, AT_CHECK, BIG) == (Position("clerk", HOME),)
    assert waiting_positions(ROUTE_FULL, AT_DECIDE, BIG) == (Position("director", HOME),)
    assert waiting_positions(ROUTE_FULL, AT_DECIDE, SMALL) == (Position("section_chief", HOME),)
    assert waiting_positions(ROUTE_FULL, AT_CONSULT, BIG) == (
        Position("section_chief", "zaimu"),
        Position("section_chief", "kikaku"),
    )
    half = CaseState(S.UNDER_REVIEW, 2, consents=frozenset({ZAIMU_KEY}))
    assert waiting_positions(ROUTE_FULL, half, BIG) == (Position("section_chief", "kikaku"),)
    assert waiting_positions(ROUTE_FULL, DRAFT, BIG) == ()
    assert waiting_positions(ROUTE_FULL, CaseState(S.COMPLETED), BIG) == ()
    assert waiting_positions(ROUTE_FULL, CaseState(S.UNDER_REVIEW, 9), BIG) == ()


# --- happy paths on two stages -------------------------------------------------------------


def test_submit() -> None:
    outcome = accepted(transition(ROUTE, DRAFT, Action(A.SUBMIT), APPLICANT, CTX))
    assert outcome.state == SUBMITTED
    assert only_event(outcome) == Event("submit", S.DRAFT, S.SUBMITTED, None)


def test_the_context_is_optional() -> None:
    outcome = accepted(transition(ROUTE, DRAFT, Action(A.SUBMIT), APPLICANT))
    assert outcome.state == SUBMITTED


def test_receive_acknowledges_and_stays_at_the_first_stage() -> None:
    outcome = accepted(transition(ROUTE, SUBMITTED, Action(A.RECEIVE), REVIEWER, CTX))
    assert outcome.state == RECEIVED
    assert only_event(outcome) == Event("receive", S.SUBMITTED, S.RECEIVED, "review")


@pytest.mark.parametrize("state", [SUBMITTED, RECEIVED, CaseState(S.UNDER_REVIEW, 0)])
def test_pass_moves_to_the_next_stage(state: CaseState) -> None:
    outcome = accepted(transition(ROUTE, state, Action(A.PASS, " 問題なし "), REVIEWER, CTX))
    assert outcome.state == AT_DECISION
    assert only_event(outcome) == Event("pass", state.status, S.UNDER_REVIEW, "review", "問題なし")


def test_return_to_previous_needs_a_reason_and_goes_back_one_stage() -> None:
    action = Action(A.RETURN_TO_PREVIOUS, "  添付書類を再確認してください\n")
    outcome = accepted(transition(ROUTE, AT_DECISION, action, APPROVER, CTX))
    assert outcome.state == CaseState(S.UNDER_REVIEW, 0)
    assert only_event(outcome) == Event(
        "return_to_previous",
        S.UNDER_REVIEW,
        S.UNDER_REVIEW,
        "decide",
        "添付書類を再確認してください",
    )


def test_approve_completes_the_case_with_an_approved_decision() -> None:
    outcome = accepted(transition(ROUTE, AT_DECISION, Action(A.APPROVE), APPROVER, CTX))
    assert outcome.state == CaseState(S.COMPLETED)
    assert only_event(outcome) == Event(
        "approve", S.UNDER_REVIEW, S.COMPLETED, "decide", decision="approved"
    )


def test_reject_closes_the_case_with_a_rejected_decision() -> None:
    outcome = accepted(transition(ROUTE, AT_DECISION, Action(A.REJECT, " 要件外 "), APPROVER, CTX))
    assert outcome.state == CaseState(S.REJECTED)
    assert only_event(outcome) == Event(
        "reject", S.UNDER_REVIEW, S.REJECTED, "decide", "要件外", "rejected"
    )


@pytest.mark.parametrize(
    ("state", "stage_id"),
    [(SUBMITTED, "review"), (RECEIVED, "review"), (AT_DECISION, "decide"), (CORRECTION, "review")],
)
def test_applicant_may_withdraw_any_open_case(state: CaseState, stage_id: str) -> None:
    outcome = accepted(transition(ROUTE, state, Action(A.WITHDRAW), APPLICANT, CTX))
    assert outcome.state == CaseState(S.WITHDRAWN)
    assert only_event(outcome) == Event("withdraw", state.status, S.WITHDRAWN, stage_id)


def test_withdraw_keeps_an_optional_reason() -> None:
    outcome = accepted(transition(ROUTE, SUBMITTED, Action(A.WITHDRAW, " 重複申請 "), APPLICANT))
    assert only_event(outcome).reason == "重複申請"


def test_withdraw_during_a_consultation_drops_the_answers() -> None:
    half = CaseState(S.UNDER_REVIEW, 2, consents=frozenset({ZAIMU_KEY}))
    state, _ = act(ROUTE_FULL, half, Action(A.WITHDRAW), APPLICANT)
    assert state == CaseState(S.WITHDRAWN)


def test_a_decision_only_route_decides_straight_from_submission() -> None:
    route = Route.from_dict(DECISION_ONLY)
    received = accepted(transition(route, SUBMITTED, Action(A.RECEIVE), APPROVER, CTX)).state
    outcome = accepted(transition(route, received, Action(A.APPROVE), APPROVER, CTX))
    assert outcome.state == CaseState(S.COMPLETED)
    assert only_event(outcome).skipped == ()


# --- refusals on two stages ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("state", "action", "actor"),
    [
        (DRAFT, Action(A.SUBMIT), REVIEWER),
        (SUBMITTED, Action(A.RECEIVE), APPROVER),
        (SUBMITTED, Action(A.RECEIVE), APPLICANT),
        (RECEIVED, Action(A.PASS), APPROVER),
        (RECEIVED, Action(A.PASS), OUTSIDER),
        (RECEIVED, Action(A.PASS), NOBODY),
        (AT_DECISION, Action(A.RETURN_TO_PREVIOUS, "再確認"), REVIEWER),
        (AT_DECISION, Action(A.APPROVE), REVIEWER),
        (AT_DECISION, Action(A.REJECT, "要件外"), OUTSIDER),
        (AT_DECISION, Action(A.REQUEST_CORRECTION, "補正"), REVIEWER),
        (AT_DECISION, Action(A.WITHDRAW), APPROVER),
        (SUBMITTED, Action(A.WITHDRAW), REVIEWER),
        (CORRECTION, Action(A.RESUBMIT), REVIEWER),
        (AT_DECISION, Action(A.ABANDON, "廃案"), REVIEWER),
        (AT_DECISION, Action(A.CLAIM), REVIEWER),
        (SUBMITTED, Action(A.CLAIM), APPLICANT),
    ],
)
def test_actor_without_the_position_or_not_the_applicant_is_not_permitted(
    state: CaseState, action: Action, actor: Actor
) -> None:
    assert transition(ROUTE, state, action, actor, CTX) == Refusal("not_permitted")


@pytest.mark.parametrize(
    ("state", "action", "actor"),
    [
        (SUBMITTED, Action(A.SUBMIT), APPLICANT),
        (RECEIVED, Action(A.RECEIVE), REVIEWER),
        (CaseState(S.UNDER_REVIEW, 0), Action(A.RECEIVE), REVIEWER),
        (DRAFT, Action(A.RECEIVE), REVIEWER),
        (DRAFT, Action(A.PASS), REVIEWER),
        (DRAFT, Action(A.CLAIM), REVIEWER),
        (DRAFT, Action(A.ABANDON, "廃案"), APPROVER),
        (DRAFT, Action(A.REASSIGN, assignee=2), APPROVER),
        (RECEIVED, Action(A.APPROVE), REVIEWER),
        (RECEIVED, Action(A.REJECT, "要件外"), REVIEWER),
        (AT_DECISION, Action(A.PASS), APPROVER),
        (AT_DECISION, Action(A.CONSENT), APPROVER),
        (AT_DECISION, Action(A.OBJECT, "異議"), APPROVER),
        (RECEIVED, Action(A.RETURN_TO_PREVIOUS, "再確認"), REVIEWER),
        (CORRECTION, Action(A.PASS), REVIEWER),
        (CORRECTION, Action(A.REQUEST_CORRECTION, "再補正"), REVIEWER),
        (CORRECTION, Action(A.RETURN_TO_PREVIOUS, "再確認"), REVIEWER),
        (CaseState(S.CORRECTION_REQUESTED, 1), Action(A.APPROVE), APPROVER),
        (DRAFT, Action(A.WITHDRAW), APPLICANT),
        (SUBMITTED, Action(A.RESUBMIT), APPLICANT),
        (CaseState(S.UNDER_REVIEW, 5), Action(A.APPROVE), APPROVER),
        (CaseState(S.UNDER_REVIEW, 5), Action(A.PASS), REVIEWER),
        (CaseState(S.UNDER_REVIEW, 5), Action(A.CLAIM), REVIEWER),
    ],
)
def test_action_not_valid_in_this_state_is_wrong_status(
    state: CaseState, action: Action, actor: Actor
) -> None:
    assert transition(ROUTE, state, action, actor, CTX) == Refusal("wrong_status")


@pytest.mark.parametrize("state", FINAL_STATES)
@pytest.mark.parametrize("kind", list(ActionKind))
@pytest.mark.parametrize("actor", [APPLICANT, REVIEWER, APPROVER, DIRECTOR, SECTION_CHIEF])
@pytest.mark.parametrize("route", [ROUTE, ROUTE_FULL])
def test_final_cases_accept_nothing(
    route: Route, state: CaseState, kind: ActionKind, actor: Actor
) -> None:
    action = Action(kind, "理由", target_stage="check", assignee=2)
    context = Context(HOME, values={"amount": 1}, candidates=frozenset({2}))
    assert transition(route, state, action, actor, context) == Refusal("wrong_status")
    assert allowed_actions(route, state, actor, context) == ()


@pytest.mark.parametrize(
    ("state", "kind", "actor"),
    [
        (AT_DECISION, A.RETURN_TO_PREVIOUS, APPROVER),
        (AT_DECISION, A.REJECT, APPROVER),
        (AT_DECISION, A.REQUEST_CORRECTION, APPROVER),
        (AT_DECISION, A.ABANDON, APPROVER),
        (SUBMITTED, A.ABANDON, REVIEWER),
    ],
)
@pytest.mark.parametrize("reason", ["", "   ", "\n\t", "\u3000"])
def test_some_actions_need_a_non_blank_reason(
    state: CaseState, kind: ActionKind, actor: Actor, reason: str
) -> None:
    assert transition(ROUTE, state, Action(kind, reason), actor, CTX) == Refusal("reason_required")


@pytest.mark.parametrize("reason", ["", "  "])
def test_an_objection_needs_a_reason(reason: str) -> None:
    result = transition(ROUTE_FULL, AT_CONSULT, Action(A.OBJECT, reason), ZAIMU, BIG)
    assert result == Refusal("reason_required")


@pytest.mark.parametrize(
    ("state", "kind", "actor"),
    [
        (SUBMITTED, A.PASS, REVIEWER),
        (AT_DECISION, A.APPROVE, APPROVER),
        (SUBMITTED, A.RECEIVE, REVIEWER),
        (SUBMITTED, A.CLAIM, REVIEWER),
    ],
)
def test_other_actions_take_no_reason(state: CaseState, kind: ActionKind, actor: Actor) -> None:
    assert only_event(accepted(transition(ROUTE, state, Action(kind), actor, CTX))).reason == ""


def test_permission_is_checked_before_the_reason() -> None:
    assert transition(ROUTE, AT_DECISION, Action(A.REJECT), REVIEWER, CTX) == Refusal(
        "not_permitted"
    )
    assert transition(ROUTE_FULL, AT_CONSULT, Action(A.OBJECT), CLERK, BIG) == Refusal(
        "not_permitted"
    )


def test_staff_holding_several_positions_act_at_each_of_their_stages() -> None:
    both = staff(9, "reviewer", "approver")
    state = accepted(transition(ROUTE, SUBMITTED, Action(A.PASS), both, CTX)).state
    outcome = accepted(transition(ROUTE, state, Action(A.APPROVE), both, CTX))
    assert outcome.state.status is S.COMPLETED
    assert only_event(outcome).skipped == ()


def test_staff_member_cannot_act_on_their_own_application() -> None:
    own = Actor(7, frozenset({Position("reviewer", HOME), Position("approver")}), True)
    for state in (SUBMITTED, AT_DECISION):
        for kind in (A.PASS, A.RECEIVE, A.CLAIM, A.APPROVE, A.REJECT, A.ABANDON):
            result = transition(ROUTE, state, Action(kind, "理由"), own, CTX)
            assert isinstance(result, Refusal), kind
        assert allowed_actions(ROUTE, state, own, CTX) == (A.WITHDRAW,)
    reassign = Action(A.REASSIGN, assignee=2)
    context = Context(HOME, candidates=frozenset({2}))
    assert transition(ROUTE, SUBMITTED, reassign, own, context) == Refusal("not_permitted")


def test_an_own_application_cannot_be_decided_as_a_deputy_either() -> None:
    own = Actor(7, is_applicant=True, deputy_for={3: frozenset({Position("approver", HOME)})})
    result = transition(ROUTE, AT_DECISION, Action(A.APPROVE), own, CTX)
    assert result == Refusal("not_permitted")


def test_departments_must_match() -> None:
    assert transition(ROUTE_FULL, AT_CHECK, Action(A.PASS), FOREIGN_CLERK, BIG) == Refusal(
        "not_permitted"
    )
    anywhere = staff(19, "clerk", department=None)  # the role is held in every department
    state, _ = act(ROUTE_FULL, AT_CHECK, Action(A.PASS), anywhere)
    assert state == AT_CHIEF


def test_a_route_department_none_means_the_home_department() -> None:
    other_home = Context("kikaku", values={"amount": 1_000_000})
    assert transition(ROUTE_FULL, AT_CHECK, Action(A.PASS), CLERK, other_home) == Refusal(
        "not_permitted"
    )
    state, _ = act(ROUTE_FULL, AT_CHECK, Action(A.PASS), FOREIGN_CLERK, other_home)
    assert state == AT_CHIEF


# --- three stages --------------------------------------------------------------------------


def test_three_stage_route_walks_forward_back_and_to_a_decision() -> None:
    def step(state: CaseState, action: Action, actor: Actor) -> CaseState:
        return accepted(transition(ROUTE3, state, action, actor, CTX)).state

    state = step(DRAFT, Action(A.SUBMIT), APPLICANT)
    state = step(state, Action(A.RECEIVE), CLERK)
    state = step(state, Action(A.PASS), CLERK)
    assert state == CaseState(S.UNDER_REVIEW, 1)
    assert transition(ROUTE3, state, Action(A.PASS), CLERK, CTX) == Refusal("not_permitted")
    state = step(state, Action(A.PASS), CHIEF)
    assert state == CaseState(S.UNDER_REVIEW, 2)
    state = step(state, Action(A.RETURN_TO_PREVIOUS, "係長再確認"), DIRECTOR)
    assert state == CaseState(S.UNDER_REVIEW, 1)
    state = step(state, Action(A.RETURN_TO_PREVIOUS, "受付からやり直し"), CHIEF)
    assert state == CaseState(S.UNDER_REVIEW, 0)
    assert transition(ROUTE3, state, Action(A.RECEIVE), CLERK, CTX) == Refusal("wrong_status")
    state = step(state, Action(A.PASS), CLERK)
    state = step(state, Action(A.PASS), CHIEF)
    assert step(state, Action(A.APPROVE), DIRECTOR) == CaseState(S.COMPLETED)


def test_three_stage_allowed_actions_follow_the_current_stage() -> None:
    middle = CaseState(S.UNDER_REVIEW, 1)
    assert allowed_actions(ROUTE3, middle, CHIEF, CTX) == (
        A.CLAIM,
        A.PASS,
        A.REQUEST_CORRECTION,
        A.RETURN_TO_PREVIOUS,
        A.ABANDON,
    )
    # The director may decide ahead of the chief (引き上げ), and close the case.
    assert allowed_actions(ROUTE3, middle, DIRECTOR, CTX) == (A.APPROVE, A.REJECT, A.ABANDON)
    assert allowed_actions(ROUTE3, CaseState(S.UNDER_REVIEW, 2), CHIEF, CTX) == ()
    assert allowed_actions(ROUTE3, middle, CLERK, CTX) == ()


# --- 回議 → 合議 → 決裁 ----------------------------------------------------------------------


def test_review_consultation_and_decision_walk() -> None:
    state, event = act(ROUTE_FULL, DRAFT, Action(A.SUBMIT), APPLICANT)
    state, event = act(ROUTE_FULL, state, Action(A.RECEIVE), CLERK)
    assert (state, event.stage_id) == (RECEIVED, "check")
    state, event = act(ROUTE_FULL, state, Action(A.PASS, "確認済"), CLERK)
    assert state == AT_CHIEF
    state, event = act(ROUTE_FULL, state, Action(A.PASS), CHIEF)
    assert state == AT_CONSULT
    assert event == Event("pass", S.UNDER_REVIEW, S.UNDER_REVIEW, "chief")

    state, event = act(ROUTE_FULL, state, Action(A.CONSENT, "異議なし"), KIKAKU)
    assert state == CaseState(S.UNDER_REVIEW, 2, consents=frozenset({KIKAKU_KEY}))
    assert event == Event(
        "consent", S.UNDER_REVIEW, S.UNDER_REVIEW, "consult", "異議なし", position=KIKAKU_KEY
    )
    state, event = act(ROUTE_FULL, state, Action(A.CONSENT), ZAIMU)
    assert state == AT_DECIDE
    assert event.position == ZAIMU_KEY

    state, event = act(ROUTE_FULL, state, Action(A.APPROVE, "決定"), DIRECTOR)
    assert state == CaseState(S.COMPLETED)
    assert event == Event(
        "approve", S.UNDER_REVIEW, S.COMPLETED, "decide", "決定", decision="approved"
    )


def test_a_consultation_needs_every_department_to_consent() -> None:
    state, _ = act(ROUTE_FULL, AT_CONSULT, Action(A.CONSENT), ZAIMU)
    assert state.stage_index == 2 and state.consents == {ZAIMU_KEY}
    # Nobody else moves the case on meanwhile, and zaimu cannot answer twice.
    for actor in (ZAIMU, CLERK, CHIEF, SECTION_CHIEF, DIRECTOR, FOREIGN_CLERK):
        assert transition(ROUTE_FULL, state, Action(A.CONSENT), actor, BIG) == Refusal(
            "not_permitted"
        )
    assert allowed_actions(ROUTE_FULL, state, ZAIMU, BIG) == ()
    assert allowed_actions(ROUTE_FULL, state, KIKAKU, BIG) == (A.CONSENT, A.OBJECT)
    state, _ = act(ROUTE_FULL, state, Action(A.CONSENT), KIKAKU)
    assert state == AT_DECIDE


def test_nothing_but_answers_happens_at_a_consultation() -> None:
    for kind, actor in [
        (A.PASS, CHIEF),
        (A.APPROVE, DIRECTOR),
        (A.REJECT, DIRECTOR),
        (A.CLAIM, ZAIMU),
        (A.RETURN_TO_PREVIOUS, ZAIMU),
        (A.REQUEST_CORRECTION, ZAIMU),
        (A.REASSIGN, DIRECTOR),
    ]:
        action = Action(kind, "理由", assignee=12)
        context = Context(HOME, values={"amount": 1_000_000}, candidates=frozenset({12}))
        assert transition(ROUTE_FULL, AT_CONSULT, action, actor, context) == Refusal(
            "wrong_status"
        ), kind


def test_one_actor_holding_both_consulted_positions_answers_them_one_at_a_time() -> None:
    both = Actor(30, ZAIMU.positions | KIKAKU.positions)
    state, event = act(ROUTE_FULL, AT_CONSULT, Action(A.CONSENT), both)
    assert event.position == ZAIMU_KEY and state.stage_index == 2
    state, event = act(ROUTE_FULL, state, Action(A.CONSENT), both)
    assert event.position == KIKAKU_KEY and state == AT_DECIDE


def test_an_objection_with_return_goes_back_a_stage_and_clears_the_answers() -> None:
    state, _ = act(ROUTE_FULL, AT_CONSULT, Action(A.CONSENT), ZAIMU)
    state, event = act(ROUTE_FULL, state, Action(A.OBJECT, " 予算超過 "), KIKAKU)
    assert state == AT_CHIEF
    assert event == Event(
        "object", S.UNDER_REVIEW, S.UNDER_REVIEW, "consult", "予算超過", position=KIKAKU_KEY
    )
    # Passed on again, the consultation starts afresh.
    state, _ = act(ROUTE_FULL, state, Action(A.PASS), CHIEF)
    assert state == AT_CONSULT
    assert allowed_actions(ROUTE_FULL, state, ZAIMU, BIG) == (A.CONSENT, A.OBJECT)


def test_an_objection_with_record_counts_as_an_answer() -> None:
    state, event = act(ROUTE_RECORD, AT_CONSULT, Action(A.OBJECT, "意見あり"), ZAIMU)
    assert state == CaseState(S.UNDER_REVIEW, 2, objections=frozenset({ZAIMU_KEY}))
    assert event.position == ZAIMU_KEY and event.reason == "意見あり"
    assert allowed_actions(ROUTE_RECORD, state, ZAIMU, BIG) == ()
    assert waiting_positions(ROUTE_RECORD, state, BIG) == (Position("section_chief", "kikaku"),)
    state, event = act(ROUTE_RECORD, state, Action(A.CONSENT), KIKAKU)
    assert state == AT_DECIDE
    assert event.to_status is S.UNDER_REVIEW


def test_with_record_every_position_may_object_and_the_case_still_moves_on() -> None:
    state, _ = act(ROUTE_RECORD, AT_CONSULT, Action(A.OBJECT, "反対"), KIKAKU)
    state, _ = act(ROUTE_RECORD, state, Action(A.OBJECT, "反対"), ZAIMU)
    assert state == AT_DECIDE


# --- deputies (代決) ------------------------------------------------------------------------


def test_a_deputy_decides_for_an_absent_director() -> None:
    stand_in = deputy(20, DIRECTOR.user_id, "director")
    state, event = act(ROUTE_FULL, AT_DECIDE, Action(A.APPROVE), stand_in)
    assert state == CaseState(S.COMPLETED)
    assert event.on_behalf_of == DIRECTOR.user_id
    assert event.detail() == {"on_behalf_of": DIRECTOR.user_id}


def test_a_deputy_answers_a_consultation_for_an_absent_section_chief() -> None:
    stand_in = deputy(21, ZAIMU.user_id, "section_chief", department="zaimu")
    state, event = act(ROUTE_FULL, AT_CONSULT, Action(A.CONSENT), stand_in)
    assert state.consents == {ZAIMU_KEY}
    assert (event.on_behalf_of, event.position) == (ZAIMU.user_id, ZAIMU_KEY)


def test_a_deputy_passes_a_review_stage() -> None:
    stand_in = deputy(22, CLERK.user_id, "clerk")
    state, event = act(ROUTE_FULL, AT_CHECK, Action(A.PASS), stand_in)
    assert state == AT_CHIEF and event.on_behalf_of == CLERK.user_id


def test_a_deputy_for_someone_without_the_position_cannot_act() -> None:
    stand_in = deputy(23, CLERK.user_id, "clerk")
    assert transition(ROUTE_FULL, AT_DECIDE, Action(A.APPROVE), stand_in, BIG) == Refusal(
        "not_permitted"
    )
    other_department = deputy(24, 99, "director", department="kikaku")
    assert transition(ROUTE_FULL, AT_DECIDE, Action(A.APPROVE), other_department, BIG) == Refusal(
        "not_permitted"
    )
    assert allowed_actions(ROUTE_FULL, AT_DECIDE, stand_in, BIG) == ()


def test_standing_in_for_oneself_grants_nothing() -> None:
    itself = deputy(25, 25, "director")
    assert transition(ROUTE_FULL, AT_DECIDE, Action(A.APPROVE), itself, BIG) == Refusal(
        "not_permitted"
    )


def test_acting_in_person_is_preferred_to_acting_as_a_deputy() -> None:
    both = Actor(26, DIRECTOR.positions, deputy_for={15: DIRECTOR.positions})
    _, event = act(ROUTE_FULL, AT_DECIDE, Action(A.APPROVE), both)
    assert event.on_behalf_of is None


def test_a_deputy_follows_the_tier() -> None:
    for_director = deputy(27, DIRECTOR.user_id, "director")
    for_section_chief = deputy(28, SECTION_CHIEF.user_id, "section_chief")
    _, event = act(ROUTE_FULL, AT_DECIDE, Action(A.APPROVE), for_section_chief, SMALL)
    assert (event.on_behalf_of, event.tier) == (SECTION_CHIEF.user_id, 0)
    # Above the tier's limit only the director (or whoever acts for them) decides.
    assert transition(ROUTE_FULL, AT_DECIDE, Action(A.APPROVE), for_section_chief, BIG) == (
        Refusal("not_permitted")
    )
    _, event = act(ROUTE_FULL, AT_DECIDE, Action(A.APPROVE), for_director, BIG)
    assert (event.on_behalf_of, event.tier) == (DIRECTOR.user_id, None)


def test_a_deputy_may_act_on_the_step_their_principal_has_taken() -> None:
    taken = CaseState(S.UNDER_REVIEW, 0, assignee=CLERK.user_id)
    stand_in = deputy(29, CLERK.user_id, "clerk")
    state, event = act(ROUTE_FULL, taken, Action(A.PASS), stand_in)
    assert state == AT_CHIEF and event.on_behalf_of == CLERK.user_id
    someone_else = deputy(29, CLERK2.user_id, "clerk")
    assert transition(ROUTE_FULL, taken, Action(A.PASS), someone_else, BIG) == Refusal(
        "assigned_to_other"
    )


def test_a_deputy_acts_for_a_principal_whose_user_id_is_zero() -> None:
    # A falsy user id is still a user: the step taken by user 0 is theirs, not the deputy's.
    taken = CaseState(S.UNDER_REVIEW, 0, assignee=0)
    stand_in = deputy(29, 0, "clerk")
    _, event = act(ROUTE_FULL, taken, Action(A.PASS), stand_in)
    assert event.on_behalf_of == 0
    assert event.detail() == {"on_behalf_of": 0}


# --- pull-up (引き上げ) ---------------------------------------------------------------------


def test_the_decider_decides_from_the_first_review_stage() -> None:
    state, event = act(ROUTE3, AT_CHECK, Action(A.APPROVE), DIRECTOR, CTX)
    assert state == CaseState(S.COMPLETED)
    assert event.stage_id == "check"
    assert event.skipped == ("check", "chief")
    assert event.pulled_up
    assert event.detail() == {"skipped": ["check", "chief"]}


@pytest.mark.parametrize("state", [SUBMITTED, RECEIVED, AT_CHECK])
def test_the_decider_may_reject_ahead_too(state: CaseState) -> None:
    state, event = act(ROUTE3, state, Action(A.REJECT, "要件外"), DIRECTOR, CTX)
    assert state == CaseState(S.REJECTED)
    assert event.decision == "rejected" and event.skipped == ("check", "chief")


def test_the_decider_skips_only_the_stages_left() -> None:
    _, event = act(ROUTE3, AT_CHIEF, Action(A.APPROVE), DIRECTOR, CTX)
    assert event.skipped == ("chief",)


def test_a_later_reviewer_passes_ahead_of_an_earlier_one() -> None:
    state, event = act(ROUTE3, AT_CHECK, Action(A.PASS, "先行"), CHIEF, CTX)
    assert state == CaseState(S.UNDER_REVIEW, 2)
    assert event.stage_id == "check" and event.skipped == ("check",)
    # Passing is not deciding: the chief holds no decision.
    assert transition(ROUTE3, AT_CHECK, Action(A.APPROVE), CHIEF, CTX) == Refusal("wrong_status")


def test_pull_up_clears_the_step_taken_at_the_stage_skipped() -> None:
    taken = CaseState(S.UNDER_REVIEW, 0, assignee=CLERK.user_id)
    state, _ = act(ROUTE3, taken, Action(A.PASS), CHIEF, CTX)
    assert state == CaseState(S.UNDER_REVIEW, 2)
    state, _ = act(ROUTE3, taken, Action(A.APPROVE), DIRECTOR, CTX)
    assert state == CaseState(S.COMPLETED)


def test_a_deputy_of_the_decider_pulls_up_too() -> None:
    stand_in = deputy(31, DIRECTOR.user_id, "director")
    _, event = act(ROUTE3, AT_CHECK, Action(A.APPROVE), stand_in, CTX)
    assert (event.on_behalf_of, event.skipped) == (DIRECTOR.user_id, ("check", "chief"))


def test_the_decider_cannot_jump_over_a_consultation() -> None:
    for state in (AT_CHECK, AT_CHIEF):
        for kind in (A.APPROVE, A.REJECT):
            result = transition(ROUTE_FULL, state, Action(kind, "理由"), DIRECTOR, BIG)
            assert result == Refusal("wrong_status")
        assert transition(ROUTE_FULL, state, Action(A.PASS), DIRECTOR, BIG) == Refusal(
            "not_permitted"
        )
        assert allowed_actions(ROUTE_FULL, state, DIRECTOR, BIG) == (A.ABANDON,)


def test_consulted_positions_cannot_pass_ahead_of_the_reviews() -> None:
    assert transition(ROUTE_FULL, AT_CHIEF, Action(A.PASS), ZAIMU, BIG) == Refusal("not_permitted")
    assert transition(ROUTE_FULL, AT_CHIEF, Action(A.CONSENT), ZAIMU, BIG) == Refusal(
        "wrong_status"
    )


@pytest.mark.parametrize("actor", [APPLICANT, OUTSIDER, NOBODY, ZAIMU, FOREIGN_CLERK])
def test_the_stage_before_a_consultation_can_be_asked_about_by_anyone(actor: Actor) -> None:
    # Looking for a higher approver must stop at the consultation, not ask it for a position.
    assert transition(ROUTE_FULL, AT_CHIEF, Action(A.PASS), actor, BIG) == Refusal("not_permitted")
    expected = (A.WITHDRAW,) if actor.is_applicant else ()
    assert allowed_actions(ROUTE_FULL, AT_CHIEF, actor, BIG) == expected


def test_the_decider_may_pull_up_after_the_consultation() -> None:
    data = copy.deepcopy(FULL)
    data["stages"].insert(
        3, {"id": "final", "kind": "review", "role": "kakari", "title": {"ja": "x"}}
    )
    route = Route.from_dict(data)
    _, event = act(route, CaseState(S.UNDER_REVIEW, 3), Action(A.APPROVE), DIRECTOR)
    assert event.skipped == ("final",)


# A section chief reviews at "chief" and, under the tier, also decides small subsidies.
SECTION_REVIEWS: dict[str, Any] = {
    "stages": [
        {"id": "check", "kind": "review", "role": "clerk", "title": {"ja": "受付審査"}},
        {"id": "chief", "kind": "review", "role": "section_chief", "title": {"ja": "課長補佐"}},
        {
            "id": "decide",
            "kind": "decision",
            "role": "director",
            "title": {"ja": "課長決裁"},
            "tiers": [{"when": SMALL_SUBSIDY, "role": "section_chief"}],
        },
    ]
}


def test_a_decider_who_also_reviews_later_may_decide_from_the_first_stage() -> None:
    route = Route.from_dict(SECTION_REVIEWS)
    state, event = act(route, AT_CHECK, Action(A.APPROVE), SECTION_CHIEF, SMALL)
    assert state == CaseState(S.COMPLETED)
    assert (event.skipped, event.tier) == (("check", "chief"), 0)
    # Passing ahead still goes to the nearest stage they hold.
    state, event = act(route, AT_CHECK, Action(A.PASS), SECTION_CHIEF, SMALL)
    assert state == CaseState(S.UNDER_REVIEW, 2) and event.skipped == ("check",)
    # Above the tier the director decides, so the section chief only passes.
    assert transition(route, AT_CHECK, Action(A.APPROVE), SECTION_CHIEF, BIG) == Refusal(
        "wrong_status"
    )


# --- authority tiers (専決規程) --------------------------------------------------------------


def test_at_or_below_the_limit_the_section_chief_decides() -> None:
    state, event = act(ROUTE_FULL, AT_DECIDE, Action(A.APPROVE), SECTION_CHIEF, SMALL)
    assert state == CaseState(S.COMPLETED)
    assert event.tier == 0
    assert event.detail() == {"tier": 0}


def test_at_or_below_the_limit_the_director_keeps_the_delegated_authority() -> None:
    # 専決: the tier names the section chief, but delegating does not take the director's
    # own authority away; the event still records which tier applied.
    for kind in (A.APPROVE, A.REJECT, A.RETURN_TO_PREVIOUS, A.REQUEST_CORRECTION, A.ABANDON):
        result = transition(ROUTE_FULL, AT_DECIDE, Action(kind, "理由"), DIRECTOR, SMALL)
        assert isinstance(result, Outcome), kind
    state, event = act(ROUTE_FULL, AT_DECIDE, Action(A.APPROVE), DIRECTOR, SMALL)
    assert state == CaseState(S.COMPLETED) and event.tier == 0


def test_above_the_limit_the_director_decides_with_no_tier() -> None:
    state, event = act(ROUTE_FULL, AT_DECIDE, Action(A.REJECT, "不適格"), DIRECTOR, BIG)
    assert state == CaseState(S.REJECTED)
    assert event.tier is None
    assert transition(ROUTE_FULL, AT_DECIDE, Action(A.APPROVE), SECTION_CHIEF, BIG) == Refusal(
        "not_permitted"
    )


@pytest.mark.parametrize("amount", ["500,000", "500000", 500000, "0"])
def test_the_limit_itself_and_text_amounts_are_within_the_tier(amount: Any) -> None:
    context = Context(HOME, values={"amount": amount})
    _, event = act(ROUTE_FULL, AT_DECIDE, Action(A.APPROVE), SECTION_CHIEF, context)
    assert event.tier == 0


@pytest.mark.parametrize("values", [{}, {"amount": None}, {"amount": "未定"}, {"amount": True}])
def test_a_missing_or_odd_amount_leaves_the_decision_to_the_director(
    values: dict[str, Any],
) -> None:
    context = Context(HOME, values=values)
    assert transition(ROUTE_FULL, AT_DECIDE, Action(A.APPROVE), SECTION_CHIEF, context) == Refusal(
        "not_permitted"
    )
    _, event = act(ROUTE_FULL, AT_DECIDE, Action(A.APPROVE), DIRECTOR, context)
    assert event.tier is None


def test_tier_and_pull_up_are_recorded_together() -> None:
    route = Route.from_dict(SECTION_REVIEWS)
    _, event = act(route, AT_CHECK, Action(A.REJECT, "不備"), SECTION_CHIEF, SMALL)
    assert event.detail() == {"skipped": ["check", "chief"], "tier": 0}


# --- claim ---------------------------------------------------------------------------------


def test_claim_takes_the_step() -> None:
    state, event = act(ROUTE_FULL, AT_CHECK, Action(A.CLAIM), CLERK)
    assert state == CaseState(S.UNDER_REVIEW, 0, assignee=CLERK.user_id)
    assert event == Event("claim", S.UNDER_REVIEW, S.UNDER_REVIEW, "check", assignee=CLERK.user_id)
    assert event.detail() == {"assignee": CLERK.user_id}


def test_once_claimed_only_the_assignee_acts() -> None:
    taken = CaseState(S.UNDER_REVIEW, 0, assignee=CLERK.user_id)
    for kind in (A.PASS, A.REQUEST_CORRECTION, A.ABANDON):
        assert transition(ROUTE_FULL, taken, Action(kind, "理由"), CLERK2, BIG) == Refusal(
            "assigned_to_other"
        ), kind
    assert transition(ROUTE_FULL, taken, Action(A.CLAIM), CLERK2, BIG) == Refusal(
        "assigned_to_other"
    )
    state, _ = act(ROUTE_FULL, taken, Action(A.PASS), CLERK)
    assert state == AT_CHIEF  # the next stage starts untaken


def test_claiming_a_step_one_already_has_is_wrong_status() -> None:
    taken = CaseState(S.UNDER_REVIEW, 0, assignee=CLERK.user_id)
    assert transition(ROUTE_FULL, taken, Action(A.CLAIM), CLERK, BIG) == Refusal("wrong_status")


def test_claim_over_an_absent_assignee() -> None:
    taken = CaseState(S.UNDER_REVIEW, 0, assignee=CLERK.user_id)
    away = Context(HOME, values={"amount": 1_000_000}, absent=frozenset({CLERK.user_id}))
    # The step stays with the absent assignee until someone takes it over ...
    assert transition(ROUTE_FULL, taken, Action(A.PASS), CLERK2, away) == Refusal(
        "assigned_to_other"
    )
    state, event = act(ROUTE_FULL, taken, Action(A.CLAIM), CLERK2, away)
    assert state.assignee == CLERK2.user_id and event.assignee == CLERK2.user_id
    state, _ = act(ROUTE_FULL, state, Action(A.PASS), CLERK2, away)
    assert state == AT_CHIEF


@pytest.mark.parametrize(
    ("state", "actor", "code"),
    [
        (AT_CHECK, deputy(32, CLERK.user_id, "clerk"), "not_permitted"),  # deputies do not claim
        (AT_CHECK, FOREIGN_CLERK, "not_permitted"),
        (AT_CHECK, CHIEF, "not_permitted"),  # nor does a higher approver
        (AT_CHECK, APPLICANT, "not_permitted"),
        (AT_CONSULT, ZAIMU, "wrong_status"),
        (DRAFT, CLERK, "wrong_status"),
        (CaseState(S.COMPLETED), CLERK, "wrong_status"),
    ],
)
def test_claim_refusals(state: CaseState, actor: Actor, code: RefusalCode) -> None:
    assert transition(ROUTE_FULL, state, Action(A.CLAIM), actor, BIG) == Refusal(code)


@pytest.mark.parametrize("state", [SUBMITTED, RECEIVED, CaseState(S.CORRECTION_REQUESTED, 0)])
def test_claim_in_any_open_status(state: CaseState) -> None:
    new, _ = act(ROUTE_FULL, state, Action(A.CLAIM), CLERK)
    assert new == CaseState(state.status, 0, assignee=CLERK.user_id)


def test_claim_at_the_decision_follows_the_tier() -> None:
    assert transition(ROUTE_FULL, AT_DECIDE, Action(A.CLAIM), DIRECTOR, SMALL) == Refusal(
        "not_permitted"
    )
    state, _ = act(ROUTE_FULL, AT_DECIDE, Action(A.CLAIM), SECTION_CHIEF, SMALL)
    assert state.assignee == SECTION_CHIEF.user_id


# --- reassign (担当替え) --------------------------------------------------------------------

CANDIDATES = Context(
    HOME,
    values={"amount": 1_000_000},
    candidates=frozenset({CLERK.user_id, CLERK2.user_id, 40}),
    absent=frozenset({40}),
)


def reassign(user_id: int | None) -> Action:
    return Action(A.REASSIGN, assignee=user_id)


def test_reassign_to_a_candidate() -> None:
    taken = CaseState(S.UNDER_REVIEW, 0, assignee=CLERK.user_id)
    state, event = act(ROUTE_FULL, taken, reassign(CLERK2.user_id), CLERK, CANDIDATES)
    assert state == CaseState(S.UNDER_REVIEW, 0, assignee=CLERK2.user_id)
    assert event == Event(
        "reassign", S.UNDER_REVIEW, S.UNDER_REVIEW, "check", assignee=CLERK2.user_id
    )


def test_reassign_an_untaken_step() -> None:
    state, _ = act(ROUTE_FULL, AT_CHECK, reassign(CLERK2.user_id), CLERK, CANDIDATES)
    assert state.assignee == CLERK2.user_id


@pytest.mark.parametrize(
    ("assignee", "why"),
    [
        (99, "not a candidate"),
        (None, "nobody named"),
        (40, "absent"),
        (CLERK.user_id, "already has it"),
    ],
)
def test_reassign_to_someone_who_cannot_take_it(assignee: int | None, why: str) -> None:
    taken = CaseState(S.UNDER_REVIEW, 0, assignee=CLERK.user_id)
    result = transition(ROUTE_FULL, taken, reassign(assignee), CLERK, CANDIDATES)
    assert result == Refusal("not_assignable"), why


@pytest.mark.parametrize(
    ("supervisor", "amount"),
    [(CHIEF, 1), (CHIEF, 1_000_000), (DIRECTOR, 1_000_000), (SECTION_CHIEF, 1)],
)
def test_a_holder_of_a_later_stage_may_reassign(supervisor: Actor, amount: int) -> None:
    context = Context(
        HOME, values={"amount": amount}, candidates=frozenset({CLERK.user_id, CLERK2.user_id})
    )
    taken = CaseState(S.UNDER_REVIEW, 0, assignee=CLERK.user_id)
    state, event = act(ROUTE_FULL, taken, reassign(CLERK2.user_id), supervisor, context)
    assert state.assignee == CLERK2.user_id
    assert event.on_behalf_of is None and event.skipped == ()


@pytest.mark.parametrize(("supervisor", "amount"), [(DIRECTOR, 1), (SECTION_CHIEF, 1_000_000)])
def test_the_decision_supervises_only_through_the_position_the_tier_picks(
    supervisor: Actor, amount: int
) -> None:
    context = Context(HOME, values={"amount": amount}, candidates=frozenset({CLERK2.user_id}))
    result = transition(ROUTE_FULL, AT_CHECK, reassign(CLERK2.user_id), supervisor, context)
    assert result == Refusal("not_permitted")


@pytest.mark.parametrize(
    ("actor", "code"),
    [
        (CLERK, "not_permitted"),  # holds an earlier stage only
        (ZAIMU, "not_permitted"),  # a consulted position supervises nobody
        (FOREIGN_CLERK, "not_permitted"),
        (OUTSIDER, "not_permitted"),
        (APPLICANT, "not_permitted"),
        (deputy(33, DIRECTOR.user_id, "director"), "not_permitted"),  # deputies do not supervise
    ],
)
def test_who_may_not_reassign(actor: Actor, code: RefusalCode) -> None:
    taken = CaseState(S.UNDER_REVIEW, 1, assignee=CHIEF.user_id)
    context = Context(HOME, values={"amount": 1_000_000}, candidates=frozenset({50}))
    assert transition(ROUTE_FULL, taken, reassign(50), actor, context) == Refusal(code)


def test_another_holder_may_not_reassign_a_step_someone_has_taken() -> None:
    # Only the person who took the step, or a supervisor, hands it on.
    taken = CaseState(S.UNDER_REVIEW, 0, assignee=CLERK.user_id)
    assert transition(ROUTE_FULL, taken, Action(A.CLAIM), CLERK2, CANDIDATES) == Refusal(
        "assigned_to_other"
    )
    assert transition(ROUTE_FULL, taken, reassign(CLERK2.user_id), CLERK2, CANDIDATES) == (
        Refusal("assigned_to_other")
    )
    state, _ = act(ROUTE_FULL, taken, reassign(CLERK2.user_id), CLERK, CANDIDATES)
    assert state.assignee == CLERK2.user_id


def test_permission_is_checked_before_the_assignee() -> None:
    assert transition(ROUTE_FULL, AT_CHECK, reassign(99), FOREIGN_CLERK, CANDIDATES) == Refusal(
        "not_permitted"
    )


def test_a_deputy_of_the_holder_may_reassign_for_them() -> None:
    stand_in = deputy(34, CLERK.user_id, "clerk")
    _, event = act(ROUTE_FULL, AT_CHECK, reassign(CLERK2.user_id), stand_in, CANDIDATES)
    assert (event.on_behalf_of, event.assignee) == (CLERK.user_id, CLERK2.user_id)


def test_reassign_refusals_by_state() -> None:
    for state in (AT_CONSULT, DRAFT, CaseState(S.WITHDRAWN)):
        result = transition(ROUTE_FULL, state, reassign(CLERK2.user_id), DIRECTOR, CANDIDATES)
        assert result == Refusal("wrong_status")
    correcting = CaseState(S.CORRECTION_REQUESTED, 0)
    state, _ = act(ROUTE_FULL, correcting, reassign(CLERK2.user_id), CLERK, CANDIDATES)
    assert state == CaseState(S.CORRECTION_REQUESTED, 0, assignee=CLERK2.user_id)


def test_reassign_is_offered_only_with_a_candidate() -> None:
    assert A.REASSIGN not in allowed_actions(ROUTE_FULL, AT_CHECK, CLERK, BIG)
    assert A.REASSIGN in allowed_actions(ROUTE_FULL, AT_CHECK, CLERK, CANDIDATES)
    only_absent = Context(HOME, candidates=frozenset({40}), absent=frozenset({40}))
    assert A.REASSIGN not in allowed_actions(ROUTE_FULL, AT_CHECK, CLERK, only_absent)


# --- abandon (廃案) -------------------------------------------------------------------------


def test_the_stage_holder_abandons() -> None:
    state, event = act(ROUTE_FULL, AT_CHECK, Action(A.ABANDON, " 連絡不能 "), CLERK)
    assert state == CaseState(S.ABANDONED)
    assert event == Event("abandon", S.UNDER_REVIEW, S.ABANDONED, "check", "連絡不能")
    assert event.decision is None


@pytest.mark.parametrize(
    "state",
    [
        SUBMITTED,
        AT_CHECK,
        AT_CHIEF,
        AT_CONSULT,
        CaseState(S.UNDER_REVIEW, 2, consents=frozenset({ZAIMU_KEY})),
        AT_DECIDE,
        CaseState(S.CORRECTION_REQUESTED, 0),
        CaseState(S.CORRECTION_REQUESTED, 3),
        CaseState(S.UNDER_REVIEW, 1, assignee=CHIEF.user_id),
    ],
)
def test_the_decider_abandons_at_any_stage(state: CaseState) -> None:
    new, event = act(ROUTE_FULL, state, Action(A.ABANDON, "補正なし"), DIRECTOR)
    assert new == CaseState(S.ABANDONED)
    assert event.stage_id == ROUTE_FULL.stages[state.stage_index or 0].id


def test_the_stage_holder_abandons_while_a_correction_is_awaited() -> None:
    state, _ = act(
        ROUTE_FULL, CaseState(S.CORRECTION_REQUESTED, 1), Action(A.ABANDON, "期限"), CHIEF
    )
    assert state == CaseState(S.ABANDONED)


def test_a_deputy_of_the_decider_abandons_for_them() -> None:
    stand_in = deputy(35, DIRECTOR.user_id, "director")
    _, event = act(ROUTE_FULL, AT_CONSULT, Action(A.ABANDON, "廃案"), stand_in)
    assert event.on_behalf_of == DIRECTOR.user_id


@pytest.mark.parametrize(
    ("state", "actor", "context", "code"),
    [
        (AT_CONSULT, ZAIMU, BIG, "not_permitted"),  # consulted, not in charge
        (AT_CHECK, CHIEF, BIG, "not_permitted"),
        (AT_CHECK, FOREIGN_CLERK, BIG, "not_permitted"),
        (AT_CHECK, APPLICANT, BIG, "not_permitted"),
        (AT_CHECK, DIRECTOR, SMALL, "not_permitted"),  # not the decider under the tier
        (CaseState(S.UNDER_REVIEW, 0, assignee=CLERK.user_id), CLERK2, BIG, "assigned_to_other"),
        (DRAFT, DIRECTOR, BIG, "wrong_status"),
        (CaseState(S.REJECTED), DIRECTOR, BIG, "wrong_status"),
        (CaseState(S.UNDER_REVIEW, 9), DIRECTOR, BIG, "wrong_status"),
    ],
)
def test_abandon_refusals(
    state: CaseState, actor: Actor, context: Context, code: RefusalCode
) -> None:
    assert transition(ROUTE_FULL, state, Action(A.ABANDON, "廃案"), actor, context) == Refusal(code)


def test_the_section_chief_abandons_as_the_decider_under_the_tier() -> None:
    state, _ = act(ROUTE_FULL, AT_CHECK, Action(A.ABANDON, "廃案"), SECTION_CHIEF, SMALL)
    assert state == CaseState(S.ABANDONED)


# --- return to an earlier stage (差戻し) ----------------------------------------------------


@pytest.mark.parametrize(
    ("target", "index"), [(None, 2), ("consult", 2), ("chief", 1), ("check", 0)]
)
def test_return_to_an_earlier_stage(target: str | None, index: int) -> None:
    taken = CaseState(S.UNDER_REVIEW, 3, assignee=DIRECTOR.user_id)
    action = Action(A.RETURN_TO_PREVIOUS, "再審査", target_stage=target)
    state, event = act(ROUTE_FULL, taken, action, DIRECTOR)
    assert state == CaseState(S.UNDER_REVIEW, index)  # fresh: nobody has it, no answers
    assert event.stage_id == "decide"


@pytest.mark.parametrize("target", ["decide", "nope", ""])
def test_return_to_the_same_or_an_unknown_stage(target: str) -> None:
    action = Action(A.RETURN_TO_PREVIOUS, "再審査", target_stage=target)
    assert transition(ROUTE_FULL, AT_DECIDE, action, DIRECTOR, BIG) == Refusal("unknown_stage")


@pytest.mark.parametrize("target", ["consult", "decide", "chief"])
def test_return_to_a_later_stage_is_an_unknown_stage(target: str) -> None:
    action = Action(A.RETURN_TO_PREVIOUS, "再審査", target_stage=target)
    assert transition(ROUTE_FULL, AT_CHIEF, action, CHIEF, BIG) == (Refusal("unknown_stage"))


def test_an_unknown_stage_is_reported_before_a_missing_reason() -> None:
    action = Action(A.RETURN_TO_PREVIOUS, "", target_stage="nope")
    assert transition(ROUTE_FULL, AT_DECIDE, action, DIRECTOR, BIG) == Refusal("unknown_stage")
    action = Action(A.RETURN_TO_PREVIOUS, "", target_stage="check")
    assert transition(ROUTE_FULL, AT_DECIDE, action, DIRECTOR, BIG) == Refusal("reason_required")


def test_return_refusals() -> None:
    action = Action(A.RETURN_TO_PREVIOUS, "再審査", target_stage="check")
    assert transition(ROUTE_FULL, AT_CHECK, action, CLERK, BIG) == Refusal("wrong_status")
    assert transition(ROUTE_FULL, AT_CONSULT, action, ZAIMU, BIG) == Refusal("wrong_status")
    assert transition(ROUTE_FULL, AT_DECIDE, action, CHIEF, BIG) == Refusal("not_permitted")
    taken = CaseState(S.UNDER_REVIEW, 1, assignee=CHIEF.user_id)
    chief2 = staff(36, "chief")
    assert transition(ROUTE_FULL, taken, action, chief2, BIG) == Refusal("assigned_to_other")
    # No pull-up for a return: it belongs to the stage that has the case.
    assert transition(ROUTE3, AT_CHIEF, action, DIRECTOR, CTX) == Refusal("not_permitted")


# --- correction (補正) ----------------------------------------------------------------------


def test_a_correction_waits_for_the_applicant_at_the_same_stage() -> None:
    asked = transition(
        ROUTE, AT_DECISION, Action(A.REQUEST_CORRECTION, "写しが不鮮明です"), APPROVER, CTX
    )
    assert isinstance(asked, Outcome)
    assert asked.state == CaseState(S.CORRECTION_REQUESTED, AT_DECISION.stage_index)
    assert asked.events[0].reason == "写しが不鮮明です"
    # Staff can do nothing but close it until the applicant has corrected it.
    assert allowed_actions(ROUTE, asked.state, APPROVER, CTX) == (A.CLAIM, A.ABANDON)
    assert transition(ROUTE, AT_DECISION, Action(A.REQUEST_CORRECTION), APPROVER, CTX) == Refusal(
        "reason_required"
    )
    back = transition(ROUTE, asked.state, Action(A.RESUBMIT), APPLICANT, CTX)
    assert isinstance(back, Outcome)
    assert back.state == CaseState(S.UNDER_REVIEW, AT_DECISION.stage_index)
    assert only_event(back) == Event("resubmit", S.CORRECTION_REQUESTED, S.UNDER_REVIEW, "decide")
    assert transition(ROUTE, asked.state, Action(A.RESUBMIT), APPROVER, CTX) == Refusal(
        "not_permitted"
    )


def test_a_correction_keeps_whoever_has_the_step() -> None:
    taken = CaseState(S.UNDER_REVIEW, 1, assignee=CHIEF.user_id)
    asked, _ = act(ROUTE_FULL, taken, Action(A.REQUEST_CORRECTION, "補正"), CHIEF)
    assert asked == CaseState(S.CORRECTION_REQUESTED, 1, assignee=CHIEF.user_id)
    back, _ = act(ROUTE_FULL, asked, Action(A.RESUBMIT), APPLICANT)
    assert back == taken


def test_a_correction_from_the_first_stage_comes_back_under_review() -> None:
    asked, _ = act(ROUTE_FULL, SUBMITTED, Action(A.REQUEST_CORRECTION, "補正"), CLERK)
    back, _ = act(ROUTE_FULL, asked, Action(A.RESUBMIT), APPLICANT)
    assert back == AT_CHECK
    assert transition(ROUTE_FULL, back, Action(A.RECEIVE), CLERK, BIG) == Refusal("wrong_status")


def test_a_deputy_requests_a_correction() -> None:
    stand_in = deputy(37, CLERK.user_id, "clerk")
    _, event = act(ROUTE_FULL, AT_CHECK, Action(A.REQUEST_CORRECTION, "補正"), stand_in)
    assert event.on_behalf_of == CLERK.user_id


# --- Event.detail --------------------------------------------------------------------------


def test_event_detail_leaves_out_what_does_not_apply() -> None:
    plain = Event("pass", S.UNDER_REVIEW, S.UNDER_REVIEW, "check")
    assert plain.detail() == {}
    assert not plain.pulled_up
    full = Event(
        "approve",
        S.UNDER_REVIEW,
        S.COMPLETED,
        "check",
        reason="決定",
        decision="approved",
        on_behalf_of=15,
        skipped=("check", "chief"),
        position="zaimu/section_chief",
        tier=0,
        assignee=16,
    )
    assert full.detail() == {
        "on_behalf_of": 15,
        "skipped": ["check", "chief"],
        "position": "zaimu/section_chief",
        "tier": 0,
        "assignee": 16,
    }
    assert full.pulled_up


def test_events_name_the_consulted_position_only_for_answers() -> None:
    _, event = act(ROUTE_FULL, AT_CHECK, Action(A.PASS), CLERK)
    assert event.position is None
    _, event = act(ROUTE_FULL, AT_CONSULT, Action(A.OBJECT, "異議"), KIKAKU)
    assert event.detail() == {"position": KIKAKU_KEY}


# --- allowed_actions -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("state", "actor", "expected"),
    [
        (DRAFT, APPLICANT, (A.SUBMIT,)),
        (DRAFT, REVIEWER, ()),
        (SUBMITTED, APPLICANT, (A.WITHDRAW,)),
        (SUBMITTED, REVIEWER, (A.RECEIVE, A.CLAIM, A.PASS, A.REQUEST_CORRECTION, A.ABANDON)),
        (SUBMITTED, APPROVER, (A.APPROVE, A.REJECT, A.ABANDON)),
        (RECEIVED, REVIEWER, (A.CLAIM, A.PASS, A.REQUEST_CORRECTION, A.ABANDON)),
        (RECEIVED, APPROVER, (A.APPROVE, A.REJECT, A.ABANDON)),
        (RECEIVED, APPLICANT, (A.WITHDRAW,)),
        (RECEIVED, OUTSIDER, ()),
        (
            AT_DECISION,
            APPROVER,
            (
                A.CLAIM,
                A.APPROVE,
                A.REJECT,
                A.REQUEST_CORRECTION,
                A.RETURN_TO_PREVIOUS,
                A.ABANDON,
            ),
        ),
        (AT_DECISION, REVIEWER, ()),
        (AT_DECISION, APPLICANT, (A.WITHDRAW,)),
        (
            CaseState(S.UNDER_REVIEW, 0),
            REVIEWER,
            (A.CLAIM, A.PASS, A.REQUEST_CORRECTION, A.ABANDON),
        ),
        (
            CaseState(S.UNDER_REVIEW, 0, assignee=2),
            REVIEWER,
            (A.PASS, A.REQUEST_CORRECTION, A.ABANDON),
        ),
        (CaseState(S.UNDER_REVIEW, 0, assignee=9), REVIEWER, ()),
        (CORRECTION, REVIEWER, (A.CLAIM, A.ABANDON)),
        (CORRECTION, APPLICANT, (A.WITHDRAW, A.RESUBMIT)),
        (CaseState(S.COMPLETED), APPLICANT, ()),
        (CaseState(S.REJECTED), APPROVER, ()),
        (CaseState(S.WITHDRAWN), REVIEWER, ()),
        (CaseState(S.ABANDONED), APPROVER, ()),
    ],
)
def test_allowed_actions(state: CaseState, actor: Actor, expected: tuple[ActionKind, ...]) -> None:
    assert allowed_actions(ROUTE, state, actor, CTX) == expected


@pytest.mark.parametrize(
    ("state", "actor", "context", "expected"),
    [
        (AT_CONSULT, ZAIMU, BIG, (A.CONSENT, A.OBJECT)),
        (AT_CONSULT, DIRECTOR, BIG, (A.ABANDON,)),
        (AT_CONSULT, APPLICANT, BIG, (A.WITHDRAW,)),
        (
            AT_DECIDE,
            SECTION_CHIEF,
            SMALL,
            (
                A.CLAIM,
                A.APPROVE,
                A.REJECT,
                A.REQUEST_CORRECTION,
                A.RETURN_TO_PREVIOUS,
                A.ABANDON,
            ),
        ),
        (AT_CHECK, CHIEF, CANDIDATES, (A.PASS, A.REASSIGN)),
        (
            AT_CHECK,
            CLERK,
            CANDIDATES,
            (A.CLAIM, A.PASS, A.REQUEST_CORRECTION, A.REASSIGN, A.ABANDON),
        ),
        (
            AT_CHECK,
            deputy(38, CLERK.user_id, "clerk"),
            BIG,
            (A.PASS, A.REQUEST_CORRECTION, A.ABANDON),
        ),
    ],
)
def test_allowed_actions_on_the_full_route(
    state: CaseState, actor: Actor, context: Context, expected: tuple[ActionKind, ...]
) -> None:
    assert allowed_actions(ROUTE_FULL, state, actor, context) == expected


FULL_STATES = [
    DRAFT,
    SUBMITTED,
    RECEIVED,
    AT_CHECK,
    CaseState(S.UNDER_REVIEW, 0, assignee=CLERK.user_id),
    CaseState(S.UNDER_REVIEW, 0, assignee=40),
    AT_CHIEF,
    CaseState(S.UNDER_REVIEW, 1, assignee=CHIEF.user_id),
    AT_CONSULT,
    CaseState(S.UNDER_REVIEW, 2, consents=frozenset({ZAIMU_KEY})),
    CaseState(S.UNDER_REVIEW, 2, objections=frozenset({KIKAKU_KEY})),
    AT_DECIDE,
    CaseState(S.UNDER_REVIEW, 3, assignee=SECTION_CHIEF.user_id),
    CaseState(S.CORRECTION_REQUESTED, 0),
    CaseState(S.CORRECTION_REQUESTED, 3, assignee=DIRECTOR.user_id),
    CaseState(S.UNDER_REVIEW, 7),
    *FINAL_STATES,
]
FULL_ACTORS = [
    APPLICANT,
    CLERK,
    CLERK2,
    CHIEF,
    ZAIMU,
    KIKAKU,
    SECTION_CHIEF,
    DIRECTOR,
    FOREIGN_CLERK,
    NOBODY,
    deputy(41, CLERK.user_id, "clerk"),
    deputy(42, DIRECTOR.user_id, "director"),
    deputy(43, ZAIMU.user_id, "section_chief", department="zaimu"),
    Actor(44, frozenset({Position("clerk"), Position("director")})),
    Actor(45, DIRECTOR.positions, is_applicant=True),
]
FULL_CONTEXTS = {
    "big": CANDIDATES,
    "small": Context(
        HOME,
        values={"amount": 10},
        candidates=frozenset({CLERK.user_id, SECTION_CHIEF.user_id}),
        absent=frozenset({40}),
    ),
}


@pytest.mark.parametrize(
    "route", [ROUTE_FULL, ROUTE_RECORD, ROUTE3], ids=["return", "record", "three"]
)
@pytest.mark.parametrize("context", list(FULL_CONTEXTS.values()), ids=list(FULL_CONTEXTS))
@pytest.mark.parametrize("state", FULL_STATES)
def test_allowed_actions_agree_with_transition(
    route: Route, context: Context, state: CaseState
) -> None:
    for actor in FULL_ACTORS:
        allowed = allowed_actions(route, state, actor, context)
        for kind in ActionKind:
            users = sorted(context.candidates) if kind is A.REASSIGN else [None]
            results = [
                transition(route, state, Action(kind, "理由", assignee=user), actor, context)
                for user in users
            ]
            assert any(isinstance(r, Outcome) for r in results) == (kind in allowed), (
                actor,
                kind,
            )


@pytest.mark.parametrize("actor", FULL_ACTORS)
@pytest.mark.parametrize("state", FULL_STATES[:12])
def test_refusals_come_with_a_known_code_and_outcomes_with_one_event(
    state: CaseState, actor: Actor
) -> None:
    for kind in ActionKind:
        for target in (None, "check", "decide"):
            action = Action(kind, "理由", target_stage=target, assignee=CLERK2.user_id)
            result = transition(ROUTE_FULL, state, action, actor, CANDIDATES)
            if isinstance(result, Refusal):
                assert result.code in {
                    "not_permitted",
                    "wrong_status",
                    "reason_required",
                    "assigned_to_other",
                    "not_assignable",
                    "unknown_stage",
                }
                continue
            event = only_event(result)
            assert event.kind == kind.value
            assert (event.from_status, event.to_status) == (state.status, result.state.status)
