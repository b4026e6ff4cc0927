"""The reviewer's verbs: declare a conflict of interest (or none), save a draft review, submit
it (from the scoring form: first saved and checked, then confirmed on a page of its own), and
remind reviewers of reviews that are due. Each takes the acting person, checks the rule,
changes rows, queues mail and flushes; the view (or command) commits once."""

from __future__ import annotations

import hashlib
import json
import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from babel.lists import format_list
from flask import current_app, url_for
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from sqlalchemy import or_, select, update

from fonds.applications.models import Application, Status
from fonds.applications.workflow import apply_transition
from fonds.auth.models import User, UserRole
from fonds.columns import utcnow
from fonds.extensions import db
from fonds.mail.operations import queue_mail
from fonds.refusals import Refused
from fonds.reviews.models import RECOMMENDATION_LABELS, Recommendation, Review, ReviewScore
from fonds.reviews.queries import has_conflict, reviews_are_in
from fonds.roles import Role
from fonds.rounds.models import RubricCriterion

logger = logging.getLogger(__name__)

SCORES = range(1, 6)
MOTIVATION_BELOW = 3  # a score under this needs a motivation (PRODUCT.md: for a 1 or 2)
REMIND_WITHIN = timedelta(days=3)
REMIND_AGAIN_AFTER = timedelta(hours=20)


class ReviewRefused(Refused):
    """The reviewer may not do this now; the message says why, for the person."""


class ReviewChanged(ReviewRefused):
    """The draft changed (in another tab) after the confirmation page was shown."""

    status = 409


@dataclass
class ReviewInput:
    """What the reviewer typed: per criterion id a score (None when not chosen) and a
    motivation, a recommendation (None when not chosen) and a general comment."""

    scores: dict[int, int | None] = field(default_factory=dict)
    motivations: dict[int, str] = field(default_factory=dict)
    recommendation: str | None = None
    comment: str = ""


def score_key(criterion_id: int) -> str:
    """The name under which a criterion's score (and its error) travels: also the form field's."""
    return f"score_{criterion_id}"


def motivation_key(criterion_id: int) -> str:
    return f"motivation_{criterion_id}"


def criterion_text(criterion: RubricCriterion, name: str) -> str:
    """A criterion's name or descriptor (`name`, `descriptor_1`, ...) in the current language."""
    language = "en" if str(get_locale()) == "en" else "nl"
    return getattr(criterion, f"{name}_{language}")


# --- permissions -----------------------------------------------------------------------------


def is_assigned(review: Review, user: User) -> bool:
    return user.is_authenticated and review.reviewer_id == user.id


def may_read_application(review: Review, user: User) -> bool:
    """The assigned reviewer sees the application once they declared they have no conflict of
    interest, and never when they belong to the applying organisation."""
    return (
        is_assigned(review, user)
        and review.conflict is False
        and not user.belongs_to(review.application.organisation)
    )


def reviewer_may_read(application: Application, user: User) -> bool:
    """Whether a person may read the application as one of its reviewers (used by the
    attachment download)."""
    if not user.is_authenticated:
        return False
    review = db.session.scalar(
        select(Review).where(Review.application_id == application.id, Review.reviewer_id == user.id)
    )
    return review is not None and may_read_application(review, user)


def refuse_unless_assigned(review: Review, by: User) -> None:
    if not is_assigned(review, by):
        raise ReviewRefused(_("You are not the reviewer of this application."))
    if by.belongs_to(review.application.organisation):
        raise ReviewRefused(
            _("You belong to the organisation that applied. You cannot review this application.")
        )


# --- declaring -------------------------------------------------------------------------------


def declare(review: Review, by: User, conflict: bool, note: str = "") -> None:
    """The reviewer declares, once, whether they have a conflict of interest. With a conflict
    they see nothing more of the application, and the administrators are told to assign someone
    else (the mail names only the reference)."""
    if not is_assigned(review, by):
        raise ReviewRefused(_("You are not the reviewer of this application."))
    if review.conflict is not None:
        raise ReviewRefused(_("You have already declared whether you have a conflict of interest."))
    application = review.application
    if not conflict and has_conflict(by, application):
        raise ReviewRefused(
            _("You belong to the organisation that applied. You cannot review this application.")
        )
    review.conflict = conflict
    review.conflict_note = note.strip() if conflict else ""
    review.declared_at = utcnow()
    db.session.flush()
    if conflict:
        notify_admins_of_conflict(review)
        logger.info("Reviewer %s declared a conflict for application %s", by.id, application.id)


def assignment_link(application: Application) -> str:
    """Where an administrator assigns another reviewer: the round's assignment page."""
    return url_for("assignments.round_page", round_id=application.round_id, _external=True)


def administrators() -> list[User]:
    return list(
        db.session.scalars(
            select(User).join(UserRole).where(UserRole.role == Role.ADMIN).order_by(User.id)
        )
    )


def notify_admins_of_conflict(review: Review) -> None:
    link = assignment_link(review.application)
    for admin in administrators():
        queue_mail(
            admin.email,
            "review_conflict",
            admin.locale,
            discreet=admin.discreet_mail,
            reference=review.application.reference,
            link=link,
        )


# --- writing ---------------------------------------------------------------------------------


def refuse_unless_writable(review: Review, by: User) -> None:
    refuse_unless_assigned(review, by)
    if review.conflict is None:
        raise ReviewRefused(_("First declare whether you have a conflict of interest."))
    if review.conflict:
        raise ReviewRefused(_("You declared a conflict of interest for this application."))
    if review.is_submitted:
        raise ReviewRefused(_("You have already submitted this review. It cannot be changed."))
    if review.application.state != Status.IN_REVIEW:
        raise ReviewRefused(
            _("This application is no longer being assessed. You cannot change your review.")
        )


def store(review: Review, data: ReviewInput) -> None:
    """Write what was typed onto the review, for the criteria of the round's rubric."""
    for criterion in review.application.round.criteria:
        score = data.scores.get(criterion.id)
        motivation = (data.motivations.get(criterion.id) or "").strip()
        row = review.score_for(criterion.id)
        if row is None:
            if score is None and not motivation:
                continue
            row = ReviewScore(criterion_id=criterion.id)
            review.scores.append(row)
        row.score = score if score in SCORES else None
        row.motivation = motivation
    recommendation = data.recommendation
    valid = {r.value for r in Recommendation}
    review.recommendation = recommendation if recommendation in valid else None
    review.comment = (data.comment or "").strip()
    review.updated_at = utcnow()


def save_draft(review: Review, by: User, data: ReviewInput) -> None:
    """Keep whatever was typed; scores may still be empty. Refused once submitted."""
    refuse_unless_writable(review, by)
    store(review, data)
    db.session.flush()


def problems(review: Review, data: ReviewInput) -> dict[str, str]:
    """Per field what is missing before the review can be submitted (empty when nothing)."""
    errors = {}
    for criterion in review.application.round.criteria:
        name = criterion_text(criterion, "name")
        score = data.scores.get(criterion.id)
        if score not in SCORES:
            errors[score_key(criterion.id)] = _(
                "Choose a score from 1 to 5 for %(criterion)s.", criterion=name
            )
        elif score < MOTIVATION_BELOW and not (data.motivations.get(criterion.id) or "").strip():
            errors[motivation_key(criterion.id)] = _(
                "You gave %(criterion)s a %(score)s. Write why.", criterion=name, score=score
            )
    if data.recommendation not in {r.value for r in Recommendation}:
        errors["recommendation"] = advice_missing()
    return errors


def advice_missing() -> str:
    """The error for a missing advice, naming the options with the labels the form shows."""
    labels = [str(label) for label in RECOMMENDATION_LABELS.values()]
    words = [label[:1].lower() + label[1:] for label in labels]
    options = format_list(words, style="or", locale=get_locale() or "nl")
    return _("Choose your advice: %(options)s.", options=options)


def lock_application(application_id: int) -> Application:
    """The application, read again while holding its row lock (PostgreSQL), so two reviewers
    who submit the last two reviews at once are handled one after the other."""
    return db.session.scalars(
        select(Application)
        .where(Application.id == application_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()


def prepare_submission(review: Review, by: User, data: ReviewInput) -> dict[str, str]:
    """The first step of submitting: keep what was typed as a draft and return what is still
    missing per field (empty when the review is ready to be confirmed). Nothing is final yet."""
    save_draft(review, by, data)
    return problems(review, data)


def saved_input(review: Review) -> ReviewInput:
    """The review's draft as it is stored, in the form the operations take."""
    data = ReviewInput(recommendation=review.recommendation, comment=review.comment or "")
    for row in review.scores:
        data.scores[row.criterion_id] = row.score
        data.motivations[row.criterion_id] = row.motivation or ""
    return data


def content_version(review: Review) -> str:
    """A fingerprint of what the review says, carried by the confirmation page, so that a
    confirmation submits exactly the review that was shown."""
    data = saved_input(review)
    content = {
        "scores": sorted(data.scores.items()),
        "motivations": sorted(data.motivations.items()),
        "recommendation": data.recommendation,
        "comment": data.comment,
    }
    return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()[:32]


def confirm_submission(review: Review, by: User, version: str) -> dict[str, str]:
    """Submit the saved draft the reviewer checked on the confirmation page (`version` is its
    fingerprint there). Refused when it is already submitted (a second tab, a double click)
    or changed since; returns the problems per field when something is missing after all."""
    refuse_unless_assigned(review, by)
    application = lock_application(review.application_id)
    db.session.refresh(review)  # a confirmation that waited for the lock sees the first one's
    refuse_unless_writable(review, by)
    if version != content_version(review):
        raise ReviewChanged(
            _("Your review changed after this page was shown. Check it again and submit it.")
        )
    errors = problems(review, saved_input(review))
    if errors:
        return errors
    mark_submitted(review, application)
    return {}


def submit(review: Review, by: User, data: ReviewInput) -> dict[str, str]:
    """Submit the review in one step (what the confirmation does, for what was typed): every
    criterion scored 1–5, a motivation for a 1 or 2, and a recommendation. With problems
    nothing is submitted but what was typed is kept as a draft, and the problems are returned
    per field."""
    refuse_unless_assigned(review, by)
    application = lock_application(review.application_id)
    db.session.refresh(review)  # a submit that waited for the lock sees the first one's
    refuse_unless_writable(review, by)
    store(review, data)
    errors = problems(review, data)
    if errors:
        db.session.flush()
        return errors
    mark_submitted(review, application)
    return {}


def mark_submitted(review: Review, application: Application) -> None:
    """Lock the review, and when it is the last required one move the application on to
    `reviewed` (the system acts). The review is claimed with one conditional UPDATE, so that of
    two requests at once only one submits, also on SQLite, which has no row locks."""
    db.session.flush()
    claimed = db.session.execute(
        update(Review)
        .where(Review.id == review.id, Review.submitted_at.is_(None))
        .values(submitted_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        raise ReviewRefused(_("You have already submitted this review. It cannot be changed."))
    db.session.refresh(review)
    logger.info("Review %s of application %s submitted", review.id, application.id)
    if reviews_are_in(application) is None:
        # The history is shown to applicants as written: in the fund's own language.
        with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
            message = _("All reviews are in.")
        apply_transition(application, "reviews_complete", by=None, message=message)
        db.session.flush()
        logger.info("Application %s is reviewed", application.id)


# --- reminders -------------------------------------------------------------------------------


def remind_reviewers(now: datetime) -> int:
    """Mail each reviewer once about their reviews that are due within three days or overdue,
    not submitted, without a conflict, and not reminded in the last 20 hours. Returns how many
    reviewers were mailed. Running it again right away finds nothing new."""
    reviews = db.session.scalars(
        select(Review)
        .join(Review.application)
        .where(
            Review.submitted_at.is_(None),
            or_(Review.conflict.is_(None), Review.conflict.is_(False)),
            Review.due_at <= now + REMIND_WITHIN,
            or_(Review.reminded_at.is_(None), Review.reminded_at <= now - REMIND_AGAIN_AFTER),
            Application.status == Status.IN_REVIEW.value,
        )
        .order_by(Review.reviewer_id, Review.due_at)
    ).all()
    per_reviewer: dict[int, list[Review]] = defaultdict(list)
    for review in reviews:
        per_reviewer[review.reviewer_id].append(review)
    link = url_for("reviews.dashboard", _external=True)
    for reviewer_reviews in per_reviewer.values():
        reviewer = reviewer_reviews[0].reviewer
        overdue = sum(1 for review in reviewer_reviews if review.due_at < now)
        queue_mail(
            reviewer.email,
            "review_reminder",
            reviewer.locale,
            discreet=reviewer.discreet_mail,
            count=len(reviewer_reviews),
            overdue=overdue,
            link=link,
        )
        for review in reviewer_reviews:
            review.reminded_at = now
    db.session.flush()
    return len(per_reviewer)
