"""An administrator sets up a round in a real browser, and a visitor reads its page. axe-core checks
every page, in Dutch and English, on a desktop and on a 320 px wide screen."""

from datetime import UTC, datetime

import pytest
from playwright.sync_api import expect

from fonds.roles import Role
from fonds.rounds.models import Round
from tests.conftest import PASSWORD
from tests.test_browser_accounts import VIEWPORTS, assert_accessible


@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
def test_an_administrator_creates_and_closes_a_round(
    page, live_server, make_user, make_round, viewport
):
    page.set_viewport_size(VIEWPORTS[viewport])
    make_user("admin@example.nl", roles=[Role.ADMIN])
    page.goto(live_server + "/account/login")
    page.get_by_label("E-mailadres").fill("admin@example.nl")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()

    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Rondes").click()
    assert_accessible(page, "rounds, none yet")
    page.get_by_role("link", name="Nieuwe ronde").click()
    assert_accessible(page, "new round form")

    page.get_by_label("Naam van de ronde").fill("Van binnenuit 2027")
    page.get_by_label("Wat het fonds in deze ronde steunt").fill("Initiatieven van binnenuit.")
    page.get_by_label("Opent op").fill("2027-07-01T09:00")
    page.get_by_label("Sluit op (uiterste datum)").fill("2027-06-01T09:00")  # a mistake
    page.get_by_label("Subsidieplafond").fill("250.000,00")
    page.get_by_label("Minimale subsidie").fill("2.500")
    page.get_by_label("Maximale subsidie").fill("25.000")
    page.get_by_label("Maximale looptijd van een project in maanden").fill("18")
    page.get_by_label("Regeling (wettelijke grondslag)").fill("Subsidieregeling 2027, artikel 4")
    page.get_by_label("Bezwaar volgens de Awb").check()
    page.get_by_label(
        "Waar stuurt de aanvrager bezwaar of een verzoek om heroverweging naartoe?"
    ).fill("Bestuur Fonds op Naam, Postbus 123, 1000 AA Amsterdam")
    page.get_by_label("Tekst over bezwaar of heroverweging").fill("Binnen zes weken bezwaar.")
    page.get_by_label("Naam van de persoon die de brieven ondertekent").fill("Anna de Vries")
    page.get_by_label("Functie van de persoon die ondertekent").fill("Programmamanager")
    page.get_by_role("button", name="Ronde aanmaken").click()

    summary = page.locator("[data-error-summary]")
    expect(summary).to_contain_text("Het sluitmoment moet na het openingsmoment liggen.")
    assert page.get_by_label("Subsidieplafond").input_value() == "250.000,00"
    assert_accessible(page, "new round form with an error")
    summary.get_by_role("link").click()
    expect(page.locator("#closes_at")).to_be_focused()
    page.get_by_label("Sluit op (uiterste datum)").fill("2027-12-01T17:00")
    page.get_by_role("button", name="Ronde aanmaken").click()
    expect(page.locator("main")).to_contain_text("is aangemaakt")
    assert_accessible(page, "rounds list")

    page.get_by_role("link", name="Veranderen Van binnenuit 2027").click()
    expect(page.get_by_label("Opent op")).to_have_value("2027-07-01T09:00")
    assert_accessible(page, "edit form")

    # An open round can be closed after a confirmation.
    open_round = make_round(name="Open ronde")
    page.goto(live_server + "/rounds/manage")
    page.get_by_role("link", name="Nu sluiten Open ronde").click()
    assert_accessible(page, "close confirmation")
    page.get_by_role("button", name="Ja, sluit de ronde nu").click()
    expect(page.locator("main")).to_contain_text("Niemand kan er nog een aanvraag in versturen.")
    from fonds.extensions import db

    db.session.refresh(open_round)
    assert not open_round.is_open()
    assert db.session.query(Round).count() == 2


@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
def test_a_visitor_reads_the_page_of_a_round(page, live_server, make_round, viewport):
    page.set_viewport_size(VIEWPORTS[viewport])
    make_round(name="Van binnenuit 2099", closes_at=datetime(2099, 7, 1, 15, 0, tzinfo=UTC))
    page.goto(live_server + "/")
    page.get_by_role("link", name="Van binnenuit 2099").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Van binnenuit 2099")
    expect(page.get_by_role("button", name="Start een aanvraag")).to_be_visible()
    assert_accessible(page, "round page")
    page.get_by_role("link", name="English").click()
    expect(page.get_by_role("button", name="Start an application")).to_be_visible()
    assert_accessible(page, "round page in English")
