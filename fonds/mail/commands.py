import click

from fonds.mail import bp
from fonds.mail.operations import retry_pending_mail


@bp.cli.command("retry")
def retry() -> None:
    """Send e-mail that could not be sent before (run it from cron every few minutes)."""
    sent, left = retry_pending_mail()
    click.echo(f"Sent {sent} message(s); {left} could not be sent.")
    if left:
        raise SystemExit(1)
