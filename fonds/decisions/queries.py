"""Read-only questions about decisions, for the workflow's guards, the operations and the views."""

from __future__ import annotations

from typing import TYPE_CHECKING

from fonds.decisions.models import Decision, DecisionState, Outcome
from fonds.extensions import db

if TYPE_CHECKING:
    from fonds.applications.models import Application


def current_decision(application: Application) -> Decision | None:
    """The decision proposed for the application and still waiting for a second administrator."""
    return db.session.scalar(
        db.select(Decision).where(
            Decision.application_id == application.id,
            Decision.state == DecisionState.PROPOSED.value,
        )
    )


def decisions_of(application: Application) -> list[Decision]:
    """Every decision proposed for the application, the latest first."""
    return db.session.scalars(
        db.select(Decision)
        .where(Decision.application_id == application.id)
        .order_by(Decision.proposed_at.desc(), Decision.id.desc())
    ).all()


def awarded_amount(application: Application):
    """The amount of the application's confirmed award, or None (no award, or not decided)."""
    return db.session.scalar(
        db.select(Decision.amount).where(
            Decision.application_id == application.id,
            Decision.state == DecisionState.CONFIRMED.value,
            Decision.outcome == Outcome.APPROVE.value,
        )
    )
