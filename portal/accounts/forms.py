"""Static WTForms for the account pages; labels are translated lazily."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import Email, EqualTo, InputRequired, Length

MIN_PASSWORD = 10


def _required(message: Any) -> InputRequired:
    return InputRequired(message=message)


def _new_password(label: Any) -> PasswordField:
    return PasswordField(
        label,
        validators=[
            _required(_l("Enter a password.")),
            Length(
                min=MIN_PASSWORD,
                max=200,
                message=_l("Use at least %(num)d characters.", num=MIN_PASSWORD),
            ),
        ],
    )


def _password_again(label: Any) -> PasswordField:
    return PasswordField(
        label,
        validators=[
            _required(_l("Enter the password again.")),
            EqualTo("password", message=_l("The passwords do not match.")),
        ],
    )


class LoginForm(FlaskForm):
    """Sign in with e-mail and password."""

    email = EmailField(
        _l("E-mail address"), validators=[_required(_l("Enter your e-mail address."))]
    )
    password = PasswordField(_l("Password"), validators=[_required(_l("Enter your password."))])


class RegisterForm(FlaskForm):
    """Create a resident account."""

    family_name = StringField(
        _l("Family name"), validators=[_required(_l("Enter your family name.")), Length(max=100)]
    )
    given_name = StringField(
        _l("Given name"), validators=[_required(_l("Enter your given name.")), Length(max=100)]
    )
    email = EmailField(
        _l("E-mail address"),
        validators=[
            _required(_l("Enter your e-mail address.")),
            Email(message=_l("Enter an e-mail address like name@example.jp.")),
        ],
    )
    password = _new_password(_l("Password"))
    password_confirm = _password_again(_l("Password again"))


class ForgotPasswordForm(FlaskForm):
    """Ask for a password reset link."""

    email = EmailField(
        _l("E-mail address"), validators=[_required(_l("Enter your e-mail address."))]
    )


class ResetPasswordForm(FlaskForm):
    """Choose a new password."""

    password = _new_password(_l("New password"))
    password_confirm = _password_again(_l("New password again"))


class GuestForm(FlaskForm):
    """Apply without an account: the e-mail address the link is sent to."""

    email = EmailField(
        _l("E-mail address"),
        validators=[
            _required(_l("Enter your e-mail address.")),
            Email(_l("Enter an e-mail address in the right format, like name@example.jp.")),
        ],
    )
