"""Database ids typed by someone else: in a URL, a query string or a form. An id is a whole
number of ASCII digits that fits the database's id column (PostgreSQL's `integer`); anything
else is not an id, so it is "not found" (404) or "choose one" instead of a database error."""

from __future__ import annotations

import re

from werkzeug.routing import IntegerConverter

# The id columns are `integer`: 32 bits on PostgreSQL. Larger numbers make PostgreSQL raise
# ("integer out of range") and SQLite's driver raise (OverflowError) above 64 bits.
MAX_ID = 2**31 - 1

_ID = re.compile(r"[0-9]{1,10}")


def parse_id(value: object) -> int | None:
    """The id in value, or None when value is not the id of a row that can exist."""
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str) and _ID.fullmatch(value):
        number = int(value)
    else:
        return None
    return number if 1 <= number <= MAX_ID else None


class IdConverter(IntegerConverter):
    """`<int:...>` in a route: only ASCII digits (not ١٢ or １２) and at most MAX_ID, so a URL
    with a larger number is a 404 like any id that does not exist."""

    regex = r"[0-9]+"

    def __init__(
        self,
        map,  # noqa: A002 - werkzeug's parameter names
        fixed_digits: int = 0,
        min: int | None = 0,  # noqa: A002
        max: int | None = MAX_ID,  # noqa: A002
        signed: bool = False,
    ) -> None:
        super().__init__(map, fixed_digits, min, max, signed)
