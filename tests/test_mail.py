"""Mail goes out after the commit, survives a failing SMTP server, and in development without an
SMTP server lands in the outbox folder."""

from email import message_from_bytes
from email.policy import default as default_policy
from pathlib import Path

from sqlalchemy import select

from fonds.extensions import db
from fonds.mail.models import MailStatus, OutgoingMail
from fonds.mail.operations import queue_mail, send_ready_mail
from tests.conftest import free_port

REGISTRATION = {
    "name": "Fatima",
    "email": "fatima@example.nl",
    "organisation": "Stichting Samen Sterk",
    "password": "correct horse battery staple",
    "confirm": "correct horse battery staple",
    "privacy": "y",
}


def test_failing_smtp_server_does_not_break_the_action_and_mail_is_retried(
    app, app_factory, mailbox
):
    broken = app_factory(MAIL_PORT=free_port())  # nothing listens there
    response = broken.test_client().post("/account/register", data=REGISTRATION)
    assert response.status_code == 302
    assert response.headers["Location"] == "/account/check-email"
    assert mailbox.messages == []

    mail = db.session.scalar(select(OutgoingMail))
    assert mail.status == MailStatus.PENDING
    assert mail.attempts == 1
    assert "ConnectionRefusedError" in mail.last_error

    # Later, with the SMTP server reachable again, `flask mail retry` sends it.
    result = app.test_cli_runner().invoke(args=["mail", "retry"])
    assert result.exit_code == 0, result.output
    assert "Sent 1 message(s); 0 could not be sent." in result.output
    assert "/account/verify/" in mailbox.body(mailbox.last_to("fatima@example.nl"))
    db.session.refresh(mail)
    assert mail.status == MailStatus.SENT
    assert mail.body is None  # the link does not linger in the database


def test_retry_reports_what_still_fails_and_gives_up_after_the_limit(app_factory, app, mailbox):
    broken = app_factory(MAIL_PORT=free_port(), MAIL_MAX_ATTEMPTS=2)
    broken.test_client().post("/account/register", data=REGISTRATION)
    with broken.app_context():  # CLI commands run in the context already pushed
        result = broken.test_cli_runner().invoke(args=["mail", "retry"])
    assert result.exit_code == 1, result.output
    assert "Sent 0 message(s); 1 could not be sent." in result.output
    mail = db.session.scalar(select(OutgoingMail))
    assert (mail.status, mail.attempts) == (MailStatus.FAILED, 2)


def test_mail_of_a_rolled_back_transaction_is_never_sent(app, mailbox):
    with app.test_request_context():
        queue_mail("x@example.nl", "verify_email", user=None, link="")
        db.session.rollback()
        assert send_ready_mail() == 0
    assert mailbox.messages == []
    assert db.session.scalar(select(OutgoingMail)) is None


def test_without_smtp_server_mail_goes_to_the_outbox_folder(app_factory, app, tmp_path):
    outbox = tmp_path / "outbox-dev"
    dev = app_factory(MAIL_SERVER="", MAIL_OUTBOX_DIR=str(outbox))
    assert dev.test_client().post("/account/register", data=REGISTRATION).status_code == 302
    files = list(Path(outbox).glob("*.eml"))
    assert len(files) == 1
    message = message_from_bytes(files[0].read_bytes(), policy=default_policy)
    assert message["To"] == "fatima@example.nl"
    assert message["Subject"] == "Bevestig uw e-mailadres"
    assert "/account/verify/" in message.get_body().get_content()


def test_mail_is_discreet(app, client, mailbox):
    client.post("/account/register", data=REGISTRATION)
    message = mailbox.last_to("fatima@example.nl")
    text = (message["Subject"] + mailbox.body(message)).lower()
    for word in ("lhbti", "lgbt", "samen sterk", "zelfbeschikking", "gesloten gemeenschap"):
        assert word not in text
