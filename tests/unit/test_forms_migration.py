"""Moving a draft's answers to a newer version of its form."""

from __future__ import annotations

import copy
from typing import Any

from forms.definition import build_form
from forms.migration import migrate_answers

OLD: dict[str, Any] = {
    "pages": [
        {
            "id": "p",
            "title": {"ja": "頁"},
            "fields": [
                {"id": "name", "type": "text", "required": True, "label": {"ja": "氏名"}},
                {"id": "copies", "type": "number", "max": 10, "label": {"ja": "通数"}},
                {
                    "id": "scope",
                    "type": "choice",
                    "label": {"ja": "範囲"},
                    "options": [
                        {"value": "self", "label": {"ja": "本人"}},
                        {"value": "household", "label": {"ja": "世帯"}},
                    ],
                },
                {"id": "fax", "type": "phone", "label": {"ja": "FAX"}},
                {"id": "born", "type": "text", "label": {"ja": "生年月日"}},
            ],
        }
    ]
}
ANSWERS = {
    "name": "山田 花子",
    "copies": 8,
    "scope": "household",
    "fax": "03-1234-5678",
    "born": "1990-01-01",
}


def test_answers_that_fit_are_kept_and_the_rest_listed() -> None:
    new = copy.deepcopy(OLD)
    fields = new["pages"][0]["fields"]
    fields[1]["max"] = 5  # a lower limit: 8 copies no longer fit
    fields[2]["options"] = fields[2]["options"][:1]  # an option withdrawn
    del fields[3]  # a question removed
    fields[3]["type"] = "date"  # the same id with another type
    fields.append({"id": "email", "type": "email", "label": {"ja": "メール"}})
    migration = migrate_answers(build_form(OLD), build_form(new), ANSWERS)
    assert migration.answers == {"name": "山田 花子"}
    assert migration.dropped == ("copies", "scope", "fax", "born")
    assert migration.added == ("email",)


def test_an_unchanged_form_keeps_everything() -> None:
    migration = migrate_answers(build_form(OLD), build_form(copy.deepcopy(OLD)), ANSWERS)
    assert migration.answers == ANSWERS
    assert migration.dropped == () and migration.added == ()


def test_a_newly_required_question_does_not_drop_an_empty_answer() -> None:
    new = copy.deepcopy(OLD)
    new["pages"][0]["fields"][1]["required"] = True
    migration = migrate_answers(build_form(OLD), build_form(new), {"name": "花子"})
    # Unanswered questions are simply asked; nothing was lost, so nothing is listed.
    assert migration.answers == {"name": "花子"}
    assert migration.dropped == ()
