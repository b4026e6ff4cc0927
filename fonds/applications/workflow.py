"""The application's workflow in one table: which transition goes from which statuses to which,
who may make it, and what must hold first. Operations consult it; tests iterate over it.
Issue 4 adds screening, review and decision transitions here.

Actors: MEMBER (a member of the applying organisation), ADMIN (an administrator) and SYSTEM (the
application itself, from a scheduled command such as `flask workflow expire`). A SYSTEM
transition is made with `by=None`: no person acts, so its history entry has no actor."""

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
SYSTEM = "system"  # a scheduled command, not a person: apply_transition(..., by=None)


@dataclass(frozen=True)
class Transition:
    name: str
    sources: frozenset[Status]
    target: Status
    actor: str
    # Returns a message when the transition may not happen, None when it may.
    guard: Callable[[Application], str | None] | None = None
    # The history entry must say why (the message is shown to the applicant).
    reason_required: bool = False


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
        Transition("screen_eligible", frozenset({Status.SUBMITTED}), Status.IN_REVIEW, ADMIN),
        Transition(
            "screen_not_admissible",
            frozenset({Status.SUBMITTED}),
            Status.NOT_ADMISSIBLE,
            ADMIN,
            reason_required=True,
        ),
        Transition(
            "expire_info",
            frozenset({Status.INFO_REQUESTED}),
            Status.NOT_ADMISSIBLE,
            SYSTEM,  # only for requests past their deadline: see expire_info_requests
        ),
        Transition(
            "withdraw",
            frozenset({Status.DRAFT, Status.SUBMITTED, Status.INFO_REQUESTED, Status.IN_REVIEW}),
            Status.WITHDRAWN,
            MEMBER,
        ),
    ]
}


def may_act(transition: Transition, application: Application, user: User | None) -> bool:
    """Whether this person (or, for `None`, the system itself) may make the transition. A
    person never makes a SYSTEM transition, and the system never acts for a person."""
    if transition.actor == SYSTEM:
        return user is None
    if user is None:
        return False
    if transition.actor == MEMBER:
        return user.is_authenticated and user.belongs_to(application.organisation)
    if transition.actor == ADMIN:
        return user.is_authenticated and user.has_role(Role.ADMIN)
    return False


def apply_transition(
    application: Application, name: str, *, by: User | None, message: str = ""
) -> ApplicationEvent:
    """Move the application through a transition of the table, or raise TransitionRefused and
    change nothing. Writes the history entry; the caller commits. `by` is the acting person, or
    None for a SYSTEM transition (the history entry then has no actor)."""
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
    if transition.reason_required and not message.strip():
        raise TransitionRefused(_("Give the reason why the application is not admissible."))
    if transition.guard is not None:
        problem = transition.guard(application)
        if problem:
            raise TransitionRefused(problem)
    event = ApplicationEvent(
        application=application,
        actor_id=by.id if by is not None else None,
        from_status=application.status,
        to_status=transition.target.value,
        message=message,
    )
    application.status = transition.target.value
    db.session.add(event)
    return event  # the operation completes its change and flushes
