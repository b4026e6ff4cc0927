"""Administrators: who has access, and inviting reviewers and administrators."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from fonds.auth.forms import InviteStaffForm
from fonds.auth.models import User
from fonds.auth.operations import invite, pending_invitations
from fonds.extensions import db
from fonds.people import bp
from fonds.permissions import role_required
from fonds.refusals import Invalid
from fonds.roles import Role
from fonds.runner import run_returning


def render_people(form: InviteStaffForm, status: int = 200):
    users = db.session.scalars(select(User).order_by(User.name)).all()
    return render_template(
        "people/index.html", users=users, form=form, invitations=pending_invitations()
    ), status


@bp.route("/")
@role_required(Role.ADMIN)
def index():
    return render_people(InviteStaffForm())


@bp.route("/invite", methods=["POST"])
@role_required(Role.ADMIN)
def invite_staff():
    """Invite a reviewer or administrator by e-mail."""
    form = InviteStaffForm()
    invitation, refused = run_returning(
        lambda: invite(email=form.email.data, role=Role(form.role.data), by=current_user),
        form=form,
    )
    if refused is not None:
        if not isinstance(refused, Invalid):
            form.email.errors = [*form.email.errors, str(refused)]
        return render_people(form, refused.status)
    role = Role(form.role.data)
    flash(
        _(
            "We have sent an invitation to %(email)s as %(role)s.",
            email=invitation.email,
            role=role.label.lower(),
        ),
        "success",
    )
    return redirect(url_for("people.index"))
