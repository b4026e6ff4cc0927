"""Delivery of one message: over SMTP, or, in development without an SMTP server, as an .eml
file in the outbox folder under instance/."""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formataddr, formatdate, make_msgid, parseaddr
from pathlib import Path

from flask import current_app


def sender_address() -> str:
    """The address part of MAIL_DEFAULT_SENDER (noreply@fondsopnaam.example)."""
    return parseaddr(current_app.config["MAIL_DEFAULT_SENDER"])[1]


def sender_domain() -> str:
    """The domain every e-mail shows, discreet or not: that of the sender's address."""
    return sender_address().rpartition("@")[2]


def sender(discreet: bool) -> str:
    """The From header: the fund's own, or in discreet mode the neutral name with the same
    address (a mail server only delivers mail from an address it may send for)."""
    config = current_app.config
    if not discreet:
        return config["MAIL_DEFAULT_SENDER"]
    return formataddr((config["MAIL_DISCREET_SENDER_NAME"], sender_address()))


def build_message(recipient: str, subject: str, body: str, *, discreet: bool) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender(discreet)
    message["To"] = recipient
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False)
    # The sender's own domain, never a fixed one that would name the fund in every header.
    message["Message-ID"] = make_msgid(domain=sender_domain() or None)
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(body)
    return message


def deliver(message: EmailMessage, name: str) -> None:
    """Send a message; raises OSError or smtplib.SMTPException when it could not be sent."""
    config = current_app.config
    if not config["MAIL_SERVER"]:
        write_to_outbox(message, name)
        return
    timeout = config["MAIL_TIMEOUT"]
    if config["MAIL_USE_SSL"]:
        smtp = smtplib.SMTP_SSL(
            config["MAIL_SERVER"],
            config["MAIL_PORT"],
            timeout=timeout,
            context=ssl.create_default_context(),
        )
    else:
        smtp = smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=timeout)
    with smtp:
        if config["MAIL_USE_TLS"] and not config["MAIL_USE_SSL"]:
            smtp.starttls(context=ssl.create_default_context())
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        smtp.send_message(message)


def write_to_outbox(message: EmailMessage, name: str) -> Path:
    outbox = Path(current_app.config["MAIL_OUTBOX_DIR"])
    outbox.mkdir(parents=True, exist_ok=True)
    path = outbox / f"{name}.eml"
    path.write_bytes(bytes(message))
    return path
