"""People and their roles, and invitations that let someone join with a role."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, String, select, true
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from fonds.columns import UTCDateTime, utcnow
from fonds.extensions import db
from fonds.roles import ROLE_VALUES, Role, RoleType

if TYPE_CHECKING:
    from fonds.organisations.models import Membership


def normalise_email(email: str) -> str:
    return email.strip().lower()


class User(UserMixin, db.Model):
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(255))
    locale: Mapped[str] = mapped_column(String(5), default="nl")
    # Discreet e-mail, each person's own choice (default): a neutral sender and subject, no
    # signature, and nothing about an application but that a message is waiting.
    discreet_mail: Mapped[bool] = mapped_column(default=True, server_default=true())
    email_verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    active: Mapped[bool] = mapped_column(default=True)
    # Part of every session's id (get_id): raising it ends every session of this person at once.
    # Raised on logging out, a password change and deactivation.
    session_version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    roles: Mapped[list[UserRole]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )
    memberships: Mapped[list[Membership]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )

    __table_args__ = (CheckConstraint("email = lower(email)", name="email_lowercase"),)

    def get_id(self) -> str:
        return f"{self.id}.{self.session_version}"

    def end_sessions(self) -> None:
        """End every session of this person, on every device: a copied cookie stops working."""
        self.session_version = (self.session_version or 1) + 1

    @validates("active")
    def _end_sessions_when_deactivated(self, _key: str, active: bool) -> bool:
        # However an account is deactivated, its sessions end, so making it active again later
        # does not bring an old (perhaps copied) session back to life.
        if not active and self.active is not False and self.session_version is not None:
            self.end_sessions()
        return active

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_verified(self) -> bool:
        return self.email_verified_at is not None

    def has_role(self, role: Role | str) -> bool:
        return any(r.role == Role(role) for r in self.roles)

    def add_role(self, role: Role) -> None:
        if not self.has_role(role):
            self.roles.append(UserRole(role=role))

    @property
    def role_list(self) -> list[Role]:
        return sorted((r.role for r in self.roles), key=list(Role).index)

    @property
    def organisations(self) -> list:
        return sorted((m.organisation for m in self.memberships), key=lambda o: o.name.lower())

    def belongs_to(self, organisation) -> bool:
        return any(m.organisation_id == organisation.id for m in self.memberships)

    @classmethod
    def by_email(cls, email: str) -> User | None:
        return db.session.scalar(select(cls).where(cls.email == normalise_email(email)))

    def __repr__(self) -> str:
        return f"<User {self.id}>"


class UserRole(db.Model):
    __tablename__ = "user_role"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[Role] = mapped_column(RoleType, primary_key=True)
    user: Mapped[User] = relationship(back_populates="roles")

    __table_args__ = (CheckConstraint(f"role IN ({ROLE_VALUES})", name="known_role"),)


class Invitation(db.Model):
    """An e-mailed invitation to join: as reviewer or administrator (sent by an administrator),
    or as a member of an organisation (sent by one of its members)."""

    __tablename__ = "invitation"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    role: Mapped[Role] = mapped_column(RoleType)
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE")
    )
    invited_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    accepted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    organisation = relationship("Organisation")
    invited_by: Mapped[User] = relationship(foreign_keys=[invited_by_id])

    __table_args__ = (
        CheckConstraint(f"role IN ({ROLE_VALUES})", name="known_role"),
        # Members are invited into an organisation; reviewers and administrators are not.
        CheckConstraint(
            "(role = 'applicant' AND organisation_id IS NOT NULL)"
            " OR (role <> 'applicant' AND organisation_id IS NULL)",
            name="organisation_for_applicants_only",
        ),
        CheckConstraint(
            "(accepted_at IS NULL) = (accepted_by_id IS NULL)", name="accepted_by_whom"
        ),
    )

    @property
    def is_accepted(self) -> bool:
        return self.accepted_at is not None

    def is_expired(self, now: datetime | None = None) -> bool:
        return (now or utcnow()) >= self.expires_at
