"""Funding rounds (calls) and their rubric."""

from __future__ import annotations

import enum
from datetime import datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fonds.columns import Money, UTCDateTime, utcnow
from fonds.extensions import db


class LegalMode(enum.StrEnum):
    AWB = "awb"  # General Administrative Law Act: objection within six weeks
    PRIVATE = "private"  # the fund's own reconsideration route


class Round(db.Model):
    __tablename__ = "funding_round"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    opens_at: Mapped[datetime] = mapped_column(UTCDateTime())
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime())
    budget_ceiling: Mapped[Decimal] = mapped_column(Money)
    min_grant: Mapped[Decimal] = mapped_column(Money)
    max_grant: Mapped[Decimal] = mapped_column(Money)
    max_duration_months: Mapped[int]
    reviewers_per_application: Mapped[int] = mapped_column(default=2)
    regulation: Mapped[str] = mapped_column(Text, default="")  # legal basis named in letters
    legal_mode: Mapped[str] = mapped_column(String(10), default=LegalMode.PRIVATE)
    signatory_name: Mapped[str] = mapped_column(String(200), default="")
    signatory_title: Mapped[str] = mapped_column(String(200), default="")
    legal_remedy_text: Mapped[str] = mapped_column(Text, default="")
    # Who receives an objection (awb) or a request for reconsideration (private), and where
    # (a postal or e-mail address): the one addressee the letters name.
    remedy_addressee: Mapped[str] = mapped_column(Text, default="")
    # An e-mail address where an objection or a request for reconsideration may also be sent
    # (art. 2:15 Awb: only when the fund opens that way); empty: by post only. Never through the
    # portal, which has no such form.
    remedy_email: Mapped[str] = mapped_column(String(254), default="")
    # Private mode: within how many weeks after the letter's date the applicant may ask for
    # reconsideration (in awb mode the Awb fixes six weeks for an objection).
    reconsideration_weeks: Mapped[int] = mapped_column(default=6)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    criteria: Mapped[list[RubricCriterion]] = relationship(
        back_populates="round", cascade="all, delete-orphan", order_by="RubricCriterion.position"
    )

    __table_args__ = (
        CheckConstraint("closes_at > opens_at", name="closes_after_opening"),
        CheckConstraint("budget_ceiling > 0", name="budget_positive"),
        CheckConstraint("min_grant >= 0 AND min_grant <= max_grant", name="grant_range"),
        CheckConstraint("max_grant <= budget_ceiling", name="max_grant_within_budget"),
        CheckConstraint("max_duration_months > 0", name="duration_positive"),
        CheckConstraint("reviewers_per_application >= 1", name="at_least_one_reviewer"),
        CheckConstraint("legal_mode IN ('awb', 'private')", name="known_legal_mode"),
        CheckConstraint(
            "reconsideration_weeks >= 1 AND reconsideration_weeks <= 52",
            name="reconsideration_weeks_range",
        ),
    )

    @property
    def is_awb(self) -> bool:
        """The round decides under the Awb: objection, and decisions by post unless the
        applicant agreed to receive them through the portal (art. 2:14 Awb)."""
        return self.legal_mode == LegalMode.AWB.value

    def is_open(self, now: datetime | None = None) -> bool:
        """Whether applications may be started and sent in this round now."""
        now = now or utcnow()
        return self.opens_at <= now < self.closes_at

    def may_close(self, now: datetime | None = None) -> bool:
        """Whether an administrator may close the round now (rounds.operations.close_round)."""
        from fonds.rounds.operations import why_not_close

        return why_not_close(self, now or utcnow()) is None


class RubricCriterion(db.Model):
    __tablename__ = "rubric_criterion"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("funding_round.id", ondelete="CASCADE"))
    position: Mapped[int]
    name_nl: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    weight: Mapped[int]  # percent; a round's weights add up to 100
    # What the knock-out flag looks at: "from_within", "preventive" or "safety" (PRODUCT.md);
    # None for other criteria. At most one criterion of a round has each kind.
    kind: Mapped[str | None] = mapped_column(String(20))
    descriptor_1_nl: Mapped[str] = mapped_column(Text)
    descriptor_3_nl: Mapped[str] = mapped_column(Text)
    descriptor_5_nl: Mapped[str] = mapped_column(Text)
    descriptor_1_en: Mapped[str] = mapped_column(Text)
    descriptor_3_en: Mapped[str] = mapped_column(Text)
    descriptor_5_en: Mapped[str] = mapped_column(Text)

    round: Mapped[Round] = relationship(back_populates="criteria")

    __table_args__ = (
        UniqueConstraint("round_id", "position", name="uq_rubric_criterion_round_position"),
        CheckConstraint("position >= 1", name="position_positive"),
        CheckConstraint("weight > 0 AND weight <= 100", name="weight_percent"),
        CheckConstraint(
            "kind IS NULL OR kind IN ('from_within', 'preventive', 'safety')", name="known_kind"
        ),
        UniqueConstraint("round_id", "kind", name="uq_rubric_criterion_round_kind"),
    )
