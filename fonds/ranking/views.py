"""Views of this blueprint (see the package docstring)."""

from fonds.ranking import bp  # noqa: F401
