"""Administrators preview an application's decision letter, as a page and as the PDF."""

from __future__ import annotations

from flask import Response, abort, url_for
from flask_login import current_user

from fonds.applications.models import Application
from fonds.applications.operations import record_view
from fonds.extensions import db
from fonds.letters import bp
from fonds.letters.context import NoLetter, letter_kind
from fonds.letters.render import render_html, render_letter
from fonds.permissions import role_required
from fonds.roles import Role


def decided_application(application_id: int) -> Application:
    """404 unless the application exists and has a decided status with a letter to write."""
    application = db.session.get(Application, application_id)
    if application is None or letter_kind(application) is None:
        abort(404)
    return application


@bp.route("/applications/<int:application_id>/preview")
@role_required(Role.ADMIN)
def preview(application_id: int):
    application = decided_application(application_id)
    try:
        html = render_html(application, preview_base=url_for("static", filename="letters/"))
    except NoLetter:
        abort(404)
    record_view(application, "letter-preview", by=current_user)
    db.session.commit()
    return Response(html, mimetype="text/html")


@bp.route("/applications/<int:application_id>/preview.pdf")
@role_required(Role.ADMIN)
def preview_pdf(application_id: int):
    application = decided_application(application_id)
    try:
        _html, pdf = render_letter(application)
    except NoLetter:
        abort(404)
    record_view(application, "letter-preview.pdf", by=current_user)
    db.session.commit()
    response = Response(pdf, mimetype="application/pdf")
    response.headers["Content-Disposition"] = (
        f'inline; filename="besluit-{application.reference}.pdf"'
    )
    response.headers["Cache-Control"] = "no-store"
    return response
