"""The planning and budget step does not trap the applicant: adding and removing budget lines is
never refused by a rule between fields, the total shown is the total of the lines shown, the
amount asked plus other money must cover the budget (and the page says by how much it does not),
"Other" asks which community, and more lines than allowed are refused with the limit, keeping
every line typed."""

from decimal import Decimal

from fonds.extensions import db
from tests.test_applications import step_url


def planning(**values) -> dict:
    data = {
        "start_date": "1-3-2027",
        "end_date": "1-12-2027",
        "amount_requested": "5.000",
        "lines-0-category": "venue",
        "lines-0-description": "Zaal",
        "lines-0-amount": "3.600",
    }
    data.update(values)
    return data


def test_adding_a_line_is_not_refused_by_the_budget_rule(
    english, applicant, make_round, make_application
):
    """The request is above the budget so far: the line that would fix that can be added."""
    application = make_application(make_round(), applicant[1], complete=False)
    response = english.post(step_url(application, "planning"), data=planning(add_line="1"))
    assert response.status_code == 200
    assert 'id="lines-1-category"' in response.text  # the new, empty line
    assert "You ask for more than your budget" not in response.text
    assert "Please check the following" not in response.text
    db.session.refresh(application)
    assert application.budget_total == Decimal("3600.00")  # what was valid is saved
    assert application.amount_requested == Decimal("5000.00")

    # Fill in the new line and remove the first: neither is refused either.
    data = planning(
        **{"lines-1-category": "travel", "lines-1-description": "Reizen", "lines-1-amount": "1400"}
    )
    response = english.post(step_url(application, "planning"), data={**data, "remove_line": "0"})
    assert response.status_code == 200 and "Please check the following" not in response.text
    assert 'value="Reizen"' in response.text and 'value="Zaal"' not in response.text

    # Saving and continuing checks the rule: now the person is told.
    response = english.post(step_url(application, "planning"), data={**planning(), "next": "1"})
    assert response.status_code == 422
    assert "You ask for more than your budget: €3,600.00." in response.text


def test_the_total_shown_is_the_total_of_the_lines_shown(
    english, applicant, make_round, make_application
):
    application = make_application(make_round(), applicant[1], complete=False)
    data = planning(
        **{
            "lines-1-category": "travel",
            "lines-1-description": "Reizen",
            "lines-1-amount": "€ 0,50",
        }
    )
    response = english.post(step_url(application, "planning"), data={**data, "save": "1"})
    assert response.status_code == 422  # 5,000.00 asked, 3,600.50 budgeted
    assert "You ask for more than your budget: €3,600.50." in response.text
    assert "<strong data-budget-total" in response.text
    assert ">€3,600.50</strong>" in response.text  # not the €0.00 saved so far
    # Coming back later (another device) shows the same lines, total and error.
    page = english.get(step_url(application, "planning")).text
    assert ">€3,600.50</strong>" in page and "You ask for more than your budget" in page


def test_the_budget_must_be_covered_and_the_page_says_by_how_much(
    english, applicant, make_round, make_application
):
    application = make_application(make_round(), applicant[1])  # budget 10,000.00
    too_little = english.post(
        step_url(application, "planning"),
        data={
            **planning(amount_requested="9.000"),
            "lines-0-amount": "4000",
            "lines-1-category": "dialogue_leaders",
            "lines-1-description": "Vergoedingen",
            "lines-1-amount": "6000",
            "other_funding_amount": "500",
            "save": "1",
        },
    )
    assert too_little.status_code == 422
    assert (
        "Your budget is €10,000.00. You ask €9,000.00 from us and get €500.00 from others, so "
        "€500.00 is not covered." in too_little.text
    )
    too_much = english.post(
        step_url(application, "planning"),
        data={
            **planning(amount_requested="9.000"),
            "lines-0-amount": "10000",
            "other_funding_amount": "2000",
            "save": "1",
        },
    )
    assert "that is €1,000.00 more than the budget" in too_much.text
    # The check page lists it too, for an application saved before the rule.
    application.other_funding_amount = Decimal("200.00")
    application.pending_input = {}
    db.session.commit()
    page = english.get(f"/applications/{application.id}/check").text
    assert "€800.00 is not covered" in page
    assert 'href="' + step_url(application, "planning") + '#other_funding_amount"' in page


def test_other_community_asks_which(english, applicant, make_round, make_application):
    application = make_application(make_round(), applicant[1])
    response = english.post(
        step_url(application, "approach"),
        data={"communities": ["moroccan", "other"], "community_other": "", "save": "1"},
    )
    assert response.status_code == 422
    assert "You ticked &#39;Other&#39;. Write which community, or untick &#39;Other&#39;." in (
        response.text
    )
    db.session.refresh(application)
    assert application.communities == ["moroccan", "turkish"]  # not saved silently
    assert application.pending_input["approach"]  # what was typed is kept


def many_lines(count: int) -> dict:
    data = planning(amount_requested="5.000")
    for index in range(count):
        data[f"lines-{index}-category"] = "materials"
        data[f"lines-{index}-description"] = f"Materiaal {index + 1}"
        data[f"lines-{index}-amount"] = "100"
    return data


def test_more_lines_than_allowed_are_refused_with_the_limit_and_kept(
    english, applicant, make_round, make_application
):
    application = make_application(make_round(), applicant[1], complete=False)
    response = english.post(step_url(application, "planning"), data={**many_lines(60), "save": "1"})
    assert response.status_code == 422
    assert "You can fill in at most 50 costs; you now have 60." in response.text
    assert 'value="Materiaal 60"' in response.text  # nothing typed is dropped
    db.session.refresh(application)
    assert application.budget_lines == []  # nothing half saved
    assert ("lines-59-description", "Materiaal 60") in [
        tuple(pair) for pair in application.pending_input["planning"]
    ]


def test_adding_a_line_to_the_most_allowed_says_so_instead_of_failing(
    english, applicant, make_round, make_application
):
    application = make_application(make_round(), applicant[1], complete=False)
    response = english.post(
        step_url(application, "planning"), data={**many_lines(50), "add_line": "1"}
    )
    assert response.status_code == 422
    assert "You have 50 costs, the most an application can have." in response.text
    assert 'id="lines-50-category"' not in response.text
    assert 'value="Materiaal 50"' in response.text
    assert 'name="add_line"' not in response.text
    db.session.refresh(application)
    assert len(application.budget_lines) == 50


def test_sending_again_checks_only_the_parts_that_may_change(
    english, applicant, make_round, make_application, make_user
):
    """An application sent before the budget rule existed, asked about its reach: the budget it
    cannot change must not stop the applicant from sending the answer."""
    from datetime import timedelta

    from fonds.applications.models import InfoRequest, Status
    from fonds.columns import utcnow
    from fonds.roles import Role
    from tests.test_applications import submit

    admin = make_user("anna@example.nl", roles=[Role.ADMIN])
    application = make_application(
        make_round(),
        applicant[1],
        status="info_requested",
        other_funding_amount=None,  # 9,000.00 asked for a budget of 10,000.00
    )
    db.session.add(
        InfoRequest(
            application=application,
            question="Hoeveel vrouwen doen mee?",
            steps=["reach"],
            deadline=utcnow() + timedelta(days=7),
            requested_by_id=admin.id,
        )
    )
    db.session.commit()
    page = english.get(f"/applications/{application.id}/check").text
    assert "Not complete yet" not in page and "Send the application again" in page
    assert submit(english, application).status_code == 302
    db.session.refresh(application)
    assert application.state == Status.SUBMITTED
