"""Benchmark of decision letters (issue 5): milliseconds per letter through the system's own
code path (context from the database, template, PDF/A-3a) against a bare WeasyPrint render of
the same HTML in the same process; resident memory from letter 50 to letter 500 in one process;
and a round's 500 letters issued through the task queue as an administrator issues them
(start_batch, commit, enqueue; `flask worker --workers N --max-delay 0.1` on the SQLite queue
file), by one worker process against two: seconds from the enqueue until no item is pending,
letters per second, the speed-up, and each worker's resident memory at letter 50 and at the end
(read from /proc; the worker is started, and its processes are up, before the clock starts).
The machine's CPU count and how busy it was during each run are printed with them, since
anything else running on the machine slows the two-worker run first.

Runs on throwaway SQLite databases and queue files under a temporary folder (the letters' SQL
is small; the render dominates); the second queue run gets a freshly filled database, because
issued letters cannot be deleted. `make bench-letters` (BENCH_LETTERS letters, default 500).
Figures are printed, nothing is asserted."""

from __future__ import annotations

import multiprocessing
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

LETTERS = int(os.environ.get("BENCH_LETTERS", "500"))
COMPARE = int(os.environ.get("BENCH_COMPARE", "60"))
MARK = 50  # the letter at which memory is first read
POLL = 0.1  # seconds between looks at a queued batch's progress


def rss_mib() -> float:
    """Resident memory of this process now (not the peak)."""
    with open("/proc/self/statm") as statm:
        pages = int(statm.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def make_app(url: str):
    from fonds import create_app

    return create_app(
        "testing",
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "RATELIMIT_ENABLED": False,
            "QUEUE_SQLITE_PATH": str(queue_path(url)),
            "QUEUE_NAME": "bench",
        },
    )


def fill(app, count: int) -> list[int]:
    """One round with `count` decided applications (awards and rejections alternate), each with
    two reviews, and their confirmed decisions."""
    from flask_migrate import upgrade

    from fonds.auth.models import User
    from fonds.columns import utcnow
    from fonds.demo import builders
    from fonds.extensions import db
    from fonds.organisations.models import Membership, Organisation
    from fonds.roles import Role
    from fonds.rounds.models import Round
    from fonds.rounds.rubric import add_default_rubric

    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
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
            application = builders.make_application(
                round_,
                organisation,
                status="approved" if approved else "rejected",
                created_by=people[3],
                by=people[0],
                sent_at=now - timedelta(days=40),
                title=f"Dialoogavonden {i}",
                summary="Tien avonden met een vaste groep.",
            )
            builders.make_review(application, people[2], 3 + i % 3, at=now)
            builders.make_review(application, people[0], 4, at=now)
            builders.make_decision(
                application,
                proposer=people[0],
                decider=people[1],
                amount=Decimal("7500.00") if approved else None,
                motivation="Een sterk plan van binnenuit." if approved else "Te weinig bereik.",
                at=now,
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


# --- through the task queue -------------------------------------------------------------------


def queue_path(url: str) -> Path:
    """Each throwaway database has its own SQLite queue file beside it."""
    return Path(url.removeprefix("sqlite:///")).with_suffix(".queue.sqlite3")


def proc_rss_mib(pid: int) -> float | None:
    """Resident memory (VmRSS) of another process now, or None when it has gone."""
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def proc_stat(pid: int) -> tuple[float, int] | None:
    """CPU seconds used so far (user + system) and the start time (clock ticks after boot)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rpartition(")")[2].split()
    except OSError:
        return None
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks, int(fields[19])


def machine_cpu() -> tuple[float, float]:
    """CPU seconds of the whole machine since boot: (busy, all), from /proc/stat."""
    with open("/proc/stat") as stat:
        ticks = [int(n) for n in stat.readline().split()[1:9]]
    idle = ticks[3] + ticks[4]  # idle and iowait
    hz = os.sysconf("SC_CLK_TCK")
    return (sum(ticks) - idle) / hz, sum(ticks) / hz


def children(pid: int) -> list[int]:
    """The consumer's child processes: its scheduler and its workers."""
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as listing:
            return [int(child) for child in listing.read().split()]
    except OSError:
        pass
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                status = (entry / "status").read_text()
            except OSError:
                continue
            if f"\nPPid:\t{pid}\n" in status:
                found.append(int(entry.name))
    return found


def worker_children(pid: int) -> tuple[int | None, list[int]]:
    """(scheduler, workers) of a Huey consumer: it forks its scheduler first and then its
    workers, so the child that started first is the scheduler."""
    started = []
    for child in children(pid):
        stat = proc_stat(child)
        if stat is not None:
            started.append((stat[1], child))
    ordered = [child for _, child in sorted(started)]
    return (ordered[0], ordered[1:]) if ordered else (None, [])


def start_worker(url: str, processes: int, log) -> subprocess.Popen:
    """`flask worker` as the tests run it (tests/conftest.py, Worker): its own process group, on
    the bench's database and queue file, mail as files in the temporary folder."""
    folder = Path(url.removeprefix("sqlite:///")).parent
    env = dict(os.environ)
    env.update(
        FLASK_APP="wsgi.py",
        FONDS_CONFIG="testing",
        PYTHONPATH=str(ROOT),
        TEST_DATABASE_URL=url,
        MAIL_SERVER="",
        MAIL_OUTBOX_DIR=str(folder / f"outbox-{processes}"),
        UPLOAD_DIR=str(folder / "uploads"),
        REDIS_URL="",
        QUEUE_SQLITE_PATH=str(queue_path(url)),
        QUEUE_NAME="bench",
    )
    return subprocess.Popen(  # noqa: S603 - our own command
        [
            sys.executable,
            "-m",
            "flask",
            "worker",
            "--workers",
            str(processes),
            "--max-delay",
            "0.1",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group, so a signal reaches every worker
    )


def stop_worker(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGINT)  # Huey's graceful stop: running tasks finish
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


@dataclass
class WorkerFigures:
    pid: int
    rss_at_mark: float | None = None  # MiB when the batch's issued letters first reach MARK
    rss_at_end: float | None = None  # MiB at the end (the last sample while it lived)
    cpu_start: float = 0.0
    cpu_end: float = 0.0

    @property
    def growth(self) -> float | None:
        if self.rss_at_mark is None or self.rss_at_end is None:
            return None
        return self.rss_at_end - self.rss_at_mark


@dataclass
class QueueRun:
    processes: int
    seconds: float
    issued: int
    states: dict[str, int]
    mark: int
    workers: list[WorkerFigures]
    scheduler_rss: float | None
    boot_seconds: float
    written_seconds: float  # start_batch, commit and enqueue: what the administrator waits for
    machine_busy: float  # CPU seconds the whole machine was busy during the run
    log: Path
    log_lines: dict[str, int] = field(default_factory=dict)


def queue_run(url: str, processes: int) -> QueueRun:
    """Start `flask worker --workers N`, wait until its processes are up, start a batch for the
    round (start_batch, commit, enqueue, as the round's page does) and time from the enqueue
    until no item of the batch is pending, polling the database every POLL seconds. Each
    worker's resident memory is read when the batch's issued letters first reach 50 and at the
    end; its CPU seconds over the run show how busy it was."""
    from sqlalchemy import func, select

    from fonds.auth.models import User
    from fonds.extensions import db
    from fonds.letters.batch import start_batch
    from fonds.letters.models import LetterBatchItem
    from fonds.queue import enqueue
    from fonds.rounds.models import Round

    app = make_app(url)
    folder = Path(url.removeprefix("sqlite:///")).parent
    log_path = folder / f"worker-{processes}.log"
    with log_path.open("w") as log:
        booted = time.perf_counter()
        process = start_worker(url, processes, log)
        try:
            scheduler, pids = worker_children(process.pid)
            while len(pids) < processes:
                if process.poll() is not None:
                    raise RuntimeError(f"flask worker exited; see {log_path}")
                time.sleep(0.05)
                scheduler, pids = worker_children(process.pid)
            boot = time.perf_counter() - booted
            workers = {pid: WorkerFigures(pid) for pid in pids}
            for figures in workers.values():
                figures.cpu_start = figures.cpu_end = (proc_stat(figures.pid) or (0.0, 0))[0]

            with app.app_context():
                round_ = db.session.scalar(select(Round).where(Round.name == "Bench"))
                by = db.session.scalar(select(User).where(User.email == "u0@bench.example"))
                written = time.perf_counter()
                batch = start_batch(round_, by=by, locale="nl")
                db.session.commit()
                batch_id = batch.id
                total = db.session.scalar(
                    select(func.count()).where(LetterBatchItem.batch_id == batch_id)
                )
                mark = min(MARK, total)
                start = time.perf_counter()
                machine_start = machine_cpu()[0]
                enqueue("letters.run_batch", batch_id)
                written_seconds = time.perf_counter() - written
                marked = False
                while True:
                    states = dict(
                        db.session.execute(
                            select(LetterBatchItem.state, func.count())
                            .where(LetterBatchItem.batch_id == batch_id)
                            .group_by(LetterBatchItem.state)
                        ).all()
                    )
                    db.session.rollback()  # end the read, so the workers may write
                    done = states.get("pending", 0) == 0
                    seconds = time.perf_counter() - start
                    issued = states.get("issued", 0)
                    for figures in workers.values():
                        rss = proc_rss_mib(figures.pid)
                        stat = proc_stat(figures.pid)
                        if rss is not None:
                            figures.rss_at_end = rss
                            if not marked and issued >= mark:
                                figures.rss_at_mark = rss
                        if stat is not None:
                            figures.cpu_end = stat[0]
                    marked = marked or issued >= mark
                    if done or process.poll() is not None:
                        machine_busy = machine_cpu()[0] - machine_start
                        break
                    time.sleep(POLL)
            scheduler_rss = proc_rss_mib(scheduler) if scheduler is not None else None
        finally:
            stop_worker(process)
            with app.app_context():
                db.engine.dispose()
    text = log_path.read_text(errors="replace")
    return QueueRun(
        processes=processes,
        seconds=seconds,
        issued=issued,
        states=states,
        mark=mark,
        workers=list(workers.values()),
        scheduler_rss=scheduler_rss,
        boot_seconds=boot,
        written_seconds=written_seconds,
        machine_busy=machine_busy,
        log=log_path,
        log_lines={what: text.count(what) for what in ("database is locked", "Traceback")},
    )


def report(run: QueueRun) -> None:
    others = ", ".join(
        f"{n} {state}" for state, n in sorted(run.states.items()) if state != "issued"
    )
    print(
        f"{run.processes} worker(s) through the queue: {run.issued} letters issued in "
        f"{run.seconds:.1f} s, {run.issued / run.seconds:.2f} letters/s"
        + (f" ({others})" if others else "")
        + f"; worker up in {run.boot_seconds:.1f} s (not timed)",
        flush=True,
    )
    print(
        f"  the run written down and enqueued (the administrator's request) in "
        f"{1000 * run.written_seconds:.0f} ms",
        flush=True,
    )
    for number, figures in enumerate(run.workers, start=1):
        mark = "-" if figures.rss_at_mark is None else f"{figures.rss_at_mark:.0f}"
        end = "-" if figures.rss_at_end is None else f"{figures.rss_at_end:.0f}"
        growth = "-" if figures.growth is None else f"{figures.growth:+.1f}"
        busy = (figures.cpu_end - figures.cpu_start) / run.seconds
        print(
            f"  worker {number} (pid {figures.pid}): resident {mark} MiB at letter {run.mark}, "
            f"{end} MiB at letter {run.issued} (growth {growth} MiB); "
            f"CPU {figures.cpu_end - figures.cpu_start:.1f} s ({100 * busy:.0f}% of the run)",
            flush=True,
        )
    workers_cpu = sum(f.cpu_end - f.cpu_start for f in run.workers)
    cpus = os.cpu_count() or 1
    print(
        f"  machine: {100 * run.machine_busy / (cpus * run.seconds):.0f}% of {cpus} CPUs busy "
        f"during the run, {run.machine_busy - workers_cpu:.1f} CPU-s of it outside the workers "
        "(the consumer, the bench's polling, anything else running)",
        flush=True,
    )
    if run.scheduler_rss is not None:
        print(f"  (Huey's scheduler process: {run.scheduler_rss:.0f} MiB)", flush=True)
    print(
        "  worker log "
        + ", ".join(f"{n}x '{what}'" for what, n in run.log_lines.items())
        + f": {run.log}",
        flush=True,
    )


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
        for number, application_id in enumerate(sample):
            application = db.session.get(Application, application_id)
            html = render_html(application)

            def through_system(application=application):
                start = time.perf_counter()
                render_letter(application)
                system.append((time.perf_counter() - start) * 1000)

            def bare_weasyprint(html=html):
                start = time.perf_counter()
                HTML(string=html, base_url=BASE_URL).write_pdf(
                    stylesheets=[STYLESHEET],
                    font_config=FONT_CONFIG,
                    pdf_variant=PDF_VARIANT,
                    pdf_tags=True,
                )
                bare.append((time.perf_counter() - start) * 1000)

            # Alternate which goes first: the second render of the same text runs on warmer
            # caches, which made the system look about 10% slower when it always went first.
            first, second = (
                (through_system, bare_weasyprint)
                if number % 2 == 0
                else (bare_weasyprint, through_system)
            )
            first()
            second()
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
        f"1 process, rendering only: {LETTERS} letters in {one:.1f} s; resident memory "
        f"{at_50[1]:.0f} MiB at letter {at_50[0]}, {at_end[1]:.0f} MiB at letter {at_end[0]} "
        f"(growth {at_end[1] - at_50[1]:+.1f} MiB)",
        flush=True,
    )

    # 3. The round's letters through the task queue, as an administrator issues them: one worker
    # process against two, each run on a database of its own with the round still unissued
    # (letters cannot be deleted, so the second run gets a freshly filled copy).
    second_url = f"sqlite:///{folder / 'bench-2.sqlite3'}"
    fill(make_app(second_url), LETTERS)
    print(f"CPUs: {os.cpu_count()}", flush=True)
    runs = []
    for processes, run_url in ((1, url), (2, second_url)):
        runs.append(queue_run(run_url, processes))
        report(runs[-1])
    single, double = runs
    print(
        f"speed-up of 2 workers over 1: {single.seconds / double.seconds:.2f}x (target >= 1.7x)",
        flush=True,
    )
    growths = [f.growth for run in runs for f in run.workers if f.growth is not None]
    if growths:
        print(
            f"largest growth of a worker's resident memory from letter {single.mark} to the "
            f"last: {max(growths):+.1f} MiB (target < 20 MB)",
            flush=True,
        )


if __name__ == "__main__":
    main()
