"""Commands for reviewing, meant for a daily cron job: `flask workflow remind`."""

import click
from flask import current_app

from fonds.applications import bp
from fonds.columns import utcnow
from fonds.extensions import db
from fonds.mail.operations import send_ready_mail
from fonds.reviews.operations import remind_reviewers


@bp.cli.command("remind")
def remind() -> None:
    """Remind reviewers of reviews that are due within three days or overdue. Each reviewer gets
    at most one e-mail per 20 hours. Safe to run more than once."""
    # E-mails link to the portal: outside a request, PORTAL_URL says where it lives.
    with current_app.test_request_context(base_url=current_app.config["PORTAL_URL"]):
        reminded = remind_reviewers(utcnow())
        db.session.commit()
        send_ready_mail()
    click.echo(f"{reminded} reviewer(s) reminded of reviews that are due.")
