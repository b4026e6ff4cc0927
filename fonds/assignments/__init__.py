"""Administrators choose a round's reviewer pool and assign reviewers to applications, by hand
or automatically (balanced load, never a member of the applying organisation or someone with a
declared conflict)."""

from flask import Blueprint, Flask

bp = Blueprint("assignments", __name__, url_prefix="/assignments")


def register(app: Flask) -> None:
    """Attach this package's routes to its blueprint (by importing the modules that
    declare them) and register it with the app."""
    from fonds.assignments import views  # noqa: F401

    app.register_blueprint(bp)
