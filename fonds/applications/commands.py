"""Commands of the workflow, meant for a daily cron job: `flask workflow expire`."""

import click
from flask import current_app

from fonds.applications import bp
from fonds.applications.operations import expire_info_requests
from fonds.columns import utcnow
from fonds.extensions import db
from fonds.mail.operations import send_ready_mail


@bp.cli.command("expire")
def expire() -> None:
    """Make applications not admissible whose request for more information passed its deadline
    without an answer. Safe to run more than once."""
    # E-mails link to the portal: outside a request, PORTAL_URL says where it lives.
    with current_app.test_request_context(base_url=current_app.config["PORTAL_URL"]):
        expired = expire_info_requests(utcnow())
        db.session.commit()
        send_ready_mail()
    click.echo(f"{len(expired)} application(s) past their deadline are now not admissible.")
