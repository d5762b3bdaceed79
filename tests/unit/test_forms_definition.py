"""Tests for loading procedure definitions: schema, cross-field rules and checksums."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from forms.definition import build_form, check_document, checksum, procedure_schema
from forms.model import DefinitionError, Field, FormDefinition, Option, Page

DEMO = Path(__file__).resolve().parents[2] / "portal" / "demo" / "procedures"
DEMO_FILES = sorted(DEMO.glob("*.json"))


def load(path: Path) -> dict[str, Any]:
    """Load a procedure document from disk."""
    loaded: dict[str, Any] = json.loads(path.read_text("utf-8"))
    return loaded


def minimal() -> dict[str, Any]:
    """Return a small valid document to break in tests."""
    return {
        "schema": 1,
        "title": {"ja": "テスト手続", "en": "Test procedure"},
        "form": {
            "pages": [
                {
                    "id": "first",
                    "title": {"ja": "最初"},
                    "fields": [
                        {"id": "name", "type": "text", "label": {"ja": "氏名"}, "max_length": 10},
                        {
                            "id": "kind",
                            "type": "choice",
                            "label": {"ja": "種類"},
                            "options": [
                                {"value": "a", "label": {"ja": "甲"}},
                                {"value": "b", "label": {"ja": "乙"}},
                            ],
                        },
                    ],
                },
                {
                    "id": "second",
                    "title": {"ja": "次"},
                    "fields": [
                        {"id": "count", "type": "number", "label": {"ja": "数"}, "min": 1, "max": 5}
                    ],
                },
            ]
        },
        "route": {"stages": [{"id": "check"}]},
        "notice": {"subject": "お知らせ"},
    }


def problems_of(document: dict[str, Any]) -> list[str]:
    """Return the problems check_document reports for a document (it must fail)."""
    with pytest.raises(DefinitionError) as caught:
        check_document(document)
    assert str(caught.value) == "; ".join(caught.value.problems)
    return caught.value.problems


def test_there_are_demo_definitions() -> None:
    assert len(DEMO_FILES) >= 3


@pytest.mark.parametrize("path", DEMO_FILES, ids=lambda p: p.stem)
def test_demo_definitions_pass(path: Path) -> None:
    document = load(path)
    check_document(document)
    form = build_form(document["form"])
    assert len(form.pages) == len(document["form"]["pages"])
    assert [f.id for f in form.fields()] == [
        f["id"] for page in document["form"]["pages"] for f in page["fields"]
    ]


def test_minimal_document_passes() -> None:
    check_document(minimal())


def test_schema_is_loaded_once_and_is_draft_2020_12() -> None:
    assert procedure_schema() is procedure_schema()
    assert procedure_schema()["$schema"] == "https://json-schema.org/draft/2020-12/schema"


# Schema errors -------------------------------------------------------------------------


def test_missing_japanese_title_is_reported_with_its_path() -> None:
    document = minimal()
    del document["title"]["ja"]
    problems = problems_of(document)
    assert len(problems) == 1
    assert problems[0].startswith("title: ")
    assert "'ja' is a required property" in problems[0]


def test_empty_japanese_text_is_refused() -> None:
    document = minimal()
    document["form"]["pages"][0]["title"]["ja"] = ""
    problems = problems_of(document)
    assert [p.split(":")[0] for p in problems] == ["form/pages/0/title/ja"]


def test_unknown_field_type_is_reported_with_its_path() -> None:
    document = minimal()
    document["form"]["pages"][1]["fields"][0]["type"] = "signature"
    problems = problems_of(document)
    assert len(problems) == 1
    assert problems[0].startswith("form/pages/1/fields/0/type: ")
    assert "signature" in problems[0]


def test_bad_field_id_is_reported_with_its_path() -> None:
    document = minimal()
    document["form"]["pages"][0]["fields"][1]["id"] = "Bad-ID"
    problems = problems_of(document)
    assert len(problems) == 1
    assert problems[0].startswith("form/pages/0/fields/1/id: ")
    assert "Bad-ID" in problems[0]


def test_extra_property_is_reported_with_its_path() -> None:
    document = minimal()
    document["form"]["pages"][0]["fields"][0]["colour"] = "red"
    problems = problems_of(document)
    assert len(problems) == 1
    assert problems[0].startswith("form/pages/0/fields/0: ")
    assert "colour" in problems[0]


def test_missing_top_level_property_is_reported_at_the_root() -> None:
    document = minimal()
    del document["notice"]
    problems = problems_of(document)
    assert problems == ["(root): 'notice' is a required property"]


def test_every_schema_error_is_reported_in_path_order() -> None:
    document = minimal()
    del document["title"]["ja"]
    document["form"]["pages"][1]["fields"][0]["type"] = "signature"
    document["form"]["pages"][0]["fields"][1]["id"] = "Bad-ID"
    document["form"]["pages"][0]["fields"][0]["colour"] = "red"
    document["form"]["pages"][0]["fields"][0]["max_length"] = 0
    document["schema"] = 2
    problems = problems_of(document)
    paths = [p.split(": ")[0] for p in problems]
    assert paths == [
        "form/pages/0/fields/0",
        "form/pages/0/fields/0/max_length",
        "form/pages/0/fields/1/id",
        "form/pages/1/fields/0/type",
        "schema",
        "title",
    ]


def test_schema_errors_stop_before_the_form_rules() -> None:
    document = minimal()
    document["title"] = {"en": "No Japanese"}
    document["form"]["pages"][1]["id"] = "first"  # would also break a rule
    problems = problems_of(document)
    assert len(problems) == 1
    assert problems[0].startswith("title: ")


# Cross-field rules ---------------------------------------------------------------------


def test_rule_problems_are_all_listed() -> None:
    document = minimal()
    pages = document["form"]["pages"]
    pages[1]["id"] = "first"  # duplicate page id
    pages[1]["fields"].append({"id": "name", "type": "text", "label": {"ja": "重複"}})
    pages[1]["fields"].append({"id": "empty", "type": "choice", "label": {"ja": "選択"}})
    pages[0]["fields"][1]["options"].append({"value": "a", "label": {"ja": "また甲"}})
    pages[1]["fields"][0]["min"] = 6  # greater than max 5
    problems = problems_of(document)
    assert sorted(problems) == sorted(
        [
            "page id 'first' is used twice",
            "field id 'name' is used twice",
            "field 'empty': a choice needs options",
            "field 'kind': option 'a' twice",
            "field 'count': min is greater than max",
        ]
    )


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda pages: pages[1].update(id="first"), "page id 'first' is used twice"),
        (
            lambda pages: pages[1]["fields"][0].update(id="name"),
            "field id 'name' is used twice",
        ),
        (
            lambda pages: pages[0]["fields"][1].pop("options"),
            "field 'kind': a choice needs options",
        ),
        (
            lambda pages: pages[0]["fields"][1]["options"][1].update(value="a"),
            "field 'kind': option 'a' twice",
        ),
        (
            lambda pages: pages[1]["fields"][0].update(min=5.5),
            "field 'count': min is greater than max",
        ),
    ],
)
def test_each_rule(change: Any, expected: str) -> None:
    document = minimal()
    change(document["form"]["pages"])
    assert problems_of(document) == [expected]
    with pytest.raises(DefinitionError) as caught:
        build_form(document["form"])
    assert caught.value.problems == [expected]


def test_min_equal_to_max_is_allowed() -> None:
    document = minimal()
    document["form"]["pages"][1]["fields"][0]["min"] = 5
    check_document(document)


def test_build_form_reports_an_unregistered_type() -> None:
    # build_form may be given data that skipped the schema; it checks the registry too.
    data = minimal()["form"]
    data["pages"][0]["fields"][0]["type"] = "signature"
    with pytest.raises(DefinitionError) as caught:
        build_form(data)
    assert caught.value.problems == ["field 'name': unknown type 'signature'"]


def test_definition_error_is_a_value_error() -> None:
    error = DefinitionError(["one", "two"])
    assert isinstance(error, ValueError)
    assert error.problems == ["one", "two"]
    assert str(error) == "one; two"


# Building the model --------------------------------------------------------------------


def test_build_form_produces_pages_fields_and_params() -> None:
    document = minimal()
    document["form"]["pages"][0]["fields"][0].update(
        required=True, hint={"ja": "全角で", "en": "In full"}, autocomplete="name"
    )
    form = build_form(document["form"])
    assert isinstance(form, FormDefinition)
    assert [page.id for page in form.pages] == ["first", "second"]
    assert form.page("second").title == {"ja": "次"}
    assert form.page_index("second") == 1
    name = form.field("name")
    assert name == Field(
        id="name",
        type="text",
        label={"ja": "氏名"},
        hint={"ja": "全角で", "en": "In full"},
        required=True,
        options=(),
        params={"max_length": 10, "autocomplete": "name"},
    )
    kind = form.field("kind")
    assert kind.required is False
    assert kind.options == (Option("a", {"ja": "甲"}), Option("b", {"ja": "乙"}))
    assert kind.params == {}
    assert form.field("count").params == {"min": 1, "max": 5}
    assert isinstance(form.pages[0], Page)


def test_build_form_does_not_share_the_document_dicts() -> None:
    document = minimal()
    form = build_form(document["form"])
    document["form"]["pages"][0]["fields"][0]["label"]["ja"] = "変更"
    assert form.field("name").label == {"ja": "氏名"}


def test_form_lookups_raise_key_error_for_unknown_ids() -> None:
    form = build_form(minimal()["form"])
    with pytest.raises(KeyError):
        form.page("third")
    with pytest.raises(KeyError):
        form.page_index("third")
    with pytest.raises(KeyError):
        form.field("missing")


# Checksum ------------------------------------------------------------------------------


def reorder(value: Any) -> Any:
    """Return the value with every object's keys in reverse order."""
    if isinstance(value, dict):
        return {key: reorder(value[key]) for key in reversed(list(value))}
    if isinstance(value, list):
        return [reorder(item) for item in value]
    return value


def test_checksum_is_stable_across_key_order() -> None:
    document = minimal()
    reordered = reorder(document)
    assert list(reordered) != list(document)
    assert checksum(reordered) == checksum(document)
    assert checksum(json.loads(json.dumps(document))) == checksum(document)


def test_checksum_is_a_sha256_hex_digest() -> None:
    digest = checksum(minimal())
    assert len(digest) == 64
    assert int(digest, 16) >= 0


@pytest.mark.parametrize("path", DEMO_FILES, ids=lambda p: p.stem)
def test_checksum_changes_when_content_changes(path: Path) -> None:
    document = load(path)
    original = checksum(document)
    changed = copy.deepcopy(document)
    changed["form"]["pages"][0]["fields"][0]["label"]["ja"] += "。"
    assert checksum(changed) != original
    reordered_pages = copy.deepcopy(document)
    reordered_pages["form"]["pages"].reverse()
    assert checksum(reordered_pages) != original  # list order is content
    assert checksum(document) == original


def test_checksum_distinguishes_types() -> None:
    assert checksum({"a": 1}) != checksum({"a": "1"})
    assert checksum({"a": 1}) != checksum({"a": True})


def test_my_number_is_refused_unless_the_procedure_is_entitled() -> None:
    import copy
    import json
    from pathlib import Path

    from forms.definition import check_document
    from forms.model import DefinitionError

    root = Path(__file__).resolve().parents[2]
    base = json.loads((root / "portal/demo/procedures/accessible_parking.json").read_text("utf-8"))
    document = copy.deepcopy(base)
    document["form"]["pages"][0]["fields"].append(
        {"id": "kojin", "type": "my_number", "label": {"ja": "個人番号"}}
    )
    try:
        check_document(document)
    except DefinitionError as error:
        assert any("kojin" in problem for problem in error.problems)
    else:
        raise AssertionError("a procedure without collects_my_number took a My Number")
    document["collects_my_number"] = True
    check_document(document)
