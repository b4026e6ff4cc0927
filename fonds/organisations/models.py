"""Organisations that apply for grants, and the people who are members of them."""

from __future__ import annotations

import enum
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fonds.columns import UTCDateTime, utcnow
from fonds.extensions import db


class LegalForm(enum.StrEnum):
    STICHTING = "stichting"
    VERENIGING = "vereniging"
    INFORMAL = "informal"  # an informal group with a host organisation

    @property
    def label(self) -> str:
        return str(LEGAL_FORM_LABELS[self])

    @property
    def is_legal_entity(self) -> bool:
        return self != LegalForm.INFORMAL


LEGAL_FORM_LABELS = {
    LegalForm.STICHTING: _l("Foundation (stichting)"),
    LegalForm.VERENIGING: _l("Association (vereniging)"),
    LegalForm.INFORMAL: _l("Informal group with a host organisation"),
}


# An organisation's details: kept with a submitted application (Organisation.snapshot),
# checked before submitting, the letters' addressee.
DETAIL_FIELDS = (
    "name",
    "legal_form",
    "kvk_number",
    "host_organisation",
    "street",
    "postcode",
    "city",
    "iban",
    "account_holder",
    "contact_name",
    "contact_email",
    "contact_phone",
)


class Organisation(db.Model):
    """An applying organisation. Its details are entered once and reused for every application;
    each submitted application keeps a snapshot of them."""

    __tablename__ = "organisation"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))  # the legal name
    legal_form: Mapped[str | None] = mapped_column(String(20))
    kvk_number: Mapped[str | None] = mapped_column(String(8))
    host_organisation: Mapped[str] = mapped_column(String(200), default="")
    street: Mapped[str] = mapped_column(String(200), default="")
    postcode: Mapped[str] = mapped_column(String(7), default="")
    city: Mapped[str] = mapped_column(String(100), default="")
    iban: Mapped[str] = mapped_column(String(34), default="")
    account_holder: Mapped[str] = mapped_column(String(200), default="")
    contact_name: Mapped[str] = mapped_column(String(200), default="")
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    contact_phone: Mapped[str] = mapped_column(String(30), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    __table_args__ = (
        CheckConstraint(
            "legal_form IS NULL OR legal_form IN ('stichting', 'vereniging', 'informal')",
            name="known_legal_form",
        ),
        CheckConstraint("kvk_number IS NULL OR length(kvk_number) = 8", name="kvk_eight_digits"),
    )

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="organisation", cascade="all, delete-orphan"
    )

    @property
    def members(self) -> list:
        return sorted((m.user for m in self.memberships), key=lambda u: u.name.lower())

    def can_view(self, user) -> bool:
        """Members see their organisation; administrators see every organisation."""
        from fonds.roles import Role

        return user.is_authenticated and (user.belongs_to(self) or user.has_role(Role.ADMIN))

    def can_edit(self, user) -> bool:
        return user.is_authenticated and user.belongs_to(self)

    def can_invite(self, user) -> bool:
        """Members invite colleagues: the same people who change the details."""
        return self.can_edit(user)

    @property
    def form(self) -> LegalForm | None:
        return LegalForm(self.legal_form) if self.legal_form else None

    def missing_details(self) -> list[str]:
        """Names of the details an application needs before it can be submitted."""
        optional = ("kvk_number", "host_organisation")  # needed for some legal forms, below
        required = [field for field in DETAIL_FIELDS if field not in optional]
        missing = [field for field in required if not getattr(self, field)]
        if self.form is not None and self.form.is_legal_entity and not self.kvk_number:
            missing.append("kvk_number")
        if self.form == LegalForm.INFORMAL and not self.host_organisation:
            missing.append("host_organisation")
        return missing

    def snapshot(self) -> dict:
        """The details as they are now, kept with a submitted application."""
        return {field: getattr(self, field) for field in DETAIL_FIELDS}


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
