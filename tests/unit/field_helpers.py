"""Helpers shared by the field-type unit tests."""

from __future__ import annotations

from typing import Any

from forms.fields import field_type
from forms.model import Field, Problem


def round_trip(f: Field, value: Any) -> tuple[Any, list[Problem]]:
    """Render a stored value into its inputs and clean them again."""
    kind = field_type(f.type)
    rendered = kind.raw_values(f, value)
    raw = {name: [text] if isinstance(text, str) else text for name, text in rendered.items()}
    return kind.clean_inputs(f, raw)
