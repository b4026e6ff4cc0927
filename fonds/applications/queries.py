"""Read-only questions about applications for the views: loading one for the person (404 when
they may not see it), and the lists the pages show."""

from __future__ import annotations

from flask import abort
from flask_login import current_user

from fonds.applications.models import Application
from fonds.extensions import db


def load_application(application_id: int) -> Application:
    """404 when missing or not visible, so others cannot learn that it exists."""
    application = db.session.get(Application, application_id)
    if application is None or not application.can_view(current_user):
        abort(404)
    return application
