from flask import Blueprint, Flask

# Its commands (`flask workflow expire`) are meant for cron.
bp = Blueprint("applications", __name__, url_prefix="/applications", cli_group="workflow")


def register(app: Flask) -> None:
    """Attach this package's routes and commands to its blueprint (by importing the modules that
    declare them) and register it with the app."""
    from fonds.applications import (
        attachment_views,  # noqa: F401
        commands,  # noqa: F401
        views,  # noqa: F401
    )

    app.register_blueprint(bp)
