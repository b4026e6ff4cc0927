"""A round's reviewer pool: who may be assigned its applications."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fonds.columns import UTCDateTime, utcnow
from fonds.extensions import db


class ReviewerPoolMember(db.Model):
    """A reviewer who may be assigned applications of this round."""

    __tablename__ = "reviewer_pool"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("funding_round.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    user = relationship("User")
    round = relationship("Round")

    __table_args__ = (UniqueConstraint("round_id", "user_id", name="uq_reviewer_pool_member"),)
