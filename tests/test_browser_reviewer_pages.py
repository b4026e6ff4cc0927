"""The reviewer's pages as a new reviewer meets them, in Dutch and English, on a desktop and a
320 px screen: the dashboard with the reviews to do apart from the finished ones, the scoring
page with its live total, the confirmation before a review is final, and a second tab that
confirms a review already submitted. axe-core checks every page."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from fonds.columns import utcnow
from fonds.extensions import db
from fonds.reviews.models import Review
from fonds.roles import Role
from tests.test_browser_accounts import VIEWPORTS, assert_accessible
from tests.test_browser_review_journey import open_as

TEXTS = {
    "nl": {
        "todo": "Uw beoordelingen die nog klaar moeten",
        "done": "Uw afgeronde beoordelingen",
        "progress": "Voortgang",
        "scored": "3 van de 7 criteria gescoord",
        "declare": "eerst belangen melden",
        "overdue": "te laat",
        "submitted": "Ingediend op",
        "conflict": "belangenconflict gemeld",
        "nothing": "U hoeft niets meer te doen",
    },
    "en": {
        "todo": "Your reviews to do",
        "done": "Your finished reviews",
        "progress": "Progress",
        "scored": "3 of 7 criteria scored",
        "declare": "declare first",
        "overdue": "overdue",
        "submitted": "Submitted on",
        "conflict": "conflict declared",
        "nothing": "Nothing more is needed",
    },
}


def in_language(page, language):
    if language == "en":
        page.get_by_role("link", name="English").click()
        expect(page.locator("html")).to_have_attribute("lang", "en")


@pytest.fixture
def assignments(make_user, make_organisation, make_round, make_application, make_review):
    """Rita's five assignments: two to do (an overdue draft, one not declared yet) and three
    finished (submitted, a declared conflict, a draft of a withdrawn application)."""
    member = make_user("fatima@example.nl")
    organisation = make_organisation("Stichting Samen Sterk", members=[member])
    round_ = make_round(name="Van binnenuit 2027")
    rita = make_user("rita@example.nl", name="Rita Reviewer", roles=[Role.REVIEWER])
    now = utcnow()
    titles = {}

    def assigned(number, title, status="in_review", **review):
        application = make_application(
            round_,
            organisation,
            status=status,
            reference=f"FON-2027-000{number}",
            title=title,
            submitted_at=now,
        )
        titles[application.reference] = title
        return make_review(application, rita, **review)

    assigned(
        1,
        "Gesprekken in de moskee",
        scores=[4, 4, 4, None, None, None, None],
        submitted=False,
        due_at=now - timedelta(days=1),
    )
    assigned(2, "Moeders in gesprek", conflict=None, due_at=now + timedelta(days=10))
    assigned(3, "Vaders en zonen", due_at=now + timedelta(days=3))
    assigned(4, "Een geheime titel", conflict=True, due_at=now + timedelta(days=4))
    assigned(
        5, "Jongeren spreken", status="withdrawn", submitted=False, due_at=now + timedelta(days=5)
    )
    return titles


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
def test_dashboard_puts_reviews_to_do_first_and_fits_a_phone(
    chromium, live_server, assignments, viewport, language
):
    context, page = open_as(chromium, live_server, "rita@example.nl")
    page.set_viewport_size(VIEWPORTS[viewport])
    page.goto(live_server + "/review/")
    in_language(page, language)
    text = TEXTS[language]

    todo = page.get_by_role("region", name=text["todo"])
    done = page.get_by_role("region", name=text["done"])
    expect(todo.locator("tbody tr")).to_have_count(2)
    expect(done.locator("tbody tr")).to_have_count(3)
    first, second = todo.locator("tbody tr").all()
    # The first due first, overdue marked; the title beside the reference.
    expect(first).to_contain_text("FON-2027-0001")
    expect(first).to_contain_text("Gesprekken in de moskee")
    expect(first).to_contain_text(text["scored"])
    expect(first).to_contain_text(text["overdue"])
    expect(second).to_contain_text("FON-2027-0002")
    expect(second).to_contain_text("Moeders in gesprek")
    expect(second).to_contain_text(text["declare"])
    expect(second).not_to_contain_text(text["overdue"])
    expect(done).to_contain_text("Vaders en zonen")
    expect(done).to_contain_text(text["submitted"])
    expect(done).to_contain_text(text["conflict"])
    # A declared conflict hides the application, title included, as its own page does.
    expect(done).to_contain_text("FON-2027-0004")
    expect(page.locator("main")).not_to_contain_text("Een geheime titel")
    withdrawn = done.locator("tbody tr", has_text="FON-2027-0005")
    expect(withdrawn).to_contain_text(text["nothing"])

    # The progress column is on the screen without scrolling sideways, also at 320 px.
    width = VIEWPORTS[viewport]["width"]
    for region in (todo, done):
        header = region.get_by_role("columnheader", name=text["progress"])
        box = header.bounding_box()
        assert box["x"] + box["width"] <= width, (viewport, box)
        assert region.evaluate("e => e.scrollWidth <= e.clientWidth"), viewport
        assert region.get_attribute("tabindex") == "0"
    assert_accessible(page, f"dashboard {viewport} {language}")

    # The review page before the declaration, reached from the dashboard.
    todo.get_by_role("link", name="FON-2027-0002").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("FON-2027-0002")
    assert_accessible(page, f"declaration form {viewport} {language}")
    context.close()


@pytest.fixture
def draft(make_user, make_organisation, make_round, make_application, make_review):
    """Rita declared no conflict for FON-2027-0001 and scored nothing yet; the second review
    of it is in, so hers completes the assessment."""
    member = make_user("fatima@example.nl")
    organisation = make_organisation("Stichting Samen Sterk", members=[member])
    application = make_application(
        make_round(),
        organisation,
        status="in_review",
        reference="FON-2027-0001",
        submitted_at=utcnow(),
    )
    rita = make_user("rita@example.nl", name="Rita Reviewer", roles=[Role.REVIEWER])
    sam = make_user("sam@example.nl", name="Sam Second", roles=[Role.REVIEWER])
    make_review(application, sam)
    review = make_review(application, rita, [None] * 7, submitted=False)
    return application, review


@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
def test_the_total_while_scoring_and_the_confirmation_in_english(
    chromium, live_server, draft, viewport
):
    application, review = draft
    criteria = [criterion.name_en for criterion in application.round.criteria]
    context, page = open_as(chromium, live_server, "rita@example.nl")
    page.set_viewport_size(VIEWPORTS[viewport])
    page.goto(live_server + "/review/")
    in_language(page, "en")
    page.clock.install()
    page.get_by_role("link", name="FON-2027-0001").click()
    page.wait_for_load_state()  # the page's script listens before a score is clicked
    page.clock.pause_at(utcnow() + timedelta(minutes=1))  # timers wait for run_for

    total = page.locator("[data-review-total-text]")
    spoken = page.locator("[data-review-total-announce]")
    expect(total).to_have_text("Total score: none yet. It appears when you give scores.")
    page.get_by_role("group", name=criteria[0]).get_by_label("5", exact=True).check()
    expect(total).to_have_text("Total so far: 100.0 of 100. Not final: 1 of the 7 criteria scored.")
    for name in criteria:
        page.get_by_role("group", name=name).get_by_label("4", exact=True).check()
    page.get_by_role("group", name=criteria[2]).get_by_label("3", exact=True).check()
    # 285 of 400 points: 71.25, which the server shows as 71.2 (a half goes to the even tenth).
    expect(total).to_have_text("Total score: 71.2 of 100.")
    # The screen reader hears the total once the clicking pauses, not on every click.
    expect(spoken).to_have_text("")
    page.clock.run_for(2000)
    expect(spoken).to_have_text("Total score: 71.2 of 100.")
    page.clock.resume()
    assert_accessible(page, f"scoring form in English, {viewport}")

    page.get_by_role("button", name="Save as draft").click()
    expect(page.locator("main")).to_contain_text("Your review is saved as a draft.")
    expect(total).to_have_text("Total score: 71.2 of 100.")  # the server's own number

    # Something missing is shown on the form, before any confirmation page.
    page.get_by_role("button", name="Submit review").click()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_contain_text("Choose your advice: fund, fund in part, or do not fund.")
    assert_accessible(page, f"scoring form with an error in English, {viewport}")
    page.get_by_role("group", name="Your advice").get_by_label("Fund in part").check()
    page.get_by_role("button", name="Submit review").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Check your review of FON-2027-0001")
    main = page.locator("main")
    expect(main).to_contain_text("71.2 of 100")
    expect(main).to_contain_text("Fund in part")
    expect(main).to_contain_text("After you submit it, you cannot change it any more.")
    assert_accessible(page, f"confirmation page in English, {viewport}")
    page.get_by_role("link", name="Back to your review", exact=True).click()
    expect(page.get_by_label("Fund in part")).to_be_checked()
    expect(
        page.get_by_role("group", name=criteria[2]).get_by_label("3", exact=True)
    ).to_be_checked()
    page.get_by_role("button", name="Submit review").click()
    page.get_by_role("button", name="Yes, submit my review").click()
    expect(main).to_contain_text("Thank you. Your review is submitted.")
    expect(main).to_contain_text("71.2 of 100")
    assert_accessible(page, f"submitted review in English, {viewport}")
    context.close()
    db.session.expire_all()
    assert db.session.get(Review, review.id).submitted_at is not None


def test_a_second_tab_is_told_the_review_is_already_submitted(chromium, live_server, draft):
    """Two tabs on the confirmation page: one submission. (Two requests at once, as a double
    click can send, are tested in test_reviewing.py: Chromium sends one for a double click.)"""
    application, review = draft
    criteria = [criterion.name_nl for criterion in application.round.criteria]
    context, first = open_as(chromium, live_server, "rita@example.nl")
    first.goto(live_server + f"/review/{review.id}")
    for name in criteria:
        first.get_by_role("group", name=name).get_by_label("4", exact=True).check()
    first.get_by_role("group", name="Uw advies").get_by_label("Toekennen", exact=True).check()
    first.get_by_role("button", name="Beoordeling indienen").click()
    confirm = "Ja, dien mijn beoordeling in"
    expect(first.get_by_role("button", name=confirm)).to_be_visible()
    second = context.new_page()
    second.goto(first.url)  # the same confirmation page in a second tab
    expect(second.get_by_role("button", name=confirm)).to_be_visible()

    first.get_by_role("button", name=confirm).click()
    expect(first.locator("main")).to_contain_text("Dank u wel. Uw beoordeling is ingediend.")
    # The tabs share one session cookie: let the first tab finish loading, so none of its
    # requests still under way can overwrite the cookie that carries the second tab's message.
    first.wait_for_load_state("networkidle")
    second.get_by_role("button", name=confirm).click()
    expect(second.locator("main")).to_contain_text(
        "U heeft deze beoordeling al ingediend. U kunt die niet meer veranderen."
    )
    assert_accessible(second, "the second tab, told")
    context.close()
    db.session.expire_all()
    assert db.session.get(Review, review.id).submitted_at is not None
    assert [event.to_status for event in application.events].count("reviewed") == 1
