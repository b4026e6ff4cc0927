"""A volunteer applies from start to finish in a real browser: register, verify with the link
from the real SMTP server, fill every step (with one mistake and its fix), upload a PDF, send,
see the status page and read the receipt. axe-core checks every page in Dutch and English; the
journey runs on a 320 px wide screen and on a desktop."""

import pytest
from playwright.sync_api import expect

from fonds.applications.models import Application, Status
from fonds.extensions import db
from tests.conftest import PASSWORD, axe_violations
from tests.test_browser_accounts import VIEWPORTS, assert_accessible

MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_volunteer_applies_from_start_to_finish(
    page, live_server, mailbox, make_round, tmp_path, viewport
):
    make_round(name="Verandering van binnenuit 2027")
    page.set_viewport_size(VIEWPORTS[viewport])
    visited = []

    def check(where):
        visited.append(page.url)
        assert_accessible(page, where)

    # Register and verify.
    page.goto(live_server + "/account/register")
    page.get_by_label("Uw naam").fill("Fatima Bakkali")
    page.get_by_label("E-mailadres").fill("fatima@example.nl")
    page.get_by_label("Naam van uw organisatie of groep").fill("Stichting Samen Sterk")
    page.get_by_label("Wachtwoord", exact=True).fill(PASSWORD)
    page.get_by_label("Wachtwoord herhalen").fill(PASSWORD)
    page.get_by_label("Ik heb de privacyverklaring gelezen.").check()
    page.get_by_role("button", name="Account aanmaken").click()
    page.goto(live_server + mailbox.link_to("fatima@example.nl", "/account/verify/"))
    page.get_by_label("E-mailadres").fill("fatima@example.nl")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()

    # Dashboard and start.
    page.get_by_role("link", name="Mijn aanvragen").click()
    check("dashboard")
    page.get_by_role("button", name="Start een aanvraag").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Organisatie")
    check("step 1, empty")

    # Step 1 with one mistake (the IBAN), then its fix.
    page.get_by_label("KvK-nummer").fill("12345678")
    page.get_by_label("Stichting", exact=True).check()
    page.get_by_label("Straat en huisnummer").fill("Dorpsstraat 1")
    page.get_by_label("Postcode").fill("1234ab")
    page.get_by_label("Plaats").fill("Rotterdam")
    page.get_by_label("IBAN", exact=False).fill("NL91 ABNA 0417 1643 01")
    page.get_by_label("Naam van de rekeninghouder").fill("Stichting Samen Sterk")
    page.get_by_label("Naam van de contactpersoon").fill("Fatima Bakkali")
    page.get_by_label("E-mailadres van de contactpersoon").fill("fatima@example.nl")
    page.get_by_label("Telefoonnummer van de contactpersoon").fill("06 12345678")
    page.get_by_role("button", name="Opslaan en verder").click()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_contain_text("Dit IBAN klopt niet")
    assert page.get_by_label("Straat en huisnummer").input_value() == "Dorpsstraat 1"
    check("step 1 with an error")
    summary.get_by_role("link").first.click()
    expect(page.locator("#iban")).to_be_focused()
    page.get_by_label("IBAN", exact=False).fill("NL91 ABNA 0417 1643 00")
    page.get_by_role("button", name="Opslaan en verder").click()

    # Step 2: project, with the live character count.
    expect(page.get_by_role("heading", level=1)).to_have_text("Project")
    page.get_by_label("Titel van uw project").fill("Gesprekken in de moskee")
    page.get_by_label("Korte samenvatting").fill("Tien dialoogavonden met een vaste groep.")
    expect(page.locator("[data-count-for=summary]")).to_contain_text("40 van 600 tekens")
    check("step 2")
    page.get_by_role("button", name="Opslaan en verder").click()

    # Step 3: community and approach.
    page.get_by_label("Marokkaans-Nederlands").check()
    page.get_by_label("Beide").check()
    page.get_by_label("Wat wilt u veranderen, en waarom?").fill("Weinig ruimte voor eigen keuzes.")
    page.locator("#approach").fill("Tien avonden met een vaste groep.")
    page.locator("#preventive").fill("Normen uit de eigen groep bespreken.")
    page.locator("#from_within").fill("Getrainde gespreksleiders uit de gemeenschap.")
    check("step 3")
    page.get_by_role("button", name="Opslaan en verder").click()

    # Step 4: reach and safety.
    page.locator("#participants").fill("40")
    page.locator("#sessions").fill("10")
    page.locator("#safety").fill("Groepsafspraken en een route naar hulp.")
    check("step 4")
    page.get_by_role("button", name="Opslaan en verder").click()

    # Step 5: planning and budget, adding a second cost without JavaScript help.
    page.locator("#start_date").fill("1-3-2027")
    page.locator("#end_date").fill("1-12-2027")
    page.locator("#lines-0-category").select_option("venue")
    page.locator("#lines-0-description").fill("Zaalhuur")
    page.locator("#lines-0-amount").fill("4.000")
    page.get_by_role("button", name="Regel toevoegen").click()
    page.locator("#lines-1-category").select_option("dialogue_leaders")
    page.locator("#lines-1-description").fill("Vergoedingen gespreksleiders")
    page.locator("#lines-1-amount").fill("6000")
    page.locator("#amount_requested").fill("9.000,00")
    page.locator("#other_funding_amount").fill("1.000")  # the rest of the budget
    check("step 5")
    page.get_by_role("button", name="Opslaan en verder").click()

    # Step 6: attach a PDF.
    pdf = tmp_path / "begroting.pdf"
    pdf.write_bytes(MINIMAL_PDF)
    page.locator("input[type=file]").set_input_files(str(pdf))
    page.get_by_role("button", name="Dit bestand toevoegen").click()
    expect(page.locator("main")).to_contain_text("begroting.pdf")
    check("step 6")
    page.get_by_role("button", name="Opslaan en verder").click()

    # Check and send.
    expect(page.get_by_role("heading", level=1)).to_have_text("Controleren en versturen")
    main = page.locator("main").inner_text()
    assert "Gesprekken in de moskee" in main and "€\xa010.000,00" in main
    check("check page")
    page.get_by_label("Ik verklaar dat ik alles eerlijk en naar waarheid heb ingevuld.").check()
    page.get_by_label("Ik heb de privacyverklaring gelezen", exact=False).check()
    page.get_by_role("button", name="Aanvraag versturen").click()

    application = db.session.scalar(db.select(Application))
    assert application.state == Status.SUBMITTED
    assert application.reference in page.locator(".reference").inner_text()
    check("sent")
    page.get_by_role("link", name="Bekijk de status van uw aanvraag").click()
    expect(page.locator(".status-label")).to_contain_text("Verstuurd")
    check("status page")

    # The receipt, discreet by default.
    receipt = mailbox.last_to("fatima@example.nl")
    assert f"/applications/{application.id}" in mailbox.body(receipt)
    assert "moskee" not in (receipt["Subject"] + mailbox.body(receipt)).lower()

    # Every page again in English.
    page.get_by_role("link", name="English").click()
    for url in dict.fromkeys(visited):
        page.goto(url)
        assert page.locator("html").get_attribute("lang") == "en"
        assert axe_violations(page) == [], url


@pytest.mark.parametrize("viewport", ["phone"])
def test_a_volunteer_deletes_a_draft(
    chromium, live_server, make_user, make_organisation, make_round, make_application, viewport
):
    from tests.test_browser_review_journey import open_as

    member = make_user("fatima@example.nl", name="Fatima Bakkali")
    organisation = make_organisation("Stichting Samen Sterk", members=[member])
    application_id = make_application(make_round(), organisation, title="Oud concept").id
    context, page = open_as(chromium, live_server, "fatima@example.nl")
    page.set_viewport_size(VIEWPORTS[viewport])
    page.get_by_role("link", name="Oud concept").click()
    # A draft was never sent: it is deleted, not withdrawn.
    expect(page.get_by_role("link", name="Deze aanvraag intrekken")).to_have_count(0)
    page.get_by_role("link", name="Dit concept verwijderen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Concept verwijderen")
    assert_accessible(page, "the question before deleting a draft")
    page.get_by_role("button", name="Ja, verwijder het concept").click()
    expect(page.locator("main")).to_contain_text("Het concept Oud concept is verwijderd.")
    expect(page.get_by_role("link", name="Oud concept")).to_have_count(0)
    assert_accessible(page, "my applications after deleting")
    db.session.expire_all()
    assert db.session.get(Application, application_id) is None
    context.close()
