"""An administrator builds a round's reviewer pool and assigns reviewers automatically in a real
browser, then opens the round's assessment criteria. axe-core checks both pages, on a desktop and
on a 320 px wide screen."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from fonds.columns import utcnow
from fonds.extensions import db
from fonds.reviews.models import Review
from fonds.roles import Role
from tests.conftest import PASSWORD
from tests.test_browser_accounts import VIEWPORTS, assert_accessible


@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
def test_an_administrator_builds_the_pool_and_assigns_automatically(
    page, live_server, make_user, make_organisation, make_round, make_application, viewport
):
    page.set_viewport_size(VIEWPORTS[viewport])
    make_user("admin@example.nl", name="Anna Admin", roles=[Role.ADMIN])
    make_user("rana@example.nl", name="Rana Reviewer", roles=[Role.REVIEWER])
    make_user("bas@example.nl", name="Bas Beoordelaar", roles=[Role.REVIEWER])
    round_ = make_round(name="Van binnenuit 2027")
    for number in (1, 2):
        member = make_user(f"lid{number}@example.nl", name=f"Lid {number}")
        organisation = make_organisation(f"Stichting {number}", members=[member])
        make_application(
            round_,
            organisation,
            status="in_review",
            sent_at=utcnow() - timedelta(days=3 - number),  # FON-2026-0001, then -0002
        )

    page.goto(live_server + "/account/login")
    page.get_by_label("E-mailadres").fill("admin@example.nl")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.goto(live_server + "/rounds/manage")
    page.get_by_role("link", name="Beoordelaars Van binnenuit 2027").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Beoordelaars en toewijzingen")
    expect(page.locator("main")).to_contain_text("De groep beoordelaars is leeg.")
    expect(page.locator("main")).to_contain_text(
        "Alle 2 aanvragen in beoordeling hebben nog beoordelaars nodig."
    )
    assert_accessible(page, "assignment page, empty pool")

    for name in ("Rana Reviewer", "Bas Beoordelaar"):
        page.get_by_label("Beoordelaar om toe te voegen").select_option(
            label=f"{name} ("
            + ("rana@example.nl" if name.startswith("Rana") else "bas@example.nl")
            + ")"
        )
        page.get_by_role("button", name="Aan de groep toevoegen").click()
        expect(page.locator("main")).to_contain_text(f"{name} zit nu in de groep beoordelaars.")
    pool = page.locator("#pool-table")
    expect(pool).to_contain_text("Rana Reviewer")
    expect(pool).to_contain_text("Bas Beoordelaar")

    page.get_by_role("button", name="Automatisch toewijzen").click()
    expect(page.locator("main")).to_contain_text("Aantal toewijzingen: 4.")
    expect(page.locator("main")).to_contain_text("Elke aanvraag in beoordeling heeft genoeg")
    expect(page.locator("main")).not_to_contain_text("0 van de 2")
    page.get_by_label("Welke aanvragen tonen").select_option("all")
    page.get_by_role("button", name="Tonen").click()
    for reference in ("FON-2026-0001", "FON-2026-0002"):
        card = page.locator(".assignment-card", has_text=reference)
        undeclared = "Heeft nog niet gezegd of er een belangenconflict is."
        expect(card).to_contain_text(f"Rana Reviewer: {undeclared}")
        expect(card).to_contain_text(f"Bas Beoordelaar: {undeclared}")
        expect(card).to_contain_text("2 van de 2 beoordelaars")
        expect(card).to_contain_text("Deze aanvraag heeft genoeg beoordelaars.")
        expect(card).not_to_contain_text("niemand in de groep", ignore_case=True)
    assert_accessible(page, "assignment page with assignments")
    assert db.session.query(Review).count() == 4

    page.goto(live_server + "/rounds/manage")
    page.get_by_role("link", name="Beoordelingscriteria Van binnenuit 2027").click()
    expect(page.get_by_label("Naam in het Nederlands").first).to_have_value(
        "Verandering van binnenuit"
    )
    assert_accessible(page, "rubric page")
    # A mistake in the weights: the message gives the sum, the text typed stays.
    page.get_by_label("Gewicht in procenten").first.fill("30")
    page.get_by_role("button", name="Criteria opslaan").click()
    expect(page.locator("[data-error-summary]")).to_contain_text("De gewichten zijn samen 110%.")
    expect(page.get_by_label("Gewicht in procenten").first).to_have_value("30")
    assert_accessible(page, "rubric page with an error")
