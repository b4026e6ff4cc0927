"""The session cookie: renewed by pages, never by the files a page loads.

A permanent session is renewed on every response (its expiry moves with the person's activity).
Style sheets, scripts and fonts are loaded alongside a page and may still be on their way when
the person's next page is already answered; if their responses renewed the cookie too, a late
one would put back the session as it was when it was requested: a flash message already shown
comes back, or a session that just ended is revived. Loading a file is not activity, so those
responses leave the cookie alone."""

from __future__ import annotations

from flask import Flask, request
from flask.sessions import SecureCookieSessionInterface, SessionMixin

ASSET_ENDPOINTS = frozenset({"static", "pages.vendor"})


class FondsSessionInterface(SecureCookieSessionInterface):
    def should_set_cookie(self, app: Flask, session: SessionMixin) -> bool:
        if request.endpoint in ASSET_ENDPOINTS and not session.modified:
            return False
        return super().should_set_cookie(app, session)
