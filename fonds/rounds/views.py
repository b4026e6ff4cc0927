"""The public page of a round, and administrators creating, changing and closing rounds."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from fonds.columns import utcnow
from fonds.extensions import db
from fonds.permissions import role_required
from fonds.roles import Role
from fonds.rounds import bp
from fonds.rounds.forms import LEGAL_MODE_HINTS, CloseRoundForm, RoundForm
from fonds.rounds.models import Round
from fonds.rounds.operations import (
    close_round,
    create_round,
    update_round,
    why_not_close,
)
from fonds.rounds.queries import load_round
from fonds.rounds.status import round_status
from fonds.rounds.work import NO_WORK, work_waiting
from fonds.runner import run, run_returning


@bp.route("/<int:round_id>")
def show(round_id: int):
    """What a round supports, how applications are scored, the amounts and the deadline."""
    round_ = load_round(round_id)
    return render_template("rounds/show.html", round=round_, status=round_status(round_))


@bp.route("/manage")
@role_required(Role.ADMIN)
def manage():
    """Every round with its status and the work waiting in it, each count linking to the page
    where that work is done. The same few queries however many rounds there are."""
    rounds = db.session.scalars(select(Round).order_by(Round.opens_at.desc(), Round.id)).all()
    now = utcnow()
    work = work_waiting(round_.id for round_ in rounds)
    return render_template(
        "rounds/manage.html",
        rounds=[
            (round_, round_status(round_, now), work.get(round_.id, NO_WORK)) for round_ in rounds
        ],
    )


def render_form(form: RoundForm, round_: Round | None = None, status: int = 200):
    return render_template(
        "rounds/form.html", form=form, round=round_, legal_mode_hints=LEGAL_MODE_HINTS
    ), status


@bp.route("/new", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def new():
    """Create a round; it starts with the default rubric."""
    form = RoundForm()
    if not form.validate_on_submit():
        return render_form(form, status=422 if form.is_submitted() else 200)
    round_, refused = run_returning(lambda: create_round(form.values(), by=current_user))
    if refused is not None:
        flash(str(refused), "error")
        return render_form(form, status=refused.status)
    flash(
        _(
            "The round %(name)s has been created, with the standard assessment criteria.",
            name=round_.name,
        ),
        "success",
    )
    return redirect(url_for("rounds.manage"))


@bp.route("/<int:round_id>/edit", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def edit(round_id: int):
    round_ = load_round(round_id)
    form = RoundForm(obj=round_)
    if not form.validate_on_submit():
        return render_form(form, round_, status=422 if form.is_submitted() else 200)
    refused = run(lambda: update_round(round_, form.values(), by=current_user))
    if refused is not None:
        flash(str(refused), "error")
        return render_form(form, round_, status=refused.status)
    flash(_("Your changes to %(name)s have been saved.", name=round_.name), "success")
    return redirect(url_for("rounds.manage"))


@bp.route("/<int:round_id>/close", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def close(round_id: int):
    """Close an open round now, after a confirmation step."""
    round_ = load_round(round_id)
    form = CloseRoundForm()
    if form.validate_on_submit():
        refused = run(lambda: close_round(round_, by=current_user))
        if refused is not None:
            flash(str(refused), "error")
            return redirect(url_for("rounds.manage"))
        flash(
            _(
                "The round %(name)s is closed. Nobody can submit an application in it any more.",
                name=round_.name,
            ),
            "success",
        )
        return redirect(url_for("rounds.manage"))
    refusal = why_not_close(round_, utcnow())
    if refusal is not None:
        flash(str(refusal), "error")
        return redirect(url_for("rounds.manage"))
    return render_template("rounds/close.html", round=round_, form=form)
