"""The questions tab: pages and questions added, edited, reordered and deleted.

Every change is a plain form post (buttons for moving up and down), so the editor works
with the keyboard and without JavaScript. A refused change (a question still used by a
condition or a formula, the last question of a page…) shows the questions again with
the reason, and the draft stays as it was.
"""

from __future__ import annotations

import copy
from typing import Any

from flask import abort, request
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from forms import editing
from forms.editing import EditError
from portal.builder import questions
from portal.builder.edit_messages import translated
from portal.builder.views import bp, load, refused, render_tab, save_and_return
from portal.catalog.models import Procedure, ProcedureDraft
from portal.core.policies import procedure_builder

PREFIX = "/<tenant_slug>/procedures/<int:procedure_id>/questions"


def _save(procedure: Procedure, draft: ProcedureDraft, document: dict[str, Any], action: str,
          subject: str, message: str, endpoint: str = "builder.questions",
          **values: Any) -> Response:  # fmt: skip
    return save_and_return(
        procedure, draft, document, action, message, endpoint, values, item=subject
    )


def _refuse(procedure: Procedure, draft: ProcedureDraft, error: EditError) -> Any:
    errors = {f"_{n}": problem for n, problem in enumerate(translated(error))}
    return refused("builder/questions.html", procedure, draft, errors=errors, **_overview(draft))


def _overview(draft: ProcedureDraft) -> dict[str, Any]:
    return {"types": questions.TYPES, "pages": draft.document["form"]["pages"]}


@bp.route(PREFIX, endpoint="questions")
@procedure_builder
def questions_page(tenant_slug: str, procedure_id: int) -> str:
    """Every page and question of the draft, with what can be done to each."""
    procedure, draft = load(procedure_id)
    return render_tab("builder/questions.html", procedure, draft, errors={}, **_overview(draft))


@bp.route(f"{PREFIX}/pages", methods=["POST"])
@procedure_builder
def add_page(tenant_slug: str, procedure_id: int) -> Any:
    """Add a page at the end, named as typed."""
    procedure, draft = load(procedure_id)
    title = request.form.get("title", "").strip()
    if not title:
        error = EditError([_("Enter the title of the new page in Japanese.")])
        return _refuse(procedure, draft, error)
    document = editing.add_page(draft.document, {"ja": title})
    page_id = document["form"]["pages"][-1]["id"]
    # A page needs a question: start it with a guidance text the owner replaces.
    first = {"id": editing.new_id(document), "type": "guidance", "label": {"ja": title},
             "body": {"ja": "このページの説明を入力してください。"}}  # fmt: skip
    document = _with_first_field(document, page_id, first)
    return _save(procedure, draft, document, "page_add", title,
                 _("The page was added. Add its questions."))  # fmt: skip


def _with_first_field(
    document: dict[str, Any], page_id: str, field: dict[str, Any]
) -> dict[str, Any]:
    changed = copy.deepcopy(document)
    for page in changed["form"]["pages"]:
        if page["id"] == page_id and not page.get("fields"):
            page["fields"] = [field]
    return changed


@bp.route(f"{PREFIX}/pages/<page_id>", methods=["GET", "POST"])
@procedure_builder
def edit_page(tenant_slug: str, procedure_id: int, page_id: str) -> Any:
    """A page's title in Japanese and English."""
    procedure, draft = load(procedure_id)
    page = _page(draft.document, page_id)
    if request.method == "GET":
        values = {"title_ja": page["title"].get("ja", ""), "title_en": page["title"].get("en", "")}
        return render_tab(
            "builder/page.html", procedure, draft, page=page, values=values, errors={}
        )
    title = {**page["title"], "ja": request.form.get("title_ja", "").strip()}
    title.pop("en", None)
    if request.form.get("title_en", "").strip():
        title["en"] = request.form["title_en"].strip()
    if not title["ja"]:
        return refused("builder/page.html", procedure, draft, page=page, values=request.form,
                       errors={"title_ja": _("Enter the Japanese title of the page.")})  # fmt: skip
    document = editing.update_page(draft.document, page_id, title, page.get("show_if"))
    return _save(procedure, draft, document, "page_edit", title["ja"], _("The page was saved."))


def _page(document: dict[str, Any], page_id: str) -> dict[str, Any]:
    page = next((p for p in document["form"]["pages"] if p["id"] == page_id), None)
    if page is None:
        abort(404)
    return page


@bp.route(f"{PREFIX}/pages/<page_id>/change", methods=["POST"])
@procedure_builder
def change_page(tenant_slug: str, procedure_id: int, page_id: str) -> Any:
    """Move a page up or down, or delete it."""
    procedure, draft = load(procedure_id)
    page = _page(draft.document, page_id)
    action = request.form.get("action")
    try:
        if action in ("up", "down"):
            document = editing.move_page(draft.document, page_id, -1 if action == "up" else 1)
            message = _("The page was moved.")
        elif action == "delete":
            document = editing.delete_page(draft.document, page_id)
            message = _("The page was deleted.")
        else:
            abort(400)
    except EditError as error:
        return _refuse(procedure, draft, error)
    return _save(procedure, draft, document, f"page_{action}", page["title"].get("ja", ""), message)


def _group_of(document: dict[str, Any], group_id: str | None) -> dict[str, Any] | None:
    if not group_id:
        return None
    for page in document["form"]["pages"]:
        for field in page["fields"]:
            if field["id"] == group_id and field["type"] == "group":
                return field
    abort(404)


def _find(document: dict[str, Any], field_id: str, group: dict[str, Any] | None) -> dict[str, Any]:
    fields = (
        group["fields"] if group else [f for p in document["form"]["pages"] for f in p["fields"]]
    )
    found = next((f for f in fields if f["id"] == field_id), None)
    if found is None:
        abort(404)
    return found


@bp.route(f"{PREFIX}/new", methods=["GET", "POST"])
@procedure_builder
def new_field(tenant_slug: str, procedure_id: int) -> Any:
    """The editor of a new question of the chosen type, added to its page when saved."""
    procedure, draft = load(procedure_id)
    field_type = request.values.get("type", "")
    group_id = request.values.get("group") or None
    page_id = request.values.get("page", "")
    if field_type not in questions.TYPES or (group_id and field_type in questions.NOT_IN_GROUPS):
        abort(404)
    group = _group_of(draft.document, group_id)
    if group is None:
        _page(draft.document, page_id)
    field = questions.blank_field(field_type, editing.new_id(draft.document))
    return _edit(procedure, draft, field, group, page_id, is_new=True)


@bp.route(f"{PREFIX}/fields/<field_id>", methods=["GET", "POST"])
@procedure_builder
def edit_field(tenant_slug: str, procedure_id: int, field_id: str) -> Any:
    """The editor of an existing question."""
    procedure, draft = load(procedure_id)
    group = _group_of(draft.document, request.values.get("group"))
    field = _find(draft.document, field_id, group)
    return _edit(procedure, draft, field, group, "", is_new=False)


def _edit(procedure: Procedure, draft: ProcedureDraft, field: dict[str, Any],
          group: dict[str, Any] | None, page_id: str, is_new: bool) -> Any:  # fmt: skip
    context = {"field": field, "group": group, "page_id": page_id, "is_new": is_new,
               "settings": questions.settings_of(field["type"]), "types": questions.TYPES,
               "file_kinds": questions.FILE_KINDS,
               "no_required": field["type"] in questions.NO_REQUIRED}  # fmt: skip
    if request.method == "GET":
        values = questions.form_values(field)
        return render_tab(
            "builder/field.html", procedure, draft, values=values, errors={}, **context
        )
    taken = editing.used_ids(draft.document) - ({field["id"]} if not is_new else set())
    changed, errors = questions.read_field(field, request.form, taken)
    if not errors:
        try:
            document = _place(draft.document, field, changed, group, page_id, is_new)
        except EditError as error:
            errors = {f"_{n}": problem for n, problem in enumerate(translated(error))}
    if errors:
        values = {**request.form.to_dict(), "accept": request.form.getlist("accept")}
        return refused(
            "builder/field.html", procedure, draft, values=values, errors=errors, **context
        )
    label = changed["label"]["ja"]
    return _save(procedure, draft, document, "question_add" if is_new else "question_edit", label,
                 _("The question 「%(label)s」 was saved.", label=label))  # fmt: skip


def _place(document: dict[str, Any], old: dict[str, Any], new: dict[str, Any],
           group: dict[str, Any] | None, page_id: str, is_new: bool) -> dict[str, Any]:  # fmt: skip
    if group is None:
        if is_new:
            return editing.add_field(document, page_id, new)
        return editing.replace_field(document, old["id"], new)
    updated = copy.deepcopy(group)
    if is_new:
        updated["fields"].append(new)
    else:
        updated["fields"] = [new if f["id"] == old["id"] else f for f in updated["fields"]]
    return editing.replace_field(document, group["id"], updated)


@bp.route(f"{PREFIX}/fields/<field_id>/change", methods=["POST"])
@procedure_builder
def change_field(tenant_slug: str, procedure_id: int, field_id: str) -> Any:
    """Move a question up or down or to another page, or delete it."""
    procedure, draft = load(procedure_id)
    group = _group_of(draft.document, request.form.get("group"))
    field = _find(draft.document, field_id, group)
    action = request.form.get("action", "")
    try:
        document, message = _change(draft.document, field, group, action)
    except EditError as error:
        return _refuse(procedure, draft, error)
    label = field["label"].get("ja", field_id)
    endpoint, values = ("builder.questions", {})
    if group:
        endpoint, values = "builder.edit_field", {"field_id": group["id"]}
    return _save(procedure, draft, document, f"question_{action.split(':')[0]}", label, message,
                 endpoint, **values)  # fmt: skip


def _change(document: dict[str, Any], field: dict[str, Any], group: dict[str, Any] | None,
            action: str) -> tuple[dict[str, Any], str]:  # fmt: skip
    if group is not None:
        return _change_in_group(document, field, group, action)
    if action in ("up", "down"):
        return editing.move_field(document, field["id"], -1 if action == "up" else 1), _(
            "The question was moved."
        )
    if action.startswith("page:"):
        return editing.move_field_to_page(document, field["id"], action[5:]), _(
            "The question was moved to another page."
        )
    if action == "delete":
        return editing.delete_field(document, field["id"]), _("The question was deleted.")
    abort(400)


def _change_in_group(document: dict[str, Any], field: dict[str, Any], group: dict[str, Any],
                     action: str) -> tuple[dict[str, Any], str]:  # fmt: skip
    fields = list(group["fields"])
    index = fields.index(field)
    if action in ("up", "down"):
        target = max(0, min(len(fields) - 1, index + (-1 if action == "up" else 1)))
        fields.insert(target, fields.pop(index))
        message = _("The question was moved.")
    elif action == "delete":
        if len(fields) == 1:
            raise EditError([_("A repeating group needs at least one question.")])
        fields.pop(index)
        message = _("The question was deleted.")
    else:
        abort(400)
    return editing.replace_field(document, group["id"], {**group, "fields": fields}), message
