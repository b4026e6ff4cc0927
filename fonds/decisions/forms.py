"""The three decision actions. Each form carries the application's version (optimistic
locking), like the screening forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, ValidationError

from fonds.auth.forms import strip
from fonds.money import MoneyField
from fonds.reviews.models import OUTCOME_LABELS, Outcome
from fonds.screening.forms import ScreeningForm


class ProposeForm(ScreeningForm):
    outcome = RadioField(
        _l("Proposed decision"),
        choices=[SelectChoice(outcome.value, OUTCOME_LABELS[outcome]) for outcome in Outcome],
        validators=[InputRequired(message=_l("Choose award or reject."))],
    )
    amount = MoneyField(
        _l("Amount to award"),
        description=_l(
            "Only when you award. At most the amount requested; it may be less. For example "
            "7,500.00."
        ),
    )
    motivation = TextAreaField(
        _l("Motivation"),
        description=_l(
            "All members of the organisation read this in the decision letter. Write in plain "
            "language. Do not name people or give personal details."
        ),
        filters=[strip],
        validators=[DataRequired(message=_l("Give the motivation for the decision."))],
    )

    def __init__(self, *args, requested=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.requested = requested

    def validate_amount(self, field) -> None:
        from fonds.formatting import money

        if self.outcome.data != Outcome.APPROVE.value:
            return
        if field.data is None:
            raise ValidationError(_l("Fill in the amount to award."))
        if field.data <= 0:
            raise ValidationError(_l("The amount must be more than €0.00."))
        if self.requested is not None and field.data > self.requested:
            raise ValidationError(
                _l(
                    "The amount may not be more than the %(requested)s requested.",
                    requested=money(self.requested),
                )
            )


class ConfirmForm(ScreeningForm):
    pass


class SendBackForm(ScreeningForm):
    reason = TextAreaField(
        _l("Why do you send it back?"),
        description=_l("Your colleague reads this. The applicant does not."),
        filters=[strip],
        validators=[DataRequired(message=_l("Give the reason why you send the proposal back."))],
    )
