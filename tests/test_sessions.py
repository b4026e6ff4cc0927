"""A session ends on the server side: a copied session cookie stops working after logging out,
after a password change and when the account is deactivated."""

from __future__ import annotations

from fonds.auth import operations as auth_ops
from fonds.extensions import db


def copied_session(app, email: str, log_in):
    """Log in and return a copy of the session cookie, as someone who copied it would have."""
    client = app.test_client()
    log_in(client, email)
    assert client.get("/account/").status_code == 200
    return client, client.get_cookie("session").value


def replay(app, cookie: str):
    thief = app.test_client()
    thief.set_cookie("session", cookie)
    return thief.get("/account/")


def test_a_copied_cookie_stops_working_after_logging_out(app, make_user, log_in):
    make_user("anna@example.nl")
    client, cookie = copied_session(app, "anna@example.nl", log_in)
    assert replay(app, cookie).status_code == 200  # the copy works while the session lasts
    assert client.post("/account/logout").status_code == 302
    response = replay(app, cookie)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/account/login")


def test_logging_in_again_after_logging_out_works(app, make_user, log_in):
    make_user("anna@example.nl")
    client, _ = copied_session(app, "anna@example.nl", log_in)
    client.post("/account/logout")
    log_in(client, "anna@example.nl")
    assert client.get("/account/").status_code == 200


def test_a_copied_cookie_stops_working_after_a_password_change(app, make_user, log_in):
    user = make_user("anna@example.nl")
    _, cookie = copied_session(app, "anna@example.nl", log_in)
    with app.test_request_context():
        auth_ops.set_password(db.session.merge(user), "een heel nieuw wachtwoord")
        db.session.commit()
    response = replay(app, cookie)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/account/login")


def test_a_copied_cookie_stops_working_when_the_account_is_deactivated(app, make_user, log_in):
    user = make_user("anna@example.nl")
    _, cookie = copied_session(app, "anna@example.nl", log_in)
    user.active = False
    db.session.commit()
    response = replay(app, cookie)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/account/login")
    # Made active again, the account needs a new log-in: the old session stays ended.
    user.active = True
    db.session.commit()
    response = replay(app, cookie)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/account/login")


def test_the_files_a_page_loads_leave_the_session_cookie_alone(app, make_user, log_in):
    """A late style sheet or script must not put back an older session (a flash already shown,
    a session that just ended): only pages renew the cookie."""
    make_user("anna@example.nl")
    client = app.test_client()
    log_in(client, "anna@example.nl")
    page = client.get("/account/")
    assert page.status_code == 200
    assert "session=" in page.headers.get("Set-Cookie", "")  # a page renews the log-in
    for path in ("/static/fonds.css", "/static/fonds.js", "/vendor/design-tokens.css"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert "Set-Cookie" not in response.headers, path
