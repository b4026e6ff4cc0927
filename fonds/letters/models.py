"""Decision letters: PDFs frozen once issued, and who downloaded them."""

from __future__ import annotations

import enum
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fonds.columns import UTCDateTime, utcnow
from fonds.extensions import db


class LetterKind(enum.StrEnum):
    AWARD = "award"
    REJECTION = "rejection"
    NOT_ADMISSIBLE = "not_admissible"


KIND_LABELS = {
    LetterKind.AWARD: _l("Award letter"),
    LetterKind.REJECTION: _l("Rejection letter"),
    LetterKind.NOT_ADMISSIBLE: _l("Not-admissible letter"),
}

# The letter an application in this status gets.
KIND_FOR_STATUS = {
    "approved": LetterKind.AWARD,
    "rejected": LetterKind.REJECTION,
    "not_admissible": LetterKind.NOT_ADMISSIBLE,
}


class Letter(db.Model):
    """An issued letter: the PDF bytes as sent, with their SHA-256, the issuer and the moment.
    It is never regenerated or changed (a database trigger refuses updates and deletions); a
    correction is a new letter that names the one it replaces, and both remain. Each application
    has at most one original letter (a partial unique index), so a batch that runs twice never
    issues a second one."""

    __tablename__ = "letter"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id"), index=True)
    decision_id: Mapped[int | None] = mapped_column(ForeignKey("decision.id"))
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(200))
    pdf: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int]
    issued_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("letter.id"), unique=True)
    correction_note: Mapped[str] = mapped_column(Text, default="")

    application = relationship("Application")
    issued_by = relationship("User")
    replaces = relationship("Letter", remote_side=[id])

    __table_args__ = (
        CheckConstraint("kind IN ('award', 'rejection', 'not_admissible')", name="known_kind"),
        CheckConstraint("size > 0 AND length(sha256) = 64", name="has_content"),
        CheckConstraint("replaces_id IS NULL OR replaces_id <> id", name="replaces_another"),
        Index(
            "uq_letter_one_original",
            "application_id",
            unique=True,
            sqlite_where=db.text("replaces_id IS NULL"),
            postgresql_where=db.text("replaces_id IS NULL"),
        ),
    )


class LetterDownload(db.Model):
    """Every download of a letter: who and when (applicants and administrators alike)."""

    __tablename__ = "letter_download"

    id: Mapped[int] = mapped_column(primary_key=True)
    letter_id: Mapped[int] = mapped_column(ForeignKey("letter.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    user = relationship("User")


class BatchItemState(enum.StrEnum):
    PENDING = "pending"
    ISSUED = "issued"
    FAILED = "failed"
    SKIPPED = "skipped"  # the letter existed already, or a later run took the item over


class LetterBatch(db.Model):
    """One run of "issue all letters" for a round: an item per decided application that had no
    letter when the run started. A worker issues each item's letter in the background. A run
    that is started again (after a worker stopped) supersedes the unfinished one: the new run
    holds only the letters still missing, and the old run's remaining items are skipped."""

    __tablename__ = "letter_batch"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("funding_round.id"), index=True)
    started_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # The language of whoever started it, for the failure reasons the worker writes down.
    locale: Mapped[str] = mapped_column(String(5), default="nl")
    superseded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    round = relationship("Round")
    started_by = relationship("User")


class LetterBatchItem(db.Model):
    __tablename__ = "letter_batch_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("letter_batch.id"), index=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id"), index=True)
    state: Mapped[str] = mapped_column(String(10), default=BatchItemState.PENDING)
    reason: Mapped[str] = mapped_column(Text, default="")
    letter_id: Mapped[int | None] = mapped_column(ForeignKey("letter.id"))
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    batch = relationship("LetterBatch")
    application = relationship("Application")

    __table_args__ = (
        UniqueConstraint("batch_id", "application_id", name="uq_batch_item_application"),
        CheckConstraint(
            "state IN ('pending', 'issued', 'failed', 'skipped')", name="known_batch_state"
        ),
    )
