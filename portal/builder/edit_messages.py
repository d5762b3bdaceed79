"""The builder's refusals and problems (forms.editing messages) in the user's language.

forms.editing cannot use Flask-Babel (the engines stay framework-free), so it describes
each refusal as a Message: a fixed English template with ``{name}`` placeholders, whose
values may be messages themselves. Here each template has its gettext counterpart, written
out literally so that ``make extract-messages`` finds it; a message is translated from the
inside out, nested messages first.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from forms.editing import EditError, Message

#: Each template of forms.editing.TEMPLATES → the same sentence for gettext, with the
#: ``{name}`` placeholders written ``%(name)s``. "%(text)s" stands for a text made
#: elsewhere (another module's English, or a text the portal has translated already) and
#: is translated as itself.
TRANSLATABLE = {
    "{text}": _l("%(text)s"),
    "question 「{label}」": _l("question 「%(label)s」"),
    "question '{id}'": _l("question '%(id)s'"),
    "page 「{title}」": _l("page 「%(title)s」"),
    "page '{id}'": _l("page '%(id)s'"),
    "group 「{label}」": _l("group 「%(label)s」"),
    "group '{id}'": _l("group '%(id)s'"),
    "stage 「{title}」": _l("stage 「%(title)s」"),
    "stage '{id}'": _l("stage '%(id)s'"),
    "computed value 「{label}」": _l("computed value 「%(label)s」"),
    "computed value '{id}'": _l("computed value '%(id)s'"),
    "{question} on {page}": _l("%(question)s on %(page)s"),
    "the condition of {page}": _l("the condition of %(page)s"),
    "the condition of {question} on {page}": _l("the condition of %(question)s on %(page)s"),
    "the condition of {question} in {group}": _l("the condition of %(question)s in %(group)s"),
    "the condition for requiring {question} on {page}": _l(
        "the condition for requiring %(question)s on %(page)s"
    ),
    "the formula of {computed}": _l("the formula of %(computed)s"),
    "the fee formula": _l("the fee formula"),
    "authority tier {number} of {stage}": _l("authority tier %(number)s of %(stage)s"),
    "the notice template": _l("the notice template"),
    "{first}, and by {rest}": _l("%(first)s, and by %(rest)s"),
    "{refusal}: {reason}": _l("%(refusal)s: %(reason)s"),
    "{page} cannot be changed": _l("%(page)s cannot be changed"),
    "{page} cannot be moved": _l("%(page)s cannot be moved"),
    "{page} cannot be deleted": _l("%(page)s cannot be deleted"),
    "{question} cannot be added": _l("%(question)s cannot be added"),
    "{question} cannot be changed": _l("%(question)s cannot be changed"),
    "{question} cannot be moved": _l("%(question)s cannot be moved"),
    "{question} cannot be deleted": _l("%(question)s cannot be deleted"),
    "the id of {question} cannot be changed": _l("the id of %(question)s cannot be changed"),
    "it is used by {places}": _l("it is used by %(places)s"),
    "{question} on it is used by {places}": _l("%(question)s on it is used by %(places)s"),
    "it is the only page of the form": _l("it is the only page of the form"),
    "it is the only question on {page}, and a page needs at least one question": _l(
        "it is the only question on %(page)s, and a page needs at least one question"
    ),
    (
        "it is the only question on {page}, and a page needs at least one question; "
        "delete the page instead"
    ): _l(
        "it is the only question on %(page)s, and a page needs at least one question; "
        "delete the page instead"
    ),
    "{place} looks at '{name}', which is not a question of this form": _l(
        "%(place)s looks at '%(name)s', which is not a question of this form"
    ),
    "{place} looks at that question itself": _l("%(place)s looks at that question itself"),
    (
        "{place} would look at {question}, which is on that same page; "
        "a page's condition may only look at earlier pages"
    ): _l(
        "%(place)s would look at %(question)s, which is on that same page; "
        "a page's condition may only look at earlier pages"
    ),
    (
        "{place} would look at {question}, which comes later in the form; "
        "conditions may only look at earlier answers"
    ): _l(
        "%(place)s would look at %(question)s, which comes later in the form; "
        "conditions may only look at earlier answers"
    ),
    "there is no page '{id}'": _l("there is no page '%(id)s'"),
    "there is no question '{id}'": _l("there is no question '%(id)s'"),
    "there is no question '{id}' on {page}": _l("there is no question '%(id)s' on %(page)s"),
    "{question} is inside {group}: edit the group instead": _l(
        "%(question)s is inside %(group)s: edit the group instead"
    ),
    (
        "{value} cannot be used as an id: use up to 40 lower-case letters, digits and _, "
        "starting with a letter"
    ): _l(
        "%(value)s cannot be used as an id: use up to 40 lower-case letters, digits and _, "
        "starting with a letter"
    ),
    "the id '{id}' is already used by {owner}": _l("the id '%(id)s' is already used by %(owner)s"),
    "{question} needs a type": _l("%(question)s needs a type"),
    "the page title needs a Japanese text": _l("the page title needs a Japanese text"),
    "the title needs a Japanese text": _l("the title needs a Japanese text"),
    "the label of question '{id}' needs a Japanese text": _l(
        "the label of question '%(id)s' needs a Japanese text"
    ),
    "the route must be an object": _l("the route must be an object"),
    "the notice must be an object": _l("the notice must be an object"),
    "'{key}' is not a setting of a procedure": _l("'%(key)s' is not a setting of a procedure"),
    "give at least one choice, one per line": _l("give at least one choice, one per line"),
    "choices, line {number}: '{label}' is already on line {first}": _l(
        "choices, line %(number)s: '%(label)s' is already on line %(first)s"
    ),
    "choices, line {number}: new choices are added in Japanese first": _l(
        "choices, line %(number)s: new choices are added in Japanese first"
    ),
    "the form has no pages yet": _l("the form has no pages yet"),
    "{page} needs an id and a Japanese title": _l("%(page)s needs an id and a Japanese title"),
    "{page} has no questions yet": _l("%(page)s has no questions yet"),
    "{computed} needs an id, a label and a formula": _l(
        "%(computed)s needs an id, a label and a formula"
    ),
    "{question} needs an id, a type and a Japanese label": _l(
        "%(question)s needs an id, a type and a Japanese label"
    ),
    "the form has a setting of the wrong kind ({error})": _l(
        "the form has a setting of the wrong kind (%(error)s)"
    ),
    "{place} looks at '{name}', which is neither a question nor a computed value": _l(
        "%(place)s looks at '%(name)s', which is neither a question nor a computed value"
    ),
    "{place}{rest}": _l("%(place)s%(rest)s"),
}


def translate(message: Message) -> str:
    """The message in the current request's language.

    Nested messages are translated first and put into the translated template; a template
    unknown here (or a translation whose placeholders do not fit) gives the English text.
    """
    args = {
        name: translate(value) if isinstance(value, Message) else value
        for name, value in message.args.items()
    }
    template = TRANSLATABLE.get(message.template)
    if template is None:
        return message.text
    try:
        return str(template) % args
    except (KeyError, TypeError, ValueError):
        # A broken translation must not break the page: English is better than nothing.
        return message.text


def translated(error: EditError) -> list[str]:
    """Each problem of a refused edit in the current request's language."""
    return [translate(message) for message in error.messages]
