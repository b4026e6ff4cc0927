import email
import email.policy
import re
from pathlib import Path

import click
from flask import current_app

from fonds.mail import bp
from fonds.mail.operations import retry_pending_mail

LINK = re.compile(r"https?://\S+")


@bp.cli.command("retry")
def retry() -> None:
    """Send e-mail that could not be sent before (run it from cron every few minutes)."""
    sent, left = retry_pending_mail()
    click.echo(f"Sent {sent} message(s); {left} could not be sent.")
    if left:
        raise SystemExit(1)


def last_link_to(outbox: Path, address: str) -> str | None:
    """The first link in the newest message to `address` in the outbox that has one. The body is
    decoded as a mail program would, so a link is never cut at a quoted-printable line break."""
    for path in sorted(outbox.glob("*.eml"), reverse=True):  # names start with the moment
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        if str(message["To"]).strip().lower() != address.strip().lower():
            continue
        body = message.get_body(preferencelist=("plain",))
        found = LINK.search(body.get_content() if body is not None else "")
        if found:
            return found.group(0)
    return None


@bp.cli.command("last-link")
@click.argument("address")
def last_link(address: str) -> None:
    """Print the link in the newest e-mail to ADDRESS in the development outbox (to verify an
    account, reset a password or accept an invitation without an SMTP server)."""
    if current_app.config["MAIL_SERVER"]:
        raise click.ClickException(
            "E-mail goes to the SMTP server in MAIL_SERVER: look in that mailbox."
        )
    outbox = Path(current_app.config["MAIL_OUTBOX_DIR"])
    link = last_link_to(outbox, address) if outbox.is_dir() else None
    if link is None:
        raise click.ClickException(f"No e-mail with a link to {address} in {outbox}.")
    click.echo(link)
