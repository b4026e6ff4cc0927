import click
from sqlalchemy import func, select

from fonds.auth.models import User
from fonds.demo import bp
from fonds.demo.data import DEMO_ACCOUNTS, DEMO_PASSWORD, seed_demo
from fonds.extensions import db


@bp.cli.command("seed-demo")
@click.option("--if-empty", is_flag=True, help="Only when the database has no accounts yet.")
def seed_demo_command(if_empty: bool) -> None:
    """Add demo accounts and an open round with the default rubric (safe to run twice)."""
    if if_empty and db.session.scalar(select(func.count()).select_from(User)):
        click.echo("The database already has accounts; no demo data added.")
        return
    created = seed_demo()
    db.session.commit()
    click.echo(f"Demo data: {len(created)} item(s) added." if created else "Demo data present.")


def demo_logins() -> str:
    lines = [
        f"  {email:<36} {', '.join(r.value for r in roles)}"
        for email, _name, roles, _org in DEMO_ACCOUNTS
    ]
    return "\n".join(lines) + f"\n  password for all: {DEMO_PASSWORD}"


@bp.cli.command("demo-logins")
def demo_logins_command() -> None:
    """Print the demo log-ins."""
    click.echo(demo_logins())
