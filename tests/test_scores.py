"""Review totals, application scores, flags, calibration and the ranking, against examples
computed by hand (PRODUCT.md: weights 20, 20, 15, 15, 10, 10, 10; safety is criterion 4)."""

import statistics
from decimal import Decimal

import pytest
from sqlalchemy import select

from fonds.demo.builders import make_decision
from fonds.extensions import db
from fonds.ranking.queries import calibration_details, ranking, review_totals
from fonds.reviews.queries import review_total
from fonds.roles import Role


@pytest.fixture
def setting(make_user, make_organisation, make_round):
    member = make_user("fatima@example.nl")
    organisation = make_organisation("Stichting Samen Sterk", members=[member])
    reviewers = [
        make_user(f"reviewer{i}@example.nl", name=f"Reviewer {i}", roles=[Role.REVIEWER])
        for i in range(3)
    ]
    admins = [make_user(f"admin{i}@example.nl", roles=[Role.ADMIN]) for i in range(2)]
    return organisation, make_round(), reviewers, admins


@pytest.fixture
def reviewed(setting, make_application):
    organisation, round_, _reviewers, _admins = setting

    def make(status="reviewed", round_=round_, **overrides):
        return make_application(
            round_,
            organisation,
            status=status,
            **overrides,
        )

    return make


def row_of(rows, application):
    return next(row for row in rows if row.application_id == application.id)


def test_review_totals_and_application_score(setting, reviewed, make_review):
    _org, round_, (a, b, _c), _admins = setting
    mixed = reviewed()
    # 20×4 + 20×2 + 15×3 + 15×1 + 10×2 + 10×0 + 10×4 = 240 points of 400 → 60.
    make_review(mixed, a, [5, 3, 4, 2, 3, 1, 5])
    # All 3 → 50. Mean of 60 and 50 → 55.
    make_review(mixed, b, 3)
    extremes = reviewed()
    make_review(extremes, a, 1)  # 0
    make_review(extremes, b, 5)  # 100
    only_draft = reviewed(status="in_review")
    make_review(only_draft, a, 5, submitted=False)

    rows = ranking(round_)
    assert row_of(rows, mixed).score == pytest.approx(55.0)
    assert row_of(rows, mixed).reviews == 2
    assert row_of(rows, extremes).score == pytest.approx(50.0)
    # A draft counts for nothing: no score yet, listed last.
    assert row_of(rows, only_draft).score is None
    assert rows[-1].application_id == only_draft.id


def test_review_total_in_python_agrees_with_the_sql_total(setting, reviewed, make_review):
    """The scoring page shows the total while the reviewer scores (and fonds.js computes it
    live); it must be the number the ranking later computes in SQL."""
    _org, round_, (a, _b, _c), _admins = setting
    weights = [criterion.weight for criterion in round_.criteria]
    score_sets = [
        [5, 3, 4, 2, 3, 1, 5],  # 60
        [1] * 7,  # 0
        [5] * 7,  # 100
        [4, 4, 3, 4, 4, 4, 4],  # 71.25, halfway between two tenths
        [2, 5, 1, 3, 4, 2, 5],
        [3, 3, 3, 3, 3, 3, 5],
        [1, 2, 3, 4, 5, 4, 3],
    ]
    applications = []
    for scores in score_sets:
        application = reviewed()
        make_review(application, a, scores)
        applications.append(application)
    totals = review_totals(round_.id)
    in_sql = dict(db.session.execute(select(totals.c.application_id, totals.c.total)).all())
    for application, scores in zip(applications, score_sets, strict=True):
        total = review_total(zip(weights, scores, strict=True))
        assert total == pytest.approx(in_sql[application.id], abs=1e-9), scores
    assert review_total(zip(weights, score_sets[0], strict=True)) == pytest.approx(60.0)
    assert review_total(zip(weights, score_sets[3], strict=True)) == 71.25


def test_review_total_of_a_partly_scored_review_counts_what_is_scored():
    # Criteria 1 and 3 only: (20 × 4 + 15 × 1) × 25 / 35.
    assert review_total([(20, 5), (20, None), (15, 2), (15, None)]) == pytest.approx(
        (20 * 4 + 15 * 1) * 25 / 35
    )
    assert review_total([(20, 3)]) == 50.0
    assert review_total([(20, None), (15, None)]) is None
    assert review_total([]) is None


def test_flags(setting, reviewed, make_review):
    _org, round_, (a, b, _c), _admins = setting
    calm = reviewed()
    make_review(calm, a, 4)  # 75
    make_review(calm, b, [3, 4, 4, 4, 4, 4, 4])  # 70: 5 apart, each criterion at most 1 apart
    apart = reviewed()
    make_review(apart, a, 5)  # 100
    make_review(apart, b, 4)  # 75: 25 apart, more than 20
    just_apart = reviewed()
    make_review(just_apart, a, [5, 5, 5, 5, 5, 4, 4])  # 95
    make_review(just_apart, b, [4, 4, 4, 4, 4, 4, 4])  # 75: exactly 20 apart is no flag
    one_criterion = reviewed()
    make_review(one_criterion, a, 3)  # 50
    make_review(one_criterion, b, [3, 3, 3, 3, 3, 3, 5])  # 55, but criterion 7 is 2 apart
    unsafe = reviewed()
    make_review(unsafe, a, [4, 4, 4, 1, 4, 4, 4])  # safety 1
    make_review(unsafe, b, [4, 4, 4, 2, 4, 4, 4])
    boundary = reviewed()
    make_review(boundary, a, [2, 4, 4, 4, 4, 4, 4])  # criterion 1 mean 2.5: not below
    make_review(boundary, b, [3, 4, 4, 4, 4, 4, 4])
    weak = reviewed()
    make_review(weak, a, [4, 2, 4, 4, 4, 4, 4])  # criterion 2 mean 2.0: below 2.5
    make_review(weak, b, [4, 2, 4, 4, 4, 4, 4])

    rows = ranking(round_)
    flags = {
        name: (row_of(rows, app).disagreement, row_of(rows, app).knock_out)
        for name, app in [
            ("calm", calm),
            ("apart", apart),
            ("just_apart", just_apart),
            ("one_criterion", one_criterion),
            ("unsafe", unsafe),
            ("boundary", boundary),
            ("weak", weak),
        ]
    }
    assert flags == {
        "calm": (False, False),
        "apart": (True, False),
        "just_apart": (False, False),
        "one_criterion": (True, False),
        "unsafe": (False, True),
        "boundary": (False, False),
        "weak": (False, True),
    }
    assert row_of(rows, unsafe).safety_one and not row_of(rows, unsafe).weak_core
    assert row_of(rows, weak).weak_core and not row_of(rows, weak).safety_one
    assert row_of(rows, just_apart).score == pytest.approx(85.0)

    assert {r.application_id for r in ranking(round_, flag="knock_out")} == {unsafe.id, weak.id}
    assert {r.application_id for r in ranking(round_, flag="disagreement")} == {
        apart.id,
        one_criterion.id,
    }
    assert {r.application_id for r in ranking(round_, flag="none")} == {
        calm.id,
        just_apart.id,
        boundary.id,
    }


def test_knock_out_follows_the_kind_not_the_position(setting, reviewed, make_review):
    """After an administrator reorders the rubric, safety is still found by its kind."""
    _org, round_, (a, _b, _c), _admins = setting
    safety = next(c for c in round_.criteria if c.kind == "safety")
    sustainability = round_.criteria[6]
    safety.position, sustainability.position = 99, 4
    db.session.flush()
    safety.position = 7
    db.session.commit()
    db.session.refresh(round_)
    application = reviewed()
    scores = [4] * 7
    scores[[c.id for c in round_.criteria].index(safety.id)] = 1
    make_review(application, a, scores)
    assert ranking(round_)[0].knock_out


def test_calibration_normalises_reviewers_with_five_reviews(setting, reviewed, make_review):
    _org, round_, (harsh, mild, once), _admins = setting
    apps = [reviewed() for _ in range(5)]
    harsh_scores = [1, 2, 3, 4, 5]  # totals 0, 25, 50, 75, 100
    mild_scores = [3, 3, 4, 4, 5]  # totals 50, 50, 75, 75, 100
    for app, h, m in zip(apps, harsh_scores, mild_scores, strict=True):
        make_review(app, harsh, h)
        make_review(app, mild, m)
    make_review(apps[0], once, 5)  # one review only: stays raw

    # By hand: the round's totals, and each reviewer's mean and (population) spread.
    harsh_totals = [0, 25, 50, 75, 100]
    mild_totals = [50, 50, 75, 75, 100]
    everything = harsh_totals + mild_totals + [100]
    round_mean, round_sd = statistics.fmean(everything), statistics.pstdev(everything)
    assert round_mean == pytest.approx(63.636, abs=1e-3)
    assert round_sd == pytest.approx(30.829, abs=1e-3)

    def mapped(total, totals):
        z = (total - statistics.fmean(totals)) / statistics.pstdev(totals)
        return min(100.0, max(0.0, round_mean + z * round_sd))

    # harsh 0 → 20.04; mild 50 → 30.68; once stays 100.
    assert mapped(0, harsh_totals) == pytest.approx(20.037, abs=1e-3)
    assert mapped(50, mild_totals) == pytest.approx(30.679, abs=1e-3)
    rows = ranking(round_, calibrated=True)
    first = row_of(rows, apps[0])
    assert first.score == pytest.approx(50.0)
    assert first.calibrated == pytest.approx((20.037 + 30.679 + 100) / 3, abs=1e-3)
    assert first.normalised_reviews == 2
    # harsh's 100 maps above the scale and is clamped to 100.
    last = row_of(rows, apps[4])
    assert mapped(100, harsh_totals) == 100.0
    assert last.calibrated == pytest.approx((100 + mapped(100, mild_totals)) / 2)
    for app, h, m in zip(apps, harsh_totals, mild_totals, strict=True):
        expected = [mapped(h, harsh_totals), mapped(m, mild_totals)]
        if app is apps[0]:
            expected.append(100.0)
        assert row_of(rows, app).calibrated == pytest.approx(statistics.fmean(expected))

    details = calibration_details(round_.id, [apps[0].id])[apps[0].id]
    by_name = {d.reviewer_name: d for d in details}
    assert by_name["Reviewer 0"].normalised == 1
    assert by_name["Reviewer 0"].reviewer_mean == pytest.approx(50.0)
    assert by_name["Reviewer 2"].normalised == 0 and by_name["Reviewer 2"].calibrated == 100.0


def test_calibration_needs_five_reviews_in_the_round_and_some_spread(
    setting, reviewed, make_review, make_round
):
    org, round_, (four, same, _c), _admins = setting
    other_round = make_round(name="Andere ronde")
    apps = [reviewed() for _ in range(5)]
    for app, score in zip(apps[:4], [1, 2, 4, 5], strict=True):
        make_review(app, four, score)
    # A fifth review in another round does not count for this round.
    make_review(reviewed(round_=other_round), four, 3)
    for app in apps:
        make_review(app, same, 4)  # five reviews, all 75: no spread to normalise by
    rows = ranking(round_, calibrated=True)
    for row in rows:
        assert row.calibrated == pytest.approx(row.score)
        assert row.normalised_reviews == 0


def test_ranking_cumulative_amount_and_funding_line(setting, reviewed, make_review):
    _org, round_, (a, _b, _c), (first_admin, second_admin) = setting
    round_.max_grant = Decimal("10000.00")
    round_.budget_ceiling = Decimal("20000.00")
    db.session.commit()
    best = reviewed(amount_requested=Decimal("9000.00"))
    make_review(best, a, 5)
    rejected = reviewed(status="rejected", amount_requested=Decimal("9000.00"))
    make_review(rejected, a, [5, 5, 5, 5, 5, 5, 4])
    awarded = reviewed(status="approved", amount_requested=Decimal("9000.00"))
    make_review(awarded, a, 4)
    make_decision(
        awarded,
        proposer=first_admin,
        decider=second_admin,
        amount=Decimal("6000.00"),
        motivation="Goed plan.",
    )
    db.session.commit()
    fits = reviewed(amount_requested=Decimal("5000.00"))
    make_review(fits, a, 3)
    over = reviewed(amount_requested=Decimal("2000.00"), communities=["somali"])
    make_review(over, a, 2)
    waiting = reviewed(status="in_review", amount_requested=Decimal("1000.00"))
    withdrawn = reviewed(status="withdrawn")

    rows = ranking(round_)
    assert [r.application_id for r in rows] == [
        best.id,
        rejected.id,
        awarded.id,
        fits.id,
        over.id,
        waiting.id,
    ]
    assert withdrawn.id not in {r.application_id for r in rows}
    # 9000, a rejection counts nothing, the award counts 6000 (not 9000), then 5000 → 20000,
    # exactly the ceiling; 2000 more is over the line.
    assert [r.cumulative for r in rows[:5]] == [
        Decimal("9000.00"),
        Decimal("9000.00"),
        Decimal("15000.00"),
        Decimal("20000.00"),
        Decimal("22000.00"),
    ]
    assert [r.within_budget for r in rows] == [True, True, True, True, False, False]
    assert [r.position for r in rows] == [1, 2, 3, 4, 5, None]

    # Filters keep the round's positions and cumulative amounts.
    somali = ranking(round_, community="somali")
    assert [(r.application_id, r.position, r.cumulative) for r in somali] == [
        (over.id, 5, Decimal("22000.00"))
    ]
    assert [r.application_id for r in ranking(round_, status="in_review")] == [waiting.id]
    by_amount = ranking(round_, sort="amount", descending=False)
    assert by_amount[0].application_id == waiting.id
