"""The three screening actions. Each form carries the application's version, so an action
based on a page that someone else has changed since is refused (optimistic locking)."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectMultipleField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, ValidationError

from fonds.applications.forms import DutchDateField, end_of_day, today, within_a_year
from fonds.applications.steps import BY_KEY, CHANGEABLE_STEPS
from fonds.auth.forms import MaxCharacters, strip
from fonds.fields import KnownChoice

DEFAULT_DAYS_TO_ANSWER = 14
NOT_ADMISSIBLE_REASON = _l("Give the reason why the application is not admissible.")


class ScreeningForm(FlaskForm):
    version = HiddenField()


class EligibleForm(ScreeningForm):
    pass


class NotAdmissibleForm(ScreeningForm):
    reason = TextAreaField(
        _l("Reason"),
        description=_l(
            "All members of the organisation read this reason. Write in plain language. Do not "
            "name people or give personal details."
        ),
        filters=[strip],
        validators=[DataRequired(message=NOT_ADMISSIBLE_REASON), MaxCharacters(5000)],
    )


class RequestInfoForm(ScreeningForm):
    question = TextAreaField(
        _l("Your question"),
        description=_l(
            "All members of the organisation read this question. Write in plain language. Do "
            "not name people or give personal details. We add: ‘No answer in time? Then we do "
            "not handle your application.’"
        ),
        filters=[strip],
        validators=[
            DataRequired(message=_l("Write the question for the applicant.")),
            MaxCharacters(5000),
        ],
    )
    steps = SelectMultipleField(
        _l("Parts the applicant may change"),
        choices=[SelectChoice(key, BY_KEY[key].title) for key in CHANGEABLE_STEPS],
        validate_choice=False,
        validators=[
            DataRequired(message=_l("Choose at least one part the applicant may change.")),
            KnownChoice(_l("Choose the parts from the list.")),
        ],
    )
    deadline = DutchDateField(
        _l("Answer at the latest on"),
        description=_l("The end of this day, Dutch time. For example 31-12-2027."),
        default=lambda: today() + timedelta(days=DEFAULT_DAYS_TO_ANSWER),
        validators=[DataRequired(message=_l("Fill in a date like 31-12-2027.")), within_a_year()],
    )

    def validate_deadline(self, field) -> None:
        if field.data is not None and field.data <= today():
            raise ValidationError(_l("Choose a date after today."))

    @property
    def deadline_moment(self) -> datetime:
        return end_of_day(self.deadline.data)
