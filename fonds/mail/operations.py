"""Queueing and sending e-mail.

`queue_mail` adds the message to the current transaction. When that transaction commits, the
message becomes ready, and `send_ready_mail` (run after each request, and by CLI commands after
their commit) delivers it. A failing SMTP server is logged and leaves the message pending for
`flask mail retry`; it never turns a successful action into an error page.
"""

from __future__ import annotations

import logging
import smtplib

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_sqlalchemy.session import Session
from sqlalchemy import event, select

from fonds.columns import utcnow
from fonds.extensions import db
from fonds.mail.delivery import build_message, deliver
from fonds.mail.models import MailStatus, OutgoingMail

logger = logging.getLogger(__name__)

PENDING_KEY = "mail_pending"
READY_KEY = "mail_ready"


def discreet_subject() -> str:
    """The subject of every discreet e-mail about an application or a review: the setting, or
    "Nieuw bericht in uw portaal" in the current language."""
    return current_app.config["MAIL_DISCREET_SUBJECT"] or _("New message in your portal")


def queue_mail(
    recipient: str, template: str, locale: str = "nl", *, discreet: bool = True, **context
) -> OutgoingMail:
    """Render templates/emails/<template>.txt (and its _subject.txt) in the recipient's language
    and add the message to the current transaction. `discreet` is the recipient's own choice
    (`User.discreet_mail`; discreet for an address without an account): the templates get it
    with `discreet_subject` and leave out the fund's name, and the sender is the neutral one."""
    discreet = discreet is not False  # an account not flushed yet has None: discreet
    with force_locale(locale):
        context.update(discreet=discreet, discreet_subject=discreet_subject())
        subject = render_template(f"emails/{template}_subject.txt", **context).strip()
        body = render_template(f"emails/{template}.txt", **context)
    mail = OutgoingMail(recipient=recipient, subject=subject, body=body, discreet=discreet)
    db.session.add(mail)
    db.session.flush()
    db.session.info.setdefault(PENDING_KEY, []).append(mail.id)
    return mail


@event.listens_for(Session, "after_commit")
def _mark_ready(session) -> None:
    pending = session.info.pop(PENDING_KEY, [])
    if pending:
        session.info.setdefault(READY_KEY, []).extend(pending)


@event.listens_for(Session, "after_soft_rollback")
def _forget_pending(session, previous_transaction) -> None:
    if not session.in_transaction():
        session.info.pop(PENDING_KEY, None)


def send_ready_mail() -> int:
    """Send the messages whose transaction has committed. Returns how many were sent."""
    ids = db.session.info.pop(READY_KEY, [])
    sent = 0
    for mail_id in ids:
        mail = db.session.get(OutgoingMail, mail_id)
        if mail is not None and mail.status == MailStatus.PENDING:
            sent += send_one(mail)
    return sent


def send_one(mail: OutgoingMail) -> bool:
    """Try to deliver one message and record the outcome in its own commit."""
    message = build_message(mail.recipient, mail.subject, mail.body or "", discreet=mail.discreet)
    mail.attempts += 1
    try:
        deliver(message, name=f"{utcnow():%Y%m%dT%H%M%S}-{mail.id:06d}")
    except (OSError, smtplib.SMTPException) as error:
        mail.last_error = f"{type(error).__name__}: {error}"[:500]
        if mail.attempts >= current_app.config["MAIL_MAX_ATTEMPTS"]:
            mail.status = MailStatus.FAILED
        logger.warning(
            "Mail %s to be retried (attempt %s): %s", mail.id, mail.attempts, mail.last_error
        )
        db.session.commit()
        return False
    mail.status = MailStatus.SENT
    mail.sent_at = utcnow()
    mail.body = None
    mail.last_error = None
    db.session.commit()
    return True


def retry_pending_mail() -> tuple[int, int]:
    """Try every pending message again. Returns (sent, still pending or failed)."""
    mails = db.session.scalars(
        select(OutgoingMail)
        .where(OutgoingMail.status == MailStatus.PENDING)
        .order_by(OutgoingMail.id)
    ).all()
    sent = sum(send_one(mail) for mail in mails)
    return sent, len(mails) - sent
