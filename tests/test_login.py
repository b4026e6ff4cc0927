"""Log in, log out and password reset. None of them reveals whether an address has an account."""

import time

from itsdangerous import TimestampSigner

from fonds.auth.models import User
from fonds.extensions import db
from tests.conftest import PASSWORD

WRONG = "The e-mail address or the password is not right."


def test_log_in_and_out(english, make_user, log_in):
    make_user("anna@example.nl", name="Anna de Vries")
    response = log_in(english, "Anna@Example.nl ")
    assert response.status_code == 302
    assert response.headers["Location"] == "/account/"
    assert "Anna de Vries" in english.get("/account/").text
    assert User.by_email("anna@example.nl").last_login_at is not None

    response = english.post("/account/logout", follow_redirects=True)
    assert "You are logged out." in response.text
    assert english.get("/account/").status_code == 302


def test_a_log_in_expires(app_factory, make_user):
    """The session cookie of a log-in expires after the configured lifetime (here three hours,
    not the default eight)."""
    from datetime import UTC, datetime, timedelta
    from email.utils import parsedate_to_datetime
    from http.cookies import SimpleCookie

    lifetime = timedelta(hours=3)
    app = app_factory(PERMANENT_SESSION_LIFETIME=lifetime)
    client = app.test_client()
    make_user("anna@example.nl")
    before = datetime.now(UTC).replace(microsecond=0)
    response = client.post(
        "/account/login", data={"email": "anna@example.nl", "password": PASSWORD}
    )
    after = datetime.now(UTC)
    assert response.status_code == 302
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    morsel = SimpleCookie(cookie)[app.config["SESSION_COOKIE_NAME"]]
    assert morsel["expires"], f"the session cookie does not expire: {cookie}"
    expires = parsedate_to_datetime(morsel["expires"])
    # The cookie's expiry is the moment of logging in plus the lifetime (to the second).
    assert before + lifetime <= expires <= after + lifetime


def test_log_out_needs_post(english, make_user, log_in):
    make_user("anna@example.nl")
    log_in(english, "anna@example.nl")
    assert english.get("/account/logout").status_code == 405
    assert english.get("/account/").status_code == 200


def test_wrong_password_and_unknown_address_get_the_same_answer(english, make_user, log_in):
    make_user("anna@example.nl")
    wrong_password = log_in(english, "anna@example.nl", "not the password at all")
    unknown = log_in(english, "nobody@example.nl")
    assert wrong_password.status_code == unknown.status_code == 200
    assert WRONG in wrong_password.text and WRONG in unknown.text
    assert english.get("/account/").status_code == 302


def test_deactivated_account_cannot_log_in(english, make_user, log_in):
    user = make_user("anna@example.nl")
    user.active = False
    db.session.commit()
    assert WRONG in log_in(english, "anna@example.nl").text


def test_log_in_returns_to_the_page_asked_for_but_never_to_another_site(english, make_user):
    make_user("anna@example.nl")
    response = english.get("/account/")
    assert response.headers["Location"] == "/account/login?next=%2Faccount%2F"
    data = {"email": "anna@example.nl", "password": PASSWORD}
    response = english.post("/account/login?next=/organisations/1", data=data)
    assert response.headers["Location"] == "/organisations/1"
    english.post("/account/logout")
    for evil in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        response = english.post("/account/login", query_string={"next": evil}, data=data)
        assert response.headers["Location"] == "/account/", evil
        english.post("/account/logout")


def test_password_reset_by_mail(english, mailbox, make_user, log_in):
    make_user("anna@example.nl")
    response = english.post("/account/reset", data={"email": "anna@example.nl"})
    assert "If there is an account with this e-mail address" in response.text
    link = mailbox.link_to("anna@example.nl", "/account/reset/")

    response = english.post(link, data={"password": "short", "confirm": "short"})
    assert "Your password is too short. Use at least 12 characters" in response.text

    new = "a brand new long passphrase"
    response = english.post(link, data={"password": new, "confirm": new}, follow_redirects=True)
    assert "Your new password is saved. You can log in now." in response.text
    assert WRONG in log_in(english, "anna@example.nl").text
    assert log_in(english, "anna@example.nl", new).status_code == 302

    # A reset link works once.
    english.post("/account/logout")
    response = english.get(link)
    assert response.status_code == 400
    assert "not valid or was already used" in response.text


def test_reset_for_unknown_address_looks_the_same_and_sends_nothing(english, mailbox):
    response = english.post("/account/reset", data={"email": "nobody@example.nl"})
    assert response.status_code == 200
    assert "If there is an account with this e-mail address" in response.text
    assert mailbox.messages == []


def test_reset_verifies_an_unverified_address(english, mailbox, make_user, log_in):
    make_user("anna@example.nl", verified=False)
    english.post("/account/reset", data={"email": "anna@example.nl"})
    new = "a brand new long passphrase"
    english.post(
        mailbox.link_to("anna@example.nl", "/account/reset/"),
        data={"password": new, "confirm": new},
    )
    assert log_in(english, "anna@example.nl", new).headers["Location"] == "/account/"


def test_expired_reset_link(english, mailbox, make_user, monkeypatch):
    make_user("anna@example.nl")
    real = TimestampSigner.get_timestamp
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: int(time.time()) - 3601)
    english.post("/account/reset", data={"email": "anna@example.nl"})
    monkeypatch.setattr(TimestampSigner, "get_timestamp", real)
    response = english.get(mailbox.link_to("anna@example.nl", "/account/reset/"))
    assert response.status_code == 400
    assert "This link has expired." in response.text


def test_password_change_ends_other_sessions(app, english, mailbox, make_user, log_in):
    make_user("anna@example.nl")
    other_device = app.test_client()
    log_in(other_device, "anna@example.nl")
    assert other_device.get("/account/").status_code == 200

    english.post("/account/reset", data={"email": "anna@example.nl"})
    new = "a brand new long passphrase"
    english.post(
        mailbox.link_to("anna@example.nl", "/account/reset/"),
        data={"password": new, "confirm": new},
    )
    assert other_device.get("/account/").status_code == 302


def test_login_is_rate_limited(app_factory, make_user):
    app = app_factory(RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="3 per minute")
    client = app.test_client()
    make_user("anna@example.nl")
    for _ in range(3):
        data = {"email": "anna@example.nl", "password": "wrong password!!"}
        assert client.post("/account/login", data=data).status_code == 200
    response = client.post("/account/login", data=data)
    assert response.status_code == 429
    assert "Te veel pogingen" in response.text or "Too many attempts" in response.text


def test_behind_a_proxy_the_limit_is_per_visitor(app_factory, make_user):
    app = app_factory(RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="2 per minute", PROXY_COUNT=1)
    client = app.test_client()
    make_user("anna@example.nl")
    data = {"email": "anna@example.nl", "password": "wrong password!!"}

    def attempt(address):
        headers = {"X-Forwarded-For": address}
        return client.post("/account/login", data=data, headers=headers).status_code

    assert [attempt("203.0.113.1") for _ in range(3)] == [200, 200, 429]
    assert attempt("203.0.113.2") == 200


def test_production_hashes_use_the_full_argon2_cost(app_factory, make_user):
    from fonds.auth.passwords import hash_password

    app = app_factory(PASSWORD_HASH_TIME_COST=0, PASSWORD_HASH_MEMORY_KIB=0)
    with app.app_context():
        assert "$m=65536,t=3,p=4$" in hash_password("a long enough password")


def test_a_hash_with_old_parameters_is_upgraded_at_log_in(app_factory, make_user):
    app = app_factory(PASSWORD_HASH_TIME_COST=2, PASSWORD_HASH_MEMORY_KIB=2048)
    user = make_user("anna@example.nl")  # hashed with the test profile
    assert "$m=1024,t=1," in user.password_hash
    response = app.test_client().post(
        "/account/login", data={"email": "anna@example.nl", "password": PASSWORD}
    )
    assert response.status_code == 302
    db.session.refresh(user)
    assert "$m=2048,t=2," in user.password_hash
