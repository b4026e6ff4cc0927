"""Rounds: administrators create, change and close them; anyone can read a round's page. Amounts
are typed the Dutch way, times are Dutch time and stored in UTC."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from fonds.columns import utcnow
from fonds.extensions import db
from fonds.money import MoneyError, parse_money
from fonds.roles import Role
from fonds.rounds.models import Round, RubricCriterion

# --- parse_money -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("12500", "12500.00"),
        ("12.500,00", "12500.00"),
        ("€ 12.500,00", "12500.00"),
        ("€12.500,00", "12500.00"),
        ("\u20ac\u00a012.500,00", "12500.00"),  # as the money filter shows it (no-break space)
        ("12500,5", "12500.50"),
        ("12500,50", "12500.50"),
        ("12.500", "12500.00"),  # Dutch thousands
        ("1.234.567,89", "1234567.89"),
        ("12 500,00", "12500.00"),
        ("12.500,-", "12500.00"),
        ("12500 euro", "12500.00"),
        ("EUR 12500", "12500.00"),
        ("  12500  ", "12500.00"),
        ("0,5", "0.50"),
        ("0", "0.00"),
        ("12500.50", "12500.50"),  # English
        ("12.5", "12.50"),
        ("12,500.00", "12500.00"),
        ("1,234,567", "1234567.00"),
        ("9999999999,99", "9999999999.99"),
    ],
)
def test_parse_money_reads_dutch_and_english_amounts(text, amount):
    value = parse_money(text)
    assert value == Decimal(amount)
    assert isinstance(value, Decimal)
    assert value.as_tuple().exponent == -2  # always two decimal places


INVALID = "Enter an amount in euros, for example 12,500.00."
NEGATIVE = "Enter the amount without a minus sign."
CENTS = "Use at most two digits for the cents, for example 12,500.50."
UNCLEAR = (
    "We cannot tell which amount you mean. Write it without a separator for thousands, "
    "for example 1234 or 1234.50."
)
TOO_LARGE = "This amount is too large. Check the number of digits."


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("abc", INVALID),
        ("", INVALID),
        ("   ", INVALID),
        ("€", INVALID),
        ("12,50,00", INVALID),
        ("1.2.3", INVALID),
        ("1e5", INVALID),
        ("NaN", INVALID),
        ("+5", INVALID),
        # Arabic-Indic digits are read as 0-9 (README), so this is 12500,501: too many cents.
        ("\u0661\u0662\u0665\u0660\u0660,\u0665\u0660\u0661", CENTS),
        ("1,234", UNCLEAR),  # English 1234, or Dutch 1,234 with three decimals?
        ("12,500", UNCLEAR),
        ("12500,501", CENTS),
        ("12500.501", CENTS),
        ("-5", NEGATIVE),
        ("-12.500,00", NEGATIVE),
        ("€ -12,50", NEGATIVE),
        ("-€ 12,50", NEGATIVE),
        ("\u22125", NEGATIVE),  # a real minus sign
        ("10000000000", TOO_LARGE),
        ("9" * 500, TOO_LARGE),
    ],
)
def test_parse_money_refuses_what_is_not_an_amount(text, message):
    with pytest.raises(MoneyError) as error:
        parse_money(text)
    assert str(error.value) == message


# --- creating a round --------------------------------------------------------------------------


def valid_form(**overrides) -> dict[str, str]:
    data = {
        "name": "Van binnenuit 2027",
        "description": "Voor initiatieven uit de gemeenschap zelf.\n\nMet een preventieve aanpak.",
        "opens_at": "2027-07-01T09:00",  # summer time: UTC+2
        "closes_at": "2027-12-01T17:00",  # winter time: UTC+1
        "budget_ceiling": "250.000,00",
        "min_grant": "2.500",
        "max_grant": "25000,5",
        "max_duration_months": "18",
        "reviewers_per_application": "3",
        "regulation": "Subsidieregeling Fonds op Naam 2027, artikel 4",
        "legal_mode": "awb",
        "remedy_addressee": "Bestuur Fonds op Naam\nPostbus 123\n1000 AA Amsterdam",
        "legal_remedy_text": "Maak binnen zes weken bezwaar bij het bestuur.",
        "remedy_email": "bezwaar@fondsopnaam.nl",
        "reconsideration_weeks": "6",
        "signatory_name": "Anna de Vries",
        "signatory_title": "Programmamanager",
    }
    data.update(overrides)
    return data


@pytest.fixture
def admin_client(client, make_user, log_in):
    """A (Dutch) client logged in as an administrator."""
    make_user("admin@example.nl", name="Anna Beheer", roles=[Role.ADMIN])
    log_in(client, "admin@example.nl")
    return client


@pytest.fixture
def admin_en(admin_client):
    admin_client.get("/language/en")
    return admin_client


def page_text(response) -> str:
    return html.unescape(response.text)


def checked_legal_mode(page: str) -> str:
    (value,) = re.findall(r'<input[^>]* checked [^>]*name="legal_mode"[^>]*value="(\w+)"', page)
    return value


def only_round() -> Round:
    return db.session.scalars(select(Round)).one()


def test_the_new_round_form_groups_its_fields(admin_en):
    page = admin_en.get("/rounds/new").text
    assert page.count("<fieldset") == 6  # five groups and the legal mode choice
    for legend in ("About the round", "When applicants can submit", "Money, in euros"):
        assert legend in page
    assert 'type="datetime-local"' in page
    assert 'inputmode="decimal"' in page
    assert re.search(r'<input[^>]*id="reviewers_per_application"[^>]*value="2"', page)
    assert 'inputmode="numeric"' in page
    assert '<label class="utrecht-form-label" for="budget_ceiling">' in page
    assert 'aria-describedby="budget_ceiling-hint"' in page


def test_an_administrator_creates_a_round_in_dutch_time(admin_en):
    response = admin_en.post("/rounds/new", data=valid_form())
    assert response.status_code == 302
    assert response.headers["Location"] == "/rounds/manage"

    round_ = only_round()
    assert round_.name == "Van binnenuit 2027"
    assert round_.description == (
        "Voor initiatieven uit de gemeenschap zelf.\n\nMet een preventieve aanpak."
    )
    # 09:00 in July in Amsterdam is 07:00 UTC (summer time); 17:00 in December is 16:00 UTC.
    assert round_.opens_at == datetime(2027, 7, 1, 7, 0, tzinfo=UTC)
    assert round_.closes_at == datetime(2027, 12, 1, 16, 0, tzinfo=UTC)
    assert round_.budget_ceiling == Decimal("250000.00")
    assert round_.min_grant == Decimal("2500.00")
    assert round_.max_grant == Decimal("25000.50")
    assert (round_.max_duration_months, round_.reviewers_per_application) == (18, 3)
    assert round_.regulation == "Subsidieregeling Fonds op Naam 2027, artikel 4"
    assert round_.legal_mode == "awb"
    assert round_.legal_remedy_text == "Maak binnen zes weken bezwaar bij het bestuur."
    assert round_.remedy_addressee == "Bestuur Fonds op Naam\nPostbus 123\n1000 AA Amsterdam"
    assert (round_.remedy_email, round_.reconsideration_weeks) == ("bezwaar@fondsopnaam.nl", 6)
    assert (round_.signatory_name, round_.signatory_title) == ("Anna de Vries", "Programmamanager")

    page = page_text(admin_en.get("/rounds/manage"))
    assert "The round Van binnenuit 2027 has been created" in page
    assert "1 July 2027 09:00" in page and "1 December 2027 17:00" in page
    assert "Not yet open" in page


def test_a_new_round_gets_the_default_rubric(admin_client):
    admin_client.post("/rounds/new", data=valid_form())
    criteria = only_round().criteria
    assert len(criteria) == 7
    assert sum(c.weight for c in criteria) == 100
    assert [c.position for c in criteria] == [1, 2, 3, 4, 5, 6, 7]
    assert criteria[0].name_nl == "Verandering van binnenuit"
    assert criteria[0].name_en == "Change from within"


def test_windows_line_ends_and_control_characters_are_cleaned(admin_client):
    data = valid_form(name="  Ronde\x00 2027 ", description="Een\r\nTwee\x07")
    assert admin_client.post("/rounds/new", data=data).status_code == 302
    round_ = only_round()
    assert (round_.name, round_.description) == ("Ronde 2027", "Een\nTwee")


# (changes to a valid form, the field that is wrong, the message next to it)
INVALID_FORMS = [
    ({"name": ""}, "name", "Enter the name of the round."),
    ({"name": "   "}, "name", "Enter the name of the round."),
    ({"name": "x" * 201}, "name", "The name can have at most 200 characters."),
    ({"description": ""}, "description", "Describe what the fund supports in this round."),
    ({"opens_at": ""}, "opens_at", "Enter when the round opens."),
    ({"closes_at": "  "}, "closes_at", "Enter when the round closes."),
    (
        {"opens_at": "2027-07-01T09:00", "closes_at": "2027-06-30T09:00"},
        "closes_at",
        "The closing moment must be after the opening moment.",
    ),
    (
        {"opens_at": "2027-07-01T09:00", "closes_at": "2027-07-01T09:00"},
        "closes_at",
        "The closing moment must be after the opening moment.",
    ),
    ({"opens_at": "tomorrow"}, "opens_at", "Enter a date and a time, for example 1-3-2027 09:00."),
    (
        {"opens_at": "2027-02-30T09:00"},
        "opens_at",
        "Enter a date and a time, for example 1-3-2027 09:00.",
    ),
    ({"opens_at": "0001-01-01T00:00"}, "opens_at", "Enter a year between 2000 and 2100."),
    (
        # The last Sunday of March 2027 the clocks go from 02:00 to 03:00.
        {"opens_at": "2027-03-28T02:30"},
        "opens_at",
        "This time does not exist in the Netherlands: the clocks go forward one hour that "
        "night. Choose another time.",
    ),
    ({"budget_ceiling": ""}, "budget_ceiling", "Enter the budget ceiling."),
    ({"budget_ceiling": "0"}, "budget_ceiling", "The budget ceiling must be more than € 0."),
    ({"budget_ceiling": "veel"}, "budget_ceiling", INVALID),
    ({"budget_ceiling": "-250.000"}, "budget_ceiling", NEGATIVE),
    ({"budget_ceiling": "12345678901"}, "budget_ceiling", TOO_LARGE),
    ({"min_grant": "1,234"}, "min_grant", UNCLEAR),
    ({"min_grant": "10,555"}, "min_grant", UNCLEAR),
    ({"min_grant": "10,5555"}, "min_grant", CENTS),
    ({"min_grant": ""}, "min_grant", "Enter the minimum grant. This can be 0."),
    (
        {"min_grant": "30.000", "max_grant": "25.000"},
        "min_grant",
        "The minimum grant cannot be more than the maximum grant.",
    ),
    ({"max_grant": ""}, "max_grant", "Enter the maximum grant."),
    (
        {"min_grant": "0", "max_grant": "0"},
        "max_grant",
        "The maximum grant must be more than € 0.",
    ),
    (
        {"max_grant": "250.000,01"},
        "max_grant",
        "The maximum grant cannot be more than the budget ceiling.",
    ),
    (
        {"max_duration_months": ""},
        "max_duration_months",
        "Enter the maximum project duration in months.",
    ),
    (
        {"max_duration_months": "0"},
        "max_duration_months",
        "A project must be able to last at least 1 month.",
    ),
    (
        {"max_duration_months": "121"},
        "max_duration_months",
        "The maximum project duration can be at most 120 months.",
    ),
    (
        {"max_duration_months": "1,5"},
        "max_duration_months",
        "Enter the number of months as a whole number, for example 18.",
    ),
    (
        {"max_duration_months": "99999999999999999999"},
        "max_duration_months",
        "Enter the number of months as a whole number, for example 18.",
    ),
    (
        {"max_duration_months": "-3"},
        "max_duration_months",
        "Enter the number of months as a whole number, for example 18.",
    ),
    (
        {"reviewers_per_application": "0"},
        "reviewers_per_application",
        "Each application needs at least 1 reviewer.",
    ),
    (
        {"reviewers_per_application": "21"},
        "reviewers_per_application",
        "Choose at most 20 reviewers per application.",
    ),
    (
        {"reviewers_per_application": "twee"},
        "reviewers_per_application",
        "Enter the number of reviewers as a whole number, for example 2.",
    ),
    (
        {"regulation": ""},
        "regulation",
        "Enter the regulation the decisions are based on.",
    ),
    (
        {"legal_mode": "civil"},
        "legal_mode",
        "Choose how applicants can object to a decision.",
    ),
    (
        {"legal_mode": None},
        "legal_mode",
        "Choose how applicants can object to a decision.",
    ),
    (
        # The letter asks the question itself, once.
        {"legal_remedy_text": "Bent u het niet eens met dit besluit? Bel ons eerst."},
        "legal_remedy_text",
        "The letter already asks ‘Bent u het niet eens met dit besluit?’. Leave that question "
        "out of this text.",
    ),
    (
        {"remedy_email": "bezwaar-at-fonds"},
        "remedy_email",
        "Enter an e-mail address like bezwaar@fondsopnaam.nl, or leave this field empty.",
    ),
    (
        # An objection under the Awb is a signed letter: it needs a postal address.
        {"legal_mode": "awb", "remedy_addressee": "bezwaar@fondsopnaam.nl"},
        "remedy_addressee",
        "For an objection under the Awb, enter a postal address here. An e-mail address goes "
        "in the field for e-mail.",
    ),
    (
        {"reconsideration_weeks": "0"},
        "reconsideration_weeks",
        "Give at least 1 week.",
    ),
    (
        {"reconsideration_weeks": "53"},
        "reconsideration_weeks",
        "Give at most 52 weeks.",
    ),
    (
        {"reconsideration_weeks": ""},
        "reconsideration_weeks",
        "Enter within how many weeks an applicant can ask for reconsideration.",
    ),
    (
        {"remedy_addressee": "  "},
        "remedy_addressee",
        "Enter who gets an objection or a request for reconsideration, and where.",
    ),
    (
        {"remedy_addressee": "a" * 501},
        "remedy_addressee",
        "This address can have at most 500 characters.",
    ),
    (
        # The letter must not offer two remedies that contradict each other.
        {"legal_mode": "awb", "legal_remedy_text": "Of vraag om heroverweging."},
        "legal_remedy_text",
        "With an objection under the Awb the letter does not offer reconsideration. Take "
        "'heroverweging' out of this text, or choose reconsideration by the fund.",
    ),
    (
        {"legal_mode": "private", "legal_remedy_text": "Maak binnen zes weken bezwaar."},
        "legal_remedy_text",
        "With reconsideration by the fund the letter does not offer an objection under the "
        "Awb. Take 'bezwaar' out of this text, or choose an objection under the Awb.",
    ),
    (
        {"signatory_name": ""},
        "signatory_name",
        "Enter the name of the person who signs the letters.",
    ),
    (
        {"signatory_title": "t" * 201},
        "signatory_title",
        "The job title can have at most 200 characters.",
    ),
]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    INVALID_FORMS,
    ids=[f"{field}: {message[:40]}" for _c, field, message in INVALID_FORMS],
)
def test_a_wrong_field_gets_a_specific_message_and_nothing_is_saved(
    admin_en, changes, field, message
):
    data = {k: v for k, v in valid_form(**changes).items() if v is not None}
    response = admin_en.post("/rounds/new", data=data)
    assert response.status_code == 422
    page = page_text(response)
    # In the summary, linking to the field, and next to the field.
    assert f'<a class="utrecht-link" href="#{field}">{message}</a>' in page
    assert f'id="{field}-error"' in page
    assert page.count(message) == 2
    assert "<title>Error:" in page
    assert db.session.scalar(select(func.count()).select_from(Round)) == 0


def test_a_form_with_errors_keeps_everything_that_was_typed(admin_en):
    data = valid_form(closes_at="2027-06-01T09:00", budget_ceiling="12.500,00", min_grant="abc")
    page = page_text(admin_en.post("/rounds/new", data=data))
    assert "The closing moment must be after the opening moment." in page
    assert INVALID in page
    for name in ("name", "opens_at", "closes_at", "budget_ceiling", "min_grant", "max_grant"):
        assert f'value="{data[name]}"' in page, name
    assert f'value="{data["max_duration_months"]}"' in page
    assert (
        "Voor initiatieven uit de gemeenschap zelf.\n\nMet een preventieve aanpak.</textarea>"
        in page
    )
    assert checked_legal_mode(page) == "awb"


def test_the_messages_are_dutch_for_a_dutch_administrator(admin_client):
    data = valid_form(min_grant="abc", closes_at="2027-06-01T09:00", max_duration_months="0")
    page = page_text(admin_client.post("/rounds/new", data=data))
    assert "Vul een bedrag in euro's in, bijvoorbeeld 12.500,00." in page
    assert "Het sluitmoment moet na het openingsmoment liggen." in page
    assert "Een project moet minimaal 1 maand kunnen duren." in page


# --- changing a round --------------------------------------------------------------------------


def test_the_edit_form_shows_the_round_in_dutch_time_and_dutch_amounts(admin_client, make_round):
    round_ = make_round(
        opens_at=datetime(2027, 7, 1, 7, 0, tzinfo=UTC),
        closes_at=datetime(2027, 12, 1, 16, 0, tzinfo=UTC),
        budget_ceiling=Decimal("250000"),
        min_grant=Decimal("0.5"),
    )
    page = page_text(admin_client.get(f"/rounds/{round_.id}/edit"))
    assert 'value="2027-07-01T09:00"' in page
    assert 'value="2027-12-01T17:00"' in page
    assert 'value="250.000,00"' in page
    assert 'value="0,50"' in page
    assert checked_legal_mode(page) == "private"


def test_the_form_asks_where_an_objection_goes_in_plain_words(admin_client, make_round):
    round_ = make_round(remedy_addressee="Bezwaarcommissie\nPostbus 9\n1000 AB Amsterdam")
    page = page_text(admin_client.get(f"/rounds/{round_.id}/edit"))
    assert '<label class="utrecht-form-label" for="remedy_addressee">' in page
    assert "Waar stuurt de aanvrager bezwaar of een verzoek om heroverweging naartoe?" in page
    assert "Wie krijgt het, en op welk postadres?" in page
    assert "E-mailadres voor bezwaar of heroverweging (niet verplicht)" in page
    assert "Hoeveel weken heeft de aanvrager om heroverweging te vragen?" in page
    assert "Bezwaarcommissie\nPostbus 9\n1000 AB Amsterdam</textarea>" in page
    # The hints of the legal modes and the extra text say the letter names that address.
    assert "en waar de aanvrager het bezwaar naartoe stuurt" in page
    assert "Noem het adres hier niet nog een keer." in page


@pytest.mark.migrates
def test_existing_rounds_get_an_addressee_when_migrating(app, make_round):
    """The migration gives rounds made before it an addressee the letter can use: the board,
    at the address the letterhead now shows."""
    from alembic import command
    from flask import current_app
    from sqlalchemy import text

    round_id = make_round(remedy_addressee="wordt vervangen").id
    awb_round_id = make_round(remedy_addressee="wordt vervangen", legal_mode="awb").id
    config = current_app.extensions["migrate"].migrate.get_config()
    db.session.remove()
    db.engine.dispose()
    command.downgrade(config, "c7d2e5f1a903")
    try:
        with db.engine.begin() as connection:
            assert "remedy_addressee" not in {
                column["name"] for column in db.inspect(connection).get_columns("funding_round")
            }
        command.upgrade(config, "head")
    finally:
        command.upgrade(config, "head")  # never leave the test database behind
        db.engine.dispose()
    value = db.session.scalar(
        text("SELECT remedy_addressee FROM funding_round WHERE id = :id"), {"id": round_id}
    )
    assert value == "Bestuur Fonds op Naam, op het postadres of e-mailadres bovenaan deze brief"
    # An objection under the Awb goes by post unless the round names an e-mail address for it
    # (remedy_email): that round's default addressee names the postal address only.
    value = db.session.scalar(
        text("SELECT remedy_addressee FROM funding_round WHERE id = :id"), {"id": awb_round_id}
    )
    assert value == "Bestuur Fonds op Naam, op het postadres bovenaan deze brief"


def test_the_edit_form_in_english_shows_english_amounts(admin_en, make_round):
    round_ = make_round(budget_ceiling=Decimal("250000"))
    assert 'value="250,000.00"' in page_text(admin_en.get(f"/rounds/{round_.id}/edit"))


def test_an_administrator_changes_every_field(admin_en, make_round):
    round_ = make_round()
    data = valid_form(
        name="Nieuwe naam",
        opens_at="2028-01-10T08:30",
        closes_at="2028-10-29T23:59",  # after the clocks go back
        legal_mode="private",
        legal_remedy_text="",  # the text is only for extras: it may stay empty
        remedy_addressee="heroverweging@fondsopnaam.example",
        remedy_email="",
        reconsideration_weeks="4",
    )
    response = admin_en.post(f"/rounds/{round_.id}/edit", data=data)
    assert response.status_code == 302
    db.session.refresh(round_)
    assert round_.name == "Nieuwe naam"
    assert round_.opens_at == datetime(2028, 1, 10, 7, 30, tzinfo=UTC)
    assert round_.closes_at == datetime(2028, 10, 29, 22, 59, tzinfo=UTC)
    assert round_.max_grant == Decimal("25000.50")
    assert round_.legal_mode == "private"
    assert round_.legal_remedy_text == ""
    assert round_.remedy_addressee == "heroverweging@fondsopnaam.example"
    assert (round_.remedy_email, round_.reconsideration_weeks) == ("", 4)
    assert len(round_.criteria) == 7  # the rubric is left alone
    assert "Your changes to Nieuwe naam have been saved." in page_text(
        admin_en.get("/rounds/manage")
    )


def test_a_wrong_change_is_not_saved(admin_en, make_round):
    round_ = make_round(name="Ronde A")
    data = valid_form(name="Ronde B", max_grant="300.000")
    response = admin_en.post(f"/rounds/{round_.id}/edit", data=data)
    assert response.status_code == 422
    assert "The maximum grant cannot be more than the budget ceiling." in page_text(response)
    db.session.refresh(round_)
    assert round_.name == "Ronde A"


def test_editing_a_missing_round_is_not_found(admin_client):
    assert admin_client.get("/rounds/424242/edit").status_code == 404
    assert admin_client.post("/rounds/424242/edit", data=valid_form()).status_code == 404


# --- closing a round ---------------------------------------------------------------------------


def test_closing_asks_for_confirmation_first(admin_en, make_round):
    round_ = make_round(name="Open ronde")
    page = page_text(admin_en.get(f"/rounds/{round_.id}/close"))
    assert "Close round Open ronde now?" in page
    assert f'action="/rounds/{round_.id}/close"' in page
    assert "Yes, close the round now" in page
    db.session.refresh(round_)
    assert round_.is_open()  # looking at the question closes nothing


def test_an_administrator_closes_an_open_round(admin_en, make_round):
    round_ = make_round(name="Open ronde")
    before = utcnow()
    response = admin_en.post(f"/rounds/{round_.id}/close")
    assert response.status_code == 302
    db.session.refresh(round_)
    assert before <= round_.closes_at <= utcnow()
    assert not round_.is_open()
    page = page_text(admin_en.get("/rounds/manage"))
    assert "The round Open ronde is closed. Nobody can submit an application in it any more." in (
        page
    )
    assert f"/rounds/{round_.id}/close" not in page  # no second close button


def test_closing_a_closed_round_is_refused(admin_en, make_round):
    closed_at = utcnow() - timedelta(days=3)
    round_ = make_round(opens_at=closed_at - timedelta(days=30), closes_at=closed_at)
    for method in ("GET", "POST"):
        response = admin_en.open(f"/rounds/{round_.id}/close", method=method)
        assert response.status_code == 302
        assert "This round is already closed." in page_text(admin_en.get("/rounds/manage"))
    db.session.refresh(round_)
    assert round_.closes_at == closed_at


def test_a_round_that_has_not_opened_cannot_be_closed(admin_en, make_round):
    opens = utcnow() + timedelta(days=3)
    round_ = make_round(opens_at=opens, closes_at=opens + timedelta(days=30))
    response = admin_en.post(f"/rounds/{round_.id}/close")
    assert response.status_code == 302
    assert (
        "This round has not opened yet, so it cannot be closed. Change its dates instead."
        in page_text(admin_en.get("/rounds/manage"))
    )
    db.session.refresh(round_)
    assert round_.closes_at == opens + timedelta(days=30)


def test_the_list_shows_every_round_with_its_status(admin_en, make_round):
    now = utcnow()
    make_round(name="Open ronde")
    make_round(name="Oude ronde", opens_at=now - timedelta(days=90), closes_at=now - timedelta(1))
    make_round(name="Latere ronde", opens_at=now + timedelta(1), closes_at=now + timedelta(90))
    page = page_text(admin_en.get("/rounds/manage"))
    assert '<caption class="utrecht-table__caption" id="rounds-caption">' in page
    assert page.count('scope="row"') == 3
    for status in ("Open", "Closed", "Not yet open"):
        assert f'<td class="utrecht-table__cell" data-label="Status">{status}</td>' in page
    assert page.index("Latere ronde") < page.index("Open ronde") < page.index("Oude ronde")


# --- the public page ---------------------------------------------------------------------------

START_FORM = 'action="/applications/start?round_id={id}"'


def test_the_public_page_in_dutch(client, make_round):
    round_ = make_round(
        name="Van binnenuit 2027",
        description="Wij steunen initiatieven.\n\nUit de gemeenschap zelf.",
        closes_at=datetime(2099, 7, 1, 15, 0, tzinfo=UTC),
        min_grant=Decimal("2500"),
        max_grant=Decimal("25000"),
        max_duration_months=18,
    )
    response = client.get(f"/rounds/{round_.id}")
    assert response.status_code == 200
    page = page_text(response)
    assert '<h1 class="utrecht-heading-1">Van binnenuit 2027</h1>' in page
    assert "Wij steunen initiatieven." in page and "Uit de gemeenschap zelf." in page
    assert "van €\xa02.500,00 tot €\xa025.000,00" in page
    assert "€\xa0250.000,00" in page
    assert "18 maanden" in page
    # 15:00 UTC in July is 17:00 in Amsterdam.
    assert (
        "Deze ronde is open. Verstuur uw aanvraag uiterlijk op 1 juli 2099 om 17.00 uur "
        "(Nederlandse tijd)." in page
    )
    assert '<th class="utrecht-table__header-cell" scope="row">Verandering van binnenuit</th>' in (
        page
    )
    assert '<td class="utrecht-table__cell">20%</td>' in page
    assert "Bekende mensen en gespreksleiders uit de gemeenschap leiden het project." in page
    assert "Change from within" not in page
    assert START_FORM.format(id=round_.id) in page
    assert "Start een aanvraag" in page


def test_the_public_page_in_english(english, make_round):
    round_ = make_round(
        name="Round 2099", closes_at=datetime(2099, 1, 15, 16, 0, tzinfo=UTC), max_duration_months=1
    )
    page = page_text(english.get(f"/rounds/{round_.id}"))
    assert "Send your application at the latest on 15 January 2099 at 17:00 (Dutch time)." in page
    assert "from €2,500.00 to €25,000.00" in page
    assert "1 month" in page
    assert '<th class="utrecht-table__header-cell" scope="row">Change from within</th>' in page
    assert "Led by key figures and dialogue leaders from the community" in page
    assert "Verandering van binnenuit" not in page
    assert '<caption class="utrecht-table__caption" id="criteria-caption">' in page
    assert "Start an application" in page


def test_a_closed_round_has_no_start_button(english, make_round):
    now = utcnow()
    round_ = make_round(
        opens_at=datetime(2024, 1, 1, 8, 0, tzinfo=UTC),
        closes_at=datetime(2024, 3, 1, 16, 0, tzinfo=UTC),
    )
    assert round_.closes_at < now
    page = page_text(english.get(f"/rounds/{round_.id}"))
    assert "This round is closed. The deadline was 1 March 2024 17:00 (Dutch time)." in page
    assert START_FORM.format(id=round_.id) not in page
    assert "Start an application" not in page


def test_a_future_round_says_when_it_opens(english, make_round):
    round_ = make_round(
        opens_at=datetime(2099, 3, 1, 8, 0, tzinfo=UTC),
        closes_at=datetime(2099, 6, 1, 15, 0, tzinfo=UTC),
    )
    page = page_text(english.get(f"/rounds/{round_.id}"))
    assert (
        "This round is not open yet. It opens on 1 March 2099 09:00. You can submit an "
        "application until 1 June 2099 17:00 (Dutch time)." in page
    )
    assert START_FORM.format(id=round_.id) not in page


def test_a_missing_round_is_not_found(client):
    assert client.get("/rounds/424242").status_code == 404


def test_only_administrators_see_the_link_to_change_a_round(client, make_round, make_user, log_in):
    round_ = make_round()
    assert f"/rounds/{round_.id}/edit" not in client.get(f"/rounds/{round_.id}").text
    make_user("admin@example.nl", roles=[Role.ADMIN])
    log_in(client, "admin@example.nl")
    assert f"/rounds/{round_.id}/edit" in client.get(f"/rounds/{round_.id}").text


def test_the_start_page_links_each_open_round_to_its_page(client, make_round):
    round_ = make_round(name="Van binnenuit 2027")
    page = client.get("/").text
    assert f'<a class="utrecht-link" href="/rounds/{round_.id}">Van binnenuit 2027</a>' in page


def test_the_public_page_lists_every_criterion(client, make_round):
    round_ = make_round()
    count = db.session.scalar(
        select(func.count())
        .select_from(RubricCriterion)
        .where(RubricCriterion.round_id == round_.id)
    )
    assert client.get(f"/rounds/{round_.id}").text.count('scope="row"') == count == 7
