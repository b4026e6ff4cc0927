"""Changing an organisation's details."""

from __future__ import annotations

from flask_babel import gettext as _

from fonds.extensions import db
from fonds.organisations.forms import OrganisationDetailsForm
from fonds.organisations.models import Organisation
from fonds.organisations.validators import normalise_iban, normalise_kvk, normalise_postcode
from fonds.refusals import Refused

TEXT_FIELDS = (
    "name",
    "host_organisation",
    "street",
    "city",
    "account_holder",
    "contact_name",
    "contact_phone",
)


class OrganisationRefused(Refused):
    """A change to an organisation that is not allowed; the message is for the person."""


def update_details(organisation: Organisation, form: OrganisationDetailsForm, *, by) -> None:
    """Store validated details in their normal form (1234 AB, NL91ABNA0417164300, 12345678).
    Submitted applications keep their own snapshot, so this never changes what was sent."""
    if not organisation.can_edit(by):
        raise OrganisationRefused(_("Only members of the organisation can change its details."))
    for field in TEXT_FIELDS:
        setattr(organisation, field, getattr(form, field).data or "")
    organisation.legal_form = form.legal_form.data or None
    organisation.kvk_number = normalise_kvk(form.kvk_number.data or "") or None
    organisation.postcode = normalise_postcode(form.postcode.data) if form.postcode.data else ""
    organisation.iban = normalise_iban(form.iban.data) if form.iban.data else ""
    organisation.contact_email = (form.contact_email.data or "").lower()
    db.session.flush()


def details_form(organisation: Organisation, formdata=None) -> OrganisationDetailsForm:
    return OrganisationDetailsForm(formdata=formdata, data=details_data(organisation))


def details_data(organisation: Organisation) -> dict:
    """The stored details as initial data for OrganisationDetailsForm."""
    return organisation.snapshot()
