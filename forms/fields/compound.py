"""Compound types read several inputs: Japanese names, addresses and declarations."""

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from forms.fields.base import (
    WRONG_TYPE,
    FieldType,
    FormValue,
    Raw,
    Value,
    _first,
    _is_ja,
    _limit,
    _read,
    _scalar_form_value,
    register,
)
from forms.fields.choices import _normalise_choice
from forms.japan import (
    PREFECTURES,
    is_alphabet_name,
    is_katakana,
)
from forms.model import Field, Problem
from forms.normalise import (
    normalise_address_line,
    normalise_alphabet_name,
    normalise_code,
    normalise_text,
    to_katakana,
)
from forms.postcodes import AddressSuggestion, normalise_postcode, suggest_address
from forms.words import word

# Compound types ------------------------------------------------------------------------


def _part_name(field: Field, part: str) -> str:
    return f"{field.id}.{part}"


def _read_part(
    field: Field,
    raw: Mapping[str, Sequence[str]],
    part: str,
    limit: int,
    normalise: Callable[[str], str] = normalise_text,
) -> tuple[str, list[Problem]]:
    return _read(field, _first(raw.get(_part_name(field, part), ())), limit, normalise, part)


def _parts_form_values(
    field: Field,
    value: Value,
    parts: Sequence[str],
    render: Callable[[str, Any], str],
    known: Iterable[str] = (),
) -> dict[str, FormValue]:
    """Render a stored dict into its parts' inputs. Anything but a dict, or a dict with
    keys other than the parts (and the ``known`` ones), is of the wrong type."""
    names = [_part_name(field, part) for part in parts]
    values: dict[str, FormValue] = dict.fromkeys(names, "")
    if value is None:
        return values
    if not isinstance(value, Mapping) or not set(value) <= {*parts, *known}:
        values[names[0]] = WRONG_TYPE
        return values
    for name, part in zip(names, parts, strict=True):
        values[name] = render(part, value.get(part))
    return values


def _text_part(part: str, value: Any) -> str:
    return _scalar_form_value(value)


_NAME_LIMIT = 100
_KANA_PARTS = ("family_kana", "given_kana")
_FOREIGN_PARTS = ("alphabet", "kanji", "tsusho")


@register
class NameType(FieldType):
    """A person's name in Japanese: family and given name, with フリガナ.

    Settings: ``kana`` (default true) asks for フリガナ in ``<id>.family_kana`` and
    ``<id>.given_kana``, normalised to full-width katakana (hiragana and half-width
    katakana are converted) and refused unless katakana, ー, ・ and spaces (``kana_only``).
    Names accept any character and are not rewritten (𠮷, 髙, 﨑 and 塚 stay as typed).

    ``foreign`` (default false) adds ``<id>.mode``: "japanese" (the default) or
    "foreign", where the name is written in the alphabet as on the residence card
    (``<id>.alphabet``, required: letters, spaces, hyphens and apostrophes, in capitals;
    code ``alphabet_only``), with an optional name in kanji (``<id>.kanji``) and 通称
    (``<id>.tsusho``).

    Stored as {"family", "given", "family_kana", "given_kana"} (kana parts "" when not
    asked), with "mode": "japanese" when foreign names are offered; foreign names as
    {"mode": "foreign", "alphabet", "kanji", "tsusho"}. An empty required field is
    ``required``; a part missing from a name partly entered is ``required`` with
    ``{"part": ...}``.
    """

    name = "name"
    grouped = True
    default_max_length = _NAME_LIMIT

    def _kana(self, field: Field) -> bool:
        return field.params.get("kana", True) is not False

    def _parts(self, field: Field) -> tuple[str, ...]:
        return ("family", "given", *(_KANA_PARTS if self._kana(field) else ()))

    def _all_parts(self, field: Field) -> tuple[str, ...]:
        if not field.params.get("foreign"):
            return self._parts(field)
        return ("mode", *self._parts(field), *_FOREIGN_PARTS)

    def inputs(self, field: Field) -> tuple[str, ...]:
        """(mode,) family, given, (family_kana, given_kana), (alphabet, kanji, tsusho)."""
        return tuple(_part_name(field, part) for part in self._all_parts(field))

    def clean(self, field: Field, raw: Raw) -> tuple[Value, list[Problem]]:
        """A name has several inputs: see clean_inputs."""
        return self.clean_inputs(field, {})

    def clean_inputs(
        self, field: Field, raw: Mapping[str, Sequence[str]]
    ) -> tuple[Value, list[Problem]]:
        """Clean the name in the mode chosen."""
        if not field.params.get("foreign"):
            return self._japanese(field, raw, {})
        mode, problems = _read_part(field, raw, "mode", 20, _normalise_choice)
        if problems:
            return None, problems
        if mode == "foreign":
            return self._foreign(field, raw)
        if mode not in ("", "japanese"):
            return None, [Problem(field.id, "invalid_choice", {"part": "mode"})]
        return self._japanese(field, raw, {"mode": "japanese"})

    def _japanese(
        self, field: Field, raw: Mapping[str, Sequence[str]], stored: dict[str, str]
    ) -> tuple[Value, list[Problem]]:
        limit = _limit(field, _NAME_LIMIT)
        parts: dict[str, str] = {}
        problems: list[Problem] = []
        for part in self._parts(field):
            normalise = to_katakana if part in _KANA_PARTS else normalise_text
            parts[part], found = _read_part(field, raw, part, limit, normalise)
            problems += found
        if problems:
            return None, problems
        if not any(parts.values()):
            return None, [Problem(field.id, "required")] if field.required else []
        for part, text in parts.items():
            if not text:
                problems.append(Problem(field.id, "required", {"part": part}))
            elif part in _KANA_PARTS and not is_katakana(text):
                problems.append(Problem(field.id, "kana_only", {"part": part}))
        if problems:
            return None, problems
        names = {part: parts.get(part, "") for part in ("family", "given", *_KANA_PARTS)}
        return {**stored, **names}, []

    def _foreign(
        self, field: Field, raw: Mapping[str, Sequence[str]]
    ) -> tuple[Value, list[Problem]]:
        limit = _limit(field, _NAME_LIMIT)
        parts: dict[str, str] = {}
        problems: list[Problem] = []
        for part in _FOREIGN_PARTS:
            normalise = normalise_alphabet_name if part == "alphabet" else normalise_text
            parts[part], found = _read_part(field, raw, part, limit, normalise)
            problems += found
        if problems:
            return None, problems
        if not any(parts.values()):
            return None, [Problem(field.id, "required")] if field.required else []
        if not parts["alphabet"]:
            return None, [Problem(field.id, "required", {"part": "alphabet"})]
        if not is_alphabet_name(parts["alphabet"]):
            return None, [Problem(field.id, "alphabet_only", {"part": "alphabet"})]
        return {"mode": "foreign", **parts}, []

    def display(self, field: Field, value: Value, locale: str) -> str:
        """山田 花子（ヤマダ ハナコ）; a foreign name with its kanji and 通称."""
        if not isinstance(value, Mapping):
            return super().display(field, value, locale)
        ja = _is_ja(locale)
        if value.get("mode") == "foreign":
            main = str(value.get("alphabet") or "")
            extras = [
                f"{label}{sep}{value[key]}"
                for key, label, sep in (
                    ("kanji", word("kanji", locale), "：" if ja else ": "),
                    ("tsusho", word("common_name", locale), "：" if ja else ": "),
                )
                if isinstance(value.get(key), str) and value[key]
            ]
            detail = ("、" if ja else "; ").join(extras)
        else:
            main = _joined(value.get("family"), value.get("given"))
            detail = _joined(value.get("family_kana"), value.get("given_kana"))
        if not detail:
            return main
        return f"{main}（{detail}）" if ja else f"{main} ({detail})"

    def form_values(self, field: Field, value: Value) -> dict[str, FormValue]:
        """Each part into its input; the mode as chosen."""
        every = ("mode", "family", "given", *_KANA_PARTS, *_FOREIGN_PARTS)
        return _parts_form_values(field, value, self._all_parts(field), _text_part, every)


def _text_or_empty(item: object) -> str:
    return item if isinstance(item, str) else ""


def _joined(*parts: object) -> str:
    return " ".join(str(part) for part in parts if isinstance(part, str) and part)


_ADDRESS_PARTS = ("postcode", "prefecture", "city", "street", "building")
_ADDRESS_LIMIT = 200


@register
class AddressType(FieldType):
    """A Japanese address: ``<id>.postcode`` (optional), ``<id>.prefecture`` (one of the
    47 都道府県, code ``invalid_prefecture``), ``<id>.city`` (市区町村), ``<id>.street``
    (町名・番地) and ``<id>.building`` (optional).

    Stored as a dict of the five parts ("" for those not given), the postcode as
    "100-0001". Digits and hyphens in the city, street and building become half-width
    (千代田１ー１ → 千代田1-1). forms.postcodes.suggest_address can fill in the first
    parts from the postcode, as a suggestion only.
    """

    name = "address"
    grouped = True
    default_max_length = _ADDRESS_LIMIT

    def inputs(self, field: Field) -> tuple[str, ...]:
        """postcode, prefecture, city, street, building."""
        return tuple(_part_name(field, part) for part in _ADDRESS_PARTS)

    def clean(self, field: Field, raw: Raw) -> tuple[Value, list[Problem]]:
        """An address has several inputs: see clean_inputs."""
        return self.clean_inputs(field, {})

    def clean_inputs(
        self, field: Field, raw: Mapping[str, Sequence[str]]
    ) -> tuple[Value, list[Problem]]:
        """Clean each part; the prefecture, city and street are needed."""
        limit = _limit(field, _ADDRESS_LIMIT)
        normalisers: dict[str, Callable[[str], str]] = {
            "postcode": normalise_code,
            "prefecture": normalise_text,
        }
        parts: dict[str, str] = {}
        problems: list[Problem] = []
        for part in _ADDRESS_PARTS:
            normalise = normalisers.get(part, normalise_address_line)
            parts[part], found = _read_part(field, raw, part, limit, normalise)
            problems += found
        if problems:
            return None, problems
        if not any(parts.values()):
            return None, [Problem(field.id, "required")] if field.required else []
        if parts["postcode"]:
            postcode = normalise_postcode(parts["postcode"])
            if postcode is None:
                problems.append(Problem(field.id, "invalid_postcode", {"part": "postcode"}))
            parts["postcode"] = postcode or parts["postcode"]
        if not parts["prefecture"]:
            problems.append(Problem(field.id, "required", {"part": "prefecture"}))
        elif parts["prefecture"] not in PREFECTURES:
            problems.append(Problem(field.id, "invalid_prefecture", {"part": "prefecture"}))
        problems += [
            Problem(field.id, "required", {"part": part})
            for part in ("city", "street")
            if not parts[part]
        ]
        return (None, problems) if problems else (parts, [])

    def display(self, field: Field, value: Value, locale: str) -> str:
        """One line, as written in Japan: 〒100-0001 東京都千代田区千代田1-1 ○○ビル."""
        if not isinstance(value, Mapping):
            return super().display(field, value, locale)
        part = {key: _text_or_empty(value.get(key)) for key in _ADDRESS_PARTS}
        line = part["prefecture"] + part["city"] + part["street"]
        postcode = f"〒{part['postcode']}" if part["postcode"] else ""
        return " ".join(text for text in (postcode, line, part["building"]) if text)

    def form_values(self, field: Field, value: Value) -> dict[str, FormValue]:
        """Each part into its input."""
        return _parts_form_values(field, value, _ADDRESS_PARTS, _text_part)


_AGREED = {"yes", "on", "true", "1"}


@register
class DeclarationType(FieldType):
    """A declaration replacing the seal (押印): a statement, a checkbox ``<id>.agree``
    (value "yes") and the declarant's name typed in ``<id>.name``.

    Setting ``statement`` (localised text, required by the schema). Both inputs are
    always needed, whatever ``required`` says: codes ``must_agree`` and
    ``name_required``. Stored as {"agreed": true, "name": ...}.
    """

    name = "declaration"
    grouped = True

    def inputs(self, field: Field) -> tuple[str, ...]:
        """agree, name."""
        return (_part_name(field, "agree"), _part_name(field, "name"))

    def clean(self, field: Field, raw: Raw) -> tuple[Value, list[Problem]]:
        """A declaration has several inputs: see clean_inputs."""
        return self.clean_inputs(field, {})

    def clean_inputs(
        self, field: Field, raw: Mapping[str, Sequence[str]]
    ) -> tuple[Value, list[Problem]]:
        """Both the checkbox and the name are needed."""
        agree, problems = _read_part(field, raw, "agree", 20, _normalise_choice)
        signed, found = _read_part(field, raw, "name", _limit(field, _NAME_LIMIT))
        problems += found
        if problems:
            return None, problems
        if agree not in _AGREED:
            problems.append(Problem(field.id, "must_agree"))
        if not signed:
            problems.append(Problem(field.id, "name_required"))
        return (None, problems) if problems else ({"agreed": True, "name": signed}, [])

    def display(self, field: Field, value: Value, locale: str) -> str:
        """同意済み（山田 花子） in Japanese, Agreed (山田 花子) otherwise."""
        if not isinstance(value, Mapping):
            return super().display(field, value, locale)
        if value.get("agreed") is not True:
            return ""
        name = str(value.get("name")) if isinstance(value.get("name"), str) else ""
        return word("agreed", locale, name=name)

    def form_values(self, field: Field, value: Value) -> dict[str, FormValue]:
        """The checkbox ("yes" when agreed) and the name."""
        agree, name = _part_name(field, "agree"), _part_name(field, "name")
        if value is None:
            return {agree: "", name: ""}
        if not isinstance(value, Mapping) or not set(value) <= {"agreed", "name"}:
            return {agree: WRONG_TYPE, name: ""}
        agreed = value.get("agreed")
        checked = "yes" if agreed is True else "" if agreed is None or agreed is False else None
        return {
            agree: WRONG_TYPE if checked is None else checked,
            name: _scalar_form_value(value.get("name")),
        }


def with_postcode_suggestion(
    field: Field, raw: Mapping[str, Sequence[str]]
) -> tuple[dict[str, list[str]], AddressSuggestion | None]:
    """Fill the empty parts of an address from its postcode (offline data).

    Only empty parts are filled, so nothing the resident wrote is replaced; the
    suggestion is returned so that the page can say where the text came from.
    """
    updated = {name: list(values) for name, values in raw.items()}
    postcode = _first(raw.get(_part_name(field, "postcode"), ()))
    found = suggest_address(postcode) if isinstance(postcode, str) else None
    if found is None:
        return updated, None
    for part, text in (
        ("prefecture", found.prefecture),
        ("city", found.city),
        ("street", found.town),
    ):
        name = _part_name(field, part)
        current = _first(updated.get(name, ()))
        if text and not (isinstance(current, str) and current.strip()):
            updated[name] = [text]
    return updated, found
