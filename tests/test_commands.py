"""The command line: create-admin and seed-demo."""

from pathlib import Path

from sqlalchemy import func, select

from fonds.applications.models import Application
from fonds.auth.models import User
from fonds.auth.passwords import verify_password
from fonds.extensions import db
from fonds.roles import Role
from fonds.rounds.models import Round, RubricCriterion


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_create_admin_asks_for_name_and_password(app):
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=["create-admin", "Anna@Example.nl"],
        input="Anna de Vries\na long admin password\na long admin password\n",
    )
    assert result.exit_code == 0, result.output
    assert "Created administrator anna@example.nl." in result.output
    user = User.by_email("anna@example.nl")
    assert user.has_role(Role.ADMIN) and user.is_verified and user.name == "Anna de Vries"
    assert verify_password(user.password_hash, "a long admin password")


def test_create_admin_refuses_a_short_password(app):
    result = app.test_cli_runner().invoke(
        args=["create-admin", "anna@example.nl", "--name", "Anna", "--password", "short"]
    )
    assert result.exit_code == 2
    assert "use at least 12 characters" in result.output
    assert User.by_email("anna@example.nl") is None


def test_create_admin_refuses_a_bad_address(app):
    result = app.test_cli_runner().invoke(
        args=["create-admin", "not-an-address", "--name", "A", "--password", "long enough pass"]
    )
    assert result.exit_code == 2
    assert count(User) == 0


def test_create_admin_promotes_an_existing_account(app, make_user):
    make_user("fatima@example.nl")
    result = app.test_cli_runner().invoke(args=["create-admin", "fatima@example.nl"])
    assert result.exit_code == 0, result.output
    assert "Updated administrator fatima@example.nl." in result.output
    assert User.by_email("fatima@example.nl").role_list == [Role.APPLICANT, Role.ADMIN]


def test_seed_demo_is_safe_to_run_twice(app, client):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    counts = (count(User), count(Round), count(RubricCriterion))
    assert counts == (6, 2, 14)
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0 and "Demo data present." in result.output
    assert (count(User), count(Round), count(RubricCriterion)) == counts
    assert count(Application) == 21

    statuses = db.session.scalars(select(Application.status)).all()
    assert {s: statuses.count(s) for s in set(statuses)} == {
        "draft": 3,
        "submitted": 5,
        "info_requested": 2,
        "withdrawn": 2,
        "in_review": 2,
        "reviewed": 4,
        "decision_proposed": 1,
        "approved": 1,
        "rejected": 1,
    }
    references = db.session.scalars(
        select(Application.reference).where(Application.reference.is_not(None))
    ).all()
    assert len(set(references)) == 18

    # The round under assessment: reviews to rank, and a proposal for the second administrator.
    from fonds.decisions.models import Decision
    from fonds.ranking.queries import ranking
    from fonds.reviews.models import Review

    review_round = db.session.scalar(select(Round).where(Round.name.like("Van binnenuit%")))
    rows = ranking(review_round)
    assert [r.score is not None for r in rows].count(True) == 8
    assert any(r.knock_out for r in rows) and any(r.disagreement for r in rows)
    assert count(Review) == 18 and count(Decision) == 3

    round_ = db.session.scalar(select(Round).where(Round.name == "Verandering van binnenuit 2027"))
    assert round_.is_open()
    assert sum(c.weight for c in round_.criteria) == 100
    assert [c.name_nl for c in round_.criteria][:2] == [
        "Verandering van binnenuit",
        "Preventieve aanpak",
    ]
    # The demo log-ins work and the open round shows on the start page.
    response = client.post(
        "/account/login",
        data={"email": "beheer@demo.fondsopnaam.nl", "password": "demo-wachtwoord-2026"},
    )
    assert response.status_code == 302
    assert "Verandering van binnenuit 2027" in client.get("/").text


def test_seed_demo_if_empty_leaves_a_used_database_alone(app, make_user):
    make_user("someone@example.nl")
    result = app.test_cli_runner().invoke(args=["seed-demo", "--if-empty"])
    assert "no demo data added" in result.output
    assert count(User) == 1 and count(Round) == 0


def test_mail_last_link_prints_the_whole_verification_link(app_factory):
    """Without an SMTP server mail goes to .eml files, whose bodies are quoted-printable: a long
    link is cut by soft line breaks there, so grepping the files gives half a link. The command
    decodes the message and prints the whole link, which then works."""
    from tests.test_registration import register

    app = app_factory(MAIL_SERVER="")
    client = app.test_client()
    with app.app_context():
        assert register(client, email="fatima.bakkali-el-idrissi@example.nl").status_code == 302
        runner = app.test_cli_runner()
        result = runner.invoke(args=["mail", "last-link", "Fatima.Bakkali-El-Idrissi@example.nl"])
        assert result.exit_code == 0, result.output
        link = result.output.strip()
        assert "/account/verify/" in link and "=\n" not in link
        raw = b"".join(p.read_bytes() for p in Path(app.config["MAIL_OUTBOX_DIR"]).glob("*.eml"))
        assert link.encode() not in raw  # the file itself has it cut (or encoded)
        client.get(link.replace("http://localhost", ""), follow_redirects=True)
        assert User.by_email("fatima.bakkali-el-idrissi@example.nl").is_verified
        unknown = runner.invoke(args=["mail", "last-link", "nobody@example.nl"])
        assert unknown.exit_code == 1 and "No e-mail with a link" in unknown.output
