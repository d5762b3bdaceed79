"""The form-definition engine: pure Python, no web framework or database."""

from forms.definition import build_form, check_document, checksum, procedure_schema
from forms.fields import REGISTRY, check_registry, field_type
from forms.model import DefinitionError, Field, FormDefinition, Option, Page, Problem, localise
from forms.validation import PageResult, clean_page, display_answer, revalidate, summary
from forms.wareki import parse_date, to_seireki, to_wareki

__all__ = [
    "REGISTRY",
    "DefinitionError",
    "Field",
    "FormDefinition",
    "Option",
    "Page",
    "PageResult",
    "Problem",
    "build_form",
    "check_document",
    "check_registry",
    "checksum",
    "clean_page",
    "display_answer",
    "field_type",
    "localise",
    "parse_date",
    "procedure_schema",
    "revalidate",
    "summary",
    "to_seireki",
    "to_wareki",
]
