"""Screening by administrators: the new applications of a round, and per application the
decision whether it meets the conditions (eligible, not admissible, or more information)."""

from flask import Blueprint

bp = Blueprint("screening", __name__, url_prefix="/screening")
