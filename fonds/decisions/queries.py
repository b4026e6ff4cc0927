"""Read-only questions about decisions, for the workflow's guards, the operations and the views."""

from __future__ import annotations

from typing import TYPE_CHECKING

from fonds.decisions.models import Decision, DecisionState
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
