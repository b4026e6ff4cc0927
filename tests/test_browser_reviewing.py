"""A reviewer in a real browser: from the menu to the dashboard, the declaration of no conflict,
scoring every criterion with the total following along, a draft, a submission with something
missing, the confirmation page, the way back from it and the final submission; axe-core checks
the dashboard, the scoring form and the confirmation page on a desktop and a 320 px screen."""

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
def test_reviewer_declares_scores_saves_and_submits(
    page,
    live_server,
    make_user,
    make_organisation,
    make_round,
    make_application,
    viewport,
):
    member = make_user("fatima@example.nl")
    organisation = make_organisation("Stichting Samen Sterk", members=[member])
    application = make_application(
        make_round(reviewers_per_application=1),
        organisation,
        status="in_review",
        reference="FON-2027-0001",
        submitted_at=utcnow(),
    )
    reviewer = make_user("rita@example.nl", name="Rita Reviewer", roles=[Role.REVIEWER])
    review = Review(
        application_id=application.id,
        reviewer_id=reviewer.id,
        due_at=utcnow() + timedelta(days=7),
    )
    db.session.add(review)
    db.session.commit()
    criteria = [criterion.name_nl for criterion in application.round.criteria]

    page.set_viewport_size(VIEWPORTS[viewport])
    page.goto(live_server + "/account/login")
    page.get_by_label("E-mailadres").fill("rita@example.nl")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()

    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Beoordelen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Beoordelen")
    expect(
        page.get_by_role("region", name="Uw beoordelingen die nog klaar moeten")
    ).to_contain_text("eerst belangen melden")
    assert_accessible(page, "dashboard")

    page.get_by_role("link", name="FON-2027-0001").click()
    expect(page.locator("main")).to_contain_text("Gesprekken in de moskee")
    expect(page.locator("main")).not_to_contain_text("Zaalhuur")
    assert_accessible(page, "declaration form")
    page.get_by_label("Nee, ik heb geen belangenconflict").check()
    page.get_by_role("button", name="Verklaring versturen").click()
    expect(page.locator("main")).to_contain_text("U kunt de aanvraag nu lezen en beoordelen.")
    expect(page.locator("main")).to_contain_text("Zaalhuur")

    # Three criteria now, the rest later: a draft keeps them. The total follows the clicks.
    total = page.locator("[data-review-total-text]")
    expect(total).to_have_text("Totaalscore: nog geen. U ziet die als u scores geeft.")
    for name in criteria[:3]:
        page.get_by_role("group", name=name).get_by_label("4", exact=True).check()
    so_far = "Totaal tot nu toe: 75,0 van 100. Nog niet definitief: 3 van de 7 criteria gescoord."
    expect(total).to_have_text(so_far)
    page.get_by_role("button", name="Opslaan als concept").click()
    expect(page.locator("main")).to_contain_text("Uw beoordeling is opgeslagen als concept.")
    expect(
        page.get_by_role("group", name=criteria[0]).get_by_label("4", exact=True)
    ).to_be_checked()
    expect(total).to_have_text(so_far)  # now from the server
    assert_accessible(page, "scoring form with a draft")

    # Submitting with something missing says what, and moves focus to the summary.
    page.get_by_role("button", name="Beoordeling indienen").click()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text(f"Kies een score van 1 tot en met 5 voor {criteria[3]}.")
    expect(summary).to_contain_text("Kies uw advies")
    assert_accessible(page, "scoring form with errors")

    for name in criteria[3:]:
        page.get_by_role("group", name=name).get_by_label("4", exact=True).check()
    page.get_by_role("group", name=criteria[3]).get_by_label("2", exact=True).check()
    page.locator(f"#motivation_{application.round.criteria[3].id}").fill(
        "Er is geen risicoplan voor de deelnemers."
    )
    # 20 × 3 + 20 × 3 + 15 × 3 + 15 × 1 + 10 × 3 × 3 = 270 of 400 points.
    expect(total).to_have_text("Totaalscore: 67,5 van 100.")
    page.get_by_role("group", name="Uw advies").get_by_label("Deels toekennen").check()
    page.get_by_label("Algemene opmerking").fill("Sterk idee, veiligheid uitwerken.")

    # Submitting is final, so the page asks first; nothing is submitted yet.
    page.get_by_role("button", name="Beoordeling indienen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Controleer uw beoordeling van FON-2027-0001"
    )
    main = page.locator("main")
    expect(main).to_contain_text("Na het indienen kunt u uw beoordeling niet meer veranderen.")
    expect(main).to_contain_text("Er is geen risicoplan voor de deelnemers.")
    expect(main).to_contain_text("67,5 van 100")
    expect(main).to_contain_text("Deels toekennen")
    expect(main).to_contain_text("Sterk idee, veiligheid uitwerken.")
    db.session.expire_all()
    assert db.session.get(Review, review.id).submitted_at is None
    assert_accessible(page, "confirmation page")

    # The way back keeps everything; then submit again and confirm.
    page.get_by_role("link", name="Terug naar uw beoordeling", exact=True).click()
    expect(
        page.get_by_role("group", name=criteria[3]).get_by_label("2", exact=True)
    ).to_be_checked()
    expect(page.get_by_label("Deels toekennen")).to_be_checked()
    expect(page.get_by_label("Algemene opmerking")).to_have_value(
        "Sterk idee, veiligheid uitwerken."
    )
    expect(total).to_have_text("Totaalscore: 67,5 van 100.")
    page.get_by_role("button", name="Beoordeling indienen").click()
    page.get_by_role("button", name="Ja, dien mijn beoordeling in").click()
    expect(page.locator("main")).to_contain_text("Dank u wel. Uw beoordeling is ingediend.")
    expect(page.locator("main")).to_contain_text("Er is geen risicoplan voor de deelnemers.")
    expect(page.get_by_role("button", name="Beoordeling indienen")).to_have_count(0)
    assert_accessible(page, "submitted review")

    page.get_by_role("link", name="Terug naar uw beoordelingen").click()
    expect(page.get_by_role("region", name="Uw afgeronde beoordelingen")).to_contain_text(
        "Ingediend op"
    )
    db.session.expire_all()
    assert db.session.get(Review, review.id).submitted_at is not None
    assert application.status == "reviewed"
