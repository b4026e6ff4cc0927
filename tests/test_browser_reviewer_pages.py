"""The reviewer's pages as a new reviewer meets them, in Dutch and English, on a desktop and a
320 px screen: the dashboard with the reviews to do apart from the finished ones, the scoring
page with its live total, the confirmation before a review is final, and a second tab that
confirms a review already submitted. axe-core checks every page."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from fonds.auth.models import Role
from fonds.columns import utcnow
from fonds.extensions import db
from fonds.reviews.models import Review
from tests.test_browser_accounts import VIEWPORTS, assert_accessible
from tests.test_browser_review_journey import open_as

TEXTS = {
    "nl": {
        "todo": "Uw beoordelingen die nog klaar moeten",
        "done": "Uw afgeronde beoordelingen",
        "progress": "Voortgang",
        "scored": "3 van de 7 criteria gescoord",
        "declare": "eerst verklaring geven",
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
    context.close()
    assert db.session.query(Review).count() == 5
