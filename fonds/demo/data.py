"""Demo data for a newcomer: accounts for each role and an open round with the default rubric.
Safe to run twice: what exists is left as it is."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import select

from fonds.applications.models import Application, InfoRequest, Status
from fonds.auth.models import User
from fonds.auth.passwords import hash_password
from fonds.columns import utcnow
from fonds.demo import builders
from fonds.extensions import db
from fonds.formatting import AMSTERDAM
from fonds.organisations.models import Membership, Organisation
from fonds.roles import Role
from fonds.rounds.models import LegalMode, Round
from fonds.rounds.rubric import add_default_rubric

DEMO_PASSWORD = "demo-wachtwoord-2026"  # noqa: S105 - published demo log-in
DEMO_ROUND_NAME = "Verandering van binnenuit 2027"
# Where the demo rounds' letters send a request for reconsideration, and the rounds' extra text
# (the letter itself already asks the question and names the address).
DEMO_REMEDY_ADDRESSEE = "Bestuur Fonds op Naam, Postbus 1234, 1000 AB Amsterdam"
# The letter says itself within how many weeks and that e-mail is allowed (the round's
# settings below), so the round's own extra text is empty.
DEMO_REMEDY_TEXT = ""
DEMO_REMEDY_EMAIL = "heroverweging@demo.fondsopnaam.nl"
DEMO_RECONSIDERATION_WEEKS = 6
DEMO_PARTIAL_REASON = "De kosten voor eten en drinken zijn hoger dan nodig. Die betalen wij niet."

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
            remedy_addressee=DEMO_REMEDY_ADDRESSEE,
            remedy_email=DEMO_REMEDY_EMAIL,
            reconsideration_weeks=DEMO_RECONSIDERATION_WEEKS,
            legal_remedy_text=DEMO_REMEDY_TEXT,
        )
        add_default_rubric(round_)
        db.session.add(round_)
        created.append(f"round {DEMO_ROUND_NAME}")
    db.session.flush()
    if db.session.scalar(select(Application.id).limit(1)) is None:
        created.extend(seed_demo_applications())
    if db.session.scalar(select(Round).where(Round.name == DEMO_REVIEW_ROUND_NAME)) is None:
        created.extend(seed_demo_reviews())
    return created


DEMO_ORGANISATION_DETAILS = {
    "Stichting Samen Sterk Rotterdam": {
        "legal_form": "stichting",
        "kvk_number": "41234567",
        "street": "Nieuwe Binnenweg 10",
        "postcode": "3014 GA",
        "city": "Rotterdam",
        "iban": "NL91ABNA0417164300",
        "account_holder": "Stichting Samen Sterk Rotterdam",
        "contact_name": "Fatima Bakkali",
        "contact_email": "aanvrager@demo.fondsopnaam.nl",
        "contact_phone": "0612345678",
    },
    "Vereniging Dialoog Den Haag": {
        "legal_form": "vereniging",
        "kvk_number": "27123456",
        "street": "Hoefkade 200",
        "postcode": "2526 AK",
        "city": "Den Haag",
        "iban": "NL20INGB0001234567",
        "account_holder": "Vereniging Dialoog Den Haag",
        "contact_name": "Priya Ramdin",
        "contact_email": "aanvrager2@demo.fondsopnaam.nl",
        "contact_phone": "0687654321",
    },
}

# (title, communities, focus, amount, status) — twelve applications in the states that exist.
DEMO_APPLICATIONS = [
    ("Moedergesprekken in de wijk", ["moroccan"], "women_girls", "12000", Status.SUBMITTED),
    ("Jongeren praten over keuzes", ["turkish", "moroccan"], "both", "18500", Status.SUBMITTED),
    (
        "Veilige ruimte voor lhbtiq+ jongeren",
        ["eritrean", "somali"],
        "lgbtiq",
        "9500",
        Status.SUBMITTED,
    ),
    ("Vaders in gesprek", ["afghan", "syrian"], "women_girls", "15000", Status.SUBMITTED),
    ("Kerk en acceptatie", ["orthodox_protestant"], "lgbtiq", "7500", Status.SUBMITTED),
    ("Sleutelfiguren trainen", ["somali"], "both", "22000", Status.INFO_REQUESTED),
    (
        "Theater over eer en vrijheid",
        ["hindustani", "caribbean"],
        "women_girls",
        "11000",
        Status.INFO_REQUESTED,
    ),
    ("Meidenclub in de moskee", ["moroccan"], "women_girls", "6000", Status.WITHDRAWN),
    ("Gesprekken in de gebedsruimte", ["turkish"], "lgbtiq", "8000", Status.WITHDRAWN),
    ("Dialoogavonden Schilderswijk", ["turkish", "hindustani"], "both", "14000", Status.DRAFT),
    ("Podcast van binnenuit", ["evangelical", "catholic"], "lgbtiq", "5000", Status.DRAFT),
    ("", [], None, None, Status.DRAFT),
]


def project_text(title: str) -> dict[str, str]:
    """What a demo applicant wrote about their project, besides the numbers."""
    return {
        "title": title,
        "summary": f"{title}: een reeks bijeenkomsten met een vaste groep.",
        "problem": "Weinig ruimte om eigen keuzes te maken en erover te praten.",
        "approach": "Tien bijeenkomsten onder leiding van getrainde gespreksleiders.",
        "preventive": "Normen uit de eigen groep bespreken, persoonlijke verhalen.",
        "from_within": "Gespreksleiders en sleutelfiguren uit de gemeenschap.",
        "safety": "Groepsafspraken, getrainde gespreksleiding, doorverwijzing.",
    }


def seed_demo_applications() -> list[str]:
    """Applications with their history, written directly: demo data sends no e-mail."""
    round_ = db.session.scalar(select(Round).where(Round.name == DEMO_ROUND_NAME))
    admin = User.by_email("beheer@demo.fondsopnaam.nl")
    organisations = []
    for name, details in DEMO_ORGANISATION_DETAILS.items():
        organisation = db.session.scalar(select(Organisation).where(Organisation.name == name))
        for key, value in details.items():
            setattr(organisation, key, value)
        organisations.append(organisation)
    now = utcnow()
    created = []
    question = "Hoe werft u deelnemers, en wie leidt de bijeenkomsten?"
    for index, (title, communities, focus, amount, status) in enumerate(DEMO_APPLICATIONS):
        values = {"title": title, "communities": communities, "focus": focus}
        budget = []
        if title:
            values |= project_text(title) | {
                "participants": 20 + 5 * index,
                "sessions": 8 + index % 4,
                "start_date": date(now.year + 1, 3, 1),
                "end_date": date(now.year + 1, 12, 1),
                "amount_requested": Decimal(amount),
            }
            budget = [
                (
                    "dialogue_leaders",
                    "Vergoedingen gespreksleiders",
                    Decimal(amount) * Decimal("0.6"),
                ),
                ("venue", "Zaalhuur, eten en drinken", Decimal(amount) * Decimal("0.4")),
            ]
        application = builders.make_application(
            round_,
            organisations[index % 2],
            status=status,
            complete=False,
            by=admin,
            sent_at=now - timedelta(days=12 - index),
            step=timedelta(days=1),
            budget=budget,
            messages={Status.INFO_REQUESTED: question},
            **values,
        )
        if status == Status.INFO_REQUESTED:
            application.info_requests.append(
                InfoRequest(
                    question=question,
                    steps=["approach", "reach"],
                    requested_by_id=admin.id,
                    deadline=now + timedelta(days=14),
                )
            )
        db.session.flush()
        created.append(f"application {application.reference or 'draft'} ({status.value})")
    return created


DEMO_REVIEW_ROUND_NAME = "Van binnenuit 2026 (najaar)"

# (title, communities, amount, status, scores of the first and second reviewer (None: not
# submitted; "open": assigned, not declared yet), decision)
DEMO_REVIEWED = [
    (
        "Moeders en dochters in gesprek",
        ["moroccan"],
        "12000",
        Status.REVIEWED,
        [5, 4, 4, 5, 4, 4, 4],
        [4, 4, 4, 4, 3, 4, 4],
        None,
    ),
    (
        "Buurtvaders tegen eergerelateerd geweld",
        ["turkish", "afghan"],
        "20000",
        Status.REVIEWED,
        [4, 4, 3, 4, 4, 3, 3],
        [3, 3, 3, 3, 3, 3, 3],
        None,
    ),
    (
        "Roze zondag in de kerk",
        ["evangelical"],
        "8000",
        Status.REVIEWED,
        [5, 5, 4, 4, 4, 5, 4],
        [2, 3, 3, 3, 3, 3, 3],
        None,
    ),
    (
        "Meidenavonden zonder toezicht",
        ["somali"],
        "9000",
        Status.REVIEWED,
        [4, 4, 4, 1, 4, 4, 3],
        [4, 3, 4, 2, 3, 4, 3],
        None,
    ),
    (
        "Gespreksleiders opleiden",
        ["eritrean", "syrian"],
        "15000",
        Status.DECISION_PROPOSED,
        [4, 5, 4, 4, 4, 4, 5],
        [4, 4, 4, 4, 4, 4, 4],
        ("approve", "12500"),
    ),
    (
        "Theater over keuzes",
        ["hindustani"],
        "10000",
        Status.IN_REVIEW,
        [3, 4, 3, 4, 3, 3, 3],
        "open",
        None,
    ),
    ("Podcast over twee werelden", ["caribbean"], "6000", Status.IN_REVIEW, "open", "open", None),
    # Decided by two administrators, so the round's letters can be issued (Letters page).
    (
        "Vrouwen aan het woord in de gemeenschap",
        ["moroccan", "turkish"],
        "11000",
        Status.APPROVED,
        [5, 4, 5, 4, 4, 4, 4],
        [4, 4, 5, 4, 4, 4, 4],
        ("approve", "10000"),
    ),
    (
        "Sportclub voor meiden",
        ["somali"],
        "7000",
        Status.REJECTED,
        [3, 2, 3, 3, 3, 3, 3],
        [3, 3, 2, 3, 3, 2, 3],
        ("reject", None),
    ),
]


def seed_demo_reviews() -> list[str]:
    """A closed round in the middle of its assessment: a reviewer pool, reviews in every state,
    reviewed applications with flags to rank, a decision waiting for a second administrator
    (proposed by beheer@, to be confirmed by beheer2@), and an award and a rejection confirmed
    by both, whose letters are still to be issued."""
    from fonds.assignments.models import ReviewerPoolMember

    today = utcnow().astimezone(AMSTERDAM).date()
    round_ = Round(
        name=DEMO_REVIEW_ROUND_NAME,
        description="De ronde van dit najaar: de aanvragen worden nu beoordeeld.",
        opens_at=datetime.combine(today - timedelta(days=90), time(9, 0), AMSTERDAM),
        closes_at=datetime.combine(today - timedelta(days=30), time(17, 0), AMSTERDAM),
        budget_ceiling=Decimal("40000.00"),
        min_grant=Decimal("2500.00"),
        max_grant=Decimal("25000.00"),
        max_duration_months=18,
        reviewers_per_application=2,
        regulation="Subsidieregeling Fonds op Naam 2026, artikel 4",
        legal_mode=LegalMode.PRIVATE,
        signatory_name="Anna de Vries",
        signatory_title="Programmamanager Fonds op Naam",
        remedy_addressee=DEMO_REMEDY_ADDRESSEE,
        remedy_email=DEMO_REMEDY_EMAIL,
        reconsideration_weeks=DEMO_RECONSIDERATION_WEEKS,
        legal_remedy_text=DEMO_REMEDY_TEXT,
    )
    add_default_rubric(round_)
    db.session.add(round_)
    db.session.flush()
    admin = User.by_email("beheer@demo.fondsopnaam.nl")
    second_admin = User.by_email("beheer2@demo.fondsopnaam.nl")
    reviewers = [
        User.by_email("beoordelaar@demo.fondsopnaam.nl"),
        User.by_email("beoordelaar2@demo.fondsopnaam.nl"),
    ]
    for reviewer in reviewers:
        db.session.add(ReviewerPoolMember(round_id=round_.id, user_id=reviewer.id))
    organisations = [
        db.session.scalar(select(Organisation).where(Organisation.name == name))
        for name in DEMO_ORGANISATION_DETAILS
    ]
    for organisation in organisations:
        for key, value in DEMO_ORGANISATION_DETAILS[organisation.name].items():
            if not getattr(organisation, key):
                setattr(organisation, key, value)
    now = utcnow()
    created = [f"round {DEMO_REVIEW_ROUND_NAME}"]
    for index, (title, communities, amount, status, *scores, decision) in enumerate(DEMO_REVIEWED):
        submitted = now - timedelta(days=45 - index)
        motivation = ""
        if decision is not None:
            motivation = (
                "Sterk plan van binnenuit; de begroting kan iets lager."
                if decision[0] == "approve"
                else "Het plan laat nog niet zien hoe meiden veilig mee kunnen doen."
            )
        application = builders.make_application(
            round_,
            organisations[index % 2],
            status=status,
            complete=False,
            by=admin,
            sent_at=submitted,
            step=timedelta(days=5),
            budget=[("dialogue_leaders", "Vergoedingen gespreksleiders", Decimal(amount))],
            messages={Status.DECISION_PROPOSED: motivation},
            communities=communities,
            focus="both",
            participants=30,
            sessions=10,
            **project_text(title),
            start_date=date(now.year + 1, 2, 1),
            end_date=date(now.year + 1, 11, 1),
            amount_requested=Decimal(amount),
        )
        for reviewer, given in zip(reviewers, scores, strict=True):
            builders.make_review(
                application,
                reviewer,
                given if given != "open" else 3,
                submitted=given != "open",
                conflict=False if given != "open" else None,
                recommendation="fund" if given != "open" and sum(given) >= 25 else "do_not_fund",
                assigned_by=admin,
                at=submitted + timedelta(days=10),
                due_at=now + timedelta(days=2 + index),
                motivation="Zie de aanpak en het veiligheidsplan.",
                comment="Een sterk plan met mensen uit de eigen kring." if given != "open" else "",
            )
        if decision is not None:
            outcome, awarded = decision
            confirmed = status in (Status.APPROVED, Status.REJECTED)
            builders.make_decision(
                application,
                proposer=admin,
                decider=second_admin if confirmed else None,
                outcome=outcome,
                amount=Decimal(awarded) if awarded else None,
                motivation=motivation,
                partial_reason=DEMO_PARTIAL_REASON
                if awarded and Decimal(awarded) < (application.amount_requested or 0)
                else "",
                at=now - timedelta(days=2),
            )
        created.append(f"application {application.reference} ({status.value})")
    return created
