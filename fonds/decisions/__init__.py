"""Four-eyes decisions: one administrator proposes, a second one confirms or sends it back."""

from flask import Blueprint, Flask

bp = Blueprint("decisions", __name__, url_prefix="/decisions")


def register(app: Flask) -> None:
    """Attach this package's routes to its blueprint (by importing the modules that
    declare them) and register it with the app."""
    from fonds.decisions import views  # noqa: F401

    app.register_blueprint(bp)
