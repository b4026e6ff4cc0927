"""Screening by administrators: the list per round, the screening page and its three actions,
optimistic locking, the view log, `flask workflow expire`, and the transition table itself."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from flask import current_app
from sqlalchemy import select

from fonds.applications.attachments import store_attachment
from fonds.applications.models import (
    Application,
    ApplicationView,
    InfoRequest,
    Status,
)
from fonds.applications.workflow import (
    SYSTEM,
    TRANSITIONS,
)
from fonds.columns import utcnow
from fonds.demo import builders
from fonds.extensions import db
from fonds.roles import Role
from fonds.screening.operations import request_information
from fonds.workflow import TransitionRefused
from tests import files

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
STALE = "Someone else changed this application just now. Check the page again."


@pytest.fixture
def people(make_user, make_organisation):
    """An applicant (not logged in) with an organisation, and an administrator."""
    member = make_user("fatima@example.nl", name="Fatima Bakkali")
    organisation = make_organisation("Stichting Samen Sterk", members=[member])
    admin = make_user("admin@example.nl", name="Anna Admin", roles=[Role.ADMIN])
    return {"member": member, "organisation": organisation, "admin": admin}


@pytest.fixture
def make_sent(make_round, make_application, people):
    round_ = make_round()

    def make(status: str = "submitted", **overrides) -> Application:
        return make_application(
            round_,
            people["organisation"],
            status=status,
            **overrides,
        )

    return make


@pytest.fixture
def admin_client(english, people, log_in):
    log_in(english, "admin@example.nl")
    return english


def sent_with_attachment(make_sent, member):
    """Attachments are added while drafting; then the application is sent."""
    application = make_sent(status="draft")
    attachment = store_attachment(application, files.png(), "plan.png", by=member)
    builders.send(application)
    db.session.commit()
    return application, attachment


def screen(client, application, action, version=None, **data):
    prefix = action.replace("-", "_")
    form = {f"{prefix}-version": str(application.version if version is None else version)}
    form.update({f"{prefix}-{key}": value for key, value in data.items()})
    return client.post(f"/screening/{application.id}/{action}", data=form)


def state_of(application):
    db.session.refresh(application)
    return application.state, len(application.events)


def mail_text(mailbox, address):
    message = mailbox.last_to(address)
    return message["Subject"] + "\n" + mailbox.body(message)


# --- the list --------------------------------------------------------------------------------


def test_screening_list_shows_new_applications_and_filters_by_status(
    admin_client, make_sent, make_application, people
):
    new = make_sent(title="Gesprekken in de moskee")
    asked = make_sent(status="info_requested", title="Vrouwen aan het woord")
    draft = make_application(new.round, people["organisation"], title="Nog een concept")
    page = admin_client.get(f"/screening/rounds/{new.round_id}").text
    assert new.reference in page and "Gesprekken in de moskee" in page
    assert "Stichting Samen Sterk" in page
    assert asked.reference not in page and draft.title not in page
    page = admin_client.get(f"/screening/rounds/{new.round_id}?status=info_requested").text
    assert asked.reference in page and new.reference not in page
    # A status that is not a screening status shows the new ones.
    page = admin_client.get(f"/screening/rounds/{new.round_id}?status=draft").text
    assert new.reference in page and "Nog een concept" not in page
    # The rounds page links to it.
    assert f"/screening/rounds/{new.round_id}" in admin_client.get("/rounds/manage").text


def test_screening_page_shows_everything_and_the_actions(admin_client, make_sent, people):
    application, attachment = sent_with_attachment(make_sent, people["member"])
    page = admin_client.get(f"/screening/{application.id}").text
    assert "Gesprekken in de moskee" in page and "NL91ABNA0417164300" in page
    assert f"/applications/{application.id}/attachments/{attachment.id}" in page
    assert "Eligible: start the assessment" in page and "Ask for more information" in page
    default = (datetime.now(AMSTERDAM).date() + timedelta(days=14)).strftime("%d-%m-%Y")
    assert f'value="{default}"' in page
    assert f'name="eligible-version" type="hidden" value="{application.version}"' in page


# --- the actions -----------------------------------------------------------------------------


def test_eligible_moves_to_review_with_history_and_discreet_mail(
    admin_client, make_sent, people, mailbox
):
    application = make_sent()
    response = screen(admin_client, application, "eligible")
    assert response.status_code == 302
    page = admin_client.get(response.headers["Location"]).text
    assert f"The application {application.reference} is now being assessed." in page
    db.session.refresh(application)
    assert application.state == Status.IN_REVIEW
    event = application.events[-1]
    assert (event.actor_id, event.from_status, event.to_status) == (
        people["admin"].id,
        "submitted",
        "in_review",
    )
    text = mail_text(mailbox, "fatima@example.nl")
    assert "Gesprekken in de moskee" not in text and application.reference not in text
    assert f"/applications/{application.id}" in text


def test_not_admissible_needs_a_reason_and_the_applicant_learns_it_from_the_letter(
    admin_client, make_sent, people, mailbox
):
    application = make_sent()
    before = state_of(application)
    response = screen(admin_client, application, "not-admissible", reason="   ")
    assert response.status_code == 422
    assert "Give the reason why the application is not admissible." in response.text
    assert state_of(application) == before
    assert mailbox.messages == []

    response = screen(
        admin_client, application, "not-admissible", reason="Het project valt buiten de regeling."
    )
    assert response.status_code == 302
    db.session.refresh(application)
    assert application.state == Status.NOT_ADMISSIBLE
    event = application.events[-1]
    assert (event.actor_id, event.from_status, event.to_status, event.message) == (
        people["admin"].id,
        "submitted",
        "not_admissible",
        "Het project valt buiten de regeling.",
    )
    # No e-mail yet: the one discreet e-mail goes out with the letter (test_decision_letters).
    assert mailbox.to("fatima@example.nl") == []


def test_the_operation_refuses_an_empty_reason_too(app, make_sent, people):
    from fonds.screening.operations import mark_not_admissible

    application = make_sent()
    with pytest.raises(TransitionRefused, match="Schrijf waarom we de aanvraag niet behandelen"):
        mark_not_admissible(application, by=people["admin"], reason=" ")
    assert state_of(application) == (Status.SUBMITTED, 2)


def test_not_discreet_mail_names_the_project(admin_client, make_sent, people, mailbox):
    people["member"].discreet_mail = False  # the member's own choice
    db.session.commit()
    application = make_sent()
    screen(admin_client, application, "eligible")
    text = mail_text(mailbox, "fatima@example.nl")
    assert application.reference in text and "Gesprekken in de moskee" in text


def test_ask_for_more_information_with_steps_and_deadline(admin_client, make_sent, people, mailbox):
    application = make_sent()
    day = datetime.now(AMSTERDAM).date() + timedelta(days=20)
    response = screen(
        admin_client,
        application,
        "request-info",
        question="Hoeveel vrouwen doen mee?",
        steps=["reach", "planning"],
        deadline=day.strftime("%d-%m-%Y"),
    )
    assert response.status_code == 302
    db.session.refresh(application)
    assert application.state == Status.INFO_REQUESTED
    request = application.open_info_request
    assert request.steps == ["reach", "planning"]
    assert request.deadline == datetime(day.year, day.month, day.day, 23, 59, 59, tzinfo=AMSTERDAM)
    assert application.events[-1].message == "Hoeveel vrouwen doen mee?"
    assert application.events[-1].actor_id == people["admin"].id
    assert "Hoeveel" not in mail_text(mailbox, "fatima@example.nl")


def test_ask_for_more_information_needs_question_steps_and_a_future_date(
    admin_client, make_sent, mailbox
):
    application = make_sent()
    response = screen(admin_client, application, "request-info", deadline="1-1-2020")
    assert response.status_code == 422
    assert "Write the question for the applicant." in response.text
    assert "Choose at least one part the applicant may change." in response.text
    assert "Choose a date after today." in response.text
    assert state_of(application) == (Status.SUBMITTED, 2)
    assert mailbox.messages == []


def test_acting_in_the_wrong_status_is_refused(admin_client, make_sent, mailbox):
    application = make_sent(status="in_review")
    response = screen(admin_client, application, "eligible")
    assert response.status_code == 422
    assert (
        "This is not possible any more. The application now has the status ‘Being assessed’."
        in response.text
    )
    assert state_of(application) == (Status.IN_REVIEW, 3)
    assert mailbox.messages == []


def test_an_action_on_an_out_of_date_page_is_refused(admin_client, make_sent, people, mailbox):
    application = make_sent()
    shown = application.version
    # Someone else acts first.
    application.title = "Veranderd"
    db.session.commit()
    assert application.version != shown
    response = screen(
        admin_client, application, "not-admissible", version=shown, reason="Past niet. Zie 4.2."
    )
    # The page again as it is now, with the reason they typed still in its field.
    assert response.status_code == 409
    assert STALE in response.text
    assert "Past niet. Zie 4.2." in response.text
    assert "Veranderd" in response.text
    assert state_of(application) == (Status.SUBMITTED, 2)
    assert mailbox.messages == []


def test_a_conflict_at_commit_is_refused_with_the_same_message(
    admin_client, make_sent, monkeypatch
):
    """Two administrators at once: the other one's update lands between reading and writing, so
    SQLAlchemy's version check finds no row to update."""
    from sqlalchemy.orm.exc import StaleDataError

    from fonds.screening import operations

    application = make_sent()

    def conflicting(*args, **kwargs):
        raise StaleDataError("UPDATE statement on table 'application' expected to update 1 row")

    monkeypatch.setattr(operations, "mark_eligible", conflicting)
    response = screen(admin_client, application, "eligible")
    assert response.status_code == 409
    assert STALE in response.text
    assert state_of(application) == (Status.SUBMITTED, 2)


def test_drafts_are_not_screened(admin_client, make_application, make_round, people):
    draft = make_application(make_round(), people["organisation"])
    assert admin_client.get(f"/screening/{draft.id}").status_code == 404
    assert screen(admin_client, draft, "eligible").status_code == 404
    assert state_of(draft) == (Status.DRAFT, 1)


# --- the view log ----------------------------------------------------------------------------


def views_of(application):
    return db.session.execute(
        select(ApplicationView.user_id, ApplicationView.page)
        .where(ApplicationView.application_id == application.id)
        .order_by(ApplicationView.id)
    ).all()


def test_administrators_views_are_logged(admin_client, make_sent, people):
    application, attachment = sent_with_attachment(make_sent, people["member"])
    admin_client.get(f"/screening/{application.id}")
    admin_client.get(f"/applications/{application.id}")
    admin_client.get(f"/applications/{application.id}/check")
    admin_client.get(f"/applications/{application.id}/attachments/{attachment.id}")
    admin = people["admin"].id
    assert views_of(application) == [
        (admin, "screening"),
        (admin, "status"),
        (admin, "check"),
        (admin, f"attachment:{attachment.id}"),
    ]
    view = db.session.scalars(select(ApplicationView)).first()
    assert utcnow() - view.at < timedelta(minutes=1)


def test_members_views_are_not_logged(english, log_in, make_sent, people):
    application, attachment = sent_with_attachment(make_sent, people["member"])
    log_in(english, "fatima@example.nl")
    for path in ("", "/check", f"/attachments/{attachment.id}"):
        assert english.get(f"/applications/{application.id}{path}").status_code == 200
    assert views_of(application) == []


# --- flask workflow expire -------------------------------------------------------------------


def ask(application, admin, deadline):
    with current_app.test_request_context():
        request_information(
            application, by=admin, question="Hoeveel?", steps=["reach"], deadline=deadline
        )
    db.session.commit()


def test_expire_moves_requests_past_their_deadline(app, make_sent, people, mailbox):
    waiting = make_sent()
    late = make_sent()
    ask(waiting, people["admin"], utcnow() + timedelta(days=1))
    ask(late, people["admin"], utcnow() + timedelta(days=1))
    runner = app.test_cli_runner()

    result = runner.invoke(args=["workflow", "expire"])
    assert result.exit_code == 0, result.output
    assert "0 application(s)" in result.output
    assert state_of(late) == (Status.INFO_REQUESTED, 3)

    request = db.session.scalar(select(InfoRequest).where(InfoRequest.application_id == late.id))
    request.deadline = datetime(2026, 3, 1, 22, 59, 59, tzinfo=AMSTERDAM).astimezone(UTC)
    db.session.commit()
    mailbox.clear()
    result = runner.invoke(args=["workflow", "expire"])
    assert result.exit_code == 0, result.output
    assert "1 application(s)" in result.output
    assert state_of(late) == (Status.NOT_ADMISSIBLE, 4)
    assert state_of(waiting) == (Status.INFO_REQUESTED, 3)
    event = late.events[-1]
    assert event.actor_id is None and event.from_status == "info_requested"
    assert event.message == (
        "U heeft onze vraag niet op tijd beantwoord. De laatste dag was 1 maart 2026."
    )
    db.session.refresh(request)
    assert request.resolved_at is not None
    assert mailbox.to("fatima@example.nl") == []  # the letter tells them

    # Twice is harmless.
    result = runner.invoke(args=["workflow", "expire"])
    assert "0 application(s)" in result.output
    assert state_of(late) == (Status.NOT_ADMISSIBLE, 4)


def test_the_table_has_the_screening_transitions():
    assert TRANSITIONS["screen_eligible"].target == Status.IN_REVIEW
    assert TRANSITIONS["screen_not_admissible"].reason_required
    assert TRANSITIONS["expire_info"].actor == SYSTEM
    assert TRANSITIONS["expire_info"].sources == {Status.INFO_REQUESTED}
