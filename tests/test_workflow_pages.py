"""The pages ask the workflow. For every transition a person makes, from every status, for
every kind of person (a member of the applying organisation, a member of another one, a
reviewer, an administrator, an administrator with a conflict of interest, and the
administrator who proposed the decision): the page that offers the transition shows its button
exactly when `Application.may` says the person may make it, and pressing the button that is on
the page does what it says. A page that hides an allowed step, or offers a refused one, fails
here."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

import pytest
from werkzeug.datastructures import MultiDict

from fonds.applications.forms import today
from fonds.applications.models import Application, InfoRequest, Status
from fonds.applications.workflow import ADMIN, MEMBER, TRANSITIONS
from fonds.columns import utcnow
from fonds.decisions.models import Decision
from fonds.demo.builders import make_decision
from fonds.extensions import db
from fonds.reviews.models import Review
from fonds.roles import Role
from tests.page_forms import find_button, find_link

ACTORS = ["member", "other_member", "reviewer", "admin", "conflicted_admin", "proposer"]


@dataclass(frozen=True)
class Offer:
    """Where a person finds a transition: the page, and on it the button of a form posting to
    `action` (or first a link to a confirmation page with that button)."""

    page: str
    action: str
    button: str
    link: str | None = None  # the link on `page` that leads to the confirmation page
    typed: dict = field(default_factory=dict)  # what the person types before pressing it


def deadline() -> str:
    return (today() + timedelta(days=14)).strftime("%d-%m-%Y")


OFFERS = {
    "submit": Offer(
        "/applications/{id}/check",
        "/applications/{id}/submit",
        "Send application",
        typed={"declared_truthful": "y", "declared_privacy": "y"},
    ),
    "resubmit": Offer(
        "/applications/{id}/check",
        "/applications/{id}/submit",
        "Send the application again",
        typed={"declared_truthful": "y", "declared_privacy": "y"},
    ),
    "request_info": Offer(
        "/screening/{id}",
        "/screening/{id}/request-info",
        "Send the question",
        typed={
            "request_info-question": "Hoeveel vrouwen doen mee?",
            "request_info-steps": ["reach"],
            "request_info-deadline": "DEADLINE",
        },
    ),
    "screen_eligible": Offer(
        "/screening/{id}", "/screening/{id}/eligible", "Eligible: start the assessment"
    ),
    "screen_not_admissible": Offer(
        "/screening/{id}",
        "/screening/{id}/not-admissible",
        "Not admissible",
        typed={"not_admissible-reason": "Valt buiten de regeling."},
    ),
    "propose_decision": Offer(
        "/decisions/{id}",
        "/decisions/{id}/propose",
        "Propose this decision",
        typed={
            "propose-outcome": "approve",
            "propose-amount": "7.000,00",
            "propose-partial_reason": "Minder dan gevraagd: de catering niet.",
            "propose-motivation": "Een sterk plan.",
        },
    ),
    "confirm_approval": Offer(
        "/decisions/{id}",
        "/decisions/{id}/confirm",
        "Yes, confirm: award",
        link="Confirm: award",
    ),
    "confirm_rejection": Offer(
        "/decisions/{id}",
        "/decisions/{id}/confirm",
        "Yes, confirm: reject",
        link="Confirm: reject",
    ),
    "send_back": Offer(
        "/decisions/{id}",
        "/decisions/{id}/send-back",
        "Send back",
        typed={"send_back-reason": "Het bedrag klopt niet."},
    ),
    "withdraw": Offer(
        "/applications/{id}",
        "/applications/{id}/withdraw",
        "Yes, withdraw",
        link="Withdraw this application",
    ),
}

# Every status, and a proposed decision once as an award and once as a rejection.
SCENARIOS = [(status, None) for status in Status if status != Status.DECISION_PROPOSED] + [
    (Status.DECISION_PROPOSED, "approve"),
    (Status.DECISION_PROPOSED, "reject"),
]


def test_every_transition_a_person_makes_has_its_page():
    assert {name for name, t in TRANSITIONS.items() if t.actor in (MEMBER, ADMIN)} == set(OFFERS)


@pytest.fixture
def cast(make_user, make_organisation, make_round, client_of):
    member = make_user("fatima@example.nl", name="Fatima Bakkali")
    other = make_user("omar@example.nl", name="Omar Other")
    make_organisation("Stichting Anders", members=[other])
    people = {
        "member": member,
        "other_member": other,
        "reviewer": make_user("rana@example.nl", name="Rana", roles=[Role.REVIEWER]),
        "admin": make_user("anna@example.nl", name="Anna", roles=[Role.ADMIN]),
        "conflicted_admin": make_user(
            "carl@example.nl", name="Carl", roles=[Role.ADMIN, Role.REVIEWER]
        ),
        "proposer": make_user("piet@example.nl", name="Piet", roles=[Role.ADMIN]),
    }
    return {
        "people": people,
        "organisation": make_organisation("Stichting Samen Sterk", members=[member]),
        "round": make_round(),
        "clients": {actor: client_of(user.email) for actor, user in people.items()},
    }


def make_in(cast, make_application, status: Status, outcome: str | None) -> Application:
    """A complete application of the member's organisation in `status`, with what that status
    comes with: a question for more information, a reviewer's assignment and a declared
    conflict, a proposal (by the proposer) or a confirmed decision."""
    people = cast["people"]
    sent = status != Status.DRAFT
    application = make_application(
        cast["round"],
        cast["organisation"],
        status=status.value,
    )
    if status == Status.INFO_REQUESTED:
        db.session.add(
            InfoRequest(
                application=application,
                question="Hoeveel vrouwen doen mee?",
                steps=["reach"],
                deadline=utcnow() + timedelta(days=7),
                requested_by_id=people["admin"].id,
            )
        )
    if sent:
        due = utcnow() + timedelta(days=14)
        db.session.add_all(
            [
                Review(application=application, reviewer=people["reviewer"], due_at=due),
                Review(
                    application=application,
                    reviewer=people["conflicted_admin"],
                    due_at=due,
                    conflict=True,
                    declared_at=utcnow(),
                ),
            ]
        )
    if status == Status.DECISION_PROPOSED:
        db.session.add(
            Decision(
                application_id=application.id,
                outcome=outcome,
                amount=Decimal("7000.00") if outcome == "approve" else None,
                motivation="Voorstel van Piet.",
                proposed_by_id=people["proposer"].id,
            )
        )
    if status in (Status.APPROVED, Status.REJECTED):
        make_decision(
            application,
            proposer=people["proposer"],
            decider=people["admin"],
            amount=Decimal("7000.00") if status == Status.APPROVED else None,
        )
    db.session.commit()
    return application


def is_offered(client, offer: Offer, application: Application) -> bool:
    """Whether the page shows the offer's button (or its link to a confirmation page)."""
    url = offer.page.format(id=application.id)
    page = client.get(url)
    if page.status_code != 200:
        return False
    if offer.link is not None:
        return find_link(page.text, offer.link) is not None
    return (
        find_button(page.text, offer.action.format(id=application.id), offer.button, url)
        is not None
    )


def press(client, offer: Offer, application: Application):
    """Press the offer's button as the page shows it (after its link, on the confirmation
    page) and return the response."""
    url = offer.page.format(id=application.id)
    html = client.get(url).text
    if offer.link is not None:
        url = find_link(html, offer.link).href
        confirmation = client.get(url)
        assert confirmation.status_code == 200, (offer, confirmation.status_code)
        html = confirmation.text
    found = find_button(html, offer.action.format(id=application.id), offer.button, url)
    assert found is not None, (offer, html[:3000])
    form, button = found
    typed = {
        key: deadline() if value == "DEADLINE" else value for key, value in offer.typed.items()
    }
    return client.post(form.action, data=MultiDict(form.data(button, **typed)))


def state_of(application: Application) -> Status:
    db.session.expire_all()
    return db.session.get(Application, application.id).state


@pytest.mark.parametrize(
    ("status", "outcome"),
    SCENARIOS,
    ids=[f"{status.value}{'-' + outcome if outcome else ''}" for status, outcome in SCENARIOS],
)
def test_the_button_shows_exactly_when_the_workflow_allows_it(
    cast, make_application, status, outcome
):
    application = make_in(cast, make_application, status, outcome)
    shown, allowed = set(), set()
    for name, offer in OFFERS.items():
        for actor in ACTORS:
            if application.may(name, cast["people"][actor]):
                allowed.add((name, actor))
            if is_offered(cast["clients"][actor], offer, application):
                shown.add((name, actor))
            assert state_of(application) == status  # looking is not doing
    assert shown == allowed

    # Pressing each button that is shown does what it says, on an application of its own.
    for name, actor in sorted(shown):
        fresh = make_in(cast, make_application, status, outcome)
        response = press(cast["clients"][actor], OFFERS[name], fresh)
        assert response.status_code == 302, (name, actor, response.text[:2000])
        assert state_of(fresh) == TRANSITIONS[name].target, (name, actor)
