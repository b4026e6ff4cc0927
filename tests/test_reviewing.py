"""Reviewing: the dashboard, the declaration of a conflict of interest, what a reviewer may see,
the scoring form with its validation, total and lock, the confirmation before a review is
submitted (and a second one refused), the last review moving the application on, the
attachment download, and `flask workflow remind`."""

import os
import re
import threading
from datetime import timedelta

import pytest
from sqlalchemy import event, select, text

from fonds.applications.attachments import store_attachment
from fonds.applications.models import ApplicationView, Status
from fonds.auth.models import User
from fonds.columns import utcnow
from fonds.demo import builders
from fonds.demo.builders import ORGANISATION_DETAILS
from fonds.extensions import db
from fonds.reviews import operations
from fonds.reviews.models import Review
from fonds.reviews.operations import ReviewInput
from fonds.roles import Role
from tests import files
from tests.conftest import wait_until


@pytest.fixture
def people(make_user, make_organisation):
    """An applicant with an organisation, two reviewers and an administrator (none logged in)."""
    member = make_user("fatima@example.nl", name="Fatima Bakkali")
    organisation = make_organisation("Stichting Samen Sterk", members=[member])
    reviewer = make_user("rita@example.nl", name="Rita Reviewer", roles=[Role.REVIEWER])
    second = make_user("sam@example.nl", name="Sam Second", roles=[Role.REVIEWER])
    admin = make_user("admin@example.nl", name="Anna Admin", roles=[Role.ADMIN])
    return {
        "member": member,
        "organisation": organisation,
        "reviewer": reviewer,
        "second": second,
        "admin": admin,
    }


@pytest.fixture
def make_in_review(make_round, make_application, people):
    round_ = make_round()

    def make(status: str = "in_review", **overrides):
        return make_application(round_, people["organisation"], status=status, **overrides)

    return make


@pytest.fixture
def reviewer_client(english, people, log_in):
    log_in(english, "rita@example.nl")
    return english


def form_data(application, scores=None, motivation="", recommendation="fund", action="submit"):
    """The scoring form as a browser sends it: scores in rubric order (None leaves one empty)."""
    criteria = application.round.criteria
    if scores is None:
        scores = [4] * len(criteria)
    data = {"action": action, "comment": "Sterk plan."}
    if recommendation:
        data["recommendation"] = recommendation
    for criterion, score in zip(criteria, scores, strict=True):
        if score is not None:
            data[f"score_{criterion.id}"] = str(score)
        data[f"motivation_{criterion.id}"] = motivation
    return data


def hidden_fields(page):
    """The hidden fields of the confirmation page's form, as a browser sends them."""
    form = page.split('action="/review/')[1].split("</form>")[0]
    return dict(re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', form))


def submit_review(client, review, data):
    """Submit as a person does: "Submit review" on the scoring form, then the button on the
    confirmation page it leads to. Returns the page after the confirmation."""
    response = client.post(f"/review/{review.id}", data=data)
    assert response.status_code == 302, response.text
    assert response.headers["Location"] == f"/review/{review.id}/confirm"
    confirmation = client.get(response.headers["Location"])
    assert confirmation.status_code == 200
    return client.post(
        f"/review/{review.id}/confirm",
        data=hidden_fields(confirmation.text),
        follow_redirects=True,
    )


def checked(page, name):
    """The values of the checked radio buttons called `name` on the page."""
    tags = re.findall(r"<input[^>]*>", page)
    return [
        re.search(r'value="([^"]*)"', tag).group(1)
        for tag in tags
        if f'name="{name}"' in tag and re.search(r"\bchecked\b", tag)
    ]


def with_attachment(make_in_review, member):
    """Attachments are added while drafting; then the application is sent and screened."""
    application = make_in_review(status="draft")
    attachment = store_attachment(application, files.png(), "plan.png", by=member)
    builders.send(application)
    application.status = Status.IN_REVIEW.value  # screened (the history is not read here)
    db.session.commit()
    return application, attachment


def refreshed(review):
    db.session.expire_all()
    return db.session.get(Review, review.id)


# --- the dashboard ---------------------------------------------------------------------------


def section(page, caption_id):
    """The rows of the dashboard table whose caption has this id."""
    table = page.split(f'id="{caption_id}"')[1].split("</table>")[0]
    return table.split("<tbody")[1].split("</tr>")[:-1]


def test_dashboard_lists_reviews_to_do_first_due_first_apart_from_finished_ones(
    reviewer_client, people, make_in_review, make_review
):
    now = utcnow()
    later = make_in_review(title="Later project")
    overdue = make_in_review(title="Te laat project")
    submitted = make_in_review(title="Ingediend project")
    conflict = make_in_review(title="Geheim project")
    withdrawn = make_in_review(title="Ingetrokken project")
    make_review(later, people["reviewer"], conflict=None, due_at=now + timedelta(days=10))
    draft = make_review(
        overdue, people["reviewer"], submitted=False, due_at=now - timedelta(days=1)
    )
    draft.scores[0].score = None
    db.session.commit()
    make_review(submitted, people["reviewer"], due_at=now + timedelta(days=5))
    make_review(conflict, people["reviewer"], conflict=True, due_at=now + timedelta(days=7))
    make_review(withdrawn, people["reviewer"], submitted=False, due_at=now + timedelta(days=8))
    withdrawn.status = Status.WITHDRAWN.value
    db.session.commit()
    # Someone else's assignment is not on this dashboard.
    other = make_in_review()
    make_review(other, people["second"], submitted=False)

    page = reviewer_client.get("/review/").text
    assert page.index("To do") < page.index("Finished")
    to_do = section(page, "to-do-caption")
    assert [re.search(r"FON-2026-\d{4}", row).group() for row in to_do] == [
        overdue.reference,
        later.reference,
    ]
    assert "Te laat project" in to_do[0] and "Later project" in to_do[1]
    assert "6 of 7 criteria scored" in to_do[0] and "overdue" in to_do[0]
    assert "declare first" in to_do[1] and "overdue" not in to_do[1]
    finished = section(page, "finished-caption")
    assert [re.search(r"FON-2026-\d{4}", row).group() for row in finished] == [
        withdrawn.reference,
        conflict.reference,
        submitted.reference,
    ]
    assert "Nothing more is needed: this application is no longer being assessed." in finished[0]
    assert "conflict declared" in finished[1]
    assert "Submitted on" in finished[2] and "Ingediend project" in finished[2]
    # A declared conflict hides the application, its title too.
    assert "Geheim project" not in page
    assert "overdue" not in "".join(finished)
    assert ">Reviewing</a>" in page  # the menu link


def test_dashboard_uses_the_same_number_of_queries_for_many_assignments(
    app, reviewer_client, people, make_in_review, make_review
):
    def count_queries():
        statements = []

        def before(conn, cursor, statement, *args):
            statements.append(statement)

        with app.app_context():  # the engine of the app that serves the requests
            engine = db.engine
        event.listen(engine, "before_cursor_execute", before)
        try:
            assert reviewer_client.get("/review/").status_code == 200
        finally:
            event.remove(engine, "before_cursor_execute", before)
        return len(statements)

    make_review(make_in_review(), people["reviewer"], submitted=False)
    few = count_queries()
    for _ in range(2):
        make_review(make_in_review(), people["reviewer"], submitted=False)
        make_review(make_in_review(), people["reviewer"], conflict=None)
        make_review(make_in_review(), people["reviewer"], conflict=True)
        make_review(make_in_review(), people["reviewer"])
        make_review(make_in_review(status="withdrawn"), people["reviewer"], submitted=False)
    assert count_queries() == few


def test_dashboard_is_for_reviewers(english, people, log_in):
    log_in(english, "fatima@example.nl")
    assert english.get("/review/").status_code == 403
    assert ">Reviewing</a>" not in english.get("/applications/").text


# --- declaring -------------------------------------------------------------------------------


def test_before_declaring_only_organisation_title_and_summary(
    reviewer_client, people, make_in_review, make_review
):
    application = make_in_review(problem="Een heel geheim probleem.")
    review = make_review(application, people["reviewer"], conflict=None)
    page = reviewer_client.get(f"/review/{review.id}").text
    assert "Stichting Samen Sterk" in page and "Gesprekken in de moskee" in page
    assert "Dialoogavonden over zelfbeschikking." in page
    assert "Een heel geheim probleem." not in page and "Zaalhuur" not in page
    assert "Do you have a conflict of interest with this application?" in page
    assert "Submit review" not in page


def test_declaring_without_a_choice_asks_for_one(
    reviewer_client, people, make_in_review, make_review
):
    review = make_review(make_in_review(), people["reviewer"], conflict=None)
    response = reviewer_client.post(f"/review/{review.id}/declare", data={})
    assert response.status_code == 422
    assert "Choose whether you have a conflict of interest." in response.text
    assert refreshed(review).conflict is None


def test_a_conflict_hides_the_application_and_mails_the_administrators(
    reviewer_client, people, make_in_review, make_review, make_user, mailbox
):
    make_user("bert@example.nl", name="Bert Admin", roles=[Role.ADMIN])
    application = make_in_review(problem="Een heel geheim probleem.")
    review = make_review(application, people["reviewer"], conflict=None)
    response = reviewer_client.post(
        f"/review/{review.id}/declare",
        data={"conflict": "yes", "note": "Mijn zus is voorzitter."},
        follow_redirects=True,
    )
    assert "The fund will ask another reviewer" in response.text
    review = refreshed(review)
    assert review.conflict is True and review.conflict_note == "Mijn zus is voorzitter."
    assert review.declared_at is not None

    page = reviewer_client.get(f"/review/{review.id}").text
    assert "You declared a conflict of interest" in page
    for hidden in ("Gesprekken in de moskee", "Dialoogavonden", "geheim", "Stichting Samen Sterk"):
        assert hidden not in page
    assert "Submit review" not in page

    for address in ("admin@example.nl", "bert@example.nl"):
        message = mailbox.last_to(address)
        text = message["Subject"] + mailbox.body(message)
        assert application.reference in text
        assert "Gesprekken" not in text and "Samen Sterk" not in text and "zus" not in text
        link = mailbox.link_to(address, "/")
        assert link in (
            f"/screening/{application.id}",
            f"/assignments/rounds/{application.round_id}",
        )
    assert mailbox.to("rita@example.nl") == []


def test_declaring_twice_is_refused(reviewer_client, people, make_in_review, make_review, mailbox):
    review = make_review(make_in_review(), people["reviewer"], conflict=None)
    reviewer_client.post(f"/review/{review.id}/declare", data={"conflict": "no"})
    mailbox.clear()
    response = reviewer_client.post(
        f"/review/{review.id}/declare", data={"conflict": "yes"}, follow_redirects=True
    )
    assert "You have already declared whether you have a conflict of interest." in response.text
    assert refreshed(review).conflict is False
    assert mailbox.messages == []


def test_a_member_of_the_organisation_cannot_declare_no_conflict(
    english, log_in, people, make_in_review, make_review, make_user
):
    insider = make_user(
        "insider@example.nl", roles=[Role.REVIEWER], organisation=people["organisation"]
    )
    review = make_review(make_in_review(), insider, conflict=None)
    log_in(english, "insider@example.nl")
    page = english.get(f"/review/{review.id}").text
    assert "You belong to the organisation that applied" in page
    english.post(f"/review/{review.id}/declare", data={"conflict": "no"})
    assert refreshed(review).conflict is None


# --- what a reviewer sees --------------------------------------------------------------------


def test_after_no_conflict_the_application_without_bank_or_contact_details(
    reviewer_client, people, make_in_review, make_review
):
    application, attachment = with_attachment(make_in_review, people["member"])
    review = make_review(application, people["reviewer"], conflict=None)
    assert "Zaalhuur" not in reviewer_client.get(f"/review/{review.id}").text
    response = reviewer_client.post(
        f"/review/{review.id}/declare", data={"conflict": "no"}, follow_redirects=True
    )
    page = response.text
    assert "You can now read and assess the application." in page
    for shown in ("Gesprekken in de moskee", "Normen uit de eigen groep", "Zaalhuur", "plan.png"):
        assert shown in page
    assert f"/applications/{application.id}/attachments/{attachment.id}" in page
    snapshot = application.organisation_snapshot
    for secret in (
        ORGANISATION_DETAILS["iban"],
        ORGANISATION_DETAILS["contact_email"],
        ORGANISATION_DETAILS["contact_phone"],
        ORGANISATION_DETAILS["contact_name"],
        snapshot["iban"],
        snapshot["contact_email"],
        snapshot["contact_phone"],
        "fatima@example.nl",
        "0417164300",
    ):
        assert secret not in page
    # The rubric with its descriptors, and the buttons.
    assert "Change from within" in page and "Led by key figures and dialogue leaders" in page
    assert "Save as draft" in page and "Submit review" in page
    # Every view is logged.
    views = db.session.scalars(
        select(ApplicationView).where(ApplicationView.user_id == people["reviewer"].id)
    ).all()
    assert {view.page for view in views} == {"review"} and len(views) == 2


def test_the_rubric_in_dutch(client, log_in, people, make_in_review, make_review):
    review = make_review(make_in_review(), people["reviewer"], submitted=False)
    log_in(client, "rita@example.nl")
    page = client.get(f"/review/{review.id}").text
    assert "Verandering van binnenuit" in page and "Opslaan als concept" in page


def test_others_reviews_only_after_ones_own_submission(
    reviewer_client, people, make_in_review, make_review, make_user
):
    application = make_in_review()
    make_review(application, people["second"], scores=2, motivation="Te vaag over bereik.")
    third = make_user("tom@example.nl", roles=[Role.REVIEWER])
    make_review(application, third, submitted=False, motivation="Nog bezig, geheim concept.")
    own = make_review(application, people["reviewer"], submitted=False)

    page = reviewer_client.get(f"/review/{own.id}").text
    assert "Te vaag over bereik." not in page and "Reviewer 1" not in page

    submit_review(reviewer_client, own, form_data(application))
    page = reviewer_client.get(f"/review/{own.id}").text
    assert "Reviewer 1" in page and "Te vaag over bereik." in page
    assert "Sam Second" not in page and "sam@example.nl" not in page
    assert "Nog bezig, geheim concept." not in page and "Reviewer 2" not in page
    assert "Score: 2" in page and "Score: 4" in page


@pytest.mark.parametrize("who", ["second", "admin", "member"])
def test_others_are_told_the_review_does_not_exist(
    english, log_in, people, make_in_review, make_review, who
):
    application, attachment = with_attachment(make_in_review, people["member"])
    review = make_review(application, people["reviewer"], submitted=False)
    log_in(english, people[who].email)
    assert english.get(f"/review/{review.id}").status_code == 404
    assert english.post(f"/review/{review.id}", data=form_data(application)).status_code == 404
    assert english.post(f"/review/{review.id}/declare", data={"conflict": "no"}).status_code == 404
    assert refreshed(review).submitted_at is None
    if who == "second":  # a reviewer of another application cannot download its files
        url = f"/applications/{application.id}/attachments/{attachment.id}"
        assert english.get(url).status_code == 404


@pytest.mark.parametrize(("conflict", "expected"), [(False, 200), (None, 404), (True, 404)])
def test_attachment_download_for_a_reviewer_only_without_conflict(
    reviewer_client, people, make_in_review, make_review, conflict, expected
):
    application, attachment = with_attachment(make_in_review, people["member"])
    make_review(application, people["reviewer"], submitted=False, conflict=conflict)
    response = reviewer_client.get(f"/applications/{application.id}/attachments/{attachment.id}")
    assert response.status_code == expected
    logged = db.session.scalars(
        select(ApplicationView.page).where(ApplicationView.user_id == people["reviewer"].id)
    ).all()
    assert (f"attachment:{attachment.id}" in logged) == (expected == 200)


# --- the scoring form ------------------------------------------------------------------------


def test_a_draft_keeps_what_was_typed_also_empty_scores(
    reviewer_client, people, make_in_review, make_review
):
    application = make_in_review()
    review = make_review(application, people["reviewer"], submitted=False, conflict=None)
    reviewer_client.post(f"/review/{review.id}/declare", data={"conflict": "no"})
    scores = [5, None, 1, None, None, None, None]
    data = form_data(application, scores, motivation="Eerste indruk.", action="draft")
    response = reviewer_client.post(f"/review/{review.id}", data=data, follow_redirects=True)
    assert "Your review is saved as a draft." in response.text
    review = refreshed(review)
    assert review.submitted_at is None and review.recommendation == "fund"
    criteria = application.round.criteria
    assert [review.score_for(c.id).score for c in criteria] == scores
    assert review.score_for(criteria[1].id).motivation == "Eerste indruk."
    assert checked(response.text, f"score_{criteria[0].id}") == ["5"]
    assert checked(response.text, f"score_{criteria[1].id}") == []
    assert "2 of 7 criteria scored" in reviewer_client.get("/review/").text


def test_submitting_with_problems_names_them_and_keeps_a_draft(
    reviewer_client, people, make_in_review, make_review
):
    application = make_in_review()
    review = make_review(application, people["reviewer"], submitted=False)
    criteria = application.round.criteria
    scores = [1, None, 4, 4, 4, 4, 4]
    data = form_data(application, scores, recommendation=None)
    data[f"motivation_{criteria[2].id}"] = "Goed bereik in de wijk."
    response = reviewer_client.post(f"/review/{review.id}", data=data)
    assert response.status_code == 422
    page = response.text
    assert "Please check the following" in page
    assert "You gave Change from within a 1. Write why." in page
    assert "Choose a score from 1 to 5 for Preventive approach." in page
    assert "Choose your advice: fund, fund in part, or do not fund." in page
    assert f'href="#motivation_{criteria[0].id}"' in page
    assert f'href="#score_{criteria[1].id}"' in page
    assert "Goed bereik in de wijk." in page  # what was typed is shown again
    review = refreshed(review)
    assert review.submitted_at is None
    assert [review.score_for(c.id).score for c in criteria] == scores  # and saved as draft
    assert review.score_for(criteria[2].id).motivation == "Goed bereik in de wijk."


def test_submitting_with_problems_in_dutch(client, log_in, people, make_in_review, make_review):
    application = make_in_review()
    review = make_review(application, people["reviewer"], submitted=False)
    log_in(client, "rita@example.nl")
    data = form_data(application, [2, 3, 3, 3, 3, 3, 3])
    page = client.post(f"/review/{review.id}", data=data).text
    assert "U gaf Verandering van binnenuit een 2. Schrijf op waarom." in page


def test_a_submitted_review_is_locked(reviewer_client, people, make_in_review, make_review):
    application = make_in_review()
    review = make_review(application, people["reviewer"], submitted=False)
    reviewer_client.post(f"/review/{review.id}", data=form_data(application))
    confirmation = reviewer_client.get(f"/review/{review.id}/confirm").text
    reviewer_client.post(f"/review/{review.id}/confirm", data=hidden_fields(confirmation))
    submitted_at = refreshed(review).submitted_at
    assert submitted_at is not None
    page = reviewer_client.get(f"/review/{review.id}").text
    assert "It can no longer be changed." in page and "Submit review" not in page
    assert "Total score" in page and "75.0 of 100" in page

    # Neither the confirmation page nor its button is there any more.
    response = reviewer_client.get(f"/review/{review.id}/confirm", follow_redirects=True)
    assert "You have already submitted this review. It cannot be changed." in response.text
    response = reviewer_client.post(
        f"/review/{review.id}/confirm", data=hidden_fields(confirmation), follow_redirects=True
    )
    assert "You have already submitted this review. It cannot be changed." in response.text

    for action in ("draft", "submit"):
        data = form_data(application, [1] * 7, motivation="Toch anders.", action=action)
        response = reviewer_client.post(f"/review/{review.id}", data=data, follow_redirects=True)
        assert "You have already submitted this review. It cannot be changed." in response.text
    review = refreshed(review)
    assert review.submitted_at == submitted_at
    assert {score.score for score in review.scores} == {4}
    assert "Toch anders." not in {score.motivation for score in review.scores}


def test_submit_review_shows_the_confirmation_and_only_its_button_submits(
    reviewer_client, people, make_in_review, make_review
):
    application = make_in_review()
    make_review(application, people["second"])
    review = make_review(application, people["reviewer"], submitted=False)
    criteria = application.round.criteria
    data = form_data(application, [4, 4, 3, 4, 4, 4, 4], recommendation="fund_in_part")
    data[f"motivation_{criteria[2].id}"] = "Het bereik is nog vaag."
    response = reviewer_client.post(f"/review/{review.id}", data=data)
    assert response.headers["Location"] == f"/review/{review.id}/confirm"
    review = refreshed(review)
    assert review.submitted_at is None  # saved as a draft, not submitted
    assert review.recommendation == "fund_in_part"
    assert review.score_for(criteria[2].id).motivation == "Het bereik is nog vaag."

    page = reviewer_client.get(f"/review/{review.id}/confirm").text
    assert f"Check your review of {application.reference}" in page
    assert "Change from within" in page and "Score: 3" in page and "Het bereik is nog vaag." in page
    # (20 × 3 + 20 × 3 + 15 × 2 + 15 × 3 + 10 × 3 × 3) × 25 / 100 = 71.25, shown as 71.2.
    assert "71.2 of 100" in page
    assert "Fund in part" in page and "Sterk plan." in page
    assert "After you submit it, you cannot change it any more." in page
    assert ">Yes, submit my review</button>" in page
    assert f'href="/review/{review.id}#review-form">Back to your review</a>' in page
    assert refreshed(review).submitted_at is None  # looking is not submitting

    # The way back keeps everything.
    form_page = reviewer_client.get(f"/review/{review.id}").text
    assert checked(form_page, f"score_{criteria[2].id}") == ["3"]
    assert checked(form_page, "recommendation") == ["fund_in_part"]
    assert "Het bereik is nog vaag." in form_page and "Sterk plan." in form_page
    assert "Total score: 71.2 of 100." in form_page

    response = reviewer_client.post(
        f"/review/{review.id}/confirm", data=hidden_fields(page), follow_redirects=True
    )
    assert "Thank you. Your review is submitted." in response.text
    assert refreshed(review).submitted_at is not None
    db.session.expire_all()
    assert application.state == Status.REVIEWED


def test_confirming_twice_submits_once_and_tells_the_second(
    reviewer_client, people, make_in_review, make_review
):
    """Two tabs on the confirmation page, or a double click on its button."""
    application = make_in_review()
    make_review(application, people["second"])
    review = make_review(application, people["reviewer"], submitted=False)
    reviewer_client.post(f"/review/{review.id}", data=form_data(application))
    confirmation = hidden_fields(reviewer_client.get(f"/review/{review.id}/confirm").text)
    first = reviewer_client.post(f"/review/{review.id}/confirm", data=confirmation)
    submitted_at = refreshed(review).submitted_at
    assert first.status_code == 302 and submitted_at is not None
    second = reviewer_client.post(
        f"/review/{review.id}/confirm", data=confirmation, follow_redirects=True
    )
    assert second.status_code == 200
    assert "You have already submitted this review. It cannot be changed." in second.text
    assert "You submitted your review on" in second.text
    assert refreshed(review).submitted_at == submitted_at
    db.session.expire_all()
    assert [event.to_status for event in application.events].count("reviewed") == 1


def test_a_review_changed_in_another_tab_is_shown_again_before_it_is_submitted(
    reviewer_client, people, make_in_review, make_review
):
    application = make_in_review()
    review = make_review(application, people["reviewer"], submitted=False)
    reviewer_client.post(f"/review/{review.id}", data=form_data(application))
    shown = hidden_fields(reviewer_client.get(f"/review/{review.id}/confirm").text)
    # In another tab the reviewer changes a score and saves.
    reviewer_client.post(f"/review/{review.id}", data=form_data(application, [5] + [4] * 6))
    response = reviewer_client.post(
        f"/review/{review.id}/confirm", data=shown, follow_redirects=True
    )
    assert "Your review changed after this page was shown." in response.text
    assert "Yes, submit my review" in response.text and "Score: 5" in response.text
    assert refreshed(review).submitted_at is None


def test_the_confirmation_page_shows_what_is_missing_instead(
    reviewer_client, people, make_in_review, make_review
):
    application = make_in_review()
    review = make_review(application, people["reviewer"], submitted=False)
    # The draft has scores but no advice: the form says so, there is nothing to confirm.
    response = reviewer_client.get(f"/review/{review.id}/confirm")
    assert response.status_code == 422
    assert "Choose your advice" in response.text and "Yes, submit my review" not in response.text
    response = reviewer_client.post(
        f"/review/{review.id}/confirm",
        data={"version": operations.content_version(refreshed(review))},
    )
    assert response.status_code == 422 and "Choose your advice" in response.text
    assert refreshed(review).submitted_at is None


@pytest.mark.parametrize(
    ("scores", "total"),
    [
        ([None] * 7, "Total score: none yet. It appears when you give scores."),
        # (20 × 4 + 20 × 1 + 15 × 2) × 25 / 55 = 59.09…
        (
            [5, 2, 3, None, None, None, None],
            "Total so far: 59.1 of 100. Not final: 3 of the 7 criteria scored.",
        ),
        ([4, 4, 3, 4, 4, 4, 4], "Total score: 71.2 of 100."),
        ([4, 4, 4, 4, 4, 4, 3], "Total score: 72.5 of 100."),
    ],
)
def test_a_saved_draft_shows_the_total_computed_on_the_server(
    reviewer_client, people, make_in_review, make_review, scores, total
):
    application = make_in_review()
    review = make_review(application, people["reviewer"], submitted=False)
    data = form_data(application, scores, motivation="Zo.", action="draft")
    page = reviewer_client.post(f"/review/{review.id}", data=data, follow_redirects=True).text
    assert "Your review is saved as a draft." in page
    assert f"data-review-total-text>{total}</p>" in page
    # The weights the page's script adds up, one per criterion.
    assert re.findall(r'data-weight="(\d+)"', page) == ["20", "20", "15", "15", "10", "10", "10"]


def test_the_total_in_dutch(client, log_in, people, make_in_review, make_review):
    application = make_in_review()
    review = make_review(application, people["reviewer"], [4, 4, 3, 4, 4, 4, 4], submitted=False)
    log_in(client, "rita@example.nl")
    page = client.get(f"/review/{review.id}").text
    assert "Totaalscore: 71,2 van 100." in page


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_advice_error_names_the_options_the_form_shows(
    client, log_in, people, make_in_review, make_review, language
):
    application = make_in_review()
    review = make_review(application, people["reviewer"], submitted=False)
    log_in(client, "rita@example.nl")
    client.get(f"/language/{language}")
    page = client.post(f"/review/{review.id}", data=form_data(application, recommendation=None))
    assert page.status_code == 422
    labels = re.findall(r'<label[^>]*for="recommendation[^"]*">([^<]+)</label>', page.text)
    assert len(labels) == 3
    message = re.search(r"(Kies uw advies|Choose your advice): [^<]*", page.text).group()
    for label in labels:
        assert label.strip().lower() in message.lower(), (label, message)
    if language == "nl":
        assert message == "Kies uw advies: toekennen, deels toekennen of niet toekennen."


def test_the_last_required_review_moves_the_application_on(
    reviewer_client, people, make_in_review, make_review
):
    application = make_in_review()
    make_review(application, people["second"])
    review = make_review(application, people["reviewer"], submitted=False)
    response = submit_review(reviewer_client, review, form_data(application))
    assert "Thank you. Your review is submitted." in response.text
    db.session.expire_all()
    assert application.state == Status.REVIEWED
    event_ = application.events[-1]
    assert (event_.actor_id, event_.from_status, event_.to_status) == (
        None,
        "in_review",
        "reviewed",
    )
    assert event_.message


def test_a_review_that_is_not_the_last_leaves_the_application_in_review(
    reviewer_client, people, make_in_review, make_review
):
    application = make_in_review()
    history = len(application.events)
    make_review(application, people["second"], submitted=False)
    review = make_review(application, people["reviewer"], submitted=False)
    submit_review(reviewer_client, review, form_data(application))
    db.session.expire_all()
    assert refreshed(review).submitted_at is not None
    assert application.state == Status.IN_REVIEW and len(application.events) == history


@pytest.mark.parametrize("status", ["withdrawn", "reviewed"])
def test_no_review_once_the_application_is_no_longer_assessed(
    reviewer_client, people, make_in_review, make_review, status
):
    application = make_in_review(status=status)
    review = make_review(application, people["reviewer"], submitted=False)
    for action in ("draft", "submit"):
        response = reviewer_client.post(
            f"/review/{review.id}",
            data=form_data(application, action=action),
            follow_redirects=True,
        )
        assert "This application is no longer being assessed." in response.text
    response = reviewer_client.get(f"/review/{review.id}/confirm", follow_redirects=True)
    assert "This application is no longer being assessed." in response.text
    assert refreshed(review).submitted_at is None


def test_before_declaring_the_form_is_refused(reviewer_client, people, make_in_review, make_review):
    application = make_in_review()
    review = make_review(application, people["reviewer"], conflict=None)
    response = reviewer_client.post(
        f"/review/{review.id}", data=form_data(application), follow_redirects=True
    )
    assert "First declare whether you have a conflict of interest." in response.text
    assert refreshed(review).submitted_at is None and refreshed(review).scores == []


# --- reminders -------------------------------------------------------------------------------


def test_remind_mails_each_reviewer_once_about_what_is_due(
    app, people, make_in_review, make_review, make_user, mailbox
):
    now = utcnow()
    soon, overdue, later, done, conflict = (make_in_review() for _ in range(5))
    make_review(soon, people["reviewer"], submitted=False, due_at=now + timedelta(days=2))
    make_review(overdue, people["reviewer"], conflict=None, due_at=now - timedelta(days=1))
    make_review(later, people["reviewer"], submitted=False, due_at=now + timedelta(days=10))
    make_review(done, people["reviewer"], due_at=now + timedelta(days=1))
    make_review(conflict, people["reviewer"], conflict=True, due_at=now + timedelta(days=1))
    make_review(soon, people["second"], conflict=True, due_at=now + timedelta(days=1))
    recent = make_review(overdue, people["second"], submitted=False, due_at=now)
    recent.reminded_at = now - timedelta(hours=2)
    db.session.commit()

    runner = app.test_cli_runner()
    result = runner.invoke(args=["workflow", "remind"])
    assert result.exit_code == 0, result.output
    assert "1 reviewer(s) reminded" in result.output
    assert len(mailbox.to("rita@example.nl")) == 1 and mailbox.to("sam@example.nl") == []
    message = mailbox.last_to("rita@example.nl")
    text = message["Subject"] + mailbox.body(message)
    assert "Binnen drie dagen moet 1 beoordeling klaar zijn." in text
    assert "1 beoordeling is te laat: de uiterste datum is voorbij." in text
    assert mailbox.link_to("rita@example.nl", "/review") == "/review/"
    for secret in ("Gesprekken", "Samen Sterk", soon.reference):
        assert secret not in text
    db.session.expire_all()
    reminded = db.session.scalars(select(Review).where(Review.reminded_at.is_not(None))).all()
    assert len(reminded) == 3  # the two due ones, and the one reminded before

    result = runner.invoke(args=["workflow", "remind"])
    assert "0 reviewer(s) reminded" in result.output
    assert len(mailbox.to("rita@example.nl")) == 1


class AtOnce:
    """Two requests, each in a thread and a transaction of its own, busy at the same time: the
    first to finish its operation waits before its commit (`finished`) until the test thread
    sees the other one busy too (`proven`, polled with wait_until): finished as well, or held
    up by the first one's lock. On PostgreSQL that wait is visible in pg_stat_activity. On
    SQLite (one writer) it is not; there the other one has started a write statement, which
    waits on the busy timeout while the first holds the write lock. The timeouts only stop a
    test that would hang."""

    def __init__(self, app) -> None:
        with app.app_context():
            self.engine = db.engine  # the requests' app (the test itself runs in its twin's)
        self.barrier = threading.Barrier(2)
        self.threads: dict[int, int] = {}  # thread id -> 0 or 1
        self.pids: list[int | None] = [None, None]  # the PostgreSQL backend of each
        self.done = [threading.Event(), threading.Event()]
        self.writing = [threading.Event(), threading.Event()]
        self.go = threading.Event()

    def enter(self, me: int) -> None:
        """In thread `me`, first thing in its request: note its connection, then start together
        with the other."""
        self.threads[threading.get_ident()] = me
        if self.engine.dialect.name == "postgresql":
            self.pids[me] = db.session.scalar(text("SELECT pg_backend_pid()"))
        self.barrier.wait(timeout=10)

    def finished(self, me: int) -> None:
        """In thread `me`, its operation done and its commit still to come."""
        self.done[me].set()
        assert self.go.wait(timeout=20), "the other request never became busy"

    def held_up(self, other: int) -> bool:
        if self.engine.dialect.name == "postgresql":
            return (
                db.session.scalar(
                    text("SELECT wait_event_type FROM pg_stat_activity WHERE pid = :pid"),
                    {"pid": self.pids[other]},
                )
                == "Lock"
            )
        return self.writing[other].is_set()

    def proven(self) -> bool:
        """In the test thread: one finished its operation while the other is finished too or
        held up by it."""
        return any(
            self.done[me].is_set() and (self.done[1 - me].is_set() or self.held_up(1 - me))
            for me in (0, 1)
        )

    def _note_write(self, conn, cursor, statement, *args) -> None:
        me = self.threads.get(threading.get_ident())
        if me is not None and statement.lstrip().upper().startswith(("UPDATE", "INSERT")):
            self.writing[me].set()

    def run(self, target) -> None:
        """Run target(0) and target(1) in threads, and let each commit once both are busy."""
        threads = [threading.Thread(target=target, args=(me,)) for me in (0, 1)]
        event.listen(self.engine, "before_cursor_execute", self._note_write)
        try:
            for thread in threads:
                thread.start()
            # A thread that ended before that failed (its error is in the test's failures).
            wait_until(
                lambda: self.proven() or not all(thread.is_alive() for thread in threads),
                timeout=20,
                what="both requests busy at the same time",
            )
        finally:
            self.go.set()
            for thread in threads:
                thread.join(timeout=20)
            event.remove(self.engine, "before_cursor_execute", self._note_write)


@pytest.mark.skipif(
    not os.environ.get("TEST_DATABASE_URL"),
    reason="row locks need PostgreSQL (SQLite has one writer)",
)
def test_the_last_two_reviews_submitted_at_once_move_the_application_on(
    app, people, make_in_review, make_review
):
    """Without the row lock each submission counts only itself and neither moves it on."""
    application = make_in_review()
    reviews = [
        make_review(application, people["reviewer"], submitted=False),
        make_review(application, people["second"], submitted=False),
    ]
    jobs = [(review.id, review.reviewer_id) for review in reviews]
    criteria = [criterion.id for criterion in application.round.criteria]
    at_once = AtOnce(app)
    failures = []

    def submit_in_own_request(me):
        review_id, user_id = jobs[me]
        try:
            with app.test_request_context():
                at_once.enter(me)
                review = db.session.get(Review, review_id)
                user = db.session.get(User, user_id)
                data = ReviewInput(scores=dict.fromkeys(criteria, 4), recommendation="fund")
                assert operations.submit(review, user, data) == {}
                at_once.finished(me)  # both are busy at the same time
                db.session.commit()
                db.session.remove()
        except Exception as error:  # noqa: BLE001 - reported in the test's own thread
            failures.append(error)

    at_once.run(submit_in_own_request)
    assert failures == []
    db.session.expire_all()
    assert application.state == Status.REVIEWED
    assert [event.to_status for event in application.events].count("reviewed") == 1


def test_two_confirmations_at_once_submit_the_review_once(app, people, make_in_review, make_review):
    """A double click on the confirmation's button: both requests run at the same time. The
    review is claimed with one conditional UPDATE, so this holds on SQLite too."""
    application = make_in_review()
    make_review(application, people["second"])
    review = make_review(application, people["reviewer"], submitted=False)
    review.recommendation = "fund"
    db.session.commit()
    version = operations.content_version(review)
    # Only ids cross into the threads: the test's own objects belong to the test's session.
    review_id, user_id = review.id, people["reviewer"].id
    at_once = AtOnce(app)
    outcomes, failures = [], []

    def confirm_in_own_request(me):
        try:
            with app.test_request_context():
                at_once.enter(me)
                own = db.session.get(Review, review_id)
                user = db.session.get(User, user_id)
                try:
                    assert operations.confirm_submission(own, user, version) == {}
                    at_once.finished(me)  # the other one is busy meanwhile
                    db.session.commit()
                    outcomes.append("submitted")
                except operations.ReviewRefused as refused:
                    at_once.done[me].set()
                    db.session.rollback()
                    outcomes.append(str(refused))
                db.session.remove()
        except Exception as error:  # noqa: BLE001 - reported in the test's own thread
            failures.append(error)

    at_once.run(confirm_in_own_request)
    assert failures == []
    assert sorted(outcomes) == [
        "U heeft deze beoordeling al ingediend. U kunt die niet meer veranderen.",
        "submitted",
    ]
    db.session.expire_all()
    assert refreshed(review).submitted_at is not None
    assert application.state == Status.REVIEWED
    assert [event.to_status for event in application.events].count("reviewed") == 1
