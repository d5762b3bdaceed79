"""The builder's refusals (forms.editing messages) translated with Flask-Babel."""

from __future__ import annotations

import re
import string
from typing import Any

import pytest
from babel.messages.extract import extract_from_file
from flask import Flask
from flask_babel import force_locale

from forms.editing import TEMPLATES, EditError, Message, delete_field
from portal.builder import edit_messages
from portal.builder.edit_messages import TRANSLATABLE, translate, translated

GETTEXT_PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def _format_names(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


def _gettext_form(template: str) -> str:
    return re.sub(r"\{(\w+)\}", r"%(\1)s", template)


def _pets() -> dict[str, Any]:
    """Two pages: whether there is a pet, then the pet's name, shown only if there is one."""
    has_pet = {"id": "q6", "type": "yesno", "label": {"ja": "ペットを飼っていますか"}}
    name = {
        "id": "q7",
        "type": "text",
        "label": {"ja": "ペットの名前"},
        "show_if": {"field": "q6", "op": "equals", "value": True},
    }
    return {
        "schema": 1,
        "title": {"ja": "ペットの登録"},
        "form": {
            "pages": [
                {"id": "p1", "title": {"ja": "申請者"}, "fields": [has_pet]},
                {"id": "p2", "title": {"ja": "ペット"}, "fields": [name]},
            ]
        },
    }


def _refusal() -> EditError:
    with pytest.raises(EditError) as error:
        delete_field(_pets(), "q6")
    return error.value


REFUSAL = (
    "question 「ペットを飼っていますか」 cannot be deleted: it is used by the condition of "
    "question 「ペットの名前」 on page 「ペット」"
)


def test_every_template_has_a_translatable_sentence() -> None:
    assert sorted(TRANSLATABLE) == sorted(TEMPLATES)


@pytest.mark.parametrize("locale", ["en", "ja"])
def test_translations_keep_the_placeholders_of_their_template(app: Flask, locale: str) -> None:
    with app.test_request_context(), force_locale(locale):
        broken = [
            template
            for template, sentence in TRANSLATABLE.items()
            if set(GETTEXT_PLACEHOLDER.findall(str(sentence))) != _format_names(template)
        ]
    assert broken == []


def test_each_sentence_is_a_literal_that_babel_extracts() -> None:
    path = edit_messages.__file__
    keywords = {"_l": None, "lazy_gettext": None}
    extracted = {str(found[1]) for found in extract_from_file("python", path, keywords=keywords)}

    assert extracted == {_gettext_form(template) for template in TEMPLATES}


def test_a_refusal_in_english_names_questions_and_pages_by_their_labels(app: Flask) -> None:
    error = _refusal()

    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert translate(error.messages[0]) == REFUSAL
        assert translated(error) == [REFUSAL]
    assert error.problems == [REFUSAL]


def test_nested_messages_are_translated_before_the_sentence_holding_them(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(TRANSLATABLE, "question 「{label}」", "質問「%(label)s」")
    monkeypatch.setitem(
        TRANSLATABLE, "{question} cannot be deleted", "%(question)sは削除できません"
    )

    with app.test_request_context(headers={"Accept-Language": "en"}):
        (text,) = translated(_refusal())

    assert text.startswith("質問「ペットを飼っていますか」は削除できません: it is used by ")
    assert text.endswith("the condition of 質問「ペットの名前」 on page 「ペット」")


def test_unknown_templates_and_broken_translations_fall_back_to_english(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    unknown = Message("{page} is new here", {"page": Message("page 「{title}」", {"title": "犬"})})
    monkeypatch.setitem(TRANSLATABLE, "the fee formula", "%(formula)s")

    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert translate(unknown) == "page 「犬」 is new here"
        assert translate(Message("the fee formula")) == "the fee formula"
        assert translated(EditError(["既に翻訳済み"])) == ["既に翻訳済み"]
