"""Safe to read over a shoulder: discreet e-mail (a neutral sender and subject, no signature),
chosen by each person for themselves, an invitation that names nobody, the e-mails' wording, a
neutral page after logging out, and texts that say who reads what (issue 11)."""

import re
from datetime import UTC, datetime

import pytest
from flask_migrate import upgrade
from sqlalchemy import create_engine, text

from fonds import create_app
from fonds.auth.models import User
from fonds.columns import utcnow
from fonds.extensions import db
from fonds.mail.operations import queue_mail, send_ready_mail
from fonds.roles import Role

TITLE = "Gesprekken in de moskee"


def checked_choice(page: str, name: str) -> str | None:
    """The value of the radio button of this name that is checked on the page."""
    for tag in re.findall(rf'<input[^>]*name="{name}"[^>]*>', page):
        if re.search(r"\bchecked\b", tag):
            return re.search(r'value="([^"]*)"', tag).group(1)
    return None


def visible_text(html: str) -> str:
    """The words a person sees on the page (and in the tab), lower case."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).lower()


@pytest.fixture
def members(make_user, make_organisation):
    """Two members of one organisation; neither has chosen anything yet."""
    fatima = make_user("fatima@example.nl", name="Fatima Bakkali")
    priya = make_user("priya@example.nl", name="Priya Ramdin")
    organisation = make_organisation("Stichting Samen Sterk", members=[fatima, priya])
    return fatima, priya, organisation


def submit(client, application):
    return client.post(
        f"/applications/{application.id}/submit",
        data={"declared_truthful": "y", "declared_privacy": "y"},
    )


# --- logging out -------------------------------------------------------------------------


def test_logging_out_lands_on_a_neutral_page(client, make_user, log_in):
    make_user("fatima@example.nl")
    log_in(client, "fatima@example.nl")
    response = client.post("/account/logout")
    assert response.status_code == 302
    assert response.headers["Location"] == "/account/logged-out"  # not the home page

    page = client.get("/account/logged-out").text
    assert '<h1 class="utrecht-heading-1">U bent uitgelogd.</h1>' in page
    assert 'href="/account/login"' in page
    words = visible_text(page)
    for theme in ("lhbtiq", "lgbt", "vrouwen", "meisjes", "gemeenschap", "zelfbeschikking"):
        assert theme not in words
    # Nothing else: not the fund's name, its menu, its footer or the way to register.
    for other in ("fonds op naam", "account aanmaken", "privacyverklaring", "vragen?"):
        assert other not in words
    assert client.get("/account/").status_code == 302  # really logged out


# --- discreet e-mail -----------------------------------------------------------------------


def test_a_discreet_e_mail_has_a_neutral_sender_and_subject_and_no_signature(
    client, members, make_round, make_application, log_in, mailbox
):
    fatima, _priya, organisation = members
    log_in(client, "fatima@example.nl")
    application = make_application(make_round(), organisation, title=TITLE)
    submit(client, application)

    message = mailbox.last_to("fatima@example.nl")
    assert message["From"] == "Portaal <noreply@fondsopnaam.example>"
    assert message["Subject"] == "Nieuw bericht in uw portaal"
    body = mailbox.body(message)
    assert "Er staat een nieuw bericht voor u klaar in het portaal." in body
    assert f"/applications/{application.id}" in body
    assert "Fonds op Naam" not in body  # no signature
    assert "fondsopnaam" not in message["Message-ID"].split("@")[0]


def test_with_a_neutral_address_nothing_in_a_discreet_e_mail_names_the_fund(
    app, client, members, make_round, make_application, log_in, mailbox
):
    app.config.update(
        MAIL_DEFAULT_SENDER="Fonds op Naam <berichten@mijnportaal.example>",
        MAIL_DISCREET_SENDER_NAME="Berichten",
        MAIL_DISCREET_SUBJECT="U heeft een bericht",
    )
    log_in(client, "fatima@example.nl")
    application = make_application(make_round(), members[2], title=TITLE)
    submit(client, application)

    message = mailbox.last_to("fatima@example.nl")
    assert message["From"] == "Berichten <berichten@mijnportaal.example>"
    assert message["Subject"] == "U heeft een bericht"
    raw = message.as_string().lower()  # every header and the body
    for word in ("fonds", "op naam", "moskee", "samen sterk", application.reference.lower()):
        assert word not in raw


def test_each_person_chooses_how_we_e_mail_them(
    app, members, make_round, make_application, log_in, mailbox
):
    fatima, priya, organisation = members
    # Priya's own account page: discreet unless she chooses otherwise.
    priya_client = app.test_client()
    log_in(priya_client, "priya@example.nl")
    page = priya_client.get("/account/").text
    assert "Hoe mogen we u e-mailen?" in page
    assert checked_choice(page, "discreet_mail") == "discreet"
    response = priya_client.post("/account/e-mail", data={"discreet_mail": "ordinary"})
    assert response.status_code == 302 and response.headers["Location"] == "/account/"
    page = priya_client.get("/account/").text
    assert "Opgeslagen. In onze e-mails aan u kan nu de titel van uw aanvraag staan." in page
    assert checked_choice(page, "discreet_mail") == "ordinary"
    assert User.by_email("priya@example.nl").discreet_mail is False

    # Fatima sends an application: her own e-mail stays discreet, Priya's is ordinary.
    fatima_client = app.test_client()
    log_in(fatima_client, "fatima@example.nl")
    application = make_application(make_round(), organisation, title=TITLE)
    submit(fatima_client, application)
    to_fatima = mailbox.last_to("fatima@example.nl")
    assert to_fatima["Subject"] == "Nieuw bericht in uw portaal"
    assert TITLE not in mailbox.body(to_fatima)
    to_priya = mailbox.last_to("priya@example.nl")
    assert to_priya["From"] == "Fonds op Naam <noreply@fondsopnaam.example>"
    assert application.reference in to_priya["Subject"]
    assert TITLE in mailbox.body(to_priya)
    assert mailbox.body(to_priya).rstrip().endswith("Fonds op Naam")

    # And back to discreet.
    priya_client.post("/account/e-mail", data={"discreet_mail": "discreet"})
    assert User.by_email("priya@example.nl").discreet_mail is True


def test_a_choice_that_is_not_offered_is_refused_and_changes_nothing(app, members, log_in, mailbox):
    client = app.test_client()
    log_in(client, "priya@example.nl")
    response = client.post("/account/e-mail", data={"discreet_mail": "loud"})
    assert response.status_code == 422
    assert "Kies hoe we u mogen e-mailen." in response.text
    assert User.by_email("priya@example.nl").discreet_mail is True


def test_the_organisation_step_no_longer_chooses_for_everyone(
    client, members, make_round, make_application, log_in
):
    fatima, _priya, organisation = members
    log_in(client, "fatima@example.nl")
    application = make_application(make_round(), organisation)
    page = client.get(f"/applications/{application.id}/steps/organisation").text
    assert 'name="discreet_contact"' not in page
    assert "Ieder lid van uw organisatie kiest zelf hoe we e-mails sturen" in page
    assert 'href="/account/#e-mail"' in page
    # The summary says how we e-mail the person reading it, and where to change that.
    page = client.get(f"/applications/{application.id}/check").text
    assert "<dt>Hoe we u e-mailen</dt>" in page
    assert "Discreet: in onze e-mails staat alleen dat er een bericht voor u klaarstaat" in page


def test_the_organisation_pages_do_not_name_it_in_the_tab(client, members, log_in):
    log_in(client, "fatima@example.nl")
    organisation = members[2]
    for path in (f"/organisations/{organisation.id}", f"/organisations/{organisation.id}/details"):
        page = client.get(path).text
        title = re.search(r"<title>(.*?)</title>", page, re.S).group(1)
        assert "Samen Sterk" not in title, path
        assert "Samen Sterk" in page  # the page itself names it


# --- the invitation ------------------------------------------------------------------------


def test_a_discreet_invitation_names_neither_the_inviter_nor_the_fund(
    client, members, log_in, mailbox
):
    fatima, _priya, organisation = members
    log_in(client, "fatima@example.nl")
    client.post(f"/organisations/{organisation.id}/invite", data={"email": "hodan@example.nl"})
    message = mailbox.last_to("hodan@example.nl")
    assert message["From"] == "Portaal <noreply@fondsopnaam.example>"
    body = mailbox.body(message)
    assert "/account/invitation/" in body
    for named in ("Fatima", "Bakkali", "Fonds op Naam", "Samen Sterk"):
        assert named not in body + message["Subject"]


def test_an_ordinary_invitation_names_the_inviter_and_the_organisation(
    client, members, make_user, log_in, mailbox
):
    fatima, _priya, organisation = members
    hodan = make_user("hodan@example.nl", name="Hodan Ali")
    hodan.discreet_mail = False
    db.session.commit()
    log_in(client, "fatima@example.nl")
    client.post(f"/organisations/{organisation.id}/invite", data={"email": "hodan@example.nl"})
    body = mailbox.body(mailbox.last_to("hodan@example.nl"))
    assert (
        "Fatima Bakkali nodigt u uit om mee te werken aan de aanvragen van Stichting Samen Sterk."
        in body
    )


def test_a_discreet_staff_invitation_names_no_one(app, make_user, log_in, mailbox):
    make_user("anna@example.nl", name="Anna Beheer", roles=[Role.ADMIN])
    client = app.test_client()
    log_in(client, "anna@example.nl")
    client.post("/people/invite", data={"email": "sevda@example.nl", "role": "reviewer"})
    body = mailbox.body(mailbox.last_to("sevda@example.nl"))
    assert "U bent uitgenodigd om als beoordelaar mee te werken in het portaal." in body
    assert "Anna" not in body and "Fonds op Naam" not in body


# --- the e-mails' wording --------------------------------------------------------------------


def send(app, to: str, template: str, **context):
    """Queue one e-mail as the code does and send it through the real SMTP server."""
    discreet = User.by_email(to).discreet_mail
    with app.test_request_context():
        queue_mail(to, template, "nl", discreet=discreet, link="http://localhost/x", **context)
        db.session.commit()
        send_ready_mail()


@pytest.fixture
def reviewer(make_user):
    return make_user("sevda@example.nl", name="Sevda", roles=[Role.REVIEWER])


@pytest.mark.parametrize(
    ("count", "wanted"),
    [
        (1, ["Uw beoordeling moet uiterlijk op 31 december 2027 klaar zijn.",
             "Log in om de aanvraag te lezen:"]),
        (3, ["Uw beoordelingen moeten uiterlijk op 31 december 2027 klaar zijn.",
             "Log in om de aanvragen te lezen:"]),
    ],
)  # fmt: skip
def test_a_review_request_says_the_last_day_in_the_right_number(
    app, reviewer, mailbox, count, wanted
):
    due = datetime(2027, 12, 31, 22, 59, 59, tzinfo=UTC)  # the end of 31 December in Amsterdam
    send(app, "sevda@example.nl", "review_assigned", count=count, due_at=due)
    body = mailbox.body(mailbox.last_to("sevda@example.nl"))
    for sentence in wanted:
        assert sentence in body
    assert "vóór" not in body


@pytest.mark.parametrize(
    ("count", "overdue", "wanted"),
    [
        (1, 0, ["Binnen drie dagen moet 1 beoordeling klaar zijn."]),
        (3, 1, ["Binnen drie dagen moeten 2 beoordelingen klaar zijn.",
                "1 beoordeling is te laat: de uiterste datum is voorbij."]),
        (2, 2, ["2 beoordelingen zijn te laat: de uiterste datum is voorbij."]),
    ],
)  # fmt: skip
def test_a_reminder_counts_in_words_that_fit_the_number(
    app, reviewer, mailbox, count, overdue, wanted
):
    send(app, "sevda@example.nl", "review_reminder", count=count, overdue=overdue)
    body = mailbox.body(mailbox.last_to("sevda@example.nl"))
    for sentence in wanted:
        assert sentence in body
    assert "Aantal" not in body
    if count == overdue:
        assert "Binnen drie dagen" not in body


def test_ordinary_applicant_e_mails_say_the_last_day_and_never_haar(
    app, members, make_round, make_application, mailbox
):
    fatima = members[0]
    fatima.discreet_mail = False
    db.session.commit()
    application = make_application(
        make_round(), members[2], title=TITLE, status="submitted",
        submitted_at=utcnow(),
    )  # fmt: skip
    deadline = datetime(2027, 3, 1, 22, 59, 59, tzinfo=UTC)  # the end of 1 March in Amsterdam
    bodies = {}
    for template, context in [
        ("application_received", {}),
        ("information_requested", {"deadline": deadline}),
        ("application_in_review", {}),
        ("letter_available", {}),
    ]:
        send(app, "fatima@example.nl", template, application=application, **context)
        bodies[template] = mailbox.body(mailbox.last_to("fatima@example.nl"))
    assert (
        "Geef uiterlijk op 1 maart 2027 antwoord. Antwoordt u niet op tijd? Dan behandelen we "
        "uw aanvraag niet." in bodies["information_requested"]
    )
    assert "23:59" not in bodies["information_requested"]
    assert (
        "voldoet aan de voorwaarden. Nu lezen beoordelaars van buiten het fonds uw aanvraag."
        in bodies["application_in_review"]
    )
    for template, body in bodies.items():
        assert not re.search(r"\bhaar\b", body), template
        assert "vóór" not in body, template
        assert body.rstrip().endswith("Fonds op Naam"), template


# --- texts on the pages ----------------------------------------------------------------------


def test_the_privacy_statement_says_what_a_discreet_e_mail_still_shows(client):
    page = client.get("/privacy").text
    assert "geloof, afkomst, seksuele oriëntatie of genderidentiteit" in page
    assert "‘Portaal’" in page and "‘Nieuw bericht in uw portaal’" in page
    assert "fondsopnaam.example" in page  # the sender's domain
    assert "het adres van de link" in page
    assert "Snel weg" in page


def test_the_community_question_says_why_and_the_questions_name_no_problem(
    client, members, make_round, make_application, log_in
):
    log_in(client, "fatima@example.nl")
    application = make_application(make_round(), members[2], complete=False)
    page = client.get(f"/applications/{application.id}/steps/approach").text
    assert (
        "We vragen dit om te zien welke gemeenschappen we bereiken. Alleen het fonds en de "
        "beoordelaars zien dit." in page
    )
    assert "Wat wilt u veranderen, en waarom?" in page
    assert "Wat wilt u voorkomen? Hoe doet u dat?" in page
    page = client.get(f"/applications/{application.id}/check").text
    assert "Schrijf op wat u wilt veranderen, en waarom." in page
    assert "Schrijf op wat u wilt voorkomen, en hoe u dat doet." in page
    for text_ in (client.get(f"/applications/{application.id}/steps/approach").text, page):
        assert "probleem" not in text_.lower() and "problemen" not in text_.lower()
    assert "problemen" not in client.get("/").text


def test_the_summary_labels_name_no_problem(client, members, make_round, make_application, log_in):
    log_in(client, "fatima@example.nl")
    application = make_application(make_round(), members[2])
    page = client.get(f"/applications/{application.id}/check").text
    assert "<dt>Wat u wilt veranderen, en waarom</dt>" in page
    assert "<dt>Wat u wilt voorkomen, en hoe</dt>" in page
    assert "<dt>Probleem</dt>" not in page


def test_administrators_are_told_that_every_member_reads_their_words(
    client, members, make_user, make_round, make_application, log_in
):
    make_user("anna@example.nl", name="Anna", roles=[Role.ADMIN])
    log_in(client, "anna@example.nl")
    application = make_application(
        make_round(), members[2], status="submitted",
        submitted_at=utcnow(),
    )  # fmt: skip
    page = client.get(f"/screening/{application.id}").text
    for what in ("deze reden", "deze vraag"):
        assert (
            f"Alle leden van de organisatie lezen {what}. Schrijf in eenvoudige taal. Noem geen "
            "namen of persoonlijke details." in page
        )


# --- migrating the organisation's choice -----------------------------------------------------


def test_the_migration_keeps_ordinary_mail_only_for_the_contact_person_who_chose_it(tmp_path):
    """Before: one choice per organisation, made by whoever filled in step 1 (usually its
    contact person). After: that person keeps ordinary mail; every other member is discreet."""
    uri = f"sqlite:///{tmp_path / 'before.sqlite3'}"
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": uri})
    with app.app_context():
        upgrade(revision="d4a8b2c6e7f1")
        db.engine.dispose()
    engine = create_engine(uri)
    now = datetime(2026, 12, 1, tzinfo=UTC).isoformat()
    with engine.begin() as connection:
        for user_id, email in [(1, "fatima@example.nl"), (2, "priya@example.nl"),
                               (3, "hodan@example.nl"), (4, "sevda@example.nl")]:  # fmt: skip
            connection.execute(
                text(
                    "INSERT INTO user_account (id, email, name, password_hash, locale, active, "
                    "session_version, created_at) VALUES (:id, :email, 'x', 'x', 'nl', 1, 1, :now)"
                ),
                {"id": user_id, "email": email, "now": now},
            )
        # Ordinary mail chosen by Fatima (the contact person) for Samen Sterk, where Priya is a
        # member too; Dialoog stayed discreet, and Hodan belongs to both.
        for org_id, name, contact, discreet in [
            (1, "Samen Sterk", "Fatima@Example.nl", 0),
            (2, "Dialoog", "hodan@example.nl", 1),
            (3, "Open Huis", "sevda@example.nl", 0),
        ]:
            connection.execute(
                text(
                    "INSERT INTO organisation (id, name, host_organisation, street, postcode, "
                    "city, iban, account_holder, contact_name, contact_email, contact_phone, "
                    "discreet_contact, created_at, updated_at) VALUES (:id, :name, '', '', '', "
                    "'', '', '', '', :contact, '', :discreet, :now, :now)"
                ),
                {"id": org_id, "name": name, "contact": contact, "discreet": discreet, "now": now},
            )
        for user_id, org_id in [(1, 1), (2, 1), (3, 1), (3, 2), (4, 3)]:
            connection.execute(
                text("INSERT INTO membership (user_id, organisation_id, joined_at) VALUES "
                     "(:u, :o, :now)"),
                {"u": user_id, "o": org_id, "now": now},
            )  # fmt: skip
    with app.app_context():
        upgrade()
        db.engine.dispose()
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT email, discreet_mail FROM user_account"))
        choices = {email: discreet for email, discreet in rows}
        memberships = connection.execute(text("SELECT count(*) FROM membership")).scalar()
        columns = [row[1] for row in connection.execute(text("PRAGMA table_info(organisation)"))]
    engine.dispose()
    assert choices == {
        "fatima@example.nl": 0,  # chose ordinary mail as contact person of Samen Sterk
        "priya@example.nl": 1,  # was exposed by Fatima's choice: discreet now
        "hodan@example.nl": 1,  # also in Dialoog, which chose discreet
        "sevda@example.nl": 0,
    }
    assert "discreet_contact" not in columns
    assert memberships == 5  # rebuilding the organisation table kept every membership


def test_a_new_account_is_discreet(members):
    assert all(member.discreet_mail for member in members[:2])
