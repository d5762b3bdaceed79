"""Fill the English catalog from the source strings, which are written in English.

Run by ``make update-messages``: every new message id becomes its own English
translation, and existing English wording (edited on purpose) is kept.
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.pofile import read_po, write_po

PATH = (
    Path(__file__).resolve().parent.parent / "translations" / "en" / "LC_MESSAGES" / "messages.po"
)


def main() -> None:
    """Copy each untranslated message id into its English string."""
    with PATH.open("rb") as handle:
        catalog = read_po(handle, locale="en")
    for message in catalog:
        if isinstance(message.id, tuple):
            # A plural: English has two forms, the singular and the plural source texts.
            if not all(message.string):
                message.string = message.id
        elif message.id and not message.string:
            message.string = message.id
        message.flags.discard("fuzzy")
    with PATH.open("wb") as handle:
        write_po(handle, catalog, sort_output=True)


if __name__ == "__main__":
    main()
