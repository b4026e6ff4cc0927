from flask import Blueprint, Flask

bp = Blueprint("people", __name__, url_prefix="/people")


def register(app: Flask) -> None:
    """Attach this package's routes to its blueprint (by importing the modules that
    declare them) and register it with the app."""
    from fonds.people import views  # noqa: F401

    app.register_blueprint(bp)
