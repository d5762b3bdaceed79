"""Contact details: e-mail, phone and postcode."""

import re

from forms.fields.base import (
    FieldType,
    Value,
    register,
)
from forms.japan import (
    format_phone,
)
from forms.model import Field, Problem
from forms.normalise import (
    normalise_code,
    normalise_email,
)
from forms.postcodes import normalise_postcode

# Contact details -----------------------------------------------------------------------

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@register
class EmailType(FieldType):
    """An e-mail address."""

    name = "email"
    input_type = "email"

    def normalise(self, text: str) -> str:
        """Half-width, ＠ as @, trimmed."""
        return normalise_email(text)

    def convert(self, field: Field, text: str) -> tuple[Value, list[Problem]]:
        """Check the address shape."""
        if not _EMAIL.match(text) or len(text) > 254:
            return text, [Problem(field.id, "invalid_email")]
        return text, []


class _CodeType(FieldType):
    """Codes typed as digits and hyphens (phone numbers, postcodes)."""

    def normalise(self, text: str) -> str:
        """Half-width, hyphen look-alikes as "-", no spaces."""
        return normalise_code(text)


@register
class PhoneType(_CodeType):
    """A Japanese phone number, stored hyphenated (see forms.japan.format_phone).

    Full-width digits, hyphen look-alikes, spaces, dots and parentheses are accepted,
    and "+81" becomes "0". Code ``invalid_phone``.
    """

    name = "phone"
    input_type = "tel"

    def convert(self, field: Field, text: str) -> tuple[Value, list[Problem]]:
        """Check the number and group it."""
        formatted = format_phone(text)
        if formatted is None:
            return text, [Problem(field.id, "invalid_phone")]
        return formatted, []


@register
class PostcodeType(_CodeType):
    """A postcode (郵便番号) stored as "100-0001"; code ``invalid_postcode``.

    "〒100-0001", "１００－０００１" and "1000001" are accepted. Whether the postcode
    exists is not checked (new ones appear every month); forms.postcodes.suggest_address
    suggests the address it belongs to.
    """

    name = "postcode"

    def convert(self, field: Field, text: str) -> tuple[Value, list[Problem]]:
        """Check there are 7 digits and write them as NNN-NNNN."""
        code = normalise_postcode(text)
        if code is None:
            return text, [Problem(field.id, "invalid_postcode")]
        return code, []
