from flask import Blueprint, Flask

bp = Blueprint("auth", __name__, url_prefix="/account", cli_group=None)


def register(app: Flask) -> None:
    """Attach this package's routes and commands to its blueprint (by importing the modules that
    declare them) and register it with the app."""
    from fonds.auth import (
        commands,  # noqa: F401
        views,  # noqa: F401
    )

    app.register_blueprint(bp)
