"""The step rescue keeps typed text over an ended session only when the post proves it came from
the person's own step page: a signed rescue token bound to the account, the application and the
step. A cross-site post, a made-up token or someone else's token keeps nothing, and what is kept
is bounded in size and number. CSRF protection is on, as in production."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from fonds.applications import rescue
from fonds.applications.models import RescuedInput
from fonds.extensions import db
from tests.conftest import PASSWORD


def step_url(application, step: str) -> str:
    return f"/applications/{application.id}/steps/{step}"


def hidden(page: str, name: str) -> str:
    match = re.search(rf'name="{name}" type="hidden" value="([^"]+)"', page) or re.search(
        rf'type="hidden" name="{name}" value="([^"]+)"', page
    )
    assert match, f"no hidden field {name} on the page"
    return match.group(1)


@pytest.fixture
def secure(app_factory):
    return app_factory(WTF_CSRF_ENABLED=True)


def logged_in(secure, email: str):
    client = secure.test_client()
    client.get("/language/en")
    page = client.get("/account/login").text
    response = client.post(
        "/account/login",
        data={"email": email, "password": PASSWORD, "csrf_token": hidden(page, "csrf_token")},
    )
    assert response.status_code == 302
    return client


def tokens_of(client, application, step: str) -> dict:
    """The CSRF and rescue tokens of a step page, as the person's browser holds them."""
    page = client.get(step_url(application, step)).text
    return {"csrf_token": hidden(page, "csrf_token"), "rescue_token": hidden(page, "rescue_token")}


def rows() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(RescuedInput))


def shown_after_login(secure, email, application, step: str, text: str) -> bool:
    client = logged_in(secure, email)
    return text in client.get(step_url(application, step)).text


@pytest.fixture
def fatima(make_user, make_organisation, make_round, make_application):
    user = make_user("fatima@example.nl")
    organisation = make_organisation(members=[user])
    application = make_application(make_round(), organisation, complete=False)
    return user, organisation, application


PLANTED = "Tekst van een aanvaller"


@pytest.mark.parametrize(
    "extra",
    [{}, {"rescue_token": "made-up"}, {"csrf_token": "made-up", "rescue_token": "made-up.x.y"}],
    ids=["no token", "made-up token", "made-up csrf and rescue token"],
)
def test_a_post_without_a_valid_rescue_token_keeps_nothing(secure, fatima, extra):
    _, _, application = fatima
    visitor = secure.test_client()
    response = visitor.post(step_url(application, "project"), data={"title": PLANTED, **extra})
    assert response.status_code == 400
    assert rows() == 0
    assert not shown_after_login(secure, "fatima@example.nl", application, "project", PLANTED)


def test_another_accounts_token_keeps_nothing_for_this_person(
    secure, fatima, make_user, make_organisation, make_application
):
    _, _, application = fatima
    mallory_account = make_user("mallory@example.nl")
    own = make_application(
        application.round,
        make_organisation("Stichting Ander", members=[mallory_account]),
        complete=False,
    )
    mallory = logged_in(secure, "mallory@example.nl")
    stolen = tokens_of(mallory, own, "project")

    # Her own token on Fatima's application: refused, the token is for another application.
    visitor = secure.test_client()
    response = visitor.post(
        step_url(application, "project"),
        data={"title": PLANTED, "rescue_token": stolen["rescue_token"]},
    )
    assert response.status_code == 400
    assert rows() == 0
    # Her token on her own application, posted in Fatima's browser: kept for Mallory only.
    fatimas_browser = secure.test_client()
    fatimas_browser.post(
        step_url(own, "project"), data={"title": PLANTED, "rescue_token": stolen["rescue_token"]}
    )
    page = fatimas_browser.get("/account/login").text
    fatimas_browser.post(
        "/account/login",
        data={
            "email": "fatima@example.nl",
            "password": PASSWORD,
            "csrf_token": hidden(page, "csrf_token"),
        },
    )
    assert PLANTED not in fatimas_browser.get(step_url(application, "project")).text
    # Logged in as Fatima, Mallory's token is not hers: nothing is kept.
    response = fatimas_browser.post(
        step_url(application, "project"),
        data={"title": PLANTED, "csrf_token": "stale", "rescue_token": stolen["rescue_token"]},
    )
    assert response.status_code == 400
    assert PLANTED not in fatimas_browser.get(step_url(application, "project")).text


def test_a_token_for_another_application_or_step_keeps_nothing(secure, fatima, make_application):
    _, organisation, application = fatima
    other = make_application(application.round, organisation, complete=False)
    client = logged_in(secure, "fatima@example.nl")
    for_other = tokens_of(client, other, "project")
    for_approach = tokens_of(client, application, "approach")
    client.delete_cookie("session")
    for token in (for_other["rescue_token"], for_approach["rescue_token"]):
        response = client.post(
            step_url(application, "project"), data={"title": PLANTED, "rescue_token": token}
        )
        assert response.status_code == 400
    assert rows() == 0


def test_a_valid_token_keeps_the_text_for_that_person(secure, fatima):
    _, _, application = fatima
    client = logged_in(secure, "fatima@example.nl")
    tokens = tokens_of(client, application, "project")
    client.delete_cookie("session")
    typed = "Samen sterk in de wijk"
    response = client.post(step_url(application, "project"), data={"title": typed, **tokens})
    assert response.status_code == 302
    assert rows() == 1
    assert shown_after_login(secure, "fatima@example.nl", application, "project", typed)
    assert rows() == 0  # given back once
    # Still logged in but with a stale form (another log-in renewed the session's CSRF token).
    client = logged_in(secure, "fatima@example.nl")
    tokens = tokens_of(client, application, "project")
    response = client.post(
        step_url(application, "project"),
        data={
            "title": "Na het verlopen",
            "csrf_token": "stale",
            "rescue_token": tokens["rescue_token"],
        },
    )
    assert response.status_code == 302
    assert "Na het verlopen" in client.get(step_url(application, "project")).text


def test_an_expired_rescue_token_keeps_nothing(secure, fatima, monkeypatch):
    _, _, application = fatima
    client = logged_in(secure, "fatima@example.nl")
    tokens = tokens_of(client, application, "project")
    client.delete_cookie("session")
    monkeypatch.setattr(rescue, "TOKEN_MAX_AGE", timedelta(seconds=-1))
    response = client.post(step_url(application, "project"), data={"title": PLANTED, **tokens})
    assert response.status_code == 400
    assert rows() == 0


def test_the_rescue_token_outlives_the_session(secure):
    hours = secure.config["PERMANENT_SESSION_LIFETIME"]
    assert hours < rescue.TOKEN_MAX_AGE
    assert rescue.MAX_AGE >= rescue.TOKEN_MAX_AGE


def test_oversized_input_is_not_kept(secure, fatima):
    _, _, application = fatima
    client = logged_in(secure, "fatima@example.nl")
    tokens = tokens_of(client, application, "project")
    client.delete_cookie("session")
    too_long = "x" * (rescue.MAX_VALUE_CHARS + 1)
    response = client.post(step_url(application, "project"), data={"title": too_long, **tokens})
    assert response.status_code == 400
    assert rows() == 0
    # Every value short enough, but together too much.
    many = {f"lines-{i}-description": "y" * 1000 for i in range(rescue.MAX_ROW_CHARS // 1000 + 1)}
    response = client.post(step_url(application, "planning"), data={**many, **tokens})
    assert response.status_code == 400
    assert rows() == 0


def test_the_number_of_kept_rows_is_bounded(secure, fatima, make_application):
    user, organisation, application = fatima
    applications = [application] + [
        make_application(application.round, organisation, complete=False) for _ in range(4)
    ]
    client = logged_in(secure, "fatima@example.nl")
    steps = ["organisation", "project", "approach", "reach", "planning"]
    tokens = {(a.id, s): tokens_of(client, a, s) for a in applications for s in steps}
    client.delete_cookie("session")
    for (application_id, step), pair in tokens.items():
        for attempt in range(2):  # the same step twice keeps one row, the newest
            client.post(
                f"/applications/{application_id}/steps/{step}",
                data={"title": f"tekst {attempt}", **pair},
            )
    assert rows() == rescue.MAX_ROWS_PER_ACCOUNT
    assert len(tokens) > rescue.MAX_ROWS_PER_ACCOUNT
    per_application = db.session.execute(
        select(RescuedInput.application_id, func.count()).group_by(RescuedInput.application_id)
    ).all()
    assert all(count <= rescue.MAX_ROWS_PER_APPLICATION for _, count in per_application)
    assert all(r.user_id == user.id for r in db.session.scalars(select(RescuedInput)))


def test_old_rows_expire(secure, fatima):
    _, _, application = fatima
    client = logged_in(secure, "fatima@example.nl")
    tokens = tokens_of(client, application, "project")
    client.delete_cookie("session")
    client.post(step_url(application, "project"), data={"title": "Oud", **tokens})
    row = db.session.scalars(select(RescuedInput)).one()
    row.created_at = row.created_at - rescue.MAX_AGE - timedelta(minutes=1)
    db.session.commit()
    assert not shown_after_login(secure, "fatima@example.nl", application, "project", "Oud")
    assert rows() == 0


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "Your changes were not saved"),
        ("nl", "Uw veranderingen zijn niet opgeslagen"),
    ],
)
def test_a_bad_csrf_token_gives_a_page_that_says_what_to_do(secure, fatima, language, expected):
    _, _, application = fatima
    client = logged_in(secure, "fatima@example.nl")
    client.get(f"/language/{language}")
    for url in (step_url(application, "project"), "/account/e-mail", "/applications/start"):
        response = client.post(url, data={"title": "Zonder token"})
        assert response.status_code == 400, url
        assert expected in response.text
