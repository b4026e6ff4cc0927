"""Each role lands on its work: after logging in (however that happens) an applicant sees their
applications, a reviewer their reviews and an administrator the rounds, where each round shows
the work waiting in it with a link to the page where that work is done."""

import html
import re
from datetime import timedelta

import pytest
from sqlalchemy import event

from fonds.columns import utcnow
from fonds.demo.builders import make_decision
from fonds.extensions import db
from fonds.letters.models import Letter
from fonds.roles import Role
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


# --- the work waiting in each round ------------------------------------------------------------


@pytest.fixture
def admin(make_user, english, log_in):
    user = make_user("admin@example.nl", name="Anna Admin", roles=[Role.ADMIN])
    make_user("ben@example.nl", name="Ben Beheer", roles=[Role.ADMIN])
    log_in(english, "admin@example.nl")
    return user


@pytest.fixture
def make_busy_round(make_round, make_user, make_organisation, make_application, make_review):
    """A round with work of every kind: 2 to screen, 1 of 2 being assessed still needs a
    reviewer (a conflict does not count), 1 decision to propose, 1 to confirm, and 1 of 2
    decided applications without its letter."""
    counter = iter(range(1, 10_000))

    def make(name: str, *, reviewers=None):
        round_ = make_round(name=name)
        if reviewers is None:
            reviewers = [
                make_user(f"r{next(counter)}@example.nl", name="R", roles=[Role.REVIEWER])
                for _ in range(3)
            ]
        member = make_user(f"lid{next(counter)}@example.nl", name="Lid")
        organisation = make_organisation(f"Stichting {next(counter)}", members=[member])

        def application(status, **values):
            number = next(counter)
            values = {
                "reference": f"FON-2027-{number:04d}",
                "submitted_at": utcnow() - timedelta(days=10),
                **values,
            }
            return make_application(round_, organisation, status=status, **values)

        application("submitted")
        application("submitted")
        application("draft", reference=None, submitted_at=None)  # not work for the fund yet
        application("info_requested")  # waits for the applicant
        enough, short = application("in_review"), application("in_review")
        make_review(enough, reviewers[0], submitted=False)
        make_review(enough, reviewers[1], conflict=None)
        make_review(short, reviewers[0], submitted=False)
        make_review(short, reviewers[2], conflict=True)
        application("reviewed")
        application("decision_proposed")
        proposer, decider = admin_pair()
        awarded, rejected = application("approved"), application("rejected")
        for decided in (awarded, rejected):
            make_decision(decided, proposer=proposer, decider=decider)
        db.session.commit()
        db.session.add(
            Letter(
                application_id=rejected.id,
                kind="rejection",
                title="Besluit",
                pdf=b"%PDF-1.7 letter",
                sha256="0" * 64,
                size=15,
                issued_by_id=proposer.id,
            )
        )
        db.session.commit()
        return round_

    return make


def admin_pair():
    from fonds.auth.models import User

    return User.by_email("admin@example.nl"), User.by_email("ben@example.nl")


def row_of(page: str, name: str) -> str:
    """The table row of the round with this name."""
    for row in re.findall(r"<tr.*?</tr>", page, flags=re.S):
        if f">{name}</a>" in row:
            return row
    raise AssertionError(f"no row for {name}")


def text_of(fragment: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html.unescape(fragment)).split())


def test_the_rounds_page_shows_the_work_waiting_with_links(
    admin, english, make_busy_round, make_round
):
    busy = make_busy_round("Van binnenuit 2027")
    make_round(name="Stille ronde")
    page = english.get("/rounds/manage").text

    row = row_of(page, "Van binnenuit 2027")
    # Each link names its round too, for screen readers that list the links of a page.
    links = {
        text_of(text).removesuffix(" Van binnenuit 2027"): html.unescape(href)
        for href, text in re.findall(r'<a class="utrecht-link" href="([^"]+)">(.*?)</a>', row)
    }
    assert links["2 applications to screen"] == f"/screening/rounds/{busy.id}"
    assert links["1 application still needs reviewers"] == f"/assignments/rounds/{busy.id}"
    assert links["1 decision to propose"] == f"/ranking/rounds/{busy.id}?status=reviewed"
    assert links["1 decision to confirm"] == f"/ranking/rounds/{busy.id}?status=decision_proposed"
    assert links["1 letter to issue"] == f"/letters/rounds/{busy.id}"

    # A round without work says so quietly: no row of zeros.
    quiet = text_of(row_of(page, "Stille ronde"))
    assert "No work waiting" in quiet
    assert not re.search(r"\b0 ", quiet), quiet


def test_the_rounds_page_in_dutch(client, admin, make_busy_round, log_in):
    make_busy_round("Van binnenuit 2027")
    client.get("/language/nl")
    row = text_of(row_of(client.get("/rounds/manage").text, "Van binnenuit 2027"))
    for text in (
        "2 aanvragen om te controleren",
        "1 aanvraag heeft nog beoordelaars nodig",
        "1 besluit om voor te stellen",
        "1 besluit om te bevestigen",
        "1 brief om te versturen",
    ):
        assert text in row, row


def test_the_rounds_page_needs_the_same_number_of_queries_for_more_rounds(
    app, admin, english, make_busy_round, make_user
):
    with app.app_context():  # the app that serves the requests has its own engine
        engine = db.engine
    reviewers = [
        make_user(f"reviewer{n}@example.nl", name=f"R{n}", roles=[Role.REVIEWER]) for n in range(3)
    ]

    def queries() -> int:
        statements = []

        def count(*args):
            statements.append(args[2])

        event.listen(engine, "before_cursor_execute", count)
        try:
            assert english.get("/rounds/manage").status_code == 200
        finally:
            event.remove(engine, "before_cursor_execute", count)
        return len(statements)

    make_busy_round("Ronde 1", reviewers=reviewers)
    one = queries()
    for number in range(2, 6):
        make_busy_round(f"Ronde {number}", reviewers=reviewers)
    assert queries() == one
    assert english.get("/rounds/manage").text.count("2 applications to screen") == 5
