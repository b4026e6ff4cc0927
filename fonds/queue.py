"""The task queue for background work (Huey).

Without REDIS_URL the queue is an SQLite file (QUEUE_SQLITE_PATH), so the embedded default needs
no server; with REDIS_URL it lives in Redis. Either way `flask worker` runs the tasks in separate
worker processes: rendering is CPU work, so processes (not threads) give real parallelism, and
in a process's main thread the per-letter time limit (a timer signal) works.

Each app builds its own Huey instance; the domains register their tasks as closures over the app,
so a worker runs every task in the same application context a request would have."""

from __future__ import annotations

import logging
from collections.abc import Callable

import click
from flask import Flask, current_app
from huey import RedisHuey, SqliteHuey

from fonds.extensions import db

log = logging.getLogger(__name__)


def make_huey(config) -> SqliteHuey | RedisHuey:
    name = config["QUEUE_NAME"]
    if config["REDIS_URL"]:
        # blocking: an idle worker waits on Redis (BRPOP) and starts a task as soon as it comes.
        return RedisHuey(name, url=config["REDIS_URL"], results=False, blocking=True)
    return SqliteHuey(name, filename=config["QUEUE_SQLITE_PATH"], results=False)


def init_app(app: Flask) -> None:
    huey = make_huey(app.config)

    @huey.on_startup()
    def own_connections() -> None:
        # A forked worker must not use connections of the process it was forked from.
        with app.app_context():
            db.engine.dispose(close=False)

    app.extensions["huey"] = huey
    app.extensions["fonds.tasks"] = {}
    # A queue made again (a test's own queue) gets the tasks the domains added to the first one.
    for make_tasks in app.extensions.setdefault("fonds.task_makers", []):
        make_tasks(app, huey)
    app.cli.add_command(worker_command)


def add_tasks(app: Flask, make_tasks: Callable[[Flask, SqliteHuey | RedisHuey], None]) -> None:
    """A domain adds its tasks (fonds.letters.tasks): make_tasks(app, huey) declares them and
    names them in app.extensions["fonds.tasks"]."""
    app.extensions["fonds.task_makers"].append(make_tasks)
    make_tasks(app, app.extensions["huey"])


def enqueue(task_name: str, *args) -> None:
    """Put a task on the queue (after the transaction that wrote its data has committed)."""
    current_app.extensions["fonds.tasks"][task_name](*args)


def queue_backend(app: Flask) -> str:
    return "redis" if isinstance(app.extensions["huey"], RedisHuey) else "sqlite"


@click.command("worker")
@click.option("--workers", default=2, show_default=True, help="Worker processes.")
@click.option(
    "--max-delay",
    default=1.0,
    show_default=True,
    help="Most seconds an idle worker waits before it looks at the SQLite queue again.",
)
def worker_command(workers: int, max_delay: float) -> None:
    """Run background tasks (issuing a round's letters) until stopped (Ctrl+C)."""
    app = current_app._get_current_object()
    huey = app.extensions["huey"]
    db.engine.dispose()
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)  # a line per render step
    click.echo(f"Worker: {workers} process(es) on the {queue_backend(app)} queue")
    consumer = huey.create_consumer(
        workers=workers, worker_type="process", periodic=False, max_delay=max_delay
    )
    consumer.run()
