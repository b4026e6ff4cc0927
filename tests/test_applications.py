"""The applicant portal: starting, the steps and drafts, checking and sending, status,
more information, withdrawing, and who may see what."""

import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from flask import current_app
from sqlalchemy import func, select

from fonds.applications.models import Application, ApplicationEvent, BudgetLine, Status
from fonds.demo.builders import ORGANISATION_DETAILS
from fonds.extensions import db
from fonds.roles import Role
from fonds.screening.operations import request_information


def step_url(application, step):
    return f"/applications/{application.id}/steps/{step}"


def test_dashboard_shows_open_rounds_and_the_organisations_applications(
    english, applicant, make_round, make_application
):
    round_ = make_round(name="Open ronde")
    make_round(name="Gesloten ronde", open_now=False)
    make_application(round_, applicant[1], title="Ons project")
    page = english.get("/applications/").text
    assert "Open ronde" in page and "Gesloten ronde" not in page
    assert "Ons project" in page and "Draft" in page


def test_start_creates_a_draft_and_opens_the_first_step(english, applicant, make_round):
    round_ = make_round()
    response = english.post(f"/applications/start?round_id={round_.id}")
    application = db.session.scalar(select(Application))
    assert response.headers["Location"] == step_url(application, "organisation")
    assert application.state == Status.DRAFT
    assert application.organisation_id == applicant[1].id
    assert [e.to_status for e in application.events] == ["draft"]


def test_start_in_a_closed_round_is_refused(english, applicant, make_round):
    round_ = make_round(open_now=False)
    response = english.post(f"/applications/start?round_id={round_.id}", follow_redirects=True)
    assert "This round is closed." in response.text
    assert db.session.scalar(select(func.count()).select_from(Application)) == 0


def test_member_of_two_organisations_chooses_one(english, applicant, make_round, make_organisation):
    user, first = applicant
    second = make_organisation("Vereniging Dialoog", members=[user])
    round_ = make_round()
    page = english.post(f"/applications/start?round_id={round_.id}").text
    assert "For which organisation?" in page and "Vereniging Dialoog" in page
    english.post(f"/applications/start?round_id={round_.id}", data={"organisation_id": second.id})
    assert db.session.scalar(select(Application)).organisation_id == second.id


def test_each_step_saves_and_moves_on(english, applicant, make_round, make_application):
    application = make_application(make_round(), applicant[1], complete=False)
    response = english.post(
        step_url(application, "project"),
        data={"title": "Dialoog", "summary": "Avonden", "next": "1"},
    )
    assert response.headers["Location"] == step_url(application, "approach")
    db.session.refresh(application)
    assert (application.title, application.summary) == ("Dialoog", "Avonden")
    # A draft can be saved incomplete.
    response = english.post(
        step_url(application, "reach"), data={"participants": "25", "save": "1"}
    )
    assert response.headers["Location"] == step_url(application, "reach")
    db.session.refresh(application)
    assert application.participants == 25 and application.sessions is None


def test_a_draft_continues_on_another_device(
    app, english, applicant, make_round, make_application, log_in
):
    application = make_application(make_round(), applicant[1], complete=False)
    english.post(step_url(application, "project"), data={"title": "Op de telefoon begonnen"})
    laptop = app.test_client()
    log_in(laptop, "fatima@example.nl")
    assert 'value="Op de telefoon begonnen"' in laptop.get(step_url(application, "project")).text


@pytest.mark.parametrize(
    ("step", "data", "field", "message"),
    [
        (
            "project",
            {"title": "x" * 201},
            "title",
            "‘Title of your project’ is too long. Use at most 200 characters. You now have 201.",
        ),
        (
            "approach",
            {"problem": "y" * 3001},
            "problem",
            "‘What do you want to change, and why?’ is too long. Use at most 3000 characters. "
            "You now have 3001.",
        ),
        (
            "approach",
            {"community_other": "Koerdisch"},
            "community_other",
            "Tick &#39;Other&#39; as well, or leave this field empty.",
        ),
        (
            "reach",
            {"participants": "veertig"},
            "participants",
            "Fill in a whole number with digits only, for example 40.",
        ),
        (
            "reach",
            {"participants": "0"},
            "participants",
            "Fill in a whole number from 1 to 100000.",
        ),
        ("planning", {"start_date": "31-02-2027"}, "start_date", "Fill in a date like 31-12-2027."),
        (
            "planning",
            {"start_date": "2027-05-01", "end_date": "2027-04-01"},
            "end_date",
            "The end date must be after the start date.",
        ),
        (
            "planning",
            {"start_date": "2027-01-01", "end_date": "2028-08-01"},
            "end_date",
            "Your project can last at most 18 months. Choose an earlier end date.",
        ),
        (
            "planning",
            {"amount_requested": "twaalfduizend"},
            "amount_requested",
            "Enter an amount in euros, for example 12,500.00.",
        ),
        (
            "planning",
            {"amount_requested": "500"},
            "amount_requested",
            "Ask for at least €2,500.00.",
        ),
        (
            "planning",
            {"amount_requested": "30.000"},
            "amount_requested",
            "Ask for at most €25,000.00.",
        ),
        (
            "planning",
            {
                "amount_requested": "5000",
                "lines-0-category": "venue",
                "lines-0-description": "Zaal",
                "lines-0-amount": "4000",
            },
            "amount_requested",
            "You ask for more than your budget: €4,000.00. Ask for less, or add the missing "
            "costs to the budget.",
        ),
        (
            "planning",
            {"lines-0-description": "Zaal", "lines-0-amount": "400"},
            "lines-0-category",
            "Choose a category for this cost.",
        ),
        (
            "planning",
            {"lines-0-category": "venue", "lines-0-amount": "400"},
            "lines-0-description",
            "Describe this cost.",
        ),
        (
            "planning",
            {"lines-0-category": "venue", "lines-0-description": "Zaal", "lines-0-amount": "-5"},
            "lines-0-amount",
            "Enter the amount without a minus sign.",
        ),
        (
            "organisation",
            {"iban": "NL91ABNA0417164301"},
            "iban",
            "This IBAN is not right. Check the number on your bank card or bank statement, for "
            "example NL91 ABNA 0417 1643 00.",
        ),
        (
            "organisation",
            {"postcode": "123 AB"},
            "postcode",
            "Fill in a Dutch postcode: four digits and two letters, for example 1234 AB.",
        ),
        (
            "organisation",
            {"kvk_number": "1234567"},
            "kvk_number",
            "A KvK number has 8 digits. You can find it on your extract from the Chamber of "
            "Commerce (KvK).",
        ),
        (
            "organisation",
            {"contact_email": "fatima"},
            "contact_email",
            "Enter an e-mail address like name@example.nl.",
        ),
        (
            "organisation",
            {"contact_phone": "12"},
            "contact_phone",
            "Fill in a phone number with 10 digits, for example 06 12345678 or +31 6 12345678.",
        ),
    ],
)
def test_step_errors_are_specific_keep_every_value_and_are_kept_as_draft(
    app, english, applicant, make_round, make_application, log_in, step, data, field, message
):
    application = make_application(make_round(), applicant[1], complete=False)
    response = english.post(step_url(application, step), data={**data, "save": "1"})
    assert response.status_code == 422
    page = response.text
    assert f'href="#{field}">{message}</a>' in page  # in the summary, linked to the field
    assert f'id="{field}-error"' in page  # and beside the field
    for value in data.values():
        assert f'value="{value}"' in page or f"{value}</textarea>" in page
    # Nothing typed is lost: another device sees the same values and the same error.
    other = app.test_client()
    other.get("/language/en")
    log_in(other, "fatima@example.nl")
    again = other.get(step_url(application, step)).text
    assert f'href="#{field}">{message}</a>' in again
    for value in data.values():
        assert f'value="{value}"' in again or f"{value}</textarea>" in again


def test_fixing_the_error_saves_and_clears_the_kept_values(
    english, applicant, make_round, make_application
):
    application = make_application(make_round(), applicant[1], complete=False)
    english.post(step_url(application, "reach"), data={"participants": "veertig"})
    db.session.refresh(application)
    assert application.pending_input.get("reach")
    english.post(step_url(application, "reach"), data={"participants": "40"})
    db.session.refresh(application)
    assert application.participants == 40 and "reach" not in application.pending_input


def test_organisation_step_saves_normalised_details_for_all_applications(
    english, applicant, make_round, make_application
):
    application = make_application(make_round(), applicant[1], complete=False)
    data = {
        **ORGANISATION_DETAILS,
        "postcode": "1234ab",
        "iban": "nl91 abna 0417 1643 00",
        "kvk_number": "1234.5678",
    }
    response = english.post(step_url(application, "organisation"), data=data)
    assert response.status_code == 302
    organisation = application.organisation
    db.session.refresh(organisation)
    assert organisation.postcode == "1234 AB"
    assert organisation.iban == "NL91ABNA0417164300"
    assert organisation.kvk_number == "12345678"


def test_budget_lines_are_added_and_removed_without_javascript(
    english, applicant, make_round, make_application
):
    application = make_application(make_round(), applicant[1], complete=False)
    data = {
        "lines-0-category": "venue",
        "lines-0-description": "Zaal",
        "lines-0-amount": "1.250,50",
        "add_line": "1",
    }
    page = english.post(step_url(application, "planning"), data=data).text
    assert 'id="lines-1-category"' in page  # a new empty line
    assert "€1,250.50" in page  # the total
    data = {
        **data,
        "lines-1-category": "travel",
        "lines-1-description": "Reizen",
        "lines-1-amount": "200",
    }
    del data["add_line"]
    english.post(step_url(application, "planning"), data=data)
    db.session.refresh(application)
    assert [(b.category, b.amount) for b in application.budget_lines] == [
        ("venue", Decimal("1250.50")),
        ("travel", Decimal("200.00")),
    ]
    assert application.budget_total == Decimal("1450.50")

    page = english.post(step_url(application, "planning"), data={**data, "remove_line": "0"}).text
    db.session.refresh(application)
    assert [b.description for b in application.budget_lines] == ["Reizen"]
    assert 'value="Reizen"' in page and 'value="Zaal"' not in page


def test_check_page_lists_what_is_missing_with_links(
    english, applicant, make_round, make_application
):
    application = make_application(make_round(), applicant[1], complete=False)
    page = english.get(f"/applications/{application.id}/check").text
    assert (
        f'href="{step_url(application, "project")}#title">Fill in the title of your project.'
        in page
    )
    assert (
        f'href="{step_url(application, "planning")}#lines-0-category">Add at least one cost' in page
    )
    assert "Fill in the IBAN." in page


def submit(client, application, **data):
    return client.post(
        f"/applications/{application.id}/submit",
        data={"declared_truthful": "y", "declared_privacy": "y", **data},
    )


def test_submitting_gives_a_reference_confirmation_and_receipt(
    english, applicant, make_round, make_application, mailbox
):
    application = make_application(make_round(), applicant[1])
    response = submit(english, application)
    assert response.headers["Location"] == f"/applications/{application.id}/sent"
    db.session.refresh(application)
    year = datetime.now(UTC).year
    assert application.reference == f"FON-{year}-0001"
    assert application.state == Status.SUBMITTED
    assert application.organisation_snapshot["iban"] == "NL91ABNA0417164300"
    page = english.get(f"/applications/{application.id}/sent").text
    assert f"FON-{year}-0001" in page

    # Discreet by default: the receipt names neither the topic nor the project.
    message = mailbox.last_to("fatima@example.nl")
    text = message["Subject"] + mailbox.body(message)
    assert "Gesprekken in de moskee" not in text and "FON-" not in text
    assert f"/applications/{application.id}" in mailbox.body(message)

    # The history shows the step, and the application can no longer change.
    assert [e.to_status for e in application.events] == ["draft", "submitted"]
    response = english.post(step_url(application, "project"), data={"title": "Later"})
    assert response.status_code == 302
    db.session.refresh(application)
    assert application.title == "Gesprekken in de moskee"


def test_receipt_names_the_project_when_not_discreet(
    english, applicant, make_round, make_application, mailbox
):
    user, organisation = applicant
    user.discreet_mail = False  # the person's own choice (test_discreet.py)
    db.session.commit()
    application = make_application(make_round(), organisation)
    submit(english, application)
    db.session.refresh(application)
    message = mailbox.last_to("fatima@example.nl")
    assert application.reference in message["Subject"]
    assert "Gesprekken in de moskee" in mailbox.body(message)


def test_references_count_up(english, applicant, make_round, make_application):
    round_ = make_round()
    first = make_application(round_, applicant[1])
    second = make_application(round_, applicant[1])
    submit(english, first)
    submit(english, second)
    db.session.refresh(first)
    db.session.refresh(second)
    assert [first.reference[-4:], second.reference[-4:]] == ["0001", "0002"]


def test_incomplete_application_is_not_sent(
    english, applicant, make_round, make_application, mailbox
):
    application = make_application(make_round(), applicant[1], title="")
    response = submit(english, application)
    assert response.status_code == 422
    assert "Your application is not complete yet. Fill in what is missing." in response.text
    assert "Fill in the title of your project." in response.text
    db.session.refresh(application)
    assert application.state == Status.DRAFT and application.reference is None
    assert mailbox.messages == []


def test_declarations_are_required(english, applicant, make_round, make_application):
    application = make_application(make_round(), applicant[1])
    response = submit(english, application, declared_truthful="", declared_privacy="")
    assert response.status_code == 422
    assert "Tick the box to declare that everything is true." in response.text
    assert "Tick the box to confirm you read the privacy statement." in response.text
    db.session.refresh(application)
    assert application.state == Status.DRAFT


PORTAL_ONLY = "I want to receive messages and decisions of the fund through the portal."


def test_an_awb_round_asks_whether_decisions_may_come_through_the_portal(
    english, applicant, admin, make_round, make_application
):
    """Art. 2:14 Awb: decisions only reach the applicant electronically when she agreed to it.
    The check page asks, with a clear yes or no, and sending again asks once more."""
    round_ = make_round(legal_mode="awb")
    application = make_application(round_, applicant[1])
    page = english.get(f"/applications/{application.id}/check").text
    assert PORTAL_ONLY in page
    assert 'name="electronic_delivery" value="yes"' in page
    assert 'name="electronic_delivery" value="no"' in page
    assert re.search(r'name="electronic_delivery" value="\w+"[^>]*checked', page) is None
    # No answer: refused next to the question, nothing sent.
    response = submit(english, application)
    assert response.status_code == 422
    message = "Choose whether you want to receive our decisions through the portal only."
    assert f'<a class="utrecht-link" href="#electronic_delivery">{message}</a>' in response.text
    db.session.refresh(application)
    assert application.state == Status.DRAFT
    assert submit(english, application, electronic_delivery="no").status_code == 302
    db.session.refresh(application)
    assert application.electronic_delivery_consent is False
    # Sending again after a question asks again, with the earlier answer chosen.
    with current_app.test_request_context():
        request_information(
            application,
            by=admin,
            question="Hoeveel vrouwen doen mee?",
            steps=["reach"],
            deadline=datetime.now(UTC) + timedelta(days=14),
        )
    db.session.commit()
    page = english.get(f"/applications/{application.id}/check").text
    assert re.search(r'name="electronic_delivery" value="no"[^>]*checked', page)
    assert submit(english, application, electronic_delivery="yes").status_code == 302
    db.session.refresh(application)
    assert application.state == Status.SUBMITTED
    assert application.electronic_delivery_consent is True


def test_a_dutch_applicant_reads_the_question_in_dutch(
    client, applicant, make_round, make_application
):
    application = make_application(make_round(legal_mode="awb"), applicant[1])
    client.get("/language/nl")
    page = client.get(f"/applications/{application.id}/check").text
    assert "Ik wil berichten en besluiten van het fonds via het portaal ontvangen." in page
    assert "Nee. Stuur besluiten ook per post." in page


def test_a_private_round_does_not_ask_about_the_portal(
    english, applicant, make_round, make_application
):
    application = make_application(make_round(legal_mode="private"), applicant[1])
    assert PORTAL_ONLY not in english.get(f"/applications/{application.id}/check").text
    assert submit(english, application).status_code == 302
    db.session.refresh(application)
    assert application.electronic_delivery_consent is None


def test_a_closed_round_refuses_submission_but_keeps_the_draft(
    english, applicant, make_round, make_application
):
    round_ = make_round()
    application = make_application(round_, applicant[1])
    round_.closes_at = datetime.now(UTC) - timedelta(minutes=1)
    db.session.commit()
    response = submit(english, application)
    assert response.status_code == 422
    assert "The round is closed." in response.text
    db.session.refresh(application)
    assert application.state == Status.DRAFT
    # The draft outlives the round: still there, still readable.
    assert english.get(step_url(application, "project")).status_code == 200


def test_a_second_send_lands_on_the_sent_page_and_sends_nothing(
    english, applicant, make_round, make_application, mailbox
):
    application = make_application(make_round(), applicant[1])
    submit(english, application)
    mailbox.clear()
    response = submit(english, application)
    assert response.status_code == 302
    assert response.headers["Location"] == f"/applications/{application.id}/sent"
    db.session.refresh(application)
    assert application.reference.endswith("0001")
    assert len(application.events) == 2
    assert mailbox.messages == []


def test_status_page_explains_and_shows_history(english, applicant, make_round, make_application):
    application = make_application(make_round(), applicant[1])
    submit(english, application)
    page = english.get(f"/applications/{application.id}").text
    assert 'Status: <span class="status-label">Sent</span>' in page
    assert "We first check if it meets the conditions." in page
    assert page.count('<td class="utrecht-table__cell">Sent</td>') == 1


@pytest.fixture
def admin(make_user):
    return make_user("admin@example.nl", roles=[Role.ADMIN])


def test_more_information_only_the_asked_steps_change_then_resubmit(
    english, applicant, admin, make_round, make_application, mailbox
):
    application = make_application(make_round(), applicant[1])
    submit(english, application)
    db.session.refresh(application)
    deadline = datetime.now(UTC) + timedelta(days=14)
    with current_app.test_request_context():  # the test's own context, for url_for
        request_information(
            application,
            by=admin,
            question="Hoeveel vrouwen doen mee?",
            steps=["reach"],
            deadline=deadline,
        )
    db.session.commit()
    assert "/applications/" in mailbox.body(mailbox.last_to("fatima@example.nl"))

    page = english.get(f"/applications/{application.id}").text
    assert "Hoeveel vrouwen doen mee?" in page and "More information requested" in page
    # The asked step changes; another does not.
    assert (
        english.post(
            step_url(application, "reach"),
            data={"participants": "55", "sessions": "10", "safety": "Afspraken"},
        ).status_code
        == 302
    )
    response = english.post(
        step_url(application, "project"), data={"title": "Anders"}, follow_redirects=True
    )
    assert "Our question is about other steps. You may change only these now:" in response.text
    db.session.refresh(application)
    assert application.participants == 55 and application.title == "Gesprekken in de moskee"

    assert submit(english, application).status_code == 302
    db.session.refresh(application)
    assert application.state == Status.SUBMITTED
    assert application.info_requests[0].resolved_at is not None
    assert [e.to_status for e in application.events] == [
        "draft",
        "submitted",
        "info_requested",
        "submitted",
    ]


def test_withdraw_after_confirmation(english, applicant, make_round, make_application):
    application = make_application(make_round(), applicant[1])
    submit(english, application)
    page = english.get(f"/applications/{application.id}/withdraw").text
    assert "Are you sure you want to withdraw" in page
    db.session.refresh(application)
    assert application.state == Status.SUBMITTED  # asking is not doing
    response = english.post(f"/applications/{application.id}/withdraw", follow_redirects=True)
    assert "Your application is withdrawn." in response.text
    db.session.refresh(application)
    assert application.state == Status.WITHDRAWN
    response = english.post(f"/applications/{application.id}/withdraw", follow_redirects=True)
    assert "You can no longer withdraw this application" in response.text


def test_other_organisations_get_not_found(
    app, english, applicant, make_round, make_application, make_user, make_organisation, log_in
):
    application = make_application(make_round(), applicant[1])
    stranger = make_user("other@example.nl")
    make_organisation("Andere stichting", members=[stranger])
    other = app.test_client()
    log_in(other, "other@example.nl")
    for path in (
        f"/applications/{application.id}",
        step_url(application, "project"),
        f"/applications/{application.id}/check",
        f"/applications/{application.id}/withdraw",
    ):
        assert other.get(path).status_code == 404, path
    assert other.post(step_url(application, "project"), data={"title": "X"}).status_code == 404
    assert other.post(f"/applications/{application.id}/submit").status_code == 404
    assert "Gesprekken" not in other.get("/applications/").text
    db.session.refresh(application)
    assert application.title == "Gesprekken in de moskee"


def test_colleagues_see_and_edit_the_draft(
    app, applicant, make_round, make_application, make_user, log_in
):
    user, organisation = applicant
    colleague = make_user("priya@example.nl")
    db.session.add(
        __import__("fonds.organisations.models", fromlist=["Membership"]).Membership(
            user=colleague, organisation=organisation
        )
    )
    db.session.commit()
    application = make_application(make_round(), organisation, complete=False)
    client = app.test_client()
    log_in(client, "priya@example.nl")
    assert client.post(step_url(application, "project"), data={"title": "Samen"}).status_code == 302
    db.session.refresh(application)
    assert application.title == "Samen"


def test_budget_line_rows_hold_money_as_decimal(app, applicant, make_round, make_application):
    make_application(make_round(), applicant[1])
    amounts = db.session.scalars(select(BudgetLine.amount)).all()
    assert all(isinstance(a, Decimal) for a in amounts)
    assert db.session.scalar(select(func.count()).select_from(ApplicationEvent)) == 1


def csrf_token(page: str) -> str:
    import re

    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


def test_typed_text_survives_an_expired_session(
    app_factory, app, make_user, make_organisation, make_round, make_application
):
    """CSRF on, as in production. The session ends while someone types a long text."""
    secure = app_factory(WTF_CSRF_ENABLED=True)
    client = secure.test_client()
    user = make_user("fatima@example.nl")
    application = make_application(make_round(), make_organisation(members=[user]), complete=False)
    client.get("/language/en")
    client.post(
        "/account/login",
        data={
            "email": "fatima@example.nl",
            "password": "correct horse battery staple",
            "csrf_token": csrf_token(client.get("/account/login").text),
        },
    )
    step_page = client.get(step_url(application, "approach")).text
    token = csrf_token(step_page)
    rescue_token = re.search(r'name="rescue_token" value="([^"]+)"', step_page).group(1)

    client.delete_cookie("session")  # the session ends (timeout, browser closed, ...)
    typed = "Een lange tekst over het probleem, een uur lang getypt."
    response = client.post(
        step_url(application, "approach"),
        data={"problem": typed, "csrf_token": token, "rescue_token": rescue_token, "save": "1"},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == (
        f"/account/login?next=/applications/{application.id}/steps/approach"
    )
    db.session.refresh(application)
    assert application.problem == ""  # nothing saved without the person

    login_page = client.get(response.headers["Location"]).text
    # The language choice ended with the session, so this is Dutch again.
    assert "Log opnieuw in: we hebben bewaard wat u typte." in login_page
    response = client.post(
        response.headers["Location"],
        data={
            "email": "fatima@example.nl",
            "password": "correct horse battery staple",
            "csrf_token": csrf_token(login_page),
        },
    )
    page = client.get(response.headers["Location"]).text
    assert f"{typed}</textarea>" in page
    assert "We kept what you typed before your session ended." in page  # her language again
    # Saving it is the person's own step.
    client.post(
        step_url(application, "approach"), data={"problem": typed, "csrf_token": csrf_token(page)}
    )
    db.session.refresh(application)
    assert application.problem == typed


def test_kept_text_is_only_given_back_to_someone_who_may_edit(
    app, client, make_user, make_organisation, make_round, make_application, log_in
):
    owner = make_user("fatima@example.nl")
    application = make_application(make_round(), make_organisation(members=[owner]), complete=False)
    make_user("other@example.nl")
    response = client.post(step_url(application, "project"), data={"title": "Van een ander"})
    assert response.headers["Location"].startswith("/account/login?next=")
    log_in(client, "other@example.nl")
    assert client.get(step_url(application, "project")).status_code == 404
    db.session.refresh(application)
    assert application.title == "" and not application.pending_input


def test_a_visitor_starts_from_the_round_page_after_logging_in(
    client, make_user, make_organisation, make_round
):
    user = make_user("fatima@example.nl")
    make_organisation("Stichting Samen Sterk", members=[user])
    round_ = make_round()
    client.get("/language/en")
    response = client.post(f"/applications/start?round_id={round_.id}")
    assert response.headers["Location"] == (
        f"/account/login?next=%2Fapplications%2Fstart%3Fround_id%3D{round_.id}"
    )
    response = client.post(
        response.headers["Location"],
        data={"email": "fatima@example.nl", "password": "correct horse battery staple"},
    )
    page = client.get(response.headers["Location"]).text
    assert "For: Stichting Samen Sterk." in page
    response = client.post(
        f"/applications/start?round_id={round_.id}",
        data={"organisation_id": user.organisations[0].id},
    )
    application = db.session.scalar(select(Application))
    assert response.headers["Location"] == step_url(application, "organisation")


def test_the_fund_sees_who_acted_the_applicant_does_not(
    app, english, applicant, admin, make_round, make_application, log_in
):
    application = make_application(make_round(), applicant[1])
    submit(english, application)
    db.session.refresh(application)
    with current_app.test_request_context():
        request_information(
            application,
            by=admin,
            question="Hoeveel?",
            steps=["reach"],
            deadline=datetime.now(UTC) + timedelta(days=14),
        )
    db.session.commit()
    status_page = english.get(f"/applications/{application.id}").text
    assert "Hoeveel?" in status_page
    assert ">Who</th>" not in status_page and admin.name not in status_page

    fund = app.test_client()
    fund.get("/language/en")
    log_in(fund, "admin@example.nl")
    screening_page = fund.get(f"/screening/{application.id}").text
    assert ">Who</th>" in screening_page
    assert f'<td class="utrecht-table__cell">{admin.name}</td>' in screening_page


def test_a_draft_is_deleted_with_its_files_after_a_confirmation(
    english, applicant, make_round, make_application
):
    from fonds.applications.attachments import store_attachment, stored_path
    from tests import files

    application = make_application(make_round(), applicant[1])
    attachment = store_attachment(application, files.png(), "plan.png", by=applicant[0])
    db.session.commit()
    path, application_id = stored_path(attachment), application.id
    assert path.exists()
    page = english.get(f"/applications/{application.id}").text
    assert "Delete this draft" in page and "Withdraw this application" not in page
    question = english.get(f"/applications/{application.id}/delete").text
    assert "Everything you filled in and every attachment is deleted." in question
    assert db.session.get(Application, application.id) is not None  # asking is not doing
    response = english.post(f"/applications/{application.id}/delete", follow_redirects=True)
    assert "The draft Gesprekken in de moskee is deleted." in response.text
    db.session.expire_all()
    assert db.session.get(Application, application_id) is None
    assert db.session.scalar(select(func.count(BudgetLine.id))) == 0
    assert not path.exists()


def test_a_sent_application_cannot_be_deleted(english, applicant, make_round, make_application):

    application = make_application(
        make_round(),
        applicant[1],
        status="submitted",
    )
    page = english.get(f"/applications/{application.id}").text
    assert "Delete this draft" not in page and "Withdraw this application" in page
    response = english.post(f"/applications/{application.id}/delete", follow_redirects=True)
    assert "Only a draft that was never sent can be deleted." in response.text
    assert db.session.get(Application, application.id).state == Status.SUBMITTED


def test_number_examples_follow_the_language(english, applicant, make_round, make_application):
    application = make_application(make_round(), applicant[1])
    page = english.get(step_url(application, "planning")).text
    assert "for example 12,500.00" in page and "12.500,00" not in page
    english.get("/language/nl")
    assert "bijvoorbeeld 12.500,00" in english.get(step_url(application, "planning")).text


def test_the_summary_says_things_in_words(english, applicant, make_round, make_application):
    """No raw setting ("E-mail: discreet"), and the other money's amount and source apart."""
    application = make_application(make_round(), applicant[1], other_funding="Gemeente Rotterdam")
    page = english.get(f"/applications/{application.id}/check").text
    assert "<dt>How we e-mail you</dt>\n  <dd>Discreetly: our e-mails only say" in page
    assert ">discreet<" not in page
    assert "<dt>Money from others</dt><dd>€1,000.00</dd>" in page
    assert "<dt>Where the other money comes from</dt><dd>Gemeente Rotterdam</dd>" in page
