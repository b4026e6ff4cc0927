"""What administrators do with rounds. Operations flush but never commit: the view commits once."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from fonds.auth.models import User
from fonds.columns import utcnow
from fonds.extensions import db
from fonds.refusals import Refused
from fonds.rounds.models import Round, RubricCriterion
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
    "remedy_addressee",
    "remedy_email",
    "reconsideration_weeks",
    "signatory_name",
    "signatory_title",
)


class RoundRefused(Refused):
    """A step that is not allowed for this round; str() says why, for the administrator."""


def set_fields(round_: Round, values: dict[str, Any]) -> None:
    for name in EDITABLE:
        setattr(round_, name, values[name])


def create_round(values: dict[str, Any], *, by: User) -> Round:
    """A new round with its own copy of the default rubric."""
    round_ = Round()
    set_fields(round_, values)
    add_default_rubric(round_)
    db.session.add(round_)
    db.session.flush()
    logger.info("Round %s created by user %s", round_.id, by.id)
    return round_


def update_round(round_: Round, values: dict[str, Any], *, by: User) -> None:
    set_fields(round_, values)
    db.session.flush()
    logger.info("Round %s changed by user %s", round_.id, by.id)


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


def close_round(round_: Round, *, by: User, now: datetime | None = None) -> None:
    """Close an open round at once: its closing moment becomes now."""
    now = now or utcnow()
    refusal = why_not_close(round_, now)
    if refusal is not None:
        raise RoundRefused(refusal)
    round_.closes_at = now
    db.session.flush()
    logger.info("Round %s closed by user %s", round_.id, by.id)


# --- the rubric --------------------------------------------------------------------------------

RUBRIC_LOCKED = _l(
    "A review of this round has been submitted, so the assessment criteria can no longer be "
    "changed. Every review must be scored on the same criteria."
)
CRITERION_KINDS = ("from_within", "preventive", "safety")


def rubric_locked(round_: Round) -> bool:
    """The rubric is fixed once any review of the round is submitted."""
    from fonds.applications.models import Application
    from fonds.reviews.models import Review

    return (
        db.session.scalar(
            select(Review.id)
            .join(Application, Application.id == Review.application_id)
            .where(Application.round_id == round_.id, Review.submitted_at.is_not(None))
            .limit(1)
        )
        is not None
    )


def update_rubric(round_: Round, criteria: list[dict[str, Any]], *, by: User) -> None:
    """Replace the round's rubric with these criteria, in this order: a criterion with an id is
    changed, one without is added, one that is missing is removed."""
    if rubric_locked(round_):
        raise RoundRefused(RUBRIC_LOCKED)
    if not criteria:
        raise RoundRefused(_l("Keep at least one criterion."))
    total = sum(values["weight"] for values in criteria)
    if total != 100:
        raise RoundRefused(
            _l("The weights add up to %(sum)s%%. They must add up to 100%%.", sum=total)
        )
    kinds = [values["kind"] for values in criteria if values["kind"]]
    if len(kinds) != len(set(kinds)) or not set(kinds) <= set(CRITERION_KINDS):
        raise RoundRefused(_l("Each knock-out check can belong to one criterion only."))
    existing = {criterion.id: criterion for criterion in round_.criteria}
    wanted = [values["id"] for values in criteria if values["id"] is not None]
    if not set(wanted) <= existing.keys() or len(wanted) != len(set(wanted)):
        raise RoundRefused(_l("The criteria of this round changed just now. Check the page again."))
    for criterion_id, criterion in existing.items():
        if criterion_id not in wanted:
            round_.criteria.remove(criterion)
    # Positions and kinds are unique per round: park the ones that stay first, so that
    # swapping two of them never meets the constraint halfway.
    for offset, criterion_id in enumerate(wanted, start=1):
        existing[criterion_id].position = 1000 + offset
        existing[criterion_id].kind = None
    db.session.flush()
    for position, values in enumerate(criteria, start=1):
        fields = {key: value for key, value in values.items() if key != "id"}
        if values["id"] is None:
            round_.criteria.append(RubricCriterion(position=position, **fields))
        else:
            criterion = existing[values["id"]]
            criterion.position = position
            for key, value in fields.items():
                setattr(criterion, key, value)
    db.session.flush()
    round_.criteria.sort(key=lambda criterion: criterion.position)
    logger.info("Rubric of round %s changed by user %s", round_.id, by.id)
