"""One way to refuse. Every domain refuses with a subclass of `Refused`, whose message is for
the person (usually a lazy translation) and whose HTTP status is 422 for a rule that said no,
409 for a change someone else made first (`Stale`). fonds.runner turns them into answers.

This module sits below every domain: it imports none of them."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l


class Refused(Exception):
    """A rule said no. `message` says why, for the person; `status` is the HTTP status."""

    status = 422
    default_message = _l("This is not possible now.")

    def __init__(self, message: Any = None) -> None:
        self.message = message if message is not None else self.default_message
        super().__init__(self.message)

    def __str__(self) -> str:
        return str(self.message)


class Stale(Refused):
    """Someone else changed the same thing first: the page the person saw is out of date."""

    status = 409
    default_message = _l("Someone else changed this just now. Check the page again.")


class Invalid(Refused):
    """The form has errors; they are on its fields."""

    default_message = _l("Something is not filled in correctly. Check the fields marked below.")


def stale_message() -> str:
    """What a person is told when an application changed after their page was shown."""
    return _("Someone else changed this application just now. Check the page again.")
