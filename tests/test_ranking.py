"""The round's ranking page and its CSV export."""

import csv
import io
from decimal import Decimal

import pytest

from fonds.extensions import db
from fonds.organisations.models import Organisation
from fonds.roles import Role


@pytest.fixture
def round_with_reviews(make_user, make_organisation, make_round, make_application, make_review):
    member = make_user("fatima@example.nl")
    organisation = make_organisation("Stichting Samen Sterk", members=[member])
    round_ = make_round(max_grant=Decimal("10000.00"), budget_ceiling=Decimal("15000.00"))
    reviewer = make_user("r@example.nl", name="Rita", roles=[Role.REVIEWER])
    make_user("anna@example.nl", roles=[Role.ADMIN])

    def app(title, scores, amount, **overrides):
        application = make_application(
            round_,
            organisation,
            status="reviewed",
            title=title,
            amount_requested=Decimal(amount),
            **overrides,
        )
        make_review(application, reviewer, scores)
        return application

    apps = {
        "top": app("Moeders in gesprek", 5, "8000.00"),
        "second": app('=HYPERLINK("http://x")', 4, "6000.00", communities=["somali"]),
        "third": app("@SUM(A1:A2)", [4, 4, 4, 1, 4, 4, 4], "3000.00"),
    }
    return round_, apps


def test_the_ranking_page_shows_order_flags_cumulative_and_the_funding_line(
    round_with_reviews, english, log_in
):
    round_, apps = round_with_reviews
    log_in(english, "anna@example.nl")
    page = english.get(f"/ranking/rounds/{round_.id}").text
    top, second, third = (page.index(apps[k].reference) for k in ("top", "second", "third"))
    line = page.index("Funding line: the budget ceiling of €15,000.00 is reached here.")
    # 8000 + 6000 = 14000 fits; + 3000 = 17000 does not.
    assert top < second < line < third
    assert "€14,000.00" in page and "€17,000.00" in page
    assert "Knock-out: safety scored 1" in page
    assert "Calibration moves no application to another place." in page

    filtered = english.get(f"/ranking/rounds/{round_.id}?flag=knock_out").text
    assert apps["third"].reference in filtered and apps["top"].reference not in filtered
    somali = english.get(f"/ranking/rounds/{round_.id}?community=somali").text
    assert apps["second"].reference in somali and apps["third"].reference not in somali
    by_amount = english.get(f"/ranking/rounds/{round_.id}?sort=amount&order=asc").text
    assert by_amount.index(apps["third"].reference) < by_amount.index(apps["top"].reference)
    assert "Funding line" not in by_amount  # the line belongs to the score order
    # Unknown choices fall back to the defaults instead of failing.
    odd = english.get(f"/ranking/rounds/{round_.id}?sort=evil&flag=x&status=y&mode=z")
    assert odd.status_code == 200 and apps["top"].reference in odd.text


def test_the_csv_export_escapes_formulas(round_with_reviews, english, log_in):
    round_, apps = round_with_reviews
    log_in(english, "anna@example.nl")
    response = english.get(f"/ranking/rounds/{round_.id}.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.headers["Cache-Control"] == "no-store"
    text = response.data.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert rows[0][:3] == ["Place", "Reference", "Title"]
    titles = [row[2] for row in rows[1:]]
    assert titles == ["Moeders in gesprek", '\'=HYPERLINK("http://x")', "'@SUM(A1:A2)"]
    # Amounts with a decimal comma, the cumulative amount and the funding line as yes/no.
    assert [row[6] for row in rows[1:]] == ["8000,00", "6000,00", "3000,00"]
    assert [row[13] for row in rows[1:]] == ["8000,00", "14000,00", "17000,00"]
    assert [row[14] for row in rows[1:]] == ["yes", "yes", "no"]


def test_the_csv_file_name_says_the_round_and_the_scores(round_with_reviews, english, log_in):
    round_, _apps = round_with_reviews
    round_.name = "Van binnenuit 2026 (najaar) – één"
    db.session.commit()
    log_in(english, "anna@example.nl")
    raw = english.get(f"/ranking/rounds/{round_.id}.csv").headers["Content-Disposition"]
    calibrated = english.get(f"/ranking/rounds/{round_.id}.csv?mode=calibrated")
    assert raw == 'attachment; filename="rangorde-van-binnenuit-2026-najaar-een-ruwe-scores.csv"'
    assert calibrated.headers["Content-Disposition"] == (
        'attachment; filename="rangorde-van-binnenuit-2026-najaar-een-gekalibreerd.csv"'
    )


@pytest.mark.parametrize(
    ("cell", "escaped"),
    [
        ("=1+1", "'=1+1"),
        ("+31 6 12345678", "'+31 6 12345678"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("Gewoon een titel", "Gewoon een titel"),
        ("1+1=2", "1+1=2"),
        (42, "42"),
        (None, ""),
    ],
)
def test_escape_cell(cell, escaped):
    from fonds.ranking.views import escape_cell

    assert escape_cell(cell) == escaped


def test_calibration_moves_are_explained(
    make_user, make_organisation, make_round, make_application, make_review, english, log_in
):
    """A mild reviewer with five reviews is corrected; the page names the move and why."""
    member = make_user("fatima@example.nl")
    organisation = make_organisation("Stichting Samen Sterk", members=[member])
    round_ = make_round()
    strict = make_user("strict@example.nl", name="Stella Streng", roles=[Role.REVIEWER])
    mild = make_user("mild@example.nl", name="Milan Mild", roles=[Role.REVIEWER])
    make_user("anna@example.nl", roles=[Role.ADMIN])
    apps = [
        make_application(
            round_,
            organisation,
            status="reviewed",
        )
        for _ in range(6)
    ]
    # Stella gives 75, 75, 100, 100, 100 (mean 90); Milan, with one review, gives 75. Raw, her
    # two 75s tie with his at place 4; calibrated they drop to 72.2 (place 5), his stays.
    for app, score in zip(apps[:5], [4, 4, 5, 5, 5], strict=True):
        make_review(app, strict, score)
    make_review(apps[5], mild, 4)
    db.session.commit()
    log_in(english, "anna@example.nl")
    page = english.get(f"/ranking/rounds/{round_.id}?mode=calibrated").text
    corrected = page[page.index("Reviewers whose scores calibration corrects") :]
    assert "Stella Streng" in corrected and "milder" in corrected
    assert "Milan Mild" not in corrected  # one review: not corrected
    assert page.count("(place 4 raw)") == 2
    moved = f"{apps[0].reference}: place 4 raw, place 5 calibrated. Corrected: Stella Streng."
    assert moved in page
    assert "72.2" in page


def test_the_ranking_page_needs_the_same_number_of_queries_for_more_applications(
    app, make_user, make_organisation, make_round, make_application, make_review, english, log_in
):
    """No query per row: also not for the calibration's moves, whose reviewers an
    administrator with a conflict may not see (asked for all rows at once)."""
    from sqlalchemy import event

    round_ = make_round()
    strict = make_user("strict@example.nl", name="Stella Streng", roles=[Role.REVIEWER])
    mild = make_user("mild@example.nl", name="Milan Mild", roles=[Role.REVIEWER])
    make_user("anna@example.nl", roles=[Role.ADMIN])
    log_in(english, "anna@example.nl")

    def group() -> None:
        """Six applications, each of its own organisation, two of which calibration moves."""
        apps = []
        for _ in range(6):
            number = db.session.scalar(db.select(db.func.count()).select_from(Organisation)) + 1
            member = make_user(f"lid{number}@example.nl")
            organisation = make_organisation(f"Stichting {number}", members=[member])
            apps.append(make_application(round_, organisation, status="reviewed"))
        for application, score in zip(apps[:5], [4, 4, 5, 5, 5], strict=True):
            make_review(application, strict, score)
        make_review(apps[5], mild, 4)

    with app.app_context():  # the app that serves the requests has its own engine
        engine = db.engine

    def page_and_queries() -> tuple[str, list[str]]:
        seen = []

        def count(_conn, _cursor, statement, *_args):
            seen.append(statement)

        event.listen(engine, "before_cursor_execute", count)
        try:
            response = english.get(f"/ranking/rounds/{round_.id}?mode=calibrated")
        finally:
            event.remove(engine, "before_cursor_execute", count)
        assert response.status_code == 200
        return response.text, seen

    group()
    page, few = page_and_queries()
    assert page.count("Corrected: Stella Streng.") == 2
    group()
    group()
    page, many = page_and_queries()
    assert page.count("Corrected: Stella Streng.") == 6
    assert len(many) == len(few), [s for s in many if many.count(s) > 1][:3]
