"""Assignments with their reviews and scores."""

from __future__ import annotations

import enum
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fonds.applications.models import Status
from fonds.columns import UTCDateTime, utcnow
from fonds.extensions import db


class Recommendation(enum.StrEnum):
    FUND = "fund"
    FUND_IN_PART = "fund_in_part"
    DO_NOT_FUND = "do_not_fund"

    @property
    def label(self) -> str:
        return str(RECOMMENDATION_LABELS[self])


RECOMMENDATION_LABELS = {
    Recommendation.FUND: _l("Fund"),
    Recommendation.FUND_IN_PART: _l("Fund in part"),
    Recommendation.DO_NOT_FUND: _l("Do not fund"),
}


class Review(db.Model):
    """One reviewer assigned to one application, and what they write.

    `conflict` is None until the reviewer declares; True means they declared a conflict of
    interest and see nothing more of the application (the administrator assigns someone else);
    False means no conflict, and the review can be written. Scores live in ReviewScore. A review
    with `submitted_at` is locked."""

    __tablename__ = "review"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("application.id", ondelete="CASCADE"), index=True
    )
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    assigned_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    conflict: Mapped[bool | None]
    conflict_note: Mapped[str] = mapped_column(Text, default="")  # seen by administrators only
    declared_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    recommendation: Mapped[str | None] = mapped_column(String(20))
    comment: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    application = relationship("Application")
    reviewer = relationship("User", foreign_keys=[reviewer_id])
    assigned_by = relationship("User", foreign_keys=[assigned_by_id])
    scores: Mapped[list[ReviewScore]] = relationship(
        back_populates="review", cascade="all, delete-orphan"
    )

    __table_args__ = (
        UniqueConstraint("application_id", "reviewer_id", name="uq_review_application_reviewer"),
        CheckConstraint(
            "recommendation IS NULL OR recommendation IN ('fund', 'fund_in_part', 'do_not_fund')",
            name="known_recommendation",
        ),
        # Only a reviewer without a conflict submits, and a submitted review recommends.
        CheckConstraint(
            "submitted_at IS NULL OR (conflict IS NOT NULL AND NOT conflict "
            "AND recommendation IS NOT NULL)",
            name="submitted_is_complete",
        ),
        CheckConstraint("conflict IS NULL OR declared_at IS NOT NULL", name="declared_has_moment"),
        Index("ix_review_reviewer_submitted", "reviewer_id", "submitted_at"),
    )

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None

    @property
    def is_to_do(self) -> bool:
        """Whether the reviewer still has work here: not submitted, no conflict declared, and
        the application still being assessed (a withdrawn one needs nothing more)."""
        return (
            self.submitted_at is None
            and self.conflict is not True
            and self.application.status == Status.IN_REVIEW.value
        )

    @property
    def recommendation_label(self) -> str:
        return Recommendation(self.recommendation).label if self.recommendation else ""

    def score_for(self, criterion_id: int) -> ReviewScore | None:
        for score in self.scores:
            if score.criterion_id == criterion_id:
                return score
        return None


class ReviewScore(db.Model):
    """A score 1–5 on one criterion of the rubric, with its motivation. A draft may leave the
    score empty."""

    __tablename__ = "review_score"

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("review.id", ondelete="CASCADE"))
    criterion_id: Mapped[int] = mapped_column(
        ForeignKey("rubric_criterion.id", ondelete="CASCADE"), index=True
    )
    score: Mapped[int | None]
    motivation: Mapped[str] = mapped_column(Text, default="")

    review: Mapped[Review] = relationship(back_populates="scores")
    criterion = relationship("RubricCriterion")

    __table_args__ = (
        UniqueConstraint("review_id", "criterion_id", name="uq_review_score_criterion"),
        CheckConstraint("score IS NULL OR (score >= 1 AND score <= 5)", name="score_range"),
    )
