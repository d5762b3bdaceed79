"""Procedure documents as JSON and YAML text, and the translation report."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from forms.definition import check_document, checksum
from forms.documents import MAX_BYTES, dump_document, format_of, import_document, load_document
from forms.model import DefinitionError
from forms.translations import (
    is_text,
    japanese_problems,
    missing_translations,
    translation_summary,
)

DEMO = Path(__file__).resolve().parents[2] / "portal" / "demo" / "procedures"
SAMPLES = sorted(DEMO.glob("*.json"))


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.stem)
@pytest.mark.parametrize("fmt", ["json", "yaml"])
def test_every_sample_round_trips_exactly(path: Path, fmt: str) -> None:
    document = json.loads(path.read_text("utf-8"))
    text = dump_document(document, fmt)
    again = import_document(text, fmt)
    assert again == document
    assert checksum(again) == checksum(document)
    assert list(again) == list(document)  # key order is kept for people reading it


def test_yaml_is_written_for_people() -> None:
    document = json.loads((DEMO / "residence_certificate.json").read_text("utf-8"))
    text = dump_document(document, "yaml")
    assert "title:\n  ja: 住民票の写し等交付請求\n" in text  # unescaped Japanese, block style
    assert "{" not in text.split("form:")[0]


TRICKY = [
    "yes",
    "no",
    "on",
    "off",
    "Yes",
    "001",
    "1e3",
    "0x1F",
    "null",
    "~",
    "",
    " lead",
    "a: b",
    "- x",
    "#c",
    "'q'",
    '"d"',
    "line1\nline2\n",
    "𠮷野 髙子",
    "🙂",
    "1:2",
    "2026-04-01",
    "NaN",
    ".inf",
    "@x",
    "!tag",
    "&a",
    "*b",
    "%p",
    "`",
]


@pytest.mark.parametrize("fmt", ["json", "yaml"])
def test_strings_yaml_would_misread_stay_strings(fmt: str) -> None:
    data = {f"k{i}": text for i, text in enumerate(TRICKY)}
    data.update(numbers=[0, -1, 1.5, 10**20], flags=[True, False, None])
    assert load_document(dump_document(data, fmt), fmt) == data


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.text(), json_values, max_size=5), st.sampled_from(["json", "yaml"]))
def test_any_json_data_round_trips(data: dict[str, Any], fmt: str) -> None:
    assert load_document(dump_document(data, fmt), fmt) == data


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("title: [unclosed", "line 1"),
        ("- a\n- b\n", "mapping"),
        ("a: &x [1]\nb: *x\n", "anchors and aliases"),
        ("a: &x 1\n", "anchors and aliases"),
        ("a: !!python/object/apply:os.system ['echo hi']\n", "line 1"),
        ("? [1, 2]\n: x\n", "line 1"),  # a key that is not text
        ("a: .inf\n", "a: inf is not a number"),
        ("a:\n  - 1\n  - 2: x\n    3: y\n", "key 3 is not text"),
    ],
)
def test_yaml_beyond_json_is_refused_naming_the_place(text: str, message: str) -> None:
    with pytest.raises(DefinitionError, match=message):
        load_document(text, "yaml")


def test_yaml_dates_stay_text() -> None:
    assert load_document("opens: 2026-04-01\nat: 2026-04-01T09:00:00\n", "yaml") == {
        "opens": "2026-04-01",
        "at": "2026-04-01T09:00:00",
    }


def test_billion_laughs_is_refused_before_it_expands() -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}]" for i in range(8)]
    with pytest.raises(DefinitionError, match="line 1, column 4"):
        load_document("\n".join(lines), "yaml")


@pytest.mark.parametrize(
    ("text", "message"),
    [("{", "line 1, column 2"), ("[]", "mapping"), ('{"a": NaN}', "NaN"), ('{"a": 1', "line 1")],
)
def test_bad_json_is_refused_naming_the_place(text: str, message: str) -> None:
    with pytest.raises(DefinitionError, match=message):
        load_document(text, "json")


def test_oversized_and_unknown_formats_are_refused() -> None:
    with pytest.raises(DefinitionError, match="larger than"):
        load_document("a: " + "x" * MAX_BYTES, "yaml")
    with pytest.raises(DefinitionError, match="unknown format"):
        load_document("{}", "xml")
    assert [format_of(n) for n in ("a.json", "b.YAML", "c.yml")] == ["json", "yaml", "yaml"]
    with pytest.raises(DefinitionError, match="name a .json"):
        format_of("d.txt")


def test_import_runs_every_rule() -> None:
    document = json.loads((DEMO / "residence_certificate.json").read_text("utf-8"))
    document["form"]["pages"][0]["fields"][0]["type"] = "hologram"
    with pytest.raises(DefinitionError, match="hologram"):
        import_document(dump_document(document, "yaml"), "yaml")


# Translations --------------------------------------------------------------------------


def _small() -> dict[str, Any]:
    document = json.loads((DEMO / "residence_certificate.json").read_text("utf-8"))
    return document


def test_texts_are_locale_mappings() -> None:
    assert is_text({"ja": "氏名", "en": "Name", "zh-Hans": "姓名"})
    assert not is_text({"value": "self", "label": {"ja": "本人"}})
    assert not is_text({})
    assert not is_text({"id": "check"})  # looks like Indonesian, but has no Japanese
    assert not is_text({"ja": 1})


def test_every_sample_is_complete_in_japanese_and_english() -> None:
    for path in SAMPLES:
        document = json.loads(path.read_text("utf-8"))
        assert missing_translations(document, ["ja", "en"]) == {"ja": [], "en": []}, path


def test_missing_translations_are_reported_by_place() -> None:
    document = _small()
    document["form"]["pages"][1]["fields"][0]["options"][1]["label"].pop("en")
    document["form"]["pages"][0]["fields"][2]["label"]["en"] = "  "
    missing = missing_translations(document, ["ja", "en", "ko"])
    assert missing["ja"] == []
    assert missing["en"] == [
        "form.pages[0].fields[2].label",
        "form.pages[1].fields[0].options[1].label",
    ]
    summary = translation_summary(document, ["en", "ko"])
    missing_ko, total = summary["ko"]
    assert missing_ko == total > 10  # nothing is in Korean
    assert summary["en"] == (2, total)
    assert "title" in missing["ko"] and "fee.label" in missing["ko"]


def test_blank_japanese_is_refused() -> None:
    document = _small()
    document["form"]["pages"][0]["fields"][0]["label"]["ja"] = "　"
    assert japanese_problems(document) == [
        "form.pages[0].fields[0].label: the Japanese text is empty"
    ]
    with pytest.raises(DefinitionError, match="the Japanese text is empty"):
        check_document(document)
