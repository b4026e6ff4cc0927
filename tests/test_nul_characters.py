"""A NUL character pasted into any form or link is removed before anything sees it: no server
error on PostgreSQL, and the rest of what was typed is kept."""

from fonds.extensions import db


def test_log_in_with_a_nul_character_gets_the_normal_answer(client, make_user):
    make_user("fatima@example.nl")
    response = client.post(
        "/account/login", data={"email": "fatima\x00@example.nl", "password": "x\x00y"}
    )
    assert response.status_code == 200  # the form again, with its message; not a 500


def test_registration_with_nul_characters(english):
    from fonds.auth.models import User
    from fonds.auth.passwords import verify_password

    response = english.post(
        "/account/register",
        data={
            "name": "Fatima\x00 Bakkali",
            "organisation": "Stichting\x00 Samen",
            "email": "new\x00@example.nl",
            "password": "een-heel-goed\x00-wachtwoord",
            "confirm": "een-heel-goed\x00-wachtwoord",
            "privacy": "y",
        },
    )
    # The form is valid once the NULs are gone: the account exists, without them.
    assert response.status_code == 302
    assert response.headers["Location"] == "/account/check-email"
    user = User.by_email("new@example.nl")
    assert user is not None
    assert (user.email, user.name) == ("new@example.nl", "Fatima Bakkali")
    assert [o.name for o in user.organisations] == ["Stichting Samen"]
    assert verify_password(user.password_hash, "een-heel-goed-wachtwoord")


def test_a_step_keeps_the_text_without_the_nul(english, applicant, make_round, make_application):
    application = make_application(make_round(), applicant[1], complete=False)
    response = english.post(
        f"/applications/{application.id}/steps/project",
        data={"title": "Dia\x00loog", "summary": "Avonden\x00", "next": "1"},
    )
    assert response.status_code == 302
    db.session.refresh(application)
    assert (application.title, application.summary) == ("Dialoog", "Avonden")


def test_query_parameters_lose_the_nul(english, make_user, log_in):
    from fonds.roles import Role

    make_user("anna@example.nl", roles=[Role.ADMIN])
    log_in(english, "anna@example.nl")
    assert english.get("/account/?next=%00x").status_code == 200
