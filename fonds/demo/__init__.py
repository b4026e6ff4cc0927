from flask import Blueprint, Flask

bp = Blueprint("demo", __name__, cli_group=None)


def register(app: Flask) -> None:
    """Attach this package's routes and commands to its blueprint (by importing the modules that
    declare them) and register it with the app."""
    from fonds.demo import commands  # noqa: F401

    app.register_blueprint(bp)
