"""The application's workflow in one table: which transition goes from which statuses to which,
who may make it, and what must hold first. Operations consult it; tests iterate over it.

Actors: MEMBER (a member of the applying organisation), ADMIN (an administrator) and SYSTEM (the
application itself: a scheduled command such as `flask workflow expire`, or the moment the last
required review comes in). A SYSTEM transition is made with `by=None`: no person acts, so its
history entry has no actor."""

from __future__ import annotations

from collections.abc import Callable

from flask import current_app
from flask_babel import gettext as _

from fonds.applications.models import Application, ApplicationEvent, Status
from fonds.auth.models import User
from fonds.decisions.queries import current_decision
from fonds.extensions import db
from fonds.reviews.queries import has_conflict, reviews_are_in
from fonds.roles import Role
from fonds.workflow import ADMIN, MEMBER, SYSTEM, Transition, Workflow


def reason_not_admissible() -> str:
    return _("Give the reason why the application is not admissible.")


def reason_decision() -> str:
    return _("Give the motivation for the decision.")


def reason_send_back() -> str:
    return _("Give the reason why you send the proposal back.")


def fund_email() -> str:
    return current_app.config["FUND_EMAIL"]


def cannot_send_now() -> str:
    return _("This application has been sent already. You cannot send it again now.")


def cannot_withdraw_now() -> str:
    return _(
        "You can no longer withdraw this application: the assessment is finished or there is a "
        "decision already. Do you want to stop anyway? E-mail us at %(email)s.",
        email=fund_email(),
    )


def round_is_open(application: Application, by: User | None = None) -> str | None:
    if not application.round.is_open():
        return _("The round is closed. You can no longer send an application to this round.")
    return None


def is_complete(application: Application, by: User | None = None) -> str | None:
    from fonds.applications.steps import missing_items

    if missing_items(application):
        return _("Your application is not complete yet. Fill in what is missing.")
    return None


def can_submit(application: Application, by: User | None = None) -> str | None:
    return round_is_open(application) or is_complete(application)


def conflict_refusal(
    application: Application, user: User | None, reviews: list | None = None
) -> str | None:
    """The one conflict rule for administrators, for every action on the application and for
    what they may read of its assessment (reviewers' names, individual reviews): a member of
    the applying organisation, or someone who declared a conflict as its reviewer, may not.
    Returns why (for the person), or None. Views, templates and the workflow all ask this."""
    if user is None or not user.is_authenticated:
        return None
    if user.belongs_to(application.organisation):
        return _(
            "You are a member of the organisation that applies. Another administrator must do this."
        )
    if has_conflict(user, application, reviews):
        return _(
            "You have a conflict of interest with this application. Another administrator "
            "must do this."
        )
    return None


def no_conflict(application: Application, by: User | None) -> str | None:
    return conflict_refusal(application, by)


def second_pair_of_eyes(outcome: str | None) -> Callable[[Application, User | None], str | None]:
    """A second administrator, who did not propose the decision and has no conflict, confirms
    it (when `outcome` is given, only a proposal with that outcome) or sends it back."""

    def guard(application: Application, by: User | None) -> str | None:
        decision = current_decision(application)
        if decision is None:
            return _("There is no proposed decision for this application.")
        if by is not None and decision.proposed_by_id == by.id:
            return _("You proposed this decision. A second administrator must confirm it.")
        if outcome is not None and decision.outcome != outcome:
            return _("The proposed decision is different. Check the page again.")
        return no_conflict(application, by)

    return guard


TRANSITIONS = {
    t.name: t
    for t in [
        Transition(
            "submit",
            frozenset({Status.DRAFT}),
            Status.SUBMITTED,
            MEMBER,
            can_submit,
            not_now=cannot_send_now,
        ),
        Transition(
            "resubmit",
            frozenset({Status.INFO_REQUESTED}),
            Status.SUBMITTED,
            MEMBER,
            is_complete,
            not_now=cannot_send_now,
        ),
        Transition("request_info", frozenset({Status.SUBMITTED}), Status.INFO_REQUESTED, ADMIN),
        Transition("screen_eligible", frozenset({Status.SUBMITTED}), Status.IN_REVIEW, ADMIN),
        Transition(
            "screen_not_admissible",
            # An administrator may also stop waiting for requested information (PRODUCT.md).
            frozenset({Status.SUBMITTED, Status.INFO_REQUESTED}),
            Status.NOT_ADMISSIBLE,
            ADMIN,
            reason_required=reason_not_admissible,
        ),
        Transition(
            "expire_info",
            frozenset({Status.INFO_REQUESTED}),
            Status.NOT_ADMISSIBLE,
            SYSTEM,  # only for requests past their deadline: see expire_info_requests
        ),
        Transition(
            "reviews_complete",
            frozenset({Status.IN_REVIEW}),
            Status.REVIEWED,
            SYSTEM,  # when the last required review is submitted
            reviews_are_in,
        ),
        Transition(
            "propose_decision",
            frozenset({Status.REVIEWED}),
            Status.DECISION_PROPOSED,
            ADMIN,
            no_conflict,
            reason_required=reason_decision,
        ),
        Transition(
            "confirm_approval",
            frozenset({Status.DECISION_PROPOSED}),
            Status.APPROVED,
            ADMIN,
            second_pair_of_eyes("approve"),
        ),
        Transition(
            "confirm_rejection",
            frozenset({Status.DECISION_PROPOSED}),
            Status.REJECTED,
            ADMIN,
            second_pair_of_eyes("reject"),
        ),
        Transition(
            "send_back",
            frozenset({Status.DECISION_PROPOSED}),
            Status.REVIEWED,
            ADMIN,
            second_pair_of_eyes(None),
            reason_required=reason_send_back,
        ),
        Transition(
            "withdraw",
            # A draft was never sent: it is deleted, not withdrawn (operations.delete_draft).
            frozenset({Status.SUBMITTED, Status.INFO_REQUESTED, Status.IN_REVIEW}),
            Status.WITHDRAWN,
            MEMBER,
            not_now=cannot_withdraw_now,
        ),
    ]
}


def not_member() -> str:
    return _(
        "You may not do this with this application. Only members of the organisation "
        "that applies can do this. Is that not right? E-mail us at %(email)s.",
        email=fund_email(),
    )


def not_admin() -> str:
    return _(
        "You may not do this with this application. Only the fund's administrators can do this."
    )


def wrong_state(application: Application) -> str:
    return _(
        "This is not possible any more. The application now has the status ‘%(status)s’. "
        "Its page shows what can still be done.",
        status=application.state.label,
    )


def record(application: Application, transition: Transition, by: User | None, message: str):
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


WORKFLOW = Workflow(
    transitions=TRANSITIONS,
    is_member=lambda application, user: user.belongs_to(application.organisation),
    is_admin=lambda user: user.has_role(Role.ADMIN),
    admin_conflict=conflict_refusal,
    not_member=not_member,
    not_admin=not_admin,
    wrong_state=wrong_state,
    record=record,
)


def may_act(transition: Transition, application: Application, user: User | None) -> bool:
    """Whether this person (or, for `None`, the system itself) may make the transition."""
    return WORKFLOW.may_act(transition, application, user)


def refusal(
    application: Application, name: str, by: User | None, *, message: str | None = None
) -> str | None:
    """Why this person (None: the system) may not make the transition now, or None when they
    may: the engine's checks (fonds.workflow) with this table. Changes nothing."""
    return WORKFLOW.refusal(application, name, by, message=message)


def apply_transition(
    application: Application, name: str, *, by: User | None, message: str = ""
) -> ApplicationEvent:
    """Move the application through a transition of the table, or raise TransitionRefused and
    change nothing. Writes the history entry; the caller commits. `by` is the acting person, or
    None for a SYSTEM transition (the history entry then has no actor)."""
    return WORKFLOW.apply(application, name, by=by, message=message)
