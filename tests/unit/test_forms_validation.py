"""Tests for page cleaning, revalidation of stored answers and the summary."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from forms.definition import build_form
from forms.model import FormDefinition, Problem, localise
from forms.validation import (
    PageResult,
    clean_page,
    display_answer,
    first_incomplete_page,
    revalidate,
    summary,
)

#: A frozen copy of a sample, so that the demo can grow without changing these tests.
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture
def form() -> FormDefinition:
    """The residence certificate demo form: requester page, then request page."""
    document = json.loads((FIXTURES / "residence_certificate.json").read_text("utf-8"))
    return build_form(document["form"])


VALID: dict[str, Any] = {
    "name": "山田 太郎",
    "birth_date": "1989-01-08",
    "email": "taro@example.jp",
    "scope": "household",
    "copies": 2,
    "purpose": "運転免許の更新",
}


# clean_page ----------------------------------------------------------------------------


def test_clean_page_normalises_every_field(form: FormDefinition) -> None:
    result = clean_page(
        form.page("requester"),
        {
            "name": ["  ﾔﾏﾀﾞ\u3000\u3000ﾀﾛｳ "],
            "birth_date": ["平成元年１月８日"],
            "email": ["ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐ"],
        },
    )
    assert result.ok
    assert result.problems == ()
    assert result.values == {
        "name": "ヤマダ タロウ",
        "birth_date": "1989-01-08",
        "email": "taro@example.jp",
    }


def test_clean_page_returns_values_and_every_problem(form: FormDefinition) -> None:
    result = clean_page(
        form.page("request"),
        {"scope": ["everyone"], "copies": ["１，２３４"], "purpose": ["x" * 201]},
    )
    assert not result.ok
    assert result.values == {"scope": None, "copies": 1234, "purpose": "x" * 201}
    assert result.problems == (
        Problem("scope", "invalid_choice"),
        Problem("copies", "too_large", {"max": 10}),
        Problem("purpose", "too_long", {"max": 200}),
    )


def test_clean_page_treats_missing_keys_as_empty(form: FormDefinition) -> None:
    result = clean_page(form.page("requester"), {})
    assert result.values == {"name": None, "birth_date": None, "email": None}
    assert result.problems == (
        Problem("name", "required"),
        Problem("birth_date", "required"),
        Problem("email", "required"),
    )


def test_clean_page_ignores_input_for_other_pages(form: FormDefinition) -> None:
    result = clean_page(
        form.page("request"),
        {"scope": ["self"], "copies": ["1"], "purpose": ["就職"], "name": ["侵入"]},
    )
    assert result.ok
    assert set(result.values) == {"scope", "copies", "purpose"}


def test_clean_page_uses_the_first_of_several_values(form: FormDefinition) -> None:
    result = clean_page(
        form.page("request"), {"scope": ["self", "household"], "copies": ["3"], "purpose": ["a"]}
    )
    assert result.values["scope"] == "self"


def test_clean_page_refuses_a_future_birth_date(form: FormDefinition) -> None:
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    result = clean_page(
        form.page("requester"),
        {"name": ["山田"], "birth_date": [tomorrow], "email": ["a@example.jp"]},
    )
    assert result.problems == (Problem("birth_date", "date_not_past"),)


def test_page_result_ok() -> None:
    assert PageResult({}, ()).ok
    assert not PageResult({}, (Problem("f", "required"),)).ok


# revalidate and first_incomplete_page --------------------------------------------------


def test_valid_answers_revalidate_cleanly(form: FormDefinition) -> None:
    assert revalidate(form, VALID) == []
    assert first_incomplete_page(form, VALID) is None


def test_revalidate_finds_a_missing_required_answer(form: FormDefinition) -> None:
    answers = {key: value for key, value in VALID.items() if key != "purpose"}
    assert revalidate(form, answers) == [Problem("purpose", "required")]
    page = first_incomplete_page(form, answers)
    assert page is not None
    assert page.id == "request"


def test_revalidate_finds_tampered_values(form: FormDefinition) -> None:
    answers = {**VALID, "scope": "everyone", "copies": 99}
    assert revalidate(form, answers) == [
        Problem("scope", "invalid_choice"),
        Problem("copies", "too_large", {"max": 10}),
    ]


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"copies": 0}, Problem("copies", "too_small", {"min": 1})),
        ({"copies": "many"}, Problem("copies", "not_a_number")),
        ({"copies": 1.5}, Problem("copies", "not_integer")),
        ({"birth_date": "2024-02-30"}, Problem("birth_date", "invalid_date")),
        ({"email": "not an address"}, Problem("email", "invalid_email")),
        ({"name": "x" * 101}, Problem("name", "too_long", {"max": 100})),
        ({"name": None}, Problem("name", "required")),
        ({"name": ""}, Problem("name", "required")),
    ],
)
def test_revalidate_each_kind_of_tampering(
    form: FormDefinition, changes: dict[str, Any], expected: Problem
) -> None:
    assert revalidate(form, {**VALID, **changes}) == [expected]


def test_revalidate_refuses_a_birth_date_now_in_the_future(form: FormDefinition) -> None:
    later = (date.today() + timedelta(days=30)).isoformat()
    assert revalidate(form, {**VALID, "birth_date": later}) == [
        Problem("birth_date", "date_not_past")
    ]


def test_first_incomplete_page_returns_the_earliest_failing_page(form: FormDefinition) -> None:
    both = {**VALID, "email": "broken", "copies": 99}
    page = first_incomplete_page(form, both)
    assert page is not None
    assert page.id == "requester"
    later_only = {**VALID, "copies": 99}
    page = first_incomplete_page(form, later_only)
    assert page is not None
    assert page.id == "request"
    assert first_incomplete_page(form, {}) == form.pages[0]


def test_cleaned_values_revalidate_cleanly(form: FormDefinition) -> None:
    raw = {
        "name": ["ﾔﾏﾀﾞ"],
        "birth_date": ["R1.5.1"],
        "email": ["ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐ"],
        "scope": ["self"],
        "copies": ["１０"],
        "purpose": ["　就職　"],
    }
    answers: dict[str, Any] = {}
    for page in form.pages:
        result = clean_page(page, raw)
        assert result.ok
        answers.update(result.values)
    assert revalidate(form, answers) == []
    assert revalidate(form, json.loads(json.dumps(answers))) == []


# summary and localise ------------------------------------------------------------------


def test_summary_in_japanese(form: FormDefinition) -> None:
    assert summary(form, VALID, "ja") == [
        {
            "id": "requester",
            "title": "請求する方",
            "rows": [
                {"id": "name", "type": "text", "label": "氏名", "value": "山田 太郎"},
                {
                    "id": "birth_date",
                    "type": "date",
                    "label": "生年月日",
                    "value": "平成元年1月8日（1989年1月8日）",
                },
                {
                    "id": "email",
                    "type": "email",
                    "label": "連絡先メールアドレス",
                    "value": "taro@example.jp",
                },
            ],
        },
        {
            "id": "request",
            "title": "請求の内容",
            "rows": [
                {"id": "scope", "type": "choice", "label": "記載する範囲", "value": "世帯全員"},
                {"id": "copies", "type": "number", "label": "通数", "value": "2"},
                {"id": "purpose", "type": "text", "label": "使いみち", "value": "運転免許の更新"},
            ],
        },
    ]


def test_summary_in_english(form: FormDefinition) -> None:
    pages = summary(form, VALID, "en")
    assert [page["title"] for page in pages] == ["About you", "What you need"]
    rows = {row["id"]: row for page in pages for row in page["rows"]}
    assert rows["birth_date"] == {
        "id": "birth_date",
        "type": "date",
        "label": "Date of birth",
        "value": "1989-01-08",
    }
    assert rows["scope"]["value"] == "Everyone in my household"
    assert rows["copies"]["label"] == "Number of copies"


def test_summary_falls_back_to_japanese_for_a_missing_locale(form: FormDefinition) -> None:
    pages = summary(form, VALID, "ko")
    assert pages[0]["title"] == "請求する方"
    assert pages[1]["rows"][0] == {
        "id": "scope",
        "type": "choice",
        "label": "記載する範囲",
        "value": "世帯全員",
    }
    # A locale other than Japanese shows dates as ISO.
    assert pages[0]["rows"][1]["value"] == "1989-01-08"


def test_summary_shows_missing_answers_as_empty(form: FormDefinition) -> None:
    pages = summary(form, {}, "ja")
    assert all(row["value"] == "" for page in pages for row in page["rows"])
    assert [row["id"] for row in pages[0]["rows"]] == ["name", "birth_date", "email"]


def test_summary_falls_back_per_text() -> None:
    form = build_form(
        {
            "pages": [
                {
                    "id": "only",
                    "title": {"ja": "唯一", "en": "Only"},
                    "fields": [
                        {
                            "id": "pick",
                            "type": "choice",
                            "label": {"ja": "選択"},
                            "options": [
                                {"value": "x", "label": {"ja": "エックス", "en": "Ex"}},
                                {"value": "y", "label": {"ja": "ワイ"}},
                            ],
                        }
                    ],
                }
            ]
        }
    )
    assert summary(form, {"pick": "y"}, "en") == [
        {
            "id": "only",
            "title": "Only",
            "rows": [{"id": "pick", "type": "choice", "label": "選択", "value": "ワイ"}],
        }
    ]
    assert summary(form, {"pick": "x"}, "en")[0]["rows"][0]["value"] == "Ex"


def test_display_answer(form: FormDefinition) -> None:
    assert display_answer(form.field("birth_date"), "2019-05-01", "ja") == (
        "令和元年5月1日（2019年5月1日）"
    )
    assert display_answer(form.field("birth_date"), "2019-05-01", "en") == "2019-05-01"
    assert display_answer(form.field("scope"), "self", "en") == "Only me"
    assert display_answer(form.field("copies"), None, "ja") == ""


@pytest.mark.parametrize(
    ("text", "locale", "expected"),
    [
        ({"ja": "日本語", "en": "English"}, "en", "English"),
        ({"ja": "日本語", "en": "English"}, "ja", "日本語"),
        ({"ja": "日本語", "en": "English"}, "fr", "日本語"),
        ({"ja": "日本語", "en": ""}, "en", "日本語"),  # an empty translation falls back
        ({"en": "English only"}, "fr", "English only"),
        ({}, "en", ""),
        (None, "en", ""),
    ],
)
def test_localise(text: dict[str, str] | None, locale: str, expected: str) -> None:
    assert localise(text, locale) == expected
