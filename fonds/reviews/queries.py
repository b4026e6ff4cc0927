"""Read-only questions about reviews, for the workflow's guards, the operations and the views."""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import ngettext
from sqlalchemy import func, select
from sqlalchemy.orm import contains_eager, selectinload

from fonds.applications.models import Application
from fonds.auth.models import User
from fonds.extensions import db
from fonds.reviews.models import Review, ReviewScore
from fonds.rounds.models import RubricCriterion


def has_conflict(user: User, application: Application, reviews: list | None = None) -> bool:
    """A person has a conflict of interest with an application when they belong to the applying
    organisation or declared a conflict as its reviewer. `reviews`, the application's reviews
    when a page has them loaded already, saves a query."""
    if user.belongs_to(application.organisation):
        return True
    if reviews is not None:
        return any(r.reviewer_id == user.id and r.conflict is True for r in reviews)
    return (
        db.session.scalar(
            db.select(Review.id).where(
                Review.application_id == application.id,
                Review.reviewer_id == user.id,
                Review.conflict.is_(True),
            )
        )
        is not None
    )


def conflicted_among(user: User, application_ids: Iterable[int]) -> frozenset[int]:
    """has_conflict for many applications at once, in one query: those of `application_ids`
    whose organisation the person belongs to, or for which they declared a conflict as a
    reviewer (a page of thousands of rows asks this once, not per row)."""
    ids = list(application_ids)
    if not ids:
        return frozenset()
    own = [m.organisation_id for m in user.memberships]
    applications = select(Application.id).where(
        Application.id.in_(ids), Application.organisation_id.in_(own)
    )
    declared = select(Review.application_id).where(
        Review.application_id.in_(ids),
        Review.reviewer_id == user.id,
        Review.conflict.is_(True),
    )
    return frozenset(db.session.scalars(applications.union(declared)))


def reviews_are_in(application: Application, by: User | None = None) -> str | None:
    """The round's number of reviews per application are submitted."""
    submitted = db.session.scalar(
        db.select(db.func.count(Review.id)).where(
            Review.application_id == application.id, Review.submitted_at.is_not(None)
        )
    )
    if submitted < application.round.reviewers_per_application:
        return ngettext(
            "%(num)s of the %(required)s reviews is submitted.",
            "%(num)s of the %(required)s reviews are submitted.",
            submitted,
            required=application.round.reviewers_per_application,
        )
    return None


def review_total(scores: Iterable[tuple[int, int | None]]) -> float | None:
    """The formula of `review_totals` for one review in Python, from (weight, score) per
    criterion: over the criteria scored so far, None while none is. The scoring page shows it
    (and fonds.js computes it the same way while the reviewer clicks)."""
    scored = [(weight, score) for weight, score in scores if score is not None]
    if not scored:
        return None
    weighted = sum(weight * (score - 1) for weight, score in scored)
    return weighted * 25 / sum(weight for weight, _score in scored)


def reviews_of(application: Application) -> list[Review]:
    return db.session.scalars(
        select(Review)
        .options(selectinload(Review.scores), selectinload(Review.reviewer))
        .where(Review.application_id == application.id)
        .order_by(Review.assigned_at, Review.id)
    ).all()


def other_reviews(review: Review) -> list[Review]:
    """The other submitted reviews of the application, in the order they came in."""
    return list(
        db.session.scalars(
            select(Review)
            .options(selectinload(Review.scores))
            .where(
                Review.application_id == review.application_id,
                Review.id != review.id,
                Review.submitted_at.is_not(None),
            )
            .order_by(Review.submitted_at, Review.id)
        )
    )


def assignments_of(reviewer: User) -> list[tuple[Review, int, int]]:
    """The reviewer's assignments across rounds, the first due first, each as (review, criteria
    scored, criteria of the round) with its application and round loaded. One query, however
    many assignments: progress is counted in SQL."""
    scored = (
        select(func.count(ReviewScore.id))
        .where(ReviewScore.review_id == Review.id, ReviewScore.score.is_not(None))
        .correlate(Review)
        .scalar_subquery()
    )
    criteria = (
        select(func.count(RubricCriterion.id))
        .where(RubricCriterion.round_id == Application.round_id)
        .correlate(Application)
        .scalar_subquery()
    )
    return db.session.execute(
        select(Review, scored, criteria)
        .join(Review.application)
        .options(contains_eager(Review.application).joinedload(Application.round))
        .where(Review.reviewer_id == reviewer.id)
        .order_by(Review.due_at, Review.id)
    ).all()
