"""One form per step of the application. A step saves as a draft when its values have the right
form; whether everything needed is there is checked when sending (steps.missing_items)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from dateutil.relativedelta import relativedelta
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    Form,
    FormField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    NumberRange,
    Optional,
    ValidationError,
)
from wtforms.widgets import TextInput

from fonds.applications.models import BUDGET_CATEGORIES, COMMUNITIES, FOCUS_LABELS
from fonds.auth.forms import MaxCharacters, strip
from fonds.fields import KnownChoice
from fonds.formatting import AMSTERDAM
from fonds.money import MoneyField
from fonds.rounds.forms import WholeNumberField

PERSONAL_DATA_WARNING = _l("Do not write names or other personal details of participants.")


def long_text(label, limit: int = 3000, description=PERSONAL_DATA_WARNING):
    return TextAreaField(
        label,
        description=description,
        filters=[strip],
        validators=[Optional(), MaxCharacters(limit)],
        render_kw={"rows": 6, "data-limit": limit},
    )


def whole_number(label, description=None, maximum: int = 100000):
    return WholeNumberField(
        label,
        description=description,
        message=_l("Fill in a whole number with digits only, for example 40."),
        validators=[
            Optional(),
            NumberRange(
                min=1, max=maximum, message=_l("Fill in a whole number from 1 to %(max)s.")
            ),
        ],
    )


class DutchDateField(DateField):
    """A date typed as 31-12-2027 or picked (2027-12-31)."""

    widget = TextInput()  # a native date picker shows US order in many browsers

    def __init__(self, label=None, **kwargs):
        kwargs.setdefault("render_kw", {"inputmode": "numeric", "autocomplete": "off"})
        super().__init__(label, format=["%d-%m-%Y", "%Y-%m-%d", "%d/%m/%Y"], **kwargs)

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(_l("Fill in a date like 31-12-2027.")) from error


# A project starts within PROJECT_START_YEARS from today and ends within PROJECT_END_YEARS (a
# round allows at most 120 months), so every date derived from them (the report date in the
# letter, its public holidays) can be computed. Nothing before EARLIEST_DATE is a project date.
PROJECT_START_YEARS = 5
PROJECT_END_YEARS = 15
EARLIEST_DATE = date(2000, 1, 1)
# A review's due date and an answer's deadline lie within a year.
DEADLINE_DAYS = 366


def dutch_today() -> date:
    return datetime.now(AMSTERDAM).date()


def latest_project_start() -> date:
    return dutch_today() + relativedelta(years=PROJECT_START_YEARS)


def latest_project_end() -> date:
    return dutch_today() + relativedelta(years=PROJECT_END_YEARS)


def latest_deadline() -> date:
    return dutch_today() + timedelta(days=DEADLINE_DAYS)


def typed_date(day: date) -> str:
    return f"{day.day}-{day.month}-{day.year}"


class DateWithin:
    """A date from `earliest` to `latest` (callables: "today" is the day of the request). The
    message is lazy text with %(earliest)s, %(latest)s and %(example)s."""

    def __init__(self, earliest, latest, message, example=None) -> None:
        self.earliest, self.latest, self.message = earliest, latest, message
        self.example = example or (lambda: dutch_today().replace(day=1) + relativedelta(months=1))

    def __call__(self, form, field) -> None:
        if field.data is None:
            return
        first, last = self.earliest(), self.latest()
        if not first <= field.data <= last:
            raise ValidationError(
                str(self.message)
                % {
                    "earliest": typed_date(first),
                    "latest": typed_date(last),
                    "example": typed_date(self.example()),
                }
            )


def within_a_year() -> DateWithin:
    """For a due date or a deadline: after today is checked by the form, at most a year on."""
    return DateWithin(
        lambda: date.min,
        latest_deadline,
        _l("Choose a date at most a year from today: %(latest)s at the latest."),
    )


class ProjectForm(FlaskForm):
    title = StringField(
        _l("Title of your project"),
        filters=[strip],
        validators=[Optional(), MaxCharacters(200)],
        render_kw={"data-limit": 200},
    )
    summary = long_text(
        _l("Short summary"), 600, _l("In a few sentences: what do you want to do, and with whom?")
    )


class ApproachForm(FlaskForm):
    communities = SelectMultipleField(
        _l("Which community or communities is your project for?"),
        description=_l(
            "We ask this to see which communities we reach. Only the fund and the reviewers "
            "see this."
        ),
        choices=[SelectChoice(key, label) for key, label in COMMUNITIES.items()],
        validate_choice=False,
        validators=[Optional(), KnownChoice(_l("Choose communities from the list."))],
    )
    community_other = StringField(
        _l("Other community"), filters=[strip], validators=[Optional(), MaxCharacters(200)]
    )
    focus = RadioField(
        _l("Who is your project mainly for?"),
        choices=[SelectChoice(key.value, label) for key, label in FOCUS_LABELS.items()],
        validate_choice=False,
        validators=[Optional(), KnownChoice(_l("Choose who your project is mainly for."))],
    )
    # Next to a list of communities, a question about "the problem" reads as if the community
    # were the problem (dutch-review.md §5): the questions ask what should change instead.
    problem = long_text(_l("What do you want to change, and why?"))
    approach = long_text(_l("What are you going to do? Describe the approach and activities."))
    preventive = long_text(
        _l("What do you want to prevent? How do you do that?"),
        description=_l("What should change for the participants? How do you make that happen?"),
    )
    from_within = long_text(
        _l("How does your project work from within the community?"),
        description=_l(
            "Who leads the project? Who are the dialogue leaders? Do not write names "
            "of participants."
        ),
    )

    def validate_community_other(self, field):
        if field.data and "other" not in (self.communities.data or []):
            raise ValidationError(_l("Tick 'Other' as well, or leave this field empty."))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        # An empty field stops its own validators (Optional), so this rule is checked here.
        if "other" in (self.communities.data or []) and not self.community_other.data:
            self.community_other.errors = [
                *self.community_other.errors,
                _l("You ticked 'Other'. Write which community, or untick 'Other'."),
            ]
            valid = False
        return valid


class ReachForm(FlaskForm):
    participants = whole_number(
        _l("How many participants do you expect?"),
        _l("A number only. We never ask for names of participants."),
    )
    sessions = whole_number(_l("How many meetings or activities do you plan?"), maximum=10000)
    safety = long_text(
        _l("How do you keep participants safe?"),
        description=_l(
            "For example: ground rules, trained moderators, where people can get "
            "help, how you protect their privacy. Do not write names."
        ),
    )


class BudgetLineForm(Form):
    category = SelectField(
        _l("Category"),
        choices=[SelectChoice("", _l("Choose a category"))]
        + [SelectChoice(key, label) for key, label in BUDGET_CATEGORIES.items()],
        validate_choice=False,
        validators=[Optional(), KnownChoice(_l("Choose a category for this cost."))],
    )
    description = StringField(
        _l("Description"), filters=[strip], validators=[Optional(), MaxCharacters(300)]
    )
    amount = MoneyField(_l("Amount"), render_kw={"inputmode": "decimal"})

    def is_empty(self) -> bool:
        return not (
            self.category.data
            or self.description.data
            or self.amount.raw_data
            and self.amount.raw_data[0].strip()
        )

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.is_empty():
            return valid
        if not self.category.data:
            self.category.errors.append(_l("Choose a category for this cost."))
            valid = False
        if not self.description.data:
            self.description.errors.append(_l("Describe this cost."))
            valid = False
        if self.amount.data is None and not self.amount.errors:
            self.amount.errors.append(_l("Fill in the amount of this cost."))
            valid = False
        elif self.amount.data is not None and self.amount.data <= 0:
            self.amount.errors.append(_l("Fill in an amount above zero."))
            valid = False
        return valid


class PlanningForm(FlaskForm):
    start_date = DutchDateField(
        _l("Start date"),
        description=_l("For example 1-3-2027."),
        validators=[
            Optional(),
            DateWithin(
                lambda: EARLIEST_DATE,
                latest_project_start,
                _l(
                    "A project starts at most 5 years from today. Choose a start date from "
                    "%(earliest)s to %(latest)s, for example %(example)s."
                ),
            ),
        ],
    )
    end_date = DutchDateField(
        _l("End date"),
        description=_l("For example 31-12-2027."),
        validators=[
            Optional(),
            DateWithin(
                lambda: EARLIEST_DATE,
                latest_project_end,
                _l("Choose an end date from %(earliest)s to %(latest)s, for example %(example)s."),
                example=lambda: dutch_today().replace(day=1) + relativedelta(years=1, days=-1),
            ),
        ],
    )
    # Read up to 500 lines, so that more than MAX_BUDGET_LINES typed are refused with a message
    # and kept instead of being cut off without a word (steps.too_many_lines).
    lines = FieldList(FormField(BudgetLineForm), min_entries=1, max_entries=500)
    amount_requested = MoneyField(
        _l("Amount you ask from the fund"),
        description=_l("In euros, for example 12,500.00."),
        render_kw={"inputmode": "decimal"},
    )
    other_funding_amount = MoneyField(
        _l("Money from others (optional)"),
        description=_l(
            "Other funds, your own contribution or sponsors. With the amount you ask from us, "
            "this pays the whole budget."
        ),
        render_kw={"inputmode": "decimal"},
    )
    other_funding = long_text(
        _l("Where does the other money come from? (optional)"), 1000, description=None
    )


class SubmitForm(FlaskForm):
    declared_truthful = BooleanField(
        _l("I declare that I filled in everything truthfully."),
        validators=[DataRequired(message=_l("Tick the box to declare that everything is true."))],
    )
    declared_privacy = BooleanField(
        _l(
            "I have read the privacy statement and I did not include personal details of "
            "participants."
        ),
        validators=[
            DataRequired(message=_l("Tick the box to confirm you read the privacy statement."))
        ],
    )

    publication_consent = RadioField(
        _l("If you get a grant: may we make that public?"),
        description=_l(
            "We would then publish the name of your organisation, the title of your project and "
            "the amount. Never anything about participants or communities. If you choose no, "
            "we publish nothing."
        ),
        choices=[
            SelectChoice("no", _l("No, do not publish anything")),
            SelectChoice("yes", _l("Yes, you may publish it")),
        ],
        default="no",  # no answer is a no
        validate_choice=False,
        validators=[
            KnownChoice(_l("Choose whether we may make your grant public: yes or no.")),
        ],
    )

    # Asked only in an Awb round (art. 2:14 Awb): may decisions reach the applicant through the
    # portal only? No default: the applicant chooses, yes or no.
    electronic_delivery = RadioField(
        _l("Do you want to receive our decisions through the portal only?"),
        description=_l(
            "You always find our letters in the portal. If you choose post, we also send every "
            "decision by post to the address of your organisation."
        ),
        choices=[
            SelectChoice(
                "yes",
                _l("Yes. I want to receive messages and decisions of the fund through the portal."),
            ),
            SelectChoice("no", _l("No. Also send decisions to me by post.")),
        ],
        validate_choice=False,
    )

    def __init__(self, *args, ask_electronic_delivery: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.asks_electronic_delivery = ask_electronic_delivery

    def validate_electronic_delivery(self, field) -> None:
        if self.asks_electronic_delivery and field.data not in ("yes", "no"):
            raise ValidationError(
                _l("Choose whether you want to receive our decisions through the portal only.")
            )

    @property
    def consents_to_publication(self) -> bool:
        return self.publication_consent.data == "yes"

    @property
    def electronic_delivery_consent(self) -> bool | None:
        """The answer about decisions through the portal; None where it is not asked."""
        if not self.asks_electronic_delivery:
            return None
        return self.electronic_delivery.data == "yes"

    def show_electronic_delivery(self, consent: bool | None) -> None:
        """Choose the application's earlier answer, when it has one."""
        if consent is not None:
            self.electronic_delivery.data = "yes" if consent else "no"


class WithdrawForm(FlaskForm):
    """A confirmation step only: withdrawing an application, deleting a draft."""


class AttachmentForm(FlaskForm):
    # No validators: what the file is, is decided by its content (applications.attachments).
    file = FileField(_l("Add a file"))


def today() -> date:
    return datetime.now(AMSTERDAM).date()


def end_of_day(day: date) -> datetime:
    """The last second of the day in Amsterdam, as a UTC moment."""
    return datetime.combine(day, time(23, 59, 59), tzinfo=AMSTERDAM).astimezone(UTC)
