"""The reviewer's forms: the declaration of a conflict of interest, the scoring form, which is
built from the round's rubric (a score and a motivation per criterion), and the confirmation
that submits it. Whether a review is complete is checked by `operations.problems`, so a draft
may be saved with empty scores."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Optional

from fonds.auth.forms import MaxCharacters, strip
from fonds.fields import KnownChoice
from fonds.reviews.models import RECOMMENDATION_LABELS
from fonds.reviews.operations import ReviewInput, criterion_text, motivation_key, score_key
from fonds.rounds.models import RubricCriterion

NO_CONFLICT = "no"
CONFLICT = "yes"


CHOOSE_CONFLICT = _l("Choose whether you have a conflict of interest.")


class DeclarationForm(FlaskForm):
    conflict = RadioField(
        _l("Do you have a conflict of interest with this application?"),
        description=_l(
            "For example: you know people in the organisation well, you work with them, or you "
            "gain or lose something from this application."
        ),
        choices=[
            SelectChoice(NO_CONFLICT, _l("No, I have no conflict of interest")),
            SelectChoice(CONFLICT, _l("Yes, I have a conflict of interest")),
        ],
        validate_choice=False,
        validators=[
            DataRequired(message=CHOOSE_CONFLICT),
            KnownChoice(CHOOSE_CONFLICT),
        ],
    )
    note = TextAreaField(
        _l("Note for the fund (optional)"),
        description=_l("Only the fund reads this. You do not have to explain."),
        filters=[strip],
        validators=[Optional(), MaxCharacters(2000)],
    )

    @property
    def has_conflict(self) -> bool:
        return self.conflict.data == CONFLICT


class ConfirmForm(FlaskForm):
    """The confirmation page's button; `version` is the fingerprint of the review it shows."""

    version = HiddenField()


class ReviewForm(FlaskForm):
    """Fields are added per criterion by `review_form`; the common ones are below them."""

    def criterion_fields(self, criterion: RubricCriterion):
        return self[score_key(criterion.id)], self[motivation_key(criterion.id)]

    def review_input(self, criteria: list[RubricCriterion]) -> ReviewInput:
        """What was typed, as the operations take it; a score that is not 1–5 is empty."""
        data = ReviewInput(
            recommendation=self["recommendation"].data or None,
            comment=self["comment"].data or "",
        )
        for criterion in criteria:
            score, motivation = self.criterion_fields(criterion)
            value = score.data
            data.scores[criterion.id] = int(value) if value in {"1", "2", "3", "4", "5"} else None
            data.motivations[criterion.id] = motivation.data or ""
        return data

    def fill_from(self, review) -> None:
        """Show the review's saved draft."""
        for score in review.scores:
            if score_key(score.criterion_id) in self:
                self[score_key(score.criterion_id)].data = str(score.score) if score.score else None
                self[motivation_key(score.criterion_id)].data = score.motivation
        self["recommendation"].data = review.recommendation
        self["comment"].data = review.comment

    def show_errors(self, errors: dict[str, str]) -> None:
        for name, message in errors.items():
            self[name].errors = [message]


def review_form(criteria: list[RubricCriterion], review=None, **kwargs) -> ReviewForm:
    """The scoring form for a rubric, filled with the review's draft when there is no POST."""

    class Form(ReviewForm):
        pass

    for criterion in criteria:
        setattr(
            Form,
            score_key(criterion.id),
            RadioField(
                criterion_text(criterion, "name"),
                choices=[SelectChoice(str(n), str(n)) for n in range(1, 6)],
                validate_choice=False,
                validators=[Optional(), KnownChoice(_l("Choose a score from 1 to 5."))],
            ),
        )
        setattr(
            Form,
            motivation_key(criterion.id),
            TextAreaField(
                _l("Explanation of your score"),
                description=_l("Required for a score of 1 or 2."),
                filters=[strip],
                validators=[Optional(), MaxCharacters(3000)],
            ),
        )
    Form.recommendation = RadioField(
        _l("Your advice"),
        choices=[SelectChoice(key.value, label) for key, label in RECOMMENDATION_LABELS.items()],
        validate_choice=False,
        validators=[Optional(), KnownChoice(_l("Choose one of the advice options shown."))],
    )
    Form.comment = TextAreaField(
        _l("General comment"),
        description=_l("Your main points. Do not write personal data about participants."),
        filters=[strip],
        validators=[Optional(), MaxCharacters(5000)],
    )
    form = Form(**kwargs)
    if review is not None and not form.is_submitted():
        form.fill_from(review)
    return form
