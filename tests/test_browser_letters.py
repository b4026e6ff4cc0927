"""Decision letters in a real browser: an administrator previews and issues one letter, or issues
all missing letters of a round in the background while the page follows the progress by itself;
the applicant finds the letter on the application's page and downloads it. axe-core checks the
pages."""

from decimal import Decimal

from playwright.sync_api import expect

from fonds.columns import utcnow
from fonds.demo.builders import make_decision
from fonds.extensions import db
from fonds.letters.models import Letter, LetterDownload
from fonds.roles import Role
from tests.conftest import axe_violations, wait_until
from tests.test_browser_accounts import VIEWPORTS, assert_accessible
from tests.test_browser_review_journey import open_as
from tests.test_letters_batch import decided_round  # noqa: F401 - a fixture


def landmark_violations(page) -> list[str]:
    """axe-core's landmark rules (best practice, outside the WCAG tags axe_violations runs):
    the page has one main landmark and all its content sits in landmarks. Run after
    axe_violations, which injects axe-core."""
    result = page.evaluate(
        "rules => axe.run(document, {runOnly: {type: 'rule', values: rules}})",
        ["landmark-one-main", "region"],
    )
    return [f"{v['id']}: {v['help']}" for v in result["violations"]]


def test_an_administrator_issues_a_letter_and_the_applicant_downloads_it(
    chromium,
    live_server,
    mailbox,
    make_user,
    make_organisation,
    make_round,
    make_application,
    make_review,
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
    make_decision(application, proposer=anna, decider=ben, amount=Decimal("7500.00"))
    db.session.commit()

    # The decision is confirmed, but the applicant learns it from the letter: not yet.
    applicant_context, applicant = open_as(chromium, live_server, "fatima@example.nl")
    applicant.goto(live_server + f"/applications/{application.id}")
    expect(applicant.locator(".status-label")).to_have_text("We nemen een besluit")
    expect(applicant.locator("main")).to_contain_text("U krijgt een e-mail zodra onze brief")
    expect(applicant.locator("main")).not_to_contain_text("Toegekend")
    expect(applicant.locator("main")).not_to_contain_text("7.500")
    assert_accessible(applicant, "status page while the letter is not there")
    applicant.get_by_role("link", name="Mijn aanvragen", exact=True).click()
    expect(applicant.locator("main")).to_contain_text("We nemen een besluit")
    expect(applicant.locator("main")).not_to_contain_text("Toegekend")
    assert mailbox.to("fatima@example.nl") == []

    context, page = open_as(chromium, live_server, "anna@example.nl")
    page.goto(live_server + f"/decisions/{application.id}")
    expect(page.locator("#letters")).to_have_text("Brieven")
    assert_accessible(page, "decision page before the letter")
    page.get_by_role("link", name="als webpagina").click()
    expect(page.locator("main")).to_contain_text("FON-2027-0042")
    expect(page.locator("main")).to_contain_text("€ 7.500,00")
    assert axe_violations(page) == [], "the letter's preview"
    assert landmark_violations(page) == [], "the letter's preview"
    page.go_back()

    # Issuing is final: the button leads to a question first, and looking at it issues nothing.
    page.get_by_role("link", name="Brief versturen", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "De brief voor FON-2027-0042 versturen?"
    )
    expect(page.locator("main")).to_contain_text("Aan: Stichting Samen Sterk, voor Fatima Bakkali.")
    expect(page.locator("main")).to_contain_text("Dit kunt u niet ongedaan maken.")
    assert_accessible(page, "the question before issuing")
    assert db.session.query(Letter).count() == 0
    page.get_by_role("button", name="Ja, verstuur de brief").click()
    expect(page.locator("main")).to_contain_text("De brief voor FON-2027-0042 is verstuurd.")
    expect(page.get_by_role("link", name="Brief versturen", exact=True)).to_have_count(0)
    assert_accessible(page, "decision page with the letter")

    # Now the applicant gets one discreet e-mail, and the page shows the outcome and amount.
    wait_until(lambda: mailbox.to("fatima@example.nl"), what="the letter's e-mail")
    (message,) = mailbox.to("fatima@example.nl")
    assert "Gesprekken" not in message["Subject"] + mailbox.body(message)
    applicant.goto(live_server + f"/applications/{application.id}")
    expect(applicant.locator(".status-label")).to_have_text("Toegekend")
    expect(applicant.locator(".awarded-amount")).to_have_text(
        "U vroeg €\xa09.000,00. U krijgt €\xa07.500,00."
    )
    expect(applicant.locator("ul.letters")).to_contain_text("Besluit op aanvraag FON-2027-0042")
    applicant_context.close()

    # A correction asks first too, and the question keeps the note typed.
    page.get_by_label("Wat verandert de verbetering?").fill("Het bedrag klopte niet.")
    page.get_by_role("button", name="Verbeterde brief versturen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Een verbeterde brief versturen voor FON-2027-0042?"
    )
    expect(page.get_by_label("Wat verandert de verbetering?")).to_have_value(
        "Het bedrag klopte niet."
    )
    assert db.session.query(Letter).count() == 1
    page.get_by_role("button", name="Ja, verstuur de verbeterde brief").click()
    expect(page.locator("main")).to_contain_text("De brief voor FON-2027-0042 is verstuurd.")
    context.close()

    # The newest letter, the correction, is listed first.
    letter = db.session.query(Letter).filter(Letter.replaces_id.is_not(None)).one()
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
    # The counts line up: the numbers share one right edge, whatever the length of the label.
    edges = page.locator("dl.summary-list dd").evaluate_all(
        "numbers => numbers.map(dd => Math.round(dd.getBoundingClientRect().right))"
    )
    assert len(edges) == 3 and len(set(edges)) == 1, edges
    table = page.get_by_role("region", name="Alle aanvragen met een besluit in deze ronde")
    expect(table.get_by_role("row")).to_have_count(5)
    expect(table.get_by_text("Nog geen brief")).to_have_count(4)
    assert_accessible(page, "round letters before the run")

    # Issuing is final: the button leads to a question listing what is issued, to whom.
    page.get_by_role("link", name="Alle ontbrekende brieven versturen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"De 4 ontbrekende brieven van {round_.name} versturen?"
    )
    for application in applications:
        expect(page.locator("main")).to_contain_text(application.organisation.name)
    assert_accessible(page, "the question before issuing all letters")
    page.get_by_role("button", name="Ja, verstuur deze 4 brieven").click()

    # No worker runs yet: the page shows the run written down, without any letter made.
    progress = page.locator("#progress")
    summary = progress.locator("[data-batch-summary]")
    bar = progress.get_by_role("progressbar", name="Voortgang")
    expect(page.locator("main")).to_contain_text("De brieven worden op de achtergrond verstuurd.")
    expect(summary).to_have_text("0 van 4 brieven verstuurd. Bezig…")
    expect(bar).to_have_attribute("max", "4")
    expect(bar).to_have_attribute("value", "0")
    expect(page.get_by_role("link", name="Alle ontbrekende brieven versturen")).to_be_hidden()
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
    expect(page.get_by_role("link", name="Alle ontbrekende brieven versturen")).to_be_hidden()
    # Once done, nothing says it is still busy, and the table shows the letters.
    expect(page.locator("main")).not_to_contain_text("op de achtergrond verstuurd")
    expect(page.locator("main")).not_to_contain_text("Deze pagina volgt de voortgang vanzelf.")
    expect(table.get_by_role("link", name="Verstuurd op")).to_have_count(4)
    expect(table.get_by_text("Nog geen brief")).to_have_count(0)
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


def test_the_letters_to_print_are_marked_and_can_be_listed_alone(
    chromium,
    live_server,
    decided_round,  # noqa: F811 - the imported fixture
):
    """In an Awb round, a letter to an applicant who did not agree to the portal must also go by
    post (art. 2:14 Awb): the round's letters page marks it and lists those letters alone, and
    the decision page says it where the letter is issued."""
    applications = decided_round(3)  # approved, rejected, not admissible
    round_ = decided_round.round
    round_.legal_mode = "awb"
    applications[0].electronic_delivery_consent = True
    applications[1].electronic_delivery_consent = False  # and the third was never asked
    db.session.commit()
    context, page = open_as(chromium, live_server, "anna@example.nl")
    page.goto(live_server + f"/letters/rounds/{round_.id}")
    table = page.get_by_role("region", name="Alle aanvragen met een besluit in deze ronde")
    expect(table.get_by_text("Ook per post versturen")).to_have_count(2)
    expect(page.locator("main")).to_contain_text("2 brieven moeten ook per post.")
    assert_accessible(page, "round letters with letters to post")
    page.get_by_role("link", name="Toon alleen deze brieven").click()
    table = page.get_by_role("region", name="De aanvragen met een besluit in deze ronde waarvan")
    expect(table.get_by_role("row")).to_have_count(3)  # the header and two letters
    expect(table).not_to_contain_text(applications[0].reference)
    for viewport in ("desktop", "phone"):
        page.set_viewport_size(VIEWPORTS[viewport])
        assert_accessible(page, f"the letters to post, {viewport}")
    page.set_viewport_size(VIEWPORTS["desktop"])
    page.get_by_role("link", name=applications[1].reference).click()
    expect(page.locator(".by-post")).to_contain_text("Ook per post versturen")
    page.go_back()
    page.get_by_role("link", name="Toon alle brieven").click()
    expect(
        page.get_by_role("region", name="Alle aanvragen met een besluit in deze ronde").get_by_role(
            "row"
        )
    ).to_have_count(4)
    context.close()
