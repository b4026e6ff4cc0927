"""Builders of valid states, shared by the demo data, the tests and the benchmarks.

An application said to be sent has what sending gives it (a reference number from the year's
counter, the moment it was sent, the declarations and the organisation's details as they were);
its history holds every step that leads to its status. A decision is proposed by one
administrator and, when a second one is named, confirmed by them. The builders add to the
session and flush; the caller commits (the tests' fixtures do so at once)."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from fonds.applications.models import (
    Application,
    ApplicationEvent,
    BudgetLine,
    Status,
)
from fonds.applications.operations import format_reference, year_counter
from fonds.auth.models import User
from fonds.columns import utcnow
from fonds.decisions.models import Decision, DecisionState, Outcome
from fonds.extensions import db
from fonds.formatting import AMSTERDAM
from fonds.organisations.models import Organisation
from fonds.reviews.models import Review, ReviewScore
from fonds.rounds.models import Round

# The statuses an application passes on its way to each status (the workflow's usual path).
_SENT = [Status.DRAFT, Status.SUBMITTED]
_REVIEWED = [*_SENT, Status.IN_REVIEW, Status.REVIEWED]
PATH: dict[Status, list[Status]] = {
    Status.DRAFT: [Status.DRAFT],
    Status.SUBMITTED: _SENT,
    Status.INFO_REQUESTED: [*_SENT, Status.INFO_REQUESTED],
    Status.NOT_ADMISSIBLE: [*_SENT, Status.NOT_ADMISSIBLE],
    Status.WITHDRAWN: [*_SENT, Status.WITHDRAWN],
    Status.IN_REVIEW: [*_SENT, Status.IN_REVIEW],
    Status.REVIEWED: _REVIEWED,
    Status.DECISION_PROPOSED: [*_REVIEWED, Status.DECISION_PROPOSED],
    Status.APPROVED: [*_REVIEWED, Status.DECISION_PROPOSED, Status.APPROVED],
    Status.REJECTED: [*_REVIEWED, Status.DECISION_PROPOSED, Status.REJECTED],
}
# Steps the applicant takes; the move to "reviewed" is the system's; the fund takes the rest.
MEMBER_STEPS = frozenset({Status.DRAFT, Status.SUBMITTED, Status.WITHDRAWN})
SYSTEM_STEPS = frozenset({Status.REVIEWED})

# The details an organisation needs before it can send (filled in where it has none).
ORGANISATION_DETAILS = {
    "name": "Stichting Samen Sterk",
    "legal_form": "stichting",
    "kvk_number": "12345678",
    "street": "Dorpsstraat 1",
    "postcode": "1234 AB",
    "city": "Rotterdam",
    "iban": "NL91ABNA0417164300",
    "account_holder": "Stichting Samen Sterk",
    "contact_name": "Fatima Bakkali",
    "contact_email": "fatima@example.nl",
    "contact_phone": "0612345678",
}

# A complete project: every step answered, a budget of 10,000.00.
PROJECT = {
    "title": "Gesprekken in de moskee",
    "summary": "Dialoogavonden over zelfbeschikking.",
    "communities": ["moroccan", "turkish"],
    "focus": "both",
    "problem": "Weinig ruimte voor eigen keuzes.",
    "approach": "Tien avonden met vaste groep.",
    "preventive": "Normen uit de eigen groep bespreken.",
    "from_within": "Geleid door getrainde gespreksleiders uit de gemeenschap.",
    "participants": 40,
    "sessions": 10,
    "safety": "Groepsafspraken en doorverwijzing.",
    "start_date": date(2027, 3, 1),
    "end_date": date(2027, 12, 1),
    "amount_requested": Decimal("9000.00"),
}
BUDGET = [
    ("venue", "Zaalhuur", Decimal("4000.00")),
    ("dialogue_leaders", "Vergoedingen", Decimal("6000.00")),
]
BUDGET_TOTAL = sum(amount for _category, _description, amount in BUDGET)

_REFERENCE = re.compile(r"FON-(\d{4})-(\d+)")


def reserve_references(count: int, at: datetime | None = None) -> list[str]:
    """`count` reference numbers of the year of `at`, handed out by the year's counter (as
    sending does), in one step for a large set."""
    year = (at or utcnow()).astimezone(AMSTERDAM).year
    counter = year_counter(year)
    first = counter.last_number + 1
    counter.last_number += count  # written by the caller's flush, with the applications
    return [format_reference(year, number) for number in range(first, first + count)]


def claim_reference(reference: str) -> None:
    """A reference chosen by the caller (a test that names it): the year's counter moves past
    it, so that the next application sent never gets the same number."""
    match = _REFERENCE.fullmatch(reference)
    if match is None:
        return
    counter = year_counter(int(match.group(1)))
    counter.last_number = max(counter.last_number, int(match.group(2)))


def sent_values(organisation: Organisation, *, at: datetime, reference: str) -> dict[str, Any]:
    """What sending writes on an application (also for rows inserted in bulk)."""
    return {
        "reference": reference,
        "submitted_at": at,
        "declared_truthful": True,
        "declared_privacy": True,
        "organisation_snapshot": organisation.snapshot(),
    }


def complete_organisation(organisation: Organisation, details: dict | None = None) -> None:
    for key, value in (details or ORGANISATION_DETAILS).items():
        if not getattr(organisation, key):
            setattr(organisation, key, value)


def make_application(
    round_: Round,
    organisation: Organisation,
    *,
    status: Status | str = Status.DRAFT,
    complete: bool = True,
    created_by: User | None = None,
    by: User | None = None,
    sent_at: datetime | None = None,
    budget: list[tuple[str, str, Decimal]] | None = None,
    messages: dict[Status, str] | None = None,
    step: timedelta = timedelta(0),
    **values: Any,
) -> Application:
    """An application in `status`, reached along the workflow's usual path. `complete` fills
    every step (and the organisation's missing details); `values` override any column (a
    `reference` given is claimed from the counter); `budget` replaces the default cost lines
    (category, description, amount). In the history, `by` is the administrator of the fund's
    steps, `messages` the text per step (a question, a motivation), and `step` the time from
    one step to the next, from the moment it was sent."""
    status = Status(status)
    creator = created_by or organisation.members[0]
    if complete:
        complete_organisation(organisation)
        values = {**PROJECT, **values}
        lines = BUDGET if budget is None else budget
        if "other_funding_amount" not in values:
            # The budget is covered: the amount requested and money from others.
            rest = sum(amount for *_, amount in lines) - (values.get("amount_requested") or 0)
            values["other_funding_amount"] = rest if rest > 0 else None
    else:
        lines = budget or []
    now = utcnow()
    if status != Status.DRAFT:
        at = values.pop("submitted_at", None) or sent_at or now
        reference = values.pop("reference", None)
        if reference is None:
            reference = reserve_references(1, at)[0]
        else:
            claim_reference(reference)
        values = {**sent_values(organisation, at=at, reference=reference), **values}
    application = Application(
        round=round_,
        organisation=organisation,
        created_by=creator,
        status=status.value,
        **values,
    )
    for position, (category, description, amount) in enumerate(lines, start=1):
        application.budget_lines.append(
            BudgetLine(position=position, category=category, description=description, amount=amount)
        )
    db.session.add(application)
    for event in history(
        status,
        member_id=creator.id,
        admin_id=by.id if by else None,
        at=application.submitted_at or now,
        step=step,
        messages=messages,
    ):
        db.session.add(ApplicationEvent(application=application, **event))
    db.session.flush()
    return application


def history(
    status: Status,
    *,
    member_id: int,
    admin_id: int | None = None,
    at: datetime,
    step: timedelta = timedelta(0),
    messages: dict[Status, str] | None = None,
) -> list[dict[str, Any]]:
    """The history entries (as column values) of an application that reached `status` along
    the usual path and was sent at `at`: the applicant's steps by `member_id`, the fund's by
    `admin_id`, the move to "reviewed" by the system; `step` apart, with `messages` per step."""
    path = PATH[status]
    entries = []
    for index, (previous, target) in enumerate(zip([None, *path], path, strict=False)):
        if target in MEMBER_STEPS:
            actor_id = member_id
        elif target in SYSTEM_STEPS:
            actor_id = None
        else:
            actor_id = admin_id
        entries.append(
            {
                "actor_id": actor_id,
                "from_status": previous.value if previous else None,
                "to_status": target.value,
                "message": (messages or {}).get(target, ""),
                "at": at + (index - 1) * step,
            }
        )
    return entries


def send(application: Application, *, at: datetime | None = None) -> Application:
    """A draft made by a builder (for example with attachments added since), now sent: what
    sending writes, without its e-mail."""
    at = at or utcnow()
    reference = reserve_references(1, at)[0]
    for key, value in sent_values(application.organisation, at=at, reference=reference).items():
        setattr(application, key, value)
    application.status = Status.SUBMITTED.value
    db.session.add(
        ApplicationEvent(
            application=application,
            actor_id=application.created_by_id,
            from_status=Status.DRAFT.value,
            to_status=Status.SUBMITTED.value,
            at=at,
        )
    )
    db.session.flush()
    return application


def make_review(
    application: Application,
    reviewer: User,
    scores: int | list[int] = 3,
    *,
    submitted: bool = True,
    conflict: bool | None = False,
    recommendation: str = "fund",
    due_at: datetime | None = None,
    motivation: str = "Goed onderbouwd.",
    assigned_by: User | None = None,
    at: datetime | None = None,
    comment: str = "",
) -> Review:
    """A reviewer's assignment to an application, by default submitted with the given scores
    (one per criterion, in rubric order; a single number for all). `submitted=False` makes a
    draft, `conflict=None` an assignment not yet declared, `conflict=True` a declared conflict."""
    now = at or utcnow()
    criteria = application.round.criteria
    if isinstance(scores, int):
        scores = [scores] * len(criteria)
    review = Review(
        application_id=application.id,
        reviewer_id=reviewer.id,
        assigned_by_id=assigned_by.id if assigned_by else None,
        due_at=due_at or now + timedelta(days=14),
        conflict=conflict,
        declared_at=now if conflict is not None else None,
        recommendation=recommendation if (submitted and not conflict) else None,
        submitted_at=now if (submitted and conflict is False) else None,
        comment=comment,
    )
    if conflict is False:
        for criterion, score in zip(criteria, scores, strict=True):
            review.scores.append(
                ReviewScore(criterion_id=criterion.id, score=score, motivation=motivation)
            )
    db.session.add(review)
    db.session.flush()
    return review


def make_decision(
    application: Application,
    *,
    proposer: User,
    decider: User | None = None,
    amount: Decimal | None = None,
    outcome: Outcome | str | None = None,
    motivation: str = "Een sterk plan van binnenuit.",
    points: dict[int, str] | None = None,
    partial_reason: str = "",
    at: datetime | None = None,
) -> Decision:
    """A decision: an award when `amount` is given, otherwise a rejection (or `outcome`);
    proposed by `proposer`, and confirmed when a second administrator `decider` is named.
    `points` are the fund's points per criterion (by criterion id), `partial_reason` why an
    award is lower than requested."""
    if outcome is None:
        outcome = Outcome.APPROVE if amount is not None else Outcome.REJECT
    decision = Decision(
        application_id=application.id,
        outcome=str(outcome),
        amount=amount,
        motivation=motivation,
        criterion_points={str(key): text for key, text in (points or {}).items()},
        partial_reason=partial_reason,
        state=DecisionState.CONFIRMED if decider else DecisionState.PROPOSED,
        proposed_by_id=proposer.id,
        proposed_at=at or utcnow(),
        decided_by_id=decider.id if decider else None,
        decided_at=(at or utcnow()) if decider else None,
    )
    db.session.add(decision)
    db.session.flush()
    return decision
