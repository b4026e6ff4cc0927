"""An organisation's details: entered once, reused for every application, and editable."""

import pytest

from fonds.demo.builders import ORGANISATION_DETAILS
from fonds.extensions import db
from fonds.roles import Role


@pytest.fixture
def organisation(applicant):
    return applicant[1]


def details_url(organisation):
    return f"/organisations/{organisation.id}/details"


def test_member_saves_details_in_their_normal_form(english, organisation):
    data = {
        **ORGANISATION_DETAILS,
        "postcode": "1234ab",
        "iban": "nl91 abna 0417 1643 00",
        "kvk_number": "1234 5678",
        "contact_email": "Fatima@Example.nl",
    }
    response = english.post(details_url(organisation), data=data, follow_redirects=True)
    assert "The details of your organisation are saved." in response.text
    db.session.refresh(organisation)
    assert (organisation.postcode, organisation.iban, organisation.kvk_number) == (
        "1234 AB",
        "NL91ABNA0417164300",
        "12345678",
    )
    assert organisation.contact_email == "fatima@example.nl"
    assert organisation.missing_details() == []
    # The form shows the stored values again.
    page = english.get(details_url(organisation)).text
    assert 'value="1234 AB"' in page and 'value="NL91ABNA0417164300"' in page


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": ""}, "name", "Fill in the legal name of your organisation."),
        ({"iban": "NL00 ABNA 0417 1643 00"}, "iban", "This IBAN is not right."),
        ({"iban": "12345"}, "iban", "This IBAN is not right."),
        (
            {"postcode": "1234"},
            "postcode",
            "Fill in a Dutch postcode: four digits and two letters, for example 1234 AB.",
        ),
        ({"postcode": "0123 AB"}, "postcode", "Fill in a Dutch postcode"),
        ({"kvk_number": "1234567a"}, "kvk_number", "A KvK number has 8 digits."),
        ({"contact_phone": "bel me"}, "contact_phone", "Fill in a phone number with 10 digits"),
        (
            {"contact_email": "fatima@"},
            "contact_email",
            "Enter an e-mail address like name@example.nl.",
        ),
        ({"legal_form": "bv"}, "legal_form", "Choose the legal form of your organisation."),
    ],
)
def test_details_errors_keep_what_was_typed(english, organisation, changes, field, message):
    data = {**ORGANISATION_DETAILS, **changes}
    response = english.post(details_url(organisation), data=data)
    assert response.status_code == 422
    assert f'href="#{field}">{message}' in response.text
    assert f'id="{field}-error"' in response.text
    assert 'value="Dorpsstraat 1"' in response.text
    db.session.refresh(organisation)
    assert organisation.street == ""  # nothing half saved


def test_a_legal_entity_needs_a_kvk_number_and_an_informal_group_a_host(organisation):
    for key, value in ORGANISATION_DETAILS.items():
        setattr(organisation, key, value)
    organisation.kvk_number = None
    assert organisation.missing_details() == ["kvk_number"]
    organisation.legal_form = "informal"
    assert organisation.missing_details() == ["host_organisation"]
    organisation.host_organisation = "Stichting Gastvrij"
    assert organisation.missing_details() == []


def test_only_members_change_details(app, organisation, make_user, log_in):
    make_user("other@example.nl")
    make_user("admin@example.nl", roles=[Role.ADMIN])
    for email, status in (("other@example.nl", 404), ("admin@example.nl", 403)):
        client = app.test_client()
        log_in(client, email)
        assert client.get(details_url(organisation)).status_code == status
        response = client.post(details_url(organisation), data=ORGANISATION_DETAILS)
        assert response.status_code == status
    db.session.refresh(organisation)
    assert organisation.iban == ""


def test_submitted_applications_keep_the_details_they_were_sent_with(
    english, organisation, make_round, make_application
):
    application = make_application(make_round(), organisation)
    english.post(
        f"/applications/{application.id}/submit",
        data={"declared_truthful": "y", "declared_privacy": "y"},
    )
    english.post(
        details_url(organisation), data={**ORGANISATION_DETAILS, "iban": "NL20INGB0001234567"}
    )
    db.session.refresh(application)
    assert application.organisation_snapshot["iban"] == "NL91ABNA0417164300"
    assert application.organisation.iban == "NL20INGB0001234567"


def test_choices_follow_the_language(client, english, organisation):
    assert "Foundation (stichting)" in english.get(details_url(organisation)).text
    english.get("/language/nl")
    page = english.get(details_url(organisation)).text
    assert ">Stichting</label>" in page and "Groep zonder stichting of vereniging" in page
