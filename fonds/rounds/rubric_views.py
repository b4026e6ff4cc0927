"""Administrators change a round's rubric: the criteria, their descriptors, weights and
knock-out checks. Once a review of the round is submitted the rubric is read-only."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from fonds.permissions import role_required
from fonds.roles import Role
from fonds.rounds import bp
from fonds.rounds.models import Round
from fonds.rounds.operations import RUBRIC_LOCKED, rubric_locked, update_rubric
from fonds.rounds.queries import load_round
from fonds.rounds.rubric_forms import KIND_LABELS, RubricForm, criterion_data
from fonds.runner import run


def render_rubric(round_: Round, form: RubricForm | None, locked: bool, status: int = 200):
    return render_template(
        "rounds/rubric.html",
        round=round_,
        form=form,
        locked=locked,
        locked_message=RUBRIC_LOCKED,
        kind_labels=KIND_LABELS,
    ), status


@bp.route("/<int:round_id>/rubric", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def rubric(round_id: int):
    """Show the rubric as a form, or read-only once reviews are in. "Add a criterion" shows the
    form again with an empty criterion and keeps what was typed; saving checks everything and
    changes the rubric at once, or nothing."""
    round_ = load_round(round_id)
    page = url_for("rounds.rubric", round_id=round_.id)
    locked = rubric_locked(round_)
    if request.method == "POST" and locked:
        flash(str(RUBRIC_LOCKED), "error")
        return redirect(page)
    if locked:
        return render_rubric(round_, None, locked)
    if request.method == "GET":
        form = RubricForm(data={"criteria": [criterion_data(c) for c in round_.criteria]})
        return render_rubric(round_, form, locked)
    form = RubricForm()
    if request.form.get("action") == "add":
        form.criteria.append_entry()  # nothing is saved, so nothing to check yet
        return render_rubric(round_, form, locked)
    if not form.validate_on_submit():
        return render_rubric(round_, form, locked, 422)
    refused = run(lambda: update_rubric(round_, form.values(), by=current_user))
    if refused is not None:
        flash(str(refused), "error")
        return render_rubric(round_, form, rubric_locked(round_), refused.status)
    flash(_("The assessment criteria of %(name)s have been saved.", name=round_.name), "success")
    return redirect(page)
