"""Read-only questions about rounds for the views."""

from __future__ import annotations

from datetime import datetime

from flask import abort
from sqlalchemy import select

from fonds.extensions import db
from fonds.rounds.models import Round


def load_round(round_id: int) -> Round:
    round_ = db.session.get(Round, round_id)
    if round_ is None:
        abort(404)
    return round_


def open_rounds(now: datetime) -> list[Round]:
    """The rounds open for applications now, the first to close first."""
    return db.session.scalars(
        select(Round).where(Round.opens_at <= now, Round.closes_at > now).order_by(Round.closes_at)
    ).all()
