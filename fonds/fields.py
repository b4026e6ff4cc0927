"""Rules every form shares for what people type: a choice must be one that was offered, and
number-like values are read the same way everywhere (README, design notes: "Numbers and
choices as typed")."""

from __future__ import annotations

import unicodedata

from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError


def ascii_digits(value):
    """Digits of any script (Arabic-Indic ٠١٢, full-width ０١２, ...) as the digits 0-9; every
    other character stays as it is, so what is not a number is still refused by the field."""
    if not isinstance(value, str):
        return value
    return "".join(
        str(unicodedata.decimal(character)) if character.isdecimal() else character
        for character in value
    )


def number_text(value):
    """A filter for number-like text (KvK, phone, postcode, IBAN): no spaces around it, ASCII
    digits."""
    return ascii_digits(value.strip()) if isinstance(value, str) else value


def offered_values(field) -> set[str]:
    choices = field.choices or []
    if isinstance(choices, dict):  # option groups
        choices = [choice for group in choices.values() for choice in group]
    return {
        str(choice.value if isinstance(choice, SelectChoice) else choice[0]) for choice in choices
    }


class KnownChoice:
    """The chosen value (or every value, for a multiple choice) is one the field offers. Empty
    is left to Optional/DataRequired. Use with validate_choice=False, so the person reads this
    message instead of WTForms' "Not a valid choice"."""

    def __init__(self, message) -> None:
        self.message = message

    def __call__(self, form, field) -> None:
        data = field.data
        values = data if isinstance(data, list | tuple) else [data]
        offered = offered_values(field)
        if any(value not in (None, "") and str(value) not in offered for value in values):
            raise ValidationError(self.message)
