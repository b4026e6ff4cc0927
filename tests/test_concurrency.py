"""Two people (or two tabs, or a double click) acting at once, with real concurrent requests on
their own connections, on SQLite and PostgreSQL: one wins, the other is told, nothing typed is
lost, nothing is half done, and never a server error (issue 12)."""

from __future__ import annotations

import html
import io
import re
import threading
from functools import partial
from pathlib import Path
from types import SimpleNamespace

import pytest
from flask import current_app
from sqlalchemy import func, select

from fonds.applications.models import Application, ApplicationEvent, Attachment, Status
from fonds.extensions import db
from fonds.roles import Role
from tests import files

ROUNDS = 4  # concurrent attempts per test: each one is a real race, not a sequence


@pytest.fixture
def people(make_user, make_organisation):
    member = make_user("fatima@example.nl", name="Fatima Bakkali")
    organisation = make_organisation("Stichting Samen Sterk", members=[member])
    make_user("admin@example.nl", name="Anna Admin", roles=[Role.ADMIN])
    return {"member": member, "organisation": organisation}


def hidden(page: str, name: str) -> str:
    match = re.search(rf'name="{name}" type="hidden" value="([^"]*)"', page) or re.search(
        rf'type="hidden" name="{name}" value="([^"]*)"', page
    )
    if match is None:
        match = re.search(rf'<input[^>]*name="{name}"[^>]*value="([^"]*)"', page)
    assert match, f"no hidden field {name}"
    return html.unescape(match.group(1))


def step_form(client, application_id: int, step: str = "project") -> dict:
    """What the person's page carries: the version and values shown."""
    page = client.get(f"/applications/{application_id}/steps/{step}").text
    return {"version": hidden(page, "version"), "shown": hidden(page, "shown")}


def at_once(*calls):
    """Run the calls in threads released together by a barrier; their results in order."""
    barrier = threading.Barrier(len(calls), timeout=30)
    results: list = [None] * len(calls)

    def run(index, call):
        barrier.wait()
        try:
            results[index] = call()
        except BaseException as error:  # shown by the assertion below, with its traceback
            results[index] = error

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    errors = [r for r in results if isinstance(r, BaseException)]
    if errors:
        raise errors[0]
    return results


def fresh(application_id: int) -> Application:
    db.session.expire_all()
    return db.session.get(Application, application_id)


# --- one step saved in two sessions ------------------------------------------------------------


def test_a_stale_step_page_does_not_undo_a_colleague_s_save(
    people, make_round, make_application, client_of
):
    """Session 1 opens the project step, session 2 saves a new title, session 1 saves only a new
    summary: the title stays, session 1 is told what changed and keeps the summary it typed."""
    application = make_application(
        make_round(), people["organisation"], title="Oude titel", summary="Oud."
    )
    laptop, phone = client_of("fatima@example.nl"), client_of("fatima@example.nl")
    seen = step_form(laptop, application.id)

    shown_on_phone = step_form(phone, application.id)
    saved = phone.post(
        f"/applications/{application.id}/steps/project",
        data={**shown_on_phone, "title": "Nieuwe titel", "summary": "Oud."},
    )
    assert saved.status_code == 302

    stale = laptop.post(
        f"/applications/{application.id}/steps/project",
        data={**seen, "title": "Oude titel", "summary": "Mijn nieuwe samenvatting."},
    )
    assert stale.status_code == 409
    page = html.unescape(stale.text)
    assert "Someone else saved this step while you were working on it." in page
    assert "is now: ‘Nieuwe titel’" in page
    assert "Mijn nieuwe samenvatting." in page  # what they typed is still in the field
    now = fresh(application.id)
    assert (now.title, now.summary) == ("Nieuwe titel", "Oud.")

    # Saving again from that page (it now carries the current version) works.
    again = laptop.post(
        f"/applications/{application.id}/steps/project",
        data={
            "version": hidden(stale.text, "version"),
            "shown": hidden(stale.text, "shown"),
            "title": "Nieuwe titel",
            "summary": "Mijn nieuwe samenvatting.",
        },
    )
    assert again.status_code == 302
    now = fresh(application.id)
    assert (now.title, now.summary) == ("Nieuwe titel", "Mijn nieuwe samenvatting.")


def test_two_sessions_saving_one_step_at_once(people, make_round, make_application, client_of):
    application = make_application(make_round(), people["organisation"], title="Begin")
    laptop, phone = client_of("fatima@example.nl"), client_of("fatima@example.nl")
    for attempt in range(ROUNDS):
        forms = step_form(laptop, application.id), step_form(phone, application.id)
        titles = f"Laptop {attempt}", f"Telefoon {attempt}"

        url = f"/applications/{application.id}/steps/project"

        def save(client, form, title, url=url):
            return lambda: client.post(url, data={**form, "title": title, "summary": "Samen."})

        responses = at_once(save(laptop, forms[0], titles[0]), save(phone, forms[1], titles[1]))
        statuses = sorted(r.status_code for r in responses)
        assert statuses == [302, 409], statuses
        winner = titles[[r.status_code for r in responses].index(302)]
        loser = responses[[r.status_code for r in responses].index(409)]
        assert fresh(application.id).title == winner
        loser_title = titles[responses.index(loser)]
        assert f'value="{loser_title}"' in loser.text  # the loser's typed text is kept
        assert "Someone else saved this step" in html.unescape(loser.text)


# --- sending twice ------------------------------------------------------------------------------


def test_a_double_click_on_send_sends_once_and_every_click_lands_on_the_sent_page(
    people, make_round, make_application, client_of, mailbox
):
    round_ = make_round()
    for _attempt in range(ROUNDS):
        application = make_application(round_, people["organisation"])
        clients = [client_of("fatima@example.nl") for _ in range(3)]
        mailbox.clear()
        url = f"/applications/{application.id}/submit"
        declared = {"declared_truthful": "y", "declared_privacy": "y"}
        responses = at_once(*(partial(c.post, url, data=declared) for c in clients))
        assert [r.status_code for r in responses] == [302, 302, 302]
        assert {r.headers["Location"] for r in responses} == {
            f"/applications/{application.id}/sent"
        }
        sent = db.session.scalar(
            select(func.count(ApplicationEvent.id)).where(
                ApplicationEvent.application_id == application.id,
                ApplicationEvent.to_status == Status.SUBMITTED.value,
            )
        )
        assert sent == 1
        assert fresh(application.id).status == Status.SUBMITTED
        receipts = [m for m in mailbox.messages if m["To"] == "fatima@example.nl"]
        assert len(receipts) == 1


# --- withdrawing while the fund screens ---------------------------------------------------------


def test_withdrawing_while_an_administrator_marks_eligible(
    people, make_round, make_application, client_of
):
    """One of the two wins, the other is told; whatever the order, nothing is half done."""
    round_ = make_round()
    for _attempt in range(ROUNDS):
        application = make_application(
            round_,
            people["organisation"],
            status=Status.SUBMITTED.value,
        )
        applicant, admin = client_of("fatima@example.nl"), client_of("admin@example.nl")
        version = str(application.version)
        history = len(application.events)  # draft and sent
        responses = at_once(
            partial(
                applicant.post, f"/applications/{application.id}/withdraw", follow_redirects=True
            ),
            partial(
                admin.post,
                f"/screening/{application.id}/eligible",
                data={"eligible-version": version},
            ),
        )
        withdraw, eligible = responses
        assert withdraw.status_code == 200 and eligible.status_code in (302, 409)
        now = fresh(application.id)
        events = [e.to_status for e in now.events[history:]]  # what the two requests wrote
        if eligible.status_code == 302:
            # The fund was first; the withdrawal either came after it (allowed while being
            # assessed) or was told that the fund changed the application at the same moment.
            assert events[:1] == [Status.IN_REVIEW.value]
            if now.status == Status.WITHDRAWN:
                assert "Your application is withdrawn." in withdraw.text
            else:
                assert now.status == Status.IN_REVIEW
                assert "Your application is not withdrawn" in withdraw.text
        else:
            assert now.status == Status.WITHDRAWN
            assert events == [Status.WITHDRAWN.value]
            assert "Someone else changed this application just now." in html.unescape(eligible.text)


# --- uploads at once ----------------------------------------------------------------------------


def test_four_uploads_at_once_to_a_draft_with_nine_files_store_one(
    people, make_round, make_application, client_of
):
    application = make_application(make_round(), people["organisation"])
    first = client_of("fatima@example.nl")
    url = f"/applications/{application.id}/attachments"

    def upload(client, name):
        return client.post(
            url,
            data={"file": (io.BytesIO(files.png()), name)},
            content_type="multipart/form-data",
        )

    for number in range(9):
        assert upload(first, f"bijlage-{number}.png").status_code == 302
    clients = [client_of("fatima@example.nl") for _ in range(4)]
    target = SimpleNamespace(id=application.id)
    responses = at_once(
        *((lambda c=c, n=n: upload(c, f"tegelijk-{n}.png")) for n, c in enumerate(clients))
    )
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [302, 422, 422, 422], statuses
    for refused in (r for r in responses if r.status_code == 422):
        assert "You can add at most 10 attachments." in refused.text
    stored = db.session.scalar(
        select(func.count(Attachment.id)).where(Attachment.application_id == target.id)
    )
    assert stored == 10
    assert len(list(Path(current_app.config["UPLOAD_DIR"]).iterdir())) == 10


# --- accepting an invitation twice at once ------------------------------------------------------


def test_a_double_click_on_accepting_an_invitation_makes_one_account(
    app, people, client_of, mailbox
):
    from fonds.auth.models import User
    from tests.conftest import PASSWORD

    admin = client_of("admin@example.nl")
    for attempt in range(ROUNDS):
        email = f"nieuw{attempt}@example.nl"
        assert (
            admin.post("/people/invite", data={"email": email, "role": "reviewer"}).status_code
            == 302
        )
        link = mailbox.link_to(email, "/account/invitation/")
        clients = [app.test_client() for _ in range(2)]
        data = {"name": "Nieuw", "password": PASSWORD, "confirm": PASSWORD}
        responses = at_once(*(partial(c.post, link, data=data) for c in clients))
        statuses = sorted(r.status_code for r in responses)
        assert statuses[0] == 302 and statuses[1] in (302, 400, 409, 422), statuses
        for response in responses:
            if response.status_code != 302:
                assert "This invitation was already used. You can log in." in html.unescape(
                    response.text
                ) or "Deze uitnodiging is al gebruikt" in html.unescape(response.text)
        db.session.expire_all()
        assert db.session.scalar(select(func.count(User.id)).where(User.email == email)) == 1


def test_the_later_of_two_clicks_on_an_invitation_is_told_it_was_used(app, make_user):
    """The second request read the invitation before the first one accepted it and made the
    account; it is told the invitation was used (as the page says for a used link), not asked to
    log in to accept it."""
    from datetime import timedelta

    from fonds.auth import operations as auth_ops
    from fonds.auth.models import Invitation
    from fonds.columns import utcnow
    from fonds.roles import Role

    admin = make_user("anna@example.nl", roles=[Role.ADMIN])
    invitation = Invitation(
        email="nieuw@example.nl",
        role=Role.REVIEWER,
        invited_by_id=admin.id,
        expires_at=utcnow() + timedelta(days=7),
    )
    db.session.add(invitation)
    db.session.commit()
    assert not invitation.is_accepted  # as the second request read it
    with app.app_context():  # the first request, on a session of its own
        first = db.session.get(Invitation, invitation.id)
        auth_ops.accept_invitation(first, name="Nieuw", password="een lang wachtwoord 2026")
        db.session.commit()
    with pytest.raises(auth_ops.InvitationError) as refused:
        auth_ops.accept_invitation(invitation, name="Nieuw", password="een lang wachtwoord 2026")
    db.session.rollback()
    assert refused.value.message == auth_ops.INVITATION_USED
