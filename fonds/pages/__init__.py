from flask import Blueprint, Flask

bp = Blueprint("pages", __name__)


def register(app: Flask) -> None:
    """Attach this package's routes to its blueprint (by importing the modules that
    declare them) and register it with the app."""
    from fonds.pages import (
        errors,  # noqa: F401
        views,  # noqa: F401
    )

    app.register_blueprint(bp)
