"""Every route so far, for every kind of visitor: who gets the page, who is sent to log in, who is
refused (403) and who is told it does not exist (404, so existence is not revealed)."""

from dataclasses import dataclass
from datetime import timedelta
from fnmatch import fnmatchcase

import pytest

from fonds.applications.attachments import store_attachment
from fonds.columns import utcnow
from fonds.decisions.models import Decision
from fonds.extensions import db
from fonds.reviews.models import Review
from fonds.roles import Role
from tests import files
from tests.conftest import login

ROLES = [
    "anonymous",
    "applicant",
    "other_applicant",
    "reviewer",
    "admin",
    "conflicted_reviewer",
    "second_admin",
]
LOGIN = "login"


@dataclass(frozen=True)
class To:
    """A redirect (302) to this address: the page reached on success, or the page a refusal
    sends one back to with its message. Placeholders as in the paths; {any} is any id."""

    location: str

    def matches(self, location: str, route_ids: dict) -> bool:
        return fnmatchcase(location, self.location.format(**route_ids, any="*"))


# Where a logged-in person lands who asks for the log-in or registration page: their dashboard.
HOME = {
    "applicant": To("/applications/"),
    "other_applicant": To("/account/"),
    "reviewer": To("/review/"),
    "admin": To("/rounds/manage"),
    "conflicted_reviewer": To("/review/"),
    "second_admin": To("/rounds/manage"),
}

# Members of the applying organisation and administrators see an organisation; other people are
# told it does not exist (404).
MEMBERS_AND_ADMINS = {
    "anonymous": LOGIN,
    "applicant": 200,
    "other_applicant": 404,
    "reviewer": 404,
    "admin": 200,
    "conflicted_reviewer": 404,
}
# A draft application is the organisation's own: administrators do not see it either.
MEMBERS_ONLY = MEMBERS_AND_ADMINS | {"admin": 404}
# Anonymous visitors log in first; logged-in people without the administrator role are refused.
ADMIN_ONLY = {
    "anonymous": LOGIN,
    "applicant": 403,
    "other_applicant": 403,
    "reviewer": 403,
    "conflicted_reviewer": 403,
}
# Review pages exist only for the assigned reviewer.
ONLY_THE_REVIEWER = {
    "anonymous": LOGIN,
    "applicant": 404,
    "other_applicant": 404,
    "reviewer": 200,
    "admin": 404,
    "conflicted_reviewer": 404,
}

# {conflicted_review} exists only for the reviewer who declared the conflict.
ONLY_THE_CONFLICTED = ONLY_THE_REVIEWER | {"reviewer": 404, "conflicted_reviewer": 404}

# (method, path, {role: expected status, LOGIN for a redirect to the log-in page, or To(where) for
# any other redirect})
ROUTES = [
    ("GET", "/", dict.fromkeys(ROLES, 200)),
    ("GET", "/privacy", dict.fromkeys(ROLES, 200)),
    ("GET", "/accessibility", dict.fromkeys(ROLES, 200)),
    ("GET", "/account/login", {"anonymous": 200} | HOME),
    ("GET", "/account/register", {"anonymous": 200} | HOME),
    ("GET", "/account/reset", dict.fromkeys(ROLES, 200)),
    ("GET", "/account/verify", dict.fromkeys(ROLES, 200)),
    ("GET", "/account/check-email", dict.fromkeys(ROLES, 200)),
    ("POST", "/account/register", {"anonymous": 200} | HOME),
    ("POST", "/account/login", {"anonymous": 200} | HOME),
    ("POST", "/account/verify", dict.fromkeys(ROLES, To("/account/check-email"))),
    ("POST", "/account/reset", dict.fromkeys(ROLES, 200)),
    ("POST", "/account/reset/not-a-token", dict.fromkeys(ROLES, 400)),
    ("POST", "/account/invitation/not-a-token", dict.fromkeys(ROLES, 400)),
    ("GET", "/account/verify/not-a-token", dict.fromkeys(ROLES, 400)),
    ("GET", "/account/reset/not-a-token", dict.fromkeys(ROLES, 400)),
    ("GET", "/account/invitation/not-a-token", dict.fromkeys(ROLES, 400)),
    ("GET", "/language/en", dict.fromkeys(ROLES, To("/"))),
    ("GET", "/vendor/design-tokens.css", dict.fromkeys(ROLES, 200)),
    ("GET", "/static/fonds.css", dict.fromkeys(ROLES, 200)),
    ("GET", "/account/", {"anonymous": LOGIN} | dict.fromkeys(ROLES[1:], 200)),
    ("POST", "/account/logout", dict.fromkeys(ROLES, To("/account/logged-out"))),
    ("GET", "/account/logged-out", {"anonymous": 200} | HOME),
    # The person's own choice of discreet or ordinary e-mail; without a choice: 422.
    ("POST", "/account/e-mail", {"anonymous": LOGIN} | dict.fromkeys(ROLES[1:], 422)),
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
            "applicant": To("/organisations/{org}"),
            "other_applicant": 404,
            "reviewer": 404,
            "admin": 403,
        },
    ),
    ("GET", "/organisations/{org}/details", MEMBERS_AND_ADMINS | {"admin": 403}),
    (
        "POST",
        "/organisations/{org}/details",
        MEMBERS_AND_ADMINS | {"applicant": To("/organisations/{org}"), "admin": 403},
    ),
    ("GET", "/organisations/999999", {"anonymous": LOGIN} | dict.fromkeys(ROLES[1:], 404)),
    ("GET", "/applications/", {"anonymous": LOGIN} | dict.fromkeys(ROLES[1:], 200)),
    # Without an organisation there is nothing to start: back to the dashboard with a message.
    (
        "GET",
        "/applications/start?round_id={round}",
        {"anonymous": LOGIN, "applicant": 200} | dict.fromkeys(ROLES[2:], To("/applications/")),
    ),
    (
        "POST",
        "/applications/start?round_id={round}",
        {"anonymous": LOGIN, "applicant": To("/applications/{any}/steps/organisation")}
        | dict.fromkeys(ROLES[2:], To("/applications/")),
    ),
    # {app} is a draft of the applicant's organisation, {attachment} one of its files, {sent} a
    # sent application. A draft is the organisation's own; anyone else is told it does not exist.
    ("GET", "/applications/{app}", MEMBERS_ONLY),
    ("GET", "/applications/{app}/steps/project", MEMBERS_ONLY),
    (
        "POST",
        "/applications/{app}/steps/project",
        MEMBERS_ONLY | {"applicant": To("/applications/{app}/steps/project")},
    ),
    ("GET", "/applications/{app}/check", MEMBERS_ONLY),
    # Without the declarations the form is refused (422).
    ("POST", "/applications/{app}/submit", MEMBERS_ONLY | {"applicant": 422}),
    # Not sent yet: to the status page.
    ("GET", "/applications/{app}/sent", MEMBERS_ONLY | {"applicant": To("/applications/{app}")}),
    # A draft is deleted, not withdrawn: back to its page with a message. {sent} can be.
    (
        "GET",
        "/applications/{app}/withdraw",
        MEMBERS_ONLY | {"applicant": To("/applications/{app}")},
    ),
    (
        "POST",
        "/applications/{app}/withdraw",
        MEMBERS_ONLY | {"applicant": To("/applications/{app}")},
    ),
    (
        "GET",
        "/applications/{sent}/withdraw",
        MEMBERS_AND_ADMINS | {"admin": To("/applications/{sent}")},
    ),
    ("GET", "/applications/{app}/delete", MEMBERS_ONLY),
    ("POST", "/applications/{app}/delete", MEMBERS_ONLY | {"applicant": To("/applications/")}),
    (
        "GET",
        "/applications/{sent}/delete",
        MEMBERS_AND_ADMINS | dict.fromkeys(("applicant", "admin"), To("/applications/{sent}")),
    ),
    ("GET", "/applications/{app}/attachments", MEMBERS_ONLY),
    # Posting without a file asks for one (422).
    ("POST", "/applications/{app}/attachments", MEMBERS_ONLY | {"applicant": 422}),
    ("GET", "/applications/{app}/attachments/{attachment}", MEMBERS_ONLY),
    (
        "POST",
        "/applications/{app}/attachments/{attachment}/delete",
        MEMBERS_ONLY | {"applicant": To("/applications/{app}/attachments")},
    ),
    ("GET", "/applications/{app}/attachments/999999", MEMBERS_ONLY | {"applicant": 404}),
    ("GET", "/applications/{sent}", MEMBERS_AND_ADMINS),
    ("GET", "/applications/{sent}/check", MEMBERS_AND_ADMINS),
    ("GET", "/applications/999999", {"anonymous": LOGIN} | dict.fromkeys(ROLES[1:], 404)),
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
            "admin": To("/people/"),
        },
    ),
    # Rounds: the page of a round is public; managing rounds is for administrators. The POSTs
    # here send data that is not a round, so the form comes back with its errors (422).
    ("GET", "/rounds/{round}", dict.fromkeys(ROLES, 200)),
    ("GET", "/rounds/999999", dict.fromkeys(ROLES, 404)),
    ("GET", "/rounds/manage", ADMIN_ONLY | {"admin": 200}),
    ("GET", "/rounds/new", ADMIN_ONLY | {"admin": 200}),
    ("POST", "/rounds/new", ADMIN_ONLY | {"admin": 422}),
    ("GET", "/rounds/{round}/edit", ADMIN_ONLY | {"admin": 200}),
    ("POST", "/rounds/{round}/edit", ADMIN_ONLY | {"admin": 422}),
    ("GET", "/rounds/999999/edit", ADMIN_ONLY | {"admin": 404}),
    ("GET", "/rounds/{round}/close", ADMIN_ONLY | {"admin": 200}),
    ("POST", "/rounds/{round}/close", ADMIN_ONLY | {"admin": To("/rounds/manage")}),
    ("POST", "/rounds/999999/close", ADMIN_ONLY | {"admin": 404}),
    # Screening is for administrators; a draft is not shown to them (404). The POSTs here carry
    # no version: the eligible action is refused as out of date (back to the page), the others
    # miss their text (422).
    ("GET", "/screening/rounds/{round}", ADMIN_ONLY | {"admin": 200}),
    ("GET", "/screening/rounds/999999", ADMIN_ONLY | {"admin": 404}),
    ("GET", "/screening/{sent}", ADMIN_ONLY | {"admin": 200}),
    ("GET", "/screening/{app}", ADMIN_ONLY | {"admin": 404}),
    ("GET", "/screening/999999", ADMIN_ONLY | {"admin": 404}),
    ("POST", "/screening/{sent}/eligible", ADMIN_ONLY | {"admin": 409}),
    ("POST", "/screening/{app}/eligible", ADMIN_ONLY | {"admin": 404}),
    ("POST", "/screening/{sent}/not-admissible", ADMIN_ONLY | {"admin": 422}),
    ("POST", "/screening/{app}/not-admissible", ADMIN_ONLY | {"admin": 404}),
    ("POST", "/screening/{sent}/request-info", ADMIN_ONLY | {"admin": 422}),
    ("POST", "/screening/{app}/request-info", ADMIN_ONLY | {"admin": 404}),
    ("GET", "/ranking/rounds/{round}", ADMIN_ONLY | {"admin": 200}),
    ("GET", "/ranking/rounds/999999", ADMIN_ONLY | {"admin": 404}),
    ("GET", "/ranking/rounds/{round}.csv", ADMIN_ONLY | {"admin": 200}),
    ("GET", "/decisions/{sent}", ADMIN_ONLY | {"admin": 200}),
    ("GET", "/decisions/{app}", ADMIN_ONLY | {"admin": 404}),
    ("POST", "/decisions/{sent}/propose", ADMIN_ONLY | {"admin": 422}),
    ("POST", "/decisions/{app}/propose", ADMIN_ONLY | {"admin": 404}),
    # Without a proposal there is nothing to confirm: back to the decision page with a message.
    ("GET", "/decisions/{sent}/confirm", ADMIN_ONLY | {"admin": To("/decisions/{sent}")}),
    ("POST", "/decisions/{sent}/confirm", ADMIN_ONLY | {"admin": 409}),
    ("POST", "/decisions/{sent}/send-back", ADMIN_ONLY | {"admin": 422}),
    # {proposed}: proposed by the administrator, so only the second administrator may confirm
    # it; the proposer is sent back to the decision page with the reason.
    ("GET", "/decisions/{proposed}", ADMIN_ONLY | {"admin": 200}),
    (
        "GET",
        "/decisions/{proposed}/confirm",
        ADMIN_ONLY | {"admin": To("/decisions/{proposed}"), "second_admin": 200},
    ),
    ("POST", "/decisions/{proposed}/confirm", ADMIN_ONLY | {"admin": 409, "second_admin": 409}),
    ("POST", "/decisions/{proposed}/send-back", ADMIN_ONLY | {"admin": 422}),
    # Letter previews are for administrators; an application without a decided status has no
    # letter (404). The 200 of a decided one is in test_letters_render.py.
    ("GET", "/letters/applications/{sent}/preview", ADMIN_ONLY | {"admin": 404}),
    ("GET", "/letters/applications/{sent}/preview.pdf", ADMIN_ONLY | {"admin": 404}),
    ("GET", "/letters/applications/999999/preview", ADMIN_ONLY | {"admin": 404}),
    # Issuing a letter for an application without a decision is refused with a message (back to
    # its page), also its confirmation question; a letter that does not exist is not found, for
    # everyone who is logged in.
    ("GET", "/letters/applications/{sent}/issue", ADMIN_ONLY | {"admin": To("/decisions/{sent}")}),
    ("GET", "/letters/applications/{app}/issue", ADMIN_ONLY | {"admin": 404}),
    ("POST", "/letters/applications/{sent}/issue", ADMIN_ONLY | {"admin": To("/decisions/{sent}")}),
    ("POST", "/letters/applications/{app}/issue", ADMIN_ONLY | {"admin": 404}),
    ("GET", "/letters/999999.pdf", {"anonymous": LOGIN} | dict.fromkeys(ROLES[1:], 404)),
    # A round's letters: issuing all of a round without decisions is refused with a message
    # (back to the page); the progress of a run that does not exist is not found.
    ("GET", "/letters/rounds/{round}", ADMIN_ONLY | {"admin": 200}),
    ("GET", "/letters/rounds/999999", ADMIN_ONLY | {"admin": 404}),
    (
        "GET",
        "/letters/rounds/{round}/issue-all",
        ADMIN_ONLY | {"admin": To("/letters/rounds/{round}")},
    ),
    (
        "POST",
        "/letters/rounds/{round}/issue-all",
        ADMIN_ONLY | {"admin": To("/letters/rounds/{round}")},
    ),
    ("POST", "/letters/rounds/999999/issue-all", ADMIN_ONLY | {"admin": 404}),
    ("GET", "/letters/batches/999999/progress.json", ADMIN_ONLY | {"admin": 404}),
    # Reviewing: the dashboard is for reviewers; {review} is the reviewer's assignment to {sent},
    # not declared yet. Anyone else is told it does not exist, administrators too. Posting the
    # scoring form before the declaration is refused (back to the page); the declaration without
    # a choice asks for one (422).
    ("GET", "/review/", ADMIN_ONLY | {"reviewer": 200, "conflicted_reviewer": 200, "admin": 403}),
    ("GET", "/review/{review}", ONLY_THE_REVIEWER),
    ("POST", "/review/{review}", ONLY_THE_REVIEWER | {"reviewer": To("/review/{review}")}),
    ("POST", "/review/{review}/declare", ONLY_THE_REVIEWER | {"reviewer": 422}),
    # The confirmation before submitting: not declared yet, so the reviewer is sent back.
    ("GET", "/review/{review}/confirm", ONLY_THE_REVIEWER | {"reviewer": To("/review/{review}")}),
    ("POST", "/review/{review}/confirm", ONLY_THE_REVIEWER | {"reviewer": To("/review/{review}")}),
    ("GET", "/review/999999", ONLY_THE_REVIEWER | {"reviewer": 404}),
    # {conflicted_review}: after declaring a conflict the reviewer still sees the page (without
    # the application); scoring, declaring again and submitting are refused (back to the page).
    ("GET", "/review/{conflicted_review}", ONLY_THE_CONFLICTED | {"conflicted_reviewer": 200}),
    (
        "POST",
        "/review/{conflicted_review}",
        ONLY_THE_CONFLICTED | {"conflicted_reviewer": To("/review/{conflicted_review}")},
    ),
    (
        "POST",
        "/review/{conflicted_review}/declare",
        ONLY_THE_CONFLICTED | {"conflicted_reviewer": To("/review/{conflicted_review}")},
    ),
    (
        "GET",
        "/review/{conflicted_review}/confirm",
        ONLY_THE_CONFLICTED | {"conflicted_reviewer": To("/review/{conflicted_review}")},
    ),
    (
        "POST",
        "/review/{conflicted_review}/confirm",
        ONLY_THE_CONFLICTED | {"conflicted_reviewer": To("/review/{conflicted_review}")},
    ),
    # The rubric of a round is for administrators. The POST here sends no criteria, so the form
    # comes back with its error (422).
    ("GET", "/rounds/{round}/rubric", ADMIN_ONLY | {"admin": 200}),
    ("POST", "/rounds/{round}/rubric", ADMIN_ONLY | {"admin": 422}),
    ("GET", "/rounds/999999/rubric", ADMIN_ONLY | {"admin": 404}),
    # Reviewer pools and assignments are for administrators. The POSTs here choose nobody, so
    # the administrator is sent back to the page with a message (302); a draft is not shown
    # (404).
    ("GET", "/assignments/rounds/{round}", ADMIN_ONLY | {"admin": 200}),
    ("GET", "/assignments/rounds/999999", ADMIN_ONLY | {"admin": 404}),
    (
        "POST",
        "/assignments/rounds/{round}/pool",
        ADMIN_ONLY | {"admin": To("/assignments/rounds/{round}#pool")},
    ),
    ("POST", "/assignments/rounds/{round}/pool/999999/remove", ADMIN_ONLY | {"admin": 404}),
    (
        "POST",
        "/assignments/rounds/{round}/auto",
        ADMIN_ONLY | {"admin": To("/assignments/rounds/{round}")},
    ),
    (
        "POST",
        "/assignments/applications/{sent}/assign",
        ADMIN_ONLY | {"admin": To("/assignments/rounds/{round}#application-{sent}")},
    ),
    ("POST", "/assignments/applications/{app}/assign", ADMIN_ONLY | {"admin": 404}),
    ("POST", "/assignments/reviews/999999/remove", ADMIN_ONLY | {"admin": 404}),
]

# The reviewer with a declared conflict and the second administrator differ from the reviewer and
# the administrator only where their row names them: elsewhere they get the same answer.
AS_WHOM = {"conflicted_reviewer": "reviewer", "second_admin": "admin"}


def complete(expectations: dict) -> dict:
    # A bare 302 does not say whether it is success or refusal: the table says where to (To).
    assert 302 not in expectations.values()
    return {
        role: expectations[role] if role in expectations else expectations[AS_WHOM[role]]
        for role in ROLES
    }


CASES = [
    pytest.param(method, path, role, expected, id=f"{method} {path} as {role}")
    for method, path, expectations in ROUTES
    for role, expected in complete(expectations).items()
]


@pytest.fixture
def route_ids(world, make_user, make_organisation, make_round, make_application):
    """The people of the table and the ids its paths are formatted with ({app}, {org}, ...),
    built once and given back to every case (see `world` in conftest)."""
    return world(
        "access table", lambda: build(make_user, make_organisation, make_round, make_application)
    )


def build(make_user, make_organisation, make_round, make_application) -> dict[str, int]:
    applicant = make_user("applicant@example.nl")
    make_user("other@example.nl")
    make_organisation("Other foundation", members=[])
    reviewer = make_user("reviewer@example.nl", roles=[Role.REVIEWER])
    conflicted = make_user("conflicted@example.nl", roles=[Role.REVIEWER])
    admin = make_user("admin@example.nl", roles=[Role.ADMIN])
    make_user("admin2@example.nl", roles=[Role.ADMIN])
    organisation = make_organisation("Stichting Voorbeeld", members=[applicant])
    round_ = make_round()
    application = make_application(round_, organisation)
    sent = make_application(
        round_,
        organisation,
        status="submitted",
    )
    # {proposed}: a decision proposed by the (first) administrator, for a second one to confirm.
    proposed = make_application(
        round_,
        organisation,
        status="decision_proposed",
    )
    attachment = store_attachment(application, files.png(), "logo.png", by=applicant)
    due = utcnow() + timedelta(days=14)
    review = Review(application=sent, reviewer=reviewer, due_at=due)
    # {conflicted_review}: the conflicted reviewer declared a conflict of interest with {sent}.
    conflicted_review = Review(
        application=sent, reviewer=conflicted, due_at=due, conflict=True, declared_at=utcnow()
    )
    decision = Decision(
        application_id=proposed.id,
        outcome="reject",
        motivation="Past niet bij de regeling.",
        proposed_by_id=admin.id,
    )
    db.session.add_all([review, conflicted_review, decision])
    db.session.commit()
    return {
        "org": organisation.id,
        "round": round_.id,
        "app": application.id,
        "attachment": attachment.id,
        "sent": sent.id,
        "review": review.id,
        "conflicted_review": conflicted_review.id,
        "proposed": proposed.id,
    }


# The session cookie of each role's log-in in the kept world: every case starts from the same
# rows (the same accounts and session versions), so the log-in of the first case holds for the
# others, and each case makes only the request it is about.
_sessions: dict[str, str] = {}


def log_in_as(client, email: str) -> None:
    if email not in _sessions:
        assert login(client, email).status_code == 302
        _sessions[email] = client.get_cookie("session").value
    client.set_cookie("session", _sessions[email])


@pytest.mark.parametrize(("method", "path", "role", "expected"), CASES)
def test_route_access(client, route_ids, mailbox, method, path, role, expected):
    emails = {
        "applicant": "applicant@example.nl",
        "other_applicant": "other@example.nl",
        "reviewer": "reviewer@example.nl",
        "admin": "admin@example.nl",
        "conflicted_reviewer": "conflicted@example.nl",
        "second_admin": "admin2@example.nl",
    }
    if role != "anonymous":
        log_in_as(client, emails[role])
    data = {"email": "new.person@example.nl", "role": "reviewer"} if method == "POST" else None
    response = client.open(path.format(**route_ids), method=method, data=data)
    if expected == LOGIN:
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/account/login?next=")
    elif isinstance(expected, To):
        assert response.status_code == 302
        assert expected.matches(response.headers["Location"], route_ids), response.headers[
            "Location"
        ]
    else:
        assert response.status_code == expected
    # Only a successful invitation sends mail.
    invited = [m for m in mailbox.messages if m["To"] == "new.person@example.nl"]
    assert bool(invited) == (method == "POST" and "invite" in path and isinstance(expected, To))


PLACEHOLDERS = dict.fromkeys(
    ("org", "round", "app", "attachment", "sent", "review", "conflicted_review", "proposed"), 1
)


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
