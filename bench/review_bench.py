"""Benchmark of the review pages on PostgreSQL (issue 4).

Fills the database named by BENCH_DATABASE_URL (or TEST_DATABASE_URL, as set by
tests/with_postgres.sh) with a small round (500 applications, 1,500 reviews) and then one round
of 5,000 applications, 60 reviewers and 15,000 submitted reviews, and times in-process (Flask's
test client, no network) the ranking page (raw and calibrated), its CSV export, the screening list
and a reviewer's dashboard: the median of repeated requests and the number of SQL queries per
request, for both sizes, so one sees that the query count does not grow with the applications.

Run it with `make bench` (a throwaway PostgreSQL server, like the tests)."""

from __future__ import annotations

import os
import random
import resource
import statistics
import sys
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import event, insert, select, text  # noqa: E402

from fonds import create_app  # noqa: E402
from fonds.applications.models import Application, ApplicationEvent, Status  # noqa: E402
from fonds.assignments.models import ReviewerPoolMember  # noqa: E402
from fonds.auth.models import User, UserRole  # noqa: E402
from fonds.auth.passwords import hash_password  # noqa: E402
from fonds.columns import utcnow  # noqa: E402
from fonds.demo import builders  # noqa: E402
from fonds.extensions import db  # noqa: E402
from fonds.organisations.models import Membership, Organisation  # noqa: E402
from fonds.reviews.models import Review, ReviewScore  # noqa: E402
from fonds.roles import Role  # noqa: E402
from fonds.rounds.models import Round  # noqa: E402
from fonds.rounds.rubric import add_default_rubric  # noqa: E402

PASSWORD = "bench-wachtwoord-2026"  # noqa: S105 - a throwaway database
REPEATS = int(os.environ.get("BENCH_REPEATS", "7"))
REVIEWERS = 60
REVIEWS_PER_APPLICATION = 3
COMMUNITIES = ["turkish", "moroccan", "somali", "eritrean", "syrian", "afghan", "hindustani"]


def database_url() -> str:
    url = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("TEST_DATABASE_URL")
    if not url or not url.startswith("postgresql"):
        sys.exit("Set BENCH_DATABASE_URL to a PostgreSQL database (or run `make bench`).")
    return url


def upgrade(app) -> None:
    from flask_migrate import upgrade as alembic_upgrade

    with app.app_context():
        alembic_upgrade(directory=str(Path(__file__).resolve().parent.parent / "migrations"))


def make_people(rng: random.Random):
    """An administrator, 60 reviewers with their own strictness, and one applicant."""
    hashed = hash_password(PASSWORD)
    admin = User(email="beheer@bench.example", name="Beheer", password_hash=hashed)
    admin.email_verified_at = utcnow()
    admin.add_role(Role.ADMIN)
    reviewers = []
    for number in range(REVIEWERS):
        user = User(
            email=f"reviewer{number}@bench.example",
            name=f"Reviewer {number}",
            password_hash=hashed,
            email_verified_at=utcnow(),
        )
        reviewers.append(user)
    applicant = User(
        email="aanvrager@bench.example",
        name="Aanvrager",
        password_hash=hashed,
        email_verified_at=utcnow(),
    )
    db.session.add_all([admin, applicant, *reviewers])
    db.session.flush()
    db.session.execute(
        insert(UserRole), [{"user_id": r.id, "role": Role.REVIEWER} for r in reviewers]
    )
    db.session.commit()
    strictness = {r.id: rng.uniform(-0.8, 0.8) for r in reviewers}
    # Plain ids and e-mail addresses: they outlive this application context.
    return admin.id, applicant.id, [(r.id, r.email) for r in reviewers], strictness


def fill_round(name, applications, people, rng, first_id) -> Round:
    """One round of `applications` applications, each with three submitted reviews."""
    admin_id, applicant_id, reviewers, strictness = people
    reviewer_ids = [reviewer_id for reviewer_id, _email in reviewers]
    now = utcnow()
    round_ = Round(
        name=name,
        opens_at=now - timedelta(days=90),
        closes_at=now - timedelta(days=30),
        budget_ceiling=Decimal("1000000.00"),
        min_grant=Decimal("2500.00"),
        max_grant=Decimal("25000.00"),
        max_duration_months=18,
        reviewers_per_application=REVIEWS_PER_APPLICATION,
    )
    add_default_rubric(round_)
    db.session.add(round_)
    db.session.flush()
    criteria = [(c.id, c.weight) for c in round_.criteria]
    db.session.execute(
        insert(ReviewerPoolMember),
        [{"round_id": round_.id, "user_id": reviewer_id} for reviewer_id in reviewer_ids],
    )
    organisations = max(1, applications // 5)
    org_rows = [
        {
            "id": first_id + i,
            "name": f"Stichting Bench {first_id + i}",
            "iban": "NL91ABNA0417164300",
            "created_at": now,
            "updated_at": now,
        }
        for i in range(organisations)
    ]
    db.session.execute(insert(Organisation), org_rows)
    db.session.execute(
        insert(Membership),
        [{"user_id": applicant_id, "organisation_id": row["id"]} for row in org_rows],
    )
    # Rows in bulk, with what the builders give one application: the counter's references,
    # what sending writes, and the history along the workflow's path.
    references = builders.reserve_references(applications, now)
    snapshots = {
        row["id"]: Organisation(**{k: v for k, v in row.items() if k != "id"}) for row in org_rows
    }
    app_rows, event_rows = [], []
    for i in range(applications):
        app_id = first_id + i
        status = Status.IN_REVIEW if i % 5 == 0 else Status.REVIEWED
        sent_at = now - timedelta(days=40, minutes=i)
        organisation_id = first_id + (i % organisations)
        app_rows.append(
            {
                "id": app_id,
                "round_id": round_.id,
                "organisation_id": organisation_id,
                "status": status.value,
                "version": 1,
                "created_by_id": applicant_id,
                "created_at": now,
                "updated_at": now,
                "title": f"Project {app_id}",
                "summary": "Dialoogavonden",
                "communities": rng.sample(COMMUNITIES, 2),
                "amount_requested": Decimal(rng.randrange(2500, 25000)),
                "pending_input": {},
                **builders.sent_values(
                    snapshots[organisation_id], at=sent_at, reference=references[i]
                ),
            }
        )
        event_rows += [
            {"application_id": app_id, **event}
            for event in builders.history(
                status, member_id=applicant_id, admin_id=admin_id, at=sent_at
            )
        ]
    db.session.execute(insert(Application), app_rows)
    db.session.execute(insert(ApplicationEvent), event_rows)
    review_rows, score_rows = [], []
    review_id = first_id * 10
    for i in range(applications):
        quality = rng.uniform(1.5, 4.5)
        # Spread the load evenly: application i goes to three consecutive reviewers.
        for k in range(REVIEWS_PER_APPLICATION):
            reviewer_id = reviewer_ids[(i * REVIEWS_PER_APPLICATION + k) % REVIEWERS]
            review_id += 1
            review_rows.append(
                {
                    "id": review_id,
                    "application_id": first_id + i,
                    "reviewer_id": reviewer_id,
                    "assigned_by_id": admin_id,
                    "assigned_at": now - timedelta(days=30),
                    "due_at": now + timedelta(days=rng.randrange(-5, 20)),
                    "conflict": False,
                    "conflict_note": "",
                    "declared_at": now - timedelta(days=29),
                    "recommendation": "fund",
                    "comment": "",
                    "submitted_at": now - timedelta(days=rng.randrange(1, 20)),
                }
            )
            for criterion_id, _weight in criteria:
                value = quality - strictness[reviewer_id] + rng.uniform(-1, 1)
                score_rows.append(
                    {
                        "review_id": review_id,
                        "criterion_id": criterion_id,
                        "score": min(5, max(1, round(value))),
                        "motivation": "",
                    }
                )
    db.session.execute(insert(Review), review_rows)
    for start in range(0, len(score_rows), 20000):
        db.session.execute(insert(ReviewScore), score_rows[start : start + 20000])
    db.session.commit()
    return round_


class QueryCounter:
    def __init__(self, engine) -> None:
        self.count = 0
        event.listen(engine, "before_cursor_execute", self._count)

    def _count(self, *args) -> None:
        self.count += 1


def log_in(app, email):
    client = app.test_client()
    response = client.post("/account/login", data={"email": email, "password": PASSWORD})
    if response.status_code != 302:
        sys.exit(f"Could not log in as {email}: {response.status_code}")
    return client


def measure(client, counter, path) -> tuple[float, int, int]:
    """Median milliseconds over REPEATS requests (after one warm-up), queries per request."""
    response = client.get(path)
    if response.status_code != 200:
        sys.exit(f"{path} answered {response.status_code}")
    timings, queries = [], []
    for _ in range(REPEATS):
        before = counter.count
        start = time.perf_counter()
        response = client.get(path)
        timings.append((time.perf_counter() - start) * 1000)
        queries.append(counter.count - before)
        assert response.status_code == 200, path
    return statistics.median(timings), max(queries), len(response.data)


def main() -> None:
    url = database_url()
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": url, "RATELIMIT_ENABLED": False})
    upgrade(app)
    rng = random.Random(2026)  # noqa: S311 - repeatable test data
    results = []
    with app.app_context():
        if db.session.scalar(select(User.id).limit(1)) is not None:
            sys.exit("The benchmark needs an empty database.")
        people = make_people(rng)
        counter = QueryCounter(db.engine)
        reviewer_id, reviewer_email = people[2][0]
    for label, size, first_id in (("small", 500, 100000), ("large", 5000, 200000)):
        # Filling runs in its own application context; the requests below each get theirs,
        # as in production (a request inside an open context would share its session).
        with app.app_context():
            start = time.perf_counter()
            round_id = fill_round(f"Bench {label}", size, people, rng, first_id).id
            seconds = time.perf_counter() - start
            assignments = db.session.scalar(
                select(db.func.count(Review.id)).where(Review.reviewer_id == reviewer_id)
            )
            db.session.remove()
            # A live database has planner statistics (autovacuum keeps them); a table filled
            # a second ago has none, and PostgreSQL would plan for a handful of rows.
            with db.engine.connect() as connection:
                connection.execute(text("ANALYZE"))
                connection.commit()
        print(
            f"Filled the {label} round: {size} applications, {size * 3} reviews in {seconds:.1f} s",
            flush=True,
        )
        admin = log_in(app, "beheer@bench.example")
        reviewer = log_in(app, reviewer_email)
        pages = [
            ("ranking (raw)", admin, f"/ranking/rounds/{round_id}"),
            ("ranking (calibrated)", admin, f"/ranking/rounds/{round_id}?mode=calibrated"),
            ("ranking CSV", admin, f"/ranking/rounds/{round_id}.csv"),
            ("screening list (in review)", admin, f"/screening/rounds/{round_id}?status=in_review"),
            (f"reviewer dashboard ({assignments} assignments)", reviewer, "/review/"),
        ]
        for name, client, path in pages:
            median, queries, size_bytes = measure(client, counter, path)
            results.append((label, queries))
            print(
                f"  {name:<42} median {median:8.1f} ms  {queries:3d} queries  "
                f"{size_bytes / 1024:8.0f} KiB",
                flush=True,
            )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"Peak memory of the benchmark process: {peak:.0f} MiB")
    small = [queries for label, queries in results if label == "small"]
    large = [queries for label, queries in results if label == "large"]
    print(
        "Query counts equal for 500 and 5,000 applications:",
        "yes" if small == large else f"NO ({small} against {large})",
    )


if __name__ == "__main__":
    main()
