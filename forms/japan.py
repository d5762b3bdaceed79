"""Japanese identifiers and reference lists: prefectures, phone numbers, 法人番号 and
個人番号 (My Number) check digits, and the characters of フリガナ.

Pure functions on already normalised text (see forms.normalise); the field types in
forms.fields turn them into problems.
"""

from __future__ import annotations

import re

#: The 47 都道府県 in the order of their JIS X 0401 codes (01 北海道 … 47 沖縄県).
PREFECTURES: tuple[str, ...] = (
    "北海道",
    "青森県",
    "岩手県",
    "宮城県",
    "秋田県",
    "山形県",
    "福島県",
    "茨城県",
    "栃木県",
    "群馬県",
    "埼玉県",
    "千葉県",
    "東京都",
    "神奈川県",
    "新潟県",
    "富山県",
    "石川県",
    "福井県",
    "山梨県",
    "長野県",
    "岐阜県",
    "静岡県",
    "愛知県",
    "三重県",
    "滋賀県",
    "京都府",
    "大阪府",
    "兵庫県",
    "奈良県",
    "和歌山県",
    "鳥取県",
    "島根県",
    "岡山県",
    "広島県",
    "山口県",
    "徳島県",
    "香川県",
    "愛媛県",
    "高知県",
    "福岡県",
    "佐賀県",
    "長崎県",
    "熊本県",
    "大分県",
    "宮崎県",
    "鹿児島県",
    "沖縄県",
)


def prefecture_code(name: str) -> str | None:
    """Return the two-digit JIS X 0401 code of a prefecture ("13" for 東京都), or None."""
    try:
        return f"{PREFECTURES.index(name) + 1:02d}"
    except ValueError:
        return None


# Phone numbers -------------------------------------------------------------------------

_PHONE_SEPARATORS = re.compile(r"[-.()（）]")
#: 11-digit numbers grouped 3-4-4: mobile phones (070, 080, 090), IP phones (050) and
#: M2M and pager numbers (020).
_ELEVEN_DIGIT_PREFIXES = ("070", "080", "090", "050", "020")
#: 10-digit service numbers grouped 4-3-3: toll-free 0120 and ナビダイヤル 0570.
_SERVICE_PREFIXES = ("0120", "0570")
#: Prefixes that are not geographic: a 10-digit number starting so is not a landline.
_NOT_LANDLINE = ("00", "020", "050", "060", "070", "080", "090")


def format_phone(text: str) -> str | None:
    """Return a Japanese phone number in a hyphenated form, or None when it is not one.

    ``text`` is normalised with forms.normalise.normalise_code first (half-width, hyphen
    look-alikes, no spaces). Hyphens, dots and parentheses are separators; a leading
    "+81" (with or without the trunk "(0)") becomes "0". The numbers accepted are:

    - 11 digits starting 070, 080, 090, 050 or 020: grouped 3-4-4 (090-1234-5678);
    - 11 digits starting 0800 (toll-free): grouped 4-3-4 (0800-123-4567);
    - 10 digits starting 0120 or 0570: grouped 4-3-3 (0120-123-456);
    - other 10-digit numbers starting 0 (landlines, whose area code is 2 to 5 digits):
      grouped 0X-XXXX-XXXX (03-1234-5678), except those starting 00 or a
      non-geographic prefix (020, 050, 060, 070, 080, 090).

    Grouping a landline number exactly as its area code does (045-123-4567,
    0422-12-3456) needs the numbering plan table of the Ministry of Internal Affairs
    and Communications (総務省), which is out of scope; the stored form only needs to
    be unambiguous, and it is: the digits are all there.
    """
    digits = _PHONE_SEPARATORS.sub("", text)
    if digits.startswith("+81"):
        rest = digits[3:]
        digits = rest if rest.startswith("0") else "0" + rest
    if not digits.isascii() or not digits.isdigit():
        return None
    # 0800 before 080: mobile numbers are not allocated in 080-0.
    if len(digits) == 11 and digits.startswith("0800"):
        return f"{digits[:4]}-{digits[4:7]}-{digits[7:]}"
    if len(digits) == 11 and digits.startswith(_ELEVEN_DIGIT_PREFIXES):
        return f"{digits[:3]}-{digits[3:7]}-{digits[7:]}"
    if len(digits) == 10 and digits.startswith(_SERVICE_PREFIXES):
        return f"{digits[:4]}-{digits[4:7]}-{digits[7:]}"
    if len(digits) == 10 and digits.startswith("0") and not digits.startswith(_NOT_LANDLINE):
        return f"{digits[:2]}-{digits[2:6]}-{digits[6:]}"
    return None


# 法人番号 ------------------------------------------------------------------------------


def corporate_check_digit(base: str) -> int:
    """Return the check digit of a 12-digit 基礎番号 (法人番号の指定等に関する省令 第2条).

    9 − ((Σ Pn × Qn) mod 9) for n = 1…12, where Pn is the n-th digit counted from the
    lowest (rightmost) digit of the base number, and Qn is 1 for odd n and 2 for even n.
    The result is 1 to 9; it is written as the first (leftmost) digit of the 法人番号.
    """
    if len(base) != 12 or not base.isascii() or not base.isdigit():
        raise ValueError("a 法人番号 base number has 12 digits")
    total = sum(int(digit) * (1 if n % 2 else 2) for n, digit in enumerate(reversed(base), 1))
    return 9 - total % 9


def is_corporate_number(text: str) -> bool:
    """True for 13 half-width digits whose first digit is the right check digit."""
    if len(text) != 13 or not text.isascii() or not text.isdigit():
        return False
    return int(text[0]) == corporate_check_digit(text[1:])


# 個人番号 (My Number) ------------------------------------------------------------------


def my_number_check_digit(base: str) -> int:
    """Return the check digit of the first 11 digits of a 個人番号.

    The rule of the 行政手続における特定の個人を識別するための番号の利用等に関する法律
    施行令 第8条 and its 施行規則 (総務省令) 第5条: 11 − ((Σ Pn × Qn) mod 11) for
    n = 1…11, where Pn is the n-th digit counted from the lowest (rightmost) digit of
    the 11 digits, and Qn is n + 1 for 1 ≤ n ≤ 6 and n − 5 for 7 ≤ n ≤ 11; when the
    remainder is 0 or 1 the check digit is 0. Read from the left, the weights of the
    11 digits are 6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2. It is the last (12th) digit.
    """
    if len(base) != 11 or not base.isascii() or not base.isdigit():
        raise ValueError("a 個人番号 without its check digit has 11 digits")
    total = sum(
        int(digit) * (n + 1 if n <= 6 else n - 5) for n, digit in enumerate(reversed(base), 1)
    )
    remainder = total % 11
    return 0 if remainder <= 1 else 11 - remainder


def is_my_number(text: str) -> bool:
    """True for 12 half-width digits whose last digit is the right check digit."""
    if len(text) != 12 or not text.isascii() or not text.isdigit():
        return False
    return int(text[-1]) == my_number_check_digit(text[:-1])


# Names ---------------------------------------------------------------------------------

#: Full-width katakana (including small letters, ヴ, ヵ, ヶ, ヷ–ヺ), the middle dot ・,
#: the long vowel mark ー, the iteration marks ヽ ヾ, and spaces.
_KATAKANA = re.compile(r"[\u30a1-\u30fa\u30fb\u30fc\u30fd\u30fe ]+")

#: Latin letters (with accents, as some residence cards have), spaces, hyphens and
#: apostrophes; × and ÷ lie inside the Latin-1 letter range and are left out.
_ALPHABET = re.compile(r"[A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f' -]+")


def is_katakana(text: str) -> bool:
    """True when normalised フリガナ holds only katakana, ー, ・ and spaces."""
    return _KATAKANA.fullmatch(text) is not None


def is_alphabet_name(text: str) -> bool:
    """True when a name holds only Latin letters, spaces, hyphens and apostrophes,
    with at least one letter."""
    return _ALPHABET.fullmatch(text) is not None and any(c.isalpha() for c in text)
