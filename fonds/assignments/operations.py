"""What administrators do with a round's reviewers: the pool, assigning by hand, removing an
assignment, and assigning automatically with a balanced load. Operations flush but never commit:
the view commits once. Mail is queued in the same transaction and sent after the commit."""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from flask import current_app, has_request_context, url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, and_, func, or_, select

from fonds.applications.models import Application, Status
from fonds.assignments.models import ReviewerPoolMember
from fonds.auth.models import User, UserRole
from fonds.columns import utcnow
from fonds.extensions import db
from fonds.mail.operations import queue_mail
from fonds.organisations.models import Membership
from fonds.refusals import Refused
from fonds.reviews.models import Review
from fonds.roles import Role
from fonds.rounds.models import Round

logger = logging.getLogger(__name__)


class AssignmentRefused(Refused):
    """A step that is not allowed; str() says why, for the administrator."""


def is_active(review: Review) -> bool:
    """An assignment counts unless its reviewer declared a conflict of interest."""
    return review.conflict is not True


# SQL form of is_active (NULL is "not declared yet", so it counts).
ACTIVE = or_(Review.conflict.is_(None), Review.conflict.is_(False))


def missing_reviewers(active: int, required: int) -> int:
    """How many more reviewers an application being assessed needs: the round's number of
    reviewers per application less its active assignments (a declared conflict does not
    count)."""
    return max(required - active, 0)


def needs_reviewers() -> ColumnElement[bool]:
    """SQL form of missing_reviewers(...) > 0, for the application in the enclosing query:
    being assessed, with fewer active assignments than its round asks for."""
    active = (
        select(func.count(Review.id))
        .where(Review.application_id == Application.id, ACTIVE)
        .correlate(Application)
        .scalar_subquery()
    )
    required = (
        select(Round.reviewers_per_application)
        .where(Round.id == Application.round_id)
        .correlate(Application)
        .scalar_subquery()
    )
    return and_(Application.status == Status.IN_REVIEW.value, active < required)


# --- links -------------------------------------------------------------------------------------


def portal_link(endpoint: str, **values) -> str:
    """An absolute link to a page of the portal. Outside a request (a command, a test)
    PORTAL_URL says where the portal lives."""
    if not has_request_context():
        with current_app.test_request_context(base_url=current_app.config["PORTAL_URL"]):
            return url_for(endpoint, _external=True, **values)
    return url_for(endpoint, _external=True, **values)


def review_link(review: Review) -> str:
    return portal_link("reviews.review", review_id=review.id)


def reviews_link() -> str:
    return portal_link("reviews.dashboard")


# --- the pool ----------------------------------------------------------------------------------


def pool_member(round_: Round, user: User) -> ReviewerPoolMember | None:
    return db.session.scalar(
        select(ReviewerPoolMember).where(
            ReviewerPoolMember.round_id == round_.id, ReviewerPoolMember.user_id == user.id
        )
    )


def add_to_pool(round_: Round, user: User, by: User) -> ReviewerPoolMember:
    """Someone with the reviewer role may from now on be assigned applications of this round."""
    if not user.has_role(Role.REVIEWER):
        raise AssignmentRefused(
            _l(
                "%(name)s does not have the reviewer role, so they cannot join the pool.",
                name=user.name,
            )
        )
    if pool_member(round_, user) is not None:
        raise AssignmentRefused(
            _l("%(name)s is already in the reviewer pool of this round.", name=user.name)
        )
    member = ReviewerPoolMember(round_id=round_.id, user_id=user.id)
    db.session.add(member)
    db.session.flush()
    logger.info("User %s added to the pool of round %s by user %s", user.id, round_.id, by.id)
    return member


def remove_from_pool(round_: Round, user: User, by: User) -> None:
    """No new assignments for this person in this round; the ones they have stay."""
    member = pool_member(round_, user)
    if member is None:
        raise AssignmentRefused(
            _l("%(name)s is not in the reviewer pool of this round.", name=user.name)
        )
    db.session.delete(member)
    db.session.flush()
    logger.info("User %s removed from the pool of round %s by user %s", user.id, round_.id, by.id)


# --- eligibility -------------------------------------------------------------------------------


def reason_not_eligible(
    reviewer: User,
    *,
    is_reviewer: bool,
    in_pool: bool,
    is_member: bool,
    assigned: bool,
    declared_conflict: bool = False,
) -> str | None:
    """The one rule of who may review an application, on facts gathered elsewhere: per person
    (ineligibility) or for a whole round at once (candidates). `assigned`: the person already
    has an assignment to it, `declared_conflict` one with a declared conflict."""
    if not is_reviewer:
        return _l("%(name)s does not have the reviewer role.", name=reviewer.name)
    if not in_pool:
        return _l("%(name)s is not in the reviewer pool of this round.", name=reviewer.name)
    if is_member:
        return _l(
            "%(name)s is a member of the organisation that applies, so they cannot review "
            "this application.",
            name=reviewer.name,
        )
    if declared_conflict:
        return _l(
            "%(name)s declared a conflict of interest with this application.", name=reviewer.name
        )
    if assigned:
        return _l("%(name)s is already assigned to this application.", name=reviewer.name)
    return None


def ineligibility(application: Application, reviewer: User) -> str | None:
    """Why this person may not review this application, or None when they may."""
    existing = db.session.scalar(
        select(Review).where(
            Review.application_id == application.id, Review.reviewer_id == reviewer.id
        )
    )
    reason = reason_not_eligible(
        reviewer,
        is_reviewer=reviewer.has_role(Role.REVIEWER),
        in_pool=pool_member(application.round, reviewer) is not None,
        is_member=reviewer.belongs_to(application.organisation),
        assigned=existing is not None,
        declared_conflict=existing is not None and existing.conflict is True,
    )
    return None if reason is None else str(reason)


# --- assigning ---------------------------------------------------------------------------------


def refuse_unless_in_review(application: Application) -> None:
    if application.status != Status.IN_REVIEW.value:
        raise AssignmentRefused(
            _l(
                "Reviewers can only be assigned to an application that is being assessed. The "
                "status of %(reference)s is: %(status)s.",
                reference=application.reference,
                status=application.state.label,
            )
        )


def refuse_past_due(due_at: datetime) -> None:
    if due_at <= utcnow():
        raise AssignmentRefused(_l("Choose a due date after today."))


def assign(application: Application, reviewer: User, by: User, due_at: datetime) -> Review:
    """Assign one reviewer to one application and tell them by e-mail (without naming the
    application: the mail only says that something waits in the portal)."""
    refuse_unless_in_review(application)
    refuse_past_due(due_at)
    reason = ineligibility(application, reviewer)
    if reason is not None:
        raise AssignmentRefused(reason)
    review = Review(
        application_id=application.id,
        reviewer_id=reviewer.id,
        assigned_by_id=by.id,
        due_at=due_at,
    )
    db.session.add(review)
    db.session.flush()
    queue_mail(
        reviewer.email,
        "review_assigned",
        reviewer.locale,
        discreet=reviewer.discreet_mail,
        count=1,
        due_at=due_at,
        link=review_link(review),
    )
    logger.info("User %s assigned to application %s by user %s", reviewer.id, application.id, by.id)
    return review


def why_not_unassign(review: Review) -> str | None:
    """Why this assignment cannot be taken back (for the person), or None when it can: a
    submitted review cannot, and a declared conflict stays as a record of that declaration."""
    if review.submitted_at is not None:
        return _l(
            "%(name)s has submitted this review, so the assignment cannot be removed.",
            name=review.reviewer.name,
        )
    if review.conflict is True:
        return _l(
            "%(name)s declared a conflict of interest. That declaration stays on record; "
            "assign someone else.",
            name=review.reviewer.name,
        )
    return None


def unassign(review: Review, by: User) -> None:
    """Take back an assignment the reviewer has not submitted (why_not_unassign)."""
    refusal = why_not_unassign(review)
    if refusal is not None:
        raise AssignmentRefused(refusal)
    db.session.delete(review)
    db.session.flush()
    logger.info(
        "Review %s (user %s, application %s) removed by user %s",
        review.id,
        review.reviewer_id,
        review.application_id,
        by.id,
    )


# --- a whole round at once ---------------------------------------------------------------------


@dataclass
class Shortfall:
    """An application that did not get enough reviewers."""

    application_id: int
    reference: str
    missing: int


@dataclass
class AutoResult:
    made: int = 0
    per_reviewer: dict[int, int] = field(default_factory=dict)
    short: list[Shortfall] = field(default_factory=list)
    # Applications left alone because the acting administrator has a conflict with them
    # (fonds.applications.workflow.conflict_refusal): another administrator assigns those.
    skipped: list[str] = field(default_factory=list)


@dataclass
class RoundFacts:
    """Everything the assignment rule needs for a round, in a handful of queries."""

    pool: list[User]
    member_of: dict[int, set[int]]  # user id -> organisation ids
    round_load: dict[int, int]  # user id -> active assignments in this round
    round_submitted: dict[int, int]  # user id -> submitted reviews in this round
    total_load: dict[int, int]  # user id -> active assignments in all rounds

    @property
    def pool_ids(self) -> set[int]:
        return {user.id for user in self.pool}


def reviewers_with_role():
    return (
        select(User)
        .join(UserRole, UserRole.user_id == User.id)
        .where(UserRole.role == Role.REVIEWER)
    )


def round_facts(round_: Round) -> RoundFacts:
    """The pool (people who still have the reviewer role), their memberships and their loads."""
    pool = db.session.scalars(
        reviewers_with_role()
        .join(ReviewerPoolMember, ReviewerPoolMember.user_id == User.id)
        .where(ReviewerPoolMember.round_id == round_.id)
        .order_by(User.name, User.id)
    ).all()
    ids = [user.id for user in pool]
    member_of: dict[int, set[int]] = defaultdict(set)
    round_load: dict[int, int] = {}
    round_submitted: dict[int, int] = {}
    total_load: dict[int, int] = {}
    if ids:
        for user_id, organisation_id in db.session.execute(
            select(Membership.user_id, Membership.organisation_id).where(
                Membership.user_id.in_(ids)
            )
        ):
            member_of[user_id].add(organisation_id)
        in_round = Application.round_id == round_.id
        for user_id, active, submitted, total in db.session.execute(
            select(
                Review.reviewer_id,
                func.count(Review.id).filter(and_(ACTIVE, in_round)),
                func.count(Review.id).filter(and_(Review.submitted_at.is_not(None), in_round)),
                func.count(Review.id).filter(ACTIVE),
            )
            .join(Application, Application.id == Review.application_id)
            .where(Review.reviewer_id.in_(ids))
            .group_by(Review.reviewer_id)
        ):
            round_load[user_id] = active
            round_submitted[user_id] = submitted
            total_load[user_id] = total
    return RoundFacts(pool, member_of, round_load, round_submitted, total_load)


def reviews_by_application(round_: Round) -> dict[int, list[Review]]:
    """The assignments of the round's applications that are being assessed, in one query."""
    from sqlalchemy.orm import joinedload

    grouped: dict[int, list[Review]] = defaultdict(list)
    for review in db.session.scalars(
        select(Review)
        .options(joinedload(Review.reviewer))
        .join(Application, Application.id == Review.application_id)
        .where(Application.round_id == round_.id, Application.status == Status.IN_REVIEW.value)
        .order_by(Review.assigned_at, Review.id)
    ):
        grouped[review.application_id].append(review)
    return grouped


def eligible_reviewers(
    application: Application, facts: RoundFacts, reviews: list[Review]
) -> list[User]:
    """The pool members who may still be assigned this application, the least loaded first."""
    taken = {review.reviewer_id for review in reviews}
    return candidates(facts, application.organisation_id, taken)


def candidates(facts: RoundFacts, organisation_id: int, taken: set[int]) -> list[User]:
    """The pool members who may review an application of this organisation that these people
    (`taken`) are assigned already, the least loaded first: the rule of reason_not_eligible on
    the round's facts (the pool holds only people with the reviewer role)."""
    eligible = [
        user
        for user in facts.pool
        if reason_not_eligible(
            user,
            is_reviewer=True,
            in_pool=True,
            is_member=organisation_id in facts.member_of[user.id],
            assigned=user.id in taken,
        )
        is None
    ]
    return sorted(eligible, key=lambda user: load_key(user.id, facts))


def load_key(user_id: int, facts: RoundFacts) -> tuple[int, int, int]:
    return facts.round_load.get(user_id, 0), facts.total_load.get(user_id, 0), user_id


def auto_assign(round_: Round, by: User, due_at: datetime) -> AutoResult:
    """Give every application being assessed the round's number of active reviewers, choosing
    from the pool the people with the lowest load in this round (then the lowest load overall,
    then the lowest id), never a member of the applying organisation, never someone who declared
    a conflict or is already assigned. A few queries, a greedy pass in memory and one flush; one
    e-mail per reviewer with the number of new applications."""
    refuse_past_due(due_at)
    facts = round_facts(round_)
    applications = db.session.execute(
        select(Application.id, Application.organisation_id, Application.reference)
        .where(Application.round_id == round_.id, Application.status == Status.IN_REVIEW.value)
        .order_by(Application.submitted_at, Application.id)
    ).all()
    taken: dict[int, set[int]] = defaultdict(set)
    active: dict[int, int] = defaultdict(int)
    own_organisations = {membership.organisation_id for membership in by.memberships}
    conflicted: set[int] = set()
    for application_id, reviewer_id, conflict in db.session.execute(
        select(Review.application_id, Review.reviewer_id, Review.conflict)
        .join(Application, Application.id == Review.application_id)
        .where(Application.round_id == round_.id, Application.status == Status.IN_REVIEW.value)
    ):
        taken[application_id].add(reviewer_id)
        if conflict is not True:
            active[application_id] += 1
        elif reviewer_id == by.id:
            conflicted.add(application_id)

    result = AutoResult()
    new_reviews: list[Review] = []
    required = round_.reviewers_per_application
    for application_id, organisation_id, reference in applications:
        needed = missing_reviewers(active[application_id], required)
        if not needed:
            continue
        if organisation_id in own_organisations or application_id in conflicted:
            result.skipped.append(reference)
            continue
        chosen = [user.id for user in candidates(facts, organisation_id, taken[application_id])]
        for user_id in chosen[:needed]:
            new_reviews.append(
                Review(
                    application_id=application_id,
                    reviewer_id=user_id,
                    assigned_by_id=by.id,
                    due_at=due_at,
                )
            )
            taken[application_id].add(user_id)
            facts.round_load[user_id] = facts.round_load.get(user_id, 0) + 1
            facts.total_load[user_id] = facts.total_load.get(user_id, 0) + 1
            result.per_reviewer[user_id] = result.per_reviewer.get(user_id, 0) + 1
        if len(chosen) < needed:
            result.short.append(Shortfall(application_id, reference, needed - len(chosen)))

    if not new_reviews:
        return result
    db.session.add_all(new_reviews)
    db.session.flush()
    result.made = len(new_reviews)
    for user in facts.pool:
        count = result.per_reviewer.get(user.id)
        if count:
            queue_mail(
                user.email,
                "review_assigned",
                user.locale,
                discreet=user.discreet_mail,
                count=count,
                due_at=due_at,
                link=reviews_link(),
            )
    logger.info(
        "%s assignments in round %s made automatically by user %s (%s applications short)",
        result.made,
        round_.id,
        by.id,
        len(result.short),
    )
    return result
