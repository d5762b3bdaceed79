"""Small, pure edits of a draft procedure document, as the no-code builder makes them.

Every edit takes a document and returns a new one; the input is never changed. An edit
that would break the form is refused with EditError, whose messages say where and why in
words municipal staff understand, naming questions, pages, groups, stages and computed
values by their Japanese label (by their id only when they have none). Conditions may only
look at earlier answers (as forms.definition requires), so edits that would make a
condition look ahead are refused; problems already in the draft are not blamed on the edit
that did not cause them.

Each message is a Message: a fixed English template with ``{name}`` placeholders and the
values to put in them, which may be messages themselves (a place inside a refusal). Its
``text`` is the English sentence; the portal translates the template (every one is listed
in TEMPLATES) and fills in the values, so this module needs no translation machinery.
"""

from __future__ import annotations

import copy
import dataclasses
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from forms.computed import computed_problems
from forms.definition import build_form
from forms.fees import formula_fields, parse_formula
from forms.model import DEFAULT_LOCALE, DefinitionError

Document = Mapping[str, Any]

_ID = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
_NAME = re.compile(r"\"[^\"]*\"|'[^']*'|([A-Za-z_][A-Za-z0-9_]*)(\s*\()?")
# Jinja spellings of an answer or computed value: x.get('id'), x['id'], x.id.
_TEMPLATE_REF = re.compile(
    r"\b(?:answer_by_id|computed)\s*(?:\.\s*get\s*\(\s*(['\"])(?P<a>\w+)\1"
    r"|\[\s*(['\"])(?P<b>\w+)\3\s*\]|\.\s*(?P<c>[A-Za-z_]\w*))"
)
METADATA_KEYS = frozenset(
    {
        "title",
        "description",
        "category",
        "eligibility",
        "contact",
        "keywords",
        "fee",
        "standard_processing_days",
        "guest",
        "application_period",
        "signature",
        "collects_my_number",
    }
)


# Messages -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Message:
    """A sentence for staff: a fixed English template and the values of its placeholders.

    ``template`` is one of TEMPLATES, with ``{name}`` placeholders; ``args`` gives each
    placeholder a value, either plain text (a label, an id, a number) or another Message
    (a place inside a refusal). A translator translates the template and renders nested
    messages first; ``text`` is the English sentence.
    """

    template: str
    args: Mapping[str, str | Message] = dataclasses.field(default_factory=dict)

    def __post_init__(self) -> None:
        # A copy of its own, so that changing the caller's dict cannot change the message.
        object.__setattr__(self, "args", dict(self.args))

    def __hash__(self) -> int:
        return hash((self.template, tuple(sorted(self.args.items()))))

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        """The sentence in English, nested messages included."""
        rendered = {
            name: value.text if isinstance(value, Message) else value
            for name, value in self.args.items()
        }
        return self.template.format(**rendered)

    def parts(self) -> Iterator[Message]:
        """This message and every message nested in its values, outermost first."""
        yield self
        for value in self.args.values():
            if isinstance(value, Message):
                yield from value.parts()


def _plain(text: str) -> Message:
    """A sentence made elsewhere (another module's check, a translated portal text)."""
    return Message("{text}", {"text": text})


class EditError(ValueError):
    """An edit the builder refuses, with one sentence for each problem.

    ``messages`` are the sentences as Messages, to be translated for staff; ``problems``
    are the same sentences in English. Plain strings given to it (such as texts the portal
    has already translated) are kept as they are.
    """

    def __init__(self, problems: Sequence[str | Message]) -> None:
        if isinstance(problems, str):
            problems = [problems]  # one sentence, not one problem per character
        self.messages = [p if isinstance(p, Message) else _plain(str(p)) for p in problems]
        self.problems = [message.text for message in self.messages]
        super().__init__("; ".join(self.problems))


# Names shown to staff ---------------------------------------------------------------------


def _ja(text: Any) -> str:
    return str(text.get(DEFAULT_LOCALE, "")) if isinstance(text, Mapping) else ""


def _named(item: Mapping[str, Any], text_key: str, labelled: str, unlabelled: str) -> Message:
    """``labelled`` with the Japanese label (placeholder ``text_key``), else ``unlabelled``
    with the id (placeholder ``id``)."""
    label = _ja(item.get(text_key))
    if label:
        return Message(labelled, {text_key: label})
    return Message(unlabelled, {"id": str(item.get("id"))})


def _question(field: Mapping[str, Any]) -> Message:
    return _named(field, "label", "question 「{label}」", "question '{id}'")


def _page_name(page: Mapping[str, Any]) -> Message:
    return _named(page, "title", "page 「{title}」", "page '{id}'")


def _group(field: Mapping[str, Any]) -> Message:
    return _named(field, "label", "group 「{label}」", "group '{id}'")


def _stage(stage: Mapping[str, Any]) -> Message:
    return _named(stage, "title", "stage 「{title}」", "stage '{id}'")


def _computed(item: Mapping[str, Any]) -> Message:
    return _named(item, "label", "computed value 「{label}」", "computed value '{id}'")


def _listed(places: Sequence[Message]) -> Message:
    """'A, and by B, and by C': one message per join, so that each can be translated."""
    first, *rest = places
    if not rest:
        return first
    return Message("{first}, and by {rest}", {"first": first, "rest": _listed(rest)})


def _join_uses(places: Sequence[Message]) -> Message:
    """'it is used by A, and by B' for a refusal message."""
    return Message("it is used by {places}", {"places": _listed(places)})


def _refused(refusal: Message, reason: Message) -> Message:
    """'<what cannot be done>: <why>'."""
    return Message("{refusal}: {reason}", {"refusal": refusal, "reason": reason})


# Walking the document ---------------------------------------------------------------------


def _pages(document: Document) -> list[dict[str, Any]]:
    pages: list[dict[str, Any]] = document.get("form", {}).get("pages", [])
    return pages


def _fields(document: Document) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    """Every top-level field with its page."""
    for page in _pages(document):
        for field in page.get("fields", []):
            yield page, field


def used_ids(document: Document) -> set[str]:
    """Every id in use: pages, questions (those inside groups too) and computed values."""
    ids = {str(page.get("id")) for page in _pages(document)}
    for _, field in _fields(document):
        ids.add(str(field.get("id")))
        ids.update(str(inner.get("id")) for inner in field.get("fields", []))
    ids.update(str(item.get("id")) for item in document.get("computed", []))
    return ids


def _page_at(document: Document, page_id: str) -> int:
    for index, page in enumerate(_pages(document)):
        if page.get("id") == page_id:
            return index
    raise EditError([Message("there is no page '{id}'", {"id": page_id})])


def _field_at(document: Document, field_id: str) -> tuple[dict[str, Any], int]:
    """The page holding a top-level field, and the field's position on it."""
    for page in _pages(document):
        for index, field in enumerate(page.get("fields", [])):
            if field.get("id") == field_id:
                return page, index
    for _, field in _fields(document):
        for inner in field.get("fields", []):
            if inner.get("id") == field_id:
                template = "{question} is inside {group}: edit the group instead"
                args = {"question": _question(inner), "group": _group(field)}
                raise EditError([Message(template, args)])
    raise EditError([Message("there is no question '{id}'", {"id": field_id})])


# Where ids are used -------------------------------------------------------------------------


@dataclass(frozen=True)
class _Use:
    """One place that reads answers or computed values, and who owns it."""

    place: Message
    names: frozenset[str]
    owner: str  # a field id, "page:<id>", "computed:<id>", "fee", "route" or "notice"


def _condition_names(data: Any) -> frozenset[str]:
    """Field ids a condition looks at, tolerating the half-made conditions of a draft."""
    if not isinstance(data, Mapping):
        return frozenset()
    for key in ("all", "any"):
        if isinstance(data.get(key), list):
            return frozenset[str]().union(*(_condition_names(part) for part in data[key]))
    field = data.get("field")
    return frozenset({field}) if isinstance(field, str) else frozenset()


def _formula_names(text: Any, known: set[str]) -> frozenset[str]:
    """Ids a formula reads: parsed when it parses, else every name that is not a call."""
    if not isinstance(text, str):
        return frozenset()
    try:
        return formula_fields(parse_formula(text, known))
    except DefinitionError:
        matches = (m for m in _NAME.finditer(text) if m.group(1) and not m.group(2))
        return frozenset(m.group(1) for m in matches)


def _template_names(text: Any) -> frozenset[str]:
    if not isinstance(text, str):
        return frozenset()
    return frozenset(
        m.group("a") or m.group("b") or m.group("c") for m in _TEMPLATE_REF.finditer(text)
    )


def _field_condition_names(field: Mapping[str, Any]) -> frozenset[str]:
    """Ids a question's conditions (shown if, required if) look at."""
    return _condition_names(field.get("show_if")) | _condition_names(field.get("required_if"))


def _page_place(page: Mapping[str, Any]) -> Message:
    return Message("the condition of {page}", {"page": _page_name(page)})


def _field_place(page: Mapping[str, Any], field: Mapping[str, Any]) -> Message:
    args = {"question": _question(field), "page": _page_name(page)}
    return Message("the condition of {question} on {page}", args)


def _condition_uses(document: Document) -> Iterator[_Use]:
    for page in _pages(document):
        names = _condition_names(page.get("show_if"))
        yield _Use(_page_place(page), names, f"page:{page.get('id')}")
        for field in page.get("fields", []):
            owner = str(field.get("id"))
            yield _Use(_field_place(page, field), _field_condition_names(field), owner)
            for inner in field.get("fields", []):
                args = {"question": _question(inner), "group": _group(field)}
                place = Message("the condition of {question} in {group}", args)
                yield _Use(place, _field_condition_names(inner), owner)


def _other_uses(document: Document) -> Iterator[_Use]:
    known = used_ids(document)
    for item in document.get("computed", []):
        place = Message("the formula of {computed}", {"computed": _computed(item)})
        yield _Use(place, _formula_names(item.get("formula"), known), f"computed:{item.get('id')}")
    fee = document.get("fee")
    if isinstance(fee, Mapping):
        yield _Use(Message("the fee formula"), _formula_names(fee.get("formula"), known), "fee")
    for stage in document.get("route", {}).get("stages", []):
        for number, tier in enumerate(stage.get("tiers", []), start=1):
            args: dict[str, str | Message] = {"number": str(number), "stage": _stage(stage)}
            place = Message("authority tier {number} of {stage}", args)
            yield _Use(place, _condition_names(tier.get("when")), "route")
    template = document.get("notice", {}).get("template")
    yield _Use(Message("the notice template"), _template_names(template), "notice")


def _uses(document: Document) -> Iterator[_Use]:
    yield from _condition_uses(document)
    yield from _other_uses(document)


def references(document: Document, field_id: str) -> list[str]:
    """Every place that uses a question (or computed value) id, described in English."""
    return [place.text for place in reference_messages(document, field_id)]


def reference_messages(document: Document, field_id: str) -> list[Message]:
    """Every place that uses a question (or computed value) id, as messages to translate."""
    return _places(document, field_id, frozenset())


def _places(document: Document, name: str, owners: frozenset[str]) -> list[Message]:
    """Places using ``name``, leaving out those owned by ``owners`` (deleted with it)."""
    places = [use.place for use in _uses(document) if name in use.names and use.owner not in owners]
    return list(dict.fromkeys(places))


# Conditions look back only ------------------------------------------------------------------


def _order_issues(document: Document) -> dict[tuple[str, str, str], Message]:
    """Conditions that look at unknown, own or later answers, keyed so edits can be compared."""
    fields = [field for _, field in _fields(document)]
    position = {str(field.get("id")): i for i, field in enumerate(fields)}
    issues: dict[tuple[str, str, str], Message] = {}
    index = 0
    for page in _pages(document):
        end = index + len(page.get("fields", []))
        owner, place = f"page:{page.get('id')}", _page_place(page)
        for name in sorted(_condition_names(page.get("show_if"))):
            kind = _look_ahead(position.get(name), index, end)
            if kind:
                issues[(owner, name, kind)] = _issue(place, name, kind, fields, position)
        for field in page.get("fields", []):
            place = _field_place(page, field)
            for name in sorted(_field_condition_names(field)):
                kind = (
                    "itself"
                    if name == field.get("id")
                    else _look_ahead(position.get(name), index + 1, index + 1)
                )
                if kind:
                    key = (str(field.get("id")), name, kind)
                    issues[key] = _issue(place, name, kind, fields, position)
            index += 1
    return issues


def _look_ahead(at: int | None, first: int, end: int) -> str | None:
    """Why a condition may not look at the answer at ``at`` from before ``first``, if so."""
    if at is None:
        return "unknown"
    if at < first:
        return None
    return "same page" if at < end else "later"


def _issue(
    place: Message,
    name: str,
    kind: str,
    fields: list[dict[str, Any]],
    position: Mapping[str, int],
) -> Message:
    if kind == "unknown":
        template = "{place} looks at '{name}', which is not a question of this form"
        return Message(template, {"place": place, "name": name})
    if kind == "itself":
        return Message("{place} looks at that question itself", {"place": place})
    args = {"place": place, "question": _question(fields[position[name]])}
    if kind == "same page":
        template = (
            "{place} would look at {question}, which is on that same page; "
            "a page's condition may only look at earlier pages"
        )
        return Message(template, args)
    template = (
        "{place} would look at {question}, which comes later in the form; "
        "conditions may only look at earlier answers"
    )
    return Message(template, args)


def _checked(before: Document, after: dict[str, Any], refusal: Message) -> dict[str, Any]:
    """Return ``after`` unless the edit made a condition look ahead (or at nothing)."""
    old = _order_issues(before)
    new = [
        _refused(refusal, issue) for key, issue in _order_issues(after).items() if key not in old
    ]
    if new:
        raise EditError(new)
    return after


# Ids ------------------------------------------------------------------------------------------


def new_id(document: Document, prefix: str = "q") -> str:
    """Return an unused id (q1, q2, …) among pages, questions and computed values."""
    _check_id(prefix + "1")
    used = used_ids(document)
    number = 1
    while f"{prefix}{number}" in used:
        number += 1
    return f"{prefix}{number}"


def _check_id(value: Any) -> None:
    if not isinstance(value, str) or not _ID.match(value):
        template = (
            "{value} cannot be used as an id: "
            "use up to 40 lower-case letters, digits and _, starting with a letter"
        )
        raise EditError([Message(template, {"value": repr(value)})])


def _id_taken(document: Document, field_id: str, but: str | None = None) -> Message | None:
    """Who already uses a question id, if anyone other than ``but``."""
    for page, field in _fields(document):
        if field.get("id") == field_id and field_id != but:
            return _on_page(field, page)
    for item in document.get("computed", []):
        if item.get("id") == field_id:
            return _computed(item)
    return None


def _on_page(field: Mapping[str, Any], page: Mapping[str, Any]) -> Message:
    return Message("{question} on {page}", {"question": _question(field), "page": _page_name(page)})


def _id_used(field_id: str, by: Message) -> Message:
    return Message("the id '{id}' is already used by {owner}", {"id": field_id, "owner": by})


# Pages ----------------------------------------------------------------------------------------


def add_page(
    document: Document,
    title: Mapping[str, str],
    page_id: str | None = None,
    after: str | None = None,
) -> dict[str, Any]:
    """Add an empty page (after another, or at the end); its id is made when not given."""
    doc = copy.deepcopy(dict(document))
    pages = doc.setdefault("form", {}).setdefault("pages", [])
    page_id = page_id or new_id(doc, "p")
    _check_id(page_id)
    for page in pages:
        if page.get("id") == page_id:
            raise EditError([_id_used(page_id, _page_name(page))])
    _check_text(title, Message("the page title needs a Japanese text"))
    at = len(pages) if after is None else _page_at(doc, after) + 1
    pages.insert(at, {"id": page_id, "title": dict(title), "fields": []})
    return doc


def update_page(
    document: Document, page_id: str, title: Mapping[str, str], show_if: Mapping[str, Any] | None
) -> dict[str, Any]:
    """Change a page's title and condition (None shows the page always)."""
    doc = copy.deepcopy(dict(document))
    page = _pages(doc)[_page_at(doc, page_id)]
    _check_text(title, Message("the page title needs a Japanese text"))
    page["title"] = dict(title)
    if show_if is None:
        page.pop("show_if", None)
    else:
        page["show_if"] = copy.deepcopy(dict(show_if))
    return _checked(document, doc, Message("{page} cannot be changed", {"page": _page_name(page)}))


def move_page(document: Document, page_id: str, offset: int) -> dict[str, Any]:
    """Move a page up (negative offset) or down, stopping at either end."""
    doc = copy.deepcopy(dict(document))
    pages = _pages(doc)
    index = _page_at(doc, page_id)
    page = pages.pop(index)
    pages.insert(max(0, min(len(pages), index + offset)), page)
    return _checked(document, doc, Message("{page} cannot be moved", {"page": _page_name(page)}))


def delete_page(document: Document, page_id: str) -> dict[str, Any]:
    """Delete a page and its questions, unless something elsewhere uses them."""
    doc = copy.deepcopy(dict(document))
    pages = _pages(doc)
    index = _page_at(doc, page_id)
    page = pages[index]
    refusal = Message("{page} cannot be deleted", {"page": _page_name(page)})
    if len(pages) == 1:
        raise EditError([_refused(refusal, Message("it is the only page of the form"))])
    owners = frozenset({f"page:{page_id}", *(str(f.get("id")) for f in page["fields"])})
    problems = [
        _refused(
            refusal,
            Message(
                "{question} on it is used by {places}",
                {"question": _question(field), "places": _listed(places)},
            ),
        )
        for field in page["fields"]
        if (places := _places(doc, str(field.get("id")), owners))
    ]
    if problems:
        raise EditError(problems)
    del pages[index]
    return doc


def _check_text(text: Any, problem: Message) -> None:
    """Refuse with ``problem`` unless ``text`` has a Japanese text."""
    if not _ja(text).strip():
        raise EditError([problem])


# Questions ------------------------------------------------------------------------------------


def _check_field(document: Document, field: Mapping[str, Any], but: str | None = None) -> None:
    _check_id(field.get("id"))
    taken = _id_taken(document, str(field["id"]), but)
    if taken:
        raise EditError([_id_used(str(field["id"]), taken)])
    if not isinstance(field.get("type"), str):
        raise EditError([Message("{question} needs a type", {"question": _question(field)})])
    # Without a label the question can only be named by its id.
    template = "the label of question '{id}' needs a Japanese text"
    _check_text(field.get("label"), Message(template, {"id": str(field["id"])}))


def add_field(
    document: Document, page_id: str, field: Mapping[str, Any], after: str | None = None
) -> dict[str, Any]:
    """Add a question to a page (after another of its questions, or at the end)."""
    doc = copy.deepcopy(dict(document))
    page = _pages(doc)[_page_at(doc, page_id)]
    new = copy.deepcopy(dict(field))
    new.setdefault("id", new_id(doc))
    _check_field(doc, new)
    ids = [f.get("id") for f in page["fields"]]
    if after is not None and after not in ids:
        args: dict[str, str | Message] = {"id": after, "page": _page_name(page)}
        raise EditError([Message("there is no question '{id}' on {page}", args)])
    page["fields"].insert(len(ids) if after is None else ids.index(after) + 1, new)
    refusal = Message("{question} cannot be added", {"question": _question(new)})
    return _checked(document, doc, refusal)


def replace_field(document: Document, field_id: str, field: Mapping[str, Any]) -> dict[str, Any]:
    """Replace a question's definition; its id may change only while nothing uses it."""
    doc = copy.deepcopy(dict(document))
    page, index = _field_at(doc, field_id)
    new = copy.deepcopy(dict(field))
    new.setdefault("id", field_id)
    if new["id"] != field_id:
        places = _places(doc, field_id, frozenset({field_id}))
        if places:
            old = _question(page["fields"][index])
            refusal = Message("the id of {question} cannot be changed", {"question": old})
            raise EditError([_refused(refusal, _join_uses(places))])
    _check_field(doc, new, but=field_id)
    page["fields"][index] = new
    refusal = Message("{question} cannot be changed", {"question": _question(new)})
    return _checked(document, doc, refusal)


def move_field(document: Document, field_id: str, offset: int) -> dict[str, Any]:
    """Move a question up (negative offset) or down within its page, stopping at either end."""
    doc = copy.deepcopy(dict(document))
    page, index = _field_at(doc, field_id)
    field = page["fields"].pop(index)
    page["fields"].insert(max(0, min(len(page["fields"]), index + offset)), field)
    return _checked(document, doc, _cannot_move(field))


def move_field_to_page(document: Document, field_id: str, page_id: str) -> dict[str, Any]:
    """Move a question to the end of another page."""
    doc = copy.deepcopy(dict(document))
    source, index = _field_at(doc, field_id)
    target = _pages(doc)[_page_at(doc, page_id)]
    field = source["fields"][index]
    if len(source["fields"]) == 1 and source is not target:
        template = "it is the only question on {page}, and a page needs at least one question"
        only_one = Message(template, {"page": _page_name(source)})
        raise EditError([_refused(_cannot_move(field), only_one)])
    source["fields"].pop(index)
    target["fields"].append(field)
    return _checked(document, doc, _cannot_move(field))


def _cannot_move(field: Mapping[str, Any]) -> Message:
    return Message("{question} cannot be moved", {"question": _question(field)})


def delete_field(document: Document, field_id: str) -> dict[str, Any]:
    """Delete a question nothing uses; the last question of a page goes with its page."""
    doc = copy.deepcopy(dict(document))
    page, index = _field_at(doc, field_id)
    field = page["fields"][index]
    refusal = Message("{question} cannot be deleted", {"question": _question(field)})
    places = _places(doc, field_id, frozenset({field_id}))
    if places:
        raise EditError([_refused(refusal, _join_uses(places))])
    if len(page["fields"]) == 1:
        template = (
            "it is the only question on {page}, and a page needs at least one question; "
            "delete the page instead"
        )
        raise EditError([_refused(refusal, Message(template, {"page": _page_name(page)}))])
    page["fields"].pop(index)
    return doc


# Route, notice and settings -------------------------------------------------------------------


def set_route(document: Document, route: Mapping[str, Any]) -> dict[str, Any]:
    """Replace the approval route (checked by workflows.routes when published)."""
    return _with(document, "route", route, Message("the route must be an object"))


def set_notice(document: Document, notice: Mapping[str, Any]) -> dict[str, Any]:
    """Replace the notice settings (subject, wording, template)."""
    return _with(document, "notice", notice, Message("the notice must be an object"))


def _with(document: Document, key: str, value: Any, refusal: Message) -> dict[str, Any]:
    if not isinstance(value, Mapping):
        raise EditError([refusal])
    doc = copy.deepcopy(dict(document))
    doc[key] = copy.deepcopy(dict(value))
    return doc


def set_metadata(document: Document, **values: Any) -> dict[str, Any]:
    """Set procedure settings (title, description, fee, …); None removes a setting."""
    unknown = sorted(set(values) - METADATA_KEYS)
    if unknown:
        template = "'{key}' is not a setting of a procedure"
        raise EditError([Message(template, {"key": key}) for key in unknown])
    if "title" in values:
        _check_text(values["title"], Message("the title needs a Japanese text"))
    doc = copy.deepcopy(dict(document))
    for key, value in values.items():
        if value is None:
            doc.pop(key, None)
        else:
            doc[key] = copy.deepcopy(value)
    return doc


# Choices as lines -----------------------------------------------------------------------------


def option_lines(options: list[dict[str, Any]], locale: str = DEFAULT_LOCALE) -> str:
    """The choices as one label per line (Japanese where a locale has no label yet)."""
    return "\n".join(_shown(option, locale) for option in options)


def _shown(option: Mapping[str, Any], locale: str) -> str:
    label = option.get("label", {})
    return str(label.get(locale) or label.get(DEFAULT_LOCALE, ""))


def options_from_lines(
    text: str, existing: list[dict[str, Any]] | None, locale: str = DEFAULT_LOCALE
) -> list[dict[str, Any]]:
    """Choices from one label per line, keeping the values of choices that already existed."""
    lines = [(n, line.strip()) for n, line in enumerate(text.splitlines(), start=1) if line.strip()]
    _refuse_duplicate_lines(lines)
    if not lines:
        raise EditError([Message("give at least one choice, one per line")])
    old = copy.deepcopy(existing or [])
    matched = _match_by_label(lines, old, locale)
    free = [i for i in range(len(old)) if i not in matched.values()]
    used = {str(option.get("value")) for option in old}
    result = []
    for position, (number, label) in enumerate(lines):
        if position in matched:
            result.append(old[matched[position]])
        elif position in free:
            free.remove(position)
            result.append(_relabelled(old[position], label, locale))
        else:
            result.append(_new_option(number, label, locale, used))
    return result


def _refuse_duplicate_lines(lines: list[tuple[int, str]]) -> None:
    first: dict[str, int] = {}
    problems = []
    for number, label in lines:
        if label in first:
            template = "choices, line {number}: '{label}' is already on line {first}"
            args = {"number": str(number), "label": label, "first": str(first[label])}
            problems.append(Message(template, args))
        first.setdefault(label, number)
    if problems:
        raise EditError(problems)


def _match_by_label(
    lines: list[tuple[int, str]], old: list[dict[str, Any]], locale: str
) -> dict[int, int]:
    """Line position -> index of the existing choice with the same label."""
    matched: dict[int, int] = {}
    for position, (_, label) in enumerate(lines):
        for index, option in enumerate(old):
            if index not in matched.values() and _shown(option, locale) == label:
                matched[position] = index
                break
    return matched


def _relabelled(option: dict[str, Any], label: str, locale: str) -> dict[str, Any]:
    # A new Japanese label makes the translations of the old one wrong: they are dropped
    # so that forms.translations reports them as missing.
    if locale == DEFAULT_LOCALE:
        option["label"] = {DEFAULT_LOCALE: label}
    else:
        option["label"] = {**option.get("label", {}), locale: label}
    return option


def _new_option(number: int, label: str, locale: str, used: set[str]) -> dict[str, Any]:
    if locale != DEFAULT_LOCALE:
        template = "choices, line {number}: new choices are added in Japanese first"
        raise EditError([Message(template, {"number": str(number)})])
    count = 1
    while f"o{count}" in used:
        count += 1
    used.add(f"o{count}")
    return {"value": f"o{count}", "label": {DEFAULT_LOCALE: label}}


# Checks while editing -------------------------------------------------------------------------


def edit_problems(document: Document) -> list[str]:
    """Structural problems of a draft (ids, conditions, formulas), in English."""
    return [message.text for message in edit_problem_messages(document)]


def edit_problem_messages(document: Document) -> list[Message]:
    """Structural problems of a draft (ids, conditions, formulas), as messages to translate.

    The engine's own checks (forms.definition, forms.fees, forms.computed) describe their
    problems in English with a path such as pages[1].fields[2].show_if; the path is replaced
    by names staff know, and the rest of their sentence is kept as it is.
    """
    problems = _shape_problems(document)
    if problems:
        return problems
    return _definition_problems(document) + _tier_problems(document)


def _shape_problems(document: Document) -> list[Message]:
    """What a draft needs before the engine's own checks can run on it."""
    if not _pages(document):
        return [Message("the form has no pages yet")]
    problems = []
    for page in _pages(document):
        name = {"page": _page_name(page)}
        if not isinstance(page.get("id"), str) or not _ja(page.get("title")):
            problems.append(Message("{page} needs an id and a Japanese title", name))
        if not page.get("fields"):
            problems.append(Message("{page} has no questions yet", name))
        for field in page.get("fields", []):
            problems += _field_shape(field)
            problems += [p for inner in field.get("fields", []) for p in _field_shape(inner)]
    for item in document.get("computed", []):
        if not all(key in item for key in ("id", "label", "formula")):
            template = "{computed} needs an id, a label and a formula"
            problems.append(Message(template, {"computed": _computed(item)}))
    return problems


def _field_shape(field: Mapping[str, Any]) -> list[Message]:
    kinds = (field.get("id"), field.get("type"))
    if all(isinstance(kind, str) for kind in kinds) and _ja(field.get("label")):
        return []
    template = "{question} needs an id, a type and a Japanese label"
    return [Message(template, {"question": _question(field)})]


def _definition_problems(document: Document) -> list[Message]:
    problems: list[Message] = []
    try:
        build_form(document["form"])
    except DefinitionError as error:
        problems += [_friendly(document, problem) for problem in error.problems]
    except (TypeError, ValueError, KeyError) as error:
        # Settings of the wrong kind (text where a number belongs) that the schema refuses.
        template = "the form has a setting of the wrong kind ({error})"
        problems.append(Message(template, {"error": repr(error)}))
    fee = document.get("fee")
    if isinstance(fee, Mapping):
        field_ids = [str(field.get("id")) for _, field in _fields(document)]
        try:
            parse_formula(str(fee.get("formula", "")), field_ids, where="fee.formula")
        except DefinitionError as error:
            problems += [_friendly(document, problem) for problem in error.problems]
    return problems + [_friendly(document, problem) for problem in computed_problems(document)]


def _tier_problems(document: Document) -> list[Message]:
    known = {str(field.get("id")) for _, field in _fields(document)}
    known |= {str(item.get("id")) for item in document.get("computed", [])}
    template = "{place} looks at '{name}', which is neither a question nor a computed value"
    return [
        Message(template, {"place": use.place, "name": name})
        for use in _other_uses(document)
        if use.owner == "route"
        for name in sorted(use.names - known)
    ]


_PATH = re.compile(
    r"^(?:pages\[(?P<page>\d+)\](?:\.fields\[(?P<field>\d+)\])?(?:\.(?P<key>show_if|required_if))?"
    r"|computed\[(?P<computed>\d+)\]\.(?P<part>\w+)|fee\.formula)"
)


def _friendly(document: Document, problem: str) -> Message:
    """Replace a leading path such as pages[1].fields[2].show_if with names staff know."""
    match = _PATH.match(problem)
    if match is None:
        return _plain(problem)
    try:
        where = _describe_path(document, match)
    except (IndexError, KeyError):
        return _plain(problem)
    # The rest (": 'yes' is not an option of 'q3'") is another module's English.
    return Message("{place}{rest}", {"place": where, "rest": problem[match.end() :]})


def _describe_path(document: Document, match: re.Match[str]) -> Message:
    if match.group(0) == "fee.formula":
        return Message("the fee formula")
    if match.group("computed") is not None:
        item = _computed(document["computed"][int(match.group("computed"))])
        if match.group("part") == "formula":
            return Message("the formula of {computed}", {"computed": item})
        return item
    page = _pages(document)[int(match.group("page"))]
    key = match.group("key")
    if match.group("field") is None:
        return _page_place(page) if key else _page_name(page)
    field = page["fields"][int(match.group("field"))]
    if key == "show_if":
        return _field_place(page, field)
    if key == "required_if":
        args = {"question": _question(field), "page": _page_name(page)}
        return Message("the condition for requiring {question} on {page}", args)
    return _on_page(field, page)


# Every template above, for the portal's translations (portal.builder.edit_messages) ------------

TEMPLATES: tuple[str, ...] = (
    # Text made elsewhere, kept as it is.
    "{text}",
    # Names.
    "question 「{label}」",
    "question '{id}'",
    "page 「{title}」",
    "page '{id}'",
    "group 「{label}」",
    "group '{id}'",
    "stage 「{title}」",
    "stage '{id}'",
    "computed value 「{label}」",
    "computed value '{id}'",
    "{question} on {page}",
    # Places that read answers.
    "the condition of {page}",
    "the condition of {question} on {page}",
    "the condition of {question} in {group}",
    "the condition for requiring {question} on {page}",
    "the formula of {computed}",
    "the fee formula",
    "authority tier {number} of {stage}",
    "the notice template",
    "{first}, and by {rest}",
    # Refusals: what cannot be done, and why.
    "{refusal}: {reason}",
    "{page} cannot be changed",
    "{page} cannot be moved",
    "{page} cannot be deleted",
    "{question} cannot be added",
    "{question} cannot be changed",
    "{question} cannot be moved",
    "{question} cannot be deleted",
    "the id of {question} cannot be changed",
    "it is used by {places}",
    "{question} on it is used by {places}",
    "it is the only page of the form",
    "it is the only question on {page}, and a page needs at least one question",
    "it is the only question on {page}, and a page needs at least one question; "
    "delete the page instead",
    # Conditions that look ahead.
    "{place} looks at '{name}', which is not a question of this form",
    "{place} looks at that question itself",
    "{place} would look at {question}, which is on that same page; "
    "a page's condition may only look at earlier pages",
    "{place} would look at {question}, which comes later in the form; "
    "conditions may only look at earlier answers",
    # Ids, texts and settings.
    "there is no page '{id}'",
    "there is no question '{id}'",
    "there is no question '{id}' on {page}",
    "{question} is inside {group}: edit the group instead",
    "{value} cannot be used as an id: "
    "use up to 40 lower-case letters, digits and _, starting with a letter",
    "the id '{id}' is already used by {owner}",
    "{question} needs a type",
    "the page title needs a Japanese text",
    "the title needs a Japanese text",
    "the label of question '{id}' needs a Japanese text",
    "the route must be an object",
    "the notice must be an object",
    "'{key}' is not a setting of a procedure",
    # Choices as lines.
    "give at least one choice, one per line",
    "choices, line {number}: '{label}' is already on line {first}",
    "choices, line {number}: new choices are added in Japanese first",
    # Checks while editing.
    "the form has no pages yet",
    "{page} needs an id and a Japanese title",
    "{page} has no questions yet",
    "{computed} needs an id, a label and a formula",
    "{question} needs an id, a type and a Japanese label",
    "the form has a setting of the wrong kind ({error})",
    "{place} looks at '{name}', which is neither a question nor a computed value",
    "{place}{rest}",
)
