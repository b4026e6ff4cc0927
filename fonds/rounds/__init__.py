"""Funding rounds (calls): the public page of a round, and administrators managing rounds."""

from flask import Blueprint, Flask

bp = Blueprint("rounds", __name__, url_prefix="/rounds")


def register(app: Flask) -> None:
    """Attach this package's routes to its blueprint (by importing the modules that
    declare them) and register it with the app."""
    from fonds.rounds import (
        rubric_views,  # noqa: F401
        views,  # noqa: F401
    )

    app.register_blueprint(bp)
