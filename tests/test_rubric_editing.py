"""Administrators change a round's rubric: names, descriptors, weights and knock-out checks,
adding and removing criteria. Weights add up to 100, each check belongs to one criterion, and
once a review of the round is submitted the rubric is read-only (also for a POST)."""

import re

import pytest
from sqlalchemy import select

from fonds.columns import utcnow
from fonds.extensions import db
from fonds.roles import Role
from fonds.rounds.models import RubricCriterion
from fonds.rounds.rubric_forms import CRITERION_FIELDS

LOCKED = (
    "A review of this round has been submitted, so the assessment criteria can no longer be "
    "changed."
)


@pytest.fixture
def admin_client(english, make_user, log_in):
    make_user("admin@example.nl", name="Anna Admin", roles=[Role.ADMIN])
    log_in(english, "admin@example.nl")
    return english


@pytest.fixture
def round_(make_round):
    return make_round()


def form_data(round_, changes=None, remove=(), extra=()) -> dict[str, str]:
    """The rubric form as the page posts it, with changes per position: {1: {"weight": 25}}."""
    data = {}
    changes = changes or {}
    for index, criterion in enumerate(round_.criteria):
        values = {name: getattr(criterion, name) for name in CRITERION_FIELDS}
        values["kind"] = criterion.kind or ""
        values["id"] = criterion.id
        values.update(changes.get(criterion.position, {}))
        if criterion.position in remove:
            values["remove"] = "y"
        data.update({f"criteria-{index}-{key}": str(value) for key, value in values.items()})
    for offset, values in enumerate(extra, start=len(round_.criteria)):
        data.update({f"criteria-{offset}-{key}": str(value) for key, value in values.items()})
    data["action"] = "save"
    return data


def criteria(round_) -> list[tuple[int, str, int, str | None]]:
    db.session.expire_all()
    return [
        (c.position, c.name_en, c.weight, c.kind)
        for c in db.session.scalars(
            select(RubricCriterion)
            .where(RubricCriterion.round_id == round_.id)
            .order_by(RubricCriterion.position)
        )
    ]


def text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)).split())


def test_the_page_shows_every_criterion_to_change(admin_client, round_):
    page = admin_client.get(f"/rounds/{round_.id}/rubric")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'value="Change from within"' in html
    assert "Led by key figures and dialogue leaders from the community" in html
    assert html.count('name="criteria-') > 7 * 10


def test_changing_names_descriptors_weights_and_kinds(admin_client, round_):
    before = criteria(round_)
    data = form_data(
        round_,
        {
            1: {"name_en": "Led from within", "weight": 25, "descriptor_5_nl": "Helemaal."},
            7: {"weight": 5},
            # The safety check moves from criterion 4 to 3.
            3: {"kind": "safety"},
            4: {"kind": ""},
        },
    )
    response = admin_client.post(f"/rounds/{round_.id}/rubric", data=data, follow_redirects=True)
    assert "The assessment criteria of Verandering van binnenuit 2027 have been saved." in text(
        response
    )
    after = criteria(round_)
    assert after[0] == (1, "Led from within", 25, "from_within")
    assert after[2][3] == "safety" and after[3][3] is None
    assert after[6][2] == 5
    assert [row[1] for row in after[1:]] == [row[1] for row in before[1:]]
    assert db.session.get(RubricCriterion, round_.criteria[0].id).descriptor_5_nl == "Helemaal."


def test_weights_that_do_not_add_up_to_100_are_refused_and_nothing_is_saved(admin_client, round_):
    before = criteria(round_)
    data = form_data(round_, {1: {"weight": 30, "name_en": "Typed but not saved"}})
    response = admin_client.post(f"/rounds/{round_.id}/rubric", data=data)
    assert response.status_code == 422
    assert "The weights add up to 110%. They must add up to 100%." in text(response)
    assert 'value="Typed but not saved"' in response.get_data(as_text=True)  # kept for the admin
    assert criteria(round_) == before


def test_a_knock_out_check_belongs_to_one_criterion(admin_client, round_):
    before = criteria(round_)
    response = admin_client.post(
        f"/rounds/{round_.id}/rubric", data=form_data(round_, {5: {"kind": "safety"}})
    )
    assert response.status_code == 422
    assert "Only one criterion can have the check “Safety”." in text(response)
    assert criteria(round_) == before


def test_adding_and_removing_criteria(admin_client, round_):
    # "Add a criterion" shows an empty one and keeps what was typed; nothing is saved yet.
    data = form_data(round_, {1: {"name_en": "Still typing"}})
    data["action"] = "add"
    response = admin_client.post(f"/rounds/{round_.id}/rubric", data=data)
    html = response.get_data(as_text=True)
    assert 'value="Still typing"' in html
    assert 'name="criteria-7-name_nl"' in html
    assert len(criteria(round_)) == 7

    # Remove Sustainability (10%) and add Learning (10%): still 100 in all.
    new = {
        "name_nl": "Leren",
        "name_en": "Learning",
        "weight": 10,
        "kind": "",
        "descriptor_1_nl": "Niets.",
        "descriptor_3_nl": "Iets.",
        "descriptor_5_nl": "Veel.",
        "descriptor_1_en": "Nothing.",
        "descriptor_3_en": "Something.",
        "descriptor_5_en": "A lot.",
    }
    response = admin_client.post(
        f"/rounds/{round_.id}/rubric",
        data=form_data(round_, remove=[7], extra=[new]),
        follow_redirects=True,
    )
    assert "have been saved" in text(response)
    names = [row[1] for row in criteria(round_)]
    assert names[-1] == "Learning" and "Sustainability" not in names
    assert [row[0] for row in criteria(round_)] == list(range(1, 8))


def test_an_empty_new_criterion_asks_for_its_texts(admin_client, round_):
    data = form_data(round_, extra=[{"name_nl": "", "weight": ""}])
    response = admin_client.post(f"/rounds/{round_.id}/rubric", data=data)
    assert response.status_code == 422
    assert "Enter the Dutch name of the criterion." in text(response)
    assert "Enter the weight of the criterion." in text(response)
    assert len(criteria(round_)) == 7


def test_the_rubric_is_read_only_after_the_first_submitted_review(
    admin_client, round_, make_user, make_organisation, make_application, make_review
):
    member = make_user("fatima@example.nl")
    organisation = make_organisation("Stichting Samen Sterk", members=[member])
    application = make_application(
        round_,
        organisation,
        status="in_review",
    )
    reviewer = make_user("rana@example.nl", roles=[Role.REVIEWER])
    draft = make_review(application, reviewer, submitted=False)
    # A draft does not lock the rubric.
    assert 'name="criteria-0-name_en"' in admin_client.get(f"/rounds/{round_.id}/rubric").text

    draft.conflict = False
    draft.recommendation = "fund"
    draft.submitted_at = utcnow()
    db.session.commit()
    before = criteria(round_)
    page = admin_client.get(f"/rounds/{round_.id}/rubric")
    assert LOCKED in text(page)
    assert 'name="criteria-0-name_en"' not in page.text
    assert "Change from within" in text(page)

    response = admin_client.post(
        f"/rounds/{round_.id}/rubric",
        data=form_data(round_, {1: {"name_en": "Changed anyway"}}),
        follow_redirects=True,
    )
    assert LOCKED in text(response)
    assert criteria(round_) == before
