"""Signed, expiring links sent by e-mail (itsdangerous). Each purpose has its own salt, so a
link for one purpose never works for another."""

from __future__ import annotations

import enum
import hashlib

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer


class Purpose(enum.StrEnum):
    VERIFY_EMAIL = "verify-email"
    RESET_PASSWORD = "reset-password"  # noqa: S105 - a salt name, not a password
    INVITATION = "invitation"


MAX_AGE_SETTING = {
    Purpose.VERIFY_EMAIL: "VERIFY_LINK_MAX_AGE",
    Purpose.RESET_PASSWORD: "RESET_LINK_MAX_AGE",
    Purpose.INVITATION: "INVITATION_MAX_AGE",
}


class LinkExpired(Exception):
    """The link was genuine but is too old."""


class LinkInvalid(Exception):
    """The link was changed, is for another purpose, or was never issued by us."""


def _serializer(purpose: Purpose) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=purpose.value)


def make_token(purpose: Purpose, payload: dict) -> str:
    return _serializer(purpose).dumps(payload)


def read_token(purpose: Purpose, token: str) -> dict:
    max_age = current_app.config[MAX_AGE_SETTING[purpose]]
    serializer = _serializer(purpose)
    try:
        payload = serializer.loads(token, max_age=max_age)
    except SignatureExpired as error:
        raise LinkExpired() from error
    except BadSignature as error:
        raise LinkInvalid() from error
    if not isinstance(payload, dict):
        raise LinkInvalid()
    return payload


def fingerprint(value: str) -> str:
    """A short digest of a secret (such as a password hash) that a link can carry, so the link
    stops working once the secret changes."""
    return hashlib.sha256(value.encode()).hexdigest()[:16]
