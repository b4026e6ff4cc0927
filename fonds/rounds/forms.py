"""Forms for rounds. Every rule the database enforces with a CHECK constraint is checked here
first, with a message that says how to fix it."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Field, RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    AnyOf,
    DataRequired,
    Email,
    Length,
    NumberRange,
    Optional,
    StopValidation,
)
from wtforms.widgets import DateTimeLocalInput, TextInput

from fonds.fields import ascii_digits
from fonds.formatting import AMSTERDAM
from fonds.money import MoneyField
from fonds.rounds.models import LegalMode

CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(value):
    """Spaces around a value are never meant; control characters (which PostgreSQL refuses in
    text) are dropped, and Windows line ends become plain ones."""
    if not isinstance(value, str):
        return value
    return CONTROL_CHARACTERS.sub("", value.replace("\r\n", "\n").replace("\r", "\n")).strip()


class Filled:
    """Something other than spaces was typed. Unlike DataRequired it accepts an amount of 0."""

    field_flags = {"required": True}

    def __init__(self, message) -> None:
        self.message = message

    def __call__(self, form, field) -> None:
        if field.raw_data and isinstance(field.raw_data[0], str) and field.raw_data[0].strip():
            return
        field.errors[:] = []
        raise StopValidation(self.message)


class TypedField(Field):
    """A text box whose text is converted; shows what was typed again when the form has errors,
    and stops at the first problem so a person gets one message per field."""

    widget = TextInput()

    def process_formdata(self, valuelist: list[str]) -> None:
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        self.data = self.convert(valuelist[0].strip())

    def convert(self, text: str) -> Any:
        raise NotImplementedError

    def pre_validate(self, form) -> None:
        if self.process_errors:
            raise StopValidation()

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else self.show(self.data)

    def show(self, data) -> str:
        return str(data)


class WholeNumberField(TypedField):
    """A whole number typed in a text box (not type=number, which changes on scrolling)."""

    def __init__(self, label=None, validators=None, message=None, **kwargs) -> None:
        kwargs["render_kw"] = {"inputmode": "numeric", **(kwargs.get("render_kw") or {})}
        super().__init__(label, validators, **kwargs)
        self.message = message or _l("Enter a whole number, for example 12.")

    def convert(self, text: str) -> int:
        text = ascii_digits(text)  # ١٢ and １２ are 12; +12, 1_000 and 1e3 are refused
        if not re.fullmatch(r"[0-9]{1,9}", text):
            raise ValueError(str(self.message))
        return int(text)


class AmsterdamDateTimeField(TypedField):
    """A date and time in Dutch time (Europe/Amsterdam), as a browser's datetime-local box sends
    it; data is an aware datetime in UTC."""

    widget = DateTimeLocalInput()
    formats = (
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%d %H:%M:%S",
        "%d-%m-%Y %H:%M",
        "%d-%m-%Y %H.%M",
    )

    def convert(self, text: str) -> datetime:
        local = None
        for pattern in self.formats:
            try:
                local = datetime.strptime(text, pattern)  # naive local time, made aware below
                break
            except ValueError:
                continue
        if local is None:
            raise ValueError(str(_l("Enter a date and a time, for example 1-3-2027 09:00.")))
        if not 2000 <= local.year <= 2100:
            raise ValueError(str(_l("Enter a year between 2000 and 2100.")))
        moment = local.replace(tzinfo=AMSTERDAM).astimezone(UTC)
        if moment.astimezone(AMSTERDAM).replace(tzinfo=None) != local:
            raise ValueError(
                str(
                    _l(
                        "This time does not exist in the Netherlands: the clocks go forward "
                        "one hour that night. Choose another time."
                    )
                )
            )
        return moment

    def show(self, data: datetime) -> str:
        return data.astimezone(AMSTERDAM).strftime("%Y-%m-%dT%H:%M")


def text_field(label, *, required, limit, too_long, description=None, area=False):
    validators = [DataRequired(message=required)] if required else []
    validators.append(Length(max=limit, message=too_long))
    field_class = TextAreaField if area else StringField
    return field_class(
        label,
        description=description,
        filters=[clean_text],
        validators=validators,
        render_kw={"rows": 6} if area else None,
    )


def money_field(label, *, required, description):
    return MoneyField(label, description=description, validators=[Filled(required)])


LEGAL_MODE_HINTS = {
    LegalMode.AWB.value: _l(
        "For a fund that decides as a government body or on behalf of one. The letter says "
        "that the applicant can object (make a 'bezwaar') within six weeks after the date of "
        "the letter, under the General Administrative Law Act (Awb), and where to send it."
    ),
    LegalMode.PRIVATE.value: _l(
        "For a private fund. The letter says that the applicant can ask the fund to look at "
        "the decision again (reconsideration), and where to send that request. The Awb does "
        "not apply."
    ),
}
CHOOSE_LEGAL_MODE = _l("Choose how applicants can object to a decision.")


class RoundForm(FlaskForm):
    name = text_field(
        _l("Name of the round"),
        description=_l("For example: Change from within 2027."),
        required=_l("Enter the name of the round."),
        limit=200,
        too_long=_l("The name can have at most 200 characters."),
    )
    description = text_field(
        _l("What the fund supports in this round"),
        description=_l(
            "Applicants read this on the page of the round. Leave an empty line between paragraphs."
        ),
        required=_l("Describe what the fund supports in this round."),
        limit=10000,
        too_long=_l("The description can have at most 10,000 characters."),
        area=True,
    )

    opens_at = AmsterdamDateTimeField(
        _l("Opens on"),
        description=_l("Date and time in the Netherlands."),
        validators=[Filled(_l("Enter when the round opens."))],
    )
    closes_at = AmsterdamDateTimeField(
        _l("Closes on (deadline)"),
        description=_l(
            "Date and time in the Netherlands. Applications must be submitted before this moment."
        ),
        validators=[Filled(_l("Enter when the round closes."))],
    )

    budget_ceiling = money_field(
        _l("Budget ceiling (subsidieplafond)"),
        description=_l("The total amount for all grants in this round, for example 250,000.00."),
        required=_l("Enter the budget ceiling."),
    )
    min_grant = money_field(
        _l("Minimum grant"),
        description=_l("The smallest amount an applicant can ask for, for example 2,500.00."),
        required=_l("Enter the minimum grant. This can be 0."),
    )
    max_grant = money_field(
        _l("Maximum grant"),
        description=_l("The largest amount an applicant can ask for, for example 25,000.00."),
        required=_l("Enter the maximum grant."),
    )

    max_duration_months = WholeNumberField(
        _l("Maximum project duration in months"),
        description=_l("For example 18."),
        message=_l("Enter the number of months as a whole number, for example 18."),
        validators=[
            Filled(_l("Enter the maximum project duration in months.")),
            NumberRange(min=1, message=_l("A project must be able to last at least 1 month.")),
            NumberRange(
                max=120, message=_l("The maximum project duration can be at most 120 months.")
            ),
        ],
    )
    reviewers_per_application = WholeNumberField(
        _l("Reviewers per application"),
        description=_l("How many reviewers score each application. Usually 2 or 3."),
        message=_l("Enter the number of reviewers as a whole number, for example 2."),
        default=2,
        validators=[
            Filled(_l("Enter how many reviewers score each application.")),
            NumberRange(min=1, message=_l("Each application needs at least 1 reviewer.")),
            NumberRange(max=20, message=_l("Choose at most 20 reviewers per application.")),
        ],
    )

    regulation = text_field(
        _l("Regulation (legal basis)"),
        description=_l(
            "The decision letters name this as the legal basis, for example: Subsidieregeling "
            "Fonds op Naam 2027, artikel 4."
        ),
        required=_l("Enter the regulation the decisions are based on."),
        limit=1000,
        too_long=_l("The regulation can have at most 1,000 characters."),
        area=True,
    )
    legal_mode = RadioField(
        _l("How can applicants object to a decision?"),
        choices=[
            SelectChoice(LegalMode.AWB.value, _l("Objection under the Awb")),
            SelectChoice(LegalMode.PRIVATE.value, _l("Reconsideration by the fund")),
        ],
        default=LegalMode.PRIVATE.value,
        validate_choice=False,
        validators=[
            Filled(CHOOSE_LEGAL_MODE),
            AnyOf([mode.value for mode in LegalMode], message=CHOOSE_LEGAL_MODE),
        ],
    )
    remedy_addressee = text_field(
        _l("Where to send an objection or a request for reconsideration"),
        description=_l(
            "Who gets it, and the postal address. An e-mail address goes in the next field. For "
            "example: Bestuur Fonds op Naam, Postbus 123, 1000 AA Amsterdam."
        ),
        required=_l("Enter who gets an objection or a request for reconsideration, and where."),
        limit=500,
        too_long=_l("This address can have at most 500 characters."),
        area=True,
    )
    remedy_email = StringField(
        _l("E-mail address for objections and requests for reconsideration (optional)"),
        description=_l(
            "Fill this in if applicants may also send it by e-mail; the letter then says so. "
            "Leave it empty if it must come by post. Through the portal it is never possible."
        ),
        filters=[clean_text],
        validators=[
            Optional(),
            Length(max=254, message=_l("An e-mail address can have at most 254 characters.")),
            Email(
                message=_l(
                    "Enter an e-mail address like bezwaar@fondsopnaam.nl, or leave this field "
                    "empty."
                ),
                check_deliverability=False,
            ),
        ],
        render_kw={"autocomplete": "email", "spellcheck": "false"},
    )
    reconsideration_weeks = WholeNumberField(
        _l("Weeks an applicant has to ask for reconsideration"),
        description=_l(
            "Only for reconsideration by the fund: the letter says the applicant must ask within "
            "this many weeks after the date of the letter. For an objection under the Awb it is "
            "always six weeks."
        ),
        message=_l("Enter the number of weeks as a whole number, for example 6."),
        default=6,
        validators=[
            Filled(_l("Enter within how many weeks an applicant can ask for reconsideration.")),
            NumberRange(min=1, message=_l("Give at least 1 week.")),
            NumberRange(max=52, message=_l("Give at most 52 weeks.")),
        ],
    )
    legal_remedy_text = text_field(
        _l("Extra text about objection or reconsideration (optional)"),
        description=_l(
            "The letter prints this below its own text about objection or reconsideration, "
            "which already says where to send it, within what time, and whether e-mail is "
            "allowed. Only add what the applicant also needs to know. Do not repeat the "
            "address."
        ),
        required=None,
        limit=5000,
        too_long=_l("This text can have at most 5,000 characters."),
        area=True,
    )
    signatory_name = text_field(
        _l("Name of the person who signs the letters"),
        required=_l("Enter the name of the person who signs the letters."),
        limit=200,
        too_long=_l("The name can have at most 200 characters."),
    )
    signatory_title = text_field(
        _l("Job title of the person who signs"),
        description=_l("For example: Programme manager Fonds op Naam."),
        required=_l("Enter the job title of the person who signs the letters."),
        limit=200,
        too_long=_l("The job title can have at most 200 characters."),
    )

    def validate_closes_at(self, field) -> None:
        if self.opens_at.data is not None and field.data <= self.opens_at.data:
            raise StopValidation(_l("The closing moment must be after the opening moment."))

    def validate_budget_ceiling(self, field) -> None:
        if field.data <= 0:
            raise StopValidation(_l("The budget ceiling must be more than € 0."))

    def validate_min_grant(self, field) -> None:
        if self.max_grant.data is not None and field.data > self.max_grant.data:
            raise StopValidation(_l("The minimum grant cannot be more than the maximum grant."))

    def validate_max_grant(self, field) -> None:
        if field.data <= 0:
            raise StopValidation(_l("The maximum grant must be more than € 0."))
        budget = self.budget_ceiling.data
        if budget is not None and budget > 0 and field.data > budget:
            raise StopValidation(_l("The maximum grant cannot be more than the budget ceiling."))

    def validate_remedy_addressee(self, field) -> None:
        """An objection under the Awb is a signed letter: it needs a postal address. Whether it
        may also come by e-mail is the next field's (art. 2:15 Awb)."""
        if self.legal_mode.data == LegalMode.AWB.value and "@" in (field.data or ""):
            raise StopValidation(
                _l(
                    "For an objection under the Awb, enter a postal address here. An e-mail "
                    "address goes in the field for e-mail."
                )
            )

    def validate_legal_remedy_text(self, field) -> None:
        """The letter's own clause follows the legal mode; this text must not name the other
        route, or the letter would offer two remedies that contradict each other, nor ask the
        clause's question a second time."""
        text = (field.data or "").lower()
        if "niet eens met dit besluit" in text:
            raise StopValidation(
                _l(
                    "The letter already asks ‘Bent u het niet eens met dit besluit?’. Leave that "
                    "question out of this text."
                )
            )
        if self.legal_mode.data == LegalMode.AWB.value and "heroverweg" in text:
            raise StopValidation(
                _l(
                    "With an objection under the Awb the letter does not offer reconsideration. "
                    "Take 'heroverweging' out of this text, or choose reconsideration by the fund."
                )
            )
        if self.legal_mode.data == LegalMode.PRIVATE.value and "bezwaar" in text:
            raise StopValidation(
                _l(
                    "With reconsideration by the fund the letter does not offer an objection "
                    "under the Awb. Take 'bezwaar' out of this text, or choose an objection "
                    "under the Awb."
                )
            )

    def values(self) -> dict[str, Any]:
        """The round's fields as typed, by column name."""
        return {name: field.data for name, field in self._fields.items() if name != "csrf_token"}


class CloseRoundForm(FlaskForm):
    """Only the CSRF token: closing is a deliberate POST after a confirmation page."""
