"""Attachments in a real browser: choose a file, see it listed, get a refusal for a disguised
executable, download and delete; axe-core checks each state on a desktop and a 320 px screen."""

import pytest
from playwright.sync_api import expect

from tests import files
from tests.conftest import PASSWORD
from tests.test_browser_accounts import VIEWPORTS, assert_accessible


@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
def test_adding_refusing_downloading_and_deleting_an_attachment(
    page,
    live_server,
    make_user,
    make_organisation,
    make_round,
    make_application,
    viewport,
    tmp_path,
):
    user = make_user("fatima@example.nl", name="Fatima Bakkali")
    application = make_application(make_round(), make_organisation(members=[user]))
    page.set_viewport_size(VIEWPORTS[viewport])
    page.goto(live_server + "/account/login")
    page.get_by_label("E-mailadres").fill("fatima@example.nl")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()

    page.goto(f"{live_server}/applications/{application.id}/attachments")
    assert_accessible(page, "attachments, none yet")

    plan = tmp_path / "Projectplan 2027.pdf"
    plan.write_bytes(files.pdf())
    page.get_by_label("Bestand toevoegen").set_input_files(str(plan))
    page.get_by_role("button", name="Dit bestand toevoegen").click()
    expect(page.locator("main")).to_contain_text("Het bestand Projectplan 2027.pdf is toegevoegd.")
    table = page.get_by_role("table", name="Uw bijlagen")
    assert "Projectplan 2027.pdf" in table.inner_text() and "PDF-document" in table.inner_text()
    assert_accessible(page, "attachments, one added")

    disguised = tmp_path / "begroting.pdf"
    disguised.write_bytes(files.windows_executable())
    page.get_by_label("Bestand toevoegen").set_input_files(str(disguised))
    page.get_by_role("button", name="Dit bestand toevoegen").click()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_contain_text("Dit soort bestand kunt u niet toevoegen.")
    expect(page.locator("[data-error-summary]")).to_be_focused()
    assert "begroting.pdf" not in table.inner_text()
    assert_accessible(page, "attachments with a refused file")

    with page.expect_download() as download:
        page.get_by_role("link", name="Downloaden Projectplan 2027.pdf").click()
    assert download.value.suggested_filename == "Projectplan 2027.pdf"
    assert download.value.path().read_bytes() == files.pdf()

    page.get_by_role("button", name="Verwijderen Projectplan 2027.pdf").click()
    expect(page.locator("main")).to_contain_text("Het bestand Projectplan 2027.pdf is verwijderd.")
    assert page.get_by_role("table").count() == 0
    assert_accessible(page, "attachments after deleting")
