"""Views of this blueprint (see the package docstring)."""

from fonds.decisions import bp  # noqa: F401
