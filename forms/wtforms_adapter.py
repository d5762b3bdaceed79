"""A definition page as a WTForms form, validated by the form engine and nothing else.

One WTForms field per definition field, named by the field id. Each field reads every
HTML input its type has (``field_type(...).inputs``) with ``getlist``, so compound types
(a name, an address, a declaration, a choice with "other") and checkboxes work, and keeps
what was typed for showing it again. ``validate`` runs :func:`forms.validation.clean_page`
with the answers so far, so conditions apply exactly as on the server, and attaches each
problem, translated by a callable the caller injects, to its field's ``errors``::

    PageForm = page_form_class(page)
    form = PageForm(formdata=request.form, data=page_form_values(page, answers), locale="ja")
    if form.validate(answers=answers, message=problem_message):
        save(form.cleaned)
    else:
        form["email"].errors     # translated messages, the first problem first
        form.problems            # the engine's Problems

This module imports no web framework (WTForms itself imports none): the portal passes
``request.form`` in and its own translation function.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, ClassVar, Protocol

import wtforms
from wtforms.fields.core import UnboundField

from forms.fields import FieldType, FormValue, field_type
from forms.model import DEFAULT_LOCALE, Field, Page, Problem, localise
from forms.validation import clean_page, page_form_values


class FormData(Protocol):
    """What WTForms reads submitted input from: request.form or any MultiDict."""

    def __iter__(self) -> Iterator[str]: ...
    def __len__(self) -> int: ...
    def __contains__(self, key: Any, /) -> bool: ...
    def getlist(self, key: str, /) -> list[Any]: ...


#: Turns a problem and the field's localised label into a sentence for people.
Message = Callable[[Problem, str], str]

#: Page form classes kept for reuse; more pages than this are rebuilt when needed again.
CACHE_SIZE = 256


def problem_code(problem: Problem, label: str) -> str:
    """The default message: the problem's code, for callers without translations."""
    return problem.code


class PageField(wtforms.Field):
    """One definition field: every input it reads, what was typed, and its problems."""

    def __init__(self, label: str | None = None, *, definition: Field, **kwargs: Any) -> None:
        super().__init__(label, **kwargs)
        self.definition = definition
        self.kind: FieldType = field_type(definition.type)
        #: Names of the HTML inputs the field reads, without the form's prefix.
        self.inputs: tuple[str, ...] = self.kind.inputs(definition)
        #: Each input's value for the page: text, or a list for checkboxes.
        self.values: dict[str, FormValue] = {}
        #: Each input's submitted values, as the engine reads them.
        self.raw_inputs: dict[str, list[Any]] = {}
        self.problems: tuple[Problem, ...] = ()
        self._messages: list[str] = []

    def process(
        self,
        formdata: FormData | None,
        data: Any = None,
        extra_filters: Sequence[Callable[[Any], Any]] | None = None,
    ) -> None:
        """Read every input from formdata, or show ``data`` (input values) without it."""
        # Filters are not run: the engine normalises, and Form.process would take a field
        # whose id is "filter_<other id>" for a filter of the other field.
        self.process_errors = []
        self.object_data = data
        empty = self.kind.form_values(self.definition, None)
        if formdata is None:
            shown = data if isinstance(data, Mapping) else {}
            self.values = {name: shown.get(name, empty.get(name, "")) for name in self.inputs}
            self.raw_inputs = {name: _as_raw(value) for name, value in self.values.items()}
            self.raw_data = None
        else:
            prefix = self.name[: len(self.name) - len(self.short_name)]
            # Every input gets a key, even one the browser did not send (an unticked box),
            # as the wizard's view reads request.form: missing and empty clean alike.
            # Values are passed on as they come: the engine refuses what is not text.
            self.raw_inputs = {name: formdata.getlist(prefix + name) for name in self.inputs}
            self.values = {
                name: _shown(items, empty.get(name)) for name, items in self.raw_inputs.items()
            }
            self.raw_data = [item for items in self.raw_inputs.values() for item in items]
        self.data = self.values

    def localise(self, locale: str) -> None:
        """Show the label and the hint in a locale."""
        self.label.text = localise(self.definition.label, locale)
        self.description = localise(self.definition.hint, locale)

    def attach(self, problems: Sequence[Problem], message: Message, locale: str) -> None:
        """Keep this field's problems and their messages for the next validation."""
        label = localise(self.definition.label, locale)
        self.problems = tuple(problems)
        self._messages = [message(problem, label) for problem in problems]

    def pre_validate(self, form: wtforms.form.BaseForm) -> None:
        """Report the engine's problems before any validator a caller adds."""
        self.errors = [*self.errors, *self._messages]


def _as_raw(value: object) -> list[str]:
    # Several values (checkboxes) are a list; one input holds one text.
    if isinstance(value, str):
        return [value]
    if isinstance(value, list | tuple):
        return [str(item) for item in value]
    return []


def _shown(items: list[Any], empty: FormValue | None) -> FormValue:
    """An input's submitted values as the page shows them, shaped like page_form_values."""
    texts = [item if isinstance(item, str) else "" for item in items]
    if isinstance(empty, list) or len(texts) > 1:
        # Checkboxes render as a list; several values for another input are kept too
        # (the engine reads the first), so what was sent is shown as it was sent.
        return texts
    return texts[0] if texts else ""


class PageForm(wtforms.Form):
    """Base class of the forms page_form_class builds; one subclass per page."""

    #: The definition page; set on each subclass.
    page: ClassVar[Page]

    def __init__(
        self,
        formdata: FormData | None = None,
        obj: object | None = None,
        prefix: str = "",
        data: Mapping[str, Any] | None = None,
        meta: Mapping[str, Any] | None = None,
        *,
        locale: str = DEFAULT_LOCALE,
        **kwargs: Any,
    ) -> None:
        self._locale = locale
        self._cleaned: dict[str, Any] | None = None
        self._problems: tuple[Problem, ...] = ()
        super().__init__(formdata, obj, prefix, data, meta, **kwargs)
        self._localise(locale)

    def __setattr__(self, name: str, value: object) -> None:
        # WTForms mirrors each field as an attribute of the form. A field id such as
        # "data", "errors", "meta" or "validate" would hide the form's own API, so such
        # a field is reachable only as form[id].
        if isinstance(value, PageField) and (hasattr(type(self), name) or name in vars(self)):
            return
        super().__setattr__(name, value)

    @property
    def locale(self) -> str:
        """The locale of the labels and of the messages."""
        return self._locale

    @property
    def page_fields(self) -> list[PageField]:
        """The fields in page order, typed (form[id] and iteration give wtforms.Field)."""
        return [field for field in self if isinstance(field, PageField)]

    def field(self, field_id: str) -> PageField:
        """The field with this id, typed; KeyError if there is none."""
        found = self[field_id]
        if not isinstance(found, PageField):
            raise KeyError(field_id)
        return found

    @property
    def values(self) -> dict[str, FormValue]:
        """Every input's value to show, as page_form_values gives them for stored answers."""
        return {name: value for f in self.page_fields for name, value in f.values.items()}

    @property
    def raw_inputs(self) -> dict[str, list[Any]]:
        """Every input's submitted values, as clean_page reads them."""
        return {name: items for f in self.page_fields for name, items in f.raw_inputs.items()}

    @property
    def cleaned(self) -> dict[str, Any]:
        """The engine's cleaned values of the page, by field id; only after validate()."""
        if self._cleaned is None:
            raise RuntimeError("the form has not been validated: call validate() first")
        return self._cleaned

    @property
    def problems(self) -> tuple[Problem, ...]:
        """The engine's problems found by the last validate(), in page order."""
        return self._problems

    def process(
        self,
        formdata: Any = None,  # also WebOb's multidicts, which WTForms wraps
        obj: object | None = None,
        data: Mapping[str, Any] | None = None,
        extra_filters: Mapping[str, Sequence[Any]] | None = None,
        **kwargs: object,
    ) -> None:
        """Read formdata, or show ``data``: input values as page_form_values renders them."""
        if obj is not None:
            # Stored answers are keyed by field id, not by input: render them first.
            raise TypeError("pass data=page_form_values(page, answers) rather than obj")
        shown = {**(data or {}), **kwargs}
        # A compound field's inputs ("name.family") do not match its name, so each field
        # gets the values of all its inputs instead of WTForms' one value per field name.
        per_field = {
            f.short_name: {name: shown[name] for name in f.inputs if name in shown}
            for f in self.page_fields
        }
        super().process(formdata, data=per_field, extra_filters=extra_filters)

    def validate(
        self,
        extra_validators: Mapping[str, Sequence[Any]] | None = None,
        *,
        answers: Mapping[str, Any] | None = None,
        message: Message = problem_code,
        locale: str | None = None,
    ) -> bool:
        """Clean the page with the engine and put each problem, translated, on its field.

        ``answers`` are the answers so far, as for clean_page: with them conditions apply
        (a hidden field is None without problems), without them none do. ``message``
        turns a problem and the label localised for ``locale`` (default: the form's)
        into the text of an error.
        """
        if locale is not None:
            self._localise(locale)
        result = clean_page(self.page, self.raw_inputs, answers)
        self._cleaned = dict(result.values)
        self._problems = result.problems
        for f in self.page_fields:
            mine = [problem for problem in result.problems if problem.field_id == f.short_name]
            f.attach(mine, message, self._locale)
        return super().validate(extra_validators) and result.ok

    def _localise(self, locale: str) -> None:
        self._locale = locale
        for f in self.page_fields:
            f.localise(locale)


_classes: OrderedDict[int, tuple[Page, type[PageForm]]] = OrderedDict()
# Threaded servers build forms concurrently; reordering and evicting must not interleave.
_classes_lock = threading.Lock()


def page_form_class(page: Page) -> type[PageForm]:
    """Return the WTForms form class of a page, built once per page object."""
    # Pages hold dicts and cannot be hashed: the cache is keyed by identity, and keeps
    # the page itself so that its id is not reused by another object while cached.
    with _classes_lock:
        entry = _classes.get(id(page))
        if entry is not None and entry[0] is page:
            _classes.move_to_end(id(page))
            return entry[1]
        built = _build(page)
        _classes[id(page)] = (page, built)
        while len(_classes) > CACHE_SIZE:
            _classes.popitem(last=False)
    return built


def _build(page: Page) -> type[PageForm]:
    class Built(PageForm):
        pass

    Built.page = page
    Built.__name__ = Built.__qualname__ = f"PageForm_{page.id}"
    # Fields are listed here rather than declared as class attributes: a field id may be
    # the name of a method ("validate"), and the page order must be kept as it is.
    unbound = [
        (f.id, UnboundField(PageField, label=localise(f.label, DEFAULT_LOCALE), definition=f))
        for f in page.fields
    ]
    # FormMeta resets _unbound_fields when it creates a class, so it is set afterwards; the
    # stubs type the attribute as a read-only descriptor, hence setattr.
    setattr(Built, "_unbound_fields", unbound)  # noqa: B010
    return Built


def page_form(
    page: Page,
    answers: Mapping[str, Any],
    formdata: FormData | None = None,
    locale: str = DEFAULT_LOCALE,
) -> PageForm:
    """Build the form of a page showing formdata, or the stored answers without it."""
    return page_form_class(page)(formdata, data=page_form_values(page, answers), locale=locale)
