"""Field types: one class per type in a registry that is checked at start-up.

The rules every type shares are described in :mod:`forms.fields.base`; each module
registers a family of types when it is imported, which this package does for all of them.
"""

from forms.fields import choices, compound, contact, files, groups, identifiers, simple
from forms.fields.base import (
    OTHER,
    REGISTRY,
    WRONG_TYPE,
    FieldType,
    FormValue,
    Raw,
    Value,
    check_registry,
    field_type,
    register,
)
from forms.fields.choices import chosen_values
from forms.fields.identifiers import my_number_allowed, my_number_problems

__all__ = [
    "OTHER",
    "REGISTRY",
    "WRONG_TYPE",
    "FieldType",
    "FormValue",
    "Raw",
    "Value",
    "check_registry",
    "choices",
    "chosen_values",
    "compound",
    "contact",
    "field_type",
    "files",
    "groups",
    "identifiers",
    "my_number_allowed",
    "my_number_problems",
    "register",
    "simple",
]
