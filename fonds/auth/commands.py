import click
from email_validator import EmailNotValidError, validate_email
from flask import current_app

from fonds.auth import bp
from fonds.auth.models import User
from fonds.auth.operations import create_admin
from fonds.extensions import db


@bp.cli.command("create-admin")
@click.argument("email")
@click.option("--name", default="", help="Full name; asked for when the account is new.")
@click.option("--password", default="", help="Asked for (hidden) when the account is new.")
def create_admin_command(email: str, name: str, password: str) -> None:
    """Create an administrator, or give an existing account the administrator role."""
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError as error:
        raise click.BadParameter(str(error), param_hint="EMAIL") from error
    if User.by_email(email) is None:
        name = name or click.prompt("Name")
        password = password or click.prompt(
            "Password (at least 12 characters)", hide_input=True, confirmation_prompt=True
        )
        if len(password) < current_app.config["PASSWORD_MIN_LENGTH"]:
            raise click.BadParameter("use at least 12 characters", param_hint="--password")
    user, created = create_admin(email, name, password)
    db.session.commit()
    click.echo(f"{'Created' if created else 'Updated'} administrator {user.email}.")
