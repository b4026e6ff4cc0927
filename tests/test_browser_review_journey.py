"""The whole assessment in a real browser, each person in their own browser: an administrator
screens an application and assigns reviewers, two reviewers score it, the administrator ranks
and proposes a decision, a second administrator confirms it. axe-core checks the screening,
ranking and decision pages, which the other browser tests do not visit."""

from decimal import Decimal

from playwright.sync_api import expect

from fonds.applications.models import Status
from fonds.columns import utcnow
from fonds.decisions.models import Decision
from fonds.extensions import db
from fonds.roles import Role
from tests.conftest import PASSWORD
from tests.test_browser_accounts import assert_accessible


def open_as(chromium, live_server, email):
    """A browser of this person's own (its own cookies and downloads), logged in, in Dutch."""
    context = chromium.new_context(bypass_csp=True, locale="nl-NL", accept_downloads=True)
    page = context.new_page()
    page.goto(live_server + "/account/login")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("button", name="Uitloggen")).to_be_visible()
    return context, page


def review(chromium, live_server, email, reference, scores, advice):
    context, page = open_as(chromium, live_server, email)
    page.goto(live_server + "/review/")
    page.get_by_role("link", name=reference).click()
    page.get_by_label("Nee, ik heb geen belangenconflict").check()
    page.get_by_role("button", name="Verklaring versturen").click()
    expect(page.locator("main")).to_contain_text("U kunt de aanvraag nu lezen en beoordelen.")
    for name, score in scores.items():
        page.get_by_role("group", name=name).get_by_label(str(score), exact=True).check()
    page.get_by_role("group", name="Uw advies").get_by_label(advice, exact=True).check()
    page.get_by_role("button", name="Beoordeling indienen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Controleer uw beoordeling")
    page.get_by_role("button", name="Ja, dien mijn beoordeling in").click()
    expect(page.locator("main")).to_contain_text("Dank u wel. Uw beoordeling is ingediend.")
    context.close()


def test_screen_assign_review_rank_propose_confirm(
    chromium, live_server, make_user, make_organisation, make_round, make_application
):
    make_user("anna@example.nl", name="Anna Admin", roles=[Role.ADMIN])
    make_user("ben@example.nl", name="Ben Beheer", roles=[Role.ADMIN])
    make_user("rana@example.nl", name="Rana Reviewer", roles=[Role.REVIEWER])
    make_user("bas@example.nl", name="Bas Beoordelaar", roles=[Role.REVIEWER])
    member = make_user("fatima@example.nl", name="Fatima Bakkali")
    organisation = make_organisation("Stichting Samen Sterk", members=[member])
    round_ = make_round(name="Van binnenuit 2027")
    application = make_application(
        round_,
        organisation,
        status="submitted",
        reference="FON-2027-0042",
        submitted_at=utcnow(),
        amount_requested=Decimal("9000.00"),
    )
    criteria = [criterion.name_nl for criterion in round_.criteria]

    # Anna screens the application and assigns both reviewers automatically.
    anna_context, anna = open_as(chromium, live_server, "anna@example.nl")
    anna.goto(live_server + f"/screening/rounds/{round_.id}")
    assert_accessible(anna, "screening list")
    anna.get_by_role("link", name="FON-2027-0042").click()
    assert_accessible(anna, "screening page")
    anna.get_by_role("button", name="Voldoet: start de beoordeling").click()
    expect(anna.locator("main")).to_contain_text("De aanvraag FON-2027-0042 is nu in beoordeling.")
    anna.get_by_role("link", name="Beoordelaars van deze aanvraag").click()
    for name, email in (
        ("Rana Reviewer", "rana@example.nl"),
        ("Bas Beoordelaar", "bas@example.nl"),
    ):
        anna.get_by_label("Beoordelaar om toe te voegen").select_option(label=f"{name} ({email})")
        anna.get_by_role("button", name="Aan de groep toevoegen").click()
        # The next click belongs on the page that answers this one.
        expect(anna.locator("main")).to_contain_text(f"{name} zit nu in de groep beoordelaars.")
    anna.get_by_role("button", name="Automatisch toewijzen").click()
    expect(anna.locator("main")).to_contain_text("Aantal toewijzingen: 2.")

    # The two reviewers score it; the second submission completes the assessment.
    review(
        chromium,
        live_server,
        "rana@example.nl",
        "FON-2027-0042",
        dict.fromkeys(criteria, 4),
        "Toekennen",
    )
    review(
        chromium,
        live_server,
        "bas@example.nl",
        "FON-2027-0042",
        dict.fromkeys(criteria, 3) | {criteria[0]: 4},
        "Deels toekennen",
    )
    db.session.refresh(application)
    assert application.state == Status.REVIEWED

    # Anna ranks the round and proposes an award of less than was asked.
    anna.goto(live_server + "/rounds/manage")
    anna.get_by_role("link", name="Rangschikking Van binnenuit 2027").click()
    expect(anna.get_by_role("heading", level=1)).to_have_text("Rangschikking")
    ranking = anna.locator("table.ranking")
    expect(ranking).to_contain_text("FON-2027-0042")
    # Rana 75; Bas 55 (criterion 1 at 4, the rest at 3: 20 × 3 + 80 × 2 = 220 of 400): 65.
    expect(ranking).to_contain_text("65,0")
    expect(ranking).to_contain_text("€ 9.000,00")
    assert_accessible(anna, "ranking")
    anna.get_by_role("link", name="FON-2027-0042").click()
    expect(anna.locator("main")).to_contain_text("Rana Reviewer")
    assert_accessible(anna, "decision page, reviewed")
    anna.get_by_role("group", name="Voorgesteld besluit").get_by_label("Toekennen").check()
    anna.get_by_label("Bedrag dat u toekent").fill("12.000,00")  # more than asked: refused
    anna.get_by_label("Motivering").fill("Sterk plan van binnenuit.")
    anna.get_by_role("button", name="Stel dit besluit voor").click()
    summary = anna.locator("[data-error-summary]")
    expect(summary).to_contain_text("Het bedrag mag niet hoger zijn dan de gevraagde € 9.000,00.")
    expect(anna.get_by_label("Motivering")).to_have_value("Sterk plan van binnenuit.")
    assert_accessible(anna, "decision page with an error")
    anna.get_by_label("Bedrag dat u toekent").fill("8.000,00")
    # Less than asked: the reason is asked for, and it stays with what was typed.
    anna.get_by_role("button", name="Stel dit besluit voor").click()
    expect(summary).to_contain_text("Schrijf op waarom u minder toekent dan is gevraagd.")
    expect(anna.get_by_label("Motivering")).to_have_value("Sterk plan van binnenuit.")
    anna.get_by_label("Waarom minder dan gevraagd?").fill("De catering betalen wij niet.")
    # The fund's point on a criterion, for the letter (the other boxes stay empty).
    points = anna.get_by_role("group", name="Wat het fonds vindt per onderdeel (niet verplicht)")
    points.get_by_label(f"Wat wij vinden van ‘{criteria[0]}’").fill(
        "Gespreksleiders uit de eigen gemeenschap leiden het project."
    )
    assert_accessible(anna, "decision page with the fund's points")
    anna.get_by_role("button", name="Stel dit besluit voor").click()
    expect(anna.locator("main")).to_contain_text("Een tweede beheerder moet het bevestigen.")
    expect(anna.get_by_role("link", name="Bevestigen: toekennen")).to_have_count(0)
    anna_context.close()

    # Ben, the second pair of eyes, confirms.
    ben_context, ben = open_as(chromium, live_server, "ben@example.nl")
    ben.goto(live_server + f"/decisions/{application.id}")
    expect(ben.locator("main")).to_contain_text("Anna Admin stelt voor: toekennen.")
    assert_accessible(ben, "decision page, proposed")
    ben.get_by_role("link", name="Bevestigen: toekennen").click()
    # Final, so it asks first: the proposal once more, and the button that confirms.
    expect(ben.get_by_role("heading", level=1)).to_have_text("Besluit bevestigen")
    expect(ben.locator(".confirm-outcome")).to_contain_text("€\xa08.000,00")
    expect(ben.locator(".partial-reason")).to_have_text("De catering betalen wij niet.")
    expect(ben.locator(".proposal-points")).to_contain_text(
        f"{criteria[0]}Gespreksleiders uit de eigen gemeenschap leiden het project."
    )
    assert_accessible(ben, "confirmation of the decision")
    ben.get_by_role("button", name="Ja, bevestigen: toekennen").click()
    expect(ben.locator("main")).to_contain_text("Het besluit over FON-2027-0042 staat vast")
    assert_accessible(ben, "decision page, final")
    ben_context.close()

    db.session.refresh(application)
    assert application.state == Status.APPROVED
    decision = db.session.query(Decision).one()
    assert (decision.state, decision.amount) == ("confirmed", Decimal("8000.00"))
    assert decision.decided_by.name == "Ben Beheer"
