"""The applicant portal: dashboard, starting an application, the steps, checking and sending,
the status page and withdrawing."""

from __future__ import annotations

import re

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.datastructures import MultiDict

from fonds.applications import bp, rescue
from fonds.applications import operations as application_ops
from fonds.applications.forms import SubmitForm, WithdrawForm
from fonds.applications.models import DECIDED, Application, Status
from fonds.applications.queries import applications_of, load_application
from fonds.applications.steps import (
    BY_KEY,
    MAX_BUDGET_LINES,
    STEPS,
    build_form,
    changeable_steps,
    changed_meanwhile,
    keep_pending,
    lines_total,
    missing_items,
    planning_problems,
    save_step,
    show_as_now,
    step_context,
    too_many_lines,
    why_not_change,
)
from fonds.columns import utcnow
from fonds.decisions.queries import awarded_amount
from fonds.extensions import db, login_manager
from fonds.ids import parse_id
from fonds.letters.queries import letters_of
from fonds.refusals import Refused, Stale
from fonds.rounds.queries import load_round, open_rounds
from fonds.runner import run, run_returning


@bp.route("/")
@login_required
def dashboard():
    """Open rounds and the applications of the person's organisations."""
    return render_template(
        "applications/dashboard.html",
        open_rounds=open_rounds(utcnow()),
        applications=applications_of(current_user.organisations),
    )


@bp.route("/start", methods=["GET", "POST"])
@login_required
def start():
    """Start a draft in an open round, for one of the person's organisations. GET asks which
    organisation (also where a visitor arrives after logging in from the round's page)."""
    round_ = load_round(request.args.get("round_id", type=parse_id) or 0)
    if not round_.is_open():
        flash(_("This round is closed. You can no longer start an application."), "error")
        return redirect(url_for("applications.dashboard"))
    organisations = current_user.organisations
    if not organisations:
        flash(
            _(
                "Only members of an organisation can apply. Create an account for your "
                "organisation, or ask a colleague to invite you."
            ),
            "error",
        )
        return redirect(url_for("applications.dashboard"))
    chosen_id = request.form.get("organisation_id", type=parse_id)
    if request.method == "GET" or (chosen_id is None and len(organisations) > 1):
        return render_template(
            "applications/choose_organisation.html", round=round_, organisations=organisations
        )
    organisation = (
        organisations[0]
        if chosen_id is None
        else next((o for o in organisations if o.id == chosen_id), None)
    )
    if organisation is None:
        abort(404)
    application, refused = run_returning(
        lambda: application_ops.start_application(round_, organisation, by=current_user)
    )
    if refused is not None:
        flash(str(refused), "error")
        return redirect(url_for("applications.dashboard"))
    return redirect(url_for("applications.step", application_id=application.id, step=STEPS[0].key))


@bp.route("/<int:application_id>/steps/<step>", methods=["GET", "POST"])
def step(application_id: int, step: str):
    """One step of the form. Saving keeps valid values; values that are not right yet are kept
    too (pending_input), so leaving the step or the device loses nothing."""
    if not current_user.is_authenticated:
        if request.method == "POST":
            response = rescue.rescue_expired_post(application_id, step)
            if response is not None:
                return response
        return login_manager.unauthorized()
    application = load_application(application_id)
    if step not in BY_KEY:
        abort(404)
    if step == "submit":
        return redirect(url_for("applications.check", application_id=application.id))
    if step == "attachments":
        return redirect(url_for("applications.attachments", application_id=application.id))
    context = step_context(application, step)

    if request.method == "GET":
        application_ops.record_view(application, f"step:{step}", by=current_user)
        db.session.commit()
        if rescue.restore(application, step, context["editable"]):
            flash(
                _("We kept what you typed before your session ended. Check it and press Save."),
                "info",
            )
        form = build_form(step, application)
        if (application.pending_input or {}).get(step):
            validate_step(step, application, form)  # show the errors that are still there
        show_as_now(step, application, form)
        return render_template(f"applications/steps/{step}.html", form=form, **context)

    if not context["editable"]:
        flash(why_not_change(application, step, current_user), "error")
        return redirect(url_for("applications.status", application_id=application.id))

    formdata = budget_line_buttons(step, request.form)
    form = build_form(step, application, formdata)
    # A page shown before someone else saved this application is not saved over their work.
    # (The organisation step saves the organisation, not the application: it has no version.)
    seen = form.version.data
    if step != "organisation" and seen and seen != str(application.version):
        return not_saved(application, step, form, context, Stale())
    if step == "planning" and ("add_line" in request.form or "remove_line" in request.form):
        return change_budget_lines(application, form, formdata, context)
    if validate_step(step, application, form):
        refused = run(lambda: save_step(step, application, form, by=current_user))
        if refused is not None:
            return not_saved(application, step, form, context, refused)
        flash(_("Your changes are saved."), "success")
        target = context["next"] if "next" in request.form else step
        if "previous" in request.form and context["previous"]:
            target = context["previous"]
        return redirect(url_for("applications.step", application_id=application.id, step=target))
    refused = run(lambda: keep_pending(step, application, formdata))
    if refused is not None:
        return not_saved(application, step, form, context, refused)
    show_as_now(step, application, form)
    return render_template(f"applications/steps/{step}.html", form=form, **context), 422


def not_saved(application: Application, step: str, form, context: dict, refused: Refused):
    """The step again with everything the person typed, nothing saved, and why: for a save that
    came after someone else's (a stale page, or two saves at the same moment), also what that
    other save changed, so nothing is overwritten without the person knowing."""
    db.session.expire_all()
    if isinstance(refused, Stale):
        form.form_errors.append(
            _(
                "Someone else saved this step while you were working on it. We did not save "
                "your changes, so nothing of theirs is lost. Your text is still below: check "
                "it and press Save again."
            )
        )
        for label, value in changed_meanwhile(step, application, form):
            form.form_errors.append(_("‘%(field)s’ is now: ‘%(value)s’", field=label, value=value))
    else:
        form.form_errors.append(str(refused))
    show_as_now(step, application, form)
    context = step_context(application, step)
    return render_template(f"applications/steps/{step}.html", form=form, **context), refused.status


def change_budget_lines(application: Application, form, formdata: MultiDict, context: dict):
    """Add or remove a budget line. This is never refused by a rule between fields (those are
    checked when the person saves and continues, and on the check page): what is valid is
    saved, anything else is kept as typed, and the page shows the lines without judging them."""
    if form.validate() and too_many_lines(form) is None:
        refused = run(lambda: save_step("planning", application, form, by=current_user))
    else:
        refused = run(lambda: keep_pending("planning", application, formdata))
    if refused is not None:
        return not_saved(application, "planning", form, context, refused)
    form = build_form("planning", application, formdata)
    show_as_now("planning", application, form)
    status_code = 200
    if "add_line" in request.form:
        if len(form.lines) >= MAX_BUDGET_LINES:
            form.form_errors.append(
                _(
                    "You have %(limit)s costs, the most an application can have. Put costs of "
                    "the same kind together on one line.",
                    limit=MAX_BUDGET_LINES,
                )
            )
            status_code = 422
        else:
            form.lines.append_entry()
    return render_template("applications/steps/planning.html", form=form, **context), status_code


def budget_line_buttons(step: str, formdata: MultiDict) -> MultiDict:
    """Add and remove budget lines without JavaScript: the buttons change the posted lines."""
    if step != "planning" or "remove_line" not in formdata:
        return formdata
    # The number of the line to remove; anything else (abc, -1, 1_0) removes nothing.
    remove_text = formdata.get("remove_line", "")
    remove = int(remove_text) if re.fullmatch(r"[0-9]{1,4}", remove_text) else None
    kept = MultiDict()
    for key, value in formdata.items(multi=True):
        if key.startswith("lines-"):
            index_text, _, rest = key[len("lines-") :].partition("-")
            index = int(index_text) if index_text.isdigit() else -1
            if remove is not None and index == remove:
                continue
            if remove is not None and index > remove:
                key = f"lines-{index - 1}-{rest}"
        if key != "remove_line":
            kept.add(key, value)
    return kept


def validate_step(step: str, application: Application, form) -> bool:
    valid = form.validate()
    if step == "planning":
        for field, message in planning_problems(application, form).items():
            getattr(form, field).errors = [*getattr(form, field).errors, message]
            valid = False
        too_many = too_many_lines(form)
        if too_many:
            form.form_errors.append(too_many)
            valid = False
    return valid


def render_check(application: Application, form: SubmitForm, status_code: int = 200):
    """The check page: everything entered, what is missing, and sending when the workflow
    allows this person to send now."""
    context = step_context(application, "submit")
    context["editable"] = application.can_edit(current_user)
    return render_template(
        "applications/check.html",
        form=form,
        missing=missing_items(application) if context["editable"] else [],
        send=application_ops.send_transition(application),
        changeable=changeable_steps(application),
        **context,
    ), status_code


@bp.route("/<int:application_id>/check")
@login_required
def check(application_id: int):
    """Everything entered, with links back to each step, and what is still missing."""
    application = load_application(application_id)
    application_ops.record_view(application, "check", by=current_user)
    db.session.commit()
    form = SubmitForm(ask_electronic_delivery=application.round.is_awb)
    form.publication_consent.data = "yes" if application.publication_consent else "no"
    form.show_electronic_delivery(application.electronic_delivery_consent)
    return render_check(application, form)


@bp.route("/<int:application_id>/submit", methods=["POST"])
@login_required
def submit(application_id: int):
    """Send the application: the first time, or again after the fund asked a question."""
    application = load_application(application_id)
    form = SubmitForm(ask_electronic_delivery=application.round.is_awb)
    if form.validate_on_submit():
        refused = run(
            lambda: application_ops.send_application(
                application,
                by=current_user,
                publication_consent=form.consents_to_publication,
                electronic_delivery_consent=form.electronic_delivery_consent,
            )
        )
        if refused is None:
            return redirect(url_for("applications.sent", application_id=application.id))
        db.session.expire_all()
        if application.status == Status.SUBMITTED:
            # A second click on "send" (or a colleague who sent it a moment earlier): it is sent,
            # and the person lands where the first click went.
            return redirect(url_for("applications.sent", application_id=application.id))
        form.form_errors.append(str(refused))
        return render_check(application, form, refused.status)
    return render_check(application, form, 422)


@bp.route("/<int:application_id>/sent")
@login_required
def sent(application_id: int):
    application = load_application(application_id)
    if application.reference is None:
        return redirect(url_for("applications.status", application_id=application.id))
    application_ops.record_view(application, "sent", by=current_user)
    db.session.commit()
    return render_template("applications/sent.html", application=application)


@bp.route("/<int:application_id>")
@login_required
def status(application_id: int):
    """The status in plain language, what happens next, and the history."""
    application = load_application(application_id)
    application_ops.record_view(application, "status", by=current_user)
    db.session.commit()
    return render_template(
        "applications/status.html",
        application=application,
        info_request=application.open_info_request,
        steps=STEPS,
        changeable=changeable_steps(application),
        send=application_ops.send_transition(application),
        letters=letters_of(application),
        awarded=awarded_amount(application),
        now=utcnow(),
    )


@bp.route("/<int:application_id>/withdraw", methods=["GET", "POST"])
@login_required
def withdraw(application_id: int):
    """Withdraw an application that has not been decided, after a confirmation step."""
    application = load_application(application_id)
    refusal = application.why_not("withdraw", current_user)
    if refusal:
        flash(refusal, "error")
        return redirect(url_for("applications.status", application_id=application.id))
    form = WithdrawForm()
    if form.validate_on_submit():
        refused = run(lambda: application_ops.withdraw_application(application, by=current_user))
        if refused is None:
            flash(_("Your application is withdrawn."), "success")
        elif isinstance(refused, Stale):
            # Someone acted on it at the same moment (the fund, or a colleague): not withdrawn.
            flash(
                _(
                    "Your application is not withdrawn: the fund or a colleague changed it at the "
                    "same moment. Look at its status below. If you still want to withdraw it, "
                    "try again."
                ),
                "error",
            )
        else:
            flash(str(refused), "error")
        return redirect(url_for("applications.status", application_id=application.id))
    return render_template("applications/withdraw.html", application=application, form=form)


@bp.route("/<int:application_id>/delete", methods=["GET", "POST"])
@login_required
def delete(application_id: int):
    """Delete a draft that was never sent, after a confirmation step; its files go too."""
    from fonds.applications.attachments import remove_file

    application = load_application(application_id)
    if not application.can_delete(current_user):
        flash(_("Only a draft that was never sent can be deleted."), "error")
        return redirect(url_for("applications.status", application_id=application.id))
    form = WithdrawForm()
    if form.validate_on_submit():
        title = application.display_title
        paths = []
        refused = run(
            lambda: paths.extend(application_ops.delete_draft(application, by=current_user))
        )
        if refused is not None:
            flash(str(refused), "error")
            return redirect(url_for("applications.dashboard"))
        for path in paths:
            remove_file(path)
        flash(_("The draft %(title)s is deleted.", title=title), "success")
        return redirect(url_for("applications.dashboard"))
    return render_template("applications/delete.html", application=application, form=form)


@bp.app_context_processor
def application_labels() -> dict:
    """Labels for stored keys, in the current language."""
    from fonds.applications.models import BUDGET_CATEGORIES, COMMUNITIES, FOCUS_LABELS, Focus

    def status_label(value: str) -> str:
        return Status(value).label

    def community_labels(application: Application) -> list[str]:
        labels = [
            str(COMMUNITIES[key])
            for key in application.communities or []
            if key in COMMUNITIES and key != "other"
        ]
        if "other" in (application.communities or []):
            labels.append(application.community_other or str(COMMUNITIES["other"]))
        return labels

    def focus_label(application: Application) -> str:
        return str(FOCUS_LABELS[Focus(application.focus)]) if application.focus else ""

    def budget_category(key: str) -> str:
        return str(BUDGET_CATEGORIES.get(key, key))

    return {
        "lines_total": lines_total,
        "max_budget_lines": MAX_BUDGET_LINES,
        "decided": DECIDED,
        "status_label": status_label,
        "community_labels": community_labels,
        "focus_label": focus_label,
        "budget_category": budget_category,
    }
