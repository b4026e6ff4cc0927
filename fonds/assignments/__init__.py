"""Administrators choose a round's reviewer pool and assign reviewers to applications, by hand
or automatically (balanced load, never a member of the applying organisation or someone with a
declared conflict)."""

from flask import Blueprint

bp = Blueprint("assignments", __name__, url_prefix="/assignments")
