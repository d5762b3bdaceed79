"""Finding procedures whatever width or kana residents type, and application periods."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from forms.definition import check_document
from forms.model import DefinitionError
from forms.periods import Period, period_of, period_problems
from portal.catalog.search import fold, search, terms

DOCS: list[dict[str, Any]] = [
    {
        "title": {"ja": "住民票の写し等交付請求", "en": "Residence certificate"},
        "keywords": {"ja": "証明書"},
    },
    {
        "title": {"ja": "おもいやり駐車場利用証交付申請"},
        "description": {"ja": "車いすをお使いの方"},
    },
    {"title": {"ja": "子育て支援金"}, "description": {"ja": "住民票のある方が対象"}},
    {"title": {"ja": "ＩｏＴ導入補助金"}, "keywords": {"ja": "ロボット"}},
]
NAMES = ["certificate", "parking", "childcare", "subsidy"]


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("住民票", ["certificate", "childcare"]),  # the title match comes first
        ("住民票　写し", ["certificate"]),  # a full-width space separates words
        ("車ｲｽ", ["parking"]),  # half-width katakana meets hiragana
        ("車イス", ["parking"]),
        ("iot", ["subsidy"]),  # full-width letters, any case
        ("IOT ろぼっと", ["subsidy"]),
        ("residence", ["certificate"]),  # every language of the procedure
        ("駐車場 補助金", []),
        ("", NAMES),
        ("   ", NAMES),
    ],
)
def test_search(query: str, found: list[str]) -> None:
    assert search(NAMES, DOCS, query) == found


def test_fold_is_idempotent_and_terms_split_on_any_space() -> None:
    assert fold("ジュウミンヒョウ") == fold("じゅうみんひょう") == fold("ｼﾞｭｳﾐﾝﾋｮｳ")
    assert fold(fold("ＡＢＣ　ア")) == fold("ＡＢＣ　ア") == "abcあ"
    assert terms(" 住民票\u3000写し ") == ["住民票", "写し"]


def test_periods() -> None:
    period = Period(date(2026, 4, 1), date(2026, 5, 31))
    assert [period.state(date(2026, m, d)) for m, d in ((3, 31), (4, 1), (5, 31), (6, 1))] == [
        "not_yet",
        "open",
        "open",
        "closed",
    ]
    assert Period(None, None).state(date(2000, 1, 1)) == "open"
    assert period_of({}) is None
    assert period_of({"application_period": {"closes": "2026-05-31"}}) == Period(
        None, date(2026, 5, 31)
    )


@pytest.mark.parametrize(
    ("period", "message"),
    [
        ({"opens": "2026-02-30"}, "not a real date"),
        ({"opens": "2026-06-01", "closes": "2026-05-31"}, "closes before it opens"),
    ],
)
def test_bad_periods_are_refused(period: dict[str, str], message: str) -> None:
    assert any(message in p for p in period_problems({"application_period": period}))
    from tests.unit.test_forms_types_common import _demo

    document = {**_demo(), "application_period": period}
    with pytest.raises(DefinitionError, match=message):
        check_document(document)
