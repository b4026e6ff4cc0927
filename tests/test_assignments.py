"""Reviewer pools and assignments: who may review what, assigning by hand (with a discreet
e-mail), removing an assignment, assigning a whole round automatically with a balanced load, and
the assignment page an administrator works with."""

import re
from datetime import timedelta

import pytest
from flask_babel import force_locale
from sqlalchemy import event, func, select

from fonds.applications.forms import today
from fonds.applications.models import Application
from fonds.assignments import operations as assignment_ops
from fonds.assignments.models import ReviewerPoolMember
from fonds.columns import utcnow
from fonds.demo import builders
from fonds.extensions import db
from fonds.mail.operations import send_ready_mail
from fonds.organisations.models import Membership
from fonds.reviews.models import Review
from fonds.roles import Role

TITLE = "Gesprekken in de moskee"


@pytest.fixture(autouse=True)
def in_english(app):
    """Messages of operations called directly read like the msgids (mail still goes out in
    the reviewer's own language)."""
    with force_locale("en"):
        yield


@pytest.fixture
def admin(make_user):
    return make_user("admin@example.nl", name="Anna Admin", roles=[Role.ADMIN])


@pytest.fixture
def round_(make_round):
    return make_round()


@pytest.fixture
def make_reviewer(make_user, round_):
    def make(name: str, *, pool: bool = True, **kwargs):
        email = name.lower().replace(" ", ".") + "@example.nl"
        user = make_user(email, name=name, roles=[Role.REVIEWER], **kwargs)
        if pool:
            db.session.add(ReviewerPoolMember(round_id=round_.id, user_id=user.id))
            db.session.commit()
        return user

    return make


@pytest.fixture
def make_in_review(make_user, make_organisation, make_application, round_):
    """An application being assessed, of its own organisation (or the one given)."""

    def make(organisation=None, **overrides):
        number = db.session.scalar(select(func.count(Application.id))) + 1
        if organisation is None:
            member = make_user(f"member{number}@example.nl", name=f"Lid {number}")
            organisation = make_organisation(f"Stichting {number}", members=[member])
        # Sent one minute after the other, in the order they are made.
        return make_application(
            round_,
            organisation,
            status="in_review",
            sent_at=utcnow() - timedelta(days=30) + timedelta(minutes=number),
            **overrides,
        )

    return make


@pytest.fixture
def admin_client(english, admin, log_in):
    log_in(english, "admin@example.nl")
    return english


def due():
    return utcnow() + timedelta(days=21)


def assignments_of(application):
    return db.session.scalars(
        select(Review).where(Review.application_id == application.id).order_by(Review.id)
    ).all()


def flashes(response) -> str:
    """The text of the page as a person reads it: without tags, spaces collapsed."""
    text = re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))
    return re.sub(r"\s+([:.,)])", r"\1", " ".join(text.split()))


# --- who may review what -----------------------------------------------------------------------


def test_a_pool_reviewer_without_ties_is_eligible(make_reviewer, make_in_review):
    reviewer = make_reviewer("Rana Reviewer")
    assert assignment_ops.ineligibility(make_in_review(), reviewer) is None


def test_a_member_of_the_applying_organisation_is_not_eligible(make_reviewer, make_in_review):
    application = make_in_review()
    reviewer = make_reviewer("Rana Reviewer")
    db.session.add(Membership(user=reviewer, organisation=application.organisation))
    db.session.commit()
    reason = assignment_ops.ineligibility(application, reviewer)
    assert reason == (
        "Rana Reviewer is a member of the organisation that applies, so they cannot review "
        "this application."
    )


def test_a_declared_conflict_makes_someone_ineligible(make_reviewer, make_in_review, make_review):
    application = make_in_review()
    reviewer = make_reviewer("Rana Reviewer")
    make_review(application, reviewer, conflict=True)
    assert assignment_ops.ineligibility(application, reviewer) == (
        "Rana Reviewer declared a conflict of interest with this application."
    )


def test_outside_the_pool_or_without_the_role_is_not_eligible(
    make_reviewer, make_in_review, make_user
):
    application = make_in_review()
    outside = make_reviewer("Omar Outside", pool=False)
    assert assignment_ops.ineligibility(application, outside) == (
        "Omar Outside is not in the reviewer pool of this round."
    )
    applicant = make_user("gewoon@example.nl", name="Gewoon Iemand")
    db.session.add(ReviewerPoolMember(round_id=application.round_id, user_id=applicant.id))
    db.session.commit()
    assert assignment_ops.ineligibility(application, applicant) == (
        "Gewoon Iemand does not have the reviewer role."
    )


def test_someone_already_assigned_is_not_assigned_twice(make_reviewer, make_in_review, admin):
    application = make_in_review()
    reviewer = make_reviewer("Rana Reviewer")
    assignment_ops.assign(application, reviewer, admin, due())
    db.session.commit()
    with pytest.raises(assignment_ops.AssignmentRefused, match="already assigned"):
        assignment_ops.assign(application, reviewer, admin, due())
    db.session.rollback()
    assert len(assignments_of(application)) == 1


# --- the pool ----------------------------------------------------------------------------------


def test_the_pool_takes_reviewers_once_and_only_reviewers(round_, make_reviewer, make_user, admin):
    reviewer = make_reviewer("Rana Reviewer", pool=False)
    assignment_ops.add_to_pool(round_, reviewer, admin)
    db.session.commit()
    with pytest.raises(assignment_ops.AssignmentRefused) as twice:
        assignment_ops.add_to_pool(round_, reviewer, admin)
    assert str(twice.value) == "Rana Reviewer is already in the reviewer pool of this round."
    db.session.rollback()
    applicant = make_user("gewoon@example.nl", name="Gewoon Iemand")
    with pytest.raises(assignment_ops.AssignmentRefused, match="does not have the reviewer role"):
        assignment_ops.add_to_pool(round_, applicant, admin)
    db.session.rollback()
    count = db.session.scalar(select(func.count(ReviewerPoolMember.id)))
    assert count == 1


def test_leaving_the_pool_keeps_the_assignments(
    admin_client, round_, make_reviewer, make_in_review, admin
):
    application = make_in_review()
    reviewer = make_reviewer("Rana Reviewer")
    assignment_ops.assign(application, reviewer, admin, due())
    db.session.commit()
    response = admin_client.post(
        f"/assignments/rounds/{round_.id}/pool/{reviewer.id}/remove", follow_redirects=True
    )
    text = flashes(response)
    assert (
        "Rana Reviewer is no longer in the reviewer pool. The assignments they have stay." in text
    )
    assert len(assignments_of(application)) == 1
    assert assignment_ops.ineligibility(make_in_review(), reviewer) == (
        "Rana Reviewer is not in the reviewer pool of this round."
    )


def test_an_administrator_adds_a_reviewer_to_the_pool(admin_client, round_, make_reviewer):
    reviewer = make_reviewer("Rana Reviewer", pool=False)
    page = admin_client.get(f"/assignments/rounds/{round_.id}").get_data(as_text=True)
    assert "Rana Reviewer (rana.reviewer@example.nl)" in page
    response = admin_client.post(
        f"/assignments/rounds/{round_.id}/pool", data={"user": reviewer.id}, follow_redirects=True
    )
    assert "Rana Reviewer is now in the reviewer pool." in flashes(response)
    again = admin_client.post(
        f"/assignments/rounds/{round_.id}/pool", data={"user": reviewer.id}, follow_redirects=True
    )
    assert "Rana Reviewer is already in the reviewer pool of this round." in flashes(again)


# --- assigning by hand -------------------------------------------------------------------------


def test_assigning_by_hand_mails_the_reviewer_without_naming_the_application(
    admin_client, make_reviewer, make_in_review, mailbox
):
    application = make_in_review()
    reviewer = make_reviewer("Rana Reviewer")
    due_day = today() + timedelta(days=10)
    response = admin_client.post(
        f"/assignments/applications/{application.id}/assign",
        data={
            f"assign-{application.id}-reviewer": reviewer.id,
            f"assign-{application.id}-due_date": due_day.strftime("%d-%m-%Y"),
        },
        follow_redirects=True,
    )
    assert f"Rana Reviewer now reviews {application.reference} and gets an e-mail." in flashes(
        response
    )
    [review] = assignments_of(application)
    assert review.conflict is None and review.submitted_at is None

    message = mailbox.last_to("rana.reviewer@example.nl")
    body = mailbox.body(message)
    assert f"/review/{review.id}" in body
    assert "Een nieuwe aanvraag wacht op uw beoordeling" in body  # the reviewer's language
    assert str(due_day.day) in body
    for secret in (TITLE, application.reference, application.organisation.name, "moskee"):
        assert secret not in body
        assert secret not in message["Subject"]
    # The page now lists the reviewer with the state of the review.
    page = flashes(admin_client.get(f"/assignments/rounds/{application.round_id}?show=all"))
    assert (
        "Rana Reviewer: Has not said yet whether there is a conflict of interest. Due "
        f"{due_day.day}" in page
    )


def test_assigning_is_refused_for_an_application_not_being_assessed(
    make_reviewer, make_in_review, admin
):
    application = make_in_review()
    application.status = "reviewed"
    db.session.commit()
    with pytest.raises(
        assignment_ops.AssignmentRefused, match="only be assigned to an application that is"
    ):
        assignment_ops.assign(application, make_reviewer("Rana Reviewer"), admin, due())


def test_a_refused_assignment_says_why_on_the_page(
    admin_client, make_reviewer, make_in_review, mailbox
):
    application = make_in_review()
    member = application.organisation.members[0]
    member.add_role(Role.REVIEWER)
    db.session.add(ReviewerPoolMember(round_id=application.round_id, user_id=member.id))
    db.session.commit()
    response = admin_client.post(
        f"/assignments/applications/{application.id}/assign",
        data={f"assign-{application.id}-reviewer": member.id},
        follow_redirects=True,
    )
    assert f"{member.name} is a member of the organisation that applies" in flashes(response)
    assert assignments_of(application) == []
    assert mailbox.messages == []


def test_a_due_date_in_the_past_is_refused(admin_client, make_reviewer, make_in_review):
    application = make_in_review()
    reviewer = make_reviewer("Rana Reviewer")
    response = admin_client.post(
        f"/assignments/applications/{application.id}/assign",
        data={
            f"assign-{application.id}-reviewer": reviewer.id,
            f"assign-{application.id}-due_date": today().strftime("%d-%m-%Y"),
        },
        follow_redirects=True,
    )
    assert "Choose a due date after today." in flashes(response)
    assert assignments_of(application) == []


# --- removing an assignment --------------------------------------------------------------------


def test_an_unsubmitted_assignment_can_be_removed(
    admin_client, make_reviewer, make_in_review, make_review
):
    application = make_in_review()
    draft = make_review(application, make_reviewer("Rana Reviewer"), submitted=False)
    response = admin_client.post(f"/assignments/reviews/{draft.id}/remove", follow_redirects=True)
    assert f"Rana Reviewer no longer reviews {application.reference}." in flashes(response)
    assert assignments_of(application) == []


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        (
            "submitted",
            "Rana Reviewer has submitted this review, so the assignment cannot be removed.",
        ),
        (
            "conflict",
            "Rana Reviewer declared a conflict of interest. That declaration stays on record; "
            "assign someone else.",
        ),
    ],
)
def test_a_submitted_review_or_a_declared_conflict_stays(
    admin_client, make_reviewer, make_in_review, make_review, kind, message
):
    application = make_in_review()
    reviewer = make_reviewer("Rana Reviewer")
    if kind == "submitted":
        review = make_review(application, reviewer)
    else:
        review = make_review(application, reviewer, conflict=True)
    response = admin_client.post(f"/assignments/reviews/{review.id}/remove", follow_redirects=True)
    assert message in flashes(response)
    assert len(assignments_of(application)) == 1


# --- assigning automatically -------------------------------------------------------------------


def loads(round_) -> dict[str, int]:
    facts = assignment_ops.round_facts(round_)
    return {user.name: facts.round_load.get(user.id, 0) for user in facts.pool}


def test_auto_assign_balances_the_load_and_skips_members_and_conflicts(
    round_, make_reviewer, make_in_review, make_review, admin, mailbox
):
    # Three reviewers, five applications, two reviewers each: 10 assignments over 3 people.
    # Anna already has one active assignment in this round and Bram declared a conflict on the
    # first application, which does not count as load. Anna belongs to the organisation of the
    # second application.
    anna = make_reviewer("Anna")
    bram = make_reviewer("Bram")
    cato = make_reviewer("Cato")
    first, second, third, fourth, fifth = (make_in_review() for _ in range(5))
    db.session.add(Membership(user=anna, organisation=second.organisation))
    db.session.commit()
    make_review(first, anna, submitted=False)
    make_review(first, bram, conflict=True)

    result = assignment_ops.auto_assign(round_, admin, due())
    db.session.commit()

    send_ready_mail()  # as a command does after its commit

    # Worked out by hand, lowest (load in round, load overall, id) first:
    # first   needs 1 (Anna active, Bram's conflict does not count) -> Cato     A1 B0 C1
    # second  Anna is a member                                      -> Bram, Cato A1 B1 C2
    # third   Anna 1, Bram 1, Cato 2                                -> Anna, Bram A2 B2 C2
    # fourth  all 2, ties go by id                                  -> Anna, Bram A3 B3 C2
    # fifth   Cato 2, then Anna before Bram (id)                    -> Cato, Anna A4 B3 C3
    assert result.made == 9
    assert result.short == []
    by_application = [
        sorted(r.reviewer.name for r in assignments_of(application))
        for application in (first, second, third, fourth, fifth)
    ]
    assert by_application == [
        ["Anna", "Bram", "Cato"],  # Bram's conflict stays as a record
        ["Bram", "Cato"],
        ["Anna", "Bram"],
        ["Anna", "Bram"],
        ["Anna", "Cato"],
    ]
    assert loads(round_) == {"Anna": 4, "Bram": 3, "Cato": 3}
    # One mail per reviewer, with the number of new applications (3 each).
    for user in (anna, bram, cato):
        [mail] = mailbox.to(user.email)
        assert "Er wachten 3 nieuwe aanvragen op uw beoordeling" in mailbox.body(mail)
        assert TITLE not in mailbox.body(mail)

    # Running it again adds nothing and mails nobody.
    mailbox.clear()
    again = assignment_ops.auto_assign(round_, admin, due())
    db.session.commit()
    assert again.made == 0 and again.short == []
    assert mailbox.messages == []


def test_auto_assign_with_hand_checked_loads(round_, make_reviewer, make_in_review, admin):
    # Four reviewers, six applications, two each: 12 assignments, 3 per person exactly.
    reviewers = [make_reviewer(name) for name in ("Anna", "Bram", "Cato", "Dirk")]
    applications = [make_in_review() for _ in range(6)]
    result = assignment_ops.auto_assign(round_, admin, due())
    db.session.commit()
    assert result.made == 12
    assert loads(round_) == {"Anna": 3, "Bram": 3, "Cato": 3, "Dirk": 3}
    # Greedy by (load, id): the first application gets Anna and Bram, the second Cato and Dirk.
    names = [sorted(r.reviewer.name for r in assignments_of(a)) for a in applications[:2]]
    assert names == [["Anna", "Bram"], ["Cato", "Dirk"]]
    assert len(reviewers) == 4


def test_auto_assign_reports_applications_short_of_reviewers(
    admin_client, round_, make_reviewer, make_in_review
):
    only = make_reviewer("Rana Reviewer")
    application = make_in_review()
    own = make_in_review()
    db.session.add(Membership(user=only, organisation=own.organisation))
    db.session.commit()
    response = admin_client.post(
        f"/assignments/rounds/{round_.id}/auto",
        data={"auto-due_date": (today() + timedelta(days=21)).strftime("%d-%m-%Y")},
        follow_redirects=True,
    )
    text = flashes(response)
    assert "Assignments made: 1. Each reviewer gets one e-mail." in text
    assert "Applications that could not get enough reviewers: 2. The pool is too small" in text
    assert f"{application.reference} (1 more reviewer needed)" in text
    assert f"{own.reference} (2 more reviewers needed)" in text
    assert [r.reviewer.name for r in assignments_of(application)] == ["Rana Reviewer"]
    assert assignments_of(own) == []


def test_auto_assign_needs_a_handful_of_queries_for_many_applications(
    app, round_, make_reviewer, make_organisation, admin
):
    reviewers = [make_reviewer(f"Reviewer {n:02d}") for n in range(6)]
    organisation = make_organisation("Stichting Groot", members=[reviewers[0]])
    for _ in range(120):
        builders.make_application(round_, organisation, status="in_review", complete=False)
    db.session.commit()
    statements = []

    def count(*args):
        statements.append(args[2])

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        result = assignment_ops.auto_assign(round_, admin, due())
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    db.session.commit()
    assert result.made == 240
    selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    assert len(selects) <= 10, selects
    # Reviewer 00 is a member of the organisation: never assigned; the other five share 240.
    assert loads(round_)["Reviewer 00"] == 0
    assert sorted(loads(round_).values())[1:] == [48] * 5


# --- the page ----------------------------------------------------------------------------------


def test_the_page_marks_a_conflict_and_filters_on_need(
    admin_client, round_, make_reviewer, make_in_review, make_review
):
    done = make_in_review()
    needs = make_in_review()
    anna, bram, cato = (make_reviewer(name) for name in ("Anna", "Bram", "Cato"))
    make_review(done, anna)
    make_review(done, bram, submitted=False)
    make_review(needs, anna, conflict=True)
    make_review(needs, cato, conflict=False, submitted=False)

    page = flashes(admin_client.get(f"/assignments/rounds/{round_.id}"))
    assert needs.reference in page
    assert done.reference not in page
    assert "Anna: Conflict of interest declared: assign someone else." in page
    assert "1 of 2 reviewers" in page

    everything = flashes(admin_client.get(f"/assignments/rounds/{round_.id}?show=all"))
    assert done.reference in everything
    assert "Anna: Submitted" in everything
    assert "Bram: Draft, due" in everything
    # Only Bram can still be chosen for the application that needs someone.
    html = admin_client.get(f"/assignments/rounds/{round_.id}").get_data(as_text=True)
    select_html = html.split(f'id="assign-{needs.id}-reviewer"')[1].split("</select>")[0]
    assert "Bram" in select_html and "Anna" not in select_html and "Cato" not in select_html
    # The pool shows the load per reviewer: Anna 1 assigned (the conflict does not count),
    # 1 submitted.
    pool = html.split('id="pool-table"')[1].split("</table>")[0]
    anna_row = flashes_row(pool, "Anna")
    assert anna_row == ["Anna", "1", "1"]


@pytest.mark.parametrize(
    ("needing", "total", "sentence"),
    [
        (0, 0, "There are no applications being assessed in this round."),
        (0, 1, "Every application being assessed has enough reviewers."),
        (0, 3, "Every application being assessed has enough reviewers."),
        (1, 1, "The application being assessed still needs reviewers."),
        (1, 3, "1 of the 3 applications being assessed still needs reviewers."),
        (2, 3, "2 of the 3 applications being assessed still need reviewers."),
        (2, 2, "All 2 applications being assessed still need reviewers."),
    ],
)
def test_the_page_says_how_many_applications_need_reviewers(
    admin_client, round_, make_reviewer, make_in_review, make_review, needing, total, sentence
):
    anna, bram = make_reviewer("Anna"), make_reviewer("Bram")
    for number in range(total):
        application = make_in_review()
        if number >= needing:
            make_review(application, anna, submitted=False)
            make_review(application, bram, conflict=None)
    page = flashes(admin_client.get(f"/assignments/rounds/{round_.id}"))
    assert sentence in page
    assert not re.search(r"\b0 of the", page)


def test_the_sentence_reads_right_in_dutch(
    round_, make_reviewer, make_in_review, make_review, client, admin, log_in
):
    log_in(client, "admin@example.nl")
    client.get("/language/nl")
    anna, bram = make_reviewer("Anna"), make_reviewer("Bram")
    done, second = make_in_review(), make_in_review()
    make_review(done, anna, submitted=False)
    make_review(done, bram, submitted=False)
    page = flashes(client.get(f"/assignments/rounds/{round_.id}"))
    assert "1 van de 2 aanvragen in beoordeling heeft nog beoordelaars nodig." in page
    make_review(second, anna, submitted=False)
    make_review(second, bram, submitted=False)
    page = flashes(client.get(f"/assignments/rounds/{round_.id}"))
    assert "Elke aanvraag in beoordeling heeft genoeg beoordelaars." in page


def test_only_an_application_that_still_needs_someone_says_nobody_is_available(
    admin_client, round_, make_reviewer, make_in_review, make_review
):
    anna, bram = make_reviewer("Anna"), make_reviewer("Bram")
    complete, short = make_in_review(), make_in_review()
    make_review(complete, anna, submitted=False)
    make_review(complete, bram, conflict=None)
    make_review(short, anna, submitted=False)
    make_review(short, bram, conflict=True)  # Bram cannot be chosen again; nobody else is left

    page = admin_client.get(f"/assignments/rounds/{round_.id}?show=all").get_data(as_text=True)
    complete_card = card_text(page, complete)
    short_card = card_text(page, short)
    assert "This application has enough reviewers." in complete_card
    assert "nobody in the pool" not in complete_card
    assert (
        "This application still needs 1 reviewer, but nobody in the pool can be assigned to it."
        in short_card
    )
    assert "has enough reviewers" not in short_card


def card_text(page: str, application) -> str:
    """The text of the application's card on the assignment page."""
    start = page.index(f'id="application-{application.id}"')
    end = page.find('<li class="assignment-card"', start)
    return flashes_text(page[start : end if end != -1 else None])


def flashes_text(fragment: str) -> str:
    text = re.sub(r"<[^>]+>", " ", fragment)
    return re.sub(r"\s+([:.,)])", r"\1", " ".join(text.split()))


def flashes_row(table_html: str, name: str) -> list[str]:
    for row in re.findall(r"<tr.*?</tr>", table_html, flags=re.S):
        cells = [
            re.sub(r"<[^>]+>", "", c).strip()
            for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, flags=re.S)
        ]
        if cells and cells[0] == name:
            return cells[:3]
    raise AssertionError(f"no row for {name}")


def test_the_page_needs_the_same_number_of_queries_for_more_applications(
    app, admin_client, round_, make_reviewer, make_in_review, make_review
):
    with app.app_context():  # the app that serves the requests has its own engine
        engine = db.engine
    reviewers = [make_reviewer(name) for name in ("Anna", "Bram", "Cato")]

    def queries() -> int:
        statements = []

        def count(*args):
            statements.append(args[2])

        event.listen(engine, "before_cursor_execute", count)
        try:
            assert admin_client.get(f"/assignments/rounds/{round_.id}?show=all").status_code == 200
        finally:
            event.remove(engine, "before_cursor_execute", count)
        return len(statements)

    first = make_in_review()
    make_review(first, reviewers[0], submitted=False)
    few = queries()
    for _ in range(6):
        application = make_in_review()
        make_review(application, reviewers[1], conflict=None, submitted=False)
    assert queries() == few
