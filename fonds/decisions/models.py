"""Decisions: proposed by one administrator, confirmed or sent back by another."""

from __future__ import annotations

import enum
from datetime import datetime
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fonds.columns import Money, UTCDateTime, utcnow
from fonds.extensions import db


class Outcome(enum.StrEnum):
    APPROVE = "approve"
    REJECT = "reject"

    @property
    def label(self) -> str:
        return str(OUTCOME_LABELS[self])


OUTCOME_LABELS = {Outcome.APPROVE: _l("Award"), Outcome.REJECT: _l("Reject")}


class DecisionState(enum.StrEnum):
    PROPOSED = "proposed"
    CONFIRMED = "confirmed"
    SENT_BACK = "sent_back"


class Decision(db.Model):
    """A decision proposed by one administrator and confirmed, or sent back, by another. A
    confirmed decision is final: a database trigger (see the migration) refuses any change of its
    outcome, amount, decider or state, and its deletion."""

    __tablename__ = "decision"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id"), index=True)
    outcome: Mapped[str] = mapped_column(String(10))
    amount: Mapped[Decimal | None] = mapped_column(Money)
    motivation: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(12), default=DecisionState.PROPOSED)
    proposed_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    proposed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    send_back_reason: Mapped[str] = mapped_column(Text, default="")
    # The fund's point per rubric criterion, in its own words (criterion id as a string ->
    # text; optional per criterion): the decision letter prints it next to the scores.
    criterion_points: Mapped[dict] = mapped_column(JSON, default=dict)
    # Why an award is lower than the amount requested (the letter prints it).
    partial_reason: Mapped[str] = mapped_column(Text, default="")

    application = relationship("Application")
    proposed_by = relationship("User", foreign_keys=[proposed_by_id])
    decided_by = relationship("User", foreign_keys=[decided_by_id])

    __table_args__ = (
        CheckConstraint("outcome IN ('approve', 'reject')", name="known_outcome"),
        CheckConstraint("state IN ('proposed', 'confirmed', 'sent_back')", name="known_state"),
        CheckConstraint(
            "(outcome = 'approve' AND amount IS NOT NULL AND amount > 0) "
            "OR (outcome = 'reject' AND amount IS NULL)",
            name="amount_matches_outcome",
        ),
        CheckConstraint(
            "(state = 'proposed' AND decided_by_id IS NULL AND decided_at IS NULL) "
            "OR (state <> 'proposed' AND decided_by_id IS NOT NULL AND decided_at IS NOT NULL)",
            name="decided_when_not_proposed",
        ),
        # Four eyes: the one who confirms or sends back is never the one who proposed.
        CheckConstraint(
            "decided_by_id IS NULL OR decided_by_id <> proposed_by_id", name="four_eyes"
        ),
        # At most one open or confirmed decision per application.
        Index(
            "uq_decision_one_current",
            "application_id",
            unique=True,
            sqlite_where=db.text("state IN ('proposed', 'confirmed')"),
            postgresql_where=db.text("state IN ('proposed', 'confirmed')"),
        ),
    )

    @property
    def outcome_label(self) -> str:
        return Outcome(self.outcome).label
