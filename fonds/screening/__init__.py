"""Screening by administrators: the new applications of a round, and per application the
decision whether it meets the conditions (eligible, not admissible, or more information)."""

from flask import Blueprint, Flask

bp = Blueprint("screening", __name__, url_prefix="/screening")


def register(app: Flask) -> None:
    """Attach this package's routes to its blueprint (by importing the modules that
    declare them) and register it with the app."""
    from fonds.screening import views  # noqa: F401

    app.register_blueprint(bp)
