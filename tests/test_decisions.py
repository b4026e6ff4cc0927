"""Four-eyes decisions: propose, confirm, send back; conflicts; the final-decision constraint in
the database; two administrators confirming at the same moment (PostgreSQL)."""

import threading
from decimal import Decimal

import pytest
from sqlalchemy import event, select, text
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session

from fonds.applications.models import Application, ApplicationEvent, Status
from fonds.decisions.models import Decision
from fonds.demo.builders import make_decision
from fonds.extensions import db
from fonds.roles import Role

STALE = "Someone else changed this application just now. Check the page again."


@pytest.fixture
def cast(make_user, make_organisation, make_round, make_application, make_review):
    member = make_user("fatima@example.nl", name="Fatima Bakkali")
    organisation = make_organisation("Stichting Samen Sterk", members=[member])
    admins = [
        make_user(f"{name.lower()}@example.nl", name=name, roles=[Role.ADMIN])
        for name in ("Anna", "Ben", "Cas")
    ]
    reviewers = [
        make_user(f"r{i}@example.nl", name=f"Reviewer {i}", roles=[Role.REVIEWER]) for i in range(2)
    ]
    application = make_application(
        make_round(),
        organisation,
        status="reviewed",
        amount_requested=Decimal("9000.00"),
    )
    make_review(application, reviewers[0], 4)
    make_review(application, reviewers[1], [3, 4, 4, 4, 4, 4, 4])
    return {"member": member, "admins": admins, "application": application, "org": organisation}


@pytest.fixture
def login_as(client_of):
    return lambda user: client_of(user.email)


def state(application):
    db.session.refresh(application)
    return application.state


def propose(client, application, **data):
    db.session.refresh(application)
    values = {
        "propose-version": str(application.version),
        "propose-outcome": "approve",
        "propose-amount": "7.500,00",
        "propose-motivation": "Sterk plan, iets lagere begroting.",
        "propose-partial_reason": "De catering betalen wij niet.",
    }
    values.update({f"propose-{k}": v for k, v in data.items()})
    return client.post(f"/decisions/{application.id}/propose", data=values)


def confirm(client, application, version=None):
    db.session.refresh(application)
    return client.post(
        f"/decisions/{application.id}/confirm",
        data={"confirm-version": version or str(application.version)},
        follow_redirects=True,
    )


def test_the_decision_page_shows_scores_flags_and_reviews(cast, login_as):
    anna = login_as(cast["admins"][0])
    page = anna.get(f"/decisions/{cast['application'].id}").text
    # 75 and 70 → 72.5; both reviewers' names, scores and the recommendation.
    assert "72.5" in page and "Reviewer 0" in page and "Reviewer 1" in page
    assert "75.0" in page and "70.0" in page  # each review's total
    assert "No flags" in page and "Fund" in page
    assert "Propose this decision" in page


def test_propose_then_a_second_administrator_confirms(cast, login_as, mailbox, client):
    anna, ben = login_as(cast["admins"][0]), login_as(cast["admins"][1])
    application = cast["application"]

    response = propose(anna, application)
    assert response.status_code == 302
    assert state(application) == Status.DECISION_PROPOSED
    decision = db.session.scalar(select(Decision).where(Decision.application_id == application.id))
    assert (decision.outcome, decision.amount, decision.state) == (
        "approve",
        Decimal("7500.00"),
        "proposed",
    )
    page = anna.get(f"/decisions/{application.id}").text
    assert "You proposed this decision. A second administrator must confirm it." in page
    assert "Confirm: award" not in page

    # The proposer cannot confirm, also not by posting directly.
    response = confirm(anna, application)
    assert "You proposed this decision. A second administrator must confirm it." in response.text
    assert state(application) == Status.DECISION_PROPOSED

    # The applicant sees the status, not the internal motivation of a proposal.
    member = login_as(cast["member"])
    status_page = member.get(f"/applications/{application.id}").text
    assert "Decision being made" in status_page
    assert "Sterk plan" not in status_page

    mailbox.clear()
    # Confirming is final, so the page asks first; asking is not doing.
    db.session.refresh(application)
    page = ben.get(f"/decisions/{application.id}").text
    assert f'href="/decisions/{application.id}/confirm?version={application.version}"' in page
    ask = ben.get(f"/decisions/{application.id}/confirm?version={application.version}")
    assert ask.status_code == 200
    assert "When you confirm, the decision is final" in ask.text
    assert "Yes, confirm: award" in ask.text and "7,500.00" in ask.text
    assert state(application) == Status.DECISION_PROPOSED
    response = confirm(ben, application)
    assert "is final: awarded" in response.text
    assert state(application) == Status.APPROVED
    db.session.refresh(decision)
    assert (decision.state, decision.decided_by_id) == ("confirmed", cast["admins"][1].id)
    last = application.events[-1]
    assert (last.from_status, last.to_status, last.actor_id) == (
        "decision_proposed",
        "approved",
        cast["admins"][1].id,
    )
    # The applicant learns the decision from the letter: no e-mail, no outcome until then.
    assert mailbox.to("fatima@example.nl") == []
    status_page = member.get(f"/applications/{application.id}").text
    assert "Decision being made" in status_page and "Awarded" not in status_page


def test_amount_rules_and_missing_motivation(cast, login_as):
    anna = login_as(cast["admins"][0])
    application = cast["application"]
    response = propose(anna, application, amount="9.000,01")
    assert response.status_code == 422
    assert "The amount may not be more than the €9,000.00 requested." in response.text
    assert "9.000,01" in response.text  # what was typed stays
    response = propose(anna, application, amount="")
    assert "Fill in the amount to award." in response.text
    response = propose(anna, application, outcome="reject", amount="", motivation=" ")
    assert "Give the motivation for the decision." in response.text
    assert state(application) == Status.REVIEWED
    assert db.session.scalar(select(Decision.id)) is None
    # A rejection needs no amount, and an amount typed anyway is not kept.
    response = propose(anna, application, outcome="reject", amount="100,00", motivation="Nee.")
    assert response.status_code == 302
    decision = db.session.scalar(select(Decision))
    assert (decision.outcome, decision.amount) == ("reject", None)


def point_field(criterion) -> str:
    return f"point_{criterion.id}"


def test_the_fund_s_points_and_the_reason_for_less_are_kept_and_shown(cast, login_as):
    """The proposal form asks a point per criterion (optional) and, for a partial award, why it
    is lower; both are stored with the decision and shown on the confirmation page."""
    anna, ben = login_as(cast["admins"][0]), login_as(cast["admins"][1])
    application = cast["application"]
    criteria = application.round.criteria
    page = anna.get(f"/decisions/{application.id}").text
    assert "The fund&#39;s points per criterion (optional)" in page or (
        "The fund's points per criterion (optional)" in page
    )
    for criterion in criteria:
        assert f'name="propose-{point_field(criterion)}"' in page
        assert f"Point for ‘{criterion.name_en}’" in page
    assert 'name="propose-partial_reason"' in page
    response = propose(
        anna,
        application,
        **{
            point_field(criteria[0]): "De leiding ligt nog bij mensen van buiten.",
            point_field(criteria[3]): "  ",
        },
        partial_reason="De catering betalen wij niet.",
    )
    assert response.status_code == 302
    decision = db.session.scalar(select(Decision))
    assert decision.criterion_points == {
        str(criteria[0].id): "De leiding ligt nog bij mensen van buiten."
    }
    assert decision.partial_reason == "De catering betalen wij niet."
    db.session.refresh(application)
    ask = ben.get(f"/decisions/{application.id}/confirm?version={application.version}").text
    assert "De leiding ligt nog bij mensen van buiten." in ask
    assert criteria[0].name_en in ask
    assert "Why less than requested" in ask and "De catering betalen wij niet." in ask
    # The second administrator sees them on the decision page too.
    page = ben.get(f"/decisions/{application.id}").text
    assert "De leiding ligt nog bij mensen van buiten." in page


def test_a_partial_award_needs_the_reason_for_the_lower_amount(cast, login_as):
    anna = login_as(cast["admins"][0])
    application = cast["application"]
    criterion = application.round.criteria[1]
    response = propose(
        anna, application, partial_reason=" ", **{point_field(criterion): "Goede aanpak."}
    )
    assert response.status_code == 422
    message = "Say why you award less than the amount requested. The applicant reads it."
    assert message in response.text
    assert "Goede aanpak.</textarea>" in response.text  # what was typed stays
    assert db.session.scalar(select(Decision.id)) is None
    # The full amount needs no reason, and a reason typed anyway is not kept.
    assert propose(anna, application, amount="9.000,00", partial_reason="Iets.").status_code == 302
    decision = db.session.scalar(select(Decision))
    assert (decision.amount, decision.partial_reason) == (Decimal("9000.00"), "")


def test_a_point_has_a_limit(cast, login_as):
    anna = login_as(cast["admins"][0])
    application = cast["application"]
    criterion = application.round.criteria[0]
    response = propose(anna, application, **{point_field(criterion): "x" * 2001})
    assert response.status_code == 422
    assert "A point can have at most 2,000 characters." in response.text
    assert db.session.scalar(select(Decision.id)) is None


def test_send_back_needs_a_reason_and_allows_a_new_proposal(cast, login_as):
    anna, ben = login_as(cast["admins"][0]), login_as(cast["admins"][1])
    application = cast["application"]
    propose(anna, application, outcome="reject", amount="", motivation="Te weinig bereik.")
    db.session.refresh(application)
    response = ben.post(
        f"/decisions/{application.id}/send-back",
        data={"send_back-version": str(application.version), "send_back-reason": ""},
    )
    assert response.status_code == 422
    assert "Give the reason why you send the proposal back." in response.text
    assert state(application) == Status.DECISION_PROPOSED

    response = ben.post(
        f"/decisions/{application.id}/send-back",
        data={
            "send_back-version": str(application.version),
            "send_back-reason": "Het bereik is juist goed.",
        },
        follow_redirects=True,
    )
    assert "is sent back" in response.text
    assert state(application) == Status.REVIEWED
    assert (
        "sent back by Ben: Het bereik is juist goed."
        in anna.get(f"/decisions/{application.id}").text
    )
    # A new proposal, and this time it is confirmed by the one who sent the first back.
    assert propose(anna, application).status_code == 302
    assert "is final: awarded" in confirm(ben, application).text
    states = db.session.scalars(select(Decision.state).order_by(Decision.id)).all()
    assert states == ["sent_back", "confirmed"]


def test_an_administrator_with_a_conflict_cannot_confirm(cast, login_as, make_user, make_review):
    anna = login_as(cast["admins"][0])
    application = cast["application"]
    # A member of the applying organisation who is also an administrator.
    insider = make_user("insider@example.nl", name="Ina", roles=[Role.ADMIN])
    from fonds.organisations.models import Membership

    db.session.add(Membership(user=insider, organisation=cast["org"]))
    db.session.commit()
    # An administrator who declared a conflict as a reviewer of this application.
    declared = make_user("dirk@example.nl", name="Dirk", roles=[Role.ADMIN, Role.REVIEWER])
    make_review(application, declared, conflict=True, submitted=False)
    propose(anna, application)
    own = "You are a member of the organisation that applies. Another administrator must do this."
    declared_conflict = "You have a conflict of interest with this application."
    for person, message in ((insider, own), (declared, declared_conflict)):
        response = confirm(login_as(person), application)
        assert message in response.text
        assert state(application) == Status.DECISION_PROPOSED


def test_a_stale_page_changes_nothing(cast, login_as):
    anna, ben = login_as(cast["admins"][0]), login_as(cast["admins"][1])
    application = cast["application"]
    db.session.refresh(application)
    shown = str(application.version)
    propose(anna, application)
    response = confirm(ben, application, version=shown)
    assert STALE in response.text
    assert state(application) == Status.DECISION_PROPOSED


def test_the_database_keeps_a_confirmed_decision_final(cast, login_as):
    anna, ben = login_as(cast["admins"][0]), login_as(cast["admins"][1])
    application = cast["application"]
    propose(anna, application)
    confirm(ben, application)
    decision = db.session.scalar(select(Decision))
    for change in (
        "UPDATE decision SET amount = 9000",
        "UPDATE decision SET outcome = 'reject', amount = NULL",
        "UPDATE decision SET decided_by_id = :other",
        "UPDATE decision SET state = 'sent_back'",
        "DELETE FROM decision",
    ):
        with pytest.raises((IntegrityError, DBAPIError), match="confirmed and final"):
            db.session.execute(
                text(change + " WHERE id = :id"), {"id": decision.id, "other": cast["admins"][2].id}
            )
        db.session.rollback()
    db.session.refresh(decision)
    assert (decision.outcome, decision.amount, decision.decided_by_id) == (
        "approve",
        Decimal("7500.00"),
        cast["admins"][1].id,
    )


def test_the_database_refuses_a_decision_confirmed_by_its_proposer(cast):
    anna = cast["admins"][0]
    with pytest.raises(IntegrityError, match="four_eyes"):
        make_decision(cast["application"], proposer=anna, decider=anna, motivation="Nee.")
        db.session.commit()
    db.session.rollback()


def test_two_administrators_confirming_at_once_one_succeeds(app, cast, login_as):
    """Two requests on two connections read the same version; a barrier holds both just
    before they write. Exactly one confirms; the other is told someone else was first."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite serialises writers; this is about PostgreSQL's row locks")
    anna, ben, cas = (login_as(admin) for admin in cast["admins"])
    application = cast["application"]
    propose(anna, application)
    db.session.refresh(application)
    version = str(application.version)

    barrier = threading.Barrier(2, timeout=20)
    waited = threading.local()

    def hold(session, flush_context, instances):
        if getattr(waited, "done", False):
            return
        if any(isinstance(o, Application) for o in session.dirty):
            waited.done = True
            barrier.wait()

    responses = {}

    def run(name, client):
        responses[name] = client.post(
            f"/decisions/{application.id}/confirm",
            data={"confirm-version": version},
            follow_redirects=True,
        ).text

    event.listen(Session, "before_flush", hold)
    try:
        threads = [
            threading.Thread(target=run, args=(name, client))
            for name, client in (("ben", ben), ("cas", cas))
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
    finally:
        event.remove(Session, "before_flush", hold)

    finals = [name for name, page in responses.items() if "is final: awarded" in page]
    stale = [name for name, page in responses.items() if STALE in page]
    assert len(finals) == 1 and len(stale) == 1, responses.keys()
    assert state(application) == Status.APPROVED
    approvals = db.session.scalars(
        select(ApplicationEvent).where(
            ApplicationEvent.application_id == application.id,
            ApplicationEvent.to_status == "approved",
        )
    ).all()
    assert len(approvals) == 1
    decision = db.session.scalar(select(Decision))
    winner = {"ben": cast["admins"][1], "cas": cast["admins"][2]}[finals[0]]
    assert (decision.state, decision.decided_by_id) == ("confirmed", winner.id)
