"""Read-only questions about rounds for the views."""

from __future__ import annotations

from flask import abort

from fonds.extensions import db
from fonds.rounds.models import Round


def load_round(round_id: int) -> Round:
    round_ = db.session.get(Round, round_id)
    if round_ is None:
        abort(404)
    return round_
