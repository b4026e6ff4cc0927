"""The verbs of the applicant portal. Each takes the acting person, checks the rule through the
workflow table, changes rows, writes history, queues mail and flushes; the view commits once."""

from __future__ import annotations

import logging
from datetime import datetime
from zoneinfo import ZoneInfo

from flask import url_for
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from fonds.applications.models import (
    Application,
    ApplicationEvent,
    InfoRequest,
    ReferenceCounter,
    Status,
)
from fonds.applications.workflow import TransitionRefused, apply_transition
from fonds.auth.models import User
from fonds.columns import utcnow
from fonds.extensions import db
from fonds.mail.operations import queue_mail
from fonds.organisations.models import Organisation
from fonds.rounds.models import Round

logger = logging.getLogger(__name__)
AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def start_application(round_: Round, organisation: Organisation, *, by: User) -> Application:
    """A new draft for an open round."""
    if not by.belongs_to(organisation):
        raise TransitionRefused("not a member")
    if not round_.is_open():
        raise TransitionRefused("round closed")
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


def next_reference(now: datetime) -> str:
    """FON-2026-0042: a number per year, handed out once, also when two people send at once."""
    year = now.astimezone(AMSTERDAM).year
    insert = pg_insert if db.engine.dialect.name == "postgresql" else sqlite_insert
    db.session.execute(
        insert(ReferenceCounter).values(year=year, last_number=0).on_conflict_do_nothing()
    )
    counter = db.session.scalar(
        select(ReferenceCounter).where(ReferenceCounter.year == year).with_for_update()
    )
    counter.last_number += 1  # written by the caller's flush, together with the application
    return f"FON-{year}-{counter.last_number:04d}"


def notify_members(application: Application, template: str, **context) -> None:
    """Mail every member of the organisation, in their own language. In discreet mode the
    templates name neither topic nor project."""
    link = url_for("applications.status", application_id=application.id, _external=True)
    discreet = application.organisation.discreet_contact
    for member in application.organisation.members:
        queue_mail(
            member.email,
            template,
            member.locale,
            application=application,
            link=link,
            discreet=discreet,
            **context,
        )


def submit_application(application: Application, *, by: User) -> None:
    """Send a complete draft while its round is open; it gets its reference number."""
    apply_transition(application, "submit", by=by)
    now = utcnow()
    with db.session.no_autoflush:  # status, reference and moment are written together
        application.reference = next_reference(now)
    application.submitted_at = now
    application.declared_truthful = True
    application.declared_privacy = True
    application.organisation_snapshot = application.organisation.snapshot()
    db.session.flush()
    notify_members(application, "application_received")


def resubmit_application(application: Application, *, by: User) -> None:
    """Send the application again after the fund asked for more information."""
    request = application.open_info_request
    apply_transition(application, "resubmit", by=by)
    if request is not None:
        request.resolved_at = utcnow()
    application.organisation_snapshot = application.organisation.snapshot()
    db.session.flush()
    notify_members(application, "application_received")


def withdraw_application(application: Application, *, by: User, reason: str = "") -> None:
    apply_transition(application, "withdraw", by=by, message=reason)
    request = application.open_info_request
    if request is not None:
        request.resolved_at = utcnow()
    db.session.flush()


def request_information(
    application: Application, *, by: User, question: str, steps: list[str], deadline: datetime
) -> InfoRequest:
    """The fund asks for more information; only the steps named may change."""
    apply_transition(application, "request_info", by=by, message=question)
    request = InfoRequest(
        application=application,
        question=question,
        steps=list(steps),
        deadline=deadline,
        requested_by_id=by.id,
    )
    db.session.add(request)
    db.session.flush()
    notify_members(application, "information_requested", deadline=deadline)
    return request
