"""Public pages: the start page, the accessibility and privacy statements, the language switch
and the NL Design System style sheets."""

from __future__ import annotations

from pathlib import Path

from flask import (
    abort,
    current_app,
    redirect,
    render_template,
    request,
    send_from_directory,
    session,
    url_for,
)
from flask_login import current_user

from fonds.columns import utcnow
from fonds.i18n import safe_next
from fonds.pages import bp
from fonds.rounds.queries import open_rounds
from fonds.runner import run

# The only files served from node_modules: the NL Design System CSS and its theme.
VENDOR_FILES = {
    "component-library.css": "@utrecht/component-library-css/dist/index.css",
    "design-tokens.css": "@utrecht/design-tokens/dist/index.css",
}


@bp.route("/")
def home():
    return render_template("pages/home.html", open_rounds=open_rounds(utcnow()))


@bp.route("/accessibility")
def accessibility():
    return render_template("pages/accessibility.html")


@bp.route("/privacy")
def privacy():
    return render_template("pages/privacy.html")


@bp.route("/language/<code>")
def switch_language(code: str):
    """Switch between Dutch and English and come back to the same page."""
    if code not in current_app.config["LANGUAGES"]:
        abort(404)
    session["lang"] = code
    if current_user.is_authenticated and current_user.locale != code:
        user = current_user._get_current_object()
        run(lambda: setattr(user, "locale", code))  # the session has it either way
    return redirect(safe_next(request.args.get("next"), url_for("pages.home")))


@bp.route("/vendor/<name>")
def vendor(name: str):
    if name not in VENDOR_FILES:
        abort(404)
    path = Path(current_app.config["NODE_MODULES_DIR"]) / VENDOR_FILES[name]
    if not path.is_file():
        current_app.logger.error("Missing %s: run `make install` (npm ci)", path)
        abort(404)
    return send_from_directory(path.parent, path.name, max_age=3600)
