"""Invitations send an e-mail to an address of the inviter's choosing: a limit per inviting account
and per organisation, with a message that says when the next one can go and the typed address
kept (issue 12)."""

from __future__ import annotations

import pytest

from fonds.roles import Role
from tests.conftest import PASSWORD


@pytest.fixture
def limited(app_factory, make_user, make_organisation, mailbox):
    app = app_factory(
        RATELIMIT_ENABLED=True,
        INVITATION_RATE_LIMIT="3 per hour",
        ORGANISATION_INVITATION_RATE_LIMIT="4 per day",
    )
    fatima = make_user("fatima@example.nl", name="Fatima")
    sara = make_user("sara@example.nl", name="Sara")
    organisation = make_organisation("Stichting Samen Sterk", members=[fatima, sara])
    make_user("anna@example.nl", name="Anna", roles=[Role.ADMIN])
    return app, organisation


def client_for(app, email):
    client = app.test_client()
    client.get("/language/en")
    response = client.post("/account/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302
    return client


def sent_to(mailbox, prefix):
    return sorted(m["To"] for m in mailbox.messages if m["To"].startswith(prefix))


def test_a_member_can_invite_a_few_then_is_told_when_the_next_can_go(limited, mailbox):
    app, organisation = limited
    fatima = client_for(app, "fatima@example.nl")
    url = f"/organisations/{organisation.id}/invite"
    for number in range(3):
        response = fatima.post(url, data={"email": f"gast{number}@example.nl"})
        assert response.status_code == 302
    refused = fatima.post(url, data={"email": "gast9@example.nl"})
    assert refused.status_code == 429
    assert "You have sent many invitations in a short time. You can send the next one from" in (
        refused.text
    )
    assert 'value="gast9@example.nl"' in refused.text  # the typed address is kept
    assert sent_to(mailbox, "gast") == [f"gast{n}@example.nl" for n in range(3)]


def test_the_organisation_has_a_limit_of_its_own(limited, mailbox):
    """Two members together cannot go past the organisation's limit."""
    app, organisation = limited
    url = f"/organisations/{organisation.id}/invite"
    fatima, sara = client_for(app, "fatima@example.nl"), client_for(app, "sara@example.nl")
    statuses = [fatima.post(url, data={"email": f"f{n}@example.nl"}).status_code for n in range(3)]
    statuses += [sara.post(url, data={"email": f"s{n}@example.nl"}).status_code for n in range(2)]
    assert statuses == [302, 302, 302, 302, 429]
    assert len(sent_to(mailbox, "f") + sent_to(mailbox, "s")) == 4


def test_staff_invitations_are_limited_too(limited, mailbox):
    app, _organisation = limited
    anna = client_for(app, "anna@example.nl")
    statuses = [
        anna.post(
            "/people/invite", data={"email": f"beoordelaar{n}@example.nl", "role": "reviewer"}
        ).status_code
        for n in range(4)
    ]
    assert statuses == [302, 302, 302, 429]
    assert len(sent_to(mailbox, "beoordelaar")) == 3
