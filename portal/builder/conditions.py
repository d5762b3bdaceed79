"""Conditions built from lists: a question, a comparison, a value — never typed as code.

A question or a page may depend on answers given before it. Rules are added one at a
time (question and comparison first, then a value chosen to suit that question), and
several rules combine as "all of" or "any of".
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

OPERATOR_NAMES = {
    "equals": _l("is"),
    "not_equals": _l("is not"),
    "one_of": _l("is one of"),
    "greater": _l("is more than"),
    "less": _l("is less than"),
    "empty": _l("is not answered"),
    "not_empty": _l("is answered"),
}
_BY_TYPE = {
    "choice": ("equals", "not_equals", "one_of", "empty", "not_empty"),
    "multichoice": ("equals", "not_equals", "one_of", "empty", "not_empty"),
    "yesno": ("equals", "empty", "not_empty"),
    "number": ("equals", "not_equals", "greater", "less", "empty", "not_empty"),
    "money": ("equals", "not_equals", "greater", "less", "empty", "not_empty"),
}
_TEXTUAL = ("equals", "not_equals", "empty", "not_empty")
#: Questions whose answers no condition can look at.
_NOT_CONDITIONS = frozenset({"guidance", "group", "file", "declaration", "my_number"})


def operators(field_type: str) -> tuple[str, ...]:
    """The comparisons that make sense for a type of question."""
    return _BY_TYPE.get(field_type, _TEXTUAL)


def earlier_questions(
    document: dict[str, Any], page_id: str, field_id: str | None
) -> list[dict[str, Any]]:
    """Questions answered before the target (a question, or a page when field_id is None)."""
    found: list[dict[str, Any]] = []
    for page in document["form"]["pages"]:
        if page["id"] == page_id and field_id is None:
            break
        for field in page["fields"]:
            if field["id"] == field_id:
                return found
            if field["type"] not in _NOT_CONDITIONS:
                found.append(field)
    return found


def rules_of(condition: dict[str, Any] | None) -> tuple[str, list[dict[str, Any]]]:
    """A condition as its mode ("all" or "any") and its list of single rules."""
    if not condition:
        return "all", []
    for mode in ("all", "any"):
        if mode in condition:
            return mode, [rule for rule in condition[mode] if "field" in rule]
    return "all", [condition]


def condition_from(mode: str, rules: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The condition of a list of rules (None when there is none)."""
    if not rules:
        return None
    if len(rules) == 1:
        return rules[0]
    return {"any" if mode == "any" else "all": rules}


def read_rule(
    question: dict[str, Any], op: str, form: Any
) -> tuple[dict[str, Any] | None, str | None]:
    """A rule from the posted value, or the problem with it."""
    if op not in operators(question["type"]):
        return None, _("Choose how the answer is compared.")
    rule: dict[str, Any] = {"field": question["id"], "op": op}
    if op in ("empty", "not_empty"):
        return rule, None
    if op == "one_of":
        chosen = [v for v in form.getlist("values") if v in _option_values(question)]
        if not chosen:
            return None, _("Choose at least one of the choices.")
        rule["value"] = chosen
        return rule, None
    value, problem = _value(question, form.get("value", "").strip())
    if problem:
        return None, problem
    rule["value"] = value
    return rule, None


def _option_values(question: dict[str, Any]) -> list[str]:
    return [option["value"] for option in question.get("options") or []]


def _value(question: dict[str, Any], typed: str) -> tuple[Any, str | None]:
    kind = question["type"]
    if kind == "yesno":
        if typed not in ("yes", "no"):
            return None, _("Choose yes or no.")
        return typed == "yes", None
    if kind in ("choice", "multichoice"):
        if typed not in _option_values(question):
            return None, _("Choose one of the choices.")
        return typed, None
    if kind in ("number", "money"):
        try:
            number = Decimal(typed.replace(",", ""))
        except InvalidOperation:
            return None, _("Enter a number.")
        return (int(number) if number == number.to_integral_value() else float(number)), None
    if not typed:
        return None, _("Enter the answer to compare with.")
    return typed, None


def describe(rule: dict[str, Any], questions: dict[str, dict[str, Any]]) -> str:
    """A rule in words: 「申請者の区分」 is 「法人」."""
    question = questions.get(rule.get("field", ""), {})
    label = (question.get("label") or {}).get("ja") or rule.get("field", "")
    op = str(OPERATOR_NAMES.get(rule.get("op", ""), rule.get("op", "")))
    if "value" not in rule:
        return f"「{label}」 {op}"
    values = rule["value"] if isinstance(rule["value"], list) else [rule["value"]]
    shown = "、".join(_shown(question, value) for value in values)
    return f"「{label}」 {op} 「{shown}」"


def _shown(question: dict[str, Any], value: Any) -> str:
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    for option in question.get("options") or []:
        if option["value"] == value:
            return str(option["label"].get("ja", value))
    return str(value)


def all_questions(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Every top-level question of the document by id."""
    return {f["id"]: f for page in document["form"]["pages"] for f in page["fields"]}
