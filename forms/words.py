"""The few words the form engine writes itself when it shows an answer.

Labels, hints and choices come from each procedure's own texts; these are the words
around them (はい/いいえ, "Other (…)", "Agreed (…)"), in every language the portal
offers. The engine stays free of gettext, so they live here as data; a locale without
an entry uses English.
"""

from __future__ import annotations

WORDS: dict[str, dict[str, str]] = {
    "yes": {"ja": "はい", "en": "Yes", "zh-Hans": "是", "zh-Hant": "是", "ko": "예",
            "vi": "Có", "pt-BR": "Sim"},
    "no": {"ja": "いいえ", "en": "No", "zh-Hans": "否", "zh-Hant": "否", "ko": "아니요",
           "vi": "Không", "pt-BR": "Não"},
    "other": {"ja": "その他（{text}）", "en": "Other ({text})", "zh-Hans": "其他（{text}）",
              "zh-Hant": "其他（{text}）", "ko": "기타({text})", "vi": "Khác ({text})",
              "pt-BR": "Outro ({text})"},
    "agreed": {"ja": "同意済み（{name}）", "en": "Agreed ({name})",
               "zh-Hans": "已同意（{name}）", "zh-Hant": "已同意（{name}）",
               "ko": "동의함({name})", "vi": "Đã đồng ý ({name})",
               "pt-BR": "De acordo ({name})"},
    "kanji": {"ja": "漢字氏名", "en": "kanji", "zh-Hans": "汉字姓名", "zh-Hant": "漢字姓名",
              "ko": "한자 이름", "vi": "tên chữ Hán", "pt-BR": "nome em kanji"},
    "common_name": {"ja": "通称", "en": "common name", "zh-Hans": "通称（通称）",
                    "zh-Hant": "通稱（通称）", "ko": "통칭(通称)", "vi": "tên thường gọi (通称)",
                    "pt-BR": "nome comum (通称)"},
}  # fmt: skip


def word(key: str, locale: str, **values: str) -> str:
    """One of the engine's words in a locale (easy Japanese uses the Japanese)."""
    forms = WORDS[key]
    language = "ja" if locale.startswith("ja") else locale
    return forms.get(language, forms["en"]).format(**values)
