"""fonds: the grant-management system of the Fonds op Naam."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from flask import Flask, request
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.middleware.proxy_fix import ProxyFix

from config import CONFIGS, REQUIRED_IN_PRODUCTION
from fonds.extensions import babel, csrf, db, limiter, login_manager, migrate
from fonds.requests import FondsRequest
from fonds.sessions import ASSET_ENDPOINTS, FondsSessionInterface

ROOT = Path(__file__).resolve().parent.parent


def create_app(config_name: str | None = None, overrides: dict[str, Any] | None = None) -> Flask:
    """Build the application. config_name is development, testing or production (default: the
    FONDS_CONFIG environment variable, else development)."""
    config_name = config_name or os.environ.get("FONDS_CONFIG", "development")
    app = Flask(
        __name__,
        instance_path=str(ROOT / "instance"),
        template_folder=str(ROOT / "templates"),
    )
    app.request_class = FondsRequest
    app.session_interface = FondsSessionInterface()
    app.config.from_object(CONFIGS[config_name])
    app.config.update(overrides or {})
    app.jinja_env.add_extension("jinja2.ext.do")
    if config_name == "production":
        missing = [name for name in REQUIRED_IN_PRODUCTION if not app.config.get(name)]
        if missing:
            raise RuntimeError(
                "Production refuses to start without "
                + " and ".join(missing)
                + " (set the environment variables SECRET_KEY and DATABASE_URL)."
            )
    Path(app.instance_path).mkdir(exist_ok=True)
    if app.config["PROXY_COUNT"]:
        count = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)

    from fonds.ids import IdConverter

    # Before the blueprints: every <int:...> id in a route is bounded to what the database holds.
    app.url_map.converters["int"] = IdConverter
    register_extensions(app)
    register_blueprints(app)
    register_request_hooks(app)

    from fonds import formatting

    formatting.register(app)
    if not app.debug and not app.testing:
        logging.basicConfig(level=logging.INFO)
    return app


def register_extensions(app: Flask) -> None:
    from fonds.i18n import select_locale

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Log in to see this page.")
    login_manager.login_message_category = "info"

    from fonds import queue

    queue.init_app(app)

    # Import every model so metadata is complete for Alembic.
    from fonds.applications import models as _applications  # noqa: F401
    from fonds.assignments import models as _assignments  # noqa: F401
    from fonds.auth import models as _auth  # noqa: F401
    from fonds.decisions import models as _decisions  # noqa: F401
    from fonds.letters import models as _letters  # noqa: F401
    from fonds.mail import models as _mail  # noqa: F401
    from fonds.organisations import models as _organisations  # noqa: F401
    from fonds.reviews import models as _reviews  # noqa: F401
    from fonds.rounds import models as _rounds  # noqa: F401

    @login_manager.user_loader
    def load_user(user_id: str):
        from fonds.auth.models import User

        ident, _, version = user_id.partition(".")
        if not ident.isdigit() or not version.isdigit():
            return None
        user = db.session.get(User, int(ident))
        # An older session version means the person logged out, changed the password or was
        # deactivated since this session began.
        if user is None or not user.active or user.session_version != int(version):
            return None
        return user


def register_blueprints(app: Flask) -> None:
    # Each package attaches its views and commands to its blueprint and registers it.
    from fonds import (
        applications,
        assignments,
        auth,
        decisions,
        demo,
        letters,
        mail,
        organisations,
        pages,
        people,
        ranking,
        reviews,
        rounds,
        screening,
    )

    for package in (
        pages,
        auth,
        organisations,
        people,
        rounds,
        applications,
        screening,
        assignments,
        reviews,
        ranking,
        decisions,
        letters,
        mail,
        demo,
    ):
        package.register(app)


CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


def register_request_hooks(app: Flask) -> None:
    from fonds.i18n import current_path
    from fonds.mail.operations import send_ready_mail
    from fonds.roles import Role

    @app.context_processor
    def layout_context() -> dict[str, Any]:
        locale = str(get_locale())
        return {
            "current_locale": locale,
            "other_locale": "en" if locale == "nl" else "nl",
            "here": current_path() if request else "/",
            "Role": Role,
            "user": current_user,
        }

    @app.after_request
    def send_mail_and_secure(response):
        # Mail queued by a committed transaction is sent now, after the commit.
        send_ready_mail()
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        # Pages hold personal data, CSRF tokens or links from e-mails: never keep them in caches.
        if request.endpoint not in ASSET_ENDPOINTS:
            response.headers["Cache-Control"] = "no-store"
        return response
