"""Benchmark of the password-reset request (issue 12): how long the answer takes for a known and
for an unknown address, the median of 30 pairs (the order alternates within a pair). The mail of
the known address is queued and sent after the response, so it is not part of the answer.

Run it from the project folder: `.venv/bin/python bench/reset_bench.py` (a temporary SQLite
database and outbox folder; nothing is sent)."""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

# Before fonds is imported: config.py reads the environment when it is imported.
FOLDER = Path(tempfile.mkdtemp(prefix="reset-bench-"))
os.environ.update(
    FONDS_CONFIG="development",
    DATABASE_URL=f"sqlite:///{FOLDER / 'bench.sqlite3'}",
    MAIL_SERVER="",
    MAIL_OUTBOX_DIR=str(FOLDER / "outbox"),
    QUEUE_SQLITE_PATH=str(FOLDER / "queue.sqlite3"),
    UPLOAD_DIR=str(FOLDER / "uploads"),
    RATELIMIT_ENABLED="false",
)

from flask_migrate import upgrade  # noqa: E402

from fonds import create_app  # noqa: E402
from fonds.auth.models import User  # noqa: E402
from fonds.auth.passwords import hash_password  # noqa: E402
from fonds.columns import utcnow  # noqa: E402
from fonds.extensions import db  # noqa: E402

PAIRS = int(os.environ.get("BENCH_PAIRS", "30"))


def answer_time(client, email: str) -> float:
    """Milliseconds until the response is complete (what the visitor waits for); the work after
    the response runs when the response is closed, outside the measurement."""
    start = time.perf_counter()
    response = client.post("/account/reset", data={"email": email}, buffered=False)
    response.get_data()
    elapsed = (time.perf_counter() - start) * 1000
    response.close()
    return elapsed


def main() -> None:
    app = create_app()
    app.config["WTF_CSRF_ENABLED"] = False
    with app.app_context():
        upgrade(directory=str(Path(__file__).resolve().parent.parent / "migrations"))
        db.session.add(
            User(
                email="bekend@example.nl",
                name="Bekend",
                password_hash=hash_password("bench-wachtwoord-2026"),
                email_verified_at=utcnow(),
            )
        )
        db.session.commit()
    client = app.test_client()
    for _ in range(3):  # warm up templates and caches
        answer_time(client, "bekend@example.nl")
        answer_time(client, "onbekend@example.nl")
    known, unknown = [], []
    for pair in range(PAIRS):
        if pair % 2:
            unknown.append(answer_time(client, "onbekend@example.nl"))
            known.append(answer_time(client, "bekend@example.nl"))
        else:
            known.append(answer_time(client, "bekend@example.nl"))
            unknown.append(answer_time(client, "onbekend@example.nl"))
    print(f"password reset, median of {PAIRS} pairs:")
    print(f"  known address:   {statistics.median(known):6.2f} ms")
    print(f"  unknown address: {statistics.median(unknown):6.2f} ms")


if __name__ == "__main__":
    main()
