"""Forms of the assignment page: the pool, one reviewer for one application, and assigning a
whole round automatically. Due dates are whole days, Dutch time; the review is due at the end of
that day."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField
from wtforms.validators import DataRequired, ValidationError

from fonds.applications.forms import DutchDateField, end_of_day, today, within_a_year
from fonds.ids import parse_id

DEFAULT_DAYS_TO_REVIEW = 21


def optional_id(value) -> int | None:
    """The id of a chosen option; None for the empty "choose" option and for anything that is
    not an id (DataRequired then asks to choose someone)."""
    return parse_id(value)


def due_date_field():
    return DutchDateField(
        _l("Review due on"),
        description=_l("The end of this day, Dutch time. For example 31-12-2027."),
        default=lambda: today() + timedelta(days=DEFAULT_DAYS_TO_REVIEW),
        validators=[
            DataRequired(message=_l("Fill in a due date like 31-12-2027.")),
            within_a_year(),
        ],
    )


class DueDateForm(FlaskForm):
    due_date = due_date_field()

    def validate_due_date(self, field) -> None:
        if field.data is not None and field.data <= today():
            raise ValidationError(_l("Choose a due date after today."))

    @property
    def due_at(self) -> datetime:
        return end_of_day(self.due_date.data)


class AssignForm(DueDateForm):
    """One reviewer for one application; the choices are the eligible pool members."""

    reviewer = SelectField(
        _l("Reviewer"),
        coerce=optional_id,
        validate_choice=False,  # the operation says why someone is not eligible
        validators=[DataRequired(message=_l("Choose a reviewer."))],
    )


class AutoAssignForm(DueDateForm):
    pass


class PoolAddForm(FlaskForm):
    user = SelectField(
        _l("Reviewer to add"),
        coerce=optional_id,
        validate_choice=False,
        validators=[DataRequired(message=_l("Choose a reviewer to add."))],
    )


class ActionForm(FlaskForm):
    """Only the CSRF token: removing someone from the pool or an assignment."""
