"""WTForms validators and normalisers for Dutch organisation data, built on schwifty (IBAN)
and python-stdnum (postcode)."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from schwifty import IBAN
from schwifty.exceptions import SchwiftyException
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.nl import postcode as nl_postcode
from wtforms.validators import ValidationError


def normalise_iban(value: str) -> str:
    return IBAN(value).compact


def check_iban(form, field) -> None:
    if not field.data:
        return
    try:
        IBAN(field.data)
    except SchwiftyException as error:
        raise ValidationError(
            _l(
                "This IBAN is not right. Check the number on your bank card or bank statement, "
                "for example NL91 ABNA 0417 1643 00."
            )
        ) from error


def normalise_postcode(value: str) -> str:
    return nl_postcode.validate(value)


def check_postcode(form, field) -> None:
    if not field.data:
        return
    try:
        nl_postcode.validate(field.data)
    except StdnumError as error:
        raise ValidationError(
            _l("Fill in a Dutch postcode: four digits and two letters, for example 1234 AB.")
        ) from error


def normalise_kvk(value: str) -> str:
    return re.sub(r"[\s.]", "", value)


def check_kvk(form, field) -> None:
    if not field.data:
        return
    if not re.fullmatch(r"\d{8}", normalise_kvk(field.data)):
        raise ValidationError(
            _l(
                "A KvK number has 8 digits. You can find it on your extract from the Chamber of "
                "Commerce (KvK)."
            )
        )


def check_phone(form, field) -> None:
    if not field.data:
        return
    digits = re.sub(r"[\s()\-.]", "", field.data)
    if not re.fullmatch(r"\+?\d{9,15}", digits):
        raise ValidationError(
            _l("Fill in a phone number with 10 digits, for example 06 12345678 or +31 6 12345678.")
        )
