"""The organisation's details, entered once and reused for every application."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, RadioField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Optional

from fonds.auth.forms import MaxCharacters, email_field, strip
from fonds.fields import KnownChoice, number_text
from fonds.organisations.models import LEGAL_FORM_LABELS, LegalForm
from fonds.organisations.validators import check_iban, check_kvk, check_phone, check_postcode


def text(
    label,
    max_length: int,
    description=None,
    autocomplete: str | None = None,
    *,
    number: bool = False,
):
    """A text box; `number` for number-like text, whose digits are stored as 0-9."""
    return StringField(
        label,
        description=description,
        filters=[number_text if number else strip],
        validators=[
            Optional(),
            MaxCharacters(max_length),
        ],
        render_kw={"autocomplete": autocomplete} if autocomplete else None,
    )


class OrganisationDetailsForm(FlaskForm):
    name = StringField(
        _l("Legal name"),
        description=_l(
            "The name as registered at the Chamber of Commerce (KvK), or the name of your group."
        ),
        filters=[strip],
        validators=[
            DataRequired(message=_l("Fill in the legal name of your organisation.")),
            MaxCharacters(200),
        ],
        render_kw={"autocomplete": "organization"},
    )
    legal_form = RadioField(
        _l("Legal form"),
        choices=[SelectChoice(form.value, LEGAL_FORM_LABELS[form]) for form in LegalForm],
        validate_choice=False,
        validators=[
            Optional(),
            KnownChoice(_l("Choose the legal form of your organisation.")),
        ],
    )
    kvk_number = text(
        _l("KvK number"), 20, _l("8 digits. Required for a foundation or association."), number=True
    )
    host_organisation = text(
        _l("Host organisation"),
        200,
        _l(
            "Only for an informal group: the foundation or association that receives the money "
            "for you."
        ),
    )
    street = text(_l("Street and house number"), 200, autocomplete="street-address")
    postcode = text(_l("Postcode"), 10, _l("For example 1234 AB."), "postal-code", number=True)
    city = text(_l("Town or city"), 100, autocomplete="address-level2")
    iban = text(
        _l("IBAN (bank account number)"),
        42,
        _l("For example NL91 ABNA 0417 1643 00."),
        number=True,
    )
    account_holder = text(_l("Name of the account holder"), 200)
    contact_name = text(_l("Name of the contact person"), 200, autocomplete="name")
    contact_email = EmailField(
        _l("E-mail address of the contact person"),
        filters=[strip],
        validators=[
            Optional(),
            MaxCharacters(254),
            Email(
                message=_l("Enter an e-mail address like name@example.nl."),
                check_deliverability=False,
            ),
        ],
        render_kw={"autocomplete": "email"},
    )
    contact_phone = text(
        _l("Phone number of the contact person"), 30, autocomplete="tel", number=True
    )

    def validate_kvk_number(self, field):
        check_kvk(self, field)

    def validate_postcode(self, field):
        check_postcode(self, field)

    def validate_iban(self, field):
        check_iban(self, field)

    def validate_contact_phone(self, field):
        check_phone(self, field)


class InviteMemberForm(FlaskForm):
    email = email_field(
        _l("E-mail address of your colleague"),
        _l("Enter the e-mail address of your colleague."),
    )
