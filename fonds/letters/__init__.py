"""Decision letters: rendering to archival, tagged PDF, the administrators' preview, issuing and
downloads."""

from flask import Blueprint, Flask

bp = Blueprint("letters", __name__, url_prefix="/letters")


@bp.app_template_filter("score_1_5")
def score_1_5(value: float | None) -> str:
    """A mean score on the 1–5 scale with one decimal, Dutch style (3,5); a dash when there is
    none (no awarded applications, or no submitted review)."""
    if value is None:
        return "–"
    return f"{float(value):.1f}".replace(".", ",")


def register(app: Flask) -> None:
    """Attach this package's routes to its blueprint (by importing the modules that
    declare them) and register it with the app."""
    from fonds.letters import (
        batch_views,  # noqa: F401
        issue_views,  # noqa: F401
        tasks,
        views,  # noqa: F401
    )

    tasks.register(app)
    app.register_blueprint(bp)
