"""The three decision actions. Each form carries the application's version (optimistic
locking), like the screening forms."""

from __future__ import annotations

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from wtforms import RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from fonds.auth.forms import MaxCharacters, strip
from fonds.decisions.models import OUTCOME_LABELS, Outcome
from fonds.fields import KnownChoice
from fonds.money import MoneyField
from fonds.screening.forms import ScreeningForm


class ProposeForm(ScreeningForm):
    outcome = RadioField(
        _l("Proposed decision"),
        choices=[SelectChoice(outcome.value, OUTCOME_LABELS[outcome]) for outcome in Outcome],
        validate_choice=False,
        validators=[
            InputRequired(message=_l("Choose award or reject.")),
            KnownChoice(_l("Choose award or reject.")),
        ],
    )
    amount = MoneyField(
        _l("Amount to award"),
        description=_l(
            "Only when you award. At most the amount requested; it may be less. For example "
            "7,500.00."
        ),
    )
    partial_reason = TextAreaField(
        _l("Why less than requested?"),
        description=_l(
            "Only when you award less than the amount requested. The applicant reads this in "
            "the decision letter. Write in plain language."
        ),
        filters=[strip],
        validators=[MaxCharacters(2000)],
        render_kw={"rows": 3},
    )
    motivation = TextAreaField(
        _l("Motivation"),
        description=_l(
            "All members of the organisation read this in the decision letter. Write in plain "
            "language. Do not name people or give personal details."
        ),
        filters=[strip],
        validators=[
            DataRequired(message=_l("Give the motivation for the decision.")),
            MaxCharacters(10000),
        ],
    )

    def __init__(self, *args, requested=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.requested = requested
        self.criteria: list = []

    @property
    def is_partial(self) -> bool:
        """An award of less than the amount requested."""
        return (
            self.outcome.data == Outcome.APPROVE.value
            and self.amount.data is not None
            and self.requested is not None
            and self.amount.data < self.requested
        )

    def validate_partial_reason(self, field) -> None:
        if self.is_partial and not field.data:
            raise ValidationError(PARTIAL_REASON_MISSING)

    def point_fields(self) -> list:
        """The box for the fund's point on each criterion, in rubric order."""
        return [self[point_name(criterion)] for criterion in self.criteria]

    @property
    def points(self) -> dict[int, str]:
        """The points typed, by criterion id (empty boxes left out)."""
        return {
            criterion.id: self[point_name(criterion)].data
            for criterion in self.criteria
            if self[point_name(criterion)].data
        }

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


PARTIAL_REASON_MISSING = _l(
    "Say why you award less than the amount requested. The applicant reads it."
)
POINT_LIMIT = 2000


def point_name(criterion) -> str:
    return f"point_{criterion.id}"


def proposal_form(criteria, *, requested=None, **kwargs) -> ProposeForm:
    """The proposal form with a box per rubric criterion for the fund's point on it: a
    subclass made for the round's rubric, as WTForms adds fields per request."""
    dutch = str(get_locale()) == "nl"

    class RoundProposeForm(ProposeForm):
        pass

    for criterion in criteria:
        setattr(
            RoundProposeForm,
            point_name(criterion),
            TextAreaField(
                _l(
                    "Point for ‘%(criterion)s’",
                    criterion=criterion.name_nl if dutch else criterion.name_en,
                ),
                filters=[strip],
                validators=[
                    Length(
                        max=POINT_LIMIT,
                        message=_l("A point can have at most 2,000 characters."),
                    )
                ],
                render_kw={"rows": 2},
            ),
        )
    form = RoundProposeForm(prefix="propose", requested=requested, **kwargs)
    form.criteria = list(criteria)
    return form


class ConfirmForm(ScreeningForm):
    pass


class SendBackForm(ScreeningForm):
    reason = TextAreaField(
        _l("Why do you send it back?"),
        description=_l("Your colleague reads this. The applicant does not."),
        filters=[strip],
        validators=[
            DataRequired(message=_l("Give the reason why you send the proposal back.")),
            MaxCharacters(5000),
        ],
    )
