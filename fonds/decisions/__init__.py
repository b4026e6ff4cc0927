"""Four-eyes decisions: one administrator proposes, a second one confirms or sends it back."""

from flask import Blueprint

bp = Blueprint("decisions", __name__, url_prefix="/decisions")
