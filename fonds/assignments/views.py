"""The assignment page of a round (pool, loads, applications with their reviewers) and its
actions. Every action is one operation and one commit; a refusal changes nothing and says why."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from fonds.applications.models import Application, Status
from fonds.applications.queries import load_application
from fonds.assignments import bp
from fonds.assignments import operations as assignment_ops
from fonds.assignments.forms import ActionForm, AssignForm, AutoAssignForm, PoolAddForm
from fonds.auth.models import User
from fonds.extensions import db
from fonds.permissions import role_required
from fonds.reviews.models import Review
from fonds.roles import Role
from fonds.rounds.queries import load_round
from fonds.runner import run_returning

FILTERS = ("needs", "all")
SHORTFALLS_NAMED = 20  # a flash message names at most this many applications


@dataclass
class Row:
    """One application being assessed, with its assignments and the form to add a reviewer."""

    application: Application
    reviews: list[Review]
    active: int
    conflicts: int
    missing: int  # reviewers it still needs (assignment_ops.missing_reviewers)
    form: AssignForm
    conflict: str | None = None  # why this administrator may not see or change its reviewers

    @property
    def has_options(self) -> bool:
        return self.conflict is None and len(self.form.reviewer.choices) > 1


def review_state(review: Review) -> str:
    if review.conflict is True:
        return "conflict"
    if review.submitted_at is not None:
        return "submitted"
    if review.conflict is False:
        return "draft"
    return "undeclared"


def need_sentence(needing: int, total: int) -> str:
    """How many of the applications being assessed still need reviewers, in a sentence that
    reads right for none, one and many."""
    if total == 0:
        return _("There are no applications being assessed in this round.")
    if needing == 0:
        return _("Every application being assessed has enough reviewers.")
    if needing == total:
        return ngettext(
            "The application being assessed still needs reviewers.",
            "All %(num)s applications being assessed still need reviewers.",
            total,
        )
    return ngettext(
        "%(num)s of the %(total)s applications being assessed still needs reviewers.",
        "%(num)s of the %(total)s applications being assessed still need reviewers.",
        needing,
        total=total,
    )


def assign_form(application: Application, eligible: list[User]) -> AssignForm:
    form = AssignForm(prefix=f"assign-{application.id}")
    form.reviewer.choices = [("", _("Choose a reviewer"))] + [
        (user.id, user.name) for user in eligible
    ]
    return form


@bp.route("/rounds/<int:round_id>")
@role_required(Role.ADMIN)
def round_page(round_id: int):
    """The pool with each reviewer's load, and the applications being assessed with their
    reviewers; by default only those that still need someone. A constant number of queries."""
    round_ = load_round(round_id)
    shown = request.args.get("show", "needs")
    if shown not in FILTERS:
        shown = "needs"
    facts = assignment_ops.round_facts(round_)
    reviews = assignment_ops.reviews_by_application(round_)
    applications = db.session.scalars(
        select(Application)
        .options(joinedload(Application.organisation))
        .where(Application.round_id == round_.id, Application.status == Status.IN_REVIEW.value)
        .order_by(Application.submitted_at, Application.id)
    ).all()
    required = round_.reviewers_per_application
    rows = []
    needing = 0
    for application in applications:
        own = reviews.get(application.id, [])
        active = sum(1 for review in own if assignment_ops.is_active(review))
        conflicts = len(own) - active
        missing = assignment_ops.missing_reviewers(active, required)
        needing += missing > 0
        if shown == "all" or missing:
            eligible = assignment_ops.eligible_reviewers(application, facts, own)
            form = assign_form(application, eligible)
            conflict = application.conflict_for(current_user, own)
            rows.append(Row(application, own, active, conflicts, missing, form, conflict))
    pool_ids = facts.pool_ids
    addable = [
        user
        for user in db.session.scalars(
            assignment_ops.reviewers_with_role().order_by(User.name, User.id)
        )
        if user.id not in pool_ids
    ]
    pool_form = PoolAddForm()
    pool_form.user.choices = [("", _("Choose a reviewer"))] + [
        (user.id, f"{user.name} ({user.email})") for user in addable
    ]
    return render_template(
        "assignments/round.html",
        round=round_,
        facts=facts,
        rows=rows,
        shown=shown,
        need_sentence=need_sentence(needing, len(applications)),
        required=required,
        pool_form=pool_form,
        auto_form=AutoAssignForm(prefix="auto"),
        action_form=ActionForm(),
        review_state=review_state,
        may_unassign=lambda review: assignment_ops.why_not_unassign(review) is None,
    )


def back_to_round(round_id: int, anchor: str | None = None):
    return redirect(url_for("assignments.round_page", round_id=round_id, _anchor=anchor))


def first_error(form) -> str:
    for field in form:
        if field.errors:
            return str(field.errors[0])
    return _("The form has expired. Try again.")


def run_assignment_action(form, action: Callable[[], object]) -> object | None:
    """Validate, then fonds.runner.run: the operation, one commit. A refusal or a lost race
    (two administrators at once) is flashed and rolled back; returns the operation's result,
    or None when refused."""
    if not form.validate_on_submit():
        flash(first_error(form), "error")
        return None
    result, refused = run_returning(action)  # a refusal or a lost race: rolled back
    if refused is not None:
        flash(str(refused), "error")
        return None
    return result if result is not None else True


def load_reviewer(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    return user


@bp.route("/rounds/<int:round_id>/pool", methods=["POST"])
@role_required(Role.ADMIN)
def add_to_pool(round_id: int):
    """Add someone with the reviewer role to the round's pool."""
    round_ = load_round(round_id)
    form = PoolAddForm()
    reviewer = None
    if form.validate_on_submit():
        reviewer = db.session.get(User, form.user.data)
        if reviewer is None:
            flash(_("Choose a reviewer to add."), "error")
            return back_to_round(round_.id, "pool")
    if run_assignment_action(
        form, lambda: assignment_ops.add_to_pool(round_, reviewer, by=current_user)
    ):
        flash(_("%(name)s is now in the reviewer pool.", name=reviewer.name), "success")
    return back_to_round(round_.id, "pool")


@bp.route("/rounds/<int:round_id>/pool/<int:user_id>/remove", methods=["POST"])
@role_required(Role.ADMIN)
def remove_from_pool(round_id: int, user_id: int):
    """Take someone out of the pool; the assignments they have stay."""
    round_ = load_round(round_id)
    reviewer = load_reviewer(user_id)
    if run_assignment_action(
        ActionForm(), lambda: assignment_ops.remove_from_pool(round_, reviewer, by=current_user)
    ):
        flash(
            _(
                "%(name)s is no longer in the reviewer pool. The assignments they have stay.",
                name=reviewer.name,
            ),
            "success",
        )
    return back_to_round(round_.id, "pool")


@bp.route("/rounds/<int:round_id>/auto", methods=["POST"])
@role_required(Role.ADMIN)
def auto_assign(round_id: int):
    """Assign the pool to every application that needs reviewers, with a balanced load."""
    round_ = load_round(round_id)
    form = AutoAssignForm(prefix="auto")
    result = run_assignment_action(
        form, lambda: assignment_ops.auto_assign(round_, by=current_user, due_at=form.due_at)
    )
    if not result:
        return back_to_round(round_.id, "auto")
    if result.made:
        flash(
            _(
                "Assignments made: %(count)s. Each reviewer gets one e-mail.",
                count=result.made,
            ),
            "success",
        )
    elif not result.short and not result.skipped:
        flash(_("Every application already has enough reviewers. Nothing was changed."), "success")
    if result.skipped:
        flash(
            _(
                "Not assigned, because you are a member of the organisation that applies or "
                "have a conflict of interest: %(applications)s. Another administrator must "
                "assign these.",
                applications=", ".join(result.skipped),
            ),
            "error",
        )
    if result.short:
        named = ", ".join(
            ngettext(
                "%(reference)s (%(num)s more reviewer needed)",
                "%(reference)s (%(num)s more reviewers needed)",
                s.missing,
                reference=s.reference,
            )
            for s in result.short[:SHORTFALLS_NAMED]
        )
        more = len(result.short) - SHORTFALLS_NAMED
        if more > 0:
            named += " " + _("and %(count)s more", count=more)
        flash(
            _(
                "Applications that could not get enough reviewers: %(count)s. The pool is too "
                "small (members of the applying organisation and people with a conflict are "
                "left out). Add reviewers to the pool and assign again. %(applications)s",
                count=len(result.short),
                applications=named,
            ),
            "error",
        )
    return back_to_round(round_.id)


@bp.route("/applications/<int:application_id>/assign", methods=["POST"])
@role_required(Role.ADMIN)
def assign(application_id: int):
    """Assign one reviewer to one application."""
    application = load_application(application_id)
    conflict = application.conflict_for(current_user)
    if conflict:
        flash(conflict, "error")
        return back_to_round(application.round_id, f"application-{application.id}")
    form = AssignForm(prefix=f"assign-{application.id}")
    reviewer = None
    if form.validate_on_submit():
        reviewer = db.session.get(User, form.reviewer.data)
        if reviewer is None:
            flash(_("Choose a reviewer."), "error")
            return back_to_round(application.round_id, f"application-{application.id}")
    done = run_assignment_action(
        form,
        lambda: assignment_ops.assign(application, reviewer, by=current_user, due_at=form.due_at),
    )
    if done:
        flash(
            _(
                "%(name)s now reviews %(reference)s and gets an e-mail.",
                name=reviewer.name,
                reference=application.reference,
            ),
            "success",
        )
    return back_to_round(application.round_id, f"application-{application.id}")


@bp.route("/reviews/<int:review_id>/remove", methods=["POST"])
@role_required(Role.ADMIN)
def unassign(review_id: int):
    """Take back an assignment that is not submitted."""
    review = db.session.get(Review, review_id)
    if review is None:
        abort(404)
    application = review.application
    conflict = application.conflict_for(current_user)
    if conflict:
        flash(conflict, "error")
        return back_to_round(application.round_id, f"application-{application.id}")
    name = review.reviewer.name
    if run_assignment_action(
        ActionForm(), lambda: assignment_ops.unassign(review, by=current_user)
    ):
        flash(
            _(
                "%(name)s no longer reviews %(reference)s.",
                name=name,
                reference=application.reference,
            ),
            "success",
        )
    return back_to_round(application.round_id, f"application-{application.id}")
