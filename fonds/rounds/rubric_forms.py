"""The form for a round's rubric: every criterion with its names, descriptors, weight and
knock-out kind. Weights add up to 100 and each kind is used at most once; what was typed is
shown again when something is wrong."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, FieldList, Form, FormField, HiddenField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, NumberRange

from fonds.rounds.forms import Filled, WholeNumberField, text_field
from fonds.rounds.models import RubricCriterion

KIND_LABELS = {
    "": _l("None"),
    "from_within": _l("Change from within"),
    "preventive": _l("Preventive approach"),
    "safety": _l("Safety"),
}
CRITERION_FIELDS = (
    "name_nl",
    "name_en",
    "weight",
    "kind",
    "descriptor_1_nl",
    "descriptor_1_en",
    "descriptor_3_nl",
    "descriptor_3_en",
    "descriptor_5_nl",
    "descriptor_5_en",
)


def name_field(label, required):
    return text_field(
        label,
        required=required,
        limit=200,
        too_long=_l("A name can have at most 200 characters."),
    )


def descriptor_field(label, required):
    return text_field(
        label,
        required=required,
        limit=2000,
        too_long=_l("A description can have at most 2,000 characters."),
        area=True,
    )


class CriterionForm(Form):
    id = HiddenField()
    name_nl = name_field(_l("Name in Dutch"), _l("Enter the Dutch name of the criterion."))
    name_en = name_field(_l("Name in English"), _l("Enter the English name of the criterion."))
    weight = WholeNumberField(
        _l("Weight in percent"),
        description=_l("A whole number. The weights of all criteria add up to 100."),
        message=_l("Enter the weight as a whole number, for example 15."),
        validators=[
            Filled(_l("Enter the weight of the criterion.")),
            NumberRange(min=1, max=100, message=_l("A weight is between 1 and 100.")),
        ],
    )
    kind = SelectField(
        _l("Knock-out check"),
        description=_l(
            "The ranking warns when this criterion scores low. Each check can belong to one "
            "criterion only."
        ),
        choices=[SelectChoice(value, label) for value, label in KIND_LABELS.items()],
        default="",
        validate_choice=False,
        validators=[AnyOf(list(KIND_LABELS), message=_l("Choose one of the checks."))],
    )
    descriptor_1_nl = descriptor_field(
        _l("Score 1 in Dutch"), _l("Describe a score of 1 in Dutch.")
    )
    descriptor_1_en = descriptor_field(
        _l("Score 1 in English"), _l("Describe a score of 1 in English.")
    )
    descriptor_3_nl = descriptor_field(
        _l("Score 3 in Dutch"), _l("Describe a score of 3 in Dutch.")
    )
    descriptor_3_en = descriptor_field(
        _l("Score 3 in English"), _l("Describe a score of 3 in English.")
    )
    descriptor_5_nl = descriptor_field(
        _l("Score 5 in Dutch"), _l("Describe a score of 5 in Dutch.")
    )
    descriptor_5_en = descriptor_field(
        _l("Score 5 in English"), _l("Describe a score of 5 in English.")
    )
    remove = BooleanField(_l("Remove this criterion"))

    def validate(self, extra_validators=None) -> bool:
        if self.remove.data:  # nothing to check on a criterion that goes
            return True
        return super().validate(extra_validators)

    def values(self) -> dict[str, Any]:
        values = {name: self[name].data for name in CRITERION_FIELDS}
        values["kind"] = values["kind"] or None
        values["id"] = int(self.id.data) if (self.id.data or "").isdigit() else None
        return values


class RubricForm(FlaskForm):
    criteria = FieldList(FormField(CriterionForm))

    def kept(self) -> list[CriterionForm]:
        return [entry.form for entry in self.criteria if not entry.form.remove.data]

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        kept = self.kept()
        if not kept:
            self.form_errors.append(_l("Keep at least one criterion."))
            return False
        seen: dict[str, CriterionForm] = {}
        for criterion in kept:
            kind = criterion.kind.data
            if kind in KIND_LABELS and kind and kind in seen:
                criterion.kind.errors = [
                    *criterion.kind.errors,
                    _l(
                        "Only one criterion can have the check “%(kind)s”.",
                        kind=KIND_LABELS[kind],
                    ),
                ]
                valid = False
            seen.setdefault(kind, criterion)
        weights = [criterion.weight.data for criterion in kept]
        if all(isinstance(weight, int) for weight in weights) and sum(weights) != 100:
            self.form_errors.append(
                _l(
                    "The weights add up to %(sum)s%%. They must add up to 100%%.",
                    sum=sum(weights),
                )
            )
            valid = False
        return valid

    def values(self) -> list[dict[str, Any]]:
        """The criteria that stay, in the order shown."""
        return [criterion.values() for criterion in self.kept()]


def criterion_data(criterion: RubricCriterion) -> dict[str, Any]:
    data = {name: getattr(criterion, name) for name in CRITERION_FIELDS}
    data["kind"] = criterion.kind or ""
    data["id"] = str(criterion.id)
    return data
