"""Every page the journeys pass through, in every state that changes what it shows, passes axe
and fits the screen: on a phone and a desktop, in Dutch and English. The journeys themselves
click through most of these pages once, in one language and width; this sweep covers the
rest of the combinations cheaply, with one browser per person and each page loaded once for
both widths."""

from datetime import timedelta
from decimal import Decimal

import pytest

from fonds.applications.models import InfoRequest
from fonds.columns import utcnow
from fonds.decisions.models import Decision
from fonds.demo.builders import make_decision
from fonds.extensions import db
from fonds.roles import Role
from tests.test_browser_accounts import VIEWPORTS, assert_accessible
from tests.test_browser_review_journey import open_as


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_journeys_pages_pass_axe_and_fit(
    chromium,
    live_server,
    make_user,
    make_organisation,
    make_round,
    make_application,
    make_review,
    language,
):
    anna = make_user("anna@example.nl", name="Anna Admin", roles=[Role.ADMIN])
    ben = make_user("ben@example.nl", name="Ben Beheer", roles=[Role.ADMIN])
    rana = make_user("rana@example.nl", name="Rana Reviewer", roles=[Role.REVIEWER])
    bas = make_user("bas@example.nl", name="Bas Beoordelaar", roles=[Role.REVIEWER])
    member = make_user("fatima@example.nl", name="Fatima Bakkali")
    organisation = make_organisation("Stichting Samen Sterk", members=[member])
    round_ = make_round(name="Van binnenuit 2027")

    def sent(status, **values):
        return make_application(
            round_,
            organisation,
            status=status,
            **values,
        )

    draft = make_application(round_, organisation, title="Een concept")
    submitted = sent("submitted")
    asked = sent("info_requested")
    db.session.add(
        InfoRequest(
            application=asked,
            question="Hoeveel vrouwen doen mee?",
            steps=["reach", "planning"],
            deadline=utcnow() - timedelta(days=1),  # late: the page says so
            requested_by_id=anna.id,
        )
    )
    reviewed = sent("reviewed")
    proposed = sent("decision_proposed")
    awarded = sent("approved", amount_requested=Decimal("9000.00"))
    in_review = sent("in_review")
    for application in (reviewed, proposed, awarded):
        make_review(application, rana, 4)
        make_review(application, bas, 3)
    draft_review = make_review(in_review, rana, 4, submitted=False)
    db.session.add(
        Decision(
            application_id=proposed.id,
            outcome="approve",
            amount=Decimal("7000.00"),
            motivation="Een sterk plan.",
            proposed_by_id=anna.id,
        )
    )
    make_decision(awarded, proposer=anna, decider=ben, amount=Decimal("7500.00"))
    db.session.commit()

    pages = {
        "ben@example.nl": [
            f"/screening/{submitted.id}",
            f"/screening/{asked.id}",
            f"/decisions/{reviewed.id}",
            f"/decisions/{proposed.id}",
            f"/decisions/{proposed.id}/confirm?version={proposed.version}",
            f"/decisions/{awarded.id}",
            f"/letters/applications/{awarded.id}/issue",
            f"/letters/rounds/{round_.id}",
            f"/letters/rounds/{round_.id}/issue-all",
        ],
        "anna@example.nl": [f"/decisions/{proposed.id}"],  # her own proposal
        "fatima@example.nl": [
            "/applications/",
            f"/applications/{asked.id}",
            f"/applications/{asked.id}/check",
            f"/applications/{asked.id}/steps/planning",
            f"/applications/{draft.id}/delete",
            f"/applications/{submitted.id}/withdraw",
            f"/applications/{awarded.id}",
        ],
        "rana@example.nl": ["/review/", f"/review/{draft_review.id}"],
    }
    for email, paths in pages.items():
        context, page = open_as(chromium, live_server, email)
        if language == "en":
            page.get_by_role("link", name="English").click()
        for path in paths:
            response = page.goto(live_server + path)
            assert response.status == 200, (email, path)
            assert page.locator("html").get_attribute("lang") == language
            # The same page, loaded once, on a phone and on a desktop.
            for viewport in sorted(VIEWPORTS):
                page.set_viewport_size(VIEWPORTS[viewport])
                assert_accessible(page, f"{path} as {email} on a {viewport}")
        context.close()
