"""Tests for the summary of changes between two versions of a procedure."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from forms.diff import Change, describe_changes
from forms.editing import add_field, add_page, delete_field, move_field, move_field_to_page

PROCEDURES = Path(__file__).parents[2] / "portal/demo/procedures"


def _load(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((PROCEDURES / name).read_text("utf-8"))
    return loaded


@pytest.fixture
def subsidy() -> dict[str, Any]:
    return _load("iot_ai_robot_subsidy.json")


def _field(document: dict[str, Any], field_id: str) -> dict[str, Any]:
    for page in document["form"]["pages"]:
        for field in page["fields"]:
            if field["id"] == field_id:
                found: dict[str, Any] = field
                return found
    raise KeyError(field_id)


def _codes(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    return [change.code for change in describe_changes(old, new)]


def test_first_version_and_identical_documents(subsidy: dict[str, Any]) -> None:
    assert describe_changes(None, subsidy) == [Change("first_version", {})]
    assert describe_changes(None, subsidy)[0].text == "First version."
    assert describe_changes(subsidy, copy.deepcopy(subsidy)) == []


def test_key_order_is_no_change(subsidy: dict[str, Any]) -> None:
    reordered = json.loads(json.dumps(subsidy, sort_keys=True))

    assert describe_changes(subsidy, reordered) == []


def test_title_and_metadata(subsidy: dict[str, Any]) -> None:
    new = copy.deepcopy(subsidy)
    new["title"]["ja"] = "IoT補助金"
    new["standard_processing_days"] = 20
    new["guest"] = True
    del new["keywords"]
    new["fee"] = {"formula": "300"}

    changes = describe_changes(subsidy, new)

    assert [c.code for c in changes] == ["title_changed", *["metadata_changed"] * 4]
    assert changes[0].args == {"old": subsidy["title"]["ja"], "new": "IoT補助金"}
    assert [c.args["key"] for c in changes[1:]] == [
        "fee",
        "standard_processing_days",
        "guest",
        "keywords",
    ]
    assert changes[2].args == {"key": "standard_processing_days", "old": "30", "new": "20"}
    assert changes[2].text == "The standard processing days changed from “30” to “20”."
    assert changes[1].text == "The fee was set to “300”."
    assert changes[3].args["new"] == "yes"
    assert changes[4].text == "The keywords was removed."


def test_long_metadata_values_are_shortened(subsidy: dict[str, Any]) -> None:
    new = copy.deepcopy(subsidy)
    new["description"]["ja"] = "あ" * 200

    (change,) = describe_changes(subsidy, new)

    assert change.args["key"] == "description"
    assert len(change.args["new"]) == 80
    assert change.args["new"].endswith("…")


def test_pages_added_removed_renamed_and_moved() -> None:
    old = _load("childcare_support.json")
    new = add_page(old, {"ja": "確認"}, page_id="check")
    new = add_field(new, "check", {"id": "agree", "type": "yesno", "label": {"ja": "同意"}})
    new["form"]["pages"] = [p for p in new["form"]["pages"] if p["id"] != "children"]
    new["form"]["pages"][0]["title"]["ja"] = "申請者"
    new["form"]["pages"].reverse()

    changes = describe_changes(old, new)

    assert [(c.code, c.args) for c in changes] == [
        ("page_added", {"page": "確認"}),
        ("field_added", {"label": "同意", "page": "確認"}),
        ("page_renamed", {"old": "保護者", "new": "申請者"}),
        ("page_moved", {"page": "申請者"}),
        ("page_removed", {"page": "お子さん"}),
        ("field_removed", {"label": "対象となるお子さん", "page": "お子さん"}),
    ]


def test_questions_added_removed_and_moved_in_form_order(subsidy: dict[str, Any]) -> None:
    new = delete_field(subsidy, "email")
    new = move_field_to_page(new, "phone", "company")
    new = move_field(new, "expected_effect", -1)
    new = add_field(new, "budget", {"id": "note", "type": "text", "label": {"ja": "備考"}})

    changes = describe_changes(subsidy, new)

    assert [(c.code, c.args.get("label")) for c in changes] == [
        ("field_moved", "電話番号"),
        ("field_moved", "事業の内容"),
        ("field_added", "備考"),
        ("field_removed", "メールアドレス"),
    ]
    assert changes[0].args == {"label": "電話番号", "page": "申請者", "old_page": "担当者と誓約"}
    assert (
        changes[0].text
        == "Question “電話番号” was moved from page “担当者と誓約” to page “申請者”."
    )
    assert changes[1].text == "Question “事業の内容” was moved within page “補助事業の内容”."
    assert changes[3].args["page"] == "担当者と誓約"


def test_field_changed_lists_what_changed(subsidy: dict[str, Any]) -> None:
    new = copy.deepcopy(subsidy)
    employees = _field(new, "employees")
    employees["label"]["ja"] = "従業員数"
    employees["max"] = 100
    employees["required"] = False
    employees["hint"]["ja"] = "人数"
    employees["show_if"] = {"field": "entity_type", "op": "equals", "value": "corporation"}
    _field(new, "start_on")["type"] = "text"
    _field(new, "declaration")["statement"]["ja"] = "誓約します。"

    changes = describe_changes(subsidy, new)

    assert [(c.code, c.args["label"], c.args["what"]) for c in changes] == [
        ("field_changed", "従業員数", "label, hint, required, validation, condition"),
        ("field_changed", "事業開始予定日", "type"),
        ("field_changed", "誓約", "text"),
    ]
    assert changes[1].text == "Question “事業開始予定日” on page “経費と実施期間” changed: type."


def test_required_false_is_the_same_as_leaving_it_out(subsidy: dict[str, Any]) -> None:
    new = copy.deepcopy(subsidy)
    _field(new, "other_subsidy_name")["required"] = False

    assert describe_changes(subsidy, new) == []


def test_options_changed_details(subsidy: dict[str, Any]) -> None:
    new = copy.deepcopy(subsidy)
    industry = _field(new, "industry")
    industry["options"] = [o for o in industry["options"] if o["value"] != "transport"]
    industry["options"][0]["label"]["ja"] = "製造業（工業）"
    industry["options"].append({"value": "it", "label": {"ja": "情報通信業"}})
    _field(new, "entity_type")["options"].reverse()

    changes = describe_changes(subsidy, new)

    assert [c.code for c in changes] == [
        "field_changed",
        "options_changed",
        "field_changed",
        "options_changed",
    ]
    assert changes[1].args == {
        "label": "申請者の区分",
        "added": "",
        "removed": "",
        "renamed": "",
        "reordered": "yes",
    }
    assert changes[3].args == {
        "label": "主たる業種",
        "added": "情報通信業",
        "removed": "運輸業",
        "renamed": "製造業 → 製造業（工業）",
        "reordered": "",
    }
    assert changes[3].text == (
        "The choices of “主たる業種” changed: added 情報通信業; removed 運輸業; "
        "renamed 製造業 → 製造業（工業）."
    )


def test_computed_values(subsidy: dict[str, Any]) -> None:
    new = copy.deepcopy(subsidy)
    new["computed"][0]["formula"] = "min(eligible_cost / 2, 400000)"
    new["computed"][0]["format"] = "number"
    new["computed"].append({"id": "half", "label": {"ja": "半額"}, "formula": "eligible_cost / 2"})

    changes = describe_changes(subsidy, new)
    removed = describe_changes(new, subsidy)

    assert [(c.code, c.args.get("what")) for c in changes] == [
        ("computed_changed", "formula, format"),
        ("computed_added", None),
    ]
    assert changes[0].args["label"] == "補助金交付申請額"
    assert [c.code for c in removed] == ["computed_changed", "computed_removed"]


def test_route_stages(subsidy: dict[str, Any]) -> None:
    new = copy.deepcopy(subsidy)
    stages = new["route"]["stages"]
    stages[3]["tiers"][0]["value"] = 300000
    stages[3]["role"] = "governor"
    stages[0]["days"] = 7
    del stages[1]
    stages.insert(0, {"id": "intake", "kind": "review", "role": "clerk", "title": {"ja": "受付"}})

    changes = describe_changes(subsidy, new)

    assert [(c.code, c.args) for c in changes] == [
        ("route_changed", {}),
        ("stage_added", {"stage": "受付"}),
        ("stage_changed", {"stage": "書類審査", "what": "days"}),
        ("stage_changed", {"stage": "交付決定", "what": "role, tiers"}),
        ("stage_removed", {"stage": "係長回議"}),
    ]


def test_stage_moved(subsidy: dict[str, Any]) -> None:
    new = copy.deepcopy(subsidy)
    stages = new["route"]["stages"]
    stages[0], stages[1] = stages[1], stages[0]

    assert _codes(subsidy, new) == ["route_changed", "stage_moved"]


def test_notice_changed_names_the_keys(subsidy: dict[str, Any]) -> None:
    new = copy.deepcopy(subsidy)
    new["notice"]["template"] = "<p>{{ answer_by_id.company_name }}</p>"
    new["notice"]["subject"] = "交付について"

    (change,) = describe_changes(subsidy, new)

    assert change == Change("notice_changed", {"keys": "subject, template"})
    assert change.text == "The notice changed: subject, template."


def test_translation_only_changes_are_gathered_at_the_end(subsidy: dict[str, Any]) -> None:
    new = copy.deepcopy(subsidy)
    new["title"]["en"] = "Robot subsidy"
    _field(new, "industry")["options"][0]["label"]["zh-Hans"] = "制造业"
    new["route"]["stages"][0]["title"]["en"] = "Check"
    new["standard_processing_days"] = 25

    changes = describe_changes(subsidy, new)

    assert [c.code for c in changes] == ["metadata_changed", "translation_changed"]
    assert changes[-1].args == {"locales": "en, zh-Hans"}


def test_order_is_settings_form_computed_route_notice(subsidy: dict[str, Any]) -> None:
    new = copy.deepcopy(subsidy)
    new["notice"]["kind"] = "permit"
    new["route"]["stages"][0]["days"] = 6
    new["computed"][0]["hint"]["ja"] = "半分"
    _field(new, "phone")["label"]["ja"] = "連絡先電話番号"
    _field(new, "entity_type")["hint"] = {"ja": "区分"}
    new["contact"]["ja"] = "産業政策課"

    assert _codes(subsidy, new) == [
        "metadata_changed",
        "field_changed",
        "field_changed",
        "computed_changed",
        "route_changed",
        "stage_changed",
        "notice_changed",
    ]


def test_every_change_has_plain_string_args_and_a_sentence(subsidy: dict[str, Any]) -> None:
    new = delete_field(subsidy, "email")
    new["guest"] = True
    new["notice"]["template"] = "x"

    for change in describe_changes(subsidy, new):
        assert all(isinstance(value, str) for value in change.args.values())
        assert change.text.endswith(".")
        assert "{" not in change.text
