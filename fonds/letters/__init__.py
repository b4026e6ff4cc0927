"""Decision letters: rendering, issuing (one by one or per round), downloads."""

from flask import Blueprint

bp = Blueprint("letters", __name__, url_prefix="/letters")
