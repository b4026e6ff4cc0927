"""Password hashing with Argon2id (argon2-cffi), the scheme OWASP recommends first.

The cost comes from the configuration: argon2-cffi's defaults (64 MiB, 3 passes) unless
PASSWORD_HASH_MEMORY_KIB / PASSWORD_HASH_TIME_COST say otherwise; the test suite uses a light
profile. A hash made with other parameters is upgraded at the next log-in (needs_rehash)."""

from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app, has_app_context


@cache
def _hasher_for(time_cost: int, memory_kib: int) -> PasswordHasher:
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_kib)


def hasher() -> PasswordHasher:
    defaults = PasswordHasher()
    if not has_app_context():
        return _hasher_for(defaults.time_cost, defaults.memory_cost)
    config = current_app.config
    return _hasher_for(
        config.get("PASSWORD_HASH_TIME_COST") or defaults.time_cost,
        config.get("PASSWORD_HASH_MEMORY_KIB") or defaults.memory_cost,
    )


@cache
def _dummy_hash(h: PasswordHasher) -> str:
    # Verified against when no account matches, so a wrong address costs as much as a wrong
    # password.
    return h.hash("not-a-real-password-for-timing")


def hash_password(password: str) -> str:
    return hasher().hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    h = hasher()
    try:
        return h.verify(password_hash or _dummy_hash(h), password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return hasher().check_needs_rehash(password_hash)
