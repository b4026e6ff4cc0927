"""The transition table itself: every transition from every status by every kind of person
(member, reviewer, administrator, a second administrator, the system). Only the table's sources
and actor succeed; everything else is refused and changes nothing."""

from decimal import Decimal

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from fonds.applications.models import ApplicationEvent, Status
from fonds.applications.workflow import (
    ADMIN,
    MEMBER,
    SYSTEM,
    TRANSITIONS,
    apply_transition,
)
from fonds.columns import utcnow
from fonds.decisions.models import Decision
from fonds.demo.builders import reserve_references
from fonds.extensions import db
from fonds.roles import Role
from fonds.workflow import TransitionRefused

REVIEWER = "reviewer"
SECOND_ADMIN = "second_admin"


@pytest.fixture
def cast(make_user, make_organisation, make_round):
    member = make_user("fatima@example.nl", name="Fatima Bakkali")
    organisation = make_organisation("Stichting Samen Sterk", members=[member])
    return {
        "organisation": organisation,
        "round": make_round(),
        MEMBER: member,
        REVIEWER: make_user("bert@example.nl", roles=[Role.REVIEWER]),
        REVIEWER + "2": make_user("bea@example.nl", roles=[Role.REVIEWER]),
        ADMIN: make_user("anna@example.nl", roles=[Role.ADMIN]),
        SECOND_ADMIN: make_user("ben@example.nl", roles=[Role.ADMIN]),
    }


def state_of(application):
    db.session.refresh(application)
    return application.state, len(application.events)


def prepare(application, status, cast, make_review, outcome="reject"):
    """What must hold before the transitions out of this status: the reviews of an application
    in review, a proposal (by the first administrator, with this outcome) for a proposed
    decision."""
    if status == Status.IN_REVIEW:
        make_review(application, cast[REVIEWER], 4)
        make_review(application, cast[REVIEWER + "2"], 3)
    if status == Status.DECISION_PROPOSED:
        db.session.add(
            Decision(
                application_id=application.id,
                outcome=outcome,
                amount=Decimal("9000.00") if outcome == "approve" else None,
                motivation="Past niet bij de regeling." if outcome == "reject" else "Sterk plan.",
                proposed_by_id=cast[ADMIN].id,
            )
        )
        db.session.commit()


def allowed_actors(name) -> set[str]:
    """Who may make the transition: either administrator, except that only the second one
    confirms or sends back what the first one proposed."""
    actor = TRANSITIONS[name].actor
    if actor == ADMIN:
        if name in ("confirm_approval", "confirm_rejection", "send_back"):
            return {SECOND_ADMIN}
        return {ADMIN, SECOND_ADMIN}
    return {actor}


@pytest.mark.parametrize(
    ("name", "status"),
    [(name, status) for name in TRANSITIONS for status in Status],
)
def test_every_transition_from_every_status_for_every_actor(
    app, cast, make_application, make_review, name, status
):
    transition = TRANSITIONS[name]
    allowed = allowed_actors(name)
    for actor in (MEMBER, REVIEWER, ADMIN, SECOND_ADMIN, SYSTEM):
        by = None if actor == SYSTEM else cast[actor]
        application = make_application(
            cast["round"],
            cast["organisation"],
            status=status.value,
        )
        # The proposal matches what the transition confirms: an approval for confirm_approval.
        outcome = "approve" if name == "confirm_approval" else "reject"
        prepare(application, status, cast, make_review, outcome)
        before = state_of(application)
        succeeds = status in transition.sources and actor in allowed
        if succeeds:
            event = apply_transition(application, name, by=by, message="Omdat het moet.")
            if name == "submit":  # sending writes the number and the moment with the move
                with db.session.no_autoflush:
                    application.reference = reserve_references(1)[0]
                application.submitted_at = utcnow()
            db.session.commit()
            assert state_of(application) == (transition.target, before[1] + 1), actor
            assert (event.from_status, event.to_status) == (status.value, transition.target)
            assert event.actor_id == (by.id if by else None)
        else:
            with pytest.raises(TransitionRefused):
                apply_transition(application, name, by=by, message="Omdat het moet.")
            db.session.rollback()
            assert state_of(application) == before, actor
            assert (
                db.session.scalar(
                    select(ApplicationEvent.to_status)
                    .where(ApplicationEvent.application_id == application.id)
                    .order_by(ApplicationEvent.id.desc())
                )
                == status.value  # the history ends where it did: nothing was written
            )


@pytest.mark.parametrize(
    ("name", "proposed"), [("confirm_approval", "reject"), ("confirm_rejection", "approve")]
)
def test_a_confirmation_of_the_other_outcome_is_refused(
    app, cast, make_application, make_review, name, proposed
):
    application = make_application(
        cast["round"],
        cast["organisation"],
        status=Status.DECISION_PROPOSED.value,
    )
    prepare(application, Status.DECISION_PROPOSED, cast, make_review, proposed)
    before = state_of(application)
    with pytest.raises(TransitionRefused):
        apply_transition(application, name, by=cast[SECOND_ADMIN], message="Omdat het moet.")
    db.session.rollback()
    assert state_of(application) == before


def test_reasons_are_required_where_the_table_says(app, cast, make_application, make_review):
    application = make_application(
        cast["round"],
        cast["organisation"],
        status="reviewed",
    )
    # In English: outside a request the default language is Dutch, and the text is translated.
    with (
        force_locale("en"),
        pytest.raises(TransitionRefused, match="Give the motivation for the decision."),
    ):
        apply_transition(application, "propose_decision", by=cast[ADMIN], message="  ")
    db.session.rollback()
    assert state_of(application) == (Status.REVIEWED, 4)
