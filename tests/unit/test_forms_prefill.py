"""Questions prefilled from the resident's saved details."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from forms.definition import build_form
from forms.model import DefinitionError
from forms.prefill import PROFILE_PAGE, prefilled
from forms.validation import clean_page, page_form_values

PAGE: dict[str, Any] = {
    "id": "p",
    "title": {"ja": "申請者"},
    "fields": [
        {"id": "who", "type": "name", "prefill": "name", "label": {"ja": "氏名"}},
        {"id": "tel", "type": "phone", "prefill": "phone", "label": {"ja": "電話"}},
        {"id": "note", "type": "text", "label": {"ja": "備考"}},
    ],
}
PROFILE = {"name": {"mode": "japanese", "family": "山田", "given": "花子"}, "phone": "03-1234-5678"}


def test_unanswered_questions_take_the_profile_value() -> None:
    page = build_form({"pages": [PAGE]}).pages[0]
    assert prefilled(page, {}, PROFILE) == {"who": PROFILE["name"], "tel": "03-1234-5678"}
    # An answer the resident gave is never replaced.
    assert prefilled(page, {"tel": "090-0000-0000"}, PROFILE) == {"who": PROFILE["name"]}
    assert prefilled(page, {}, {}) == {}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"prefill": "birth_date"}, "prefill 'birth_date' gives a 'date', not a 'name'"),
        ({"prefill": "my_number"}, "my_number"),
    ],
)
def test_a_prefill_must_match_the_question(change: dict[str, str], message: str) -> None:
    page = copy.deepcopy(PAGE)
    page["fields"][0].update(change)
    with pytest.raises(DefinitionError, match=message):
        build_form({"pages": [page]})


def test_the_profile_page_cleans_like_any_page() -> None:
    raw = {
        "name.mode": ["japanese"],
        "name.family": ["髙橋"],
        "name.given": ["𠮷子"],
        "name.family_kana": ["たかはし"],
        "name.given_kana": ["ﾖｼｺ"],
        "birth_date": ["平成2年4月1日"],
        "phone": ["０９０１２３４５６７８"],
    }
    result = clean_page(PROFILE_PAGE, raw, {})
    assert result.ok
    assert result.values["name"]["family_kana"] == "タカハシ"
    assert result.values["birth_date"] == "1990-04-01"
    assert result.values["phone"] == "090-1234-5678"
    assert result.values["address"] is None
    again = page_form_values(PROFILE_PAGE, result.values)
    assert again["name.given"] == "𠮷子"
