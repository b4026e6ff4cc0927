"""Forms for accounts. Messages say how to fix the problem, in plain language."""

from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, RadioField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    AnyOf,
    DataRequired,
    Email,
    EqualTo,
    InputRequired,
    Length,
    ValidationError,
)

from fonds.fields import KnownChoice
from fonds.roles import Role

EMAIL_MESSAGE = _l("Enter an e-mail address like name@example.nl.")


def strip(value):
    """Spaces around a typed or pasted value are never meant."""
    return value.strip() if isinstance(value, str) else value


class MaxCharacters:
    """A limit on typed characters. The message names the field (it is also read in the error
    summary at the top of the page) and says how many characters there are now."""

    def __init__(self, limit: int) -> None:
        self.limit = limit

    def __call__(self, form, field) -> None:
        count = len(field.data or "")
        if count > self.limit:
            raise ValidationError(
                _l(
                    "‘%(field)s’ is too long. Use at most %(limit)s characters. You now have "
                    "%(count)s.",
                    field=field.label.text,
                    limit=self.limit,
                    count=count,
                )
            )


def email_field(label=None, missing=None) -> EmailField:
    """An e-mail address field; `missing` is the message when it is left empty (whose address
    it is: one's own by default)."""
    return EmailField(
        label or _l("E-mail address"),
        filters=[strip],
        validators=[
            DataRequired(message=missing or _l("Enter your e-mail address.")),
            Length(max=254, message=_l("An e-mail address can have at most 254 characters.")),
            Email(message=EMAIL_MESSAGE, check_deliverability=False),
        ],
        render_kw={"autocomplete": "email", "spellcheck": "false"},
    )


class StrongPassword:
    """At least PASSWORD_MIN_LENGTH characters; long passphrases are welcome."""

    def __call__(self, form, field) -> None:
        minimum = current_app.config["PASSWORD_MIN_LENGTH"]
        if len(field.data or "") < minimum:
            raise ValidationError(
                _l(
                    "Your password is too short. Use at least %(minimum)s characters, for "
                    "example a sentence of four words.",
                    minimum=minimum,
                )
            )
        if len(field.data) > 256:
            raise ValidationError(_l("Your password is too long. Use at most 256 characters."))


def new_password_fields():
    password = PasswordField(
        _l("Password"),
        description=_l("At least 12 characters. A sentence of four words is easy to remember."),
        validators=[InputRequired(message=_l("Choose a password.")), StrongPassword()],
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("Repeat password"),
        validators=[
            InputRequired(message=_l("Type your password again.")),
            EqualTo("password", message=_l("The two passwords are not the same. Type them again.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )
    return password, confirm


def name_field() -> StringField:
    return StringField(
        _l("Your name"),
        filters=[strip],
        validators=[
            DataRequired(message=_l("Enter your name.")),
            Length(max=200, message=_l("Your name can have at most 200 characters.")),
        ],
        render_kw={"autocomplete": "name"},
    )


class RegistrationForm(FlaskForm):
    name = name_field()
    email = email_field()
    organisation = StringField(
        _l("Name of your organisation or group"),
        description=_l("The foundation, association or informal group you apply for."),
        filters=[strip],
        validators=[
            DataRequired(message=_l("Enter the name of your organisation or group.")),
            Length(max=200, message=_l("The name can have at most 200 characters.")),
        ],
        render_kw={"autocomplete": "organization"},
    )
    password, confirm = new_password_fields()
    privacy = BooleanField(
        _l("I have read the privacy statement."),
        validators=[
            DataRequired(message=_l("Read the privacy statement and tick the box to continue."))
        ],
    )


class LoginForm(FlaskForm):
    email = email_field()
    password = PasswordField(
        _l("Password"),
        validators=[InputRequired(message=_l("Enter your password."))],
        render_kw={"autocomplete": "current-password"},
    )


class EmailOnlyForm(FlaskForm):
    email = email_field()


class ResetPasswordForm(FlaskForm):
    password, confirm = new_password_fields()


class AcceptInvitationForm(FlaskForm):
    name = name_field()
    password, confirm = new_password_fields()


class InviteStaffForm(FlaskForm):
    email = email_field(
        _l("E-mail address of the person you invite"),
        _l("Enter the e-mail address of the person you invite."),
    )
    role = SelectField(
        _l("Role"),
        choices=[
            SelectChoice(Role.REVIEWER.value, _l("Reviewer")),
            SelectChoice(Role.ADMIN.value, _l("Administrator")),
        ],
        validate_choice=False,
        validators=[InputRequired(message=_l("Choose a role.")), KnownChoice(_l("Choose a role."))],
    )


MAIL_CHOICE_MESSAGE = _l("Choose how we may e-mail you.")


class MailChoiceForm(FlaskForm):
    """Each person chooses for themselves whether our e-mails to them are discreet."""

    discreet_mail = RadioField(
        _l("How may we e-mail you?"),
        choices=[
            SelectChoice("discreet", _l("Discreetly")),
            SelectChoice("ordinary", _l("Ordinarily")),
        ],
        # Our own message for a choice that is not offered, instead of WTForms' "Not a valid
        # choice".
        validate_choice=False,
        validators=[
            InputRequired(message=MAIL_CHOICE_MESSAGE),
            AnyOf(["discreet", "ordinary"], message=MAIL_CHOICE_MESSAGE),
        ],
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        from fonds.mail import mail_sender

        self.discreet_mail.description = _l(
            "You choose this only for yourself. Every e-mail does show the address it comes "
            "from (it ends in @%(domain)s) and the address its link goes to.",
            domain=mail_sender()["domain"],
        )
