"""The budget step in a real browser: the total follows what is typed, a line can be added while
the amount asked is above the budget so far (the line that fixes it), and saving says by how much
the budget is not covered; after the fix the applicant goes on. axe-core checks the step on a
phone and a desktop, in Dutch and English."""

import pytest
from playwright.sync_api import expect

from tests.test_browser_accounts import VIEWPORTS, assert_accessible
from tests.test_browser_review_journey import open_as


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_the_budget_step_helps_instead_of_trapping(
    chromium, live_server, make_user, make_organisation, make_round, make_application, viewport
):
    member = make_user("fatima@example.nl", name="Fatima Bakkali")
    organisation = make_organisation("Stichting Samen Sterk", members=[member])
    application = make_application(make_round(), organisation, complete=False)
    context, page = open_as(chromium, live_server, "fatima@example.nl")
    page.set_viewport_size(VIEWPORTS[viewport])
    page.goto(live_server + f"/applications/{application.id}/steps/planning")
    total = page.locator("[data-budget-total]")
    expect(total).to_have_text("€\xa00,00")

    page.locator("#start_date").fill("1-3-2027")
    page.locator("#end_date").fill("1-12-2027")
    page.locator("#lines-0-category").select_option("venue")
    page.locator("#lines-0-description").fill("Zaalhuur")
    page.locator("#lines-0-amount").fill("3.600")
    expect(total).to_have_text("€\xa03.600,00")  # while typing, before anything is saved
    page.locator("#amount_requested").fill("5.000")

    # More asked than budgeted so far: adding the missing cost is not refused.
    page.get_by_role("button", name="Regel toevoegen").click()
    expect(page.locator("[data-error-summary]")).to_have_count(0)
    expect(page.locator("#lines-1-amount")).to_be_visible()  # the page with the new line
    page.wait_for_load_state()  # and its script, which follows the amounts from here on
    expect(total).to_have_text("€\xa03.600,00")
    page.locator("#lines-1-category").select_option("dialogue_leaders")
    page.locator("#lines-1-description").fill("Vergoedingen gespreksleiders")
    page.locator("#lines-1-amount").fill("2000,50")
    expect(total).to_have_text("€\xa05.600,50")
    assert_accessible(page, "budget step, two lines")

    # Saving checks that the budget is covered and says by how much it is not.
    page.get_by_role("button", name="Opslaan en verder").click()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_contain_text("Dan is € 600,50 niet betaald.")
    expect(total).to_have_text("€\xa05.600,50")  # the lines as shown, not what was saved
    assert_accessible(page, "budget step, not covered")
    summary.get_by_role("link").first.click()
    expect(page.locator("#other_funding_amount")).to_be_focused()
    page.locator("#other_funding_amount").fill("600,50")
    page.get_by_role("button", name="Opslaan en verder").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bijlagen")

    page.get_by_role("link", name="English").click()
    page.goto(live_server + f"/applications/{application.id}/steps/planning")
    expect(page.locator("[data-budget-total]")).to_have_text("€5,600.50")
    page.locator("#lines-1-amount").fill("2,000.00")
    expect(page.locator("[data-budget-total]")).to_have_text("€5,600.00")
    assert_accessible(page, "budget step in English")
    context.close()
