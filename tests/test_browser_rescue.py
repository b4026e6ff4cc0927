"""In a real browser: a cross-site page that posts to a step cannot plant text as the person's
own, while the person's own save from a page whose session had ended is still kept and given
back after logging in again."""

import os

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from fonds.applications.models import RescuedInput
from fonds.extensions import db
from tests.conftest import PASSWORD
from tests.test_browser_accounts import VIEWPORTS, assert_accessible
from tests.test_browser_review_journey import open_as

PLANTED = "Tekst van een aanvaller"
OWN = "Samen sterk in de wijk"
SCREENSHOTS = os.environ.get("FONDS_SCREENSHOTS")  # a folder, when trying the journey by hand


@pytest.mark.parametrize("viewport", ["desktop"] + (["phone"] if SCREENSHOTS else []))
def test_a_cross_site_page_cannot_plant_text_but_an_own_save_is_kept(
    chromium, live_server, make_user, make_organisation, make_round, make_application, viewport
):
    user = make_user("fatima@example.nl")
    application = make_application(make_round(), make_organisation(members=[user]), complete=False)
    step = f"{live_server}/applications/{application.id}/steps/project"
    context, page = open_as(chromium, live_server, "fatima@example.nl")
    page.set_viewport_size(VIEWPORTS[viewport])
    page.goto(step)
    page.get_by_label("Titel van uw project").fill(OWN)

    context.clear_cookies()  # the session ends while she types
    page.get_by_role("button", name="Opslaan", exact=True).click()
    expect(page.locator("main")).to_contain_text("Log opnieuw in: we hebben bewaard wat u typte.")

    # Another site, open in the same browser, posts to the step by itself.
    attacker = context.new_page()
    attacker.set_content(
        f'<form method="post" action="{step}">'
        f'<input name="title" value="{PLANTED}"><input name="save" value="1"></form>'
        "<script>document.forms[0].submit()</script>"
    )
    expect(attacker.get_by_role("heading", level=1)).to_have_text("Dit formulier is verlopen")
    expect(attacker.locator("main")).to_contain_text("Uw veranderingen zijn niet opgeslagen.")
    assert_accessible(attacker, "expired form")
    if SCREENSHOTS:
        attacker.set_viewport_size(VIEWPORTS[viewport])
        attacker.screenshot(path=f"{SCREENSHOTS}/expired-{viewport}.png", full_page=True)
    attacker.close()
    db.session.expire_all()
    kept = db.session.scalars(select(RescuedInput)).all()
    assert [(r.user_id, dict(r.data)["title"]) for r in kept] == [(user.id, OWN)]

    # She logs in again and finds her own text back, not the other site's.
    page.get_by_label("E-mailadres").fill("fatima@example.nl")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.locator("main")).to_contain_text("We hebben bewaard wat u typte")
    expect(page.get_by_label("Titel van uw project")).to_have_value(OWN)
    assert PLANTED not in page.content()
    assert_accessible(page, "step with kept text")
    if SCREENSHOTS:
        page.screenshot(path=f"{SCREENSHOTS}/kept-{viewport}.png", full_page=True)
    page.get_by_role("button", name="Opslaan", exact=True).click()
    expect(page.locator("main")).to_contain_text("Uw veranderingen zijn opgeslagen.")
    db.session.refresh(application)
    assert application.title == OWN
    context.close()
