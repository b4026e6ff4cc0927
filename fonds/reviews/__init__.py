"""Reviewing by external reviewers: their dashboard, the declaration of a conflict of interest,
and the scoring form built from the round's rubric. The models also hold the assignments."""

from flask import Blueprint

bp = Blueprint("reviews", __name__, url_prefix="/review")
