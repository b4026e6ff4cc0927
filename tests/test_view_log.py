"""Every page that shows an application's content to an administrator or a reviewer writes one
view entry (ApplicationView). The routes come from the URL map: every GET route with an
application id, and the letter routes; a new one that does not log fails here."""

from decimal import Decimal

import pytest
from flask import current_app
from sqlalchemy import func, select

from fonds.applications.attachments import store_attachment
from fonds.applications.models import ApplicationView
from fonds.applications.steps import STEPS
from fonds.columns import utcnow
from fonds.decisions.models import Decision
from fonds.demo.builders import make_decision
from fonds.extensions import db
from fonds.letters.models import Letter
from fonds.letters.operations import issue_letter
from fonds.roles import Role
from tests import files

# Routes that show no content of the application to this person, with the reason.
NO_CONTENT = {
    "applications.withdraw": "only members withdraw: others are sent to the status page",
    "applications.delete": "only a draft is deleted: others are sent to the status page",
    "reviews.confirm": "the reviewer's own scores and the reference, nothing of the application",
}
# Steps that are not a page of their own (they redirect to the check and attachments pages).
REDIRECTING_STEPS = {"submit", "attachments"}


@pytest.fixture
def scene(app, make_user, make_organisation, make_round, make_application, make_review):
    member = make_user("fatima@example.nl", name="Fatima Bakkali")
    organisation = make_organisation("Stichting Samen Sterk", members=[member])
    anna = make_user("anna@example.nl", name="Anna", roles=[Role.ADMIN])
    ben = make_user("ben@example.nl", name="Ben", roles=[Role.ADMIN])
    rita = make_user("rita@example.nl", name="Rita Reviewer", roles=[Role.REVIEWER])
    round_ = make_round()

    decided = make_application(round_, organisation, amount_requested=Decimal("9000.00"))
    attachment = store_attachment(decided, files.pdf(), "begroting.pdf", by=member)
    decided.status, decided.reference, decided.submitted_at = "approved", "FON-2026-9001", utcnow()
    db.session.commit()
    review = make_review(decided, rita, 4)
    make_decision(decided, proposer=anna, decider=ben, amount=Decimal("9000.00"))
    db.session.commit()
    with app.test_request_context():  # its own session: commit inside
        letter_id = issue_letter(db.session.merge(decided), by=db.session.merge(ben)).id
        db.session.commit()
    letter = db.session.get(Letter, letter_id)
    proposed = make_application(
        round_,
        organisation,
        status="decision_proposed",
    )
    db.session.add(
        Decision(
            application_id=proposed.id,
            outcome="approve",
            amount=Decimal("9000.00"),
            motivation="Sterk plan.",
            proposed_by_id=ben.id,
        )
    )
    db.session.commit()
    return {
        "decided": decided,
        "proposed": proposed,
        "attachment": attachment,
        "letter": letter,
        "review": review,
    }


def content_urls(scene) -> list[tuple[str, str]]:
    """(endpoint, URL) of every GET route with an application id, and of every letter route
    about one application or letter, with real ids filled in."""
    urls = []
    adapter = current_app.url_map.bind("localhost")
    for rule in current_app.url_map.iter_rules():
        arguments = rule.arguments
        if "GET" not in rule.methods:
            continue
        about_one = "application_id" in arguments or (
            rule.endpoint.startswith(("letters.", "reviews."))
            and arguments & {"letter_id", "review_id"}
        )
        if not about_one:
            continue
        application = (
            scene["proposed"] if rule.endpoint == "decisions.confirm" else scene["decided"]
        )
        values = {
            "application_id": application.id,
            "attachment_id": scene["attachment"].id,
            "letter_id": scene["letter"].id,
            "review_id": scene["review"].id,
        }
        steps = (
            [s.key for s in STEPS if s.key not in REDIRECTING_STEPS]
            if "step" in arguments
            else [None]
        )
        for step in steps:
            given = {key: values[key] for key in arguments if key != "step"}
            if step is not None:
                given["step"] = step
            url = adapter.build(rule.endpoint, given)
            if rule.endpoint == "letters.issue":
                url += f"?replaces={scene['letter'].id}"  # the correction's question
            urls.append((rule.endpoint, url))
    return urls


def views() -> int:
    return db.session.scalar(select(func.count()).select_from(ApplicationView))


def test_the_iteration_finds_the_pages_it_must(app, scene):
    endpoints = {endpoint for endpoint, _url in content_urls(scene)}
    for expected in (
        "applications.step",
        "applications.attachments",
        "letters.preview",
        "letters.preview_pdf",
        "letters.download",
        "reviews.review",
    ):
        assert expected in endpoints


def test_every_page_an_administrator_sees_is_logged(scene, client_of):
    client = client_of("anna@example.nl")
    for endpoint, url in content_urls(scene):
        if endpoint in NO_CONTENT:
            continue
        before = views()
        response = client.get(url)
        if endpoint.startswith("reviews."):
            assert response.status_code in (403, 404), url  # not the administrator's review
            assert views() == before, url
            continue
        assert response.status_code == 200, url
        assert views() == before + 1, f"{url} shows the application but writes no view entry"


def test_every_page_a_reviewer_may_see_is_logged(scene, client_of):
    client = client_of("rita@example.nl")
    seen = set()
    for endpoint, url in content_urls(scene):
        if endpoint in NO_CONTENT:
            continue
        before = views()
        response = client.get(url)
        if response.status_code == 200:
            seen.add(endpoint)
            assert views() == before + 1, f"{url} shows the application but writes no view entry"
        else:
            assert response.status_code in (302, 403, 404), url
            assert views() == before, url
    assert {"reviews.review", "applications.download_attachment"} <= seen
