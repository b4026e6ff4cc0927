"""Typed text survives an expired session. A step posted without a valid session (no log-in,
or a CSRF token from a session that ended) is kept for a day under a random token in the new
session; after logging in again, the person finds it back in that step, to check and save."""

from __future__ import annotations

import json
import secrets
from datetime import timedelta

from flask import session
from sqlalchemy import delete, select
from werkzeug.datastructures import MultiDict

from fonds.applications.models import Application, RescuedInput
from fonds.applications.steps import BY_KEY, keep_pending
from fonds.columns import utcnow
from fonds.extensions import db

SESSION_KEY = "rescued_input"
MAX_BYTES = 256 * 1024
MAX_AGE = timedelta(days=1)


def rescue(application_id: int, step: str, formdata: MultiDict) -> bool:
    """Keep what was posted to a step while the session had ended. Nothing is saved to the
    application itself: that waits for the person, logged in, to press Save."""
    if step not in BY_KEY or db.session.get(Application, application_id) is None:
        return False
    data = [
        (key, value) for key, values in formdata.lists() if key != "csrf_token" for value in values
    ]
    if len(json.dumps(data)) > MAX_BYTES:
        return False
    db.session.execute(delete(RescuedInput).where(RescuedInput.created_at < utcnow() - MAX_AGE))
    token = secrets.token_urlsafe(32)
    db.session.add(RescuedInput(token=token, application_id=application_id, step=step, data=data))
    db.session.commit()
    session[SESSION_KEY] = token
    return True


def restore(application: Application, step: str, may_change: bool) -> bool:
    """Put kept input back into the step as unsaved draft input. True when something came
    back."""
    token = session.get(SESSION_KEY)
    if not token:
        return False
    rescued = db.session.scalar(select(RescuedInput).where(RescuedInput.token == token))
    if rescued is None or rescued.application_id != application.id or rescued.step != step:
        return False
    session.pop(SESSION_KEY, None)
    restored = may_change and rescued.created_at >= utcnow() - MAX_AGE
    if restored:
        keep_pending(step, application, MultiDict(rescued.data))
    db.session.delete(rescued)
    db.session.commit()
    return restored
