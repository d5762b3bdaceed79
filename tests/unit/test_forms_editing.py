"""Tests for the builder's edits: references, refusals that say where, immutability."""

from __future__ import annotations

import ast
import copy
import json
import string
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from forms import editing
from forms.definition import check_document
from forms.editing import (
    TEMPLATES,
    EditError,
    Message,
    add_field,
    add_page,
    delete_field,
    delete_page,
    edit_problem_messages,
    edit_problems,
    move_field,
    move_field_to_page,
    move_page,
    new_id,
    option_lines,
    options_from_lines,
    reference_messages,
    references,
    replace_field,
    set_metadata,
    set_notice,
    set_route,
    update_page,
)

PROCEDURES = Path(__file__).parents[2] / "portal/demo/procedures"


@pytest.fixture(autouse=True)
def raised(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Message]]:
    """Every message (nested ones included) of every EditError made during a test; after
    the test, each must use a template of TEMPLATES, so that the portal can translate it."""
    messages: list[Message] = []
    make = EditError.__init__

    def recording(error: EditError, problems: Any) -> None:
        make(error, problems)
        messages.extend(part for message in error.messages for part in message.parts())

    monkeypatch.setattr(EditError, "__init__", recording)
    yield messages
    assert sorted({m.template for m in messages} - set(TEMPLATES)) == []


def _load(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((PROCEDURES / name).read_text("utf-8"))
    return loaded


def _text(ja: str) -> dict[str, str]:
    return {"ja": ja}


def _field(field_id: str, ja: str, kind: str = "number", **extra: Any) -> dict[str, Any]:
    return {"id": field_id, "type": kind, "label": _text(ja), **extra}


def _household() -> dict[str, Any]:
    """Income on page p1, used by a condition on p2, a computed value, the fee, a tier and the
    notice template; q9 is used by nothing."""
    uses_income = {"field": "q3", "op": "greater", "value": 0}
    return {
        "schema": 1,
        "title": _text("世帯の申請"),
        "form": {
            "pages": [
                {
                    "id": "p1",
                    "title": _text("収入"),
                    "fields": [
                        _field("q3", "収入", "money"),
                        _field("q9", "備考", "text"),
                        _field("q4", "同居人数"),
                    ],
                },
                {
                    "id": "p2",
                    "title": _text("世帯"),
                    "fields": [_field("q5", "扶養人数", show_if=uses_income)],
                },
            ]
        },
        "computed": [
            {"id": "subsidy_amount", "label": _text("補助額"), "formula": "min(q3 / 2, 1000)"}
        ],
        "fee": {"formula": "choice(q4, {'1': 300}, 0) + q3 * 0"},
        "route": {
            "stages": [
                {
                    "id": "decide",
                    "kind": "decision",
                    "role": "director",
                    "title": _text("決裁"),
                    "tiers": [
                        {"when": {"field": "q4", "op": "at_most", "value": 2}, "role": "chief"},
                        {"when": {"any": [uses_income]}, "role": "chief"},
                    ],
                }
            ]
        },
        "notice": {"subject": "決定", "template": "<p>{{ answer_by_id['q3'] }}円</p>"},
    }


# references ---------------------------------------------------------------------------------


def test_references_name_every_place_that_uses_an_answer() -> None:
    places = references(_household(), "q3")

    assert places == [
        "the condition of question 「扶養人数」 on page 「世帯」",
        "the formula of computed value 「補助額」",
        "the fee formula",
        "authority tier 2 of stage 「決裁」",
        "the notice template",
    ]


def test_references_read_lookups_and_every_template_spelling() -> None:
    document = _household()
    document["notice"]["template"] = (
        "{{ answer_by_id.q4 }} {{ answer_by_id[\"q9\"] }} {{ computed.get('subsidy_amount') }}"
    )

    assert "the fee formula" in references(document, "q4")
    assert "the notice template" in references(document, "q4")
    assert references(document, "q9") == ["the notice template"]
    assert references(document, "subsidy_amount") == ["the notice template"]


def test_references_survive_a_formula_that_does_not_parse() -> None:
    document = _household()
    document["computed"][0]["formula"] = "max(q4, "

    assert references(document, "q4")[0] == "the formula of computed value 「補助額」"
    assert references(document, "max") == []


def test_references_of_a_demo_procedure() -> None:
    document = _load("iot_ai_robot_subsidy.json")

    assert references(document, "eligible_cost") == [
        "the formula of computed value 「補助金交付申請額」",
        "authority tier 1 of stage 「交付決定」",
    ]
    assert references(document, "company_name") == []


# delete_field -------------------------------------------------------------------------------


def test_deleting_a_used_question_is_refused_naming_each_place() -> None:
    with pytest.raises(EditError) as error:
        delete_field(_household(), "q3")

    (message,) = error.value.problems
    assert message.startswith("question 「収入」 cannot be deleted: it is used by ")
    for place in (
        "the condition of question 「扶養人数」 on page 「世帯」",
        "the formula of computed value 「補助額」",
        "the fee formula",
        "authority tier 2 of stage 「決裁」",
        "the notice template",
    ):
        assert place in message
    assert "'q3'" not in message and "'p2'" not in message


@pytest.mark.parametrize(
    ("remove", "still_used_by"),
    [
        (("computed", "fee", "route", "notice"), "the condition of question 「扶養人数」"),
        (("form_condition", "fee", "route", "notice"), "computed value 「補助額」"),
        (("form_condition", "computed", "route", "notice"), "the fee formula"),
        (("form_condition", "computed", "fee", "notice"), "authority tier 2 of stage 「決裁」"),
        (("form_condition", "computed", "fee", "route"), "the notice template"),
    ],
)
def test_each_kind_of_use_alone_refuses_the_deletion(
    remove: tuple[str, ...], still_used_by: str
) -> None:
    document = _household()
    if "form_condition" in remove:
        del document["form"]["pages"][1]["fields"][0]["show_if"]
    if "computed" in remove:
        del document["computed"]
    if "fee" in remove:
        del document["fee"]
    if "route" in remove:
        document["route"]["stages"][0]["tiers"].pop()
    if "notice" in remove:
        del document["notice"]["template"]

    with pytest.raises(EditError) as error:
        delete_field(document, "q3")

    assert still_used_by in error.value.problems[0]
    assert error.value.problems[0].count(", and by ") == 0


def test_deleting_an_unused_question_leaves_the_input_unchanged() -> None:
    document = _household()
    before = copy.deepcopy(document)

    edited = delete_field(document, "q9")

    assert document == before
    assert [f["id"] for f in edited["form"]["pages"][0]["fields"]] == ["q3", "q4"]
    assert edited["form"]["pages"][1] is not document["form"]["pages"][1]


def test_the_last_question_of_a_page_goes_with_its_page() -> None:
    document = _household()
    del document["form"]["pages"][1]["fields"][0]["show_if"]

    with pytest.raises(EditError) as error:
        delete_field(document, "q5")

    assert "it is the only question on page 「世帯」" in error.value.problems[0]
    assert error.value.problems[0].endswith("delete the page instead")


def test_unknown_and_grouped_questions_are_refused() -> None:
    with pytest.raises(EditError, match="there is no question 'nope'"):
        delete_field(_household(), "nope")
    with pytest.raises(
        EditError,
        match="question 「生年月日」 is inside group 「対象となるお子さん」: edit the group",
    ):
        delete_field(_load("childcare_support.json"), "birth_date")


# Pages --------------------------------------------------------------------------------------


def test_delete_page_refuses_when_its_answers_are_used_elsewhere() -> None:
    with pytest.raises(EditError) as error:
        delete_page(_household(), "p1")

    problems = error.value.problems
    assert problems[0].startswith(
        "page 「収入」 cannot be deleted: question 「収入」 on it is used by "
    )
    assert problems[1].startswith("page 「収入」 cannot be deleted: question 「同居人数」 on it")
    assert len(problems) == 2  # q9 (備考) is used by nothing


def test_delete_page_ignores_uses_inside_the_page_and_refuses_the_only_page() -> None:
    document = _household()
    edited = delete_page(document, "p2")

    assert [p["id"] for p in edited["form"]["pages"]] == ["p1"]
    assert len(document["form"]["pages"]) == 2
    with pytest.raises(EditError, match="it is the only page of the form"):
        delete_page(edited, "p1")


def test_move_page_reorders_and_clamps() -> None:
    document = _load("iot_ai_robot_subsidy.json")

    up = move_page(document, "budget", -1)
    last = move_page(document, "company", 99)

    assert [p["id"] for p in up["form"]["pages"]] == ["company", "budget", "project", "contact"]
    assert [p["id"] for p in last["form"]["pages"]][-1] == "company"
    assert [p["id"] for p in document["form"]["pages"]][0] == "company"


def test_moving_a_page_after_a_page_whose_condition_reads_it_is_refused() -> None:
    with pytest.raises(EditError) as error:
        move_page(_household(), "p1", +1)

    assert error.value.problems == [
        "page 「収入」 cannot be moved: the condition of question 「扶養人数」 on page 「世帯」 "
        "would look at question 「収入」, which comes later in the form; "
        "conditions may only look at earlier answers"
    ]


def test_a_page_condition_may_not_look_at_its_own_page() -> None:
    condition = {"field": "q3", "op": "not_empty"}
    with pytest.raises(EditError, match="which is on that same page"):
        update_page(_household(), "p1", _text("収入"), condition)

    edited = update_page(_household(), "p2", {"ja": "世帯", "en": "Household"}, condition)
    assert edited["form"]["pages"][1]["show_if"] == condition
    assert edited["form"]["pages"][1]["title"]["en"] == "Household"
    assert "show_if" not in update_page(edited, "p2", _text("世帯"), None)["form"]["pages"][1]


def test_add_page_makes_an_id_and_inserts_after() -> None:
    document = _household()

    edited = add_page(document, _text("確認"), after="p1")

    assert [p["id"] for p in edited["form"]["pages"]] == ["p1", "p3", "p2"]
    assert edited["form"]["pages"][1] == {"id": "p3", "title": _text("確認"), "fields": []}
    assert edit_problems(edited) == ["page 「確認」 has no questions yet"]
    with pytest.raises(EditError, match="the id 'p1' is already used by page 「収入」"):
        add_page(document, _text("重複"), page_id="p1")
    with pytest.raises(EditError, match="needs a Japanese text"):
        add_page(document, {"ja": " ", "en": "Blank"})


# Questions ----------------------------------------------------------------------------------


def test_move_field_within_its_page_and_clamp() -> None:
    document = _household()

    down = move_field(document, "q3", +1)
    top = move_field(document, "q4", -10)

    assert [f["id"] for f in down["form"]["pages"][0]["fields"]] == ["q9", "q3", "q4"]
    assert [f["id"] for f in top["form"]["pages"][0]["fields"]] == ["q4", "q3", "q9"]


def test_moving_a_question_before_the_answer_its_condition_reads_is_refused() -> None:
    document = _load("iot_ai_robot_subsidy.json")

    with pytest.raises(EditError) as error:
        move_field(document, "corporate_number", -1)

    assert error.value.problems == [
        "question 「法人番号」 cannot be moved: the condition of question 「法人番号」 on page "
        "「申請者」 would look at question 「申請者の区分」, which comes later in the form; "
        "conditions may only look at earlier answers"
    ]


def test_move_field_to_page_appends_and_keeps_pages_non_empty() -> None:
    document = _household()

    edited = move_field_to_page(document, "q9", "p2")

    assert [f["id"] for f in edited["form"]["pages"][1]["fields"]] == ["q5", "q9"]
    assert [f["id"] for f in edited["form"]["pages"][0]["fields"]] == ["q3", "q4"]
    with pytest.raises(EditError) as error:
        move_field_to_page(document, "q5", "p1")
    assert error.value.problems == [
        "question 「扶養人数」 cannot be moved: it is the only question on page 「世帯」, "
        "and a page needs at least one question"
    ]


def test_moving_a_used_answer_after_its_reader_is_refused() -> None:
    with pytest.raises(EditError, match="cannot be moved: the condition of question 「扶養人数」"):
        move_field_to_page(_household(), "q3", "p2")


def test_add_field_refuses_taken_ids_and_conditions_on_later_answers() -> None:
    document = _household()

    edited = add_field(document, "p1", _field("q10", "年齢"), after="q3")

    assert [f["id"] for f in edited["form"]["pages"][0]["fields"]] == ["q3", "q10", "q9", "q4"]
    with pytest.raises(
        EditError, match="'q4' is already used by question 「同居人数」 on page 「収入」"
    ):
        add_field(document, "p2", _field("q4", "重複"))
    with pytest.raises(
        EditError, match="'subsidy_amount' is already used by computed value 「補助額」"
    ):
        add_field(document, "p2", _field("subsidy_amount", "重複"))
    with pytest.raises(EditError, match="would look at question 「扶養人数」, which comes later"):
        later = {"field": "q5", "op": "empty"}
        add_field(document, "p1", _field("q11", "先", show_if=later))
    with pytest.raises(EditError, match="looks at 'zz', which is not a question of this form"):
        add_field(document, "p2", _field("q11", "不明", show_if={"field": "zz", "op": "empty"}))


def test_add_field_makes_an_id_when_none_is_given() -> None:
    edited = add_field(_household(), "p2", {"type": "text", "label": _text("電話")})

    assert edited["form"]["pages"][1]["fields"][-1]["id"] == "q1"


def test_replace_field_refuses_renaming_a_used_id() -> None:
    document = _household()

    with pytest.raises(EditError) as error:
        replace_field(document, "q3", _field("income", "収入", "money"))
    assert error.value.problems[0].startswith(
        "the id of question 「収入」 cannot be changed: it is used by the condition of "
        "question 「扶養人数」 on page 「世帯」, and by "
    )

    renamed = replace_field(document, "q9", _field("note", "備考", "textarea"))
    relabelled = replace_field(document, "q3", {"type": "money", "label": _text("年収")})
    assert [f["id"] for f in renamed["form"]["pages"][0]["fields"]] == ["q3", "note", "q4"]
    assert relabelled["form"]["pages"][0]["fields"][0] == _field("q3", "年収", "money")
    assert document["form"]["pages"][0]["fields"][0]["label"] == _text("収入")


def test_a_type_change_that_breaks_a_condition_shows_in_edit_problems() -> None:
    document = _household()
    document["form"]["pages"][1]["fields"][0]["show_if"] = {
        "field": "q3",
        "op": "equals",
        "value": "yes",
    }
    assert edit_problems(document) == []

    options = [{"value": "a", "label": _text("あり")}]
    edited = replace_field(document, "q3", _field("q3", "収入", "choice", options=options))

    assert edit_problems(edited) == [
        "the condition of question 「扶養人数」 on page 「世帯」: 'yes' is not an option of 'q3'"
    ]


# new_id ------------------------------------------------------------------------------------


def test_new_id_is_unused_among_pages_questions_groups_and_computed_values() -> None:
    document = _household()
    document["form"]["pages"][0]["fields"].append(
        _field("q1", "世帯員", "group", fields=[_field("q2", "氏名", "text")])
    )
    document["computed"].append({"id": "q6", "label": _text("x"), "formula": "1"})
    document["form"]["pages"][1]["id"] = "q7"

    assert new_id(document) == "q8"
    assert new_id(document, "p") == "p2"
    assert new_id(_load("childcare_support.json"), "name") == "name1"
    with pytest.raises(EditError, match="cannot be used as an id"):
        new_id(document, "Q")


# Settings ------------------------------------------------------------------------------------


def test_set_metadata_sets_and_removes_and_refuses_unknown_keys() -> None:
    document = _household()

    edited = set_metadata(document, standard_processing_days=10, fee=None, guest=True)

    assert edited["standard_processing_days"] == 10
    assert edited["guest"] is True
    assert "fee" not in edited
    assert "fee" in document
    with pytest.raises(EditError, match="'colour' is not a setting of a procedure"):
        set_metadata(document, colour="red")
    with pytest.raises(EditError, match="the title needs a Japanese text"):
        set_metadata(document, title=None)


def test_set_route_and_notice_copy_their_input() -> None:
    route = {"stages": [{"id": "review", "kind": "review", "role": "reviewer"}]}
    notice = {"subject": "通知"}

    edited = set_notice(set_route(_household(), route), notice)
    route["stages"].clear()
    notice["subject"] = "changed"

    assert edited["route"]["stages"][0]["id"] == "review"
    assert edited["notice"] == {"subject": "通知"}


def test_edit_problems_names_unknown_ids_in_formulas_and_tiers() -> None:
    document = _household()
    document["fee"]["formula"] = "copies * 300"
    document["route"]["stages"][0]["tiers"][0]["when"]["field"] = "amount"

    assert edit_problems(document) == [
        "the fee formula: unknown name 'copies'",
        "authority tier 1 of stage 「決裁」 looks at 'amount', "
        "which is neither a question nor a computed value",
    ]


# Choices as lines -------------------------------------------------------------------------


OPTIONS = [
    {"value": "mother", "label": {"ja": "母", "en": "Mother"}},
    {"value": "father", "label": {"ja": "父", "en": "Father"}},
    {"value": "other", "label": {"ja": "その他", "en": "Other"}},
]


def test_option_lines_round_trip_keeps_values_and_translations() -> None:
    text = option_lines(OPTIONS)

    assert text == "母\n父\nその他"
    assert options_from_lines(text, OPTIONS) == OPTIONS
    assert options_from_lines("\n父\n\n  母 \nその他\n", OPTIONS) == [
        OPTIONS[1],
        OPTIONS[0],
        OPTIONS[2],
    ]


def test_option_lines_add_rename_and_remove() -> None:
    lines = "母\n父親\n祖父母\nその他の保護者\n後見人"

    options = options_from_lines(lines, copy.deepcopy(OPTIONS))

    assert options == [
        OPTIONS[0],
        {"value": "father", "label": {"ja": "父親"}},
        {"value": "other", "label": {"ja": "祖父母"}},
        {"value": "o1", "label": {"ja": "その他の保護者"}},
        {"value": "o2", "label": {"ja": "後見人"}},
    ]
    assert options_from_lines("母", OPTIONS) == [OPTIONS[0]]
    assert [
        o["value"] for o in options_from_lines("a\nb", [{"value": "o1", "label": {"ja": "x"}}])
    ] == [
        "o1",
        "o2",
    ]


def test_option_lines_in_english_keep_values_and_japanese() -> None:
    text = option_lines([*OPTIONS, {"value": "aunt", "label": {"ja": "おば"}}], "en")
    assert text == "Mother\nFather\nOther\nおば"

    edited = options_from_lines("Mother\nDad\nOther", OPTIONS, "en")

    assert edited[1] == {"value": "father", "label": {"ja": "父", "en": "Dad"}}
    assert edited[0] == OPTIONS[0]
    with pytest.raises(EditError, match="line 4: new choices are added in Japanese first"):
        options_from_lines("Mother\nFather\nOther\nAunt", OPTIONS, "en")


def test_duplicate_option_lines_are_refused_with_the_line() -> None:
    with pytest.raises(EditError) as error:
        options_from_lines("母\n父\n\n母", OPTIONS)

    assert error.value.problems == ["choices, line 4: '母' is already on line 1"]
    with pytest.raises(EditError, match="at least one choice"):
        options_from_lines(" \n", OPTIONS)


# From scratch ---------------------------------------------------------------------------------


def test_a_procedure_built_from_scratch_by_edits_passes_check_document() -> None:
    document: dict[str, Any] = {
        "schema": 1,
        "title": _text("犬の登録"),
        "form": {"pages": []},
        "route": {"stages": [{"id": "review", "kind": "review", "role": "reviewer"}]},
        "notice": {"subject": "犬の登録について"},
    }
    assert edit_problems(document) == ["the form has no pages yet"]

    document = add_page(document, _text("飼い主"))
    document = add_field(document, "p1", _field(new_id(document), "氏名", "text"))
    document = add_page(document, _text("犬"))
    choice = {"type": "choice", "label": _text("犬の種類")}
    choice["options"] = options_from_lines("小型犬\n中型犬\n大型犬", None)
    document = add_field(document, "p2", {"id": new_id(document), **choice})
    document = add_page(document, _text("大型犬の確認"))
    large = {"field": "q2", "op": "equals", "value": "o3"}
    document = update_page(document, "p3", _text("大型犬の確認"), large)
    document = add_field(document, "p3", _field(new_id(document), "体重", required=True))
    document = set_metadata(document, fee={"formula": "if(q3 > 40, 500, 300)"})

    assert [p["id"] for p in document["form"]["pages"]] == ["p1", "p2", "p3"]
    assert edit_problems(document) == []
    check_document(document)


def test_edit_problems_reports_half_made_questions_before_deeper_checks() -> None:
    document = _household()
    document["form"]["pages"][0]["fields"].append({"id": "q12", "type": "text"})
    document["form"]["pages"][1]["fields"].append(_field("q5", "重複"))

    assert edit_problems(document) == ["question 'q12' needs an id, a type and a Japanese label"]
    del document["form"]["pages"][0]["fields"][-1]
    assert edit_problems(document) == ["field id 'q5' is used twice"]


# Messages -------------------------------------------------------------------------------------


def _question_name(label: str) -> Message:
    return Message("question 「{label}」", {"label": label})


def _page_title(title: str) -> Message:
    return Message("page 「{title}」", {"title": title})


def test_a_refusal_is_a_message_naming_things_by_their_label(raised: list[Message]) -> None:
    document = _household()
    del document["computed"], document["fee"], document["notice"]["template"]
    document["route"]["stages"][0]["tiers"].pop()

    with pytest.raises(EditError) as error:
        delete_field(document, "q3")

    place = Message(
        "the condition of {question} on {page}",
        {"question": _question_name("扶養人数"), "page": _page_title("世帯")},
    )
    assert error.value.messages == [
        Message(
            "{refusal}: {reason}",
            {
                "refusal": Message(
                    "{question} cannot be deleted", {"question": _question_name("収入")}
                ),
                "reason": Message("it is used by {places}", {"places": place}),
            },
        )
    ]
    assert error.value.problems == [m.text for m in error.value.messages]
    assert raised[0] is error.value.messages[0]


def test_several_places_are_joined_one_message_at_a_time() -> None:
    with pytest.raises(EditError) as error:
        delete_field(_household(), "q3")

    reason = error.value.messages[0].args["reason"]
    assert isinstance(reason, Message)
    joined, places = reason.args["places"], []
    while isinstance(joined, Message) and joined.template == "{first}, and by {rest}":
        places.append(joined.args["first"])
        joined = joined.args["rest"]
    places.append(joined)
    assert all(isinstance(place, Message) for place in places)
    assert [str(place) for place in places] == references(_household(), "q3")


def test_names_fall_back_to_ids_without_a_japanese_label() -> None:
    document = _household()
    page = document["form"]["pages"][1]
    page["title"] = {"en": "Household"}
    page["fields"][0]["label"] = {}
    document["computed"][0]["label"] = {"ja": ""}
    del document["route"]["stages"][0]["title"]

    assert references(document, "q3")[:4] == [
        "the condition of question 'q5' on page 'p2'",
        "the formula of computed value 'subsidy_amount'",
        "the fee formula",
        "authority tier 2 of stage 'decide'",
    ]
    assert reference_messages(document, "q3")[0].args["page"] == Message(
        "page '{id}'", {"id": "p2"}
    )
    group = _load("childcare_support.json")
    del group["form"]["pages"][1]["fields"][0]["label"]
    with pytest.raises(EditError, match="question 「生年月日」 is inside group 'children'"):
        delete_field(group, "birth_date")


def test_reference_and_problem_messages_match_their_english_texts() -> None:
    document = _household()
    document["form"]["pages"][1]["fields"][0]["show_if"] = {
        "field": "q3",
        "op": "equals",
        "value": "yes",
    }
    document["form"]["pages"][0]["fields"][0] = _field("q3", "収入", "choice", options=OPTIONS)
    document["route"]["stages"][0]["tiers"][0]["when"]["field"] = "amount"

    messages = edit_problem_messages(document)

    assert [m.text for m in messages] == edit_problems(document)
    assert messages[0] == Message(
        "{place}{rest}",
        {
            "place": Message(
                "the condition of {question} on {page}",
                {"question": _question_name("扶養人数"), "page": _page_title("世帯")},
            ),
            "rest": ": 'yes' is not an option of 'q3'",
        },
    )
    assert messages[-1].template == (
        "{place} looks at '{name}', which is neither a question nor a computed value"
    )
    for name in ("q3", "q4", "subsidy_amount"):
        places = reference_messages(document, name)
        assert [m.text for m in places] == references(document, name)
    found = [part for m in messages + reference_messages(document, "q3") for part in m.parts()]
    assert {m.template for m in found} <= set(TEMPLATES)


def test_a_message_renders_its_nested_messages_in_english() -> None:
    args: dict[str, str | Message] = {"page": _page_title("世帯")}
    message = Message("{refusal}: {reason}", {"refusal": Message("{page} cannot be moved", args)})
    args["page"] = "changed"  # the message keeps its own copy

    assert Message("the fee formula").text == "the fee formula"
    assert Message("{text}", {"text": "{not a placeholder}"}).text == "{not a placeholder}"
    with pytest.raises(KeyError):
        _ = message.text  # {reason} has no value
    complete = Message(
        "{refusal}: {reason}", {**message.args, "reason": Message("the fee formula")}
    )
    assert complete.text == "page 「世帯」 cannot be moved: the fee formula"
    assert str(complete) == complete.text
    assert [m.template for m in complete.parts()] == [
        "{refusal}: {reason}",
        "{page} cannot be moved",
        "page 「{title}」",
        "the fee formula",
    ]
    assert complete == copy.deepcopy(complete)
    assert hash(complete) == hash(copy.deepcopy(complete))


def test_edit_error_keeps_texts_made_elsewhere_as_they_are() -> None:
    error = EditError(["新しいページの題名を入力してください。", Message("the fee formula")])

    assert error.problems == ["新しいページの題名を入力してください。", "the fee formula"]
    assert error.messages[0] == Message(
        "{text}", {"text": "新しいページの題名を入力してください。"}
    )
    assert str(error) == "新しいページの題名を入力してください。; the fee formula"
    assert EditError("one sentence").problems == ["one sentence"]


def test_templates_are_unique_with_plain_named_placeholders() -> None:
    assert len(TEMPLATES) == len(set(TEMPLATES))
    for template in TEMPLATES:
        for _, name, spec, conversion in string.Formatter().parse(template):
            if name is not None:
                assert name.isidentifier() and not spec and not conversion, template
        assert "%" not in template, template


def _source_templates() -> set[str]:
    """Every template forms.editing can give a Message, read from its source: the literal
    first argument of each Message(...) call, or the literal assigned to the variable given
    instead, and the two templates given to _named(...)."""
    tree = ast.parse(Path(editing.__file__).read_text("utf-8"))
    found: set[str] = set()
    for function in (node for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)):
        assigned: dict[str, set[str]] = {}
        for node in ast.walk(function):
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant):
                for target in node.targets:
                    if isinstance(target, ast.Name) and isinstance(node.value.value, str):
                        assigned.setdefault(target.id, set()).add(node.value.value)
        for call in (node for node in ast.walk(function) if isinstance(node, ast.Call)):
            name = call.func.id if isinstance(call.func, ast.Name) else None
            given = (
                call.args[:1] if name == "Message" else call.args[2:4] if name == "_named" else []
            )
            for arg in given:
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    found.add(arg.value)
                elif isinstance(arg, ast.Name) and arg.id in assigned:
                    found |= assigned[arg.id]
                else:
                    # Only _named picks one of the two templates it is given.
                    assert function.name == "_named", ast.unparse(call)
    return found


def test_templates_lists_exactly_the_templates_in_the_source() -> None:
    assert sorted(_source_templates() ^ set(TEMPLATES)) == []
