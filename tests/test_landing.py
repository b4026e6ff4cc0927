"""Each role lands on its work: after logging in (however that happens) an applicant sees their
applications, a reviewer their reviews and an administrator the rounds."""

import html
import re

import pytest

from fonds.auth.models import Role
from tests.conftest import PASSWORD

APPLICATIONS, REVIEWS, ROUNDS, ACCOUNT = "/applications/", "/review/", "/rounds/manage", "/account/"


@pytest.fixture
def person(make_user, make_organisation):
    """Someone with these roles, and a member of an organisation when `member` is true."""

    def make(roles, *, member: bool = False, email: str = "sam@example.nl"):
        user = make_user(email, name="Sam Jansen", roles=roles)
        if member:
            make_organisation("Stichting Samen Sterk", members=[user])
        return user

    return make


# (roles, member of an organisation, where they land). Administrator first, then reviewer,
# then applicant; someone with nothing to do yet lands on their account page.
LANDINGS = [
    ([Role.APPLICANT], True, APPLICATIONS),
    ([Role.REVIEWER], False, REVIEWS),
    ([Role.ADMIN], False, ROUNDS),
    ([Role.APPLICANT, Role.REVIEWER], True, REVIEWS),
    ([Role.REVIEWER, Role.ADMIN], False, ROUNDS),
    ([Role.APPLICANT, Role.REVIEWER, Role.ADMIN], True, ROUNDS),
    ([Role.APPLICANT], False, ACCOUNT),
    ([], False, ACCOUNT),
]


@pytest.mark.parametrize(("roles", "member", "landing"), LANDINGS)
def test_log_in_lands_on_the_persons_work(english, person, log_in, roles, member, landing):
    person(roles, member=member)
    response = log_in(english, "sam@example.nl")
    assert response.status_code == 302
    assert response.headers["Location"] == landing
    assert english.get(landing).status_code == 200
    # Logged in already: the log-in and registration pages send them to their work as well.
    assert english.get("/account/login").headers["Location"] == landing
    assert english.get("/account/register").headers["Location"] == landing


def test_a_safe_next_still_wins_and_another_site_never(english, person):
    person([Role.ADMIN])
    data = {"email": "sam@example.nl", "password": PASSWORD}
    response = english.post("/account/login?next=/people/", data=data)
    assert response.headers["Location"] == "/people/"
    english.post("/account/logout")
    for evil in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        response = english.post("/account/login", query_string={"next": evil}, data=data)
        assert response.headers["Location"] == ROUNDS, evil
        english.post("/account/logout")


def test_after_a_password_reset_the_log_in_lands_on_the_work(english, mailbox, person, log_in):
    person([Role.REVIEWER])
    english.post("/account/reset", data={"email": "sam@example.nl"})
    new = "a brand new long passphrase"
    response = english.post(
        mailbox.link_to("sam@example.nl", "/account/reset/"),
        data={"password": new, "confirm": new},
    )
    assert response.headers["Location"] == "/account/login"
    assert log_in(english, "sam@example.nl", new).headers["Location"] == REVIEWS


def test_after_verifying_the_log_in_lands_on_the_applications(english, mailbox):
    english.post(
        "/account/register",
        data={
            "name": "Fatima Bakkali",
            "email": "fatima@example.nl",
            "organisation": "Stichting Samen Sterk",
            "password": PASSWORD,
            "confirm": PASSWORD,
            "privacy": "y",
        },
    )
    response = english.get(mailbox.link_to("fatima@example.nl", "/account/verify/"))
    assert response.headers["Location"] == "/account/login"
    response = english.post(
        "/account/login", data={"email": "fatima@example.nl", "password": PASSWORD}
    )
    assert response.headers["Location"] == APPLICATIONS


@pytest.mark.parametrize(("role", "landing"), [("reviewer", REVIEWS), ("admin", ROUNDS)])
def test_accepting_an_invitation_lands_on_the_new_work(
    app, english, mailbox, person, log_in, role, landing
):
    person([Role.ADMIN], email="admin@example.nl")
    log_in(english, "admin@example.nl")
    english.post("/people/invite", data={"email": "sevda@example.nl", "role": role})
    link = mailbox.link_to("sevda@example.nl", "/account/invitation/")
    english.post("/account/logout")
    visitor = app.test_client()
    response = visitor.post(
        link, data={"name": "Sevda Yılmaz", "password": PASSWORD, "confirm": PASSWORD}
    )
    assert response.headers["Location"] == landing


def test_an_existing_account_accepting_an_invitation_lands_on_the_new_work(
    english, mailbox, person, make_user, log_in
):
    person([Role.ADMIN], email="admin@example.nl")
    make_user("hodan@example.nl", name="Hodan", roles=[Role.APPLICANT])
    log_in(english, "admin@example.nl")
    english.post("/people/invite", data={"email": "hodan@example.nl", "role": "reviewer"})
    link = mailbox.link_to("hodan@example.nl", "/account/invitation/")
    english.post("/account/logout")
    log_in(english, "hodan@example.nl")
    assert english.post(link).headers["Location"] == REVIEWS


@pytest.mark.parametrize(
    ("roles", "member", "landing", "label"),
    [
        ([Role.APPLICANT], True, APPLICATIONS, "Go to your applications"),
        ([Role.REVIEWER], False, REVIEWS, "Go to your reviews"),
        ([Role.ADMIN, Role.REVIEWER], True, ROUNDS, "Go to the rounds"),
        ([], False, ACCOUNT, "Go to your account"),
    ],
)
def test_the_start_page_takes_a_logged_in_person_to_their_work(
    english, person, log_in, roles, member, landing, label
):
    person(roles, member=member)
    log_in(english, "sam@example.nl")
    page = html.unescape(english.get("/").text)
    assert re.search(rf'href="{re.escape(landing)}"[^>]*>{label}</a>', page), page
