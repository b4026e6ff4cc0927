"""Issuing letters: frozen PDF bytes with their SHA-256, one original per application (also in
the database), corrections that name the letter they replace, discreet mail, and downloads that
only the organisation's members and administrators get, each one logged."""

import hashlib
import html
import io
import re
from decimal import Decimal

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError, IntegrityError

from fonds.applications.models import Application, ApplicationEvent
from fonds.demo.builders import make_decision
from fonds.extensions import db
from fonds.letters.models import Letter, LetterDownload
from fonds.roles import Role


@pytest.fixture
def decided(make_user, make_organisation, make_round, make_application, make_review):
    member = make_user("fatima@example.nl", name="Fatima Bakkali")
    organisation = make_organisation("Stichting Samen Sterk", members=[member])
    anna = make_user("anna@example.nl", name="Anna Admin", roles=[Role.ADMIN])
    ben = make_user("ben@example.nl", name="Ben Beheer", roles=[Role.ADMIN])
    reviewer = make_user("rita@example.nl", name="Rita Reviewer", roles=[Role.REVIEWER])
    make_user("other@example.nl", name="Iemand Anders")

    def make(status="approved", **overrides):
        application = make_application(
            make_round(),
            organisation,
            status=status,
            amount_requested=Decimal("9000.00"),
            **overrides,
        )
        if status in ("approved", "rejected"):
            make_review(application, reviewer, 4)
            amount = Decimal("7500.00") if status == "approved" else None
            make_decision(application, proposer=anna, decider=ben, amount=amount)
            db.session.commit()
        return application

    return make


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def issue(client, application, **data):
    """Confirm issuing on the confirmation page (as its "Yes" button does)."""
    return client.post(
        f"/letters/applications/{application.id}/issue",
        data={"confirmed": "yes", **data},
        follow_redirects=True,
    )


def test_issuing_asks_first_and_works_without_javascript(decided, client_of):
    application = decided()
    anna = client_of("anna@example.nl")
    url = f"/letters/applications/{application.id}/issue"
    # The decision page offers a way to the question, not a button that issues at once.
    decision_page = anna.get(f"/decisions/{application.id}").text
    link = rf'<a class="utrecht-button-link[^"]*" href="{url}">Issue the letter</a>'
    assert re.search(link, decision_page)
    assert f'action="{url}"' not in decision_page
    # The question: what, to whom, final; a confirm button and a way back.
    page = anna.get(url)
    assert page.status_code == 200
    text = html.unescape(page.text)
    assert f"Issue the letter for {application.reference}?" in text
    assert "An award letter for “Gesprekken in de moskee”" in text
    assert "To: Stichting Samen Sterk, for the attention of Fatima Bakkali." in text
    assert "You cannot undo this." in text
    assert f'action="{url}"' in text and 'name="confirmed" value="yes"' in text
    assert ">Yes, issue the letter</button>" in text
    assert f'href="/decisions/{application.id}">No, go back to the decision</a>' in text
    assert f'href="/letters/applications/{application.id}/preview"' in text
    # Looking at the question, or a POST without the confirmation, issues nothing.
    assert anna.post(url).status_code == 200
    assert db.session.scalar(select(func.count(Letter.id))) == 0
    response = issue(anna, application)
    assert f"The letter for {application.reference} is issued." in response.text
    assert db.session.scalar(select(func.count(Letter.id))) == 1
    # Once issued, the question is not asked again: the page says why.
    response = anna.get(url, follow_redirects=True)
    assert "The letter for this application has been issued already." in response.text


def test_two_administrators_confirm_at_once_one_letter_and_the_other_is_told(
    decided, client_of, monkeypatch
):
    from fonds.letters import operations

    application = decided()
    anna, ben = client_of("anna@example.nl"), client_of("ben@example.nl")
    url = f"/letters/applications/{application.id}/issue"
    assert anna.get(url).status_code == ben.get(url).status_code == 200
    assert "is issued" in issue(anna, application).text
    # Ben confirmed at the same moment: his check did not see Anna's letter yet, so the
    # database's unique index refuses his.
    monkeypatch.setattr(operations, "original_letter", lambda application: None)
    response = issue(ben, application)
    assert "The letter for this application has been issued already." in response.text
    assert db.session.scalar(select(func.count(Letter.id))) == 1


def test_issuing_freezes_the_pdf_and_tells_the_applicant(decided, client_of, mailbox):
    application = decided()
    anna = client_of("anna@example.nl")
    mailbox.clear()
    response = issue(anna, application)
    assert f"The letter for {application.reference} is issued." in response.text
    letter = db.session.scalar(select(Letter))
    assert letter.kind == "award" and letter.replaces_id is None
    assert letter.sha256 == hashlib.sha256(letter.pdf).hexdigest()
    assert letter.size == len(letter.pdf) and letter.pdf.startswith(b"%PDF")
    assert application.reference in pdf_text(letter.pdf)
    message = mailbox.last_to("fatima@example.nl")
    body = mailbox.body(message)
    assert f"/applications/{application.id}" in body
    assert "Gesprekken" not in body + message["Subject"]  # discreet: no project title
    assert not message.is_multipart()  # the PDF is not attached

    # Once issued: issuing again is refused and changes nothing.
    response = issue(anna, application)
    assert "The letter for this application has been issued already." in response.text
    assert db.session.scalar(select(db.func.count(Letter.id))) == 1


def test_the_database_keeps_letters_frozen_and_single(decided, client_of):
    application = decided()
    issue(client_of("anna@example.nl"), application)
    letter = db.session.scalar(select(Letter))
    for change in ("UPDATE letter SET pdf = :pdf", "DELETE FROM letter"):
        with pytest.raises((IntegrityError, DBAPIError), match="issued and frozen"):
            db.session.execute(text(change + " WHERE id = :id"), {"id": letter.id, "pdf": b"x"})
        db.session.rollback()
    # A second original for the same application: the unique index refuses it.
    db.session.add(
        Letter(
            application_id=application.id,
            kind="award",
            title="Tweede",
            pdf=b"%PDF-second",
            sha256="0" * 64,
            size=11,
            issued_by_id=letter.issued_by_id,
        )
    )
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_a_frozen_letter_does_not_follow_later_changes(decided, client_of):
    application = decided(title="Moeders in gesprek")
    issue(client_of("anna@example.nl"), application)
    letter = db.session.scalar(select(Letter))
    before = letter.pdf
    application.title = "Een andere titel"
    application.organisation.name = "Stichting Nieuwe Naam"
    db.session.commit()
    member = client_of("fatima@example.nl")
    response = member.get(f"/letters/{letter.id}.pdf")
    assert response.data == before
    assert hashlib.sha256(response.data).hexdigest() == letter.sha256
    assert "Stichting Nieuwe Naam" not in pdf_text(response.data)


def test_a_correction_names_the_letter_it_replaces(decided, client_of):
    application = decided()
    anna = client_of("anna@example.nl")
    url = f"/letters/applications/{application.id}/issue"
    issue(anna, application)
    original = db.session.scalar(select(Letter))
    # The correction form asks first, and keeps the typed note on the question.
    decision_page = anna.get(f"/decisions/{application.id}").text
    assert f'action="{url}"' in decision_page and 'name="confirmed"' not in decision_page
    question = anna.post(
        url, data={"replaces": str(original.id), "note": "Het bedrag klopte niet."}
    )
    assert question.status_code == 200
    text = html.unescape(question.text)
    assert f"Issue a corrected letter for {application.reference}?" in text
    assert "It replaces the letter Besluit op aanvraag" in text
    assert "Het bedrag klopte niet.</textarea>" in text
    assert 'name="confirmed" value="yes"' in text
    assert f'name="replaces" value="{original.id}"' in text
    assert db.session.scalar(select(func.count(Letter.id))) == 1
    # Confirmed without a note: refused on the same page, nothing lost, nothing issued.
    response = issue(anna, application, replaces=str(original.id), note=" ")
    assert response.status_code == 422
    assert "Say what the correction changes." in response.text
    assert db.session.scalar(select(func.count(Letter.id))) == 1
    response = issue(anna, application, replaces=str(original.id), note="Het bedrag klopte niet.")
    assert "is issued" in response.text
    letters = db.session.scalars(select(Letter).order_by(Letter.id)).all()
    assert [letter.replaces_id for letter in letters] == [None, original.id]
    assert letters[1].correction_note == "Het bedrag klopte niet."
    # Both remain and the applicant sees both.
    page = client_of("fatima@example.nl").get(f"/applications/{application.id}").text
    assert f"/letters/{letters[0].id}.pdf" in page and f"/letters/{letters[1].id}.pdf" in page
    assert "This letter corrects an earlier letter: Het bedrag klopte niet." in page
    response = issue(anna, application, replaces=str(original.id), note="Nog eens.")
    assert response.status_code == 422
    assert "That letter has been corrected already." in response.text
    assert "Nog eens.</textarea>" in response.text  # the typed note is kept
    # Also when the decision page's form sends it (before the question).
    response = anna.post(url, data={"replaces": str(original.id), "note": "Nog eens."})
    assert response.status_code == 422
    assert "That letter has been corrected already." in response.text
    assert "Nog eens.</textarea>" in response.text
    assert db.session.scalar(select(func.count(Letter.id))) == 2


def test_no_letter_before_a_decision(decided, client_of):
    application = decided(status="reviewed")
    response = issue(client_of("anna@example.nl"), application)
    assert "This application has no decision to write a letter about yet." in response.text
    assert db.session.scalar(select(Letter.id)) is None


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("fatima@example.nl", 200),
        ("anna@example.nl", 200),
        ("other@example.nl", 404),
        ("rita@example.nl", 404),
        (None, 302),
    ],
)
def test_download_permissions_and_log(decided, client_of, app, who, expected):
    application = decided(status="rejected")
    issue(client_of("anna@example.nl"), application)
    letter = db.session.scalar(select(Letter))
    client = client_of(who) if who else app.test_client()
    response = client.get(f"/letters/{letter.id}.pdf")
    assert response.status_code == expected
    downloads = db.session.scalars(select(LetterDownload)).all()
    if expected == 200:
        assert response.mimetype == "application/pdf"
        assert response.headers["Cache-Control"] == "no-store"
        assert [d.user.email for d in downloads] == [who]
    else:
        assert downloads == []


# The applicant learns the decision from the letter. Until it is issued, the applying
# organisation sees that a decision is being made: no outcome in the status, the list of
# applications or the history (not the reason, not the motivation), and no e-mail. With the
# letter comes one discreet e-mail, and the page shows the outcome, the amount awarded (also a
# partial award) and the letter.

OUTCOMES = {
    "approved": ("Awarded", "You asked for €9,000.00. We award €7,500.00."),
    "rejected": ("Rejected", "Our letter explains why."),
    "not_admissible": ("Not admissible", "We do not handle your application."),
}


@pytest.mark.parametrize("status", sorted(OUTCOMES))
def test_the_outcome_is_shown_with_the_letter_and_not_before(decided, client_of, mailbox, status):
    application = decided(status)
    reason = {"approved": "Sterk plan.", "rejected": "Te weinig bereik."}.get(
        status, "Valt buiten de regeling."
    )
    db.session.add(
        ApplicationEvent(
            application=application, from_status="reviewed", to_status=status, message=reason
        )
    )
    db.session.commit()
    label, says = OUTCOMES[status]
    fatima = client_of("fatima@example.nl")
    page = fatima.get(f"/applications/{application.id}").text
    assert 'class="status-label">Decision being made<' in page
    assert label not in page and says not in page and reason not in page
    dashboard = fatima.get("/applications/").text
    assert "Decision being made" in dashboard and label not in dashboard
    assert mailbox.to("fatima@example.nl") == []

    issue(client_of("anna@example.nl"), application)
    (message,) = mailbox.to("fatima@example.nl")
    assert application.title not in message["Subject"] + mailbox.body(message)
    page = fatima.get(f"/applications/{application.id}").text
    assert f'class="status-label">{label}<' in page
    assert says in page and reason in page
    assert f"Besluit op aanvraag {application.reference}" in page
    assert label in fatima.get("/applications/").text
    # The fund saw the outcome all along, and the moment it was published is kept.
    assert db.session.get(Application, application.id).decision_published_at is not None
