"""Amounts in euros as people type them: "12.500,00", "12500", "€ 12.500", "12500.50"."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l
from wtforms import StringField


class MoneyError(ValueError):
    pass


def parse_money(text: str) -> Decimal:
    """A Decimal with two places, or MoneyError with a message for the person."""
    value = (text or "").strip().replace("€", "").replace("\u00a0", "").replace(" ", "")
    if value.startswith("-"):
        raise MoneyError(_l("Fill in an amount above zero."))
    if not re.fullmatch(r"[0-9.,]+", value or "x"):
        raise MoneyError(_l("Fill in an amount in euros, for example 12.500,00."))
    if "," in value and "." in value:
        decimal_mark = "," if value.rindex(",") > value.rindex(".") else "."
    elif "," in value:
        # Dutch decimal comma, unless it separates thousands as in 12,500 or 1,250,000.
        decimal_mark = "" if re.fullmatch(r"\d{1,3}(,\d{3})+", value) else ","
    elif "." in value:
        # 12.500 is twelve thousand five hundred in Dutch.
        decimal_mark = "" if re.fullmatch(r"\d{1,3}(\.\d{3})+", value) else "."
    else:
        decimal_mark = ""
    thousands = {",", "."} - {decimal_mark}
    whole, _, cents = value.rpartition(decimal_mark) if decimal_mark else (value, "", "")
    if decimal_mark and not whole:
        whole = "0"
    for mark in thousands:
        whole = whole.replace(mark, "")
    if not whole.isdigit() or (cents and not cents.isdigit()):
        raise MoneyError(_l("Fill in an amount in euros, for example 12.500,00."))
    if len(cents) > 2:
        raise MoneyError(_l("Use at most two digits for the cents."))
    try:
        amount = Decimal(f"{whole}.{cents or '0'}").quantize(Decimal("0.01"))
    except InvalidOperation as error:
        raise MoneyError(_l("Fill in an amount in euros, for example 12.500,00.")) from error
    if amount >= Decimal("10000000000"):
        raise MoneyError(_l("This amount is too large."))
    return amount


def format_plain(amount: Decimal | None, locale: str = "nl") -> str:
    """12500,00 — for showing an amount again in an input field."""
    if amount is None:
        return ""
    text = f"{amount:.2f}"
    return text.replace(".", ",") if locale == "nl" else text


class MoneyField(StringField):
    """A text input for euros that gives a Decimal (None when empty)."""

    def process_formdata(self, valuelist):
        raw = valuelist[0] if valuelist else ""
        self.data = None
        if raw.strip():
            try:
                self.data = parse_money(raw)
            except MoneyError as error:
                # WTForms shows a ValueError from here as the field's error.
                raise ValueError(str(error.args[0])) from error

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        from flask_babel import get_locale

        return format_plain(self.data, str(get_locale() or "nl"))
