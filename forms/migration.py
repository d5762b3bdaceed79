"""Moving a draft's answers to a newer version of its procedure.

A draft stays on the version it was started on until the resident chooses to move it.
Moving keeps every answer whose question still exists (same id and type) and whose
answer the new question still accepts; everything else is listed, so the resident
is told exactly which questions to answer again. Nothing is guessed: an answer is
never carried to a question of another type or another id.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from forms.fields import field_type
from forms.model import FormDefinition


@dataclass(frozen=True)
class Migration:
    """The answers that fit the new version, and the old questions whose answers did not."""

    answers: Mapping[str, Any]
    #: Ids of old questions with an answer that could not be kept, in form order.
    dropped: tuple[str, ...]
    #: Ids of new questions that did not exist before (they will be asked).
    added: tuple[str, ...]


def migrate_answers(
    old: FormDefinition, new: FormDefinition, answers: Mapping[str, Any]
) -> Migration:
    """Carry answers from ``old`` to ``new``; see the module docstring."""
    fields = {f.id: f for f in new.fields()}
    kept: dict[str, Any] = {}
    dropped: list[str] = []
    for f in old.fields():
        value = answers.get(f.id)
        if value is None:
            continue
        target = fields.get(f.id)
        if target is None or target.type != f.type:
            dropped.append(f.id)
            continue
        kind = field_type(target.type)
        raw = {
            name: [text] if isinstance(text, str) else list(text)
            for name, text in kind.raw_values(f, value).items()
        }
        # Requirement is the page's business when it is shown; here only the answer
        # itself must still be acceptable (an option removed, a limit lowered...).
        cleaned, problems = kind.clean_inputs(target, raw)
        # A list that comes back shorter lost items (a group now allows fewer).
        shortened = isinstance(value, list) and len(cleaned or []) != len(value)
        if [p for p in problems if p.code != "required"] or cleaned is None or shortened:
            dropped.append(f.id)
        else:
            kept[f.id] = cleaned
    before = {f.id for f in old.fields()}
    added = tuple(f.id for f in new.fields() if f.id not in before)
    return Migration(kept, tuple(dropped), added)
