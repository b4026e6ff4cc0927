"""One way to refuse and one way to run an action that changes state.

Every domain refuses with a subclass of `Refused`, whose message is for the person (usually a
lazy translation). A view runs a state-changing POST through `run`: it validates the form,
checks the version the person saw, calls one operation and commits once. A refusal, a stale
version or a lost race (the database saw two requests change the same rows at once) rolls
everything back and comes back as a `Refused` with the HTTP status to answer: 422 for a rule
that said no, 409 for a change someone else made first. The view shows the form again with
everything typed and the message. Never a 500, never half a change.

This module sits below every domain: it imports none of them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import flash
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from fonds.extensions import db


class Refused(Exception):
    """A rule said no. `message` says why, for the person; `status` is the HTTP status."""

    status = 422
    default_message = _l("This is not possible now.")

    def __init__(self, message: Any = None) -> None:
        self.message = message if message is not None else self.default_message
        super().__init__(self.message)

    def __str__(self) -> str:
        return str(self.message)


class Stale(Refused):
    """Someone else changed the same thing first: the page the person saw is out of date."""

    status = 409
    default_message = _l("Someone else changed this just now. Check the page again.")


class Invalid(Refused):
    """The form has errors; they are on its fields."""

    default_message = _l("Something is not filled in correctly. Check the fields marked below.")


# SQLSTATEs of a lost race on PostgreSQL: serialization failure, deadlock, lock not available.
RACE_SQLSTATES = {"40001", "40P01", "55P03"}


def lost_race(error: Exception) -> bool:
    """Whether a database error means that another request changed the same rows at once
    (rather than a bug): an optimistic-lock miss, a unique index that another request filled
    first, a serialization failure or deadlock, or SQLite's lock that did not come free."""
    if isinstance(error, StaleDataError | IntegrityError):
        return True
    if isinstance(error, DBAPIError):
        original = getattr(error, "orig", None)
        code = getattr(original, "sqlstate", None) or getattr(original, "pgcode", None)
        if code in RACE_SQLSTATES:
            return True
        return "database is locked" in str(original)
    return False


def run(
    operation: Callable[[], Any],
    *,
    form=None,
    seen_version: Any = None,
    version: Any = None,
    stale: Any = None,
) -> Refused | None:
    """Run one state-changing action: validate `form` (when given; a form with errors is
    `Invalid`), refuse when the version the person saw (`seen_version`, from the form) is not
    the current `version`, call `operation`, commit once. Returns None when it is done and
    committed, else the `Refused` (already rolled back) to show. `stale` is the message for a
    stale version or a lost race, when this page has a better one than the default."""
    if form is not None and not form.validate_on_submit():
        return Invalid()
    if version is not None and str(seen_version) != str(version):
        return Stale(stale)
    try:
        operation()
        db.session.commit()
    except Refused as refused:
        db.session.rollback()
        return refused
    except (StaleDataError, DBAPIError) as error:
        db.session.rollback()
        if not lost_race(error):
            raise
        return Stale(stale)
    return None


def stale_message() -> str:
    """What a person is told when an application changed after their page was shown."""
    return _("Someone else changed this application just now. Check the page again.")


def forms_at_version(application, fresh: dict, given: dict) -> dict:
    """The action forms of a page: the ones given (shown again with their errors) and fresh ones
    for the rest. Every form carries the application's version as shown now, so an action taken
    on a page someone else has changed since is refused."""
    forms = {**fresh, **given}
    version = str(application.version)
    for form in forms.values():
        form.version.data = version
    return forms


def run_action(
    application,
    form,
    action: Callable[[], None],
    *,
    page: str,
    render_invalid: Callable[[int], object],
):
    """An administrator's action on an application (screening, decisions): `run` with the
    version the form carries. Returns None when done, else the response: the page again as it
    is now, with the form, everything typed and the reason (422 refused, 409 stale or a lost
    race). `page` is the page's address, for callers that link back to it."""
    refused = run(
        action,
        form=form,
        seen_version=form.version.data,
        version=application.version,
        stale=stale_message(),
    )
    if refused is None:
        return None
    if not isinstance(refused, Invalid):
        flash(str(refused), "error")
    if isinstance(refused, Stale):
        db.session.expire_all()  # show the page as it is now, with what this person typed
    return render_invalid(refused.status)
