"""Views of this blueprint (see the package docstring)."""

from fonds.reviews import bp  # noqa: F401
