"""The decision page of an application: its scores, flags and reviews, earlier proposals, and
the four-eyes actions (propose; confirm or send back)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from fonds.applications import operations as application_ops
from fonds.applications.models import Application, Status
from fonds.applications.queries import load_application
from fonds.decisions import bp
from fonds.decisions import operations as decision_ops
from fonds.decisions.forms import ConfirmForm, SendBackForm, proposal_form
from fonds.decisions.models import Decision, Outcome
from fonds.decisions.queries import current_decision, decisions_of
from fonds.extensions import db
from fonds.permissions import role_required
from fonds.ranking.queries import calibration_details, flag_labels, scores_of
from fonds.refusals import stale_message
from fonds.reviews.queries import reviews_of
from fonds.roles import Role
from fonds.runner import forms_at_version, run_action


def points_of(decision: Decision | None, criteria) -> list[tuple]:
    """The fund's points of a proposal, as (criterion, point) in rubric order."""
    if decision is None:
        return []
    points = decision.criterion_points or {}
    return [
        (criterion, points[str(criterion.id)])
        for criterion in criteria
        if points.get(str(criterion.id))
    ]


def render_decision(application: Application, status_code: int = 200, **forms):
    criteria = application.round.criteria
    context = forms_at_version(
        application,
        {
            "propose_form": proposal_form(criteria),
            "confirm_form": ConfirmForm(prefix="confirm"),
            "send_back_form": SendBackForm(prefix="send_back"),
        },
        forms,
    )
    # Each submitted review with its total (and what calibration made of it), in one query.
    calibration = calibration_details(application.round_id, [application.id]).get(
        application.id, []
    )
    proposal = current_decision(application)
    return render_template(
        "decisions/application.html",
        application=application,
        scores=scores_of(application),
        calibration=calibration,
        reviews=reviews_of(application),
        totals={row.review_id: row.total for row in calibration},
        criteria=criteria,
        decisions=decisions_of(application),
        proposal=proposal,
        proposal_points=points_of(proposal, criteria),
        final=application.state in (Status.APPROVED, Status.REJECTED),
        flag_labels=flag_labels(),
        **context,
    ), status_code


def page_of(application: Application) -> str:
    return url_for("decisions.application", application_id=application.id)


@bp.route("/<int:application_id>")
@role_required(Role.ADMIN)
def application(application_id: int):
    application = load_application(application_id)
    application_ops.record_view(application, "decision", by=current_user)
    db.session.commit()
    return render_decision(application)


@bp.route("/<int:application_id>/propose", methods=["POST"])
@role_required(Role.ADMIN)
def propose(application_id: int):
    application = load_application(application_id)
    form = proposal_form(application.round.criteria, requested=application.amount_requested)
    refused = run_action(
        application,
        form,
        lambda: decision_ops.propose(
            application,
            by=current_user,
            outcome=form.outcome.data,
            amount=form.amount.data,
            motivation=form.motivation.data,
            points=form.points,
            partial_reason=form.partial_reason.data or "",
        ),
        render_invalid=lambda status: render_decision(application, status, propose_form=form),
    )
    if refused is not None:
        return refused
    flash(
        _(
            "Your proposal for %(reference)s is saved. A second administrator must confirm it.",
            reference=application.reference,
        ),
        "success",
    )
    return redirect(page_of(application))


def confirming_transition(application: Application) -> str:
    """The confirmation that matches the proposal: of an award, or of a rejection."""
    proposal = current_decision(application)
    if proposal is not None and proposal.outcome == Outcome.APPROVE.value:
        return "confirm_approval"
    return "confirm_rejection"


@bp.route("/<int:application_id>/confirm", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def confirm(application_id: int):
    """Confirming is final, so it asks first: GET shows the proposal once more with the
    confirm button (carrying the version the person saw); POST confirms."""
    application = load_application(application_id)
    form = ConfirmForm(prefix="confirm")
    if request.method == "GET":
        shown = request.args.get("version", str(application.version))
        if shown != str(application.version):
            flash(stale_message(), "error")
            return redirect(page_of(application))
        refusal = application.why_not(confirming_transition(application), current_user)
        if refusal:
            flash(refusal, "error")
            return redirect(page_of(application))
        form.version.data = str(application.version)
        proposal = current_decision(application)
        application_ops.record_view(application, "decision-confirm", by=current_user)
        db.session.commit()
        return render_template(
            "decisions/confirm.html",
            application=application,
            proposal=proposal,
            proposal_points=points_of(proposal, application.round.criteria),
            confirm_form=form,
        )
    refused = run_action(
        application,
        form,
        lambda: decision_ops.confirm(application, by=current_user),
        render_invalid=lambda status: render_decision(application, status, confirm_form=form),
    )
    if refused is not None:
        return refused
    flash(
        _(
            "The decision about %(reference)s is final: %(status)s. The applicant learns it "
            "from the letter: issue it below.",
            reference=application.reference,
            status=application.state.label.lower(),
        ),
        "success",
    )
    return redirect(page_of(application))


@bp.route("/<int:application_id>/send-back", methods=["POST"])
@role_required(Role.ADMIN)
def send_back(application_id: int):
    application = load_application(application_id)
    form = SendBackForm(prefix="send_back")
    refused = run_action(
        application,
        form,
        lambda: decision_ops.send_back(application, by=current_user, reason=form.reason.data),
        render_invalid=lambda status: render_decision(application, status, send_back_form=form),
    )
    if refused is not None:
        return refused
    flash(
        _(
            "The proposal for %(reference)s is sent back. A new decision can be proposed.",
            reference=application.reference,
        ),
        "success",
    )
    return redirect(page_of(application))
