"""The conflict rule for administrators (Application.conflict_for): an administrator who is a
member of the applying organisation takes no action on its application and does not see who
reviewed it or how. Every admin action and every read is checked, against a colleague who may."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from fonds.applications.forms import today
from fonds.applications.models import Application
from fonds.assignments.models import ReviewerPoolMember
from fonds.decisions.models import Decision
from fonds.demo.builders import make_decision
from fonds.extensions import db
from fonds.letters.models import Letter
from fonds.organisations.models import Membership
from fonds.reviews.models import Review
from fonds.roles import Role

OWN = "You are a member of the organisation that applies. Another administrator must do this."


@pytest.fixture
def scene(make_user, make_organisation, make_round, client_of):
    """Anna is an administrator and a member of the applying organisation; Ben and Cas are
    administrators without a conflict; two reviewers are in the round's pool."""
    member = make_user("fatima@example.nl", name="Fatima Bakkali")
    organisation = make_organisation("Stichting Samen Sterk", members=[member])
    anna = make_user("anna@example.nl", name="Anna", roles=[Role.ADMIN])
    db.session.add(Membership(user=anna, organisation=organisation))
    ben = make_user("ben@example.nl", name="Ben", roles=[Role.ADMIN])
    cas = make_user("cas@example.nl", name="Cas", roles=[Role.ADMIN])
    round_ = make_round()
    reviewers = [
        make_user("rana@example.nl", name="Rana Reviewer", roles=[Role.REVIEWER]),
        make_user("rob@example.nl", name="Rob Reviewer", roles=[Role.REVIEWER]),
    ]
    for reviewer in reviewers:
        db.session.add(ReviewerPoolMember(round_id=round_.id, user_id=reviewer.id))
    db.session.commit()
    return {
        "organisation": organisation,
        "round": round_,
        "anna": anna,
        "ben": ben,
        "cas": cas,
        "reviewers": reviewers,
        "client_of": client_of,
    }


def application_in(scene, make_application, make_review, status: str) -> Application:
    """An application of Anna's organisation in `status`, with what that status brings."""
    application = make_application(
        scene["round"],
        scene["organisation"],
        status=status,
        amount_requested=Decimal("9000.00"),
    )
    rana, rob = scene["reviewers"]
    if status == "in_review":
        make_review(application, rana, conflict=None, submitted=False)
    if status in ("reviewed", "decision_proposed", "approved"):
        make_review(application, rana, 4, motivation="Rana vindt het plan sterk.")
        make_review(application, rob, 3, motivation="Rob twijfelt over de planning.")
    if status == "decision_proposed":
        db.session.add(
            Decision(
                application_id=application.id,
                outcome="approve",
                amount=Decimal("9000.00"),
                motivation="Sterk plan.",
                proposed_by_id=scene["ben"].id,
            )
        )
    if status == "approved":
        make_decision(
            application, proposer=scene["ben"], decider=scene["cas"], amount=Decimal("9000.00")
        )
    db.session.commit()
    return application


def version(application) -> str:
    db.session.refresh(application)
    return str(application.version)


def count(model, **where) -> int:
    query = select(func.count()).select_from(model)
    for key, value in where.items():
        query = query.where(getattr(model, key) == value)
    return db.session.scalar(query)


def later() -> str:
    return (today() + timedelta(days=14)).strftime("%d-%m-%Y")


# Each admin action: the status it needs, and the request that makes it.
ACTIONS = {
    "screening: eligible": (
        "submitted",
        lambda app, scene: (
            f"/screening/{app.id}/eligible",
            {"eligible-version": version(app)},
        ),
    ),
    "screening: more information": (
        "submitted",
        lambda app, scene: (
            f"/screening/{app.id}/request-info",
            {
                "request_info-version": version(app),
                "request_info-question": "Hoeveel mensen doen mee?",
                "request_info-steps": ["reach"],
                "request_info-deadline": later(),
            },
        ),
    ),
    "screening: not admissible": (
        "submitted",
        lambda app, scene: (
            f"/screening/{app.id}/not-admissible",
            {"not_admissible-version": version(app), "not_admissible-reason": "Past niet."},
        ),
    ),
    "assign a reviewer": (
        "in_review",
        lambda app, scene: (
            f"/assignments/applications/{app.id}/assign",
            {
                f"assign-{app.id}-reviewer": str(scene["reviewers"][1].id),
                f"assign-{app.id}-due_date": later(),
            },
        ),
    ),
    "take back an assignment": (
        "in_review",
        lambda app, scene: (
            f"/assignments/reviews/{db.session.scalar(select(Review.id))}/remove",
            {},
        ),
    ),
    "assign automatically": (
        "in_review",
        lambda app, scene: (
            f"/assignments/rounds/{app.round_id}/auto",
            {"auto-due_date": later()},
        ),
    ),
    "propose a decision": (
        "reviewed",
        lambda app, scene: (
            f"/decisions/{app.id}/propose",
            {
                "propose-version": version(app),
                "propose-outcome": "approve",
                "propose-amount": "9.000,00",
                "propose-motivation": "Sterk plan.",
            },
        ),
    ),
    "confirm a decision": (
        "decision_proposed",
        lambda app, scene: (f"/decisions/{app.id}/confirm", {"confirm-version": version(app)}),
    ),
    "send a proposal back": (
        "decision_proposed",
        lambda app, scene: (
            f"/decisions/{app.id}/send-back",
            {"send_back-version": version(app), "send_back-reason": "Nog niet goed."},
        ),
    ),
    "issue the letter": (
        "approved",
        lambda app, scene: (f"/letters/applications/{app.id}/issue", {"confirmed": "yes"}),
    ),
    "correct the letter": (
        "approved",
        lambda app, scene: (
            f"/letters/applications/{app.id}/issue",
            {"confirmed": "yes", "replaces": "1", "note": "Het bedrag was fout."},
        ),
    ),
}


def footprint(application) -> tuple:
    """What any of the actions would change."""
    db.session.refresh(application)
    return (
        application.status,
        application.version,
        count(Review, application_id=application.id),
        count(Decision, application_id=application.id),
        count(Letter, application_id=application.id),
    )


@pytest.mark.parametrize("action", ACTIONS)
def test_an_administrator_of_the_applying_organisation_cannot_act(
    action, scene, make_application, make_review
):
    status, make_request = ACTIONS[action]
    application = application_in(scene, make_application, make_review, status)
    before = footprint(application)
    url, data = make_request(application, scene)
    response = scene["client_of"]("anna@example.nl").post(url, data=data, follow_redirects=True)
    assert response.status_code in (200, 403, 409, 422)
    assert OWN in response.text, action
    assert footprint(application) == before


# The pages an administrator acts on, and the button that must not be there for Anna.
PAGES = {
    "submitted": ("/screening/{id}", ["/eligible", "/request-info", "/not-admissible"]),
    "reviewed": ("/decisions/{id}", ["/propose"]),
    "decision_proposed": ("/decisions/{id}", ["/confirm", "/send-back"]),
    "approved": ("/decisions/{id}", ["/issue"]),
}


@pytest.mark.parametrize("status", PAGES)
def test_the_page_says_why_and_shows_no_buttons(status, scene, make_application, make_review):
    application = application_in(scene, make_application, make_review, status)
    page, actions = PAGES[status]
    url = page.format(id=application.id)
    anna = scene["client_of"]("anna@example.nl").get(url).text
    ben = scene["client_of"]("cas@example.nl").get(url).text
    assert OWN in anna
    for action in actions:
        assert action in ben, action  # the colleague has the button
        assert not re.search(rf'(action|href)="[^"]*{re.escape(action)}', anna), action


@pytest.mark.parametrize("status", ["reviewed", "decision_proposed", "approved"])
def test_the_decision_page_hides_the_reviewers_and_their_reviews(
    status, scene, make_application, make_review
):
    application = application_in(scene, make_application, make_review, status)
    url = f"/decisions/{application.id}"
    anna = scene["client_of"]("anna@example.nl").get(url).text
    cas = scene["client_of"]("cas@example.nl").get(url).text
    for secret in ("Rana Reviewer", "Rob Reviewer", "Rana vindt het plan sterk."):
        assert secret in cas
        assert secret not in anna
    assert "That is why you do not see who reviewed this application" in anna


def test_the_assignments_page_hides_the_reviewers(scene, make_application, make_review):
    application = application_in(scene, make_application, make_review, "in_review")
    url = f"/assignments/rounds/{application.round_id}?show=all"
    anna = scene["client_of"]("anna@example.nl").get(url).text
    cas = scene["client_of"]("cas@example.nl").get(url).text
    anna_card = anna[anna.index(f'id="application-{application.id}"') :]
    cas_card = cas[cas.index(f'id="application-{application.id}"') :]
    assert "<strong>Rana Reviewer</strong>" in cas_card
    assert "Rana Reviewer" not in anna_card
    assert OWN in anna_card
    assert "/assign" not in anna_card and "/remove" not in anna_card


def test_the_ranking_and_its_csv_hide_who_was_corrected(
    scene, make_user, make_application, make_review
):
    """Calibration moves an application of Anna's organisation; the sentence that names the
    corrected reviewer is there for a colleague, not for Anna."""
    strict = make_user("strict@example.nl", name="Stella Streng", roles=[Role.REVIEWER])
    mild = make_user("mild@example.nl", name="Milan Mild", roles=[Role.REVIEWER])
    apps = [
        make_application(
            scene["round"],
            scene["organisation"],
            status="reviewed",
        )
        for _ in range(6)
    ]
    for app, score in zip(apps[:5], [4, 4, 5, 5, 5], strict=True):
        make_review(app, strict, score)
    make_review(apps[5], mild, 4)
    url = f"/ranking/rounds/{scene['round'].id}?mode=calibrated"
    moved = f"{apps[0].reference}: place 4 raw, place 5 calibrated."
    cas = scene["client_of"]("cas@example.nl").get(url).text
    anna = scene["client_of"]("anna@example.nl").get(url).text
    assert f"{moved} Corrected: Stella Streng." in cas
    assert moved in anna
    assert f"{moved} Corrected" not in anna
    csv_text = scene["client_of"]("anna@example.nl").get(url.replace("?", ".csv?")).text
    assert "Stella" not in csv_text and "Milan" not in csv_text


def test_a_colleague_without_a_conflict_still_acts(scene, make_application, make_review):
    """The rule is about Anna only: Cas marks the same application eligible."""
    application = application_in(scene, make_application, make_review, "submitted")
    response = scene["client_of"]("cas@example.nl").post(
        f"/screening/{application.id}/eligible",
        data={"eligible-version": version(application)},
        follow_redirects=True,
    )
    assert "is now being assessed" in response.text
    db.session.refresh(application)
    assert application.status == "in_review"
