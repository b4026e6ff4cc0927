"""Typed text survives an ended session. A step posted without a valid session (no log-in, or a
CSRF token from a session that ended) is kept for a day, but only when the post proves it came
from the person's own step page: every step form carries a signed rescue token, bound to the
account, the application and the step, that lasts longer than the session. After logging in
again, that person (and nobody else) finds the text back in that step, to check and save.

A cross-site page cannot read the token, so it cannot plant text. What is kept is bounded: the
size of each value and of the whole step, one row per account, application and step, and a few
rows per account and per application."""

from __future__ import annotations

import json
from datetime import timedelta

from flask import current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import delete, select
from werkzeug.datastructures import MultiDict

from fonds.applications import bp
from fonds.applications.models import Application, RescuedInput
from fonds.applications.steps import BY_KEY, keep_pending
from fonds.auth.models import User
from fonds.columns import utcnow
from fonds.extensions import db

FIELD = "rescue_token"
SALT = "step-rescue"
# Longer than a log-in (SESSION_HOURS, 8 by default), which is why the rescue exists.
TOKEN_MAX_AGE = timedelta(hours=24)
MAX_AGE = timedelta(days=1)
MAX_VALUE_CHARS = 20_000
MAX_ROW_CHARS = 64 * 1024
MAX_ROWS_PER_ACCOUNT = 10
MAX_ROWS_PER_APPLICATION = 10
NOT_KEPT = ("csrf_token", FIELD)


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


@bp.app_template_global()
def rescue_token(application_id: int, step: str) -> str:
    """For the step form: the signed token that lets this person's typed text be kept."""
    if not current_user.is_authenticated:
        return ""
    return _serializer().dumps({"u": current_user.id, "a": application_id, "s": step})


def token_owner(token: str | None, application_id: int, step: str) -> User | None:
    """The account a genuine, fresh token for this application and step belongs to, as long as
    that person may still change the application; otherwise None."""
    if not token:
        return None
    try:
        payload = _serializer().loads(token, max_age=TOKEN_MAX_AGE.total_seconds())
    except BadSignature:  # also SignatureExpired
        return None
    if not isinstance(payload, dict) or payload.get("a") != application_id:
        return None
    if payload.get("s") != step or not isinstance(payload.get("u"), int):
        return None
    user = db.session.get(User, payload["u"])
    application = db.session.get(Application, application_id)
    if user is None or not user.active or application is None:
        return None
    if not any(m.organisation_id == application.organisation_id for m in user.memberships):
        return None
    return user


def rescue(application_id: int, step: str, formdata: MultiDict) -> bool:
    """Keep what was posted to a step while the session had ended, for the person whose page it
    came from. Nothing is saved to the application itself: that waits for the person, logged
    in, to press Save. False (nothing kept) without a valid token or when it is too large."""
    if step not in BY_KEY or step in ("attachments", "submit"):
        return False
    owner = token_owner(formdata.get(FIELD), application_id, step)
    if owner is None:
        return False
    if current_user.is_authenticated and current_user.id != owner.id:
        return False
    data = [
        (key, value) for key, values in formdata.lists() if key not in NOT_KEPT for value in values
    ]
    if any(len(key) > 100 or len(value) > MAX_VALUE_CHARS for key, value in data):
        return False
    if len(json.dumps(data)) > MAX_ROW_CHARS:
        return False
    db.session.execute(delete(RescuedInput).where(RescuedInput.created_at < utcnow() - MAX_AGE))
    db.session.execute(
        delete(RescuedInput).where(
            RescuedInput.user_id == owner.id,
            RescuedInput.application_id == application_id,
            RescuedInput.step == step,
        )
    )
    db.session.add(
        RescuedInput(user_id=owner.id, application_id=application_id, step=step, data=data)
    )
    db.session.flush()
    _keep_newest(RescuedInput.user_id == owner.id, MAX_ROWS_PER_ACCOUNT)
    _keep_newest(RescuedInput.application_id == application_id, MAX_ROWS_PER_APPLICATION)
    db.session.commit()
    return True


def _keep_newest(condition, limit: int) -> None:
    older = db.session.scalars(
        select(RescuedInput.id)
        .where(condition)
        .order_by(RescuedInput.created_at.desc(), RescuedInput.id.desc())
        .offset(limit)
    ).all()
    if older:
        db.session.execute(delete(RescuedInput).where(RescuedInput.id.in_(older)))


def restore(application: Application, step: str, may_change: bool) -> bool:
    """Put this person's kept input back into the step as unsaved draft input. True when
    something came back."""
    if not current_user.is_authenticated:
        return False
    rescued = db.session.scalar(
        select(RescuedInput).where(
            RescuedInput.user_id == current_user.id,
            RescuedInput.application_id == application.id,
            RescuedInput.step == step,
        )
    )
    if rescued is None:
        return False
    restored = may_change and rescued.created_at >= utcnow() - MAX_AGE
    if restored:
        keep_pending(step, application, MultiDict(rescued.data))
    db.session.delete(rescued)
    db.session.commit()
    return restored


def rescue_expired_post(application_id: int, step: str):
    """Keep what was posted to a step from a session that has ended, and send the person to log
    in again (or straight back, if still logged in). None when nothing could be kept."""
    if not rescue(application_id, step, request.form):
        return None
    flash(
        _("For your safety your session had ended. Log in again: we kept what you typed."),
        "info",
    )
    if current_user.is_authenticated:
        return redirect(request.path)
    return redirect(url_for("auth.login", next=request.path))
