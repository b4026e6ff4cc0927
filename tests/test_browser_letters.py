"""A decision letter in a real browser: an administrator previews and issues it, the applicant
finds it on the application's page and downloads it; axe-core checks both pages."""

from decimal import Decimal

from playwright.sync_api import expect

from fonds.auth.models import Role
from fonds.columns import utcnow
from fonds.extensions import db
from fonds.letters.models import Letter, LetterDownload
from fonds.reviews.models import Decision
from tests.test_browser_accounts import assert_accessible
from tests.test_browser_review_journey import open_as


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
    db.session.add(
        Decision(
            application_id=application.id,
            outcome="approve",
            amount=Decimal("7500.00"),
            motivation="Een sterk plan van binnenuit.",
            state="confirmed",
            proposed_by_id=anna.id,
            decided_by_id=ben.id,
            decided_at=utcnow(),
        )
    )
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
