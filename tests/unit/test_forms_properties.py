"""Property-based tests: random definitions and answers never break the form engine."""

from __future__ import annotations

import inspect
import json
from collections.abc import Callable
from datetime import date
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import forms.normalise
from forms.conditions import visible_field_ids, visible_pages
from forms.definition import build_form, checksum
from forms.documents import dump_document, import_document
from forms.fees import MAX_LENGTH, evaluate_fee, parse_formula
from forms.model import DefinitionError, Problem
from forms.validation import (
    clean_page,
    drop_hidden,
    first_incomplete_page,
    revalidate,
    summary,
)

# Modest: the whole unit suite should stay fast; no deadline because the first examples
# pay for imports and schema compilation.
PROPERTY = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])

TYPES = ("text", "number", "choice", "date", "group", "file")
OPTIONS = ("a", "b", "c")

Known = list[tuple[str, str]]  # (field id, field type) of the fields defined so far


# Strategies ----------------------------------------------------------------------------


# Conditions and formulas are drawn as shapes from fixed strategies and then fitted to
# the fields defined so far: building new strategies for every field is slow.
NUMBERS: tuple[int | float, ...] = (0, 1, -3, 18, 65, 1000, 0.5, -1.25, 99.99)
TEXTS = ("", "a", "b", "あい", "１2", " 　", "-", "x" * 9)
OPERATORS = {
    "choice": ("equals", "not_equals", "one_of", "empty", "not_empty"),
    "number": ("equals", "not_equals", "greater", "less", "one_of", "empty", "not_empty"),
    "text": ("equals", "not_equals", "one_of", "empty", "not_empty"),
    "date": ("equals", "not_equals", "one_of", "empty", "not_empty"),
    "group": ("empty", "not_empty"),
    "file": ("empty", "not_empty"),
}

texts = st.text(alphabet="abcあい 　１2-", max_size=6)

#: A comparison is (field pick, operator pick, value picks); a group is (all|any, parts).
condition_shapes = st.recursive(
    st.tuples(
        st.integers(0, 999),
        st.integers(0, 99),
        st.lists(st.integers(0, 99), min_size=1, max_size=3),
    ),
    lambda inner: st.tuples(
        st.sampled_from(["all", "any"]), st.lists(inner, min_size=1, max_size=3)
    ),
    max_leaves=4,
)


def fit_condition(shape: Any, known: Known) -> dict[str, Any]:
    """Turn a condition shape into JSON on known fields, with sensible values."""
    if len(shape) == 2:
        key, parts = shape
        return {key: [fit_condition(part, known) for part in parts]}
    field_pick, op_pick, value_picks = shape
    field_id, field_type = known[field_pick % len(known)]
    operators = OPERATORS[field_type]
    op = operators[op_pick % len(operators)]
    pool: tuple[Any, ...] = {"choice": OPTIONS, "number": NUMBERS}.get(field_type, TEXTS)
    values = [pool[pick % len(pool)] for pick in value_picks]
    condition: dict[str, Any] = {"field": field_id, "op": op}
    if op == "one_of":
        condition["value"] = values
    elif op not in ("empty", "not_empty"):
        condition["value"] = values[0]
    return condition


#: A formula is a leaf pick, or (operator pick, child shapes).
formula_shapes = st.recursive(
    st.integers(0, 999),
    lambda inner: st.tuples(st.integers(0, 7), st.lists(inner, min_size=3, max_size=3)),
    max_leaves=6,
)


def fit_formula(shape: Any, known: Known) -> str:
    """Turn a formula shape into formula text over the known numbers and choices."""
    if isinstance(shape, int):
        leaves = ["0", "1", "300", "0.5", "1.08"]
        leaves += [f for f, t in known if t == "number"]
        leaves += [f"choice({f}, {{'a': 300, \"b\": 450}}, 10)" for f, t in known if t == "choice"]
        return leaves[shape % len(leaves)]
    pick, (a, b, c) = shape[0], [fit_formula(part, known) for part in shape[1]]
    return [
        f"{a} + {b}",
        f"{a} - {b} * {c}",
        f"({a}) / ({b})",
        f"-({a})",
        f"min({a}, {b}, {c})",
        f"max({a}, {b})",
        f"round({a}) + ceil({b}) - floor({c})",
        f"if({a} >= {b}, {c}, 1)",
    ][pick]


@st.composite
def fields(draw: st.DrawFn, field_id: str, known: Known) -> dict[str, Any]:
    """One field of a random type, maybe conditional on earlier fields."""
    field_type = draw(st.sampled_from(TYPES))
    data: dict[str, Any] = {
        "id": field_id,
        "type": field_type,
        "label": {"ja": f"質問 {field_id}", "en": f"Question {field_id}"},
    }
    if draw(st.booleans()):
        data["required"] = True
    if field_type == "choice":
        data["options"] = [{"value": v, "label": {"ja": v.upper()}} for v in OPTIONS]
    if field_type == "number" and draw(st.booleans()):
        data.update(min=-5, max=draw(st.integers(-5, 50)))
    if field_type == "number" and draw(st.booleans()):
        data["decimal"] = True
    if field_type == "text" and draw(st.booleans()):
        data["max_length"] = draw(st.integers(1, 8))
    if field_type == "group":
        data["fields"] = [
            {"id": "a", "type": "text", "required": draw(st.booleans()), "label": {"ja": "甲"}},
            {"id": "b", "type": "number", "label": {"ja": "乙"}},
        ]
        data["max_items"] = draw(st.integers(1, 3))
    if field_type == "file":
        data["max_files"] = draw(st.integers(1, 3))
    if known and draw(st.booleans()):
        data["show_if"] = fit_condition(draw(condition_shapes), known)
    if known and draw(st.booleans()):
        data["required_if"] = fit_condition(draw(condition_shapes), known)
    return data


@st.composite
def documents(draw: st.DrawFn) -> dict[str, Any]:
    """A valid procedure document: conditions only look at earlier fields."""
    known: Known = []
    pages = []
    for p in range(draw(st.integers(1, 4))):
        before_page = list(known)
        page_fields = []
        for i in range(draw(st.integers(1, 4))):
            field = draw(fields(f"f{p}_{i}", known))
            page_fields.append(field)
            known.append((field["id"], field["type"]))
        page: dict[str, Any] = {"id": f"p{p}", "title": {"ja": f"頁{p}"}, "fields": page_fields}
        if before_page and draw(st.booleans()):
            page["show_if"] = fit_condition(draw(condition_shapes), before_page)
        pages.append(page)
    document: dict[str, Any] = {
        "schema": 1,
        "title": {"ja": "生成された手続"},
        "form": {"pages": pages},
        "route": {"stages": [{"id": "check"}]},
        "notice": {"subject": "お知らせ"},
    }
    if draw(st.booleans()):
        formula = fit_formula(draw(formula_shapes), known)
        if len(formula) <= MAX_LENGTH:
            document["fee"] = {"formula": formula, "label": {"ja": "手数料"}}
    return document


answer_values = st.one_of(
    st.none(),
    st.sampled_from(OPTIONS),
    texts,
    st.integers(-(10**6), 10**6),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.floats(),
    st.booleans(),
    st.dates().map(date.isoformat),
    st.lists(st.sampled_from(OPTIONS), max_size=3),
    st.dictionaries(st.text(max_size=2), st.integers(), max_size=2),
    st.lists(st.fixed_dictionaries({"a": texts, "b": st.integers(-5, 5)}), max_size=3),
)

raw_values = st.one_of(
    texts,
    st.sampled_from(
        ["", "a", "b", "z", "１２", "-3", "1.5", "令和6年4月1日", "2024-02-30", "x" * 9]
    ),
    st.integers(-100, 100).map(str),
    st.text(max_size=12),
)


def answers_for(document: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    """Answers to some of a document's fields (and a stray key), of any shape."""
    ids = [f["id"] for page in document["form"]["pages"] for f in page["fields"]]
    return st.dictionaries(st.sampled_from([*ids, "stray"]), answer_values)


def raw_for(document: dict[str, Any]) -> st.SearchStrategy[dict[str, list[str]]]:
    """Raw form input for some of a document's fields."""
    ids = [f["id"] for page in document["form"]["pages"] for f in page["fields"]]
    # A group's inputs are named after its items (see forms.fields.groups).
    ids += [f"{i}.{suffix}" for i in ids for suffix in ("count", "0.a", "0.b", "1.a", "2.b")]
    return st.dictionaries(st.sampled_from(ids), st.lists(raw_values, max_size=2))


# Robustness ----------------------------------------------------------------------------


@PROPERTY
@given(st.data())
def test_random_definitions_and_answers_never_break_the_engine(data: st.DataObject) -> None:
    # The schema is checked in the export test; here the engine's own rules suffice.
    document = data.draw(documents())
    form = build_form(document["form"])
    answers = data.draw(answers_for(document))
    raw = data.draw(raw_for(document))
    visible = visible_field_ids(form, answers)

    for page in form.pages:
        for result in (clean_page(page, raw, answers), clean_page(page, raw)):
            assert list(result.values) == [f.id for f in page.fields]
            assert all(isinstance(p, Problem) for p in result.problems)

    problems = revalidate(form, answers)
    assert {p.field_id for p in problems} <= visible

    for locale in ("ja", "en"):
        shown = summary(form, answers, locale)
        assert {row["id"] for p in shown for row in p["rows"]} == visible
        assert all(isinstance(row["value"], str) for p in shown for row in p["rows"])

    pages = visible_pages(form, answers)
    assert [p for p in form.pages if p in pages] == list(pages)
    # The first field can depend on nothing, so a valid form always shows its first page.
    assert pages[0] == form.pages[0]
    assert all(any(f.id in visible for f in p.fields) for p in pages)
    incomplete = first_incomplete_page(form, answers)
    assert incomplete is None or incomplete in pages

    if "fee" in document:
        formula = parse_formula(document["fee"]["formula"], [f.id for f in form.fields()])
        amount = evaluate_fee(formula, answers)
        assert isinstance(amount, int)
        assert amount >= 0


@PROPERTY
@given(st.data())
def test_dropping_hidden_answers_changes_no_visibility(data: st.DataObject) -> None:
    document = data.draw(documents())
    form = build_form(document["form"])
    answers = data.draw(answers_for(document))
    kept = drop_hidden(form, answers)
    assert visible_field_ids(form, kept) == visible_field_ids(form, answers)
    assert drop_hidden(form, kept) == kept
    assert set(kept) <= set(answers)
    assert revalidate(form, kept) == revalidate(form, answers)
    assert summary(form, kept, "ja") == summary(form, answers, "ja")


@PROPERTY
@given(st.data())
def test_a_wizard_run_that_passes_every_page_passes_revalidation(data: st.DataObject) -> None:
    document = data.draw(documents())
    form = build_form(document["form"])
    raw = data.draw(raw_for(document))
    answers: dict[str, Any] = {}
    passed = True
    for page in form.pages:
        result = clean_page(page, raw, answers)
        passed = passed and result.ok
        answers.update(result.values)
    if passed:
        assert revalidate(form, answers) == []
        assert first_incomplete_page(form, answers) is None


# Export and import ---------------------------------------------------------------------


@PROPERTY
@given(documents(), st.sampled_from(["json", "yaml"]))
def test_export_then_import_builds_the_same_form(document: dict[str, Any], fmt: str) -> None:
    imported = import_document(dump_document(document, fmt), fmt)
    assert imported == document
    assert build_form(imported["form"]) == build_form(document["form"])
    assert checksum(imported) == checksum(document)
    reordered = json.loads(json.dumps(document, sort_keys=True))
    assert checksum(reordered) == checksum(document)


# Fee formulas --------------------------------------------------------------------------


@PROPERTY
@given(formula_shapes.map(lambda s: fit_formula(s, [("n", "number"), ("c", "choice")])), st.data())
def test_random_formulas_parse_or_are_refused_and_evaluate_to_yen(
    text: str, data: st.DataObject
) -> None:
    try:
        formula = parse_formula(text, ["n", "m", "c"])
    except DefinitionError as error:
        # Random formulas may only break the limits, never the grammar.
        assert all("longer than" in p or "nested" in p for p in error.problems), error.problems
        return
    answers = data.draw(st.dictionaries(st.sampled_from(["n", "m", "c"]), answer_values))
    amount = evaluate_fee(formula, answers)
    assert isinstance(amount, int)
    assert amount >= 0
    assert evaluate_fee(formula, answers) == amount


@PROPERTY
@given(st.text(max_size=80))
def test_arbitrary_text_never_crashes_the_formula_parser(text: str) -> None:
    try:
        formula = parse_formula(text, ["copies"])
    except DefinitionError as error:
        assert error.problems
        assert all(p.startswith("fee.formula: ") for p in error.problems)
    else:
        assert evaluate_fee(formula, {"copies": 2}) >= 0


# Normalisation -------------------------------------------------------------------------


def _text_functions() -> list[Callable[[str], str]]:
    """Every public text -> text function of forms.normalise (new ones are included)."""
    found = []
    for name, function in inspect.getmembers(forms.normalise, inspect.isfunction):
        signature = inspect.signature(function)
        if (
            not name.startswith("_")
            and function.__module__ == forms.normalise.__name__
            and list(signature.parameters) == ["text"]
            and signature.return_annotation in ("str", str)
        ):
            found.append(function)
    return found


NORMALISERS = _text_functions()
# Characters the normalisers treat specially, mixed into otherwise random text.
TRICKY = "ｶﾞｷﾟﾞﾟｰ　 ー－‐−-１２ａＡ,，、＠@.\u3099\u309a\ufa11\u200bか’"
tricky_text = st.text(st.one_of(st.characters(), st.sampled_from(TRICKY)), max_size=30)


def test_the_normalisers_are_found() -> None:
    names = {f.__name__ for f in NORMALISERS}
    assert {"normalise_text", "normalise_number", "normalise_email", "to_half_width"} <= names


@PROPERTY
@given(st.sampled_from(NORMALISERS), tricky_text)
def test_normalisers_are_idempotent(normalise: Callable[[str], str], text: str) -> None:
    once = normalise(text)
    assert normalise(once) == once
