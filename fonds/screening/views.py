"""Administrators screen applications: a round's list of sent applications, and per application
everything the applicant entered with the three screening actions."""

from __future__ import annotations

from collections.abc import Callable

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from fonds.applications.models import Application, Status
from fonds.applications.operations import record_view
from fonds.applications.queries import load_application, sent_applications
from fonds.applications.steps import STEPS
from fonds.extensions import db
from fonds.permissions import role_required
from fonds.roles import Role
from fonds.rounds.queries import load_round
from fonds.runner import forms_at_version, run_action
from fonds.screening import bp
from fonds.screening import operations as screening_ops
from fonds.screening.forms import EligibleForm, NotAdmissibleForm, RequestInfoForm, ScreeningForm

# The statuses the screening list can show, the first is the default: new applications.
SCREENING_STATUSES = [
    Status.SUBMITTED,
    Status.INFO_REQUESTED,
    Status.IN_REVIEW,
    Status.NOT_ADMISSIBLE,
]


# Statuses with scores, reviews and (eventually) a decision to look at.
ASSESSED = frozenset(
    {
        Status.IN_REVIEW,
        Status.REVIEWED,
        Status.DECISION_PROPOSED,
        Status.APPROVED,
        Status.REJECTED,
    }
)


@bp.route("/rounds/<int:round_id>")
@role_required(Role.ADMIN)
def round_list(round_id: int):
    """The applications of a round in one screening status, the oldest first."""
    round_ = load_round(round_id)
    status = request.args.get("status", Status.SUBMITTED.value)
    if status not in {s.value for s in SCREENING_STATUSES}:
        status = Status.SUBMITTED.value
    applications = sent_applications(round_, status)
    return render_template(
        "screening/list.html",
        round=round_,
        applications=applications,
        status=Status(status),
        statuses=SCREENING_STATUSES,
    )


def render_screening(application: Application, status_code: int = 200, **forms: ScreeningForm):
    context = forms_at_version(
        application,
        {
            "eligible_form": EligibleForm(prefix="eligible"),
            "not_admissible_form": NotAdmissibleForm(prefix="not_admissible"),
            "request_info_form": RequestInfoForm(prefix="request_info"),
        },
        forms,
    )
    return render_template(
        "screening/application.html",
        application=application,
        info_request=application.open_info_request,
        steps=STEPS,
        show_reviewers=application.state == Status.IN_REVIEW,
        show_decision=application.state in ASSESSED,
        show_letters=application.state == Status.NOT_ADMISSIBLE,
        **context,
    ), status_code


@bp.route("/<int:application_id>")
@role_required(Role.ADMIN)
def application(application_id: int):
    """Everything the applicant entered, the attachments, the history and the actions."""
    application = load_application(application_id)
    record_view(application, "screening", by=current_user)
    db.session.commit()
    return render_screening(application)


def run_screening_action(
    application: Application, form: ScreeningForm, name: str, action: Callable[[], None]
):
    """Run a screening action (see fonds.runner.run_action); a form with errors shows the
    screening page again."""
    return run_action(
        application,
        form,
        action,
        render_invalid=lambda status: render_screening(application, status, **{name: form}),
    )


@bp.route("/<int:application_id>/eligible", methods=["POST"])
@role_required(Role.ADMIN)
def eligible(application_id: int):
    """The application meets the conditions: on to the reviewers."""
    application = load_application(application_id)
    form = EligibleForm(prefix="eligible")
    refused = run_screening_action(
        application,
        form,
        "eligible_form",
        lambda: screening_ops.mark_eligible(application, by=current_user),
    )
    if refused is not None:
        return refused
    flash(
        _("The application %(reference)s is now being assessed.", reference=application.reference),
        "success",
    )
    return redirect(url_for("screening.application", application_id=application.id))


@bp.route("/<int:application_id>/not-admissible", methods=["POST"])
@role_required(Role.ADMIN)
def not_admissible(application_id: int):
    """The application does not meet the conditions; the reason goes to the applicant."""
    application = load_application(application_id)
    form = NotAdmissibleForm(prefix="not_admissible")
    refused = run_screening_action(
        application,
        form,
        "not_admissible_form",
        lambda: screening_ops.mark_not_admissible(
            application, by=current_user, reason=form.reason.data
        ),
    )
    if refused is not None:
        return refused
    flash(
        _("The application %(reference)s is not admissible.", reference=application.reference),
        "success",
    )
    return redirect(url_for("screening.application", application_id=application.id))


@bp.route("/<int:application_id>/request-info", methods=["POST"])
@role_required(Role.ADMIN)
def request_info(application_id: int):
    """Ask the applicant for more information: a question, the parts that may change and a
    deadline."""
    application = load_application(application_id)
    form = RequestInfoForm(prefix="request_info")
    refused = run_screening_action(
        application,
        form,
        "request_info_form",
        lambda: screening_ops.request_information(
            application,
            by=current_user,
            question=form.question.data,
            steps=form.steps.data,
            deadline=form.deadline_moment,
        ),
    )
    if refused is not None:
        return refused
    flash(
        _(
            "Your question about %(reference)s is sent to the applicant.",
            reference=application.reference,
        ),
        "success",
    )
    return redirect(url_for("screening.application", application_id=application.id))
