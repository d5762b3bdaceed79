"""Tests for the WTForms adapter: a definition page read, shown and validated by the engine."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

import forms.wtforms_adapter as adapter
from forms.definition import build_form
from forms.fields import OTHER
from forms.model import Page, Problem
from forms.validation import clean_page, page_form_values, page_inputs
from forms.wtforms_adapter import PageForm, page_form, page_form_class

#: What the portal's problem_message does, for two codes, without Babel.
MESSAGES = {
    "required": "{label}を入力してください",
    "invalid_email": "{label}の形式が正しくありません",
}


def message(problem: Problem, label: str) -> str:
    """Translate like the portal: the code's sentence about the label."""
    return MESSAGES.get(problem.code, "{label}: " + problem.code).format(label=label)


def options(*values: str) -> list[dict[str, Any]]:
    """Options whose labels are their values."""
    return [{"value": value, "label": {"ja": value}} for value in values]


def make_page(*fields: dict[str, Any], earlier: tuple[dict[str, Any], ...] = ()) -> Page:
    """Build the last page of a form through the definition builder, as the portal does."""
    pages = [{"id": "before", "title": {"ja": "前"}, "fields": list(earlier)}] if earlier else []
    pages.append({"id": "page", "title": {"ja": "ページ"}, "fields": list(fields)})
    return build_form({"pages": pages}).pages[-1]


def submit(page: Page, *pairs: tuple[str, str], **kwargs: Any) -> PageForm:
    """A form of the page bound to submitted input, as request.form would give it."""
    return page_form_class(page)(formdata=MultiDict(list(pairs)), **kwargs)


EMAIL = {"id": "email", "type": "email", "required": True, "label": {"ja": "メールアドレス"}}
NAME = {"id": "name", "type": "name", "required": True, "label": {"ja": "氏名", "en": "Name"}}
TAGS = {
    "id": "tags",
    "type": "multichoice",
    "label": {"ja": "分類"},
    "options": options("x", "y", "z"),
    "other": True,
}
KIND = {
    "id": "kind",
    "type": "choice",
    "required": True,
    "label": {"ja": "種別", "en": "Kind"},
    "options": options("a", "b"),
    "other": True,
}


# Text and messages ---------------------------------------------------------------------


def test_a_missing_required_text_is_an_error_on_its_field() -> None:
    form = submit(make_page(EMAIL), ("email", ""))
    assert not form.validate(answers={}, message=message)
    assert form["email"].errors == ["メールアドレスを入力してください"]
    assert form.errors == {"email": ["メールアドレスを入力してください"]}
    assert form.problems == (Problem("email", "required"),)


def test_an_invalid_email_is_translated_and_kept_as_typed() -> None:
    form = submit(make_page(EMAIL), ("email", "taro＠example"))
    assert not form.validate(answers={}, message=message)
    assert form["email"].errors == ["メールアドレスの形式が正しくありません"]
    assert form["email"].values == {"email": "taro＠example"}
    assert form.values == {"email": "taro＠example"}


def test_valid_input_gives_the_engines_cleaned_values() -> None:
    form = submit(make_page(EMAIL), ("email", "ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐ"))
    assert form.validate(answers={}, message=message)
    assert form.cleaned == {"email": "taro@example.jp"}
    assert form.problems == ()
    assert form.errors == {}


def test_message_gets_the_problem_and_the_label_in_the_locale() -> None:
    calls: list[tuple[Problem, str]] = []

    def record(problem: Problem, label: str) -> str:
        calls.append((problem, label))
        return "!"

    page = make_page(NAME)
    submit(page).validate(answers={}, message=record, locale="ja")
    submit(page).validate(answers={}, message=record, locale="en")
    assert calls == [(Problem("name", "required"), "氏名"), (Problem("name", "required"), "Name")]


def test_labels_and_hints_follow_the_locale() -> None:
    page = make_page({**EMAIL, "label": {"ja": "メール", "en": "E-mail"}, "hint": {"ja": "例"}})
    form = submit(page, locale="en")
    assert (form.locale, form["email"].label.text, form["email"].description) == (
        "en",
        "E-mail",
        "例",
    )
    form.validate(answers={}, locale="ja")
    assert (form.locale, form["email"].label.text) == ("ja", "メール")
    assert 'for="email">メール</label>' in str(form["email"].label())


def test_without_a_message_callable_errors_are_the_codes() -> None:
    form = submit(make_page(EMAIL), ("email", "x"))
    form.validate(answers={})
    assert form["email"].errors == ["invalid_email"]


def test_extra_validators_run_after_the_engine() -> None:
    def shout(form: Any, field: Any) -> None:
        from wtforms.validators import ValidationError

        raise ValidationError("extra")

    form = submit(make_page(EMAIL), ("email", ""))
    assert not form.validate({"email": [shout]}, answers={}, message=message)
    assert form["email"].errors == ["メールアドレスを入力してください", "extra"]


def test_cleaned_is_only_there_after_validation() -> None:
    form = submit(make_page(EMAIL), ("email", "a@example.jp"))
    with pytest.raises(RuntimeError, match="validate"):
        _ = form.cleaned
    assert form.problems == ()


# Compound fields, checkboxes, other ----------------------------------------------------


def test_a_compound_name_reads_all_its_inputs() -> None:
    form = submit(
        make_page(NAME),
        ("name.family", "山田"),
        ("name.given", "花子"),
        ("name.family_kana", "やまだ"),
        ("name.given_kana", "ﾊﾅｺ"),
    )
    assert form.validate(answers={}, message=message)
    assert form.cleaned == {
        "name": {"family": "山田", "given": "花子", "family_kana": "ヤマダ", "given_kana": "ハナコ"}
    }
    assert form["name"].inputs == (
        "name.family",
        "name.given",
        "name.family_kana",
        "name.given_kana",
    )


def test_an_incomplete_name_lists_every_problem_and_keeps_what_was_typed() -> None:
    form = submit(make_page(NAME), ("name.family", "山田"), ("name.family_kana", "Yamada"))
    assert not form.validate(answers={}, message=message)
    assert form.problems == (
        Problem("name", "required", {"part": "given"}),
        Problem("name", "kana_only", {"part": "family_kana"}),
        Problem("name", "required", {"part": "given_kana"}),
    )
    assert form["name"].errors == [
        "氏名を入力してください",
        "氏名: kana_only",
        "氏名を入力してください",
    ]
    assert form["name"].problems == form.problems
    assert form["name"].values == {
        "name.family": "山田",
        "name.given": "",
        "name.family_kana": "Yamada",
        "name.given_kana": "",
    }


def test_checkboxes_keep_every_value() -> None:
    form = submit(make_page(TAGS), ("tags", "z"), ("tags", "x"))
    assert form.validate(answers={})
    assert form.cleaned == {"tags": ["x", "z"]}
    assert form["tags"].values == {"tags": ["z", "x"], "tags.other": ""}


def test_one_checkbox_is_still_a_list_and_none_is_empty_not_the_stored_answer() -> None:
    page = make_page(TAGS)
    one = submit(page, ("tags", "y"))
    assert one["tags"].values["tags"] == ["y"]
    stored = page_form_values(page, {"tags": ["x", "y"]})
    # Unticking every box sends nothing at all: that is the answer, not "keep the old one".
    none = page_form_class(page)(formdata=MultiDict(), data=stored)
    assert none["tags"].values == {"tags": [], "tags.other": ""}
    assert none.validate(answers={})
    assert none.cleaned == {"tags": None}


def test_a_choice_with_other_reads_the_other_text() -> None:
    page = make_page(KIND)
    chosen = submit(page, ("kind", OTHER), ("kind.other", "　法人　"))
    assert chosen.validate(answers={})
    assert chosen.cleaned == {"kind": {"value": OTHER, "other": "法人"}}
    empty = submit(page, ("kind", OTHER))
    assert not empty.validate(answers={}, message=message)
    assert empty.problems == (Problem("kind", "other_required"),)
    assert empty["kind"].errors == ["種別: other_required"]
    assert empty["kind"].values == {"kind": OTHER, "kind.other": ""}


# Conditions ----------------------------------------------------------------------------

PRIOR = {"id": "prior", "type": "yesno", "label": {"ja": "以前"}}


def test_a_field_hidden_by_an_earlier_answer_is_none_without_errors() -> None:
    detail = {**EMAIL, "show_if": {"field": "prior", "op": "equals", "value": True}}
    page = make_page(detail, earlier=(PRIOR,))
    hidden = submit(page, ("email", "not an address"))
    assert hidden.validate(answers={"prior": False}, message=message)
    assert hidden.cleaned == {"email": None}
    assert hidden["email"].errors == []
    shown = submit(page, ("email", "not an address"))
    assert not shown.validate(answers={"prior": True}, message=message)
    assert shown["email"].errors == ["メールアドレスの形式が正しくありません"]


def test_required_if_makes_a_field_required() -> None:
    optional = {**EMAIL, "required": False}
    when = {**optional, "required_if": {"field": "prior", "op": "equals", "value": True}}
    page = make_page(when, earlier=(PRIOR,))
    assert not submit(page).validate(answers={"prior": True}, message=message)
    assert submit(page).validate(answers={"prior": False}, message=message)


def test_conditions_see_fields_above_on_the_same_page() -> None:
    email = {**EMAIL, "show_if": {"field": "kind", "op": "equals", "value": "a"}}
    page = make_page(KIND, email)
    form = submit(page, ("kind", "b"), ("email", "bad"))
    assert form.validate(answers={})
    assert form.cleaned == {"kind": "b", "email": None}


def test_without_answers_no_condition_applies_as_in_clean_page() -> None:
    detail = {**EMAIL, "show_if": {"field": "prior", "op": "equals", "value": True}}
    form = submit(make_page(detail, earlier=(PRIOR,)), ("email", ""))
    assert not form.validate()
    assert form.problems == (Problem("email", "required"),)


# Showing stored answers ----------------------------------------------------------------


def test_without_formdata_the_stored_answers_are_shown() -> None:
    page = make_page(EMAIL, NAME, TAGS)
    answers = {
        "email": "a@example.jp",
        "name": {
            "family": "山田",
            "given": "花子",
            "family_kana": "ヤマダ",
            "given_kana": "ハナコ",
        },
        "tags": {"values": ["x", OTHER], "other": "その他"},
    }
    form = page_form_class(page)(data=page_form_values(page, answers))
    assert form.values == page_form_values(page, answers)
    assert form["name"].values["name.given"] == "花子"
    assert form["tags"].values == {"tags": ["x", OTHER], "tags.other": "その他"}
    assert form["email"].raw_data is None
    # The shown values are what the engine checks when validated without formdata.
    assert form.validate(answers={})
    assert form.cleaned == answers


def test_without_formdata_or_data_the_inputs_are_empty() -> None:
    page = make_page(EMAIL, TAGS)
    assert page_form_class(page)().values == {"email": "", "tags": [], "tags.other": ""}


def test_page_form_shows_answers_or_formdata() -> None:
    page = make_page(EMAIL)
    assert page_form(page, {"email": "a@example.jp"}).values == {"email": "a@example.jp"}
    posted = page_form(page, {"email": "a@example.jp"}, MultiDict([("email", "b")]), "en")
    assert (posted.values, posted.locale) == ({"email": "b"}, "en")


def test_obj_is_refused() -> None:
    with pytest.raises(TypeError, match="page_form_values"):
        page_form_class(make_page(EMAIL))(obj=object())


# WTForms plumbing ----------------------------------------------------------------------


def test_a_prefix_is_read_from_the_input_names() -> None:
    form = page_form_class(make_page(NAME))(
        formdata=MultiDict([("p-name.family", "山田"), ("name.given", "ignored")]), prefix="p"
    )
    assert form["name"].values["name.family"] == "山田"
    assert form["name"].values["name.given"] == ""


def test_input_that_is_not_text_is_refused_by_the_engine_and_not_echoed() -> None:
    # An upload in request.files, say, when a caller combines it with request.form.
    form = page_form_class(make_page(EMAIL))(formdata=MultiDict([("email", object())]))
    assert not form.validate(answers={})
    assert form.problems == (Problem("email", "invalid_value"),)
    assert form.values == {"email": ""}


def test_field_ids_that_name_form_attributes_do_not_hide_them() -> None:
    fields = [
        {"id": key, "type": "text", "required": True, "label": {"ja": key}}
        for key in ("validate", "data", "errors", "meta", "page", "cleaned", "problems")
    ]
    page = make_page(*fields)
    form = submit(page, ("validate", "v"))
    assert not form.validate(answers={})
    assert form["validate"].values == {"validate": "v"}
    assert set(form.errors) == {"data", "errors", "meta", "page", "cleaned", "problems"}
    assert form.page is page
    assert [f.short_name for f in form.page_fields] == [f.id for f in page.fields]


def test_fields_keep_the_page_order() -> None:
    page = make_page(TAGS, EMAIL, KIND)
    assert [field.short_name for field in page_form_class(page)()] == ["tags", "email", "kind"]
    assert page_form_class(page)().field("email").definition.id == "email"


def test_the_class_is_built_once_per_page_object(monkeypatch: pytest.MonkeyPatch) -> None:
    page = make_page(EMAIL)
    assert page_form_class(page) is page_form_class(page)
    # An equal page that is another object (another procedure version) gets its own class.
    assert page_form_class(make_page(EMAIL)) is not page_form_class(page)
    monkeypatch.setattr(adapter, "CACHE_SIZE", 1)
    first = page_form_class(page)
    page_form_class(make_page(NAME))
    assert page_form_class(page) is not first


def test_importing_the_adapter_loads_no_web_framework() -> None:
    code = (
        "import sys, forms.wtforms_adapter;"
        "banned = {'flask', 'werkzeug', 'sqlalchemy', 'portal', 'babel', 'flask_wtf'};"
        "print(sorted(banned & {name.split('.')[0] for name in sys.modules}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


# Property: the adapter is clean_page ---------------------------------------------------

MIXED = make_page(
    {"id": "count", "type": "number", "label": {"ja": "数"}, "min": 0, "max": 5},
    KIND,
    {**EMAIL, "show_if": {"field": "kind", "op": "equals", "value": "a"}},
    {**NAME, "required": False, "required_if": {"field": "prior", "op": "equals", "value": True}},
    {**TAGS, "min_choices": 1, "max_choices": 2},
    {"id": "agree", "type": "yesno", "required": True, "label": {"ja": "同意"}},
    {
        "id": "note",
        "type": "text",
        "label": {"ja": "備考"},
        "show_if": {"field": "prior", "op": "not_empty"},
    },
    {"id": "home", "type": "address", "label": {"ja": "住所"}},
    earlier=(PRIOR,),
)

#: A valid answer to every input of MIXED; examples start from it or from nothing.
VALID = {
    "count": ["3"], "kind": ["a"], "kind.other": [""], "email": ["a@example.jp"],
    "name.family": ["山田"], "name.given": ["花子"], "name.family_kana": ["やまだ"],
    "name.given_kana": ["ハナコ"], "tags": ["x", "z"], "tags.other": [""], "agree": ["はい"],
    "note": ["メモ"], "home.postcode": ["１００－０００１"], "home.prefecture": ["東京都"],
    "home.city": ["千代田区"], "home.street": ["千代田１－１"], "home.building": [""],
}  # fmt: skip
#: Values that mean something to an input, valid or nearly so.
NEAR = {
    "count": ["", "９", "-1", "10", "1.5"], "kind": ["", "b", OTHER, "c"],
    "kind.other": ["", "法人"], "email": ["", "bad", "ａ＠ｂ．ｊｐ"], "name.family": ["", "Ｙ"],
    "name.family_kana": ["", "Yamada", "ﾔﾏﾀﾞ"], "tags": ["", "y", OTHER, "w"],
    "tags.other": ["", "ほか"], "agree": ["", "no", "maybe", "YES"],
    "home.postcode": ["", "12"], "home.prefecture": ["", "東京"], "home.street": [""],
}  # fmt: skip
INPUTS = page_inputs(MIXED)
assert sorted(VALID) == sorted(INPUTS)


def values_for(name: str) -> st.SearchStrategy[list[str]]:
    """Zero to three values for one input: meaningful ones, or any text."""
    one = st.one_of(st.sampled_from(VALID[name] + NEAR.get(name, [])), st.text(max_size=5))
    return st.lists(one, max_size=3)


changes = st.lists(
    st.sampled_from([*INPUTS, "stray"]).flatmap(
        lambda name: st.tuples(st.just(name), values_for(name if name in VALID else "note"))
    ),
    max_size=6,
)
answers_so_far = st.one_of(
    st.none(), st.fixed_dictionaries({}, optional={"prior": st.sampled_from([True, False])})
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(start=st.sampled_from([VALID, {}]), changed=changes, answers=answers_so_far)
def test_the_adapter_agrees_with_clean_page(
    start: dict[str, list[str]],
    changed: list[tuple[str, list[str]]],
    answers: dict[str, Any] | None,
) -> None:
    submitted = {**start, **dict(changed)}
    pairs = [(name, item) for name, items in submitted.items() for item in items]
    form = submit(MIXED, *pairs)
    ok = form.validate(answers=answers)
    # The wizard reads every input of the page with getlist, as the adapter does.
    raw = {name: MultiDict(pairs).getlist(name) for name in INPUTS}
    expected = clean_page(MIXED, raw, answers)
    assert form.cleaned == expected.values
    assert form.problems == expected.problems
    assert ok is expected.ok
    for field in MIXED.fields:
        codes = [p.code for p in expected.problems if p.field_id == field.id]
        assert form[field.id].errors == codes
    # What was typed is shown again: checkboxes as a list, other inputs as their text.
    for name, items in raw.items():
        shown = items if name == "tags" or len(items) > 1 else (items[0] if items else "")
        assert form.values[name] == shown
