"""Friendly error pages in both languages. They never show internals."""

from __future__ import annotations

import logging

from flask import current_app, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException

from fonds.applications.rescue import rescue_expired_post
from fonds.extensions import db
from fonds.formatting import file_size
from fonds.pages import bp
from fonds.refusals import Refused, Stale
from fonds.runner import lost_race

logger = logging.getLogger(__name__)


def error_page(status: int, title: str, message: str):
    return render_template("errors/error.html", status=status, title=title, message=message), status


@bp.app_errorhandler(CSRFError)
def csrf_error(error):
    """A form posted with the CSRF token of a session that has ended. An application's step is
    kept when the rescue rules allow; otherwise the page says the form expired and what to do."""
    if request.endpoint == "applications.step" and request.view_args:
        response = rescue_expired_post(
            request.view_args["application_id"], request.view_args["step"]
        )
        if response is not None:
            return response
    return error_page(
        400,
        _("This form has expired"),
        _(
            "Your changes were not saved: for your safety a form works only while you are "
            "logged in, and only on our own pages. Go back to the form and copy what you typed. "
            "Then reload the page, log in again if we ask, and fill in the form once more."
        ),
    )


@bp.app_errorhandler(HTTPException)
def http_error(error: HTTPException):
    pages = {
        400: (
            _("Something went wrong"),
            _(
                "Something went wrong with the form. Go back, reload the page and fill in the "
                "form once more."
            ),
        ),
        403: (
            _("You do not have access to this page"),
            _(
                "Your account does not have permission for this page. Are you logged in with "
                "the right account?"
            ),
        ),
        404: (
            _("Page not found"),
            _("This page does not exist (any more). Check the address, or go to the start page."),
        ),
        405: (
            _("This action is not possible here"),
            _("Go back to the previous page and use the buttons on the page."),
        ),
        413: (
            _("The file is too large"),
            _(
                "The file is too large. A file can be at most %(size)s. Make it smaller, or split "
                "it into more files.",
                size=file_size(current_app.config["ATTACHMENT_MAX_BYTES"]),
            ),
        ),
        429: (
            _("Too many attempts"),
            _("You tried this too often in a short time. Wait a few minutes and try again."),
        ),
    }
    title, message = pages.get(
        error.code,
        (_("Something went wrong"), _("Go back to the previous page and try again.")),
    )
    return error_page(error.code or 500, title, message)


@bp.app_errorhandler(Refused)
def refused(error: Refused):
    """The backstop for a refusal that a view did not catch itself (views run their actions
    through fonds.runner.run and show the form again): nothing was changed, and the page says
    why instead of a server error."""
    db.session.rollback()
    title = (
        _("Someone else was just ahead of you")
        if isinstance(error, Stale)
        else _("This is not possible")
    )
    return error_page(error.status, title, str(error))


@bp.app_errorhandler(StaleDataError)
@bp.app_errorhandler(DBAPIError)
def database_race(error):
    """Two requests changed the same rows at once and this one lost: a 409 that says so, with
    nothing half done. Any other database error is a bug and stays a 500."""
    if not lost_race(error):
        raise error
    return refused(Stale())


@bp.app_errorhandler(500)
def server_error(error):
    db.session.rollback()
    logger.exception("Unhandled error", exc_info=getattr(error, "original_exception", error))
    return error_page(
        500,
        _("Something went wrong on our side"),
        _(
            "Nothing was saved of your last step. Try again in a few minutes. Does it keep "
            "happening? E-mail us at %(email)s. Write what you did and the error code %(status)s.",
            email=current_app.config["FUND_EMAIL"],
            status=500,
        ),
    )
