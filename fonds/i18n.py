"""Language choice: Dutch first, English second. The choice lives in the session (and on the
account of a logged-in person, so e-mails reach them in that language)."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, has_request_context, request, session
from flask_login import current_user


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # command line, background work
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    chosen = session.get("lang")
    if chosen in languages:
        return chosen
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    return current_app.config["BABEL_DEFAULT_LOCALE"]


# A `next` longer than this is not a page of ours (and would make a Location header too long).
MAX_NEXT_LENGTH = 2000


def safe_next(target: str | None, fallback: str) -> str:
    """A redirect target from user input: only a path on this site, never another host, and
    never a control or line-break character (a header cannot hold them, and browsers drop tabs
    and newlines, so "/<tab>/host" would lead to another host)."""
    if not target or len(target) > MAX_NEXT_LENGTH:
        return fallback
    if any(not character.isprintable() for character in target):
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return fallback
    if "\\" in target:
        return fallback
    return target


def current_path() -> str:
    """The path and query of this request, for 'come back here' links."""
    path = request.full_path
    return path[:-1] if path.endswith("?") else path
