"""Issuing all letters of a round in the background: the run is written in the request and
done by `flask worker` processes on a real queue (an SQLite file, and a real Redis server), with
progress, failures and their reasons, and a crash-and-resume that never gives a decision two
letters. The operations are also tested in-process, one item at a time."""

import html
import itertools
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from flask import current_app
from sqlalchemy import event, func, select

from fonds.applications.models import Application
from fonds.demo.builders import make_decision
from fonds.extensions import db
from fonds.letters.batch import batch_progress, issue_item, pending_items, start_batch
from fonds.letters.models import Letter, LetterBatch, LetterBatchItem
from fonds.roles import Role
from tests.conftest import wait_until
from tests.pdf_text import texts

CONFIRMED = {"confirmed": "yes"}  # what the confirmation page's "Yes" button sends


@pytest.fixture
def decided_round(make_user, make_organisation, make_round, make_application, make_review):
    """A round with decided applications: approved, rejected and not admissible in turn, each
    from its own organisation with its own member."""
    anna = make_user("anna@example.nl", name="Anna Admin", roles=[Role.ADMIN])
    ben = make_user("ben@example.nl", name="Ben Beheer", roles=[Role.ADMIN])
    reviewer = make_user("rita@example.nl", name="Rita Reviewer", roles=[Role.REVIEWER])
    round_ = make_round(name="Van binnenuit 2027", open_now=False)

    def make(count: int, statuses=("approved", "rejected", "not_admissible"), decision=True):
        applications = []
        for status in itertools.islice(itertools.cycle(statuses), count):
            number = db.session.scalar(select(func.count(Application.id))) + 1
            member = make_user(f"lid{number}@example.nl", name=f"Lid {number}")
            organisation = make_organisation(f"Stichting {number}", members=[member])
            application = make_application(
                round_,
                organisation,
                status=status,
                amount_requested=Decimal("9000.00"),
            )
            if status in ("approved", "rejected"):
                make_review(application, reviewer, 4)
                if decision:
                    amount = Decimal("7500.00") if status == "approved" else None
                    make_decision(application, proposer=anna, decider=ben, amount=amount)
            applications.append(application)
        db.session.commit()
        return applications

    make.round = round_
    make.admin = anna
    return make


def letter_count() -> int:
    return db.session.scalar(select(func.count(Letter.id)))


def originals_per_application() -> dict[int, int]:
    return dict(
        db.session.execute(
            select(Letter.application_id, func.count())
            .where(Letter.replaces_id.is_(None))
            .group_by(Letter.application_id)
        ).all()
    )


def progress_of(client, batch_id: int) -> dict:
    response = client.get(f"/letters/batches/{batch_id}/progress.json")
    assert response.status_code == 200
    return response.get_json()


def newest_batch() -> LetterBatch:
    return db.session.scalar(select(LetterBatch).order_by(LetterBatch.id.desc()))


def move_back(batch_id: int, by: timedelta) -> None:
    """Make the batch's last progress (its start and its items' updates) `by` longer ago, as if
    that much time had passed without progress since, and commit."""
    batch = db.session.get(LetterBatch, batch_id)
    batch.started_at -= by
    for item in db.session.scalars(
        select(LetterBatchItem).where(
            LetterBatchItem.batch_id == batch_id, LetterBatchItem.updated_at.is_not(None)
        )
    ):
        item.updated_at -= by
    db.session.commit()


# --- the round's letters page -----------------------------------------------------------------


def test_issuing_all_missing_letters_asks_first(decided_round, client_of):
    applications = decided_round(3)
    round_id = decided_round.round.id
    url = f"/letters/rounds/{round_id}/issue-all"
    anna = client_of("anna@example.nl")
    client_of("anna@example.nl").post(
        f"/letters/applications/{applications[0].id}/issue", data=CONFIRMED
    )
    # The round page leads to the question; it has no button that starts at once.
    page = anna.get(f"/letters/rounds/{round_id}").text
    assert re.search(rf'<a class="utrecht-button-link[^"]*" href="{url}">', page)
    assert f'action="{url}"' not in page
    question = anna.get(url)
    assert question.status_code == 200
    text = html.unescape(question.text)
    assert "Issue the 2 missing letters of Van binnenuit 2027?" in text
    for application in applications[1:]:  # what will be issued, to whom
        assert f">{application.reference}</a>" in text
        assert application.organisation.name in text
    assert applications[0].reference not in text  # it has its letter
    assert "Rejection letter" in text and "Not-admissible letter" in text
    assert "You cannot undo this." in text
    assert f'action="{url}"' in text and 'name="confirmed" value="yes"' in text
    assert "Yes, issue these 2 letters</button>" in text
    assert f'href="/letters/rounds/{round_id}">No, go back to the letters of this round</a>' in text
    # Looking, or posting without the confirmation, starts nothing.
    assert anna.post(url).status_code == 200
    assert db.session.scalar(select(func.count(LetterBatch.id))) == 0
    assert anna.post(url, data=CONFIRMED).status_code == 302
    assert db.session.scalar(select(func.count(LetterBatch.id))) == 1
    # While it runs, the question is not asked again: the page says why.
    response = anna.get(url, follow_redirects=True)
    assert "The letters of this round are being issued now." in response.text


def test_the_round_page_lists_its_decided_applications_in_one_query(
    decided_round, client_of, app, make_application
):
    applications = decided_round(3)
    waiting = make_application(
        decided_round.round,
        applications[0].organisation,
        status="in_review",
    )
    anna = client_of("anna@example.nl")
    anna.post(f"/letters/applications/{applications[1].id}/issue", data=CONFIRMED)
    letter = db.session.scalar(select(Letter))

    def page_and_queries() -> tuple[str, int]:
        statements = []

        def before(conn, cursor, statement, *args):
            statements.append(statement)

        with app.app_context():  # the engine of the app that serves the requests
            engine = db.engine
        event.listen(engine, "before_cursor_execute", before)
        try:
            response = anna.get(f"/letters/rounds/{decided_round.round.id}")
        finally:
            event.remove(engine, "before_cursor_execute", before)
        assert response.status_code == 200
        return html.unescape(response.text), len(statements)

    page, few = page_and_queries()
    assert 'class="utrecht-theme utrecht-document utrecht-document--surface page--wide"' in page
    assert (
        '<div class="table-scroll" role="region" aria-labelledby="letters-caption" tabindex="0">'
    ) in page
    assert '<caption class="utrecht-table__caption" id="letters-caption">' in page
    table = page[page.index('id="letters-caption"') : page.index("</table>")]
    rows = table.split('<tr class="utrecht-table__row">')[2:]
    assert len(rows) == 3  # decided applications only
    assert waiting.reference not in table
    approved, rejected, not_admissible = rows
    assert f'href="/decisions/{applications[0].id}">{applications[0].reference}</a>' in approved
    assert applications[0].title in approved and applications[0].organisation.name in approved
    assert "Award letter" in approved and "No letter yet" in approved
    assert "Rejection letter" in rejected
    assert f'href="/letters/{letter.id}.pdf">Issued on ' in rejected
    assert f'href="/screening/{applications[2].id}">{applications[2].reference}</a>' in (
        not_admissible
    )
    assert "Not-admissible letter" in not_admissible
    # The same number of queries for a round three times the size.
    decided_round(6)
    page, more = page_and_queries()
    assert page.count("No letter yet") == 8
    assert more == few


def test_after_the_run_the_page_shows_no_stale_notice(decided_round, client_of):
    """Without the script: the notice that the letters are being issued belongs to the run
    while it runs; a reload after its end does not show it."""
    decided_round(2, statuses=("approved",))
    round_id = decided_round.round.id
    anna = client_of("anna@example.nl")
    notice = "The letters are being issued in the background."
    response = anna.post(f"/letters/rounds/{round_id}/issue-all", data=CONFIRMED)
    page = anna.get(response.headers["Location"]).text
    assert notice in page
    assert "data-batch-running" in page
    for item_id in pending_items(newest_batch().id):
        issue_item(item_id)
    page = anna.get(f"/letters/rounds/{round_id}").text
    assert "Done: all 2 letters are issued." in page
    assert notice not in page


# --- with real workers on a real queue ------------------------------------------------------


def test_a_round_s_letters_are_issued_in_the_background(
    decided_round, client_of, start_worker, queue_backend, mailbox
):
    applications = decided_round(5)
    broken = decided_round(1, statuses=("approved",), decision=False)[0]
    anna = client_of("anna@example.nl")
    page = anna.get(f"/letters/rounds/{decided_round.round.id}").text
    assert "Issue all missing letters" in page

    # The request only writes the run down: no worker runs yet, and no letter is made in it
    # (bench/letters_bench.py prints how long writing a run down takes).
    response = anna.post(f"/letters/rounds/{decided_round.round.id}/issue-all", data=CONFIRMED)
    assert response.status_code == 302
    assert letter_count() == 0
    batch = newest_batch()
    assert progress_of(anna, batch.id)["summary"] == "0 of 6 letters issued. Busy…"
    # Meanwhile the rest of the system works as usual.
    assert anna.get(f"/ranking/rounds/{decided_round.round.id}").status_code == 200
    # Starting a second run while this one makes progress is refused.
    response = anna.post(
        f"/letters/rounds/{decided_round.round.id}/issue-all", data=CONFIRMED, follow_redirects=True
    )
    assert "The letters of this round are being issued now." in response.text
    assert db.session.scalar(select(func.count(LetterBatch.id))) == 1

    mailbox.clear()
    start_worker(processes=2)
    state = wait_until(
        lambda: (p := progress_of(anna, batch.id))["finished"] and p, what="the run to finish"
    )
    assert state["done"] == 5 and state["failed"] == 1 and state["total"] == 6
    assert state["summary"] == (
        "Done: 5 of 6 letters issued. 1 could not be issued; see the reason below."
    )
    assert state["failures"] == [
        {
            "reference": broken.reference,
            "url": f"/decisions/{broken.id}",
            "reason": "This application has no decision to write a letter about yet.",
        }
    ]
    assert originals_per_application() == {a.id: 1 for a in applications}
    for application in applications:
        letter = db.session.scalar(select(Letter).where(Letter.application_id == application.id))
        assert all(application.reference in text for text in texts(letter.pdf))
        assert letter.issued_by.email == "anna@example.nl"
    # Every applicant is told, discreetly, without the PDF.
    wait_until(lambda: len(mailbox.messages) == 5, timeout=10, what="five e-mails")
    for application in applications:
        message = mailbox.last_to(application.organisation.memberships[0].user.email)
        assert not message.is_multipart()

    page = anna.get(f"/letters/rounds/{decided_round.round.id}").text
    assert "Done: 5 of 6 letters issued." in page
    assert f"{broken.reference}</a>: This application has no decision" in page


def test_a_crashed_worker_is_resumed_without_double_letters(
    decided_round, client_of, start_worker, queue_backend, app
):
    applications = decided_round(14)
    anna = client_of("anna@example.nl")
    anna.post(f"/letters/rounds/{decided_round.round.id}/issue-all", data=CONFIRMED)
    first = newest_batch()

    worker = start_worker(processes=1)
    wait_until(lambda: letter_count() >= 2, what="two letters")
    worker.kill()  # SIGKILL to every process of the worker, halfway through the run
    issued = letter_count()
    assert 2 <= issued < 14, "the worker finished before it was killed: make the run longer"
    # Whatever the kill interrupted left nothing half-done: each issued item has its letter.
    issued_items = db.session.scalar(
        select(func.count()).where(
            LetterBatchItem.batch_id == first.id,
            LetterBatchItem.state == "issued",
            LetterBatchItem.letter_id.is_not(None),
        )
    )
    assert issued_items == issued

    # No progress for longer than LETTER_BATCH_STALLED_SECONDS: the run's clock is set back.
    move_back(first.id, timedelta(seconds=app.config["LETTER_BATCH_STALLED_SECONDS"] + 60))
    state = progress_of(anna, first.id)
    assert state["stalled"] and not state["finished"]
    assert "The background worker may have stopped." in state["summary"]
    page = anna.get(f"/letters/rounds/{decided_round.round.id}").text
    assert f"<dd data-count-missing>{14 - issued}</dd>" in page

    # Running it again holds only the missing letters.
    anna.post(f"/letters/rounds/{decided_round.round.id}/issue-all", data=CONFIRMED)
    second = newest_batch()
    assert second.id != first.id
    assert progress_of(anna, second.id)["total"] == 14 - issued
    start_worker(processes=2)
    wait_until(lambda: progress_of(anna, second.id)["finished"], what="the second run")
    assert letter_count() == 14
    assert originals_per_application() == {a.id: 1 for a in applications}
    assert progress_of(anna, first.id)["superseded"]


# --- in-process: the operations one item at a time --------------------------------------------


def test_nothing_to_issue_is_refused(decided_round, client_of):
    decided_round(1, statuses=("approved",))
    anna = client_of("anna@example.nl")
    round_id = decided_round.round.id
    anna.post(f"/letters/rounds/{round_id}/issue-all", data=CONFIRMED)
    for item_id in pending_items(newest_batch().id):
        assert issue_item(item_id) == "issued", db.session.get(LetterBatchItem, item_id).reason
    response = anna.post(
        f"/letters/rounds/{round_id}/issue-all", data=CONFIRMED, follow_redirects=True
    )
    assert "Every decided application in this round has its letter." in response.text
    assert db.session.scalar(select(func.count(LetterBatch.id))) == 1


def test_an_item_runs_once_and_a_letter_issued_meanwhile_is_kept(decided_round, client_of):
    first, second = decided_round(2, statuses=("approved",))
    batch = start_batch(decided_round.round, by=decided_round.admin, locale="en")
    db.session.commit()
    items = pending_items(batch.id)
    # Someone issues the second letter by hand before the worker gets to it.
    client_of("anna@example.nl").post(f"/letters/applications/{second.id}/issue", data=CONFIRMED)
    assert [issue_item(item_id) for item_id in items] == ["issued", "skipped"]
    assert [issue_item(item_id) for item_id in items] == ["issued", "skipped"]  # a rerun: no-op
    assert originals_per_application() == {first.id: 1, second.id: 1}


def test_a_run_leaves_the_letter_of_the_starter_s_own_organisation_to_another(decided_round):
    """Issuing every letter of a round is an action on each application: the letter of an
    application from the starter's own organisation is left for another administrator."""
    from fonds.organisations.models import Membership

    own, other = decided_round(2, statuses=("approved",))
    db.session.add(Membership(user=decided_round.admin, organisation=own.organisation))
    db.session.commit()
    batch = start_batch(decided_round.round, by=decided_round.admin, locale="en")
    db.session.commit()
    assert [issue_item(item_id) for item_id in pending_items(batch.id)] == ["failed", "issued"]
    assert originals_per_application() == {other.id: 1}
    failure = batch_progress(batch).failures[0]
    assert failure.application_id == own.id
    assert "Another administrator must do this." in failure.reason


def test_a_stalled_run_is_superseded_and_its_rest_skipped(decided_round):
    decided_round(3, statuses=("rejected",))
    current_app.config["LETTER_BATCH_STALLED_SECONDS"] = 0  # the test's own app context
    first = start_batch(decided_round.round, by=decided_round.admin, locale="nl")
    db.session.commit()
    old_items = pending_items(first.id)
    issue_item(old_items[0])
    second = start_batch(decided_round.round, by=decided_round.admin, locale="nl")
    db.session.commit()
    assert len(pending_items(second.id)) == 2
    assert issue_item(old_items[1]) == "skipped"
    reason = db.session.get(LetterBatchItem, old_items[1]).reason
    assert reason == "Deze brief is gemaakt bij een latere keer versturen."
    for item_id in pending_items(second.id):
        assert issue_item(item_id) == "issued"
    assert letter_count() == 3


@pytest.mark.parametrize(("who", "expected"), [("rita@example.nl", 403), (None, 302)])
def test_only_administrators_reach_a_round_s_letters(decided_round, client_of, app, who, expected):
    decided_round(1, statuses=("approved",))
    batch = start_batch(decided_round.round, by=decided_round.admin, locale="nl")
    db.session.commit()
    client = client_of(who) if who else app.test_client()
    round_id = decided_round.round.id
    assert client.get(f"/letters/rounds/{round_id}").status_code == expected
    assert client.get(f"/letters/batches/{batch.id}/progress.json").status_code == expected
    assert client.get(f"/letters/rounds/{round_id}/issue-all").status_code == expected
    assert client.post(f"/letters/rounds/{round_id}/issue-all", data=CONFIRMED).status_code == (
        expected
    )
    assert db.session.scalar(select(func.count(LetterBatch.id))) == 1


def test_unknown_round_or_run(client_of, decided_round):
    anna = client_of("anna@example.nl")
    assert anna.get("/letters/rounds/999999").status_code == 404
    assert anna.get("/letters/rounds/999999/issue-all").status_code == 404
    assert anna.post("/letters/rounds/999999/issue-all", data=CONFIRMED).status_code == 404
    assert anna.get("/letters/batches/999999/progress.json").status_code == 404


def test_a_letter_that_fails_or_races_does_not_hang_the_run(decided_round, monkeypatch):
    from fonds.letters import batch as batch_module
    from fonds.letters import operations, render

    first, second = decided_round(2, statuses=("approved",))
    batch = start_batch(decided_round.round, by=decided_round.admin, locale="en")
    db.session.commit()
    items = pending_items(batch.id)

    # A failure of our own while rendering: recorded with a reason, nothing issued.
    def broken(application, **options):
        raise RuntimeError("font cache gone")

    monkeypatch.setattr(render, "render_letter", broken)
    assert issue_item(items[0]) == "failed"
    item = db.session.get(LetterBatchItem, items[0])
    assert item.reason == (
        "The letter could not be made. Nothing is issued; try again or ask for help."
    )
    assert letter_count() == 0
    monkeypatch.undo()

    # Another process issues the same letter at the very same moment: neither check sees it,
    # the unique index refuses the second, and the item counts as done (skipped), not failed.
    issue_item(items[1])
    db.session.execute(
        LetterBatchItem.__table__.update()
        .where(LetterBatchItem.id == items[1])
        .values(state="pending")
    )
    db.session.commit()
    monkeypatch.setattr(batch_module, "original_letter", lambda application: None)
    monkeypatch.setattr(operations, "original_letter", lambda application: None)
    assert issue_item(items[1]) == "skipped"
    assert originals_per_application() == {second.id: 1}
