"""Read-only questions about letters, for the pages that list them."""

from __future__ import annotations

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
