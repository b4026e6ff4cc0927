"""CSRF protection is on outside tests: a form post without its token is refused with a clear
page, and nothing happens."""

import re

from fonds.auth.models import User
from tests.conftest import PASSWORD


def test_post_without_token_is_refused(app_factory, make_user):
    app = app_factory(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    make_user("anna@example.nl")
    response = client.post(
        "/account/login", data={"email": "anna@example.nl", "password": PASSWORD}
    )
    assert response.status_code == 400
    assert "Dit formulier is verlopen" in response.text
    assert client.get("/account/").status_code == 302


def test_post_with_token_from_the_form_works(app_factory, make_user):
    app = app_factory(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    make_user("anna@example.nl")
    token = re.search(
        r'name="csrf_token" type="hidden" value="([^"]+)"', client.get("/account/login").text
    ).group(1)
    response = client.post(
        "/account/login",
        data={"email": "anna@example.nl", "password": PASSWORD, "csrf_token": token},
    )
    assert response.status_code == 302
    # Log out is a form with its own token in the header.
    page = client.get("/account/").text
    logout_token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    assert client.post("/account/logout").status_code == 400
    assert client.post("/account/logout", data={"csrf_token": logout_token}).status_code == 302
    assert User.by_email("anna@example.nl") is not None


def test_registration_without_token_creates_nothing(app, app_factory, mailbox):
    app = app_factory(WTF_CSRF_ENABLED=True)
    data = {
        "name": "X",
        "email": "x@example.nl",
        "organisation": "Y",
        "password": PASSWORD,
        "confirm": PASSWORD,
        "privacy": "y",
    }
    assert app.test_client().post("/account/register", data=data).status_code == 400
    assert User.by_email("x@example.nl") is None
    assert mailbox.messages == []
