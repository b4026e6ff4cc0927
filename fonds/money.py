"""Amounts in euros as people type them: Dutch first ("€ 12.500,00", "12500,5"), English too
("12,500.00"). Always a Decimal with two places, never a float."""

from __future__ import annotations

import re
from decimal import Decimal

from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l
from wtforms import Field
from wtforms.validators import StopValidation
from wtforms.widgets import TextInput

from fonds.fields import ascii_digits

CENTS = Decimal("0.01")
# A Money column (fonds.columns, Numeric(12, 2)) holds at most ten digits before the decimal mark.
WHOLE_DIGITS = 10

INVALID = _l("Enter an amount in euros, for example 12,500.00.")
NEGATIVE = _l("Enter the amount without a minus sign.")
TOO_MANY_CENTS = _l("Use at most two digits for the cents, for example 12,500.50.")
UNCLEAR = _l(
    "We cannot tell which amount you mean. Write it without a separator for thousands, "
    "for example 1234 or 1234.50."
)
TOO_LARGE = _l("This amount is too large. Check the number of digits.")

CURRENCY = re.compile(r"^(€|eur(o|os)?)\s*|\s*(€|eur(o|os)?)$", re.IGNORECASE)
MINUS = ("-", "\u2212", "\u2013")  # hyphen, minus sign, en dash
SPACES = re.compile(r"[\s\u00a0\u202f]+")
GROUPED = re.compile(r"[1-9][0-9]{0,2}( [0-9]{3})+|[0-9]+")


class MoneyError(ValueError):
    """Text that is not an amount in euros; str() is the message for the person who typed it."""

    def __init__(self, message) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return str(self.message)


def parse_money(text: str) -> Decimal:
    """An amount in euros with two decimal places.

    A comma followed by one or two digits, or the last of both separators, marks the cents. A dot
    followed by three digits groups thousands (Dutch "12.500"); a lone comma followed by three
    digits ("1,234") could mean either, so it is refused rather than guessed.
    """
    value = CURRENCY.sub("", SPACES.sub(" ", ascii_digits(text or "")).strip()).strip()
    value = re.sub(r"[,.]-{1,2}$", "", value)  # Dutch shorthand for whole euros: "12.500,-"
    if value.startswith(MINUS):
        raise MoneyError(NEGATIVE)
    if not re.fullmatch(r"[0-9][0-9., ]*[0-9]|[0-9]", value):
        raise MoneyError(INVALID)

    whole, cents = split_cents(value)
    if not GROUPED.fullmatch(whole):
        raise MoneyError(INVALID)
    if cents and not cents.isdigit():
        raise MoneyError(INVALID)
    if len(cents) > 2:
        raise MoneyError(TOO_MANY_CENTS)
    euros = whole.replace(" ", "").lstrip("0") or "0"
    if len(euros) > WHOLE_DIGITS:
        raise MoneyError(TOO_LARGE)
    return Decimal(euros + "." + (cents or "0")).quantize(CENTS)


def split_cents(value: str) -> tuple[str, str]:
    """The whole euros (thousands grouped by spaces) and the digits after the decimal mark."""
    commas, dots = value.count(","), value.count(".")
    if commas and dots:
        decimal_mark = "," if value.rfind(",") > value.rfind(".") else "."
        thousands = "." if decimal_mark == "," else ","
        if value.count(decimal_mark) > 1:
            raise MoneyError(INVALID)
        whole, cents = value.split(decimal_mark)
        return whole.replace(thousands, " "), cents
    mark = "," if commas else "." if dots else None
    if mark is None:
        return value, ""
    if value.count(mark) > 1:  # "1.234.567" or "1,234,567": only thousands
        return value.replace(mark, " "), ""
    whole, after = value.split(mark)
    if len(after) == 3 and GROUPED.fullmatch(f"{whole} {after}"):
        if mark == ".":
            return f"{whole} {after}", ""  # Dutch thousands: 12.500
        raise MoneyError(UNCLEAR)  # 1,234: English thousands, or Dutch with three decimals?
    return whole, after


class MoneyField(Field):
    """A text box for an amount in euros; data is a Decimal with two places, or None when left
    empty (add a validator when an amount is required). What the person typed is shown again
    when the form has errors."""

    widget = TextInput()

    def __init__(self, label=None, validators=None, render_kw=None, **kwargs) -> None:
        render_kw = {"inputmode": "decimal", "autocomplete": "off", **(render_kw or {})}
        super().__init__(label, validators, render_kw=render_kw, **kwargs)

    def process_formdata(self, valuelist: list[str]) -> None:
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        try:
            self.data = parse_money(valuelist[0])
        except MoneyError as error:
            self.data = None
            raise ValueError(str(error)) from None

    def pre_validate(self, form) -> None:
        # A text that is not an amount needs no further messages about its size.
        if self.process_errors:
            raise StopValidation()

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        if self.data is None:
            return ""
        return format_decimal(self.data, "#,##0.00")
