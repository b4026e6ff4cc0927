"""How an administrator's action on an application runs, on every admin page: validate the
form, refuse when the application changed since the page was shown (optimistic locking), run
the operation, commit once. A refusal changes nothing and says why."""

from __future__ import annotations

from collections.abc import Callable

from flask import flash, redirect
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from sqlalchemy.orm.exc import StaleDataError

from fonds.applications.models import Application
from fonds.applications.workflow import TransitionRefused
from fonds.extensions import db


def stale_message() -> str:
    return _("Someone else changed this application just now. Check the page again.")


def forms_at_version(application: Application, fresh: dict, given: dict) -> dict:
    """The action forms of a page: the ones given (shown again with their errors) and fresh ones
    for the rest. Every form carries the application's version as shown now, so an action taken
    on a page someone else has changed since is refused."""
    forms = {**fresh, **given}
    version = str(application.version)
    for form in forms.values():
        form.version.data = version
    return forms


def run_action(
    application: Application,
    form: FlaskForm,
    action: Callable[[], None],
    *,
    page: str,
    render_invalid: Callable[[], object],
):
    """Returns the response to send when the action is refused (the form again with its errors,
    or a redirect to `page` with the reason), or None when it is done and committed. The form
    carries the version of the application that was shown."""
    if not form.validate_on_submit():
        return render_invalid()
    if form.version.data != str(application.version):
        flash(stale_message(), "error")
        return redirect(page)
    try:
        action()
        db.session.commit()
    except TransitionRefused as refused:
        db.session.rollback()
        flash(str(refused), "error")
        return redirect(page)
    except StaleDataError:
        db.session.rollback()
        flash(stale_message(), "error")
        return redirect(page)
    return None
