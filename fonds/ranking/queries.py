"""Scores, flags and the calibrated score of PRODUCT.md, computed in SQL for a whole round.

- A review's total is the weighted mean of its criterion scores mapped to 0–100:
  sum(weight × (score − 1)) × 25 / sum(weight), so a 1 everywhere is 0 and a 5 everywhere 100.
- An application's score is the mean of its submitted reviews' totals.
- Disagreement: review totals more than 20 points apart, or any criterion 2+ points apart.
- Knock-out: any reviewer scored the safety criterion 1, or the mean on the "from within" or the
  "preventive" criterion is below 2.5 (criteria are found by `RubricCriterion.kind`).
- Calibration: a reviewer's totals are normalised (z-score among that reviewer's submitted
  reviews in the round) when they submitted at least five there and their totals vary, and
  mapped back to the round's scale (round mean + z × round standard deviation, both over every
  submitted review total in the round, clamped to 0–100); other reviews keep their raw total.
  The calibrated score is the mean of the calibrated totals. Standard deviations are population
  ones (the reviews are all there is, not a sample).

Every function runs a fixed number of queries, whatever the number of applications."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import Float, String, and_, case, cast, func, or_, select, true

from fonds.applications.models import Application, Status
from fonds.decisions.models import Decision, DecisionState
from fonds.extensions import db
from fonds.organisations.models import Organisation
from fonds.reviews.models import Review, ReviewScore
from fonds.rounds.models import Round, RubricCriterion

MIN_REVIEWS_FOR_CALIBRATION = 5
DISAGREEMENT_TOTAL_POINTS = 20
DISAGREEMENT_CRITERION_POINTS = 2
KNOCK_OUT_MEAN = 2.5

# The statuses a ranking shows: everything that was found eligible and not withdrawn.
RANKED_STATUSES = [
    Status.IN_REVIEW,
    Status.REVIEWED,
    Status.DECISION_PROPOSED,
    Status.APPROVED,
    Status.REJECTED,
]


def review_totals(round_id: int):
    """One row per submitted review of the round: review_id, application_id, reviewer_id, total."""
    weighted = cast(func.sum(RubricCriterion.weight * (ReviewScore.score - 1)), Float)
    return (
        select(
            Review.id.label("review_id"),
            Review.application_id,
            Review.reviewer_id,
            (weighted * 25.0 / func.sum(RubricCriterion.weight)).label("total"),
        )
        .join(Application, Application.id == Review.application_id)
        .join(ReviewScore, ReviewScore.review_id == Review.id)
        .join(RubricCriterion, RubricCriterion.id == ReviewScore.criterion_id)
        .where(Application.round_id == round_id, Review.submitted_at.is_not(None))
        .group_by(Review.id, Review.application_id, Review.reviewer_id)
        .cte("review_totals")
    )


def _spread(values_mean, squares_mean):
    """Population standard deviation from mean(x) and mean(x²), never the root of a tiny
    negative number left by rounding."""
    variance = squares_mean - values_mean * values_mean
    return case((variance > 0, func.sqrt(variance)), else_=0.0)


def calibrated_totals(round_id: int):
    """Each submitted review of the round with its raw and calibrated total, and the figures
    behind the calibration (the reviewer's mean, spread and number of reviews; the round's)."""
    totals = review_totals(round_id)
    reviewer = (
        select(
            totals.c.reviewer_id,
            func.count().label("n"),
            func.avg(totals.c.total).label("mean"),
            func.avg(totals.c.total * totals.c.total).label("squares"),
        )
        .group_by(totals.c.reviewer_id)
        .cte("reviewer_stats")
    )
    whole = select(
        func.avg(totals.c.total).label("mean"),
        func.avg(totals.c.total * totals.c.total).label("squares"),
    ).cte("round_stats")
    reviewer_sd = _spread(reviewer.c.mean, reviewer.c.squares)
    round_sd = _spread(whole.c.mean, whole.c.squares)
    normalised = and_(reviewer.c.n >= MIN_REVIEWS_FOR_CALIBRATION, reviewer_sd > 1e-9)
    mapped = (
        whole.c.mean
        + (totals.c.total - reviewer.c.mean)
        / case((reviewer_sd > 1e-9, reviewer_sd), else_=1.0)
        * round_sd
    )
    clamped = case((mapped < 0, 0.0), (mapped > 100, 100.0), else_=mapped)
    return (
        select(
            totals.c.review_id,
            totals.c.application_id,
            totals.c.reviewer_id,
            totals.c.total,
            case((normalised, clamped), else_=totals.c.total).label("calibrated"),
            case((normalised, 1), else_=0).label("normalised"),
            reviewer.c.n.label("reviewer_reviews"),
            reviewer.c.mean.label("reviewer_mean"),
            whole.c.mean.label("round_mean"),
        )
        .join(reviewer, reviewer.c.reviewer_id == totals.c.reviewer_id)
        .join(whole, true())
        .cte("calibrated_totals")
    )


def application_scores(round_id: int):
    """Per application with a submitted review: reviews, score, calibrated score, flags."""
    calibrated = calibrated_totals(round_id)
    per_criterion = (
        select(
            Review.application_id,
            RubricCriterion.kind,
            (func.max(ReviewScore.score) - func.min(ReviewScore.score)).label("spread"),
            func.avg(cast(ReviewScore.score, Float)).label("mean"),
            func.min(ReviewScore.score).label("lowest"),
        )
        .join(Application, Application.id == Review.application_id)
        .join(ReviewScore, ReviewScore.review_id == Review.id)
        .join(RubricCriterion, RubricCriterion.id == ReviewScore.criterion_id)
        .where(Application.round_id == round_id, Review.submitted_at.is_not(None))
        .group_by(Review.application_id, RubricCriterion.id, RubricCriterion.kind)
        .cte("criterion_stats")
    )
    criterion_flags = (
        select(
            per_criterion.c.application_id,
            func.max(
                case((per_criterion.c.spread >= DISAGREEMENT_CRITERION_POINTS, 1), else_=0)
            ).label("criterion_disagreement"),
            func.max(
                case(
                    (and_(per_criterion.c.kind == "safety", per_criterion.c.lowest == 1), 1),
                    else_=0,
                )
            ).label("safety_one"),
            func.max(
                case(
                    (
                        and_(
                            per_criterion.c.kind.in_(["from_within", "preventive"]),
                            per_criterion.c.mean < KNOCK_OUT_MEAN,
                        ),
                        1,
                    ),
                    else_=0,
                )
            ).label("weak_core"),
        )
        .group_by(per_criterion.c.application_id)
        .cte("criterion_flags")
    )
    per_application = (
        select(
            calibrated.c.application_id,
            func.count().label("reviews"),
            func.avg(calibrated.c.total).label("score"),
            func.avg(calibrated.c.calibrated).label("calibrated"),
            (func.max(calibrated.c.total) - func.min(calibrated.c.total)).label("total_spread"),
            func.sum(calibrated.c.normalised).label("normalised_reviews"),
        )
        .group_by(calibrated.c.application_id)
        .cte("application_totals")
    )
    disagreement = or_(
        per_application.c.total_spread > DISAGREEMENT_TOTAL_POINTS,
        criterion_flags.c.criterion_disagreement == 1,
    )
    knock_out = or_(criterion_flags.c.safety_one == 1, criterion_flags.c.weak_core == 1)
    return (
        select(
            per_application.c.application_id,
            per_application.c.reviews,
            per_application.c.score,
            per_application.c.calibrated,
            per_application.c.total_spread,
            per_application.c.normalised_reviews,
            case((disagreement, 1), else_=0).label("disagreement"),
            case((knock_out, 1), else_=0).label("knock_out"),
            criterion_flags.c.safety_one,
            criterion_flags.c.weak_core,
        )
        .join(
            criterion_flags,
            criterion_flags.c.application_id == per_application.c.application_id,
        )
        .cte("application_scores")
    )


@dataclass(frozen=True)
class RankedApplication:
    application_id: int
    reference: str
    title: str
    organisation: str
    status: Status
    communities: list
    amount_requested: Decimal | None
    amount_awarded: Decimal | None
    reviews: int
    score: float | None
    calibrated: float | None
    disagreement: bool
    knock_out: bool
    safety_one: bool
    weak_core: bool
    normalised_reviews: int
    position: int | None  # in the chosen order (raw or calibrated); None without a score
    other_position: int | None  # in the other order
    cumulative: Decimal  # amount counted up to and including this one, in ranking order
    within_budget: bool

    @property
    def moved(self) -> bool:
        return self.position is not None and self.position != self.other_position


SORTS = ("score", "amount", "reference")
FLAGS = ("disagreement", "knock_out", "none")


def awarded_amounts():
    """The awarded amount of each confirmed approval."""
    return (
        select(Decision.application_id, Decision.amount)
        .where(Decision.state == DecisionState.CONFIRMED.value, Decision.outcome == "approve")
        .subquery("awarded")
    )


def ranked_rows(round_: Round, *, calibrated: bool):
    """The base query: every ranked application of the round with its scores and flags, its
    positions and the cumulative amount, for the whole round in score order (raw or calibrated).
    The amount counted is the awarded amount of a confirmed approval, nothing for a rejection,
    otherwise the requested amount."""
    scores = application_scores(round_.id)
    awarded = awarded_amounts()
    chosen, other = (
        (scores.c.calibrated, scores.c.score)
        if calibrated
        else (scores.c.score, scores.c.calibrated)
    )
    counted = case(
        (Application.status == Status.REJECTED.value, 0),
        (awarded.c.amount.is_not(None), awarded.c.amount),
        else_=func.coalesce(Application.amount_requested, 0),
    )
    order = (chosen.desc().nulls_last(), Application.reference)
    has_score = chosen.is_not(None)
    return (
        select(
            Application.id.label("application_id"),
            Application.reference,
            Application.title,
            Organisation.name.label("organisation"),
            Application.status,
            Application.communities,
            Application.amount_requested,
            awarded.c.amount.label("amount_awarded"),
            func.coalesce(scores.c.reviews, 0).label("reviews"),
            scores.c.score,
            scores.c.calibrated,
            func.coalesce(scores.c.disagreement, 0).label("disagreement"),
            func.coalesce(scores.c.knock_out, 0).label("knock_out"),
            func.coalesce(scores.c.safety_one, 0).label("safety_one"),
            func.coalesce(scores.c.weak_core, 0).label("weak_core"),
            func.coalesce(scores.c.normalised_reviews, 0).label("normalised_reviews"),
            case((has_score, func.rank().over(order_by=chosen.desc().nulls_last()))).label(
                "position"
            ),
            case((other.is_not(None), func.rank().over(order_by=other.desc().nulls_last()))).label(
                "other_position"
            ),
            func.sum(counted).over(order_by=order, rows=(None, 0)).label("cumulative"),
        )
        .join(Organisation, Organisation.id == Application.organisation_id)
        .outerjoin(scores, scores.c.application_id == Application.id)
        .outerjoin(awarded, awarded.c.application_id == Application.id)
        .where(
            Application.round_id == round_.id,
            Application.status.in_([s.value for s in RANKED_STATUSES]),
        )
        .subquery("ranked")
    )


def filtered(
    query,
    ranked,
    *,
    application_id: int | None = None,
    status: str | None = None,
    community: str | None = None,
    flag: str | None = None,
):
    """Only the rows asked for; the positions and amounts stay those of the whole round."""
    if application_id is not None:
        query = query.where(ranked.c.application_id == application_id)
    if status:
        query = query.where(ranked.c.status == status)
    if community:
        # Communities are a JSON list of keys; its text holds each key in double quotes.
        query = query.where(cast(ranked.c.communities, String).like(f'%"{community}"%'))
    if flag == "disagreement":
        query = query.where(ranked.c.disagreement == 1)
    elif flag == "knock_out":
        query = query.where(ranked.c.knock_out == 1)
    elif flag == "none":
        query = query.where(ranked.c.disagreement == 0, ranked.c.knock_out == 0)
    return query


def ordered(query, ranked, *, calibrated: bool, sort: str, descending: bool):
    """In the order asked for (score, amount or reference); the reference breaks ties."""
    score_column = ranked.c.calibrated if calibrated else ranked.c.score
    key = {
        "score": score_column,
        "amount": ranked.c.amount_requested,
        "reference": ranked.c.reference,
    }.get(sort, score_column)
    direction = key.desc() if descending else key.asc()
    return query.order_by(direction.nulls_last(), ranked.c.reference)


def ranked_application(row, ceiling: Decimal) -> RankedApplication:
    return RankedApplication(
        application_id=row.application_id,
        reference=row.reference,
        title=row.title,
        organisation=row.organisation,
        status=Status(row.status),
        communities=row.communities or [],
        amount_requested=row.amount_requested,
        amount_awarded=row.amount_awarded,
        reviews=row.reviews,
        score=row.score,
        calibrated=row.calibrated,
        disagreement=bool(row.disagreement),
        knock_out=bool(row.knock_out),
        safety_one=bool(row.safety_one),
        weak_core=bool(row.weak_core),
        normalised_reviews=row.normalised_reviews,
        position=row.position,
        other_position=row.other_position,
        cumulative=Decimal(row.cumulative).quantize(Decimal("0.01")),
        within_budget=row.position is not None and Decimal(row.cumulative) <= ceiling,
    )


def ranking(
    round_: Round,
    *,
    calibrated: bool = False,
    status: str | None = None,
    community: str | None = None,
    flag: str | None = None,
    sort: str = "score",
    descending: bool = True,
    application_id: int | None = None,
) -> list[RankedApplication]:
    """The round's ranking in one query. Positions, the cumulative amount and the funding line
    belong to the whole round in score order (raw or calibrated); filters and another sort only
    change which rows show and in what order."""
    ranked = ranked_rows(round_, calibrated=calibrated)
    query = filtered(
        select(ranked),
        ranked,
        application_id=application_id,
        status=status,
        community=community,
        flag=flag,
    )
    query = ordered(query, ranked, calibrated=calibrated, sort=sort, descending=descending)
    rows = db.session.execute(query).all()
    return [ranked_application(row, round_.budget_ceiling) for row in rows]


def calibration_details(round_id: int, application_ids: list[int]) -> dict[int, list]:
    """For the applications named: each submitted review with its raw and calibrated total and
    the reviewer's tendency, to say why calibration moved the application. One query."""
    if not application_ids:
        return {}
    calibrated = calibrated_totals(round_id)
    from fonds.auth.models import User

    rows = db.session.execute(
        select(calibrated, User.name.label("reviewer_name"))
        .join(User, User.id == calibrated.c.reviewer_id)
        .where(calibrated.c.application_id.in_(application_ids))
        .order_by(calibrated.c.application_id, calibrated.c.review_id)
    ).all()
    details: dict[int, list] = {}
    for row in rows:
        details.setdefault(row.application_id, []).append(row)
    return details


def corrected_reviewers(round_id: int) -> list:
    """The reviewers whose totals calibration corrects in this round, with their number of
    reviews and mean against the round's mean. One query."""
    from fonds.auth.models import User

    calibrated = calibrated_totals(round_id)
    return db.session.execute(
        select(
            User.name,
            calibrated.c.reviewer_reviews,
            calibrated.c.reviewer_mean,
            calibrated.c.round_mean,
        )
        .join(User, User.id == calibrated.c.reviewer_id)
        .where(calibrated.c.normalised == 1)
        .distinct()
        .order_by(calibrated.c.reviewer_mean, User.name)
    ).all()


def scores_of(application: Application) -> RankedApplication | None:
    """The score and flags of one application (its row of the round's ranking)."""
    rows = ranking(application.round, application_id=application.id)
    return rows[0] if rows else None


def flag_labels() -> dict[str, str]:
    """The texts of the flags, translated once for a page of thousands of rows."""
    return {
        "disagreement": _("Reviewers disagree"),
        "knock_out": _("Knock-out"),
        "safety_one": _("safety scored 1"),
        "weak_core": _("from within or preventive below 2.5"),
        "none": _("No flags"),
    }
