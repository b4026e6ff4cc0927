"""Demo data for a newcomer: accounts for each role and an open round with the default rubric.
Safe to run twice: what exists is left as it is."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import select

from fonds.auth.models import Role, User
from fonds.auth.passwords import hash_password
from fonds.columns import utcnow
from fonds.extensions import db
from fonds.organisations.models import Membership, Organisation
from fonds.rounds.models import LegalMode, Round
from fonds.rounds.rubric import add_default_rubric

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
DEMO_PASSWORD = "demo-wachtwoord-2026"  # noqa: S105 - published demo log-in
DEMO_ROUND_NAME = "Verandering van binnenuit 2027"

# (e-mail, name, roles, organisation)
DEMO_ACCOUNTS = [
    ("beheer@demo.fondsopnaam.nl", "Anna de Vries", [Role.ADMIN], None),
    ("beheer2@demo.fondsopnaam.nl", "Youssef El Amrani", [Role.ADMIN], None),
    ("beoordelaar@demo.fondsopnaam.nl", "Sevda Yılmaz", [Role.REVIEWER], None),
    ("beoordelaar2@demo.fondsopnaam.nl", "Hodan Ali", [Role.REVIEWER], None),
    (
        "aanvrager@demo.fondsopnaam.nl",
        "Fatima Bakkali",
        [Role.APPLICANT],
        "Stichting Samen Sterk Rotterdam",
    ),
    (
        "aanvrager2@demo.fondsopnaam.nl",
        "Priya Ramdin",
        [Role.APPLICANT],
        "Vereniging Dialoog Den Haag",
    ),
]


def seed_demo() -> list[str]:
    """Create what is missing; returns a line per thing created."""
    created: list[str] = []
    for email, name, roles, organisation_name in DEMO_ACCOUNTS:
        user = User.by_email(email)
        if user is None:
            user = User(
                email=email,
                name=name,
                password_hash=hash_password(DEMO_PASSWORD),
                email_verified_at=utcnow(),
            )
            db.session.add(user)
            created.append(f"account {email}")
        for role in roles:
            user.add_role(role)
        if organisation_name:
            organisation = db.session.scalar(
                select(Organisation).where(Organisation.name == organisation_name)
            )
            if organisation is None:
                organisation = Organisation(name=organisation_name)
                db.session.add(organisation)
                created.append(f"organisation {organisation_name}")
            db.session.flush()
            if not user.belongs_to(organisation):
                db.session.add(Membership(user=user, organisation=organisation))

    if db.session.scalar(select(Round).where(Round.name == DEMO_ROUND_NAME)) is None:
        today = utcnow().astimezone(AMSTERDAM).date()
        opens = datetime.combine(today - timedelta(days=14), time(9, 0), AMSTERDAM)
        closes = datetime.combine(today + timedelta(days=60), time(17, 0), AMSTERDAM)
        round_ = Round(
            name=DEMO_ROUND_NAME,
            description=(
                "Voor initiatieven uit de gemeenschap zelf die zelfbeschikking van vrouwen, "
                "meisjes en lhbtiq+ personen in gesloten gemeenschappen versterken, met een "
                "preventieve aanpak."
            ),
            opens_at=opens,
            closes_at=closes,
            budget_ceiling=Decimal("250000.00"),
            min_grant=Decimal("2500.00"),
            max_grant=Decimal("25000.00"),
            max_duration_months=18,
            reviewers_per_application=2,
            regulation="Subsidieregeling Fonds op Naam 2027, artikel 4",
            legal_mode=LegalMode.PRIVATE,
            signatory_name="Anna de Vries",
            signatory_title="Programmamanager Fonds op Naam",
            legal_remedy_text=(
                "Bent u het niet eens met dit besluit? Vraag dan binnen zes weken na de datum "
                "van deze brief om heroverweging."
            ),
        )
        add_default_rubric(round_)
        db.session.add(round_)
        created.append(f"round {DEMO_ROUND_NAME}")
    db.session.flush()
    return created
