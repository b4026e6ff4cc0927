"""One way to refuse and one way to run an action (fonds.refusals, fonds.runner): a refusal, a
stale version and a lost race roll back and answer 422 or 409 with the message, never a 500."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm.exc import StaleDataError

from fonds.applications.attachments import AttachmentRefused
from fonds.assignments.operations import AssignmentRefused
from fonds.auth.models import User
from fonds.auth.operations import InvitationError
from fonds.extensions import db
from fonds.letters.operations import LetterRefused
from fonds.organisations.operations import OrganisationRefused
from fonds.refusals import Invalid, Refused, Stale
from fonds.reviews.operations import ReviewChanged, ReviewRefused
from fonds.rounds.operations import RoundRefused
from fonds.runner import lost_race, run, run_returning
from fonds.workflow import TransitionRefused


@pytest.mark.parametrize(
    "refusal",
    [
        TransitionRefused,
        ReviewRefused,
        RoundRefused,
        AttachmentRefused,
        AssignmentRefused,
        LetterRefused,
        InvitationError,
        OrganisationRefused,
    ],
)
def test_every_domain_refuses_with_one_base(refusal):
    assert issubclass(refusal, Refused)
    assert refusal("Zo niet.").status == 422 and str(refusal("Zo niet.")) == "Zo niet."


def test_a_change_made_meanwhile_is_a_conflict():
    assert ReviewChanged("Veranderd.").status == 409 and Stale().status == 409


class FakeOrig(Exception):
    def __init__(self, text, sqlstate=None):
        super().__init__(text)
        self.sqlstate = sqlstate


@pytest.mark.parametrize(
    ("error", "race"),
    [
        (StaleDataError("expected to update 1 row"), True),
        (IntegrityError("INSERT", {}, FakeOrig("UNIQUE constraint failed")), True),
        (OperationalError("UPDATE", {}, FakeOrig("could not serialize", "40001")), True),
        (OperationalError("UPDATE", {}, FakeOrig("deadlock detected", "40P01")), True),
        (OperationalError("UPDATE", {}, FakeOrig("database is locked")), True),
        (OperationalError("SELECT", {}, FakeOrig("no such column: x")), False),
    ],
)
def test_which_database_errors_are_a_lost_race(error, race):
    assert lost_race(error) is race


def test_run_commits_once_and_a_refusal_rolls_everything_back(app, make_user):
    person = make_user("sara@example.nl", name="Sara")
    db.session.commit()

    def rename_then_refuse():
        person.name = "Half gedaan"
        db.session.flush()
        raise TransitionRefused("Dit mag niet.")

    refused = run(rename_then_refuse)
    assert isinstance(refused, TransitionRefused) and refused.status == 422
    assert db.session.scalar(select(User.name).where(User.id == person.id)) == "Sara"

    def rename():
        person.name = "Sara B."

    assert run(rename) is None
    db.session.expire_all()
    assert db.session.scalar(select(User.name).where(User.id == person.id)) == "Sara B."


def test_run_returning_gives_back_the_result_or_the_refusal(app, make_user):
    person = make_user("rik@example.nl", name="Rik")
    db.session.commit()

    def rename():
        person.name = "Rik B."
        return person.name

    assert run_returning(rename) == ("Rik B.", None)

    def refuse():
        raise TransitionRefused("Dit mag niet.")

    result, refused = run_returning(refuse)
    assert result is None and isinstance(refused, TransitionRefused)


def test_run_refuses_a_stale_version_before_it_changes_anything(app):
    called = []
    refused = run(lambda: called.append(1), seen_version="3", version=4, stale="Al veranderd.")
    assert isinstance(refused, Stale) and refused.status == 409 and str(refused) == "Al veranderd."
    assert called == []


def test_run_turns_a_lost_race_at_commit_into_a_conflict(app):
    def lose():
        raise StaleDataError("UPDATE statement on table 'application' expected to update 1 row")

    refused = run(lose)
    assert isinstance(refused, Stale) and refused.status == 409


def test_run_lets_a_real_bug_through(app):
    def bug():
        raise OperationalError("SELECT", {}, FakeOrig("no such column: x"))

    with pytest.raises(OperationalError):
        run(bug)


def test_an_uncaught_refusal_or_lost_race_is_a_page_not_a_server_error(own_app):
    client = own_app.test_client()

    @own_app.route("/_test/refuse")
    def refuse():
        raise TransitionRefused("U kunt dit nu niet doen.")

    @own_app.route("/_test/race")
    def race():
        raise StaleDataError("expected to update 1 row")

    refused = client.get("/_test/refuse", headers={"Accept-Language": "nl"})
    assert refused.status_code == 422 and "U kunt dit nu niet doen." in refused.text
    raced = client.get("/_test/race", headers={"Accept-Language": "nl"})
    assert raced.status_code == 409
    assert "Iemand anders heeft dit net veranderd. Bekijk de pagina opnieuw." in raced.text


def test_an_invalid_form_is_refused_without_calling_the_operation(app):
    class NeverValid:
        def validate_on_submit(self):
            return False

    called = []
    with app.test_request_context(method="POST"):
        refused = run(lambda: called.append(1), form=NeverValid())
    assert isinstance(refused, Invalid) and refused.status == 422 and called == []
