"""Fixtures: a migrated database (SQLite, or PostgreSQL when TEST_DATABASE_URL is set), a real
SMTP server on loopback (aiosmtpd), the app and its client, and builders for accounts."""

from __future__ import annotations

import asyncio
import email
import email.policy
import re
import socket
import threading
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import has_app_context
from flask.testing import FlaskClient
from sqlalchemy import create_engine, func, select, text

from config import database_url
from fonds import create_app
from fonds.auth.models import User
from fonds.auth.passwords import hash_password
from fonds.columns import utcnow
from fonds.demo import builders
from fonds.extensions import db
from fonds.organisations.models import Membership, Organisation
from fonds.roles import Role
from fonds.rounds.models import LegalMode, Round
from fonds.rounds.rubric import add_default_rubric

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "correct horse battery staple"


# --- translations ----------------------------------------------------------------------------


@pytest.fixture(scope="session", autouse=True)
def compiled_translations():
    """Compile the catalogues if `make` has not (so plain `pytest` works too)."""
    for po_path in (ROOT / "fonds" / "translations").glob("*/LC_MESSAGES/messages.po"):
        mo_path = po_path.with_suffix(".mo")
        if not mo_path.exists() or mo_path.stat().st_mtime < po_path.stat().st_mtime:
            with po_path.open("rb") as po_file:
                catalog = read_po(po_file)
            if catalog.fuzzy:  # as pybabel compile does
                continue
            with mo_path.open("wb") as mo_file:
                write_mo(mo_file, catalog)


# --- SMTP ------------------------------------------------------------------------------------


class Mailbox:
    """What the loopback SMTP server received."""

    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.messages.append(message)
        return "250 Message accepted for delivery"

    def clear(self) -> None:
        with self.lock:
            self.messages.clear()

    def to(self, address: str) -> list[email.message.EmailMessage]:
        return [m for m in self.messages if m["To"] == address]

    def last_to(self, address: str) -> email.message.EmailMessage:
        messages = self.to(address)
        assert messages, f"no e-mail to {address}; got {[m['To'] for m in self.messages]}"
        return messages[-1]

    @staticmethod
    def body(message: email.message.EmailMessage) -> str:
        return message.get_body(preferencelist=("plain",)).get_content()

    def link_to(self, address: str, path_part: str) -> str:
        """The path of the first link in the last e-mail to address that contains path_part."""
        body = self.body(self.last_to(address))
        for url in re.findall(r"https?://\S+", body):
            if path_part in url:
                return re.sub(r"^https?://[^/]+", "", url)
        raise AssertionError(f"no link with {path_part!r} in: {body}")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def smtp_server():
    mailbox = Mailbox()
    controller = Controller(
        mailbox, hostname="127.0.0.1", port=free_port(), loop=asyncio.new_event_loop()
    )
    controller.start()
    yield controller, mailbox
    controller.stop()
    controller.loop.close()


@pytest.fixture
def mailbox(smtp_server) -> Mailbox:
    return smtp_server[1]


# --- database --------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def database_uri(tmp_path_factory) -> str:
    import os
    import tempfile

    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        url = database_url(url)
        engine = create_engine(url)
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        engine.dispose()
        yield url
        return
    # On a memory-backed file system when the machine has one: every commit of the suite would
    # otherwise wait for the disk (SQLite syncs on commit), and most of a test is commits.
    shm = Path("/dev/shm")  # noqa: S108 - mkdtemp below makes a private (0700) folder
    if shm.is_dir() and os.access(shm, os.W_OK):
        folder = Path(tempfile.mkdtemp(prefix="fonds-test-", dir=shm))
    else:
        folder = tmp_path_factory.mktemp("db")
    yield f"sqlite:///{folder / 'test.sqlite3'}"
    if folder.parent == shm:
        import shutil

        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def migrated(database_uri, tmp_path_factory):
    """The schema, built only by the migrations (as `flask db upgrade` does)."""
    from flask_migrate import upgrade

    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": database_uri})
    with app.app_context():
        upgrade()
        db.engine.dispose()
    return database_uri


def test_settings(migrated: str, mail_port: int, folder: Path) -> dict:
    """What every app under test is given: the test database, the loopback SMTP server, and
    files (outbox, uploads, the SQLite queue) in the test's own folder."""
    return {
        "SQLALCHEMY_DATABASE_URI": migrated,
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": mail_port,
        "MAIL_OUTBOX_DIR": str(folder / "outbox"),
        "UPLOAD_DIR": str(folder / "uploads"),
        "QUEUE_SQLITE_PATH": str(folder / "queue.sqlite3"),
    }


@pytest.fixture(scope="session")
def suite_engine(migrated):
    """The suite's own connection to the test database, for cleaning up between tests."""
    engine = create_engine(migrated)
    yield engine
    engine.dispose()


@pytest.fixture
def clean_database(suite_engine):
    """Every row the test wrote goes afterwards, confirmed decisions and issued letters too, in
    one transaction on a connection of the suite's own."""
    yield
    with suite_engine.begin() as connection:
        allow_deleting_final_decisions(connection)
        if connection.dialect.name == "postgresql":
            # One round trip for all of them (the driver takes several statements at once).
            connection.exec_driver_sql(
                "; ".join(f"DELETE FROM {t.name}" for t in reversed(db.metadata.sorted_tables))  # noqa: S608
            )
        else:
            for table in reversed(db.metadata.sorted_tables):
                connection.execute(table.delete())
            for trigger in SQLITE_DELETE_TRIGGERS:
                connection.execute(text(trigger))


@pytest.fixture
def app_factory(migrated, smtp_server, tmp_path, clean_database):
    """Build an app of the test's own on the test database (for a test that needs settings of
    its own, or adds routes); its connections close after the test."""
    controller, mailbox = smtp_server
    apps = []

    def make(**overrides):
        settings = test_settings(migrated, controller.port, tmp_path)
        settings.update(overrides)
        app = create_app("testing", settings)
        apps.append(app)
        return app

    mailbox.clear()
    yield make
    for app in apps:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture(scope="session")
def shared_apps(migrated, smtp_server, tmp_path_factory):
    """The app under test and its twin, built once for the whole suite (building an app is
    most of a small test's time). Each test starts them with their settings as built."""
    controller, _ = smtp_server
    settings = test_settings(migrated, controller.port, tmp_path_factory.mktemp("shared"))
    app = create_app("testing", settings)
    app.test_client_class = Client
    observer = create_app("testing", settings)
    # Each with its settings as built, to go back to before every test.
    yield [(app, dict(app.config)), (observer, dict(observer.config))]
    for each in (app, observer):
        with each.app_context():
            db.session.remove()
            db.engine.dispose()


def restart(app, settings: dict, built: dict) -> None:
    """Give a shared app back the settings it was built with (a test may have changed some),
    the test's own folder for files, a queue of its own and rate limits as configured."""
    from fonds import queue
    from fonds.extensions import limiter

    app.config.clear()
    app.config.update(built)
    app.config.update(settings)
    queue.init_app(app)
    # Flask-Limiter keeps its switch and counters on the one Limiter object, which every
    # create_app (also a test's own app) sets again.
    limiter.enabled = app.config["RATELIMIT_ENABLED"]
    if getattr(limiter, "_storage", None) is not None:
        limiter.reset()


@pytest.fixture
def app(shared_apps, smtp_server, tmp_path, clean_database, request):
    """The app under test. The test's own database work runs in the context of a twin app on the
    same database, so requests get their own context (g, session, current user) as in
    production instead of sharing the test's."""
    (app, _), (observer, _) = shared_apps
    controller, mailbox = smtp_server
    settings = test_settings(app.config["SQLALCHEMY_DATABASE_URI"], controller.port, tmp_path)
    for each, built in shared_apps:
        restart(each, settings, built)
    mailbox.clear()
    with observer.app_context():
        yield app
    # The test changed the schema under the pooled connections: they start afresh.
    migrates = request.node.get_closest_marker("migrates") is not None
    for each, _ in shared_apps:
        with each.app_context():
            db.session.remove()
            if migrates:
                db.engine.dispose()


@pytest.fixture(scope="session")
def kept_worlds() -> dict:
    """The rows and files of each world built by `world`, by name, for the whole run."""
    return {}


@pytest.fixture
def world(app, kept_worlds):
    """`world(name, build)`: the same starting rows for many tests, built once. The first test
    runs `build()` (which returns plain values, such as ids) and keeps every row it wrote and
    the stored files; each later test gets exactly those rows back (ids included) in one
    transaction, and the same return value. Cheaper than building through the ORM each time;
    the clean-up after each test is the usual one."""

    def use(name: str, build):
        uploads = Path(app.config["UPLOAD_DIR"])
        if name not in kept_worlds:
            result = build()
            db.session.commit()
            rows = {
                table.name: [dict(row) for row in db.session.execute(table.select()).mappings()]
                for table in db.metadata.sorted_tables
            }
            files = {
                path.relative_to(uploads): path.read_bytes()
                for path in (uploads.rglob("*") if uploads.exists() else [])
                if path.is_file()
            }
            kept_worlds[name] = (rows, files, result)
            return result
        rows, files, result = kept_worlds[name]
        for table in db.metadata.sorted_tables:
            if rows[table.name]:
                db.session.execute(table.insert(), rows[table.name])
        if db.engine.dialect.name == "postgresql":
            # The rows came with their ids: the sequences continue after them (one statement).
            db.session.execute(
                select(
                    *(
                        func.setval(
                            func.pg_get_serial_sequence(table.name, "id"),
                            select(func.max(table.c.id)).scalar_subquery(),
                        )
                        for table in db.metadata.sorted_tables
                        if rows[table.name] and "id" in table.c and table.c.id.autoincrement
                    )
                )
            )
        db.session.commit()
        for relative, content in files.items():
            (uploads / relative).parent.mkdir(parents=True, exist_ok=True)
            (uploads / relative).write_bytes(content)
        return result

    return use


@pytest.fixture
def own_app(app_factory):
    """An app of the test's own for a test that adds routes: Flask refuses new routes on an app
    that has served requests, as the shared one has."""
    return app_factory()


# The migrations' triggers that keep a confirmed decision and an issued letter from being
# deleted (SQLite cannot switch triggers off, so the clean-up between tests drops them and puts
# them back).
SQLITE_DELETE_TRIGGERS = [
    """
    CREATE TRIGGER decision_final_delete BEFORE DELETE ON decision
    WHEN OLD.state = 'confirmed'
    BEGIN SELECT RAISE(ABORT, 'decision is confirmed and final'); END
    """,
    """
    CREATE TRIGGER letter_frozen_delete BEFORE DELETE ON letter
    BEGIN SELECT RAISE(ABORT, 'letter is issued and frozen'); END
    """,
]


def allow_deleting_final_decisions(connection) -> None:
    """Between tests every row goes, confirmed decisions and issued letters too."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("SET LOCAL session_replication_role = replica"))
    else:
        connection.execute(text("DROP TRIGGER decision_final_delete"))
        connection.execute(text("DROP TRIGGER letter_frozen_delete"))


class Client(FlaskClient):
    """After each request the test's own session commits, so it sees what the request did. The
    response is read and closed, as a WSGI server does once it is sent, so work that runs after
    the response (`call_on_close`) has run when the test looks."""

    def open(self, *args, **kwargs):
        kwargs.setdefault("buffered", True)
        response = super().open(*args, **kwargs)
        if has_app_context():
            db.session.commit()
        return response


@pytest.fixture
def client(app):
    return app.test_client()


# --- builders --------------------------------------------------------------------------------


_hash_cache: dict[str, str] = {}


def password_hash(password: str) -> str:
    if password not in _hash_cache:
        _hash_cache[password] = hash_password(password)
    return _hash_cache[password]


@pytest.fixture
def make_user(app):
    def make(
        email: str = "person@example.nl",
        *,
        name: str = "Test Persoon",
        roles=(Role.APPLICANT,),
        verified: bool = True,
        password: str = PASSWORD,
        organisation: Organisation | None = None,
    ) -> User:
        user = User(
            email=email,
            name=name,
            password_hash=password_hash(password),
            email_verified_at=utcnow() if verified else None,
        )
        for role in roles:
            user.add_role(role)
        db.session.add(user)
        if organisation is not None:
            db.session.add(Membership(user=user, organisation=organisation))
        db.session.commit()
        return user

    return make


@pytest.fixture
def make_organisation(app):
    def make(name: str = "Stichting Voorbeeld", members=()) -> Organisation:
        organisation = Organisation(name=name)
        db.session.add(organisation)
        for member in members:
            db.session.add(Membership(user=member, organisation=organisation))
        db.session.commit()
        return organisation

    return make


@pytest.fixture
def make_round(app):
    """A round with the default rubric; open from two weeks ago until two months from now unless
    open_now=False (closed yesterday) or opens_at/closes_at say otherwise."""

    def make(*, open_now: bool = True, **overrides) -> Round:
        now = utcnow()
        values = {
            "name": "Verandering van binnenuit 2027",
            "description": "Voor initiatieven uit de gemeenschap zelf.",
            "opens_at": now - timedelta(days=14 if open_now else 60),
            "closes_at": now + timedelta(days=60) if open_now else now - timedelta(days=1),
            "budget_ceiling": Decimal("250000.00"),
            "min_grant": Decimal("2500.00"),
            "max_grant": Decimal("25000.00"),
            "max_duration_months": 18,
            "reviewers_per_application": 2,
            "regulation": "Subsidieregeling Fonds op Naam 2027, artikel 4",
            "legal_mode": LegalMode.PRIVATE,
            "signatory_name": "Anna de Vries",
            "signatory_title": "Programmamanager",
            "legal_remedy_text": "Vraag binnen zes weken om heroverweging.",
            "remedy_addressee": "Bestuur Fonds op Naam, Postbus 123, 1000 AA Amsterdam",
            "remedy_email": "",
            "reconsideration_weeks": 6,
        }
        values.update(overrides)
        round_ = Round(**values)
        add_default_rubric(round_)
        db.session.add(round_)
        db.session.commit()
        return round_

    return make


def login(client, email: str, password: str = PASSWORD):
    return client.post("/account/login", data={"email": email, "password": password})


@pytest.fixture
def log_in():
    return login


@pytest.fixture
def client_of(app):
    """A new client of its own, in English, logged in as the person with this e-mail address."""

    def make(email: str):
        client = app.test_client()
        client.get("/language/en")
        login(client, email)
        return client

    return make


@pytest.fixture
def english(client):
    """Switch the client to English, so expectations read like the msgids."""
    client.get("/language/en")
    return client


# --- browser ---------------------------------------------------------------------------------

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_SCRIPT = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
_axe_url: list[str] = []


def axe_url() -> str:
    """axe-core served from a loopback server of its own, cacheable: a page that loads it
    again takes it from the browser's cache, already compiled, instead of parsing half a
    megabyte of script anew on every page checked."""
    if not _axe_url:
        import functools
        from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

        class Cached(SimpleHTTPRequestHandler):
            def end_headers(self) -> None:
                self.send_header("Cache-Control", "public, max-age=86400, immutable")
                super().end_headers()

            def log_message(self, *args) -> None:
                pass

        handler = functools.partial(Cached, directory=str(AXE_SCRIPT.parent))
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        _axe_url.append(f"http://127.0.0.1:{server.server_address[1]}/{AXE_SCRIPT.name}")
    return _axe_url[0]


@pytest.fixture
def live_server(app):
    """The app under test served over real HTTP on a free loopback port, with CSRF protection
    on as in production, so every form a person uses must carry its token."""
    from werkzeug.serving import make_server

    app.config["WTF_CSRF_ENABLED"] = True
    server = make_server("127.0.0.1", free_port(), app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium driven by Playwright (Playwright's own browser download is not used)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(chromium):
    # bypass_csp lets axe-core be injected; the app's own pages never need inline script.
    context = chromium.new_context(bypass_csp=True, locale="nl-NL")
    page = context.new_page()
    yield page
    context.close()


def axe_violations(page) -> list[str]:
    """WCAG 2.1 A and AA violations that axe-core finds on the page as it is now."""
    # A click that navigates returns before the new page has loaded: check that page, once loaded.
    page.wait_for_load_state()
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(url=axe_url())
    # Only the violations are collected: the same rules run, without the cost of describing
    # every element that passes.
    result = page.evaluate(
        """tags => axe.run(document, {runOnly: {type: 'tag', values: tags},
                                     resultTypes: ['violations']})""",
        WCAG_TAGS,
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
    ]


# --- rounds and applications -----------------------------------------------------------------


@pytest.fixture
def make_application(app):
    """An application in a valid state (`status=...`: reference, sent moment, snapshot and
    history included), committed; see fonds.demo.builders.make_application."""

    def make(round_, organisation, **options):
        application = builders.make_application(round_, organisation, **options)
        db.session.commit()
        return application

    return make


@pytest.fixture
def applicant(make_user, make_organisation, english, log_in):
    """A logged-in (English) applicant with an organisation."""
    user = make_user("fatima@example.nl", name="Fatima Bakkali")
    organisation = make_organisation("Stichting Samen Sterk", members=[user])
    log_in(english, "fatima@example.nl")
    return user, organisation


@pytest.fixture
def make_review(app):
    """A reviewer's assignment to an application, committed; see
    fonds.demo.builders.make_review (submitted by default; `submitted=False` a draft,
    `conflict=None` not yet declared, `conflict=True` a declared conflict)."""

    def make(application, reviewer, scores=3, **options):
        review = builders.make_review(application, reviewer, scores, **options)
        db.session.commit()
        return review

    return make


# --- task queue ------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory):
    """A real Redis server (Debian's redis-server, which `make test` installs) on a free
    loopback port, without persistence."""
    import shutil
    import subprocess
    import time

    import redis

    binary = shutil.which("redis-server")
    if binary is None:
        pytest.fail("redis-server is not installed: `make test` installs it (apt redis-server)")
    port = free_port()
    process = subprocess.Popen(  # noqa: S603 - a fixed binary with fixed arguments
        [
            binary,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(tmp_path_factory.mktemp("redis")),
        ],
        stdout=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    client = redis.Redis.from_url(url)
    deadline = time.monotonic() + 20
    while True:
        try:
            client.ping()
            break
        except redis.ConnectionError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                pytest.fail("redis-server did not start")
            time.sleep(0.05)
    yield url
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(params=["sqlite", "redis"])
def queue_backend(request, app):
    """Run the test once on the SQLite queue (the embedded default) and once on a real Redis,
    each time with a queue of its own."""
    import uuid

    from fonds import queue

    if request.param == "redis":
        app.config["REDIS_URL"] = request.getfixturevalue("redis_server")
    app.config["QUEUE_NAME"] = f"test-{uuid.uuid4().hex}"
    queue.init_app(app)
    return request.param


class Worker:
    """`flask worker` in processes of its own, on the app's database, queue and mail server."""

    def __init__(self, app, workers: int = 1) -> None:
        import os
        import subprocess
        import sys

        config = app.config
        env = dict(os.environ)
        env.update(
            FLASK_APP="wsgi.py",
            FONDS_CONFIG="testing",
            TEST_DATABASE_URL=config["SQLALCHEMY_DATABASE_URI"],
            MAIL_SERVER=config["MAIL_SERVER"],
            MAIL_PORT=str(config["MAIL_PORT"]),
            MAIL_OUTBOX_DIR=config["MAIL_OUTBOX_DIR"],
            UPLOAD_DIR=config["UPLOAD_DIR"],
            REDIS_URL=config["REDIS_URL"],
            QUEUE_SQLITE_PATH=config["QUEUE_SQLITE_PATH"],
            QUEUE_NAME=config["QUEUE_NAME"],
            PORTAL_URL=config["PORTAL_URL"],
        )
        self.process = subprocess.Popen(  # noqa: S603 - our own command
            [
                sys.executable,
                "-m",
                "flask",
                "worker",
                "--workers",
                str(workers),
                "--max-delay",
                "0.2",
            ],
            cwd=ROOT,
            env=env,
            start_new_session=True,  # its own process group, so kill() reaches every worker
        )

    def kill(self) -> None:
        """Stop every process of the worker at once, as a crash or a power cut would."""
        import os
        import signal

        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)


@pytest.fixture
def start_worker(app):
    workers: list[Worker] = []

    def start(processes: int = 1) -> Worker:
        worker = Worker(app, processes)
        workers.append(worker)
        return worker

    yield start
    for worker in workers:
        worker.kill()


def wait_until(condition, timeout: float = 60, interval: float = 0.05, what: str = "condition"):
    """Poll until condition() is true (reading fresh rows each time)."""
    import time

    deadline = time.monotonic() + timeout
    while True:
        db.session.rollback()
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(interval)
