"""Tests for the workflow model and the pure transition engine."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from workflows import (
    Action,
    ActionKind,
    Actor,
    CaseState,
    Event,
    Outcome,
    Refusal,
    Route,
    RouteError,
    Stage,
    StageKind,
    Status,
    allowed_actions,
    current_stage,
    route_problems,
    transition,
)

A = ActionKind
S = Status

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

ROUTE = Route.from_dict(TWO_STAGES)
ROUTE3 = Route.from_dict(THREE_STAGES)

APPLICANT = Actor(user_id=1, roles=frozenset(), is_applicant=True)
REVIEWER = Actor(user_id=2, roles=frozenset({"reviewer"}))
APPROVER = Actor(user_id=3, roles=frozenset({"approver"}))
OUTSIDER = Actor(user_id=4, roles=frozenset({"clerk", "viewer"}))

DRAFT = CaseState(S.DRAFT)
SUBMITTED = CaseState(S.SUBMITTED, 0)
RECEIVED = CaseState(S.RECEIVED, 0)
AT_DECISION = CaseState(S.UNDER_REVIEW, 1)
CORRECTION = CaseState(S.CORRECTION_REQUESTED, 0)
FINAL_STATES = (CaseState(S.COMPLETED), CaseState(S.REJECTED), CaseState(S.WITHDRAWN))


def accepted(result: Outcome | Refusal) -> Outcome:
    """Narrow a transition result to an outcome, failing the test on a refusal."""
    assert isinstance(result, Outcome), result
    return result


def only_event(outcome: Outcome) -> Event:
    """Return the single event an outcome records."""
    assert len(outcome.events) == 1
    return outcome.events[0]


def stages_with(**changes: Any) -> dict[str, Any]:
    """Return the two-stage route data with the first stage's keys replaced."""
    data = copy.deepcopy(TWO_STAGES)
    data["stages"][0].update(changes)
    return data


def problems_of(data: Any) -> list[str]:
    """Return the problems RouteError reports for this data."""
    with pytest.raises(RouteError) as caught:
        Route.from_dict(data)
    assert caught.value.problems == route_problems(data)
    return caught.value.problems


# --- Status ------------------------------------------------------------------------------


def test_final_and_open_statuses() -> None:
    assert {s for s in Status if s.is_final} == {S.COMPLETED, S.REJECTED, S.WITHDRAWN}
    assert {s for s in Status if s.is_open} == {
        S.SUBMITTED,
        S.RECEIVED,
        S.UNDER_REVIEW,
        S.CORRECTION_REQUESTED,
    }
    assert not S.DRAFT.is_final and not S.DRAFT.is_open


def test_status_values_are_stable_strings() -> None:
    assert S.CORRECTION_REQUESTED == "correction_requested"
    assert Status("under_review") is S.UNDER_REVIEW


@pytest.mark.parametrize(
    ("status", "index"),
    [(S.DRAFT, 0), (S.COMPLETED, 1), (S.SUBMITTED, None), (S.UNDER_REVIEW, -1)],
)
def test_case_state_refuses_impossible_combinations(status: Status, index: int | None) -> None:
    with pytest.raises(ValueError, match="stage"):
        CaseState(status, index)


# --- Route -------------------------------------------------------------------------------


def test_route_from_dict_builds_typed_stages() -> None:
    assert ROUTE.stages == (
        Stage("review", StageKind.REVIEW, "reviewer", {"ja": "審査", "en": "Review"}),
        Stage("decide", StageKind.DECISION, "approver", {"ja": "決裁"}),
    )


@pytest.mark.parametrize("data", [TWO_STAGES, THREE_STAGES, DECISION_ONLY])
def test_route_round_trips(data: dict[str, Any]) -> None:
    route = Route.from_dict(data)
    assert route.to_dict() == data
    assert Route.from_dict(route.to_dict()) == route


def test_route_copies_titles_so_later_changes_to_the_input_do_not_leak() -> None:
    data = copy.deepcopy(TWO_STAGES)
    route = Route.from_dict(data)
    data["stages"][0]["title"]["ja"] = "変更"
    assert route.stages[0].title["ja"] == "審査"


def test_route_constructor_validates_too() -> None:
    review = Stage("review", StageKind.REVIEW, "reviewer", {"ja": "審査"})
    with pytest.raises(RouteError, match="exactly one decision stage"):
        Route((review,))


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({}, "stages: must be a list of stages"),
        ({"stages": "review"}, "stages: must be a list of stages"),
        ([], "stages: must be a list of stages"),
        ({"stages": []}, "stages: a route needs at least one stage"),
        (stages_with(id=""), "stages[0].id: must be a non-empty slug"),
        (stages_with(id="審査"), "stages[0].id: must be a non-empty slug"),
        (stages_with(id="Review Stage"), "stages[0].id: must be a non-empty slug"),
        (stages_with(id=7), "stages[0].id: must be a non-empty slug"),
        (stages_with(id="decide"), "stages: id 'decide' is used more than once"),
        (stages_with(kind="circulate"), "stages[0].kind: must be one of review, decision"),
        (stages_with(role=""), "stages[0].role: must be a non-empty string"),
        (stages_with(role="  "), "stages[0].role: must be a non-empty string"),
        (stages_with(title={"en": "Review"}), "stages[0].title: must have a 'ja' text"),
        (stages_with(title={"ja": " "}), "stages[0].title: must have a 'ja' text"),
        (stages_with(title="審査"), "stages[0].title: must map locales to text"),
        (stages_with(title={"ja": 1}), "stages[0].title: must map locales to text"),
        (stages_with(kind="decision"), "stages: a route needs exactly one decision stage, found 2"),
        ({"stages": ["review"]}, "stages[0]: must be an object"),
    ],
)
def test_route_validation_reports_each_problem(data: Any, expected: str) -> None:
    assert any(problem.startswith(expected) for problem in problems_of(data)), problems_of(data)


def test_route_needs_a_decision_stage() -> None:
    data = {"stages": [TWO_STAGES["stages"][0]]}
    assert problems_of(data) == ["stages: a route needs exactly one decision stage, found 0"]


def test_decision_stage_must_be_last() -> None:
    data = {"stages": list(reversed(TWO_STAGES["stages"]))}
    assert problems_of(data) == ["stages: the decision stage must be the last stage"]


def test_route_validation_reports_all_problems_at_once() -> None:
    data = {
        "stages": [
            {"id": "", "kind": "decision", "role": "", "title": {}},
            {"id": "x", "kind": "nope", "role": "r", "title": {"ja": "x"}},
            {"id": "x", "kind": "review", "role": "r", "title": {"ja": "x"}},
        ]
    }
    assert problems_of(data) == [
        "stages[0].id: must be a non-empty slug (a-z, 0-9, - and _)",
        "stages[0].role: must be a non-empty string",
        "stages[0].title: must have a 'ja' text",
        "stages[1].kind: must be one of review, decision",
        "stages: id 'x' is used more than once",
        "stages: the decision stage must be the last stage",
    ]
    with pytest.raises(RouteError) as caught:
        Route.from_dict(data)
    assert str(caught.value) == "; ".join(caught.value.problems)


def test_valid_route_has_no_problems() -> None:
    assert route_problems(THREE_STAGES) == []


# --- current_stage -----------------------------------------------------------------------


def test_current_stage() -> None:
    assert current_stage(ROUTE, SUBMITTED) == ROUTE.stages[0]
    assert current_stage(ROUTE, AT_DECISION) == ROUTE.stages[1]
    assert current_stage(ROUTE, DRAFT) is None
    assert current_stage(ROUTE, CaseState(S.COMPLETED)) is None
    assert current_stage(ROUTE, CaseState(S.UNDER_REVIEW, 2)) is None


# --- Happy paths -------------------------------------------------------------------------


def test_submit() -> None:
    outcome = accepted(transition(ROUTE, DRAFT, Action(A.SUBMIT), APPLICANT))
    assert outcome.state == SUBMITTED
    assert only_event(outcome) == Event("submit", S.DRAFT, S.SUBMITTED, None)


def test_receive_acknowledges_and_stays_at_the_first_stage() -> None:
    outcome = accepted(transition(ROUTE, SUBMITTED, Action(A.RECEIVE), REVIEWER))
    assert outcome.state == RECEIVED
    assert only_event(outcome) == Event("receive", S.SUBMITTED, S.RECEIVED, "review")


@pytest.mark.parametrize("state", [SUBMITTED, RECEIVED])
def test_pass_moves_to_the_next_stage(state: CaseState) -> None:
    outcome = accepted(transition(ROUTE, state, Action(A.PASS, " 問題なし "), REVIEWER))
    assert outcome.state == AT_DECISION
    assert only_event(outcome) == Event("pass", state.status, S.UNDER_REVIEW, "review", "問題なし")


def test_return_to_previous_needs_a_reason_and_goes_back_one_stage() -> None:
    action = Action(A.RETURN_TO_PREVIOUS, "  添付書類を再確認してください\n")
    outcome = accepted(transition(ROUTE, AT_DECISION, action, APPROVER))
    assert outcome.state == CaseState(S.UNDER_REVIEW, 0)
    assert only_event(outcome) == Event(
        "return_to_previous",
        S.UNDER_REVIEW,
        S.UNDER_REVIEW,
        "decide",
        "添付書類を再確認してください",
    )


def test_approve_completes_the_case_with_an_approved_decision() -> None:
    outcome = accepted(transition(ROUTE, AT_DECISION, Action(A.APPROVE), APPROVER))
    assert outcome.state == CaseState(S.COMPLETED)
    assert only_event(outcome) == Event(
        "approve", S.UNDER_REVIEW, S.COMPLETED, "decide", decision="approved"
    )


def test_reject_closes_the_case_with_a_rejected_decision() -> None:
    outcome = accepted(transition(ROUTE, AT_DECISION, Action(A.REJECT, " 要件外 "), APPROVER))
    assert outcome.state == CaseState(S.REJECTED)
    assert only_event(outcome) == Event(
        "reject", S.UNDER_REVIEW, S.REJECTED, "decide", "要件外", "rejected"
    )


@pytest.mark.parametrize(
    ("state", "stage_id"),
    [(SUBMITTED, "review"), (RECEIVED, "review"), (AT_DECISION, "decide"), (CORRECTION, "review")],
)
def test_applicant_may_withdraw_any_open_case(state: CaseState, stage_id: str) -> None:
    outcome = accepted(transition(ROUTE, state, Action(A.WITHDRAW), APPLICANT))
    assert outcome.state == CaseState(S.WITHDRAWN)
    assert only_event(outcome) == Event("withdraw", state.status, S.WITHDRAWN, stage_id)


def test_withdraw_keeps_an_optional_reason() -> None:
    outcome = accepted(transition(ROUTE, SUBMITTED, Action(A.WITHDRAW, " 重複申請 "), APPLICANT))
    assert only_event(outcome).reason == "重複申請"


def test_a_decision_only_route_decides_straight_from_submission() -> None:
    route = Route.from_dict(DECISION_ONLY)
    received = accepted(transition(route, SUBMITTED, Action(A.RECEIVE), APPROVER)).state
    outcome = accepted(transition(route, received, Action(A.APPROVE), APPROVER))
    assert outcome.state == CaseState(S.COMPLETED)


# --- Refusals ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("state", "action", "actor"),
    [
        (DRAFT, Action(A.SUBMIT), REVIEWER),
        (SUBMITTED, Action(A.RECEIVE), APPROVER),
        (SUBMITTED, Action(A.RECEIVE), APPLICANT),
        (RECEIVED, Action(A.PASS), APPROVER),
        (RECEIVED, Action(A.PASS), OUTSIDER),
        (AT_DECISION, Action(A.RETURN_TO_PREVIOUS, "再確認"), REVIEWER),
        (AT_DECISION, Action(A.APPROVE), REVIEWER),
        (AT_DECISION, Action(A.REJECT, "要件外"), OUTSIDER),
        (AT_DECISION, Action(A.WITHDRAW), APPROVER),
        (SUBMITTED, Action(A.WITHDRAW), REVIEWER),
    ],
)
def test_actor_without_the_right_role_or_not_the_applicant_is_not_permitted(
    state: CaseState, action: Action, actor: Actor
) -> None:
    assert transition(ROUTE, state, action, actor) == Refusal("not_permitted")


@pytest.mark.parametrize(
    ("state", "action", "actor"),
    [
        (SUBMITTED, Action(A.SUBMIT), APPLICANT),
        (RECEIVED, Action(A.RECEIVE), REVIEWER),
        (CaseState(S.UNDER_REVIEW, 0), Action(A.RECEIVE), REVIEWER),
        (CaseState(S.SUBMITTED, 1), Action(A.RECEIVE), APPROVER),
        (DRAFT, Action(A.RECEIVE), REVIEWER),
        (DRAFT, Action(A.PASS), REVIEWER),
        (RECEIVED, Action(A.APPROVE), REVIEWER),
        (RECEIVED, Action(A.REJECT, "要件外"), REVIEWER),
        (AT_DECISION, Action(A.PASS), APPROVER),
        (RECEIVED, Action(A.RETURN_TO_PREVIOUS, "再確認"), REVIEWER),
        (CORRECTION, Action(A.PASS), REVIEWER),
        (DRAFT, Action(A.WITHDRAW), APPLICANT),
        (CaseState(S.UNDER_REVIEW, 5), Action(A.APPROVE), APPROVER),
    ],
)
def test_action_not_valid_in_this_state_is_wrong_status(
    state: CaseState, action: Action, actor: Actor
) -> None:
    assert transition(ROUTE, state, action, actor) == Refusal("wrong_status")


@pytest.mark.parametrize("state", FINAL_STATES)
@pytest.mark.parametrize("kind", list(ActionKind))
@pytest.mark.parametrize("actor", [APPLICANT, REVIEWER, APPROVER])
def test_final_cases_accept_nothing(state: CaseState, kind: ActionKind, actor: Actor) -> None:
    assert transition(ROUTE, state, Action(kind, "理由"), actor) == Refusal("wrong_status")


@pytest.mark.parametrize("kind", [A.RETURN_TO_PREVIOUS, A.REJECT])
@pytest.mark.parametrize("reason", ["", "   ", "\n\t"])
def test_return_and_reject_need_a_non_blank_reason(kind: ActionKind, reason: str) -> None:
    assert transition(ROUTE, AT_DECISION, Action(kind, reason), APPROVER) == Refusal(
        "reason_required"
    )


def test_permission_is_checked_before_the_reason() -> None:
    result = transition(ROUTE, AT_DECISION, Action(A.REJECT), REVIEWER)
    assert result == Refusal("not_permitted")


def test_staff_holding_several_roles_act_at_each_of_their_stages() -> None:
    both = Actor(user_id=9, roles=frozenset({"reviewer", "approver"}))
    state = accepted(transition(ROUTE, SUBMITTED, Action(A.PASS), both)).state
    assert accepted(transition(ROUTE, state, Action(A.APPROVE), both)).state.status is S.COMPLETED


# --- Three stages ------------------------------------------------------------------------


def test_three_stage_route_walks_forward_back_and_to_a_decision() -> None:
    clerk = Actor(10, frozenset({"clerk"}))
    chief = Actor(11, frozenset({"chief"}))
    director = Actor(12, frozenset({"director"}))

    def act(state: CaseState, action: Action, actor: Actor) -> CaseState:
        return accepted(transition(ROUTE3, state, action, actor)).state

    state = act(DRAFT, Action(A.SUBMIT), APPLICANT)
    state = act(state, Action(A.RECEIVE), clerk)
    state = act(state, Action(A.PASS), clerk)
    assert state == CaseState(S.UNDER_REVIEW, 1)
    assert transition(ROUTE3, state, Action(A.APPROVE), director) == Refusal("wrong_status")
    assert transition(ROUTE3, state, Action(A.PASS), clerk) == Refusal("not_permitted")
    state = act(state, Action(A.PASS), chief)
    assert state == CaseState(S.UNDER_REVIEW, 2)
    state = act(state, Action(A.RETURN_TO_PREVIOUS, "係長再確認"), director)
    assert state == CaseState(S.UNDER_REVIEW, 1)
    state = act(state, Action(A.RETURN_TO_PREVIOUS, "受付からやり直し"), chief)
    assert state == CaseState(S.UNDER_REVIEW, 0)
    assert transition(ROUTE3, state, Action(A.RECEIVE), clerk) == Refusal("wrong_status")
    state = act(state, Action(A.PASS), clerk)
    state = act(state, Action(A.PASS), chief)
    assert act(state, Action(A.APPROVE), director) == CaseState(S.COMPLETED)


def test_three_stage_allowed_actions_follow_the_current_stage() -> None:
    chief = Actor(11, frozenset({"chief"}))
    middle = CaseState(S.UNDER_REVIEW, 1)
    assert allowed_actions(ROUTE3, middle, chief) == (
        A.PASS,
        A.RETURN_TO_PREVIOUS,
        A.REQUEST_CORRECTION,
    )
    assert allowed_actions(ROUTE3, CaseState(S.UNDER_REVIEW, 2), chief) == ()


# --- allowed_actions ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("state", "actor", "expected"),
    [
        (DRAFT, APPLICANT, (A.SUBMIT,)),
        (DRAFT, REVIEWER, ()),
        (SUBMITTED, APPLICANT, (A.WITHDRAW,)),
        (SUBMITTED, REVIEWER, (A.RECEIVE, A.PASS, A.REQUEST_CORRECTION)),
        (SUBMITTED, APPROVER, ()),
        (RECEIVED, REVIEWER, (A.PASS, A.REQUEST_CORRECTION)),
        (RECEIVED, APPROVER, ()),
        (RECEIVED, APPLICANT, (A.WITHDRAW,)),
        (
            AT_DECISION,
            APPROVER,
            (A.RETURN_TO_PREVIOUS, A.REQUEST_CORRECTION, A.APPROVE, A.REJECT),
        ),
        (AT_DECISION, REVIEWER, ()),
        (AT_DECISION, APPLICANT, (A.WITHDRAW,)),
        (CaseState(S.UNDER_REVIEW, 0), REVIEWER, (A.PASS, A.REQUEST_CORRECTION)),
        (CORRECTION, REVIEWER, ()),
        (CORRECTION, APPLICANT, (A.WITHDRAW, A.RESUBMIT)),
        (CaseState(S.COMPLETED), APPLICANT, ()),
        (CaseState(S.REJECTED), APPROVER, ()),
        (CaseState(S.WITHDRAWN), REVIEWER, ()),
    ],
)
def test_allowed_actions(state: CaseState, actor: Actor, expected: tuple[ActionKind, ...]) -> None:
    assert allowed_actions(ROUTE, state, actor) == expected


@pytest.mark.parametrize(
    "state", [DRAFT, SUBMITTED, RECEIVED, AT_DECISION, CORRECTION, *FINAL_STATES]
)
@pytest.mark.parametrize("actor", [APPLICANT, REVIEWER, APPROVER, OUTSIDER])
def test_allowed_actions_agree_with_transition(state: CaseState, actor: Actor) -> None:
    allowed = allowed_actions(ROUTE, state, actor)
    for kind in ActionKind:
        result = transition(ROUTE, state, Action(kind, "理由"), actor)
        assert isinstance(result, Outcome) == (kind in allowed), kind


def test_staff_member_cannot_act_on_their_own_application() -> None:
    route = Route.from_dict(
        {
            "stages": [
                {"id": "review", "kind": "review", "role": "reviewer", "title": {"ja": "審査"}},
                {"id": "decide", "kind": "decision", "role": "approver", "title": {"ja": "決裁"}},
            ]
        }
    )
    state = CaseState(Status.SUBMITTED, 0)
    own = Actor(user_id=7, roles=frozenset({"reviewer"}), is_applicant=True)
    refusal = transition(route, state, Action(ActionKind.PASS), own)
    assert refusal == Refusal("not_permitted")
    assert allowed_actions(route, state, own) == (ActionKind.WITHDRAW,)


def test_a_correction_waits_for_the_applicant_at_the_same_stage() -> None:
    asked = transition(
        ROUTE, AT_DECISION, Action(A.REQUEST_CORRECTION, "写しが不鮮明です"), APPROVER
    )
    assert isinstance(asked, Outcome)
    assert asked.state == CaseState(S.CORRECTION_REQUESTED, AT_DECISION.stage_index)
    assert asked.events[0].reason == "写しが不鮮明です"
    # Staff can do nothing more until the applicant has corrected it.
    assert allowed_actions(ROUTE, asked.state, APPROVER) == ()
    assert transition(ROUTE, AT_DECISION, Action(A.REQUEST_CORRECTION), APPROVER) == Refusal(
        "reason_required"
    )
    back = transition(ROUTE, asked.state, Action(A.RESUBMIT), APPLICANT)
    assert isinstance(back, Outcome)
    assert back.state == CaseState(S.UNDER_REVIEW, AT_DECISION.stage_index)
    assert transition(ROUTE, asked.state, Action(A.RESUBMIT), APPROVER) == Refusal("not_permitted")
    assert transition(ROUTE, SUBMITTED, Action(A.RESUBMIT), APPLICANT) == Refusal("wrong_status")
