"""Read-only questions about applications for the views: loading one for the person (404 when
they may not see it), and the lists the pages show."""

from __future__ import annotations

from flask import abort
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from fonds.applications.models import Application
from fonds.extensions import db
from fonds.organisations.models import Organisation
from fonds.rounds.models import Round


def load_application(application_id: int) -> Application:
    """404 when missing or not visible, so others cannot learn that it exists."""
    application = db.session.get(Application, application_id)
    if application is None or not application.can_view(current_user):
        abort(404)
    return application


def applications_of(organisations: list[Organisation]) -> list[Application]:
    """The applications of these organisations, the last changed first."""
    return db.session.scalars(
        select(Application)
        .where(Application.organisation_id.in_([o.id for o in organisations]))
        .order_by(Application.updated_at.desc())
    ).all()


def sent_applications(round_: Round, status: str) -> list[Application]:
    """The round's sent applications in this status with their organisations, in the order
    they were sent (the screening list)."""
    return db.session.scalars(
        select(Application)
        .options(joinedload(Application.organisation))
        .where(
            Application.round_id == round_.id,
            Application.status == status,
            Application.submitted_at.is_not(None),
        )
        .order_by(Application.submitted_at, Application.id)
    ).all()
