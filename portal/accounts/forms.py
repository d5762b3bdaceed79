"""Static WTForms for the account pages; labels are translated lazily."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import Email, EqualTo, InputRequired, Length

MIN_PASSWORD = 10


def _required() -> InputRequired:
    return InputRequired(message=_l("Enter this information."))


class LoginForm(FlaskForm):
    """Sign in with e-mail and password."""

    email = EmailField(_l("E-mail address"), validators=[_required()])
    password = PasswordField(_l("Password"), validators=[_required()])


class RegisterForm(FlaskForm):
    """Create a resident account."""

    family_name = StringField(_l("Family name"), validators=[_required(), Length(max=100)])
    given_name = StringField(_l("Given name"), validators=[_required(), Length(max=100)])
    email = EmailField(
        _l("E-mail address"),
        validators=[
            _required(),
            Email(message=_l("Enter an e-mail address like name@example.jp.")),
        ],
    )
    password = PasswordField(
        _l("Password"),
        validators=[
            _required(),
            Length(
                min=MIN_PASSWORD,
                max=200,
                message=_l("Use at least %(num)d characters.", num=MIN_PASSWORD),
            ),
        ],
    )
    password_confirm = PasswordField(
        _l("Password again"),
        validators=[_required(), EqualTo("password", message=_l("The passwords do not match."))],
    )


class ForgotPasswordForm(FlaskForm):
    """Ask for a password reset link."""

    email = EmailField(_l("E-mail address"), validators=[_required()])


class ResetPasswordForm(FlaskForm):
    """Choose a new password."""

    password = PasswordField(
        _l("New password"),
        validators=[
            _required(),
            Length(
                min=MIN_PASSWORD,
                max=200,
                message=_l("Use at least %(num)d characters.", num=MIN_PASSWORD),
            ),
        ],
    )
    password_confirm = PasswordField(
        _l("New password again"),
        validators=[_required(), EqualTo("password", message=_l("The passwords do not match."))],
    )
