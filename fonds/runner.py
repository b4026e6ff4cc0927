"""One way to run an action that changes state (the refusals are in fonds.refusals).

A view runs a state-changing POST through `run`: it validates the form,
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
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from fonds.extensions import db
from fonds.refusals import Invalid, Refused, Stale, stale_message

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
    stale version or a lost race, when this page has a better one than the default. A view
    that needs what the operation returns uses `run_returning`."""
    _result, refused = run_returning(
        operation, form=form, seen_version=seen_version, version=version, stale=stale
    )
    return refused


def run_returning(
    operation: Callable[[], Any],
    *,
    form=None,
    seen_version: Any = None,
    version: Any = None,
    stale: Any = None,
) -> tuple[Any, Refused | None]:
    """`run`, giving back what the operation returned as well: `(result, None)` when it is
    done and committed, `(None, refused)` when it was refused and rolled back."""
    if form is not None and not form.validate_on_submit():
        return None, Invalid()
    if version is not None and str(seen_version) != str(version):
        return None, Stale(stale)
    try:
        result = operation()
        db.session.commit()
    except Refused as refused:
        db.session.rollback()
        return None, refused
    except (StaleDataError, DBAPIError) as error:
        db.session.rollback()
        if not lost_race(error):
            raise
        return None, Stale(stale)
    return result, None


def commit_as_action() -> Refused | None:
    """Commit what the request changed before, as an action of its own (e.g. an address
    confirmed by its link): a lost race (two clicks at once) comes back as `Stale` and rolls
    back, like every action run through `run`."""
    return run(lambda: None)


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
    render_invalid: Callable[[int], object],
):
    """An administrator's action on an application (screening, decisions): `run` with the
    version the form carries. Returns None when done, else the response: the page again as it
    is now, with the form, everything typed and the reason (422 refused, 409 stale or a lost
    race)."""
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
