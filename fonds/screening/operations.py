"""The verbs of screening: the fund finds an application eligible, not admissible, or asks for
more information. Each checks the rule through the workflow table, writes history and flushes."""

from __future__ import annotations

import logging
from datetime import datetime

from fonds.applications.models import Application, InfoRequest
from fonds.applications.operations import notify_members
from fonds.applications.workflow import apply_transition
from fonds.auth.models import User
from fonds.extensions import db

logger = logging.getLogger(__name__)


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


def mark_eligible(application: Application, *, by: User) -> None:
    """Screening: the application meets the conditions and goes to the reviewers."""
    apply_transition(application, "screen_eligible", by=by)
    db.session.flush()
    notify_members(application, "application_in_review")
    logger.info("Application %s screened eligible by user %s", application.id, by.id)


def mark_not_admissible(application: Application, *, by: User, reason: str) -> None:
    """Screening: the application does not meet the conditions; the reason is required. The
    applicant learns it from the letter, which says the reason."""
    apply_transition(application, "screen_not_admissible", by=by, message=reason.strip())
    db.session.flush()  # the applicant hears of it from the letter (letters.issue_letter)
    logger.info("Application %s screened not admissible by user %s", application.id, by.id)
