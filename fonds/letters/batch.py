"""Issuing all missing letters of a round in the background.

`start_batch` (in the administrator's request) writes a batch with one item per decided
application that has no letter yet and returns at once; the view then puts one task on the queue
(fonds/queue.py). A worker process fans that out into a task per item, and `issue_item` issues
one item's letter: the letter and the item's new state are written in one transaction, so a
worker that is killed halfway leaves either both or neither. Running the batch again after a
crash issues only the letters still missing; the unique index on an application's original
letter makes sure no decision ever gets two, even when two runs overlap."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import and_, case, func, select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import aliased

from fonds.applications.models import Application
from fonds.auth.models import User
from fonds.columns import utcnow
from fonds.extensions import db
from fonds.letters.context import by_post_condition
from fonds.letters.models import (
    KIND_FOR_STATUS,
    BatchItemState,
    Letter,
    LetterBatch,
    LetterBatchItem,
    LetterKind,
)
from fonds.letters.operations import LetterRefused, issue_letter, original_letter
from fonds.mail.operations import send_ready_mail
from fonds.organisations.models import Organisation
from fonds.rounds.models import Round

logger = logging.getLogger(__name__)


def has_original_letter():
    """True for an application (in the enclosing query) that has its original letter."""
    return (
        select(Letter.id)
        .where(Letter.application_id == Application.id, Letter.replaces_id.is_(None))
        .exists()
    )


def missing_letters(round_: Round):
    """A select of the ids of the round's decided applications without an (original) letter."""
    return (
        select(Application.id)
        .where(
            Application.round_id == round_.id,
            Application.status.in_(list(KIND_FOR_STATUS)),
            ~has_original_letter(),
        )
        .order_by(Application.reference)
    )


@dataclass
class LetterCounts:
    decided: int
    issued: int

    @property
    def missing(self) -> int:
        return self.decided - self.issued


def letter_counts(round_: Round) -> LetterCounts:
    """How many of the round's applications are decided, and how many have their letter."""
    issued = func.coalesce(func.sum(case((has_original_letter(), 1), else_=0)), 0)
    decided, issued = db.session.execute(
        select(func.count(), issued).where(
            Application.round_id == round_.id, Application.status.in_(list(KIND_FOR_STATUS))
        )
    ).one()
    return LetterCounts(decided=decided, issued=issued)


@dataclass
class Failure:
    application_id: int
    reference: str
    status: str
    reason: str


@dataclass
class Progress:
    """Where a batch stands: done counts issued letters and letters that existed already."""

    batch: LetterBatch
    total: int = 0
    issued: int = 0
    skipped: int = 0
    failed: int = 0
    pending: int = 0
    last_activity: datetime | None = None
    failures: list[Failure] = field(default_factory=list)
    stalled: bool = False

    @property
    def done(self) -> int:
        return self.issued + self.skipped

    @property
    def finished(self) -> bool:
        return self.pending == 0

    @property
    def superseded(self) -> bool:
        return self.batch.superseded_at is not None

    @property
    def running(self) -> bool:
        return not self.finished and not self.superseded


def latest_batch(round_: Round) -> LetterBatch | None:
    return db.session.scalar(
        select(LetterBatch)
        .where(LetterBatch.round_id == round_.id)
        .order_by(LetterBatch.id.desc())
        .limit(1)
    )


def batch_progress(batch: LetterBatch) -> Progress:
    """Counts per state and the failures with their reasons: two queries, whatever the size."""
    progress = Progress(batch=batch)
    rows = db.session.execute(
        select(LetterBatchItem.state, func.count(), func.max(LetterBatchItem.updated_at))
        .where(LetterBatchItem.batch_id == batch.id)
        .group_by(LetterBatchItem.state)
    ).all()
    last = batch.started_at
    for state, count, updated in rows:
        setattr(progress, state, count)
        progress.total += count
        if updated is not None and updated > last:
            last = updated
    progress.last_activity = last
    progress.failures = [
        Failure(application_id, reference, status, reason)
        for application_id, reference, status, reason in db.session.execute(
            select(
                Application.id, Application.reference, Application.status, LetterBatchItem.reason
            )
            .join(LetterBatchItem, LetterBatchItem.application_id == Application.id)
            .where(
                LetterBatchItem.batch_id == batch.id,
                LetterBatchItem.state == BatchItemState.FAILED,
            )
            .order_by(Application.reference)
        )
    ]
    stalled_after = timedelta(seconds=current_app.config["LETTER_BATCH_STALLED_SECONDS"])
    progress.stalled = progress.running and utcnow() - last > stalled_after
    return progress


def check_start(round_: Round) -> list[int]:
    """What start_batch checks: raises LetterRefused while an earlier run still makes progress
    or when there is nothing to issue; else returns the ids of the applications without a
    letter. The confirmation page asks this first."""
    previous = latest_batch(round_)
    if previous is not None:
        progress = batch_progress(previous)
        if progress.running and not progress.stalled:
            raise LetterRefused(
                _("The letters of this round are being issued now. Wait until that is done.")
            )
    application_ids = db.session.scalars(missing_letters(round_)).all()
    if not application_ids:
        raise LetterRefused(_("Every decided application in this round has its letter."))
    return application_ids


@dataclass(frozen=True)
class RoundLetter:
    """A decided application of the round and its newest letter, if it has one."""

    application_id: int
    reference: str
    title: str
    organisation: str
    status: str
    letter_id: int | None
    issued_at: datetime | None
    corrected: bool  # the newest letter is a correction
    by_post: bool = False  # the letter must also be printed and sent by post (art. 2:14 Awb)

    @property
    def kind(self) -> LetterKind:
        return KIND_FOR_STATUS[self.status]


def decided_letters(round_: Round, *, missing_only: bool = False) -> list[RoundLetter]:
    """The round's decided applications in reference order, each with its newest letter: one
    query, whatever the size of the round. With missing_only, those without an original letter
    (what "issue all missing letters" would issue)."""
    newest = (
        select(func.max(Letter.id))
        .where(Letter.application_id == Application.id)
        .correlate(Application)
        .scalar_subquery()
    )
    shown = aliased(Letter)  # the newest letter (has_original_letter looks at Letter itself)
    query = (
        select(
            Application.id,
            Application.reference,
            Application.title,
            Organisation.name,
            Application.status,
            shown.id,
            shown.issued_at,
            shown.replaces_id.is_not(None),
            by_post_condition(),
        )
        .join(Organisation, Organisation.id == Application.organisation_id)
        .join(Round, Round.id == Application.round_id)
        .outerjoin(shown, shown.id == newest)
        .where(
            Application.round_id == round_.id,
            Application.status.in_(list(KIND_FOR_STATUS)),
        )
        .order_by(Application.reference)
    )
    if missing_only:
        query = query.where(~has_original_letter())
    return [
        RoundLetter(
            application_id=application_id,
            reference=reference,
            title=title,
            organisation=organisation,
            status=status,
            letter_id=letter_id,
            issued_at=issued_at,
            corrected=bool(corrected) if letter_id is not None else False,
            by_post=bool(post),
        )
        for (
            application_id,
            reference,
            title,
            organisation,
            status,
            letter_id,
            issued_at,
            corrected,
            post,
        ) in db.session.execute(query)
    ]


def start_batch(round_: Round, *, by: User, locale: str) -> LetterBatch:
    """Write a batch for every decided application of the round without a letter. Refused when
    there is nothing to issue, or while an earlier run still makes progress; an earlier run
    that stalled is superseded. Flushes; the caller commits and then enqueues the batch."""
    # Two administrators starting at once: the round's row lock lets one go first (PostgreSQL;
    # SQLite has one writer at a time anyway). Either way the unique index keeps letters single.
    db.session.execute(select(Round.id).where(Round.id == round_.id).with_for_update())
    application_ids = check_start(round_)
    now = utcnow()
    db.session.execute(
        LetterBatch.__table__.update()
        .where(LetterBatch.round_id == round_.id, LetterBatch.superseded_at.is_(None))
        .values(superseded_at=now)
    )
    batch = LetterBatch(round_id=round_.id, started_by_id=by.id, started_at=now, locale=locale)
    db.session.add(batch)
    db.session.flush()
    db.session.execute(
        LetterBatchItem.__table__.insert(),
        [
            {"batch_id": batch.id, "application_id": i, "state": "pending", "reason": ""}
            for i in application_ids
        ],
    )
    logger.info(
        "Letter batch %s for round %s started by user %s: %s letters",
        batch.id,
        round_.id,
        by.id,
        len(application_ids),
    )
    return batch


def pending_items(batch_id: int) -> list[int]:
    return db.session.scalars(
        select(LetterBatchItem.id)
        .where(
            LetterBatchItem.batch_id == batch_id,
            LetterBatchItem.state == BatchItemState.PENDING,
        )
        .order_by(LetterBatchItem.id)
    ).all()


def _finish_item(item_id: int, state: BatchItemState, reason: str = "", letter_id=None) -> None:
    db.session.execute(
        LetterBatchItem.__table__.update()
        .where(and_(LetterBatchItem.id == item_id, LetterBatchItem.state == "pending"))
        .values(state=state.value, reason=reason, letter_id=letter_id, updated_at=utcnow())
    )


def issue_item(item_id: int) -> str:
    """Issue the letter of one batch item (in a worker). Returns the item's new state. An item
    that is no longer pending is left alone, so a task that runs twice does nothing twice."""
    item = db.session.get(LetterBatchItem, item_id)
    if item is None or item.state != BatchItemState.PENDING:
        return item.state if item is not None else "gone"
    batch = item.batch
    if batch.superseded_at is not None:
        _finish_item(item.id, BatchItemState.SKIPPED, _reason(batch, "superseded"))
        db.session.commit()
        return BatchItemState.SKIPPED
    application = db.session.get(Application, item.application_id)
    existing = original_letter(application)
    if existing is not None:
        _finish_item(item.id, BatchItemState.SKIPPED, letter_id=existing.id)
        db.session.commit()
        return BatchItemState.SKIPPED
    # The e-mail links to the portal: outside a request, PORTAL_URL says where it lives.
    portal = current_app.test_request_context(base_url=current_app.config["PORTAL_URL"])
    try:
        with portal, force_locale(batch.locale):
            letter = issue_letter(application, by=batch.started_by)
        _finish_item(item.id, BatchItemState.ISSUED, letter_id=letter.id)
        db.session.commit()
        state = BatchItemState.ISSUED
    except OperationalError:
        db.session.rollback()
        raise  # the database was briefly unavailable or locked: the queue tries again
    except Exception as error:
        db.session.rollback()
        state, reason = _outcome_of(error, batch, item_id)
        _finish_item(item_id, state, reason)
        db.session.commit()
    send_ready_mail()
    return state


def _outcome_of(error: Exception, batch: LetterBatch, item_id: int) -> tuple[BatchItemState, str]:
    """What an item that did not get its letter becomes, and why (in the starter's language)."""
    if isinstance(error, LetterRefused):
        return BatchItemState.FAILED, str(error)
    if isinstance(error, IntegrityError):  # issued by hand, or by an overlapping run, just now
        return BatchItemState.SKIPPED, ""
    # A failure of our own: recorded, so the run does not hang on it.
    logger.error("Letter batch item %s failed", item_id, exc_info=error)
    return BatchItemState.FAILED, _reason(batch, "error")


def _reason(batch: LetterBatch, what: str) -> str:
    with force_locale(batch.locale):
        if what == "superseded":
            return _("A later run took this letter over.")
        return _("The letter could not be made. Nothing is issued; try again or ask for help.")
