"""Views of this blueprint (see the package docstring)."""

from fonds.assignments import bp  # noqa: F401
