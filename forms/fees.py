"""Fees computed from the answers and shown to residents before they submit.

A procedure may declare ``"fee": {"formula": "copies * 300", "label": {"ja": "手数料"}}``.
The formula is parsed once into a tree of frozen dataclasses and evaluated with Decimal;
eval() is never used, so a definition can compute but never run code.

The formula language:

- numbers: ``300``, ``0.5`` (no exponents, no thousands separators);
- field ids: the field's answer as a number; an unanswered field, or an answer that is
  not a number (text, a choice, yes/no, a list), counts as 0;
- ``+ - * /``, unary minus and parentheses, with the usual precedence, left to right;
- comparisons ``== != < > <= >=`` give 1 (true) or 0 (false) and cannot be chained;
- functions ``min(a, ...)``, ``max(a, ...)``, ``ceil(x)``, ``floor(x)``, ``round(x)``
  (half away from zero, 四捨五入) and ``if(condition, then, else)`` (a condition other
  than 0 is true; only the branch taken is evaluated);
- a lookup ``choice(field_id, {"self": 300, "household": 450}, default)``: the entry for
  the field's answer, else ``default`` (optional, 0 when left out). Keys are text in
  double or single quotes (single quotes need no escaping inside JSON); entries and the
  default are expressions. A multiple-choice answer (a list) adds up the entries of
  every chosen value, or gives the default when none has an entry; answers stored with
  an "other" text are looked up by their choice (see conditions.answer_items).

Example: ``max(copies, 1) * choice(scope, {'self': 300, 'household': 450})``.

Division by zero gives 0, and so does a result too large to represent: the fee is a
display aid computed from answers that may be half finished, and showing it must never
break the page. The result is whole yen rounded down (端数切捨て, as public fees are
commonly computed, so nobody is asked for more than the formula says) and never
negative; it is first rounded to 10 decimal places so that the inexactness of division
does not cost a yen (``1 / 3 * 3`` is 1, not 0).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass
from decimal import (
    ROUND_CEILING,
    ROUND_FLOOR,
    ROUND_HALF_EVEN,
    ROUND_HALF_UP,
    Context,
    Decimal,
    InvalidOperation,
    localcontext,
)
from typing import Any

from forms.conditions import answer_items
from forms.model import DefinitionError

#: Longer formulas are refused: real fees are short, and this bounds parsing work.
MAX_LENGTH = 500
#: Deeper nesting of parentheses, calls and signs is refused, bounding recursion.
MAX_DEPTH = 20
# Answers this many digits long or more count as 0, as the number field refuses them.
_MAX_DIGITS = 30
_MAX_NUMBER_TEXT = 64

_COMPARISONS = ("==", "!=", "<=", ">=", "<", ">")
#: Function name -> (fewest, most) arguments; None means no upper limit.
_FUNCTIONS: dict[str, tuple[int, int | None]] = {
    "min": (1, None),
    "max": (1, None),
    "ceil": (1, 1),
    "floor": (1, 1),
    "round": (1, 1),
    "if": (3, 3),
}
_LOOKUP = "choice"

# No traps: an overflow becomes Infinity and is turned into 0 at the end, not raised.
_CONTEXT = Context(prec=40, rounding=ROUND_HALF_EVEN, traps=[])
# Results are rounded to this before being rounded down to yen; prec covers 30 + 10 digits.
_SETTLE = Decimal("1e-10")


# The tree ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Number:
    """A number written in the formula."""

    value: Decimal


@dataclass(frozen=True)
class FieldRef:
    """A field's answer used as a number."""

    field: str


@dataclass(frozen=True)
class Negate:
    """Unary minus."""

    operand: Expr


@dataclass(frozen=True)
class Binary:
    """An arithmetic operator or a comparison between two expressions."""

    op: str
    left: Expr
    right: Expr


@dataclass(frozen=True)
class Call:
    """One of the built-in functions (min, max, ceil, floor, round, if)."""

    function: str
    args: tuple[Expr, ...]


@dataclass(frozen=True)
class Lookup:
    """An amount chosen by a field's answer, with a default for other answers."""

    field: str
    table: tuple[tuple[str, Expr], ...]
    default: Expr


Expr = Number | FieldRef | Negate | Binary | Call | Lookup


@dataclass(frozen=True)
class Formula:
    """A parsed fee formula and the text it came from."""

    text: str
    root: Expr


# Tokens --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Token:
    kind: str  # number, name, text, op or end
    text: str
    position: int  # 0-based offset in the formula


_TOKEN = re.compile(
    r"(?P<number>[0-9]+(?:\.[0-9]+)?)"
    r"|(?P<name>[A-Za-z_][A-Za-z0-9_]*)"
    r"|(?P<text>\"[^\"\\\n]*\"|'[^'\\\n]*')"
    r"|(?P<op>==|!=|<=|>=|[-+*/(),{}:<>])",
    re.ASCII,
)
_SPACE = re.compile(r"[ \t\r\n]+")


class _SyntaxError(Exception):
    def __init__(self, message: str, position: int, *, syntax: bool = True) -> None:
        super().__init__(message)
        self.position = position + 1  # people count characters from 1
        self.message = (
            f"syntax error at position {self.position}: {message}"
            if syntax
            else f"{message} at position {self.position}"
        )


def _tokenize(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    position = 0
    while position < len(text):
        space = _SPACE.match(text, position)
        if space:
            position = space.end()
            continue
        match = _TOKEN.match(text, position)
        if match is None:
            char = text[position]
            if char in "\"'":
                raise _SyntaxError("text without a closing quote", position)
            raise _SyntaxError(f"unexpected character {char!r}", position)
        kind = match.lastgroup or "op"
        tokens.append(_Token(kind, match.group(), position))
        position = match.end()
    tokens.append(_Token("end", "", len(text)))
    return tokens


# Parsing -------------------------------------------------------------------------------


def parse_formula(text: str, known_fields: Collection[str], where: str = "fee.formula") -> Formula:
    """Parse a fee formula; DefinitionError names the place, the position or the name."""
    if len(text) > MAX_LENGTH:
        raise DefinitionError([f"{where}: longer than {MAX_LENGTH} characters"])
    try:
        root = _Parser(_tokenize(text)).parse()
    except _SyntaxError as error:
        raise DefinitionError([f"{where}: {error.message}"]) from None
    formula = Formula(text, root)
    known = set(known_fields)
    unknown = [name for name in _names_in_order(root) if name not in known]
    if unknown:
        raise DefinitionError([f"{where}: unknown name {name!r}" for name in unknown])
    return formula


class _Parser:
    """Recursive descent over: comparison > additive > term > unary > primary."""

    def __init__(self, tokens: list[_Token]) -> None:
        self.tokens = tokens
        self.index = 0
        self.depth = 0

    def parse(self) -> Expr:
        if self.peek().kind == "end":
            raise _SyntaxError("the formula is empty", 0)
        expr = self.comparison()
        token = self.peek()
        if token.kind != "end":
            raise _SyntaxError(f"unexpected {_describe(token)}", token.position)
        return expr

    def peek(self) -> _Token:
        return self.tokens[self.index]

    def take(self) -> _Token:
        token = self.tokens[self.index]
        if token.kind != "end":
            self.index += 1
        return token

    def at(self, *ops: str) -> bool:
        token = self.peek()
        return token.kind == "op" and token.text in ops

    def expect(self, op: str) -> _Token:
        token = self.peek()
        if not self.at(op):
            raise _SyntaxError(f"expected {op!r} but found {_describe(token)}", token.position)
        return self.take()

    def enter(self, token: _Token) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            message = f"nested more than {MAX_DEPTH} levels deep"
            raise _SyntaxError(message, token.position, syntax=False)

    def leave(self) -> None:
        self.depth -= 1

    def comparison(self) -> Expr:
        left = self.additive()
        if self.at(*_COMPARISONS):
            op = self.take().text
            left = Binary(op, left, self.additive())
            if self.at(*_COMPARISONS):
                token = self.peek()
                # 1 < x < 3 would compare a truth value with 3: refuse it rather than surprise.
                raise _SyntaxError("comparisons cannot be chained", token.position)
        return left

    def additive(self) -> Expr:
        left = self.term()
        while self.at("+", "-"):
            op = self.take().text
            left = Binary(op, left, self.term())
        return left

    def term(self) -> Expr:
        left = self.unary()
        while self.at("*", "/"):
            op = self.take().text
            left = Binary(op, left, self.unary())
        return left

    def unary(self) -> Expr:
        if not self.at("-", "+"):
            return self.primary()
        token = self.take()
        self.enter(token)
        operand = self.unary()
        self.leave()
        return Negate(operand) if token.text == "-" else operand

    def primary(self) -> Expr:
        token = self.take()
        if token.kind == "number":
            return Number(Decimal(token.text))
        if token.kind == "name":
            if not self.at("("):
                return FieldRef(token.text)
            self.enter(token)
            expr = self.call(token)
            self.leave()
            return expr
        if token.kind == "op" and token.text == "(":
            self.enter(token)
            expr = self.comparison()
            self.expect(")")
            self.leave()
            return expr
        raise _SyntaxError(f"unexpected {_describe(token)}", token.position)

    def call(self, name: _Token) -> Expr:
        if name.text == _LOOKUP:
            return self.lookup()
        if name.text not in _FUNCTIONS:
            raise _SyntaxError(f"unknown function {name.text!r}", name.position, syntax=False)
        self.expect("(")
        args: list[Expr] = []
        if not self.at(")"):
            args.append(self.comparison())
            while self.at(","):
                self.take()
                args.append(self.comparison())
        self.expect(")")
        fewest, most = _FUNCTIONS[name.text]
        if len(args) < fewest or (most is not None and len(args) > most):
            count = f"{fewest}" if fewest == most else f"at least {fewest}"
            plural = "" if fewest == 1 else "s"
            raise _SyntaxError(f"{name.text}() takes {count} argument{plural}", name.position)
        return Call(name.text, tuple(args))

    def lookup(self) -> Expr:
        self.expect("(")
        field = self.take()
        if field.kind != "name" or self.at("("):
            raise _SyntaxError(f"{_LOOKUP}() needs a field id first", field.position)
        self.expect(",")
        table = self.table()
        default: Expr = Number(Decimal(0))
        if self.at(","):
            self.take()
            default = self.comparison()
        self.expect(")")
        return Lookup(field.text, table, default)

    def table(self) -> tuple[tuple[str, Expr], ...]:
        self.expect("{")
        entries: list[tuple[str, Expr]] = []
        while True:
            key = self.take()
            if key.kind != "text":
                raise _SyntaxError(
                    f"expected a quoted answer value but found {_describe(key)}",
                    key.position,
                )
            value = key.text[1:-1]
            if any(existing == value for existing, _ in entries):
                raise _SyntaxError(f"{value!r} appears twice", key.position)
            self.expect(":")
            entries.append((value, self.comparison()))
            if not self.at(","):
                break
            self.take()
        self.expect("}")
        return tuple(entries)


def _describe(token: _Token) -> str:
    return "end of formula" if token.kind == "end" else repr(token.text)


# Inspection ----------------------------------------------------------------------------


def _children(expr: Expr) -> tuple[Expr, ...]:
    if isinstance(expr, Negate):
        return (expr.operand,)
    if isinstance(expr, Binary):
        return (expr.left, expr.right)
    if isinstance(expr, Call):
        return expr.args
    if isinstance(expr, Lookup):
        return (*(entry for _, entry in expr.table), expr.default)
    return ()


def _names_in_order(expr: Expr) -> Iterator[str]:
    """Field ids in the order they are written, each once."""
    seen: set[str] = set()
    stack = [expr]
    while stack:
        node = stack.pop()
        name = node.field if isinstance(node, FieldRef | Lookup) else None
        if name is not None and name not in seen:
            seen.add(name)
            yield name
        stack.extend(reversed(_children(node)))


def formula_fields(formula: Formula) -> frozenset[str]:
    """Return the ids of every field a formula reads."""
    return frozenset(_names_in_order(formula.root))


# Evaluation ----------------------------------------------------------------------------


def evaluate_formula(formula: Formula, answers: Mapping[str, Any]) -> Decimal:
    """Compute a formula to 10 decimal places; a result too large to represent is 0."""
    with localcontext(_CONTEXT):
        value = _evaluate(formula.root, answers)
        if not value.is_finite():
            return Decimal(0)
        if value.adjusted() < _MAX_DIGITS:
            # Division is inexact (1/3*3 is 0.999...); settle that before anyone rounds.
            value = value.quantize(_SETTLE)
    return value


def evaluate_fee(formula: Formula, answers: Mapping[str, Any]) -> int:
    """Compute the fee in whole yen: rounded down, never negative, never an error."""
    value = evaluate_formula(formula, answers)
    with localcontext(_CONTEXT):
        yen = int(value.to_integral_value(rounding=ROUND_FLOOR))
    return max(yen, 0)


def _evaluate(expr: Expr, answers: Mapping[str, Any]) -> Decimal:
    if isinstance(expr, Number):
        return expr.value
    if isinstance(expr, FieldRef):
        return _answer_number(answers.get(expr.field))
    if isinstance(expr, Negate):
        return -_evaluate(expr.operand, answers)
    if isinstance(expr, Binary):
        return _binary(expr.op, _evaluate(expr.left, answers), _evaluate(expr.right, answers))
    if isinstance(expr, Call):
        return _call(expr, answers)
    return _lookup(expr, answers)


def _binary(op: str, left: Decimal, right: Decimal) -> Decimal:
    if op == "+":
        return left + right
    if op == "-":
        return left - right
    if op == "*":
        return left * right
    if op == "/":
        # A fee shown from half-finished answers must not fail: x / 0 is 0.
        return Decimal(0) if right == 0 else left / right
    results = {
        "==": left == right,
        "!=": left != right,
        "<": left < right,
        ">": left > right,
        "<=": left <= right,
        ">=": left >= right,
    }
    return Decimal(1) if results[op] else Decimal(0)


def _call(expr: Call, answers: Mapping[str, Any]) -> Decimal:
    if expr.function == "if":
        condition, then, otherwise = expr.args
        chosen = then if _evaluate(condition, answers) != 0 else otherwise
        return _evaluate(chosen, answers)
    values = [_evaluate(arg, answers) for arg in expr.args]
    if expr.function == "min":
        return min(values)
    if expr.function == "max":
        return max(values)
    rounding = {"ceil": ROUND_CEILING, "floor": ROUND_FLOOR, "round": ROUND_HALF_UP}
    return values[0].to_integral_value(rounding=rounding[expr.function])


def _lookup(expr: Lookup, answers: Mapping[str, Any]) -> Decimal:
    table = dict(expr.table)
    chosen = answer_items(answers.get(expr.field))
    keys = [key for key in (_answer_key(item) for item in chosen) if key in table]
    if not keys:
        return _evaluate(expr.default, answers)
    return sum((_evaluate(table[key], answers) for key in keys), Decimal(0))


def _answer_key(answer: Any) -> str | None:
    if isinstance(answer, bool) or not isinstance(answer, str | int | Decimal):
        return None
    return answer if isinstance(answer, str) else str(answer)


def _answer_number(answer: Any) -> Decimal:
    """An answer as a number; anything else, or anything absurdly large, counts as 0."""
    if isinstance(answer, bool):
        return Decimal(0)
    try:
        if isinstance(answer, int):
            # Checked before converting: a huge int is costly to turn into a Decimal.
            number = Decimal(answer) if abs(answer) < 10**_MAX_DIGITS else Decimal(0)
        elif isinstance(answer, Decimal):
            number = answer
        elif isinstance(answer, float):
            number = Decimal(str(answer))
        elif isinstance(answer, str) and len(answer) <= _MAX_NUMBER_TEXT:
            number = Decimal(answer.strip())
        else:
            return Decimal(0)
    except (InvalidOperation, ValueError):
        return Decimal(0)
    if not number.is_finite() or number.adjusted() >= _MAX_DIGITS:
        return Decimal(0)
    return number
