"""Read-only questions about letters, for the pages that list them."""

from __future__ import annotations

from flask import url_for
from sqlalchemy import select

from fonds.applications.models import Application
from fonds.extensions import db
from fonds.letters.models import Letter


def letters_of(application: Application) -> list[Letter]:
    """The application's letters, the newest first (a correction before the one it replaces)."""
    return db.session.scalars(
        select(Letter)
        .where(Letter.application_id == application.id)
        .order_by(Letter.issued_at.desc(), Letter.id.desc())
    ).all()


def decision_page(application_id: int, status: str) -> str:
    """Where an application's letter is issued: the screening page for not admissible, the
    decision page otherwise."""
    if status == "not_admissible":
        return url_for("screening.application", application_id=application_id)
    return url_for("decisions.application", application_id=application_id)
