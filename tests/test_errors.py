"""Friendly error pages in both languages, never showing internals."""

import pytest
from flask_wtf import FlaskForm
from sqlalchemy import select

from fonds.auth.models import User
from fonds.extensions import db
from fonds.roles import Role

PAGES = {
    # status: (Dutch title, English title)
    403: ("U heeft geen toegang tot deze pagina", "You do not have access to this page"),
    404: ("Pagina niet gevonden", "Page not found"),
    413: ("Het bestand is te groot", "The file is too large"),
    500: ("Er ging bij ons iets mis", "Something went wrong on our side"),
}


@pytest.fixture
def error_app(app_factory):
    """An app with routes that fail in each way."""
    app = app_factory(MAX_CONTENT_LENGTH=1024, PROPAGATE_EXCEPTIONS=False)

    @app.route("/_test/upload", methods=["POST"])
    def upload():
        return str(len(FlaskForm().data))

    @app.route("/_test/crash", methods=["POST"])
    def crash():
        db.session.add(User(email="half@example.nl", name="Half", password_hash="x"))
        db.session.flush()
        raise RuntimeError("secret internal detail")

    return app


def request_for(client, status):
    if status == 403:
        client.post(
            "/account/login",
            data={"email": "a@example.nl", "password": "correct horse battery staple"},
        )
        return client.get("/people/")
    if status == 404:
        return client.get("/does-not-exist")
    if status == 413:
        return client.post("/_test/upload", data={"file": "x" * 5000})
    return client.post("/_test/crash")


@pytest.mark.parametrize("status", sorted(PAGES))
@pytest.mark.parametrize("language", ["nl", "en"])
def test_error_pages(error_app, make_user, status, language):
    make_user("a@example.nl", roles=[Role.APPLICANT])
    client = error_app.test_client()
    client.get(f"/language/{language}")
    response = request_for(client, status)
    assert response.status_code == status
    title = PAGES[status][0 if language == "nl" else 1]
    assert f'<html lang="{language}">' in response.text
    assert f'<h1 class="utrecht-heading-1">{title}</h1>' in response.text
    assert "Traceback" not in response.text and "secret internal detail" not in response.text
    # The layout is there: language switch and footer links.
    assert "/language/" in response.text and "/privacy" in response.text


def test_a_crash_saves_nothing(error_app, make_user):
    make_user("a@example.nl")
    error_app.test_client().post("/_test/crash")
    assert db.session.scalar(select(User).where(User.email == "half@example.nl")) is None
