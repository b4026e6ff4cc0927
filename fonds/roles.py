"""The roles a person may hold (applicant, reviewer, administrator). Its own module, below every
domain, so that any domain may name a role without importing the accounts."""

from __future__ import annotations

import enum

from flask_babel import lazy_gettext as _l

from fonds.extensions import db


class Role(enum.StrEnum):
    APPLICANT = "applicant"
    REVIEWER = "reviewer"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        return str(ROLE_LABELS[self])


ROLE_LABELS = {
    Role.APPLICANT: _l("Applicant"),
    Role.REVIEWER: _l("Reviewer"),
    Role.ADMIN: _l("Administrator"),
}


ROLE_VALUES = ", ".join(f"'{role.value}'" for role in Role)


# Stored as its value in a VARCHAR; the tables add a CHECK constraint with ROLE_VALUES.
RoleType = db.Enum(
    Role,
    native_enum=False,
    length=20,
    values_callable=lambda e: [r.value for r in e],
    create_constraint=False,
)
