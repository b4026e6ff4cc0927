"""Issuing letters: render once, store the PDF bytes with their SHA-256, the issuer and the
moment, and tell the applicant a letter is waiting. An issued letter is never regenerated."""

from __future__ import annotations

import hashlib
import logging

from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.orm.attributes import set_committed_value

from fonds.applications.models import Application
from fonds.applications.operations import notify_members
from fonds.auth.models import User
from fonds.columns import utcnow
from fonds.extensions import db
from fonds.letters.context import NoLetter, confirmed_decision
from fonds.letters.models import KIND_FOR_STATUS, Letter, LetterDownload, LetterKind
from fonds.refusals import Refused

logger = logging.getLogger(__name__)


class LetterRefused(Refused):
    """The letter cannot be issued now; the message says why."""


def original_letter(application: Application) -> Letter | None:
    return db.session.scalar(
        select(Letter).where(Letter.application_id == application.id, Letter.replaces_id.is_(None))
    )


class NoteMissing(LetterRefused):
    """A correction without a note saying what it changes."""


def check_issue(
    application: Application, *, replaces: Letter | None = None, note: str | None = None
) -> LetterKind:
    """What issue_letter checks before it renders: raises LetterRefused when the letter cannot
    be issued now, else returns its kind. The confirmation page asks this first; with note=None
    (the question, before a note is typed) the note is not checked."""
    kind = KIND_FOR_STATUS.get(application.status)
    if kind is None:
        raise LetterRefused(_("This application has no decision to write a letter about yet."))
    if replaces is None and original_letter(application) is not None:
        raise LetterRefused(_("The letter for this application has been issued already."))
    if replaces is not None:
        if replaces.application_id != application.id:
            raise LetterRefused(_("That letter belongs to another application."))
        if db.session.scalar(select(Letter.id).where(Letter.replaces_id == replaces.id)):
            raise LetterRefused(_("That letter has been corrected already."))
        if note is not None and not note.strip():
            raise NoteMissing(_("Say what the correction changes."))
    return kind


def issue_letter(
    application: Application,
    *,
    by: User,
    replaces: Letter | None = None,
    note: str = "",
) -> Letter:
    """Render the letter of a decided application and freeze it. Without `replaces` this is the
    application's one original letter (refused when it exists; the database's unique index
    refuses a second one even when two issue at once); with it, a correction that names the
    letter it replaces. Flushes; the caller commits (mail is sent after the commit)."""
    from fonds.letters.render import LetterRenderError, render_letter

    conflict = application.conflict_for(by)  # also for "issue all letters" in the background
    if conflict:
        raise LetterRefused(conflict)
    kind = check_issue(application, replaces=replaces, note=note)
    decision = confirmed_decision(application)
    try:
        _html, pdf = render_letter(application, replaces=replaces, correction_note=note)
    except NoLetter:
        raise LetterRefused(
            _("This application has no decision to write a letter about yet.")
        ) from None
    except LetterRenderError:
        logger.exception("Letter for application %s could not be rendered", application.id)
        raise LetterRefused(
            _("The letter could not be made. Nothing is issued; try again or ask for help.")
        ) from None
    letter = Letter(
        application_id=application.id,
        decision_id=decision.id if decision is not None else None,
        kind=kind.value,
        title=f"Besluit op aanvraag {application.reference}",
        pdf=pdf,
        sha256=hashlib.sha256(pdf).hexdigest(),
        size=len(pdf),
        issued_by_id=by.id,
        replaces_id=replaces.id if replaces is not None else None,
        correction_note=note.strip(),
    )
    db.session.add(letter)
    db.session.flush()
    if replaces is None:
        publish_decision(application)
    notify_members(application, "letter_available")
    logger.info("Letter %s issued for application %s by user %s", letter.id, application.id, by.id)
    return letter


def publish_decision(application: Application) -> None:
    """The applicant learns the decision from its letter: from now on the applying
    organisation sees the outcome. Written without the application's version counter: nothing
    the fund's forms show of the application changes, so their forms stay valid (and a round's
    letters, which read the round's versions, are not made to recompute its ranking)."""
    now = utcnow()
    db.session.execute(
        update(Application)
        .where(Application.id == application.id)
        .values(decision_published_at=now)
        .execution_options(synchronize_session=False)
    )
    set_committed_value(application, "decision_published_at", now)


def record_download(letter: Letter, *, by: User) -> LetterDownload:
    download = LetterDownload(letter_id=letter.id, user_id=by.id)
    db.session.add(download)
    db.session.flush()
    return download
