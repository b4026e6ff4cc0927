"""Every route so far, for every kind of visitor: who gets the page, who is sent to log in, who is
refused (403) and who is told it does not exist (404, so existence is not revealed)."""

import pytest

from fonds.applications.attachments import store_attachment
from fonds.auth.models import Role
from fonds.extensions import db
from tests import files
from tests.conftest import PASSWORD

ROLES = ["anonymous", "applicant", "other_applicant", "reviewer", "admin"]
LOGIN = "login"

SEE = ("applicant", "admin")
# Pages of one application: its organisation's members and administrators see them.
MEMBERS_AND_ADMINS = {
    "anonymous": LOGIN,
    "applicant": 200,
    "other_applicant": 404,
    "reviewer": 404,
    "admin": 200,
}
# A change: done for the member, refused with a message for an administrator.
MAY_CHANGE = dict.fromkeys(SEE, 302)

# (method, path, {role: expected status, or LOGIN for a redirect to the log-in page})
ROUTES = [
    ("GET", "/", dict.fromkeys(ROLES, 200)),
    ("GET", "/privacy", dict.fromkeys(ROLES, 200)),
    ("GET", "/accessibility", dict.fromkeys(ROLES, 200)),
    ("GET", "/account/login", {"anonymous": 200} | dict.fromkeys(ROLES[1:], 302)),
    ("GET", "/account/register", {"anonymous": 200} | dict.fromkeys(ROLES[1:], 302)),
    ("GET", "/account/reset", dict.fromkeys(ROLES, 200)),
    ("GET", "/account/verify", dict.fromkeys(ROLES, 200)),
    ("GET", "/account/check-email", dict.fromkeys(ROLES, 200)),
    ("POST", "/account/register", {"anonymous": 200} | dict.fromkeys(ROLES[1:], 302)),
    ("POST", "/account/login", {"anonymous": 200} | dict.fromkeys(ROLES[1:], 302)),
    ("POST", "/account/verify", dict.fromkeys(ROLES, 302)),
    ("POST", "/account/reset", dict.fromkeys(ROLES, 200)),
    ("POST", "/account/reset/not-a-token", dict.fromkeys(ROLES, 400)),
    ("POST", "/account/invitation/not-a-token", dict.fromkeys(ROLES, 400)),
    ("GET", "/account/verify/not-a-token", dict.fromkeys(ROLES, 400)),
    ("GET", "/account/reset/not-a-token", dict.fromkeys(ROLES, 400)),
    ("GET", "/account/invitation/not-a-token", dict.fromkeys(ROLES, 400)),
    ("GET", "/language/en", dict.fromkeys(ROLES, 302)),
    ("GET", "/vendor/design-tokens.css", dict.fromkeys(ROLES, 200)),
    ("GET", "/static/fonds.css", dict.fromkeys(ROLES, 200)),
    ("GET", "/account/", {"anonymous": LOGIN} | dict.fromkeys(ROLES[1:], 200)),
    ("POST", "/account/logout", dict.fromkeys(ROLES, 302)),
    (
        "GET",
        "/organisations/{org}",
        {
            "anonymous": LOGIN,
            "applicant": 200,
            "other_applicant": 404,
            "reviewer": 404,
            "admin": 200,
        },
    ),
    (
        "POST",
        "/organisations/{org}/invite",
        {
            "anonymous": LOGIN,
            "applicant": 302,
            "other_applicant": 404,
            "reviewer": 404,
            "admin": 403,
        },
    ),
    ("GET", "/organisations/999999", {"anonymous": LOGIN} | dict.fromkeys(ROLES[1:], 404)),
    # Applications: {app} is a draft of the applicant's organisation, {attachment} one of its
    # files. Members and administrators see it; anyone else is told it does not exist.
    ("GET", "/applications/", {"anonymous": LOGIN} | dict.fromkeys(ROLES[1:], 200)),
    (
        "POST",
        "/applications/start?round_id={round}",
        {"anonymous": LOGIN} | dict.fromkeys(ROLES[1:], 302),
    ),
    ("GET", "/applications/{app}", MEMBERS_AND_ADMINS),
    ("GET", "/applications/{app}/steps/project", MEMBERS_AND_ADMINS),
    # Saving a step: the member saves; an administrator is refused with a message (302).
    ("POST", "/applications/{app}/steps/project", MEMBERS_AND_ADMINS | MAY_CHANGE),
    ("GET", "/applications/{app}/check", MEMBERS_AND_ADMINS),
    # Without the declarations the form is refused (422).
    ("POST", "/applications/{app}/submit", MEMBERS_AND_ADMINS | dict.fromkeys(SEE, 422)),
    # Not sent yet: to the status page.
    ("GET", "/applications/{app}/sent", MEMBERS_AND_ADMINS | dict.fromkeys(SEE, 302)),
    # An administrator cannot withdraw: sent to the status page with a message.
    ("GET", "/applications/{app}/withdraw", MEMBERS_AND_ADMINS | {"admin": 302}),
    ("POST", "/applications/{app}/withdraw", MEMBERS_AND_ADMINS | MAY_CHANGE),
    ("GET", "/applications/{app}/attachments", MEMBERS_AND_ADMINS),
    # Posting without a file asks for one (422); an administrator cannot change it (302).
    (
        "POST",
        "/applications/{app}/attachments",
        MEMBERS_AND_ADMINS | {"applicant": 422, "admin": 302},
    ),
    ("GET", "/applications/{app}/attachments/{attachment}", MEMBERS_AND_ADMINS),
    (
        "POST",
        "/applications/{app}/attachments/{attachment}/delete",
        MEMBERS_AND_ADMINS | MAY_CHANGE,
    ),
    ("GET", "/applications/{app}/attachments/999999", MEMBERS_AND_ADMINS | dict.fromkeys(SEE, 404)),
    (
        "GET",
        "/people/",
        {
            "anonymous": LOGIN,
            "applicant": 403,
            "other_applicant": 403,
            "reviewer": 403,
            "admin": 200,
        },
    ),
    (
        "POST",
        "/people/invite",
        {
            "anonymous": LOGIN,
            "applicant": 403,
            "other_applicant": 403,
            "reviewer": 403,
            "admin": 302,
        },
    ),
]

CASES = [
    pytest.param(method, path, role, expected, id=f"{method} {path} as {role}")
    for method, path, expectations in ROUTES
    for role, expected in expectations.items()
]


@pytest.fixture
def people(make_user, make_organisation, make_round, make_application):
    applicant = make_user("applicant@example.nl")
    make_user("other@example.nl")
    make_organisation("Other foundation", members=[])
    make_user("reviewer@example.nl", roles=[Role.REVIEWER])
    make_user("admin@example.nl", roles=[Role.ADMIN])
    organisation = make_organisation("Stichting Voorbeeld", members=[applicant])
    round_ = make_round()
    application = make_application(round_, organisation)
    attachment = store_attachment(application, files.png(), "logo.png", by=applicant)
    db.session.commit()
    return {
        "org": organisation.id,
        "round": round_.id,
        "app": application.id,
        "attachment": attachment.id,
    }


@pytest.mark.parametrize(("method", "path", "role", "expected"), CASES)
def test_route_access(client, people, mailbox, method, path, role, expected):
    emails = {
        "applicant": "applicant@example.nl",
        "other_applicant": "other@example.nl",
        "reviewer": "reviewer@example.nl",
        "admin": "admin@example.nl",
    }
    if role != "anonymous":
        assert (
            client.post(
                "/account/login", data={"email": emails[role], "password": PASSWORD}
            ).status_code
            == 302
        )
    data = {"email": "new.person@example.nl", "role": "reviewer"} if method == "POST" else None
    response = client.open(path.format(**people), method=method, data=data)
    if expected == LOGIN:
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/account/login?next=")
    else:
        assert response.status_code == expected
    # Only a successful invitation sends mail.
    invited = [m for m in mailbox.messages if m["To"] == "new.person@example.nl"]
    assert bool(invited) == (method == "POST" and "invite" in path and expected == 302)


PLACEHOLDERS = dict.fromkeys(("org", "round", "app", "attachment"), 1)


def test_every_route_is_in_the_table(app):
    """A new route must be added to ROUTES, so its access rules are decided and tested."""
    import re

    covered = set()
    for method, path, _expectations in ROUTES:
        for rule in app.url_map.iter_rules():
            pattern = "^" + re.sub(r"<[^>]+>", "[^/]+", rule.rule) + "$"
            if method in rule.methods and re.match(
                pattern, path.split("?")[0].format(**PLACEHOLDERS)
            ):
                covered.add((method, rule.rule))
    missing = [
        (method, rule.rule)
        for rule in app.url_map.iter_rules()
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"})
        if (method, rule.rule) not in covered
    ]
    assert missing == []
