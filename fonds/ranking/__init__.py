"""A round's ranking: applications by (raw or calibrated) score with flags, the cumulative
requested amount and the funding line at the budget ceiling, and its CSV export."""

from flask import Blueprint

bp = Blueprint("ranking", __name__, url_prefix="/ranking")
