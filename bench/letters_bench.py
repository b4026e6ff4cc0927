"""Benchmark of decision letters (issue 5): milliseconds per letter through the system's own
code path (context from the database, template, PDF/A-3a) against a bare WeasyPrint render of
the same HTML in the same process; resident memory from letter 50 to letter 500 in one worker;
and 500 letters rendered by one worker process against two.

Runs on a throwaway SQLite database under a temporary folder (the letters' SQL is small; the
render dominates). `make bench-letters`. Figures are printed, nothing is asserted."""

from __future__ import annotations

import multiprocessing
import os
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

LETTERS = int(os.environ.get("BENCH_LETTERS", "500"))
COMPARE = int(os.environ.get("BENCH_COMPARE", "60"))


def rss_mib() -> float:
    """Resident memory of this process now (not the peak)."""
    with open("/proc/self/statm") as statm:
        pages = int(statm.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def make_app(url: str):
    from fonds import create_app

    return create_app("testing", {"SQLALCHEMY_DATABASE_URI": url, "RATELIMIT_ENABLED": False})


def fill(app, count: int) -> list[int]:
    """One round with `count` decided applications (awards and rejections alternate), each with
    two reviews, and their confirmed decisions."""
    from flask_migrate import upgrade

    from fonds.applications.models import Application
    from fonds.auth.models import Role, User
    from fonds.columns import utcnow
    from fonds.extensions import db
    from fonds.organisations.models import Membership, Organisation
    from fonds.reviews.models import Decision, Review, ReviewScore
    from fonds.rounds.models import Round
    from fonds.rounds.rubric import add_default_rubric

    with app.app_context():
        upgrade(directory=str(Path(__file__).resolve().parent.parent / "migrations"))
        now = utcnow()
        people = [
            User(email=f"u{i}@bench.example", name=f"Persoon {i}", password_hash="-")  # noqa: S106
            for i in range(4)
        ]
        people[0].add_role(Role.ADMIN)
        people[1].add_role(Role.ADMIN)
        db.session.add_all(people)
        organisation = Organisation(
            name="Stichting Bench",
            legal_form="stichting",
            kvk_number="12345678",
            street="Dorpsstraat 1",
            postcode="1234 AB",
            city="Utrecht",
            iban="NL91ABNA0417164300",
            account_holder="Stichting Bench",
            contact_name="Fatima Bakkali",
        )
        db.session.add(organisation)
        db.session.flush()
        db.session.add(Membership(user=people[3], organisation=organisation))
        round_ = Round(
            name="Bench",
            opens_at=now - timedelta(days=90),
            closes_at=now - timedelta(days=30),
            budget_ceiling=Decimal("10000000.00"),
            min_grant=Decimal("1000.00"),
            max_grant=Decimal("25000.00"),
            max_duration_months=18,
            regulation="Subsidieregeling Fonds op Naam 2027, artikel 4",
            legal_mode="awb",
            signatory_name="Anna de Vries",
            signatory_title="Programmamanager",
            legal_remedy_text="Stuur uw bezwaar naar het bestuur.",
        )
        add_default_rubric(round_)
        db.session.add(round_)
        db.session.flush()
        ids = []
        for i in range(count):
            approved = i % 2 == 0
            application = Application(
                round_id=round_.id,
                organisation_id=organisation.id,
                created_by_id=people[3].id,
                status="approved" if approved else "rejected",
                reference=f"FON-2026-{i + 1:04d}",
                submitted_at=now - timedelta(days=40),
                title=f"Dialoogavonden {i}",
                summary="Tien avonden met een vaste groep.",
                start_date=date(2027, 3, 1),
                end_date=date(2027, 12, 1),
                amount_requested=Decimal("9000.00"),
                organisation_snapshot=organisation.snapshot(),
            )
            db.session.add(application)
            db.session.flush()
            for reviewer, score in ((people[2], 3 + i % 3), (people[0], 4)):
                review = Review(
                    application_id=application.id,
                    reviewer_id=reviewer.id,
                    due_at=now,
                    conflict=False,
                    declared_at=now,
                    recommendation="fund",
                    submitted_at=now,
                )
                review.scores = [
                    ReviewScore(criterion_id=c.id, score=score) for c in round_.criteria
                ]
                db.session.add(review)
            db.session.add(
                Decision(
                    application_id=application.id,
                    outcome="approve" if approved else "reject",
                    amount=Decimal("7500.00") if approved else None,
                    motivation="Een sterk plan van binnenuit." if approved else "Te weinig bereik.",
                    state="confirmed",
                    proposed_by_id=people[0].id,
                    decided_by_id=people[1].id,
                    decided_at=now,
                )
            )
            ids.append(application.id)
        db.session.commit()
        return ids


def render_all(url: str, ids: list[int], queue=None) -> list[float]:
    """Render the letters of `ids` through the system's code path; returns ms per letter and,
    when `queue` is given, sends (letter number, resident MiB) at 50 and at the end."""
    from fonds.applications.models import Application
    from fonds.extensions import db
    from fonds.letters.render import render_letter

    app = make_app(url)
    timings = []
    with app.test_request_context():
        for number, application_id in enumerate(ids, start=1):
            start = time.perf_counter()
            render_letter(db.session.get(Application, application_id))
            timings.append((time.perf_counter() - start) * 1000)
            db.session.expire_all()
            if queue is not None and number in (min(50, len(ids)), len(ids)):
                queue.put((number, rss_mib()))
    return timings


def worker(url, ids, queue):
    render_all(url, ids)
    queue.put(os.getpid())


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="fonds-letters-bench-"))
    url = f"sqlite:///{folder / 'bench.sqlite3'}"
    app = make_app(url)
    ids = fill(app, LETTERS)
    print(f"{LETTERS} decided applications in {folder}", flush=True)

    # 1. The system's path against bare WeasyPrint on the same HTML, in the same process, with
    # the same parsed stylesheet and font configuration: the difference is what the system adds
    # (the database, the context, the template).
    from weasyprint import HTML

    from fonds.applications.models import Application
    from fonds.extensions import db
    from fonds.letters.render import (
        BASE_URL,
        FONT_CONFIG,
        PDF_VARIANT,
        STYLESHEET,
        render_html,
        render_letter,
    )

    system, bare = [], []
    with app.test_request_context():
        sample = ids[:COMPARE]
        render_letter(db.session.get(Application, sample[0]))  # warm up both paths
        for application_id in sample:
            application = db.session.get(Application, application_id)
            start = time.perf_counter()
            render_letter(application)
            system.append((time.perf_counter() - start) * 1000)
            html = render_html(application)
            start = time.perf_counter()
            HTML(string=html, base_url=BASE_URL).write_pdf(
                stylesheets=[STYLESHEET],
                font_config=FONT_CONFIG,
                pdf_variant=PDF_VARIANT,
                pdf_tags=True,
            )
            bare.append((time.perf_counter() - start) * 1000)
            db.session.expire_all()
    s, b = statistics.median(system), statistics.median(bare)
    print(
        f"ms per letter, median of {COMPARE}: system {s:.1f}, bare WeasyPrint {b:.1f}, "
        f"overhead {100 * (s - b) / b:+.1f}%",
        flush=True,
    )

    # 2. One worker renders all letters: resident memory at letter 50 and at the last.
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    start = time.perf_counter()
    process = ctx.Process(target=render_all, args=(url, ids, queue))
    process.start()
    at_50 = at_end = queue.get()
    while at_end[0] < len(ids):
        at_end = queue.get()
    process.join()
    one = time.perf_counter() - start
    print(
        f"1 worker: {LETTERS} letters in {one:.1f} s; resident memory {at_50[1]:.0f} MiB at "
        f"letter {at_50[0]}, {at_end[1]:.0f} MiB at letter {at_end[0]} "
        f"(growth {at_end[1] - at_50[1]:+.1f} MiB)",
        flush=True,
    )

    # 3. Two workers, each half of the letters.
    start = time.perf_counter()
    processes = [ctx.Process(target=worker, args=(url, ids[part::2], queue)) for part in range(2)]
    for p in processes:
        p.start()
    for p in processes:
        p.join()
    two = time.perf_counter() - start
    print(f"2 workers: {LETTERS} letters in {two:.1f} s; {one / two:.2f}x faster", flush=True)


if __name__ == "__main__":
    main()
