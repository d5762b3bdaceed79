"""Tests for route definitions: reading, validating and writing a procedure's stages."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from workflows import (
    ObjectionRule,
    Position,
    Route,
    RouteError,
    Stage,
    StageKind,
    Tier,
    route_problems,
)
from workflows.routes import MAX_DAYS

SMALL_SUBSIDY = {"field": "subsidy", "op": "at_most", "value": 500000}

# 回議 → 合議 → 決裁, with every optional key used once.
FULL: dict[str, Any] = {
    "stages": [
        {
            "id": "check",
            "kind": "review",
            "role": "clerk",
            "title": {"ja": "受付審査", "en": "Check"},
            "days": 5,
        },
        {
            "id": "chief",
            "kind": "review",
            "role": "chief",
            "department": "somu",
            "title": {"ja": "係長回議"},
        },
        {
            "id": "finance",
            "kind": "consultation",
            "title": {"ja": "財政課合議"},
            "consult": [
                {"role": "section_chief", "department": "zaimu"},
                {"role": "section_chief", "department": "kikaku"},
            ],
            "on_objection": "record",
            "days": 3,
        },
        {
            "id": "decide",
            "kind": "decision",
            "role": "director",
            "title": {"ja": "課長決裁"},
            "tiers": [
                {"when": SMALL_SUBSIDY, "role": "section_chief"},
                {
                    "when": {
                        "all": [
                            {"field": "kind", "op": "equals", "value": "renewal"},
                            {"field": "fee", "op": "less", "value": 1000},
                        ]
                    },
                    "role": "chief",
                    "department": "somu",
                },
            ],
        },
    ]
}
TWO_STAGES: dict[str, Any] = {
    "stages": [
        {"id": "review", "kind": "review", "role": "reviewer", "title": {"ja": "審査"}},
        {"id": "decide", "kind": "decision", "role": "approver", "title": {"ja": "決裁"}},
    ]
}
DECISION_ONLY: dict[str, Any] = {
    "stages": [{"id": "decide", "kind": "decision", "role": "approver", "title": {"ja": "決裁"}}]
}
CONSULTATION: dict[str, Any] = {
    "id": "finance",
    "kind": "consultation",
    "title": {"ja": "合議"},
    "consult": [{"role": "section_chief", "department": "zaimu"}],
    "on_objection": "return",
}


def route_with(index: int, **changes: Any) -> dict[str, Any]:
    """The full route's data with one stage's keys replaced (None removes a key)."""
    data = copy.deepcopy(FULL)
    stage = data["stages"][index]
    for key, value in changes.items():
        if value is None:
            stage.pop(key, None)
        else:
            stage[key] = value
    return data


def tier_with(**changes: Any) -> dict[str, Any]:
    """The full route's data with the first tier's keys replaced (None removes a key)."""
    data = copy.deepcopy(FULL)
    tier = data["stages"][3]["tiers"][0]
    for key, value in changes.items():
        if value is None:
            tier.pop(key, None)
        else:
            tier[key] = value
    return data


def problems_of(data: Any) -> list[str]:
    """The problems RouteError reports for this data (the same route_problems lists)."""
    with pytest.raises(RouteError) as caught:
        Route.from_dict(data)
    assert caught.value.problems == route_problems(data)
    assert str(caught.value) == "; ".join(caught.value.problems)
    return caught.value.problems


# --- reading and writing -------------------------------------------------------------------


def test_from_dict_builds_typed_stages() -> None:
    route = Route.from_dict(FULL)
    check, chief, finance, decide = route.stages
    assert check == Stage(
        "check",
        StageKind.REVIEW,
        {"ja": "受付審査", "en": "Check"},
        position=Position("clerk"),
        days=5,
    )
    assert chief.position == Position("chief", "somu")
    assert chief.days is None
    assert finance == Stage(
        "finance",
        StageKind.CONSULTATION,
        {"ja": "財政課合議"},
        consult=(Position("section_chief", "zaimu"), Position("section_chief", "kikaku")),
        on_objection=ObjectionRule.RECORD,
        days=3,
    )
    assert finance.position is None and finance.role is None
    assert decide.position == Position("director")
    assert decide.role == "director"
    assert decide.tiers[0] == Tier(SMALL_SUBSIDY, Position("section_chief"))
    assert decide.tiers[1].position == Position("chief", "somu")


def test_on_objection_defaults_to_return() -> None:
    consultation = {key: value for key, value in CONSULTATION.items() if key != "on_objection"}
    data = {"stages": [TWO_STAGES["stages"][0], consultation, TWO_STAGES["stages"][1]]}
    route = Route.from_dict(data)
    assert route.stages[1].on_objection is ObjectionRule.RETURN
    # Written out in full, so the stored data says what the route does.
    assert route.to_dict()["stages"][1]["on_objection"] == "return"


@pytest.mark.parametrize("data", [FULL, TWO_STAGES, DECISION_ONLY])
def test_route_round_trips(data: dict[str, Any]) -> None:
    route = Route.from_dict(data)
    assert route.to_dict() == data
    assert Route.from_dict(route.to_dict()) == route


def test_to_dict_leaves_out_what_is_not_set() -> None:
    stage = Route.from_dict(TWO_STAGES).to_dict()["stages"][0]
    assert stage == {"id": "review", "kind": "review", "title": {"ja": "審査"}, "role": "reviewer"}


def test_from_dict_copies_so_later_changes_to_the_input_do_not_leak() -> None:
    data = copy.deepcopy(FULL)
    route = Route.from_dict(data)
    data["stages"][0]["title"]["ja"] = "変更"
    data["stages"][3]["tiers"][0]["when"]["value"] = 1
    assert route.stages[0].title["ja"] == "受付審査"
    assert route.stages[3].tiers[0].when["value"] == 500000


def test_stages_may_be_a_tuple() -> None:
    data = {"stages": tuple(TWO_STAGES["stages"])}
    assert route_problems(data) == []
    assert Route.from_dict(data) == Route.from_dict(TWO_STAGES)


def test_valid_routes_have_no_problems() -> None:
    for data in (FULL, TWO_STAGES, DECISION_ONLY):
        assert route_problems(data) == []


def test_index_of() -> None:
    route = Route.from_dict(FULL)
    assert [route.index_of(stage_id) for stage_id in ("check", "chief", "finance", "decide")] == [
        0,
        1,
        2,
        3,
    ]
    assert route.index_of("nope") is None
    assert route.index_of("") is None


def test_fields_used_lists_every_tier_field_in_order() -> None:
    assert list(Route.from_dict(FULL).fields_used()) == ["subsidy", "kind", "fee"]
    assert list(Route.from_dict(TWO_STAGES).fields_used()) == []


# --- the constructor validates too ---------------------------------------------------------


def test_constructor_needs_a_decision_stage() -> None:
    review = Stage("review", StageKind.REVIEW, {"ja": "審査"}, position=Position("reviewer"))
    with pytest.raises(RouteError, match="exactly one decision stage"):
        Route((review,))


def test_constructor_accepts_what_from_dict_builds() -> None:
    route = Route.from_dict(FULL)
    assert Route(route.stages) == route


@pytest.mark.parametrize(
    ("stage", "expected"),
    [
        (
            Stage("decide", StageKind.DECISION, {"ja": "決裁"}),
            "stages[0].role: must be a role name (a-z, 0-9, - and _)",
        ),
        (
            Stage("decide", StageKind.DECISION, {}, position=Position("approver")),
            "stages[0].title: must have a 'ja' text",
        ),
        (
            Stage("decide", StageKind.DECISION, {"ja": "決裁"}, Position("approver"), days=0),
            f"stages[0].days: must be a whole number of business days, 1 to {MAX_DAYS}",
        ),
        (
            Stage(
                "decide",
                StageKind.DECISION,
                {"ja": "決裁"},
                Position("approver"),
                tiers=(Tier({"field": "x", "op": "bigger", "value": 1}, Position("chief")),),
            ),
            "stages[0].tiers[0].when.op: must be one of",
        ),
    ],
)
def test_constructor_reports_the_same_problems(stage: Stage, expected: str) -> None:
    with pytest.raises(RouteError) as caught:
        Route((stage,))
    assert any(problem.startswith(expected) for problem in caught.value.problems)


def test_constructor_refuses_a_consultation_with_a_single_position() -> None:
    review = Stage("check", StageKind.REVIEW, {"ja": "審査"}, position=Position("clerk"))
    finance = Stage(
        "finance",
        StageKind.CONSULTATION,
        {"ja": "合議"},
        position=Position("chief"),
        consult=(Position("chief", "zaimu"),),
    )
    decide = Stage("decide", StageKind.DECISION, {"ja": "決裁"}, position=Position("approver"))
    with pytest.raises(RouteError) as caught:
        Route((review, finance, decide))
    assert caught.value.problems == [
        "stages[1]: unknown keys for a consultation stage: role",
    ]


# --- problems ------------------------------------------------------------------------------

SLUG = "must be a non-empty slug (a-z, 0-9, - and _)"
ROLE = "must be a role name (a-z, 0-9, - and _)"
DEPARTMENT = "must be a department code (a-z, 0-9, - and _)"
DAYS = f"must be a whole number of business days, 1 to {MAX_DAYS}"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        # The route as a whole
        ({}, "stages: must be a list of stages"),
        ([], "stages: must be a list of stages"),
        (None, "stages: must be a list of stages"),
        ({"stages": "review"}, "stages: must be a list of stages"),
        ({"stages": {"0": TWO_STAGES["stages"][0]}}, "stages: must be a list of stages"),
        ({"stages": []}, "stages: a route needs at least one stage"),
        ({"stages": ["review"]}, "stages[0]: must be an object"),
        # Ids
        (route_with(0, id=""), f"stages[0].id: {SLUG}"),
        (route_with(0, id="審査"), f"stages[0].id: {SLUG}"),
        (route_with(0, id="Check"), f"stages[0].id: {SLUG}"),
        (route_with(0, id="check stage"), f"stages[0].id: {SLUG}"),
        (route_with(0, id="-check"), f"stages[0].id: {SLUG}"),
        (route_with(0, id="check-"), f"stages[0].id: {SLUG}"),
        (route_with(0, id="check--x"), f"stages[0].id: {SLUG}"),
        (route_with(0, id=7), f"stages[0].id: {SLUG}"),
        (route_with(0, id=None), f"stages[0].id: {SLUG}"),
        (route_with(0, id="decide"), "stages: id 'decide' is used more than once"),
        (route_with(2, id="chief"), "stages: id 'chief' is used more than once"),
        # Titles
        (route_with(0, title="審査"), "stages[0].title: must map locales to text"),
        (route_with(0, title={"ja": 1}), "stages[0].title: must map locales to text"),
        (route_with(0, title={1: "審査"}), "stages[0].title: must map locales to text"),
        (route_with(0, title={"en": "Check"}), "stages[0].title: must have a 'ja' text"),
        (route_with(0, title={"ja": " \n"}), "stages[0].title: must have a 'ja' text"),
        (route_with(0, title=None), "stages[0].title: must map locales to text"),
        # Kinds
        (
            route_with(0, kind="circulate"),
            "stages[0].kind: must be one of review, consultation, decision",
        ),
        (route_with(0, kind=None), "stages[0].kind: must be one of review, consultation, decision"),
        (route_with(0, kind="Review"), "stages[0].kind: must be one of"),
        # Positions
        (route_with(0, role=None), f"stages[0].role: {ROLE}"),
        (route_with(0, role=""), f"stages[0].role: {ROLE}"),
        (route_with(0, role="  "), f"stages[0].role: {ROLE}"),
        (route_with(0, role="Clerk"), f"stages[0].role: {ROLE}"),
        (route_with(0, role=["clerk"]), f"stages[0].role: {ROLE}"),
        (route_with(3, role=None), f"stages[3].role: {ROLE}"),
        (route_with(1, department="財政課"), f"stages[1].department: {DEPARTMENT}"),
        (route_with(1, department=""), f"stages[1].department: {DEPARTMENT}"),
        (route_with(1, department=5), f"stages[1].department: {DEPARTMENT}"),
        (route_with(3, department="Somu"), f"stages[3].department: {DEPARTMENT}"),
        # Consultations
        (
            route_with(2, consult=None),
            "stages[2].consult: a consultation needs a non-empty list of positions",
        ),
        (
            route_with(2, consult=[]),
            "stages[2].consult: a consultation needs a non-empty list of positions",
        ),
        (
            route_with(2, consult={"role": "section_chief"}),
            "stages[2].consult: a consultation needs a non-empty list of positions",
        ),
        (route_with(2, consult=["zaimu"]), "stages[2].consult[0]: must be an object"),
        (route_with(2, consult=[{"department": "zaimu"}]), f"stages[2].consult[0].role: {ROLE}"),
        (
            route_with(2, consult=[{"role": "chief", "department": "Zaimu"}]),
            f"stages[2].consult[0].department: {DEPARTMENT}",
        ),
        (
            route_with(2, consult=[{"role": "chief", "days": 3}]),
            "stages[2].consult[0]: unknown keys days",
        ),
        (
            route_with(2, consult=[{"role": "chief", "department": "zaimu"}] * 2),
            "stages[2].consult: a position is consulted more than once",
        ),
        (
            route_with(2, on_objection="veto"),
            "stages[2].on_objection: must be one of return, record",
        ),
        (route_with(2, on_objection="RETURN"), "stages[2].on_objection: must be one of"),
        (route_with(2, on_objection=["return"]), "stages[2].on_objection: must be one of"),
        (route_with(2, on_objection={"rule": "return"}), "stages[2].on_objection: must be one of"),
        (route_with(2, on_objection=1), "stages[2].on_objection: must be one of"),
        # Unknown keys, per kind
        (
            route_with(0, consult=[{"role": "chief"}], tiers=[]),
            "stages[0]: unknown keys for a review stage: consult, tiers",
        ),
        (
            route_with(2, role="chief", department="zaimu"),
            "stages[2]: unknown keys for a consultation stage: department, role",
        ),
        (
            route_with(3, on_objection="return"),
            "stages[3]: unknown keys for a decision stage: on_objection",
        ),
        (route_with(0, label={"ja": "x"}), "stages[0]: unknown keys for a review stage: label"),
        # Days
        (route_with(0, days=0), f"stages[0].days: {DAYS}"),
        (route_with(0, days=-1), f"stages[0].days: {DAYS}"),
        (route_with(0, days=MAX_DAYS + 1), f"stages[0].days: {DAYS}"),
        (route_with(0, days=1.5), f"stages[0].days: {DAYS}"),
        (route_with(0, days="5"), f"stages[0].days: {DAYS}"),
        (route_with(0, days=True), f"stages[0].days: {DAYS}"),
        (route_with(2, days=0), f"stages[2].days: {DAYS}"),
        (route_with(3, days=400), f"stages[3].days: {DAYS}"),
        # Tiers
        (route_with(3, tiers={"when": SMALL_SUBSIDY}), "stages[3].tiers: must be a list"),
        (route_with(3, tiers=["section_chief"]), "stages[3].tiers[0]: must be an object"),
        (tier_with(role=None), f"stages[3].tiers[0].role: {ROLE}"),
        (tier_with(role="課長"), f"stages[3].tiers[0].role: {ROLE}"),
        (tier_with(department="ZAIMU"), f"stages[3].tiers[0].department: {DEPARTMENT}"),
        (tier_with(when=None), "stages[3].tiers[0].when: must be an object"),
        (tier_with(when=[SMALL_SUBSIDY]), "stages[3].tiers[0].when: must be an object"),
        (
            tier_with(when={"field": "subsidy", "op": "at_most", "value": "many"}),
            "stages[3].tiers[0].when.value: at_most needs a number",
        ),
        (
            tier_with(when={"field": "subsidy", "op": "below", "value": 1}),
            "stages[3].tiers[0].when.op: must be one of equals,",
        ),
        (
            tier_with(when={"all": [SMALL_SUBSIDY, {"field": "", "op": "empty"}]}),
            "stages[3].tiers[0].when.all[1].field: must name a question or computed value",
        ),
        (tier_with(position="chief"), "stages[3].tiers[0]: unknown keys position"),
    ],
)
def test_each_problem_is_reported(data: Any, expected: str) -> None:
    problems = problems_of(data)
    assert any(problem.startswith(expected) for problem in problems), problems


def test_tiers_on_a_review_stage_are_an_unknown_key() -> None:
    data = route_with(0, tiers=[{"when": SMALL_SUBSIDY, "role": "chief"}])
    assert problems_of(data) == ["stages[0]: unknown keys for a review stage: tiers"]


def test_a_route_needs_a_decision_stage() -> None:
    data = {"stages": [TWO_STAGES["stages"][0]]}
    assert problems_of(data) == ["stages: a route needs exactly one decision stage, found 0"]


def test_a_route_has_only_one_decision_stage() -> None:
    second = {**TWO_STAGES["stages"][1], "id": "again"}
    data = {"stages": [*TWO_STAGES["stages"], second]}
    assert problems_of(data) == ["stages: a route needs exactly one decision stage, found 2"]


def test_the_decision_stage_must_be_last() -> None:
    data = {"stages": list(reversed(TWO_STAGES["stages"]))}
    assert problems_of(data) == ["stages: the decision stage must be the last stage"]


def test_a_consultation_cannot_be_the_first_stage() -> None:
    data = {"stages": [CONSULTATION, TWO_STAGES["stages"][1]]}
    assert problems_of(data) == ["stages: a consultation cannot be the first stage"]


def test_consultations_may_follow_each_other_and_come_right_before_the_decision() -> None:
    second = {**CONSULTATION, "id": "planning", "consult": [{"role": "chief"}]}
    data = {"stages": [TWO_STAGES["stages"][0], CONSULTATION, second, TWO_STAGES["stages"][1]]}
    assert route_problems(data) == []


def test_the_same_role_may_be_consulted_in_different_departments() -> None:
    consult = [{"role": "chief"}, {"role": "chief", "department": "zaimu"}]
    assert route_problems(route_with(2, consult=consult)) == []


def test_days_at_the_limits_are_accepted() -> None:
    assert route_problems(route_with(0, days=1)) == []
    assert route_problems(route_with(0, days=MAX_DAYS)) == []


def test_every_problem_is_reported_at_once() -> None:
    data = {
        "stages": [
            {"id": "", "kind": "decision", "role": "", "title": {}},
            {"id": "x", "kind": "nope", "role": "r", "title": {"ja": "x"}},
            {"id": "x", "kind": "review", "role": "r", "title": {"ja": "x"}, "days": 0},
            {
                "id": "y",
                "kind": "consultation",
                "title": {"ja": "y"},
                "consult": [{"role": "A"}, "b"],
                "on_objection": "ignore",
            },
        ]
    }
    assert problems_of(data) == [
        f"stages[0].id: {SLUG}",
        "stages[0].title: must have a 'ja' text",
        f"stages[0].role: {ROLE}",
        "stages[1].kind: must be one of review, consultation, decision",
        f"stages[2].days: {DAYS}",
        f"stages[3].consult[0].role: {ROLE}",
        "stages[3].consult[1]: must be an object",
        "stages[3].on_objection: must be one of return, record",
        "stages: id 'x' is used more than once",
        "stages: the decision stage must be the last stage",
    ]


def test_a_repeated_id_is_reported_once() -> None:
    stage = TWO_STAGES["stages"][0]
    data = {"stages": [stage, stage, stage, TWO_STAGES["stages"][1]]}
    assert problems_of(data) == ["stages: id 'review' is used more than once"]
