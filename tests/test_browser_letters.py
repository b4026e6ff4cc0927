"""Decision letters in a real browser: an administrator previews and issues one letter, or issues
all missing letters of a round in the background while the page follows the progress by itself;
the applicant finds the letter on the application's page and downloads it. axe-core checks the
pages."""

from decimal import Decimal

from playwright.sync_api import expect

from fonds.auth.models import Role
from fonds.columns import utcnow
from fonds.extensions import db
from fonds.letters.models import Letter, LetterDownload
from tests.conftest import confirmed_decision
from tests.test_browser_accounts import VIEWPORTS, assert_accessible
from tests.test_browser_review_journey import open_as
from tests.test_letters_batch import decided_round  # noqa: F401 - a fixture


def test_an_administrator_issues_a_letter_and_the_applicant_downloads_it(
    chromium, live_server, make_user, make_organisation, make_round, make_application, make_review
):
    anna = make_user("anna@example.nl", name="Anna Admin", roles=[Role.ADMIN])
    ben = make_user("ben@example.nl", name="Ben Beheer", roles=[Role.ADMIN])
    reviewer = make_user("rita@example.nl", name="Rita Reviewer", roles=[Role.REVIEWER])
    member = make_user("fatima@example.nl", name="Fatima Bakkali")
    organisation = make_organisation("Stichting Samen Sterk", members=[member])
    application = make_application(
        make_round(name="Van binnenuit 2027"),
        organisation,
        status="approved",
        reference="FON-2027-0042",
        submitted_at=utcnow(),
        amount_requested=Decimal("9000.00"),
    )
    make_review(application, reviewer, 4)
    confirmed_decision(application, proposer=anna, decider=ben, amount=Decimal("7500.00"))
    db.session.commit()

    context, page = open_as(chromium, live_server, "anna@example.nl")
    page.goto(live_server + f"/decisions/{application.id}")
    expect(page.locator("#letters")).to_have_text("Brieven")
    assert_accessible(page, "decision page before the letter")
    page.get_by_role("link", name="als webpagina").click()
    expect(page.locator("body")).to_contain_text("FON-2027-0042")
    expect(page.locator("body")).to_contain_text("€ 7.500,00")
    page.go_back()
    page.get_by_role("button", name="Brief versturen").click()
    expect(page.locator("main")).to_contain_text("De brief voor FON-2027-0042 is verstuurd.")
    expect(page.get_by_role("button", name="Brief versturen", exact=True)).to_have_count(0)
    expect(page.get_by_role("button", name="Verbeterde brief versturen")).to_be_visible()
    assert_accessible(page, "decision page with the letter")
    context.close()

    letter = db.session.query(Letter).one()
    context, page = open_as(chromium, live_server, "fatima@example.nl")
    page.goto(live_server + f"/applications/{application.id}")
    letters = page.locator("ul.letters")
    expect(letters).to_contain_text("Besluit op aanvraag FON-2027-0042")
    assert_accessible(page, "status page with the letter")
    with page.expect_download() as download_info:
        letters.get_by_role("link").first.click()
    path = download_info.value.path()
    with open(path, "rb") as downloaded:
        assert downloaded.read() == letter.pdf
    context.close()
    downloads = db.session.query(LetterDownload).all()
    assert [d.user.email for d in downloads] == ["fatima@example.nl"]


def test_an_administrator_issues_a_round_s_letters_in_the_background(
    chromium,
    live_server,
    decided_round,  # noqa: F811 - the imported fixture
    start_worker,
):
    applications = decided_round(4)  # approved, rejected, not admissible, approved
    round_ = decided_round.round

    # Anna finds the round's letters from the rounds she manages.
    context, page = open_as(chromium, live_server, "anna@example.nl")
    rounds = page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Rondes")
    rounds.click()
    page.get_by_role("link", name=f"Brieven {round_.name}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Brieven")
    expect(page.locator("[data-count-issued]")).to_have_text("0")
    expect(page.locator("[data-count-missing]")).to_have_text("4")
    assert_accessible(page, "round letters before the run")
    page.get_by_role("button", name="Alle ontbrekende brieven versturen").click()

    # No worker runs yet: the page shows the run written down, without any letter made.
    progress = page.locator("#progress")
    summary = progress.locator("[data-batch-summary]")
    bar = progress.get_by_role("progressbar", name="Voortgang")
    expect(page.locator("main")).to_contain_text("De brieven worden op de achtergrond verstuurd.")
    expect(summary).to_have_text("0 van 4 brieven verstuurd. Bezig…")
    expect(bar).to_have_attribute("max", "4")
    expect(bar).to_have_attribute("value", "0")
    expect(page.get_by_role("button", name="Alle ontbrekende brieven versturen")).to_be_hidden()
    assert db.session.query(Letter).count() == 0
    assert_accessible(page, "round letters with the run waiting")

    # Meanwhile the rest of the system works as usual, and the letters page can be found again.
    rounds.click()
    page.get_by_role("link", name=f"Rangschikking {round_.name}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rangschikking")
    rounds.click()
    page.get_by_role("link", name=f"Brieven {round_.name}").click()
    expect(summary).to_have_text("0 van 4 brieven verstuurd. Bezig…")
    expect(page.locator("[data-count-missing]")).to_have_text("4")

    # The worker starts only now; the page follows it by itself, without being reloaded.
    page.evaluate("window.notReloaded = true")
    start_worker(processes=1)
    finished = "Klaar: alle 4 brieven zijn verstuurd."
    expect(summary).to_have_text(finished, timeout=60_000)
    expect(progress.locator("[data-batch-announce]")).to_have_text(finished)
    expect(bar).to_have_js_property("value", 4)
    expect(page.locator("[data-count-issued]")).to_have_text("4")
    expect(page.locator("[data-count-missing]")).to_have_text("0")
    expect(progress.locator("[data-batch-failures]")).to_be_hidden()
    expect(page.get_by_role("button", name="Alle ontbrekende brieven versturen")).to_be_hidden()
    assert page.evaluate("window.notReloaded") is True
    assert_accessible(page, "round letters after the run")
    page.set_viewport_size(VIEWPORTS["phone"])
    assert_accessible(page, "round letters after the run, on a phone")
    context.close()

    db.session.rollback()  # see what the worker wrote
    assert db.session.query(Letter).count() == 4
    application = applications[0]
    member = application.organisation.memberships[0].user
    letter = db.session.query(Letter).filter_by(application_id=application.id).one()

    context, page = open_as(chromium, live_server, member.email)
    page.goto(live_server + f"/applications/{application.id}")
    expect(page.locator("#letters")).to_have_text("Brieven")
    letters = page.locator("ul.letters")
    expect(letters).to_contain_text(f"Besluit op aanvraag {application.reference}")
    with page.expect_download() as download_info:
        letters.get_by_role("link").first.click()
    with open(download_info.value.path(), "rb") as downloaded:
        assert downloaded.read() == letter.pdf
    context.close()
    downloads = db.session.query(LetterDownload).all()
    assert [(d.user.email, d.letter_id) for d in downloads] == [(member.email, letter.id)]
