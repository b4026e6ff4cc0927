"""What administrators do with rounds. Operations flush but never commit: the view commits once."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l

from fonds.auth.models import User
from fonds.columns import utcnow
from fonds.extensions import db
from fonds.rounds.models import Round
from fonds.rounds.rubric import add_default_rubric
from fonds.rounds.status import RoundStatus, round_status

logger = logging.getLogger(__name__)

# The columns an administrator sets with the round form.
EDITABLE = (
    "name",
    "description",
    "opens_at",
    "closes_at",
    "budget_ceiling",
    "min_grant",
    "max_grant",
    "max_duration_months",
    "reviewers_per_application",
    "regulation",
    "legal_mode",
    "legal_remedy_text",
    "signatory_name",
    "signatory_title",
)


class RoundRefused(Exception):
    """A step that is not allowed for this round; str() says why, for the administrator."""

    def __init__(self, message) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return str(self.message)


def set_fields(round_: Round, values: dict[str, Any]) -> None:
    for name in EDITABLE:
        setattr(round_, name, values[name])


def create_round(values: dict[str, Any], *, created_by: User) -> Round:
    """A new round with its own copy of the default rubric."""
    round_ = Round()
    set_fields(round_, values)
    add_default_rubric(round_)
    db.session.add(round_)
    db.session.flush()
    logger.info("Round %s created by user %s", round_.id, created_by.id)
    return round_


def update_round(round_: Round, values: dict[str, Any], *, changed_by: User) -> None:
    set_fields(round_, values)
    db.session.flush()
    logger.info("Round %s changed by user %s", round_.id, changed_by.id)


def why_not_close(round_: Round, now: datetime) -> str | None:
    """Why this round cannot be closed now, or None when it can."""
    status = round_status(round_, now)
    if status is RoundStatus.CLOSED:
        return _l("This round is already closed.")
    if status is RoundStatus.UPCOMING or now <= round_.opens_at:
        return _l(
            "This round has not opened yet, so it cannot be closed. Change its dates instead."
        )
    return None


def close_round(round_: Round, *, closed_by: User, now: datetime | None = None) -> None:
    """Close an open round at once: its closing moment becomes now."""
    now = now or utcnow()
    refusal = why_not_close(round_, now)
    if refusal is not None:
        raise RoundRefused(refusal)
    round_.closes_at = now
    db.session.flush()
    logger.info("Round %s closed by user %s", round_.id, closed_by.id)
