"""The application's workflow in one table: which transition goes from which statuses to which,
who may make it, and what must hold first. Operations consult it; tests iterate over it.
Issue 4 adds screening, review and decision transitions here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import gettext as _

from fonds.applications.models import Application, ApplicationEvent, Status
from fonds.auth.models import Role, User
from fonds.extensions import db


class TransitionRefused(Exception):
    """The transition is not allowed now; the message says why, for the person."""


MEMBER = "member"  # a member of the applying organisation
ADMIN = "admin"


@dataclass(frozen=True)
class Transition:
    name: str
    sources: frozenset[Status]
    target: Status
    actor: str
    # Returns a message when the transition may not happen, None when it may.
    guard: Callable[[Application], str | None] | None = None


def round_is_open(application: Application) -> str | None:
    if not application.round.is_open():
        return _("The round is closed. You can no longer send an application to this round.")
    return None


def is_complete(application: Application) -> str | None:
    from fonds.applications.steps import missing_items

    if missing_items(application):
        return _("Your application is not complete yet. Fill in what is missing.")
    return None


def can_submit(application: Application) -> str | None:
    return round_is_open(application) or is_complete(application)


TRANSITIONS = {
    t.name: t
    for t in [
        Transition("submit", frozenset({Status.DRAFT}), Status.SUBMITTED, MEMBER, can_submit),
        Transition(
            "resubmit", frozenset({Status.INFO_REQUESTED}), Status.SUBMITTED, MEMBER, is_complete
        ),
        Transition("request_info", frozenset({Status.SUBMITTED}), Status.INFO_REQUESTED, ADMIN),
        Transition(
            "withdraw",
            frozenset({Status.DRAFT, Status.SUBMITTED, Status.INFO_REQUESTED, Status.IN_REVIEW}),
            Status.WITHDRAWN,
            MEMBER,
        ),
    ]
}


def may_act(transition: Transition, application: Application, user: User) -> bool:
    if transition.actor == MEMBER:
        return user.is_authenticated and user.belongs_to(application.organisation)
    if transition.actor == ADMIN:
        return user.is_authenticated and user.has_role(Role.ADMIN)
    return False


def apply_transition(
    application: Application, name: str, *, by: User, message: str = ""
) -> ApplicationEvent:
    """Move the application through a transition of the table, or raise TransitionRefused and
    change nothing. Writes the history entry; the caller commits."""
    transition = TRANSITIONS[name]
    if not may_act(transition, application, by):
        raise TransitionRefused(_("You may not do this with this application."))
    if application.state not in transition.sources:
        raise TransitionRefused(
            _(
                "This is not possible now: the application is %(status)s.",
                status=application.state.label.lower(),
            )
        )
    if transition.guard is not None:
        problem = transition.guard(application)
        if problem:
            raise TransitionRefused(problem)
    event = ApplicationEvent(
        application=application,
        actor_id=by.id,
        from_status=application.status,
        to_status=transition.target.value,
        message=message,
    )
    application.status = transition.target.value
    db.session.add(event)
    return event  # the operation completes its change and flushes
