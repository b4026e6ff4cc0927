"""Organisations that apply for grants, and the people who are members of them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fonds.columns import UTCDateTime, utcnow
from fonds.extensions import db


class Organisation(db.Model):
    __tablename__ = "organisation"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="organisation", cascade="all, delete-orphan"
    )

    @property
    def members(self) -> list:
        return sorted((m.user for m in self.memberships), key=lambda u: u.name.lower())

    def can_view(self, user) -> bool:
        """Members see their organisation; administrators see every organisation."""
        from fonds.auth.models import Role

        return user.is_authenticated and (user.belongs_to(self) or user.has_role(Role.ADMIN))

    def can_invite(self, user) -> bool:
        return user.is_authenticated and user.belongs_to(self)


class Membership(db.Model):
    __tablename__ = "membership"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True
    )
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), primary_key=True
    )
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    user = relationship("User", back_populates="memberships")
    organisation: Mapped[Organisation] = relationship(back_populates="memberships")
