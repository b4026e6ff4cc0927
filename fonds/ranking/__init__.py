"""A round's ranking: applications by (raw or calibrated) score with flags, the cumulative
requested amount and the funding line at the budget ceiling, and its CSV export."""

from flask import Blueprint, Flask

bp = Blueprint("ranking", __name__, url_prefix="/ranking")


def register(app: Flask) -> None:
    """Attach this package's routes to its blueprint (by importing the modules that
    declare them) and register it with the app."""
    from fonds.ranking import views  # noqa: F401

    app.register_blueprint(bp)
