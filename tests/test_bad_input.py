"""Bad input is refused with a message or "not found", never a server error, and never stored as
something else: ids too large for the database, malformed budget-line buttons, unsafe `next=`
targets, implausible dates, unbounded texts, digits of other scripts and unknown choices."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from fonds.extensions import db
from fonds.reviews.models import Review
from fonds.roles import Role
from tests.conftest import PASSWORD
from tests.test_access import ROUTES


def in_a_month() -> str:
    return (date.today() + timedelta(days=30)).strftime("%d-%m-%Y")


HUGE_IDS = ["99999999999999999999", str(2**63), str(2**31)]


@pytest.fixture
def objects(make_user, make_organisation, make_round, make_application, make_review):
    applicant = make_user("applicant@example.nl")
    reviewer = make_user("reviewer@example.nl", roles=[Role.REVIEWER])
    admin = make_user("admin@example.nl", roles=[Role.ADMIN])
    organisation = make_organisation("Stichting Voorbeeld", members=[applicant])
    round_ = make_round()
    draft = make_application(round_, organisation)
    sent = make_application(
        round_,
        organisation,
        status="in_review",
    )
    submitted = make_application(
        round_,
        organisation,
        status="submitted",
    )
    review = make_review(sent, reviewer, submitted=False, conflict=None)
    return {
        "applicant": applicant,
        "reviewer": reviewer,
        "admin": admin,
        "organisation": organisation,
        "round": round_,
        "draft": draft,
        "sent": sent,
        "submitted": submitted,
        "review": review,
    }


ID_ROUTES = sorted(
    {(method, path) for method, path, _ in ROUTES if "{" in path or "999999" in path}
)


@pytest.mark.parametrize("huge", HUGE_IDS)
@pytest.mark.parametrize("email", ["admin@example.nl", "applicant@example.nl"])
def test_an_id_too_large_for_the_database_is_not_found(client_of, objects, email, huge):
    """Every route with an id in its path, with an id above 32 and 64 bits: 404 (or 405 where
    the path then matches only another route with other methods)."""
    client = client_of(email)
    for method, path in ID_ROUTES:
        url = re.sub(r"\{[a-z]+\}|999999", huge, path.split("?")[0])
        response = client.open(url, method=method, data={"x": "1"})
        assert response.status_code in (404, 405), (method, url)


@pytest.mark.parametrize("huge", HUGE_IDS)
def test_a_round_id_too_large_in_the_query_is_not_found(client_of, objects, huge):
    client = client_of("applicant@example.nl")
    assert client.get(f"/applications/start?round_id={huge}").status_code == 404
    assert client.post(f"/applications/start?round_id={huge}").status_code == 404
    round_id = objects["round"].id
    response = client.post(
        f"/applications/start?round_id={round_id}", data={"organisation_id": huge}
    )
    assert response.status_code in (302, 404)


@pytest.mark.parametrize("huge", HUGE_IDS)
def test_ids_too_large_in_forms_are_refused_with_a_message(client_of, objects, huge):
    """The pool's `user`, an assignment's `assign-<id>-reviewer`: "choose a reviewer"."""
    client = client_of("admin@example.nl")
    round_id, sent_id = objects["round"].id, objects["sent"].id
    response = client.post(
        f"/assignments/rounds/{round_id}/pool", data={"user": huge}, follow_redirects=True
    )
    assert response.status_code == 200
    assert "Choose a reviewer to add." in response.text
    response = client.post(
        f"/assignments/applications/{sent_id}/assign",
        data={f"assign-{sent_id}-reviewer": huge, f"assign-{sent_id}-due_date": in_a_month()},
        follow_redirects=True,
    )
    assert response.status_code == 200
    assert "Choose a reviewer." in response.text
    count = db.session.scalar(select(func.count()).where(Review.application_id == sent_id))
    assert count == 1


@pytest.mark.parametrize("huge", HUGE_IDS)
def test_a_letter_to_replace_with_an_id_too_large_is_not_found(client_of, objects, huge):
    client = client_of("admin@example.nl")
    sent_id = objects["sent"].id
    response = client.post(f"/letters/applications/{sent_id}/issue", data={"replaces": huge})
    assert response.status_code == 404


# --- budget-line buttons ---------------------------------------------------------------------


@pytest.mark.parametrize("control", ["abc", "-1", "1_0", "", "٠", "99999999999999999999"])
def test_a_malformed_remove_line_shows_the_step_again_with_everything_typed(
    english, applicant, make_round, make_application, control
):
    application = make_application(make_round(), applicant[1], complete=False)
    data = {
        "start_date": "1-3-2027",
        "end_date": "1-12-2027",
        "amount_requested": "5.000",
        "lines-0-category": "venue",
        "lines-0-description": "Zaal in de wijk",
        "lines-0-amount": "3.600",
        "lines-1-category": "travel",
        "lines-1-description": "Reizen",
        "lines-1-amount": "300",
        "remove_line": control,
    }
    response = english.post(f"/applications/{application.id}/steps/planning", data=data)
    assert response.status_code == 200
    assert 'value="Zaal in de wijk"' in response.text
    assert 'value="Reizen"' in response.text
    assert 'value="1-3-2027"' in response.text


# --- next= -----------------------------------------------------------------------------------

UNSAFE_NEXT = [
    "/applications/\r\nSet-Cookie: x=1",
    "/account/%0d%0a",
    "/\t/evil.example",
    "/\n/evil.example",
    "/a\x00b",
    "/a\x7fb",
    "/a\u2028b",
    "https://evil.example/",
    "//evil.example/",
    "/\\evil.example",
    " //evil.example",
    "/" + "a" * 5000,
]


@pytest.mark.parametrize("target", UNSAFE_NEXT)
def test_an_unsafe_next_after_logging_in_goes_to_a_page_of_our_own(client, make_user, target):
    make_user("fatima@example.nl")
    response = client.post(
        "/account/login",
        query_string={"next": target},
        data={"email": "fatima@example.nl", "password": PASSWORD},
    )
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.startswith("/") and not location.startswith("//")
    assert not any(ord(c) < 32 or ord(c) == 127 for c in location)
    if target != "/account/%0d%0a":
        assert "evil" not in location and len(location) < 2100


@pytest.mark.parametrize("target", UNSAFE_NEXT)
def test_an_unsafe_next_on_the_language_switch_goes_to_a_page_of_our_own(client, target):
    response = client.get("/language/en", query_string={"next": target})
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.startswith("/") and not location.startswith("//")
    assert not any(ord(c) < 32 or ord(c) == 127 for c in location)
    if target != "/account/%0d%0a":
        assert "evil" not in location and len(location) < 2100


def test_a_safe_next_is_still_followed(client):
    response = client.get("/language/en", query_string={"next": "/rounds/1?x=é"})
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/rounds/1?x=")


# --- dates -----------------------------------------------------------------------------------


def planning_step(start: str, end: str) -> dict:
    return {
        "start_date": start,
        "end_date": end,
        "amount_requested": "3.000",
        "lines-0-category": "venue",
        "lines-0-description": "Zaal in de wijk",
        "lines-0-amount": "3.000",
    }


@pytest.mark.parametrize(
    ("months", "start", "end", "field"),
    [
        (18, "01-11-9999", "30-11-9999", "start_date"),  # 1 month, the letter cannot be made
        (24, "01-06-9999", "31-12-9999", "start_date"),  # the duration rule overflows
        (24, "01-06-9999", "", "start_date"),
        (18, "1-3-2027", "31-12-9999", "end_date"),
        (18, "1-1-0001", "1-2-0001", "start_date"),
        (18, "1-1-0099", "1-2-0099", "start_date"),
    ],
)
def test_an_implausible_project_date_is_refused_and_the_step_keeps_what_was_typed(
    english, applicant, make_round, make_application, months, start, end, field
):
    application = make_application(make_round(max_duration_months=months), applicant[1])
    response = english.post(
        f"/applications/{application.id}/steps/planning",
        data={**planning_step(start, end), "next": "1"},
    )
    assert response.status_code == 422
    assert "at most 5 years from today" in response.text or "Choose an end date" in response.text
    assert f'value="{start}"' in response.text and 'value="Zaal in de wijk"' in response.text
    assert re.search(rf'id="{field}-error"|aria-describedby="[^"]*{field}', response.text)
    db.session.refresh(application)
    assert application.start_date.year == 2027  # the saved dates stay


def test_the_latest_plausible_dates_are_accepted_and_every_derived_date_is_computable(
    english, applicant, make_round, make_application
):
    from dateutil.relativedelta import relativedelta

    from fonds.applications.forms import latest_project_end, latest_project_start
    from fonds.letters.context import report_deadline

    start, end = latest_project_start(), latest_project_end()
    assert start >= date.today() + relativedelta(years=5) - relativedelta(days=1)
    assert report_deadline(end) is not None
    application = make_application(make_round(max_duration_months=1), applicant[1])
    finish = start + relativedelta(months=1)
    response = english.post(
        f"/applications/{application.id}/steps/planning",
        data=planning_step(start.strftime("%d-%m-%Y"), finish.strftime("%d-%m-%Y")),
    )
    assert response.status_code == 302
    db.session.refresh(application)
    assert application.start_date == start


@pytest.mark.parametrize("day", ["31-12-9999", "1-1-2099"])
def test_a_review_due_date_or_an_answer_deadline_far_ahead_is_refused(client_of, objects, day):
    client = client_of("admin@example.nl")
    sent_id = objects["sent"].id
    response = client.post(
        f"/assignments/applications/{sent_id}/assign",
        data={
            f"assign-{sent_id}-reviewer": str(objects["admin"].id),
            f"assign-{sent_id}-due_date": day,
        },
        follow_redirects=True,
    )
    assert response.status_code == 200
    assert "Choose a date at most a year from today" in response.text
    submitted = objects["submitted"]
    response = client.post(
        f"/screening/{submitted.id}/request-info",
        data={
            "request_info-question": "Welke zaal?",
            "request_info-steps": ["planning"],
            "request_info-deadline": day,
            "request_info-version": str(submitted.version),
        },
    )
    assert response.status_code in (409, 422)
    assert "Choose a date at most a year from today" in response.text


# --- choices that were not offered -----------------------------------------------------------


def test_a_conflict_declaration_with_an_unknown_choice_is_refused(client_of, objects):
    client = client_of("reviewer@example.nl")
    review = objects["review"]
    response = client.post(f"/review/{review.id}/declare", data={"conflict": "maybe"})
    assert response.status_code == 422
    assert "Choose whether you have a conflict of interest." in response.text
    db.session.refresh(review)
    assert review.conflict is None and review.declared_at is None


def test_a_score_or_advice_that_was_not_offered_is_refused(client_of, objects):
    client = client_of("reviewer@example.nl")
    review = objects["review"]
    client.post(f"/review/{review.id}/declare", data={"conflict": "no"})
    criterion = objects["sent"].round.criteria[0]
    response = client.post(
        f"/review/{review.id}",
        data={f"score_{criterion.id}": "7", "recommendation": "maybe", "comment": "Goed."},
    )
    assert response.status_code == 422
    assert "Choose a score from 1 to 5." in response.text
    assert "Choose one of the advice options shown." in response.text
    db.session.refresh(review)
    assert review.recommendation is None and review.comment in (None, "")


@pytest.mark.parametrize(
    ("step", "data", "message"),
    [
        ("approach", {"focus": "everyone"}, "Choose who your project is mainly for."),
        ("approach", {"communities": ["moroccan", "martian"]}, "Choose communities from the list."),
        ("organisation", {"legal_form": "bv", "name": "X"}, "Choose the legal form"),
        (
            "planning",
            {"lines-0-category": "yacht", "lines-0-description": "Boot", "lines-0-amount": "5"},
            "Choose a category for this cost.",
        ),
    ],
)
def test_a_step_choice_that_was_not_offered_is_refused_and_not_saved(
    english, applicant, make_round, make_application, step, data, message
):
    application = make_application(make_round(), applicant[1])
    before = (application.focus, list(application.communities), application.budget_total)
    response = english.post(f"/applications/{application.id}/steps/{step}", data=data)
    assert response.status_code == 422
    assert message in response.text
    db.session.refresh(application)
    assert (application.focus, list(application.communities), application.budget_total) == before
    assert application.organisation.legal_form != "bv"


def test_a_publication_consent_that_was_not_offered_is_refused(
    english, applicant, make_round, make_application
):
    application = make_application(make_round(), applicant[1])
    response = english.post(
        f"/applications/{application.id}/submit",
        data={"declared_truthful": "y", "declared_privacy": "y", "publication_consent": "maybe"},
    )
    assert response.status_code == 422
    assert "Choose whether we may make your grant public: yes or no." in response.text
    db.session.refresh(application)
    assert application.status == "draft"


def test_an_invitation_with_a_role_that_was_not_offered_is_refused(client_of, objects, mailbox):
    client = client_of("admin@example.nl")
    response = client.post(
        "/people/invite",
        data={"email": "new@example.nl", "role": "superuser"},
        follow_redirects=True,
    )
    assert response.status_code in (200, 422)
    assert "Choose a role." in response.text
    assert not mailbox.to("new@example.nl")


def test_a_proposed_decision_that_was_not_offered_is_refused(
    client_of, objects, make_user, make_application, make_review
):
    sent = make_application(
        objects["round"],
        objects["organisation"],
        status="reviewed",
    )
    for email in ("r1@example.nl", "r2@example.nl"):
        make_review(sent, make_user(email, roles=[Role.REVIEWER]))
    client = client_of("admin@example.nl")
    response = client.post(
        f"/decisions/{sent.id}/propose",
        data={"outcome": "postpone", "motivation": "Goed plan.", "version": str(sent.version)},
    )
    assert response.status_code in (409, 422)
    assert "Choose award or reject." in response.text


# --- digits of other scripts, signs and underscores ------------------------------------------

ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


@pytest.mark.parametrize("script", [ARABIC_INDIC, FULL_WIDTH])
def test_kvk_phone_and_postcode_in_other_digits_are_stored_as_ascii_digits(
    english, applicant, make_round, make_application, script
):
    application = make_application(make_round(), applicant[1], complete=False)
    organisation = applicant[1]
    data = {
        "name": "Stichting Samen Sterk",
        "legal_form": "stichting",
        "kvk_number": "12345678".translate(script),
        "postcode": "1234 AB".translate(script),
        "contact_phone": "0612345678".translate(script),
    }
    response = english.post(f"/applications/{application.id}/steps/organisation", data=data)
    assert response.status_code == 302
    db.session.refresh(organisation)
    assert organisation.kvk_number == "12345678"
    assert organisation.contact_phone == "0612345678"
    assert organisation.postcode == "1234 AB"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [(" 5 ", 5), ("５", 5), ("٥", 5), ("+5", None), ("1_000", None), ("1e3", None), ("-5", None)],
)
def test_counts_are_digits_only_and_other_scripts_are_read_as_digits(
    english, applicant, make_round, make_application, typed, stored
):
    application = make_application(make_round(), applicant[1], complete=False)
    response = english.post(
        f"/applications/{application.id}/steps/reach",
        data={"participants": typed, "sessions": typed},
    )
    db.session.refresh(application)
    if stored is None:
        assert response.status_code == 422
        assert "Fill in a whole number with digits only, for example 40." in response.text
        assert application.participants is None and application.sessions is None
        assert f'value="{typed}"' in response.text
    else:
        assert response.status_code == 302
        assert (application.participants, application.sessions) == (stored, stored)


def test_an_amount_in_other_digits_is_read_as_digits(
    english, applicant, make_round, make_application
):
    application = make_application(make_round(), applicant[1], complete=False)
    response = english.post(
        f"/applications/{application.id}/steps/planning",
        data={
            "amount_requested": "٣٠٠٠",
            "lines-0-category": "venue",
            "lines-0-description": "Zaal",
            "lines-0-amount": "３０００",
        },
    )
    assert response.status_code == 302
    db.session.refresh(application)
    assert str(application.amount_requested) == "3000.00"
    assert str(application.budget_total) == "3000.00"


# --- bounded values --------------------------------------------------------------------------


def test_a_huge_title_is_refused_with_its_length_and_not_kept_whole(
    english, applicant, make_round, make_application
):
    application = make_application(make_round(), applicant[1])
    huge = "x" * 2_000_000
    response = english.post(
        f"/applications/{application.id}/steps/project",
        data={"title": huge, "summary": "Kort.", **{f"extra{n}": "y" for n in range(3000)}},
    )
    assert response.status_code == 422
    assert "is too long. Use at most 200 characters. You now have 2000000." in response.text
    db.session.refresh(application)
    assert application.title == "Gesprekken in de moskee"
    kept = application.pending_input["project"]
    assert len(kept) <= 2000
    assert sum(len(value) for _key, value in kept) < 100_000
    assert ["summary", "Kort."] in [list(pair) for pair in kept]


@pytest.mark.parametrize(
    ("url", "field", "data"),
    [
        ("/review/{review}/declare", "note", {"conflict": "yes"}),
        ("/screening/{submitted}/request-info", "request_info-question", {}),
        ("/screening/{submitted}/not-admissible", "not_admissible-reason", {}),
    ],
)
def test_long_texts_of_staff_are_refused_with_their_limit(client_of, objects, url, field, data):
    email = "reviewer@example.nl" if "review/" in url else "admin@example.nl"
    client = client_of(email)
    ids = {"review": objects["review"].id, "submitted": objects["submitted"].id}
    prefix = field.split("-")[0] + "-" if "-" in field else ""
    form = {
        field: "x" * 20_000,
        f"{prefix}version": str(objects["submitted"].version),
        f"{prefix}steps": "planning",
        f"{prefix}deadline": in_a_month(),
        **data,
    }
    response = client.post(url.format(**ids), data=form)
    assert response.status_code in (409, 422)
    assert "Use at most" in response.text and "You now have 20000." in response.text
    db.session.refresh(objects["review"])
    db.session.refresh(objects["submitted"])
    assert objects["review"].conflict is None
    assert objects["submitted"].status == "submitted"
