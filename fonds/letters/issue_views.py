"""Issuing a letter (administrators) and downloading one (the applying organisation's members
and administrators; everyone else is told it does not exist). Every download is logged."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request
from flask_babel import gettext as _
from flask_login import current_user, login_required

from fonds.applications.operations import record_view
from fonds.applications.queries import load_application
from fonds.extensions import db
from fonds.ids import parse_id
from fonds.letters import bp
from fonds.letters.context import addressee, by_post
from fonds.letters.models import KIND_FOR_STATUS, Letter
from fonds.letters.operations import (
    LetterRefused,
    NoteMissing,
    check_issue,
    issue_letter,
    record_download,
)
from fonds.letters.queries import decision_page, letters_of
from fonds.permissions import role_required
from fonds.roles import Role
from fonds.runner import run_returning


@bp.app_template_global("letters_of")
def template_letters_of(application) -> list[Letter]:
    """The application's letters, for the pages that list them
    (templates/letter_pages/_issued.html)."""
    return letters_of(application)


@bp.app_template_global("letter_by_post")
def template_letter_by_post(application) -> bool:
    """Whether the application's letters must also be printed and posted (art. 2:14 Awb)."""
    return by_post(application)


def back_to(application) -> str:
    return decision_page(application.id, application.status)


def question(application, replaces, note: str, error: LetterRefused | None = None, status=200):
    """The confirmation page: what is issued, to whom, that it is final; the typed note stays,
    also with a refusal's message."""
    kind = KIND_FOR_STATUS.get(application.status)
    return render_template(
        "letter_pages/confirm_issue.html",
        application=application,
        kind=kind,
        addressee=addressee(application),
        replaces=replaces,
        note=note,
        error=str(error) if error else "",
        note_error=isinstance(error, NoteMissing),
        back=back_to(application),
    ), status


@bp.route("/applications/<int:application_id>/issue", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def issue(application_id: int):
    """Issue the application's letter, or with `replaces` a correction of an issued one. Issuing
    is final, so it asks first: GET (or a POST without `confirmed`, as the correction form on
    the decision page sends) shows the question, with the typed note; the question's "Yes"
    issues."""
    application = load_application(application_id)
    conflict = application.conflict_for(current_user)
    if conflict:
        flash(conflict, "error")
        return redirect(back_to(application))
    replaces = None
    if request.values.get("replaces"):
        replaces = db.session.get(Letter, request.values.get("replaces", type=parse_id) or 0)
        if replaces is None:
            abort(404)
    note = request.form.get("note", "")
    confirmed = request.method == "POST" and request.form.get("confirmed") == "yes"
    try:
        check_issue(application, replaces=replaces)
    except LetterRefused as refused:
        if replaces is not None and request.method == "POST":  # keep the typed note
            return question(application, replaces, note, refused, 422)
        flash(str(refused), "error")
        return redirect(back_to(application))
    if not confirmed:
        record_view(application, "letter-issue", by=current_user)
        db.session.commit()
        return question(application, replaces, note)
    # Someone issuing the same letter at the same moment fills the unique index first.
    first = (
        _("That letter has been corrected already.")
        if replaces is not None
        else _("The letter for this application has been issued already.")
    )
    letter, refused = run_returning(
        lambda: issue_letter(application, by=current_user, replaces=replaces, note=note),
        stale=first,
    )
    if refused is not None:
        if replaces is not None:  # keep the typed note
            return question(application, replaces, note, refused, refused.status)
        flash(str(refused), "error")
        return redirect(back_to(application))
    flash(
        _(
            "The letter for %(reference)s is issued. The applicant is told.",
            reference=application.reference,
        ),
        "success",
    )
    return redirect(back_to(application) + f"#letter-{letter.id}")


@bp.route("/<int:letter_id>.pdf")
@login_required
def download(letter_id: int):
    letter = db.session.get(Letter, letter_id)
    if letter is None:
        abort(404)
    application = load_application(letter.application_id)  # 404 for people who may not see it
    record_download(letter, by=current_user)
    record_view(application, f"letter:{letter.id}", by=current_user)
    db.session.commit()
    filename = f"besluit-{application.reference}-{letter.id}.pdf"
    return Response(
        letter.pdf,
        mimetype="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
            "X-Content-Type-Options": "nosniff",
        },
    )
