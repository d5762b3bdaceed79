"""Procedure documents as JSON and YAML text, and the translation report."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from forms.definition import checksum
from forms.documents import (
    MAX_BYTES,
    MAX_DEPTH,
    dump_document,
    format_of,
    import_document,
    load_document,
)
from forms.model import DefinitionError

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


def test_yaml_keeps_each_text_on_its_lines() -> None:
    english = "A permit for people who find walking difficult, " * 4
    document = {
        "description": {"ja": "歩行が困難な方" * 30, "en": english},
        "notice": {"approved_body": "下記のとおり決定しました。\n\n1　交付日\n"},
    }
    text = dump_document(document, "yaml")
    assert f"  ja: {'歩行が困難な方' * 30}\n" in text  # not folded, not escaped
    assert f"  en: '{english}'\n" in text  # quoted for its trailing space, on one line
    assert "  approved_body: |\n    下記のとおり決定しました。\n\n    1　交付日\n" in text
    assert load_document(text, "yaml") == document


def test_a_text_used_twice_is_written_twice_not_aliased() -> None:
    shared = {"ja": "氏名", "en": "Name"}
    document = {"a": shared, "b": [shared, shared]}
    text = dump_document(document, "yaml")
    assert "&" not in text and "*" not in text
    assert load_document(text, "yaml") == document


@pytest.mark.parametrize("fmt", ["json", "yaml"])
def test_what_could_not_be_read_back_is_not_written(fmt: str) -> None:
    for data, message in [
        ({"a": float("nan")}, "a: nan is not a number"),
        ({"a": [(1, 2)]}, r"a\[0\]: a tuple value"),
        ({"a": {1: "x"}}, "a: key 1 is not text"),
        ({"a": "\ud800"}, "not valid Unicode"),
    ]:
        with pytest.raises(DefinitionError, match=message):
            dump_document(data, fmt)


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
    "line1\nline2",
    "  indented\nblock\n\n",
    "trailing \nspace",
    "\n",
    "a\r\nb",
    "tab\there",
    "nel\x85line\u2028sep\u2029para",
    "\ufeffbom",
    "全角　スペース　",
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


#: Any text, and text made mostly of what YAML treats specially (breaks, quotes, colons).
any_text = st.text() | st.text(alphabet=" \n\t\r\x85\u2028\ufeff\u3000aあ𠮷🙂:#-|>'\"!&*")
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | any_text,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(any_text, inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(any_text, json_values, max_size=5), st.sampled_from(["json", "yaml"]))
def test_any_json_data_round_trips(data: dict[str, Any], fmt: str) -> None:
    again = load_document(dump_document(data, fmt), fmt)
    assert again == data
    assert checksum(again) == checksum(data)


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
        ("a:\n  - 1\n  - 2: x\n    3: y\n", "line 3, column 5: key 2 is not text"),
        ("yes: 1\n", "line 1, column 1: key True is not text"),
        ("title: a\nnotice: b\ntitle: c\n", "line 3, column 1: key 'title' is written twice"),
        ("a:\n  <<: {b: 1}\n  c: 2\n", "line 2, column 3: merge keys"),
        ("a: !!binary aGVsbG8=\n", "a: a bytes value is not allowed"),
        ("a: !!set {x, y}\n", "a: a set value is not allowed"),
        ("a: [!!timestamp 2026-04-01]\n", r"a\[0\]: a date value is not allowed"),
        ("a: !custom 1\n", "line 1, column 4: could not determine a constructor"),
        ("a: 1\n---\nb: 2\n", "line 2, column 1: but found another document"),
        ('a: 1\nb: "x\x07"\n', "line 2, column 6: the character U\\+0007 is not allowed"),
        ("a: " + "9" * 5000, "cannot be read"),
        ("", "mapping"),
    ],
)
def test_yaml_beyond_json_is_refused_naming_the_place(text: str, message: str) -> None:
    with pytest.raises(DefinitionError, match=message):
        load_document(text, "yaml")


def test_python_tags_never_build_objects(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    attacks = [
        f"a: !!python/object/apply:os.system ['touch {marker}']\n",
        f"a: !!python/object/new:pathlib.Path ['{marker}']\n",
        "a: !!python/name:os.system\n",
        "a: !!python/module:os\n",
    ]
    for text in attacks:
        with pytest.raises(DefinitionError, match="could not determine a constructor"):
            load_document(text, "yaml")
    assert not marker.exists()


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
    [
        ("{", "line 1, column 2"),
        ("[]", "mapping"),
        ('"title"', "mapping"),
        ('{"a": NaN}', "NaN"),
        ('{"a": -Infinity}', "Infinity"),
        ('{"a": 1', "line 1"),
        ('{\n  "a": 1,\n  "a": 2\n}', "key 'a' is written twice"),
        ('{"a": {"b": "\\ud800"}}', "a.b: the text is not valid Unicode"),
        ('{"a": ' + "9" * 5000 + "}", "cannot be read"),
    ],
)
def test_bad_json_is_refused_naming_the_place(text: str, message: str) -> None:
    with pytest.raises(DefinitionError, match=message):
        load_document(text, "json")


@pytest.mark.parametrize("fmt", ["json", "yaml"])
def test_deep_nesting_is_refused_without_overflowing(fmt: str) -> None:
    for depth in (MAX_DEPTH + 5, 100_000):
        text = '{"a": ' + "[" * depth + "]" * depth + "}"
        with pytest.raises(DefinitionError, match="nested"):
            load_document(text, fmt)


@pytest.mark.parametrize("fmt", ["json", "yaml"])
def test_a_byte_order_mark_is_not_content(fmt: str) -> None:
    assert load_document("\ufeff" + dump_document({"a": "あ"}, fmt), fmt) == {"a": "あ"}


def test_oversized_and_unknown_formats_are_refused() -> None:
    with pytest.raises(DefinitionError, match="larger than"):
        load_document("a: " + "x" * MAX_BYTES, "yaml")
    # Counted in bytes: a third of the limit in kanji is already over it.
    with pytest.raises(DefinitionError, match="larger than"):
        load_document('{"a": "' + "髙" * (MAX_BYTES // 3 + 1) + '"}', "json")
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
