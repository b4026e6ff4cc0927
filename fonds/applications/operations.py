"""The verbs of the applicant portal. Each takes the acting person, checks the rule through the
workflow table, changes rows, writes history, queues mail and flushes; the view commits once."""

from __future__ import annotations

import logging
from datetime import datetime

from flask import current_app, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import and_, delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from fonds.applications.models import (
    Application,
    ApplicationEvent,
    ApplicationView,
    InfoRequest,
    ReferenceCounter,
    RescuedInput,
    Status,
)
from fonds.applications.workflow import apply_transition
from fonds.auth.models import User
from fonds.columns import utcnow
from fonds.extensions import db
from fonds.formatting import AMSTERDAM, long_date
from fonds.mail.operations import queue_mail
from fonds.organisations.models import Organisation
from fonds.rounds.models import Round
from fonds.workflow import TransitionRefused

logger = logging.getLogger(__name__)


def start_application(round_: Round, organisation: Organisation, *, by: User) -> Application:
    """A new draft for an open round."""
    if not by.belongs_to(organisation):
        raise TransitionRefused(
            _("You can only start an application for an organisation you are a member of.")
        )
    if not round_.is_open():
        raise TransitionRefused(_("This round is closed. You cannot start an application in it."))
    application = Application(
        round=round_, organisation=organisation, created_by=by, status=Status.DRAFT.value
    )
    db.session.add(application)
    db.session.flush()
    db.session.add(
        ApplicationEvent(
            application=application, actor_id=by.id, from_status=None, to_status=Status.DRAFT.value
        )
    )
    db.session.flush()
    logger.info("Application %s started by user %s", application.id, by.id)
    return application


def year_counter(year: int) -> ReferenceCounter:
    """The reference counter of a year (made at 0 the first time), locked until the transaction
    ends, so two people sending at once never get the same number."""
    insert = pg_insert if db.engine.dialect.name == "postgresql" else sqlite_insert
    db.session.execute(
        insert(ReferenceCounter).values(year=year, last_number=0).on_conflict_do_nothing()
    )
    return db.session.scalar(
        select(ReferenceCounter).where(ReferenceCounter.year == year).with_for_update()
    )


def format_reference(year: int, number: int) -> str:
    return f"FON-{year}-{number:04d}"


def next_reference(now: datetime) -> str:
    """FON-2026-0042: a number per year, handed out once, also when two people send at once."""
    year = now.astimezone(AMSTERDAM).year
    counter = year_counter(year)
    counter.last_number += 1  # written by the caller's flush, together with the application
    return format_reference(year, counter.last_number)


def notify_members(application: Application, template: str, **context) -> None:
    """Mail every member of the organisation, in their own language and as each chose for
    themselves: in discreet mode (the default) the e-mail names neither the fund, the topic
    nor the project, so one member's ordinary mail never exposes another."""
    link = url_for("applications.status", application_id=application.id, _external=True)
    for member in application.organisation.members:
        queue_mail(
            member.email,
            template,
            member.locale,
            discreet=member.discreet_mail,
            application=application,
            link=link,
            **context,
        )


def submit_application(
    application: Application,
    *,
    by: User,
    publication_consent: bool = False,
    electronic_delivery_consent: bool | None = None,
) -> None:
    """Send a complete draft while its round is open; it gets its reference number. The
    declarations were ticked; `publication_consent` is the applicant's answer to whether the
    fund may publish an award, `electronic_delivery_consent` whether decisions may come through
    the portal only (asked in an Awb round; None elsewhere)."""
    apply_transition(application, "submit", by=by)
    now = utcnow()
    with db.session.no_autoflush:  # status, reference and moment are written together
        application.reference = next_reference(now)
    application.submitted_at = now
    application.declared_truthful = True
    application.declared_privacy = True
    application.publication_consent = publication_consent
    application.electronic_delivery_consent = electronic_delivery_consent
    application.organisation_snapshot = application.organisation.snapshot()
    db.session.flush()
    notify_members(application, "application_received")


def resubmit_application(
    application: Application,
    *,
    by: User,
    publication_consent: bool = False,
    electronic_delivery_consent: bool | None = None,
) -> None:
    """Send the application again after the fund asked for more information (also after the
    deadline, as long as the fund has not stopped handling it)."""
    request = application.open_info_request
    apply_transition(application, "resubmit", by=by)
    if request is not None:
        request.resolved_at = utcnow()
    application.publication_consent = publication_consent
    application.electronic_delivery_consent = electronic_delivery_consent
    application.organisation_snapshot = application.organisation.snapshot()
    db.session.flush()
    notify_members(application, "application_received")


def send_transition(application: Application) -> str | None:
    """Which sending step starts from the application's status: sending a draft, sending it
    again after a question, or none."""
    for name in ("resubmit", "submit"):
        if application.is_at(name):
            return name
    return None


def send_application(
    application: Application,
    *,
    by: User,
    publication_consent: bool = False,
    electronic_delivery_consent: bool | None = None,
) -> None:
    """Send the application: the first time, or again after the fund asked a question."""
    send = (
        resubmit_application if send_transition(application) == "resubmit" else submit_application
    )
    send(
        application,
        by=by,
        publication_consent=publication_consent,
        electronic_delivery_consent=electronic_delivery_consent,
    )


def delete_draft(application: Application, *, by: User) -> list:
    """Delete a draft that was never sent, with its budget, attachments and history. Returns
    the paths of the attachments' files, to remove after the commit (a failed commit must not
    lose the files of rows that still exist)."""
    from fonds.applications.attachments import stored_path

    if not application.can_delete(by):
        raise TransitionRefused(_("Only a draft that was never sent can be deleted."))
    paths = [stored_path(attachment) for attachment in application.attachments]
    # Rows without a relationship go explicitly (SQLite does not enforce ON DELETE CASCADE).
    for table in (RescuedInput, ApplicationView):
        db.session.execute(delete(table).where(table.application_id == application.id))
    db.session.delete(application)
    db.session.flush()
    logger.info("Draft application %s deleted by user %s", application.id, by.id)
    return paths


def withdraw_application(application: Application, *, by: User, reason: str = "") -> None:
    apply_transition(application, "withdraw", by=by, message=reason)
    request = application.open_info_request
    if request is not None:
        request.resolved_at = utcnow()
    db.session.flush()


def expire_info_requests(now: datetime) -> list[Application]:
    """Applications whose request for more information passed its deadline (before `now`)
    without an answer become not admissible. The system acts, not a person, so the history entry
    has no actor. Running it again finds nothing new."""
    applications = db.session.scalars(
        select(Application)
        .where(
            Application.status == Status.INFO_REQUESTED.value,
            Application.info_requests.any(
                and_(InfoRequest.resolved_at.is_(None), InfoRequest.deadline < now)
            ),
        )
        .order_by(Application.id)
    ).all()
    for application in applications:
        request = application.open_info_request
        # The history is shown to applicants as written: in the fund's own language.
        with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
            message = _(
                "You did not answer our question in time. The last day was %(date)s.",
                date=long_date(request.deadline) if request is not None else "",
            )
        apply_transition(application, "expire_info", by=None, message=message)
        if request is not None:
            request.resolved_at = now
        db.session.flush()  # the applicant hears of it from the letter
        logger.info("Application %s expired: information not received in time", application.id)
    return applications


def record_view(application: Application, page: str, *, by: User) -> ApplicationView | None:
    """Log that someone outside the applying organisation (an administrator, later a reviewer)
    looked at a page of the application. Members looking at their own application are not
    logged. The view commits."""
    if by.belongs_to(application.organisation):
        return None
    view = ApplicationView(application_id=application.id, user_id=by.id, page=page)
    db.session.add(view)
    db.session.flush()
    return view
