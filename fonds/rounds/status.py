"""Where a round is in time: not yet open, open for applications, or closed."""

from __future__ import annotations

import enum
from datetime import datetime

from flask_babel import lazy_gettext as _l

from fonds.columns import utcnow
from fonds.rounds.models import Round


class RoundStatus(enum.StrEnum):
    UPCOMING = "upcoming"
    OPEN = "open"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return str(ROUND_STATUS_LABELS[self])


ROUND_STATUS_LABELS = {
    RoundStatus.UPCOMING: _l("Not yet open"),
    RoundStatus.OPEN: _l("Open"),
    RoundStatus.CLOSED: _l("Closed"),
}


def round_status(round_: Round, now: datetime | None = None) -> RoundStatus:
    now = now or utcnow()
    if now < round_.opens_at:
        return RoundStatus.UPCOMING
    return RoundStatus.OPEN if round_.is_open(now) else RoundStatus.CLOSED
