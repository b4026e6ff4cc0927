"""Administrators invite reviewers and administrators; members invite colleagues."""

import pytest
from sqlalchemy import select

from fonds.auth.models import Invitation, User
from fonds.columns import utcnow
from fonds.extensions import db
from fonds.roles import Role
from tests.conftest import PASSWORD

NEW_PASSWORD = "welcome to the committee"


@pytest.fixture
def admin(make_user, english, log_in):
    user = make_user("admin@example.nl", name="Anna Beheer", roles=[Role.ADMIN])
    log_in(english, "admin@example.nl")
    return user


@pytest.mark.parametrize(
    ("role", "label", "landing"),
    [(Role.REVIEWER, "reviewer", "/review/"), (Role.ADMIN, "administrator", "/rounds/manage")],
)
def test_admin_invites_a_new_person(app, admin, english, mailbox, role, label, landing):
    response = english.post(
        "/people/invite", data={"email": "Sevda@Example.nl", "role": role.value}
    )
    assert response.headers["Location"] == "/people/"
    page = english.get("/people/").text
    assert f"sevda@example.nl as {label}" in page

    message = mailbox.last_to("sevda@example.nl")
    assert message["Subject"] == "Uitnodiging" or message["Subject"] == "You are invited"
    link = mailbox.link_to("sevda@example.nl", "/account/invitation/")
    english.post("/account/logout")

    visitor = app.test_client()
    visitor.get("/language/en")
    page = visitor.get(link).text
    assert "Anna Beheer invites you" in page
    response = visitor.post(
        link, data={"name": "Sevda Yılmaz", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    )
    assert response.headers["Location"] == landing  # the work of the new role
    assert "Sevda Yılmaz" in visitor.get("/account/").text  # logged in straight away

    user = User.by_email("sevda@example.nl")
    assert user.role_list == [role] and user.is_verified
    invitation = db.session.scalar(select(Invitation))
    assert invitation.accepted_by_id == user.id

    # The link works once.
    visitor.post("/account/logout")
    response = visitor.get(link)
    assert response.status_code == 400
    assert "This invitation was already used." in response.text


def test_invitation_form_errors(admin, english, mailbox):
    response = english.post("/people/invite", data={"email": "not an address", "role": "reviewer"})
    assert response.status_code == 422
    assert "Enter an e-mail address like name@example.nl." in response.text
    response = english.post("/people/invite", data={"email": "a@example.nl", "role": "applicant"})
    assert response.status_code == 422
    # Left empty, the message is about the invited person's address, not one's own.
    response = english.post("/people/invite", data={"email": "", "role": "reviewer"})
    assert "Enter the e-mail address of the person you invite." in response.text
    assert "Enter your e-mail address." not in response.text
    assert mailbox.messages == []
    assert db.session.scalar(select(Invitation)) is None


def test_invitation_errors_on_accepting_keep_what_was_typed(app, admin, english, mailbox):
    english.post("/people/invite", data={"email": "sevda@example.nl", "role": "reviewer"})
    link = mailbox.link_to("sevda@example.nl", "/account/invitation/")
    english.post("/account/logout")
    response = english.post(link, data={"name": "Sevda", "password": "short", "confirm": "short"})
    assert response.status_code == 200
    assert "Your password is too short." in response.text
    assert 'value="Sevda"' in response.text
    assert User.by_email("sevda@example.nl") is None


def test_existing_account_logs_in_to_accept(app, admin, english, mailbox, make_user, log_in):
    make_user("hodan@example.nl", name="Hodan", roles=[Role.APPLICANT])
    english.post("/people/invite", data={"email": "hodan@example.nl", "role": "reviewer"})
    link = mailbox.link_to("hodan@example.nl", "/account/invitation/")
    english.post("/account/logout")

    response = english.get(link)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/account/login?next=/account/invitation/")
    log_in(english, "hodan@example.nl")
    assert english.post(link).headers["Location"] == "/review/"
    assert User.by_email("hodan@example.nl").role_list == [Role.APPLICANT, Role.REVIEWER]


def test_invitation_for_someone_else_is_refused_while_logged_in(admin, english, mailbox):
    english.post("/people/invite", data={"email": "sevda@example.nl", "role": "admin"})
    link = mailbox.link_to("sevda@example.nl", "/account/invitation/")
    response = english.post(link, data={"name": "X", "password": PASSWORD, "confirm": PASSWORD})
    assert response.status_code == 409
    assert not admin.has_role(Role.REVIEWER)
    assert User.by_email("sevda@example.nl") is None


def test_expired_invitation(admin, english, mailbox):
    english.post("/people/invite", data={"email": "sevda@example.nl", "role": "reviewer"})
    link = mailbox.link_to("sevda@example.nl", "/account/invitation/")
    invitation = db.session.scalar(select(Invitation))
    invitation.expires_at = utcnow()
    db.session.commit()
    english.post("/account/logout")
    response = english.get(link)
    assert response.status_code == 400
    assert "This invitation has expired." in response.text


def test_tampered_invitation_link(admin, english, mailbox):
    english.post("/people/invite", data={"email": "sevda@example.nl", "role": "admin"})
    link = mailbox.link_to("sevda@example.nl", "/account/invitation/")
    english.post("/account/logout")
    response = english.get(link[:-2] + "xx")
    assert response.status_code == 400
    assert "This invitation link is not valid." in response.text


def test_member_invites_a_colleague_into_the_organisation(
    app, english, mailbox, make_user, make_organisation, log_in
):
    fatima = make_user("fatima@example.nl", name="Fatima")
    organisation = make_organisation("Stichting Samen Sterk", members=[fatima])
    log_in(english, "fatima@example.nl")
    page = english.get(f"/organisations/{organisation.id}").text
    assert "Fatima" in page and "Invite a colleague" in page

    response = english.post(
        f"/organisations/{organisation.id}/invite", data={"email": "priya@example.nl"}
    )
    assert response.headers["Location"] == f"/organisations/{organisation.id}"
    assert "priya@example.nl" in english.get(f"/organisations/{organisation.id}").text

    body = mailbox.body(mailbox.last_to("priya@example.nl"))
    assert "Samen Sterk" not in body  # e-mails never name the organisation
    link = mailbox.link_to("priya@example.nl", "/account/invitation/")
    colleague = app.test_client()
    response = colleague.post(
        link, data={"name": "Priya", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    )
    assert response.headers["Location"] == "/applications/"  # the organisation's applications
    priya = User.by_email("priya@example.nl")
    assert priya.has_role(Role.APPLICANT)
    assert [o.name for o in priya.organisations] == ["Stichting Samen Sterk"]
    assert colleague.get(f"/organisations/{organisation.id}").status_code == 200


def test_member_invite_errors_are_shown_on_the_organisation_page(
    english, mailbox, make_user, make_organisation, log_in
):
    fatima = make_user("fatima@example.nl")
    organisation = make_organisation(members=[fatima])
    log_in(english, "fatima@example.nl")
    response = english.post(f"/organisations/{organisation.id}/invite", data={"email": "priya"})
    assert response.status_code == 422
    assert "Enter an e-mail address like name@example.nl." in response.text
    assert 'value="priya"' in response.text
    response = english.post(f"/organisations/{organisation.id}/invite", data={"email": ""})
    assert "Enter the e-mail address of your colleague." in response.text
    assert "Enter your e-mail address." not in response.text
    assert mailbox.messages == []
