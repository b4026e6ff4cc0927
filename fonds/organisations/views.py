"""An organisation's page: its members, and inviting a colleague."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from fonds.auth.operations import invite, pending_invitations
from fonds.extensions import db
from fonds.organisations import bp
from fonds.organisations.forms import InviteMemberForm
from fonds.organisations.models import Organisation
from fonds.organisations.operations import details_form, update_details
from fonds.refusals import Invalid
from fonds.roles import Role
from fonds.runner import run, run_returning


def load_organisation(organisation_id: int) -> Organisation:
    """404 both when missing and when not visible, so others can't learn that it exists."""
    organisation = db.session.get(Organisation, organisation_id)
    if organisation is None or not organisation.can_view(current_user):
        abort(404)
    return organisation


@bp.route("/<int:organisation_id>")
@login_required
def show(organisation_id: int):
    organisation = load_organisation(organisation_id)
    form = InviteMemberForm() if organisation.can_invite(current_user) else None
    return render_template(
        "organisations/show.html",
        organisation=organisation,
        form=form,
        invitations=pending_invitations(organisation),
    )


@bp.route("/<int:organisation_id>/invite", methods=["POST"])
@login_required
def invite_member(organisation_id: int):
    """A member invites a colleague by e-mail."""
    organisation = load_organisation(organisation_id)
    if not organisation.can_invite(current_user):
        abort(403)
    form = InviteMemberForm()
    invitation, refused = run_returning(
        lambda: invite(
            email=form.email.data,
            role=Role.APPLICANT,
            by=current_user,
            organisation=organisation,
        ),
        form=form,
    )
    if refused is not None:
        if not isinstance(refused, Invalid):
            form.email.errors = [*form.email.errors, str(refused)]
        return render_template(
            "organisations/show.html",
            organisation=organisation,
            form=form,
            invitations=pending_invitations(organisation),
        ), refused.status
    flash(_("We have sent an invitation to %(email)s.", email=invitation.email), "success")
    return redirect(url_for("organisations.show", organisation_id=organisation.id))


@bp.route("/<int:organisation_id>/details", methods=["GET", "POST"])
@login_required
def details(organisation_id: int):
    """The organisation's details, used for every application it makes."""
    organisation = load_organisation(organisation_id)
    if not organisation.can_edit(current_user):
        abort(403)
    form = details_form(organisation, request.form if request.method == "POST" else None)
    if request.method == "POST":
        refused = run(lambda: update_details(organisation, form, by=current_user), form=form)
        if refused is None:
            flash(_("The details of your organisation are saved."), "success")
            return redirect(url_for("organisations.show", organisation_id=organisation.id))
        if not isinstance(refused, Invalid):
            flash(str(refused), "error")
        return render_template(
            "organisations/details.html", organisation=organisation, form=form
        ), refused.status
    return render_template("organisations/details.html", organisation=organisation, form=form)
