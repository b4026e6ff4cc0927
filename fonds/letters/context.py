"""Everything a decision letter says, gathered from the application, its round and its confirmed
decision (PRODUCT.md, "Decision letters", points 1–12). Reviewers are never named: nothing about
a reviewer except anonymous scores reaches the letter."""

from __future__ import annotations

import logging
from bisect import bisect_right
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import cache
from zoneinfo import ZoneInfo

import holidays
from dateutil.relativedelta import relativedelta
from flask import current_app
from sqlalchemy import Float, and_, cast, func, select

from fonds.applications.models import Application, ApplicationEvent, InfoRequest, Status
from fonds.decisions.models import Decision, DecisionState
from fonds.extensions import db
from fonds.letters.models import KIND_FOR_STATUS, LetterKind
from fonds.organisations.models import DETAIL_FIELDS
from fonds.ranking.queries import ranking
from fonds.reviews.models import Review, ReviewScore
from fonds.rounds.models import LegalMode, Round, RubricCriterion

logger = logging.getLogger(__name__)

FUND_NAME = "Fonds op Naam"
# Payment schedule of an award (PRODUCT.md point 8): an advance, the rest after the final report.
ADVANCE_PERCENT = 80
REPORT_MONTHS_AFTER_END = 2

# The letters name the organisation by its details, without the contact's e-mail and phone.
ADDRESSEE_FIELDS = tuple(
    field for field in DETAIL_FIELDS if field not in ("contact_email", "contact_phone")
)


class NoLetter(LookupError):
    """The application has no decided status (approved, rejected, not admissible), or its
    decision is not confirmed: there is no letter to write."""


@dataclass(frozen=True)
class FeedbackRow:
    criterion: str  # the criterion's Dutch name
    weight: int
    mean: float | None  # this application's mean score (1–5) over its submitted reviews
    awarded_mean: float | None  # mean over the round's awarded applications
    point: str = ""  # the fund's point on this criterion, in its own words (may be empty)


def letter_kind(application: Application) -> LetterKind | None:
    """The letter kind follows the application's status (KIND_FOR_STATUS)."""
    return KIND_FOR_STATUS.get(application.status)


def confirmed_decision(application: Application) -> Decision | None:
    return db.session.scalar(
        select(Decision)
        .where(
            Decision.application_id == application.id,
            Decision.state == DecisionState.CONFIRMED.value,
        )
        .order_by(Decision.decided_at.desc(), Decision.id.desc())
        .limit(1)
    )


@dataclass(frozen=True)
class NotAdmissible:
    """Why an application is not handled. `incomplete`: a question was not answered in time
    (art. 4:5 Awb), by the daily expiry or an administrator who stopped waiting after the
    deadline; then `question`, `asked` and `deadline` say what was asked and when. Otherwise
    the application does not meet the conditions, and `reason` names them. `reason` is the
    administrator's own text (empty for the expiry, whose history line is not written for the
    letter)."""

    incomplete: bool
    reason: str = ""
    question: str = ""
    asked: datetime | None = None
    deadline: datetime | None = None


def not_admissible_facts(application: Application) -> NotAdmissible:
    """What the latest move to not admissible was: after an unanswered question, or a
    screening against the conditions."""
    event = db.session.scalar(
        select(ApplicationEvent)
        .where(
            ApplicationEvent.application_id == application.id,
            ApplicationEvent.to_status == Status.NOT_ADMISSIBLE.value,
        )
        .order_by(ApplicationEvent.id.desc())
        .limit(1)
    )
    if event is None:
        return NotAdmissible(incomplete=False)
    reason = event.message if event.actor_id is not None else ""
    if event.from_status != Status.INFO_REQUESTED.value:
        return NotAdmissible(incomplete=False, reason=reason)
    request = db.session.scalar(
        select(InfoRequest)
        .where(InfoRequest.application_id == application.id, InfoRequest.created_at <= event.at)
        .order_by(InfoRequest.created_at.desc(), InfoRequest.id.desc())
        .limit(1)
    )
    # Stopped before the deadline: nothing was late, so it is about the conditions.
    if request is None or event.at <= request.deadline:
        return NotAdmissible(incomplete=False, reason=reason)
    return NotAdmissible(
        incomplete=True,
        reason=reason,
        question=request.question,
        asked=request.created_at,
        deadline=request.deadline,
    )


@cache
def dutch_holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("NL", years=year)


def next_working_day(day: date) -> date:
    """The day itself, or the first day after it that is not a Saturday, a Sunday or a Dutch
    public holiday (the `holidays` library's calendar for the Netherlands)."""
    while day.weekday() >= 5 or day in dutch_holidays(day.year):
        day += timedelta(days=1)
    return day


def report_deadline(end: date | None) -> date | None:
    """The final report is due two months after the project's end, on a working day."""
    if end is None:
        return None
    return next_working_day(end + relativedelta(months=REPORT_MONTHS_AFTER_END))


def by_post(application: Application) -> bool:
    """In an Awb round a decision goes by post too, unless the applicant agreed to receive
    decisions through the portal (art. 2:14 Awb); a private round does not ask."""
    return application.round.is_awb and application.electronic_delivery_consent is not True


def by_post_condition():
    """by_post in SQL, for a query that joins Application and Round."""
    return and_(
        Round.legal_mode == LegalMode.AWB.value,
        func.coalesce(Application.electronic_delivery_consent, False).is_(False),
    )


# Words in the round's own text that name the other mode's route (the round form refuses
# them; a round made otherwise may still carry one), and the question the letter asks itself.
OTHER_ROUTE = {LegalMode.AWB.value: "heroverweg", LegalMode.PRIVATE.value: "bezwaar"}
REMEDY_QUESTION = "niet eens met dit besluit"


def remedy_extra(round_: Round) -> str:
    """The round's own text about objection or reconsideration, printed after the letter's
    clause; left out when it names the other route or asks the clause's question again, so a
    letter names one route and asks once."""
    text = (round_.legal_remedy_text or "").strip()
    lowered = text.lower()
    if OTHER_ROUTE.get(round_.legal_mode, "\0") in lowered or REMEDY_QUESTION in lowered:
        logger.warning("Round %s: its remedy text is left out of the letters", round_.id)
        return ""
    return text


def addressee(application: Application) -> dict:
    """The organisation as it was when the application was submitted; any detail missing from
    the snapshot comes from the organisation as it is now."""
    snapshot = application.organisation_snapshot or {}
    organisation = application.organisation
    return {
        field: snapshot.get(field) or getattr(organisation, field, "") or ""
        for field in ADDRESSEE_FIELDS
    }


# The statuses of an application whose required reviews are all in: only these count for a
# rejection's place in the ranking (an application still in review may have a first review in,
# but it has not been assessed yet).
ASSESSED_STATUSES = frozenset(
    {
        Status.REVIEWED.value,
        Status.DECISION_PROPOSED.value,
        Status.APPROVED.value,
        Status.REJECTED.value,
    }
)


def sender() -> dict[str, str]:
    """The fund's postal address, e-mail, phone and contact for questions (config.py)."""
    config = current_app.config
    return {
        "postal_address": config["FUND_POSTAL_ADDRESS"],
        "email": config["FUND_EMAIL"],
        "phone": config["FUND_PHONE"],
        "contact": config["FUND_CONTACT"],
    }


# What every letter of a round shares: the round's ranking and the mean scores of its awarded
# applications. Reused by the letters of that round (a batch writes hundreds, and the ranking
# covers the whole round: about 40 ms per letter at 500 applications, growing with the round).
# An entry is used only while its fingerprint holds: any submitted review, any change of any
# application of the round (its version counter: a status change, such as the last review
# making it assessed or a confirmed decision, counts too), the number of assessed applications
# or the budget ceiling makes a new one. One dictionary per process.
@dataclass
class RankingFacts:
    fingerprint: tuple
    rows: dict  # application id -> RankedApplication
    places: dict[int, int]  # application id -> place among the assessed applications, by score
    assessed: int  # applications that were assessed (all required reviews in) and have a score
    awarded_means: dict[int, float]  # criterion id -> mean over the awarded applications


_RANKING_FACTS: dict[int, RankingFacts] = {}
_RANKING_FACTS_KEPT = 16


def round_fingerprint(round_) -> tuple:
    in_round = Application.round_id == round_.id
    reviews = (
        select(func.count(Review.id))
        .join(Application, Application.id == Review.application_id)
        .where(in_round, Review.submitted_at.is_not(None))
        .scalar_subquery()
    )
    applications = select(func.count(Application.id)).where(in_round).scalar_subquery()
    versions = (
        select(func.coalesce(func.sum(Application.version), 0)).where(in_round).scalar_subquery()
    )
    assessed = (
        select(func.count(Application.id))
        .where(in_round, Application.status.in_(ASSESSED_STATUSES))
        .scalar_subquery()
    )
    counts = tuple(db.session.execute(select(reviews, applications, versions, assessed)).one())
    return (*counts, str(round_.budget_ceiling))


def mean_scores(*conditions) -> dict[int, float]:
    """Per criterion: the mean over applications of each application's own mean score (over its
    submitted reviews), for the applications the conditions select."""
    per_application = (
        select(
            Review.application_id,
            ReviewScore.criterion_id,
            func.avg(cast(ReviewScore.score, Float)).label("mean"),
        )
        .join(Application, Application.id == Review.application_id)
        .join(ReviewScore, ReviewScore.review_id == Review.id)
        .where(Review.submitted_at.is_not(None), ReviewScore.score.is_not(None), *conditions)
        .group_by(Review.application_id, ReviewScore.criterion_id)
        .subquery("per_application")
    )
    return {
        criterion_id: float(mean)
        for criterion_id, mean in db.session.execute(
            select(per_application.c.criterion_id, func.avg(per_application.c.mean)).group_by(
                per_application.c.criterion_id
            )
        )
    }


def assessed_places(rows) -> dict[int, int]:
    """Each assessed application's place by score among the assessed ones only (equal scores
    share a place, as in the ranking): applications still in review are left out of both the
    place and the total."""
    assessed = [row for row in rows if row.status in ASSESSED_STATUSES and row.score is not None]
    scores = sorted(row.score for row in assessed)
    # The place is one more than the number of assessed applications with a higher score.
    return {
        row.application_id: 1 + len(scores) - bisect_right(scores, row.score) for row in assessed
    }


def ranking_facts(round_) -> RankingFacts:
    fingerprint = round_fingerprint(round_)
    kept = _RANKING_FACTS.get(round_.id)
    if kept is not None and kept.fingerprint == fingerprint:
        return kept
    rows = ranking(round_)
    places = assessed_places(rows)
    facts = RankingFacts(
        fingerprint=fingerprint,
        rows={row.application_id: row for row in rows},
        places=places,
        assessed=len(places),
        awarded_means=mean_scores(
            Application.round_id == round_.id, Application.status == Status.APPROVED.value
        ),
    )
    if len(_RANKING_FACTS) >= _RANKING_FACTS_KEPT:
        _RANKING_FACTS.clear()
    _RANKING_FACTS[round_.id] = facts
    return facts


def feedback_rows(application: Application, points: dict | None = None) -> list[FeedbackRow]:
    """Per rubric criterion, in rubric order: the application's mean score over its submitted
    reviews next to the mean of the round's awarded applications (each awarded application's
    own mean first, so one with more reviews does not weigh more), and the fund's point on it
    (`points`: criterion id as a string -> text)."""
    points = points or {}
    awarded = ranking_facts(application.round).awarded_means
    own = mean_scores(Application.id == application.id)
    criteria = db.session.execute(
        select(RubricCriterion.id, RubricCriterion.name_nl, RubricCriterion.weight)
        .where(RubricCriterion.round_id == application.round_id)
        .order_by(RubricCriterion.position)
    ).all()
    return [
        FeedbackRow(
            criterion=name,
            weight=weight,
            mean=own.get(criterion_id),
            awarded_mean=awarded.get(criterion_id),
            point=(points.get(str(criterion_id)) or "").strip(),
        )
        for criterion_id, name, weight in criteria
    ]


def ranking_context(application: Application) -> dict:
    """How the ranking and the budget ceiling played a role: the application's place by score
    among the round's assessed applications, how many were assessed, and the ceiling."""
    round_ = application.round
    facts = ranking_facts(round_)
    row = facts.rows.get(application.id)
    # A rejection counts nothing in the ranking's running total, so the money ran out at its
    # place when what came before plus what it asked passes the ceiling (art. 4:25 Awb).
    asked = application.amount_requested or Decimal("0")
    within = bool(
        row and row.position is not None and row.cumulative + asked <= round_.budget_ceiling
    )
    return {
        "position": facts.places.get(application.id),
        "assessed": facts.assessed,
        "score": row.score if row else None,
        "within_budget": within,
        "cumulative": row.cumulative if row else None,
        "ceiling": round_.budget_ceiling,
    }


def today_in_amsterdam() -> date:
    return datetime.now(ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])).date()


SUBJECT = "Besluit over uw aanvraag"


def subject_of(kind: str, *, partial: bool, not_admissible: NotAdmissible | None) -> str:
    """The letter's subject: the outcome in plain words (dutch-review.md §4 point 11)."""
    if kind == "award":
        outcome = "u krijgt een deel van het bedrag" if partial else "u krijgt subsidie"
    elif kind == "rejection":
        outcome = "u krijgt geen subsidie"
    elif not_admissible is not None and not_admissible.incomplete:
        outcome = "wij behandelen uw aanvraag niet"
    else:
        outcome = "uw aanvraag voldoet niet aan de regels"
    return f"{SUBJECT}: {outcome}"


def term_in_weeks(weeks: int) -> str:
    return "1 week" if weeks == 1 else f"{weeks} weken"


def letter_context(
    application: Application,
    *,
    letter_date: date | None = None,
    replaces=None,
    correction_note: str = "",
) -> dict:
    """What the letter template needs. Raises NoLetter for an application without a decided
    status, and for an approval or rejection without a confirmed decision. With `replaces` (an
    issued Letter) the letter is a correction of it and says so, with `correction_note`."""
    kind = letter_kind(application)
    if kind is None:
        raise NoLetter(f"application {application.id} has status {application.status}")
    round_ = application.round
    decision = None
    if kind in ("award", "rejection"):
        decision = confirmed_decision(application)
        expected = "approve" if kind == "award" else "reject"
        if decision is None or decision.outcome != expected:
            raise NoLetter(f"application {application.id} has no confirmed decision to {expected}")
    amount = decision.amount if decision is not None else None
    requested = application.amount_requested
    partial = kind == "award" and requested is not None and amount < requested
    not_admissible = not_admissible_facts(application) if kind == "not_admissible" else None
    subject = subject_of(kind, partial=partial, not_admissible=not_admissible)
    points = (decision.criterion_points or {}) if decision is not None else {}
    context = {
        "kind": kind,
        "template": f"letters/{kind}.html",
        "fund_name": FUND_NAME,
        "sender": sender(),
        "letter_date": letter_date or today_in_amsterdam(),
        "reference": application.reference,
        "title": f"Besluit op aanvraag {application.reference}",
        "addressee": addressee(application),
        "subject": subject,
        "partial": partial,
        "partial_reason": (decision.partial_reason or "").strip() if partial else "",
        "project_title": application.title,
        "round_name": round_.name,
        # "Wij besluiten op grond van: …." names the regulation as it is called, whatever
        # its article; its own full stop is not doubled.
        "legal_basis": round_.regulation.strip().rstrip("."),
        "received": application.submitted_at,
        "amount_requested": requested,
        "amount": amount,
        "motivation": decision.motivation if decision is not None else "",
        "not_admissible": not_admissible,
        "start_date": application.start_date,
        "end_date": application.end_date,
        "report_deadline": report_deadline(application.end_date),
        "advance_percent": ADVANCE_PERCENT,
        "advance_amount": (amount * ADVANCE_PERCENT / 100).quantize(Decimal("0.01"))
        if amount is not None
        else None,
        "awb": round_.is_awb,
        "reconsideration_term": term_in_weeks(round_.reconsideration_weeks or 6),
        "remedy_email": (round_.remedy_email or "").strip(),
        "legal_remedy_text": remedy_extra(round_),
        # The round form requires it; a round made otherwise (without one) falls back to the
        # fund's board at the address in the letterhead, so the clause is never left empty.
        "remedy_addressee": round_.remedy_addressee.strip()
        or f"Bestuur {FUND_NAME}, {current_app.config['FUND_POSTAL_ADDRESS']}",
        # An award is published only with the applicant's consent; nothing else ever is.
        "published": kind == "award" and application.publication_consent,
        "by_post": by_post(application),
        "replaces": replaces,
        "replaces_date": replaces.issued_at if replaces is not None else None,
        "correction_note": correction_note.strip(),
        "signatory_name": round_.signatory_name,
        "signatory_title": round_.signatory_title,
        "feedback": [],
        "points": [],
        "ranking": None,
    }
    if kind in ("award", "rejection"):
        rows = feedback_rows(application, points) if kind == "rejection" or points else []
        context["points"] = [row for row in rows if row.point]
        if kind == "rejection":
            context["feedback"] = rows
            context["ranking"] = ranking_context(application)
    return context
