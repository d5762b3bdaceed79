"""The engine's own words when it shows an answer, in every language the portal offers."""

from __future__ import annotations

import pytest

from forms.fields import field_type
from forms.model import Field
from forms.words import WORDS, word

LOCALES = ("ja", "en", "zh-Hans", "zh-Hant", "ko", "vi", "pt-BR")


@pytest.mark.parametrize("key", sorted(WORDS))
def test_every_word_is_in_every_language(key: str) -> None:
    assert set(WORDS[key]) == set(LOCALES)


def test_yes_no_other_and_agreed_follow_the_locale() -> None:
    yesno = Field("q", "yesno", {"ja": "はい・いいえ"})
    assert field_type("yesno").display(yesno, True, "ko") == "예"
    assert field_type("yesno").display(yesno, False, "pt-BR") == "Não"
    assert field_type("yesno").display(yesno, True, "ja-easy") == "はい"
    declaration = Field("d", "declaration", {"ja": "誓約"}, params={"statement": {"ja": "…"}})
    shown = field_type("declaration").display(declaration, {"agreed": True, "name": "阮 文"}, "vi")
    assert shown == "Đã đồng ý (阮 文)"
    assert word("other", "zh-Hans", text="猫") == "其他（猫）"
    assert word("other", "fr", text="chat") == "Other (chat)"  # English for any other
