"""The one workflow engine. A workflow is a table of transitions (from which states to which,
who may make it, what must hold first); `refusal` says why a person may not make one now and
`apply_transition` makes it or raises `TransitionRefused`, changing nothing. The application's
workflow (fonds.applications.workflow) and the grant's (fonds.grants.workflow) are two tables on
this engine: the same `Transition` shape, the same checks in the same order, the same history.

Actors: MEMBER (a member of the organisation the subject belongs to), ADMIN (an administrator)
and SYSTEM (fonds itself: a scheduled command, or an event such as the last review or the first
payment). A SYSTEM transition is made with `by=None`: its history entry has no actor.

This module sits below every domain: it imports none of them."""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fonds.refusals import Refused


class TransitionRefused(Refused):
    """The transition is not allowed now; the message says why, for the person."""


MEMBER = "member"  # a member of the organisation that applies or holds the grant
ADMIN = "admin"
SYSTEM = "system"  # a scheduled command or an event, not a person: apply_transition(..., by=None)


@dataclass(frozen=True)
class Transition:
    name: str
    sources: frozenset[enum.Enum]
    target: enum.Enum
    actor: str
    # Returns a message when the transition may not happen, None when it may. It gets the
    # subject (an application, a grant) and the acting person (None for SYSTEM).
    guard: Callable[[Any, Any], str | None] | None = None
    # When set, the history entry must say why, and this returns the message when it does not.
    reason_required: Callable[[], str] | None = None
    # When set, the message when the subject's state is not one the transition starts from
    # (otherwise the workflow's general one that names the state).
    not_now: Callable[[], str] | None = None


@dataclass(frozen=True)
class Workflow:
    """One table and what differs between subjects: who counts as a member, how an
    administrator is checked for a conflict, the refusals' words, and the history entry."""

    transitions: dict[str, Transition]
    # Whether this person is a member of the subject's organisation / an administrator.
    is_member: Callable[[Any, Any], bool]
    is_admin: Callable[[Any], bool]
    # Why an administrator may not act on this subject at all (a conflict), or None.
    admin_conflict: Callable[[Any, Any], str | None]
    # The refusal for a person of the wrong kind (by the transition's actor).
    not_member: Callable[[], str]
    not_admin: Callable[[], str]
    # The refusal when the subject is in a state the transition does not start from.
    wrong_state: Callable[[Any], str]
    # Writes the history entry and moves the subject: (subject, transition, by, message).
    record: Callable[[Any, Transition, Any, str], Any]

    def state_of(self, subject) -> enum.Enum:
        return subject.state

    def may_act(self, transition: Transition, subject, user) -> bool:
        """Whether this person (or, for `None`, the system itself) may make the transition. A
        person never makes a SYSTEM transition, and the system never acts for a person."""
        if transition.actor == SYSTEM:
            return user is None
        if user is None or not user.is_authenticated:
            return False
        if transition.actor == MEMBER:
            return self.is_member(subject, user)
        if transition.actor == ADMIN:
            return self.is_admin(user)
        return False

    def refusal(self, subject, name: str, by, *, message: str | None = None) -> str | None:
        """Why this person (None: the system) may not make the transition now, or None when
        they may. Runs every check of `apply_transition` and changes nothing, so a page can show
        a button exactly when the step behind it would succeed. `message` is the reason typed
        with the step; a dry run for a page passes none."""
        transition = self.transitions[name]
        if not self.may_act(transition, subject, by):
            return self.not_member() if transition.actor == MEMBER else self.not_admin()
        if transition.actor == ADMIN:
            conflict = self.admin_conflict(subject, by)
            if conflict:
                return conflict
        if self.state_of(subject) not in transition.sources:
            if transition.not_now is not None:
                return transition.not_now()
            return self.wrong_state(subject)
        if transition.reason_required is not None and message is not None and not message.strip():
            return transition.reason_required()
        if transition.guard is not None:
            return transition.guard(subject, by)
        return None

    def apply(self, subject, name: str, *, by, message: str = ""):
        """Move the subject through a transition of the table, or raise TransitionRefused and
        change nothing. Writes the history entry; the caller commits."""
        transition = self.transitions[name]
        problem = self.refusal(subject, name, by, message=message)
        if problem:
            raise TransitionRefused(problem)
        return self.record(subject, transition, by, message)
