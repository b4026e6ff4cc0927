"""Registration and e-mail verification, with links read from the real SMTP server."""

import time

import pytest
from itsdangerous import TimestampSigner
from sqlalchemy import select

from fonds.auth.models import User
from fonds.extensions import db
from fonds.organisations.models import Organisation
from fonds.roles import Role
from tests.conftest import PASSWORD

FORM = {
    "name": "Fatima Bakkali",
    "email": "Fatima@Example.nl",
    "organisation": "Stichting Samen Sterk",
    "password": PASSWORD,
    "confirm": PASSWORD,
    "privacy": "y",
}


def register(client, **changes):
    return client.post("/account/register", data={**FORM, **changes})


def test_registration_creates_unverified_applicant_with_organisation(english, mailbox):
    response = register(english)
    assert response.status_code == 302
    assert response.headers["Location"] == "/account/check-email"

    user = User.by_email("fatima@example.nl")
    assert user is not None and user.email == "fatima@example.nl"
    assert user.has_role(Role.APPLICANT) and not user.has_role(Role.ADMIN)
    assert not user.is_verified
    assert [o.name for o in user.organisations] == ["Stichting Samen Sterk"]
    assert user.password_hash.startswith("$argon2id$")

    message = mailbox.last_to("fatima@example.nl")
    assert message["Subject"] == "Confirm your e-mail address"
    assert "/account/verify/" in mailbox.body(message)


def test_verification_link_from_mail_lets_the_person_log_in(english, mailbox, log_in):
    register(english)
    assert "First confirm your e-mail address" in log_in(english, "fatima@example.nl").text

    link = mailbox.link_to("fatima@example.nl", "/account/verify/")
    response = english.get(link, follow_redirects=True)
    assert "Your e-mail address is confirmed. You can log in now." in response.text
    assert User.by_email("fatima@example.nl").is_verified

    response = log_in(english, "fatima@example.nl")
    assert response.status_code == 302
    page = english.get("/account/").text
    assert "Fatima Bakkali" in page and "Stichting Samen Sterk" in page


def test_log_in_before_verifying_sends_a_new_link(english, mailbox, log_in):
    register(english)
    mailbox.clear()
    response = log_in(english, "fatima@example.nl")
    assert response.status_code == 200
    assert "We have sent you a new link" in response.text
    assert "/account/verify/" in mailbox.body(mailbox.last_to("fatima@example.nl"))
    assert english.get("/account/").status_code == 302  # still not logged in


def test_registering_a_known_address_reveals_nothing_and_warns_the_owner(
    english, mailbox, make_user
):
    make_user("fatima@example.nl", name="Fatima")
    response = register(english, name="Someone Else")
    assert response.headers["Location"] == "/account/check-email"
    assert db.session.scalar(select(db.func.count()).select_from(User)) == 1
    assert db.session.scalar(select(db.func.count()).select_from(Organisation)) == 0
    # In the owner's language (Dutch), not the visitor's.
    message = mailbox.last_to("fatima@example.nl")
    assert message["Subject"] == "Over uw account"
    assert "/account/login" in mailbox.body(message)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": ""}, "name", "Enter your name."),
        ({"email": ""}, "email", "Enter your e-mail address."),
        ({"email": "fatima.example.nl"}, "email", "Enter an e-mail address like name@example.nl."),
        ({"organisation": " "}, "organisation", "Enter the name of your organisation or group."),
        (
            {"password": "short pass", "confirm": "short pass"},
            "password",
            "Your password is too short. Use at least 12 characters, for example a sentence of "
            "four words.",
        ),
        (
            {"confirm": PASSWORD + "x"},
            "confirm",
            "The two passwords are not the same. Type them again.",
        ),
        ({"privacy": ""}, "privacy", "Read the privacy statement and tick the box to continue."),
    ],
)
def test_registration_errors_are_specific_and_keep_the_typed_values(
    english, mailbox, changes, field, message
):
    response = register(english, **changes)
    assert response.status_code == 200
    page = response.text
    # In the summary at the top, linked to the field, and beside the field.
    assert f'<a class="utrecht-link" href="#{field}">{message}</a>' in page
    assert f'id="{field}-error"' in page
    assert page.count(message) == 2
    assert 'aria-invalid="true"' in page
    assert "<title>Error:" in page
    # What was typed stays (passwords are never sent back).
    if field != "name":
        assert 'value="Fatima Bakkali"' in page
    if field != "organisation":
        assert 'value="Stichting Samen Sterk"' in page
    assert PASSWORD not in page
    assert User.by_email("fatima@example.nl") is None
    assert mailbox.messages == []


def test_expired_verification_link_explains_and_offers_a_new_one(english, mailbox, monkeypatch):
    real_timestamp = TimestampSigner.get_timestamp
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: int(time.time()) - 49 * 3600)
    register(english)
    monkeypatch.setattr(TimestampSigner, "get_timestamp", real_timestamp)

    response = english.get(mailbox.link_to("fatima@example.nl", "/account/verify/"))
    assert response.status_code == 400
    assert "This link has expired. Ask for a new link below." in response.text
    assert not User.by_email("fatima@example.nl").is_verified

    mailbox.clear()
    response = english.post("/account/verify", data={"email": "fatima@example.nl"})
    assert response.headers["Location"] == "/account/check-email"
    link = mailbox.link_to("fatima@example.nl", "/account/verify/")
    assert english.get(link).status_code == 302
    assert User.by_email("fatima@example.nl").is_verified


@pytest.mark.parametrize(
    "tamper",
    [
        lambda link: link[:-3] + ("aaa" if not link.endswith("aaa") else "bbb"),
        lambda link: link.replace("/verify/", "/verify/x"),
        lambda link: "/account/verify/not-a-token",
    ],
)
def test_tampered_verification_link_is_refused(english, mailbox, tamper):
    register(english)
    link = mailbox.link_to("fatima@example.nl", "/account/verify/")
    response = english.get(tamper(link))
    assert response.status_code == 400
    assert "This link is not valid." in response.text
    assert not User.by_email("fatima@example.nl").is_verified


def test_a_reset_link_does_not_work_as_verification_link(english, mailbox, make_user):
    make_user("anna@example.nl", verified=False)
    english.post("/account/reset", data={"email": "anna@example.nl"})
    token = mailbox.link_to("anna@example.nl", "/account/reset/").rsplit("/", 1)[1]
    response = english.get(f"/account/verify/{token}")
    assert response.status_code == 400
    assert not User.by_email("anna@example.nl").is_verified


def test_resend_for_unknown_address_looks_the_same_and_sends_nothing(english, mailbox):
    response = english.post("/account/verify", data={"email": "nobody@example.nl"})
    assert response.headers["Location"] == "/account/check-email"
    assert mailbox.messages == []


def test_verification_link_for_a_changed_address_is_refused(english, mailbox):
    register(english)
    link = mailbox.link_to("fatima@example.nl", "/account/verify/")
    user = User.by_email("fatima@example.nl")
    user.email = "fatima@elders.nl"
    db.session.commit()
    assert english.get(link).status_code == 400
