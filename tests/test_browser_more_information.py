"""The fund asks for more information and the applicant answers, in real browsers, through the
pages they see: the administrator asks on the screening page, the applicant opens the status
page, follows its link to the part the fund named, changes it, is led past the parts that stay
locked to the check page and sends the application again from there; the fund then sees it as
sent. The same after the deadline (until the fund stops handling the application, a late answer
still counts). axe-core checks every page, on a phone and a desktop, in Dutch and English."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from fonds.applications.models import Application, InfoRequest, Status
from fonds.columns import utcnow
from fonds.extensions import db
from fonds.roles import Role
from tests.conftest import axe_violations
from tests.test_browser_accounts import VIEWPORTS, assert_accessible
from tests.test_browser_review_journey import open_as


@pytest.mark.parametrize(("viewport", "late"), [("desktop", False), ("phone", True)])
def test_asked_for_more_information_the_applicant_sends_again(
    chromium,
    live_server,
    make_user,
    make_organisation,
    make_round,
    make_application,
    viewport,
    late,
):
    make_user("anna@example.nl", name="Anna Admin", roles=[Role.ADMIN])
    member = make_user("fatima@example.nl", name="Fatima Bakkali")
    organisation = make_organisation("Stichting Samen Sterk", members=[member])
    round_ = make_round(name="Van binnenuit 2027")
    application = make_application(
        round_,
        organisation,
        status="submitted",
        reference="FON-2027-0007",
        submitted_at=utcnow(),
        participants=40,
    )
    visited = []

    def check(page, where):
        visited.append(page.url)
        assert_accessible(page, where)

    # The fund asks how many women take part; only "Reach and safety" may change.
    anna_context, anna = open_as(chromium, live_server, "anna@example.nl")
    anna.set_viewport_size(VIEWPORTS[viewport])
    anna.goto(live_server + f"/screening/rounds/{round_.id}")
    anna.get_by_role("link", name="FON-2027-0007").click()
    # Nothing is red before anything was sent, though the texts are required.
    expect(anna.get_by_label("Uw vraag")).to_have_attribute("aria-required", "true")
    assert anna.locator(":invalid").count() == 0
    anna.get_by_label("Uw vraag").fill("Hoeveel vrouwen en meisjes doen mee?")
    anna.get_by_label("Bereik en veiligheid").check()
    anna.get_by_role("button", name="Vraag versturen").click()
    expect(anna.locator("main")).to_contain_text(
        "Uw vraag over FON-2027-0007 is naar de aanvrager gestuurd."
    )
    if late:  # the deadline passes before the applicant answers
        request = db.session.scalar(db.select(InfoRequest))
        request.deadline = utcnow() - timedelta(days=1)
        db.session.commit()

    # The applicant finds the question on the status page and follows its link.
    context, page = open_as(chromium, live_server, "fatima@example.nl")
    page.set_viewport_size(VIEWPORTS[viewport])
    page.get_by_role("link", name="Mijn aanvragen").click()
    page.get_by_role("link", name="Gesprekken in de moskee").click()
    question = page.get_by_role("note")
    expect(question).to_contain_text("Hoeveel vrouwen en meisjes doen mee?")
    if late:
        expect(question).to_contain_text("is voorbij. Stuur uw antwoord zo snel mogelijk.")
    else:
        expect(question).to_contain_text("Geef uiterlijk op")
    check(page, "status page with the question")
    question.get_by_role("link", name="Bereik en veiligheid").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bereik en veiligheid")
    check(page, "the step asked about")
    page.get_by_label("Hoeveel deelnemers verwacht u?").fill("64")
    # The next steps stay locked: "save and continue" leads straight to checking and sending.
    page.get_by_role("button", name="Opslaan en verder").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Controleren en versturen")
    expect(page.locator("main")).to_contain_text("64")
    check(page, "check page, sending again")
    page.get_by_label("Ik verklaar dat ik alles eerlijk en naar waarheid heb ingevuld.").check()
    page.get_by_label("Ik heb de privacyverklaring gelezen", exact=False).check()
    page.get_by_role("button", name="Aanvraag opnieuw versturen").click()
    expect(page.locator(".reference")).to_contain_text("FON-2027-0007")
    check(page, "sent again")
    page.get_by_role("link", name="Bekijk de status van uw aanvraag").click()
    expect(page.locator(".status-label")).to_have_text("Verstuurd")
    expect(page.get_by_role("note")).to_have_count(0)  # the question is answered
    check(page, "status page after sending again")

    # The fund sees it among the sent applications, with the new number.
    anna.goto(live_server + f"/screening/rounds/{round_.id}")
    anna.get_by_role("link", name="FON-2027-0007").click()
    expect(anna.locator(".status-label")).to_have_text("Verstuurd")
    expect(anna.locator("main")).to_contain_text("64")
    check(anna, "screening page after the answer")
    db.session.expire_all()
    sent = db.session.get(Application, application.id)
    assert (sent.state, sent.participants) == (Status.SUBMITTED, 64)
    assert sent.open_info_request is None

    # Every page again in English.
    for browser in (page, anna):
        browser.get_by_role("link", name="English").click()
    for url in dict.fromkeys(visited):
        browser = anna if "/screening/" in url else page
        browser.goto(url)
        assert browser.locator("html").get_attribute("lang") == "en"
        assert axe_violations(browser) == [], url
    anna_context.close()
    context.close()
