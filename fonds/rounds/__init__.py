"""Funding rounds (calls): the public page of a round, and administrators managing rounds."""

from flask import Blueprint

bp = Blueprint("rounds", __name__, url_prefix="/rounds")
