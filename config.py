"""Configuration classes. Every setting can be overridden by an environment variable of the same
name; README.md lists them with their defaults."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def database_url(value: str) -> str:
    """Use the psycopg 3 driver for PostgreSQL URLs written in the common short forms."""
    for prefix in ("postgres://", "postgresql://"):
        if value.startswith(prefix):
            return "postgresql+psycopg://" + value[len(prefix) :]
    return value


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = database_url(
        os.environ.get("DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'fonds.sqlite3'}")
    )
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}

    # Number of reverse proxies in front of the app (nginx: 1), so rate limits and links use the
    # visitor's address and scheme from X-Forwarded-* headers. 0 trusts no such header.
    PROXY_COUNT = env_int("PROXY_COUNT", 0)

    # Mail: SMTP when MAIL_SERVER is set, otherwise .eml files in MAIL_OUTBOX_DIR.
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "")
    MAIL_PORT = env_int("MAIL_PORT", 25)
    MAIL_USE_TLS = env_bool("MAIL_USE_TLS", False)  # STARTTLS
    MAIL_USE_SSL = env_bool("MAIL_USE_SSL", False)  # implicit TLS (port 465)
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME", "")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD", "")
    MAIL_DEFAULT_SENDER = os.environ.get(
        "MAIL_DEFAULT_SENDER", "Fonds op Naam <noreply@fondsopnaam.example>"
    )
    # Discreet e-mail (each person's own choice, the default): this sender name in place of the
    # one in MAIL_DEFAULT_SENDER (its address stays), this subject (empty: "Nieuw bericht in uw
    # portaal", in the person's language), and no signature.
    MAIL_DISCREET_SENDER_NAME = os.environ.get("MAIL_DISCREET_SENDER_NAME", "Portaal")
    MAIL_DISCREET_SUBJECT = os.environ.get("MAIL_DISCREET_SUBJECT", "")
    MAIL_TIMEOUT = env_int("MAIL_TIMEOUT", 10)
    MAIL_MAX_ATTEMPTS = env_int("MAIL_MAX_ATTEMPTS", 10)
    MAIL_OUTBOX_DIR = os.environ.get("MAIL_OUTBOX_DIR", str(INSTANCE_DIR / "outbox"))

    # "Snel weg" (quick exit) on every page leaves for this neutral site at once.
    QUICK_EXIT_URL = os.environ.get("QUICK_EXIT_URL", "https://www.buienradar.nl/")

    # Where the portal lives, for links in e-mail sent by commands (outside a request).
    PORTAL_URL = os.environ.get("PORTAL_URL", "http://127.0.0.1:5000")

    # Links sent by e-mail expire after these many seconds.
    VERIFY_LINK_MAX_AGE = env_int("VERIFY_LINK_MAX_AGE", 48 * 3600)
    RESET_LINK_MAX_AGE = env_int("RESET_LINK_MAX_AGE", 3600)
    INVITATION_MAX_AGE = env_int("INVITATION_MAX_AGE", 7 * 24 * 3600)

    PASSWORD_MIN_LENGTH = 12
    # Argon2id cost; 0 means argon2-cffi's defaults (3 passes over 64 MiB).
    PASSWORD_HASH_TIME_COST = env_int("PASSWORD_HASH_TIME_COST", 0)
    PASSWORD_HASH_MEMORY_KIB = env_int("PASSWORD_HASH_MEMORY_KIB", 0)

    BABEL_DEFAULT_LOCALE = "nl"
    BABEL_DEFAULT_TIMEZONE = "Europe/Amsterdam"
    LANGUAGES = ("nl", "en")

    MAX_CONTENT_LENGTH = env_int("MAX_CONTENT_LENGTH", 25 * 1024 * 1024)

    # Attachments of applications: stored outside the web root under random names. Keep
    # ATTACHMENT_MAX_BYTES below MAX_CONTENT_LENGTH, so a file too large gets the step page's
    # own message instead of the 413 page.
    UPLOAD_DIR = os.environ.get("UPLOAD_DIR", str(INSTANCE_DIR / "uploads"))
    ATTACHMENT_MAX_BYTES = env_int("ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)
    ATTACHMENT_MAX_COUNT = env_int("ATTACHMENT_MAX_COUNT", 10)

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    PERMANENT_SESSION_LIFETIME = timedelta(hours=env_int("SESSION_HOURS", 8))

    # A form's CSRF token lasts as long as the log-in, so a long text typed slowly still saves.
    WTF_CSRF_TIME_LIMIT = None

    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_ENABLED = env_bool("RATELIMIT_ENABLED", True)
    LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "10 per minute;50 per hour")
    MAIL_RATE_LIMIT = os.environ.get("MAIL_RATE_LIMIT", "5 per minute;20 per hour")
    # Invitations e-mail an address the inviter chooses: per inviting account, and into one
    # organisation (a fund's staff invites more at the start of a round, hence per day).
    INVITATION_RATE_LIMIT = os.environ.get("INVITATION_RATE_LIMIT", "10 per hour;30 per day")
    ORGANISATION_INVITATION_RATE_LIMIT = os.environ.get(
        "ORGANISATION_INVITATION_RATE_LIMIT", "20 per day"
    )

    # The fund as sender: printed in every letter (letterhead and page footer) and in the site's
    # footer. The defaults are placeholders (a postcode that cannot exist, an .example domain)
    # that show at once that they still have to be set.
    FUND_POSTAL_ADDRESS = os.environ.get("FUND_POSTAL_ADDRESS", "Postbus 0000, 0000 AA Plaatsnaam")
    FUND_EMAIL = os.environ.get("FUND_EMAIL", "info@fondsopnaam.example")
    FUND_PHONE = os.environ.get("FUND_PHONE", "000 000 00 00")
    FUND_CONTACT = os.environ.get("FUND_CONTACT", "het team subsidies (naam nog instellen)")

    # Decision letters: the most seconds one letter may take to render to PDF (enforced with a
    # timer signal when rendering in the main thread, as gunicorn's sync workers do).
    LETTER_RENDER_SECONDS = env_int("LETTER_RENDER_SECONDS", 30)

    # Background work (issuing a round's letters) runs on a Huey task queue in separate worker
    # processes (`flask worker`). With REDIS_URL set the queue lives in Redis; otherwise in an
    # SQLite file, so the embedded default needs no extra server.
    REDIS_URL = os.environ.get("REDIS_URL", "")
    QUEUE_SQLITE_PATH = os.environ.get("QUEUE_SQLITE_PATH", str(INSTANCE_DIR / "queue.sqlite3"))
    QUEUE_NAME = os.environ.get("QUEUE_NAME", "fonds")
    # A letter batch with no progress for this many seconds is shown as stalled (its worker may
    # have stopped), and may be started again: only the missing letters are then issued.
    LETTER_BATCH_STALLED_SECONDS = env_int("LETTER_BATCH_STALLED_SECONDS", 120)

    # Where npm installed the NL Design System CSS (see package.json).
    NODE_MODULES_DIR = os.environ.get("NODE_MODULES_DIR", str(BASE_DIR / "node_modules"))


class DevelopmentConfig(Config):
    SECRET_KEY = Config.SECRET_KEY or "dev-only-not-secret"  # noqa: S105 - development only


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = "testing-not-secret"  # noqa: S105 - tests only
    SQLALCHEMY_DATABASE_URI = database_url(
        os.environ.get("TEST_DATABASE_URL", "sqlite:///:memory:")
    )
    WTF_CSRF_ENABLED = False
    RATELIMIT_ENABLED = False
    # A light Argon2id profile keeps the suite fast; production uses the full cost.
    PASSWORD_HASH_TIME_COST = 1
    PASSWORD_HASH_MEMORY_KIB = 1024


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"
    # No default database: production must say where its PostgreSQL lives.
    SQLALCHEMY_DATABASE_URI = database_url(os.environ.get("DATABASE_URL", ""))


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


# Settings production must not start without (checked in create_app).
REQUIRED_IN_PRODUCTION = ("SECRET_KEY", "SQLALCHEMY_DATABASE_URI")
