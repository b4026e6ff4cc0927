"""The reviewer's pages: the dashboard of their assignments, and per assignment the declaration
of a conflict of interest, the application as a reviewer may see it, the scoring form with its
weighted total, and the confirmation page that makes a review final. Only the assigned reviewer
gets these pages; anyone else is told they do not exist (404)."""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from fonds.applications.operations import record_view
from fonds.applications.steps import STEPS
from fonds.columns import utcnow
from fonds.extensions import db
from fonds.permissions import role_required
from fonds.refusals import Stale
from fonds.reviews import bp
from fonds.reviews import operations as review_ops
from fonds.reviews.forms import ConfirmForm, DeclarationForm, review_form
from fonds.reviews.models import Review
from fonds.reviews.queries import assignments_of, other_reviews, review_total
from fonds.roles import Role
from fonds.rounds.models import RubricCriterion
from fonds.runner import run


@bp.route("/")
@role_required(Role.REVIEWER)
def dashboard():
    """The reviewer's assignments across rounds: first the reviews to do, the first due first,
    with their progress; then the finished ones (submitted, a conflict declared, or an
    application no longer being assessed), the latest first."""
    rows = assignments_of(current_user)
    to_do = [row for row in rows if row[0].is_to_do]
    finished = [row for row in reversed(rows) if not row[0].is_to_do]
    return render_template("reviews/dashboard.html", to_do=to_do, finished=finished, now=utcnow())


def load_review(review_id: int) -> Review:
    """404 unless the current person is the assigned reviewer, so others cannot learn that the
    assignment exists; administrators see reviews on their own pages."""
    review = db.session.get(Review, review_id)
    if review is None or not review_ops.is_assigned(review, current_user):
        abort(404)
    return review


@dataclass(frozen=True)
class Total:
    """A review's weighted total (0–100) over the criteria scored so far, for the page."""

    value: float | None
    scored: int
    count: int

    @property
    def is_final(self) -> bool:
        return self.scored == self.count


def total_of(criteria: list[RubricCriterion], scores: dict[int, int | None]) -> Total:
    """The total of the scores per criterion id, by the formula of the ranking."""
    pairs = [(criterion.weight, scores.get(criterion.id)) for criterion in criteria]
    return Total(
        value=review_total(pairs),
        scored=sum(1 for _weight, score in pairs if score is not None),
        count=len(criteria),
    )


def total_of_review(criteria: list[RubricCriterion], review: Review) -> Total:
    return total_of(criteria, review_ops.saved_input(review).scores)


def render_review(review: Review, status: int = 200, declaration=None, form=None):
    application = review.application
    member = current_user.belongs_to(application.organisation)
    may_read = review_ops.may_read_application(review, current_user)
    if review.conflict is not True and not member:
        record_view(application, "review", by=current_user)
        db.session.commit()
    criteria = application.round.criteria
    context = {
        "review": review,
        "application": application,
        "criteria": criteria,
        "member": member,
        "may_read": may_read,
        "text": review_ops.criterion_text,
        "now": utcnow(),
        "steps": STEPS,
    }
    if review.conflict is None and not member:
        context["declaration"] = declaration or DeclarationForm()
    context["total_of_review"] = total_of_review
    if may_read and not review.is_submitted:
        context["form"] = form or review_form(criteria, review)
        context["total"] = total_of(criteria, context["form"].review_input(criteria).scores)
    if may_read and review.is_submitted:
        context["others"] = other_reviews(review)
    return render_template("reviews/review.html", **context), status


@bp.route("/<int:review_id>")
@login_required
def review(review_id: int):
    """Before the declaration only the organisation, title and summary; after "no conflict" the
    application (never bank details, phone or e-mail) with the scoring form, or, once submitted,
    one's own review and the other submitted reviews."""
    return render_review(load_review(review_id))


def back_to_review(review: Review):
    return redirect(url_for("reviews.review", review_id=review.id))


@bp.route("/<int:review_id>/declare", methods=["POST"])
@login_required
def declare(review_id: int):
    """Declare, once, whether one has a conflict of interest with the application."""
    review = load_review(review_id)
    form = DeclarationForm()
    if not form.validate_on_submit():
        if review.conflict is not None:
            flash(_("You have already declared whether you have a conflict of interest."), "error")
            return back_to_review(review)
        return render_review(review, 422, declaration=form)
    refused = run(
        lambda: review_ops.declare(review, current_user, form.has_conflict, form.note.data or "")
    )
    if refused is not None:
        flash(str(refused), "error")
        return back_to_review(review)
    if form.has_conflict:
        flash(
            _("Thank you. The fund will ask another reviewer to assess this application."),
            "success",
        )
    else:
        flash(_("Thank you. You can now read and assess the application."), "success")
    return back_to_review(review)


@bp.route("/<int:review_id>", methods=["POST"])
@login_required
def save(review_id: int):
    """Save the review as a draft. "Submit review" saves it too, and then shows what is missing
    on the form, or, when nothing is, the confirmation page: only its button submits."""
    review = load_review(review_id)
    criteria = review.application.round.criteria
    form = review_form(criteria)
    if not form.validate_on_submit():  # the CSRF token, or a choice that was not offered
        return render_review(review, 400 if "csrf_token" in form.errors else 422, form=form)
    data = form.review_input(criteria)
    submitting = request.form.get("action") == "submit"
    errors = {}

    def store_input():
        if submitting:
            errors.update(review_ops.prepare_submission(review, current_user, data))
        else:
            review_ops.save_draft(review, current_user, data)

    refused = run(store_input)
    if isinstance(refused, Stale):
        # Saved in another tab at the same moment: nothing of this save is kept in the
        # database, but everything typed is still on the form.
        flash(str(refused), "error")
        db.session.expire_all()
        return render_review(review, refused.status, form=form)
    if refused is not None:
        flash(str(refused), "error")
        return back_to_review(review)
    if errors:
        form.show_errors(errors)
        return render_review(review, 422, form=form)
    if submitting:
        return redirect(url_for("reviews.confirm", review_id=review.id))
    flash(_("Your review is saved as a draft. You can continue later."), "success")
    return back_to_review(review)


def form_with_problems(review: Review, errors: dict[str, str]):
    """The scoring form filled with the saved draft, showing what is missing."""
    form = review_form(review.application.round.criteria, formdata=None)
    form.fill_from(review)
    form.show_errors(errors)
    return render_review(review, 422, form=form)


def render_confirmation(review: Review, status: int = 200):
    criteria = review.application.round.criteria
    form = ConfirmForm(formdata=None, version=review_ops.content_version(review))
    context = {
        "review": review,
        "application": review.application,
        "criteria": criteria,
        "text": review_ops.criterion_text,
        "total": total_of_review(criteria, review),
        "form": form,
    }
    return render_template("reviews/confirm.html", **context), status


@bp.route("/<int:review_id>/confirm")
@login_required
def confirm(review_id: int):
    """The check before a review is final: the saved draft with its total and advice, a
    button that submits it and a way back to the form that keeps everything."""
    review = load_review(review_id)
    try:
        review_ops.refuse_unless_writable(review, current_user)
    except review_ops.ReviewRefused as refused:
        flash(str(refused), "error")
        return back_to_review(review)
    errors = review_ops.problems(review, review_ops.saved_input(review))
    if errors:
        return form_with_problems(review, errors)
    return render_confirmation(review)


@bp.route("/<int:review_id>/confirm", methods=["POST"])
@login_required
def submit(review_id: int):
    """Submit the review shown on the confirmation page. A second tab or a double click is
    told the review is already submitted; a review changed since is shown again."""
    review = load_review(review_id)
    form = ConfirmForm()
    if not form.validate_on_submit():  # only the CSRF token can fail here
        return render_confirmation(review, 400)
    errors = {}
    refused = run(
        lambda: errors.update(
            review_ops.confirm_submission(review, current_user, form.version.data or "") or {}
        )
    )
    if isinstance(refused, review_ops.ReviewChanged):
        flash(str(refused), "error")
        return redirect(url_for("reviews.confirm", review_id=review.id))
    if refused is not None:
        # Refused, or a second click that lost the race to the first: the page says where the
        # review stands now (submitted, or why not).
        flash(str(refused), "error")
        db.session.expire_all()
        return back_to_review(review)
    if errors:
        return form_with_problems(review, errors)
    flash(_("Thank you. Your review is submitted."), "success")
    return back_to_review(review)
