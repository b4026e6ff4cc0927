"""Reviewing by external reviewers: their dashboard, the declaration of a conflict of interest,
and the scoring form built from the round's rubric. The models also hold the assignments."""

from flask import Blueprint, Flask

bp = Blueprint("reviews", __name__, url_prefix="/review")


def register(app: Flask) -> None:
    """Attach this package's routes and commands to its blueprint (by importing the modules that
    declare them) and register it with the app."""
    from fonds.reviews import (
        commands,  # noqa: F401
        views,  # noqa: F401
    )

    app.register_blueprint(bp)
