"""The work waiting in each round, for the administrators' rounds page, counted for all rounds
in one query. It counts the rows of later domains (applications, assignments, letters) per round."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, case, func, select

from fonds.applications.models import Application, Status
from fonds.assignments.operations import needs_reviewers
from fonds.extensions import db
from fonds.letters.batch import has_original_letter
from fonds.letters.models import KIND_FOR_STATUS


@dataclass(frozen=True)
class Work:
    """What waits for the fund in one round."""

    to_screen: int = 0  # submitted: screen them
    to_assign: int = 0  # being assessed and still needing reviewers
    to_propose: int = 0  # reviewed: propose a decision
    to_confirm: int = 0  # a decision proposed: a second administrator confirms it
    letters: int = 0  # decided without an (original) letter: issue it

    def __bool__(self) -> bool:
        return any((self.to_screen, self.to_assign, self.to_propose, self.to_confirm, self.letters))


NO_WORK = Work()

# The statuses in which an application waits for the fund.
WAITING = [
    Status.SUBMITTED.value,
    Status.IN_REVIEW.value,
    Status.REVIEWED.value,
    Status.DECISION_PROPOSED.value,
    *KIND_FOR_STATUS,
]


def count_where(condition: ColumnElement[bool]) -> ColumnElement[int]:
    """How many rows of the group meet the condition (0 for none)."""
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def work_waiting(round_ids: Iterable[int]) -> dict[int, Work]:
    """The work waiting per round, for these rounds: one query with GROUP BY, however many rounds.
    A round without work is left out (look it up with .get(round_id, NO_WORK))."""
    round_ids = list(round_ids)
    if not round_ids:
        return {}
    status = Application.status
    rows = db.session.execute(
        select(
            Application.round_id,
            count_where(status == Status.SUBMITTED.value),
            count_where(needs_reviewers()),
            count_where(status == Status.REVIEWED.value),
            count_where(status == Status.DECISION_PROPOSED.value),
            count_where(and_(status.in_(list(KIND_FOR_STATUS)), ~has_original_letter())),
        )
        .where(Application.round_id.in_(round_ids), status.in_(WAITING))
        .group_by(Application.round_id)
    )
    work = {round_id: Work(*counts) for round_id, *counts in rows}
    return {round_id: counts for round_id, counts in work.items() if counts}
