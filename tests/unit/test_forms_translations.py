"""The translation report: which texts of a procedure are missing in which locale."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from forms.definition import check_document, procedure_schema
from forms.model import DefinitionError
from forms.translations import (
    is_text,
    japanese_problems,
    missing_translations,
    texts,
    translation_summary,
)

DEMO = Path(__file__).resolve().parents[2] / "portal" / "demo" / "procedures"
SAMPLES = sorted(DEMO.glob("*.json"))
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def _sample(name: str = "residence_certificate") -> dict[str, Any]:
    folder = FIXTURES if (FIXTURES / f"{name}.json").exists() else DEMO
    document: dict[str, Any] = json.loads((folder / f"{name}.json").read_text("utf-8"))
    return document


def _t(ja: str, en: str | None = None) -> dict[str, str]:
    return {"ja": ja} if en is None else {"ja": ja, "en": en}


# The rule ------------------------------------------------------------------------------


def test_a_text_maps_locale_codes_to_strings_and_has_japanese() -> None:
    assert is_text({"ja": "氏名", "en": "Name", "zh-Hans": "姓名"})
    assert is_text({"ja": ""})  # blank, but still a text (and reported as missing)
    assert not is_text({"en": "Name"})  # the schema requires Japanese in every text
    assert not is_text({"id": "check"})  # looks like Indonesian, but is a route stage
    assert not is_text({"ja": "氏名", "label": "x"})  # "label" is not a locale code
    assert not is_text({"ja": 1})
    assert not is_text({"value": "self", "label": {"ja": "本人"}})
    assert not is_text({})
    assert not is_text("氏名")


def _schema_text_paths(value: Any, node: dict[str, Any], path: str = "") -> Iterator[str]:
    """Every place the JSON Schema types as a text, found from the schema alone."""
    ref = node.get("$ref")
    if ref == "#/$defs/text":
        yield path
        return
    if ref:
        node = procedure_schema()["$defs"][ref.rsplit("/", 1)[1]]
    if isinstance(value, dict):
        properties = node.get("properties", {})
        for key, item in value.items():
            if key in properties:
                yield from _schema_text_paths(item, properties[key], f"{path}.{key}".lstrip("."))
    elif isinstance(value, list) and "items" in node:
        for index, item in enumerate(value):
            yield from _schema_text_paths(item, node["items"], f"{path}[{index}]")


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.stem)
def test_the_rule_finds_every_text_the_schema_declares(path: Path) -> None:
    document = json.loads(path.read_text("utf-8"))
    found = [place for place, _ in texts(document)]
    declared = list(_schema_text_paths(document, procedure_schema()))
    assert declared and set(declared) <= set(found)
    # The only texts outside the schema: the route belongs to the workflow engine.
    extra = set(found) - set(declared)
    assert extra == {f"route.stages[{i}].title" for i in range(len(document["route"]["stages"]))}


def test_texts_are_listed_by_place_in_document_order() -> None:
    document = {
        "schema": 1,
        "title": _t("手続"),
        "description": _t("説明"),
        "contact": _t("連絡先"),
        "fee": {"formula": "300", "label": _t("手数料")},
        "computed": [{"id": "c", "label": _t("計算"), "hint": _t("説明"), "formula": "1"}],
        "form": {
            "pages": [
                {
                    "id": "p",
                    "title": _t("頁"),
                    "fields": [
                        {"id": "g", "type": "guidance", "label": _t("案内"), "body": _t("本文")},
                        {
                            "id": "c",
                            "type": "choice",
                            "label": _t("選択"),
                            "hint": _t("ヒント"),
                            "options": [{"value": "a", "label": _t("甲")}],
                        },
                        {
                            "id": "kids",
                            "type": "group",
                            "label": _t("子ども"),
                            "item_label": _t("子"),
                            "fields": [{"id": "n", "type": "text", "label": _t("氏名")}],
                        },
                    ],
                }
            ]
        },
        "route": {"stages": [{"id": "s", "kind": "decision", "role": "a", "title": _t("決裁")}]},
        "notice": {"subject": "お知らせ"},  # plain strings are not texts: Japanese only
    }
    assert [path for path, _ in texts(document)] == [
        "title",
        "description",
        "contact",
        "fee.label",
        "computed[0].label",
        "computed[0].hint",
        "form.pages[0].title",
        "form.pages[0].fields[0].label",
        "form.pages[0].fields[0].body",
        "form.pages[0].fields[1].label",
        "form.pages[0].fields[1].hint",
        "form.pages[0].fields[1].options[0].label",
        "form.pages[0].fields[2].label",
        "form.pages[0].fields[2].item_label",
        "form.pages[0].fields[2].fields[0].label",
        "route.stages[0].title",
    ]


# The report ----------------------------------------------------------------------------


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.stem)
def test_every_sample_is_complete_in_japanese_and_english(path: Path) -> None:
    document = json.loads(path.read_text("utf-8"))
    assert missing_translations(document, ["ja", "en"]) == {"ja": [], "en": []}


def test_missing_translations_are_reported_by_place() -> None:
    document = _sample()
    document["form"]["pages"][1]["fields"][0]["options"][1]["label"].pop("en")
    document["form"]["pages"][0]["fields"][2]["label"]["en"] = "  "
    document["route"]["stages"][0]["title"]["en"] = "\u3000"  # a full-width space is blank
    missing = missing_translations(document, ["ja", "en", "ko"])
    assert missing["ja"] == []
    assert missing["en"] == [
        "form.pages[0].fields[2].label",
        "form.pages[1].fields[0].options[1].label",
        "route.stages[0].title",
    ]
    total = len(list(texts(document)))
    assert missing["ko"] == [path for path, _ in texts(document)]  # nothing is in Korean
    assert "title" in missing["ko"] and "fee.label" in missing["ko"]
    assert translation_summary(document, ["ja", "en", "ko"]) == {
        "ja": (0, total),
        "en": (3, total),
        "ko": (total, total),
    }


def test_a_document_of_the_wrong_shape_is_reported_without_failing() -> None:
    document = {"title": "not a text", "form": {"pages": "none"}, "route": None}
    assert missing_translations(document, ["en"]) == {"en": []}
    assert translation_summary(document, ["en"]) == {"en": (0, 0)}


# Japanese ------------------------------------------------------------------------------


def test_blank_japanese_is_a_definition_error() -> None:
    document = _sample()
    document["form"]["pages"][0]["fields"][0]["label"]["ja"] = "　"
    document["route"]["stages"][1]["title"]["ja"] = " "
    assert japanese_problems(document) == [
        "form.pages[0].fields[0].label: the Japanese text is empty",
        "route.stages[1].title: the Japanese text is empty",
    ]
    with pytest.raises(DefinitionError) as caught:
        check_document(document)
    assert "form.pages[0].fields[0].label: the Japanese text is empty" in caught.value.problems


def test_missing_japanese_is_refused_by_the_schema() -> None:
    document = _sample()
    del document["form"]["pages"][0]["title"]["ja"]
    assert japanese_problems(document) == []  # not a text any more: the schema's case
    with pytest.raises(DefinitionError, match="form/pages/0/title: 'ja' is a required property"):
        check_document(document)
