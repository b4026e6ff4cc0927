"""Decision letters that hold up under the Awb and read as B1 Dutch (dutch-review.md §4), read
back from the PDF: the objection and reconsideration routes, the legal basis, the two kinds of
"not admissible", the rejection's motivation, the award's report, a corrected letter and letters
that also go by post."""

from __future__ import annotations

import html
import re
from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from flask import current_app
from sqlalchemy import select

from fonds.applications.models import ApplicationEvent, InfoRequest
from fonds.auth.models import User
from fonds.extensions import db
from fonds.letters.models import Letter
from tests.pdf_text import pypdf_text, texts
from tests.test_letters_render import (
    FUND,
    REMEDY_ADDRESSEE,
    assert_in_both,
    letter,
)
from tests.test_letters_render import cast as render_cast  # noqa: F401 - a fixture

REMEDY_EMAIL = "bezwaar@fonds.test"


@pytest.fixture
def decided(render_cast):  # noqa: F811 - the imported fixture
    """A round with a rejected, two awarded and a not-admissible application (the letters
    render tests' cast)."""
    return render_cast


HEADING = "Bent u het niet eens met dit besluit?"


def remedy(text: str) -> str:
    start = text.index(HEADING)
    return text[start : text.index("Privacy", start)]


def all_texts(application) -> list[str]:
    return texts(letter(application))


# --- objection (awb) and reconsideration (private) ---------------------------------------------


@pytest.mark.parametrize("by_email", [True, False])
def test_an_objection_names_where_to_send_it_whether_e_mail_is_allowed_and_what_it_holds(
    decided, by_email
):
    made = decided("awb")
    made["round"].remedy_email = REMEDY_EMAIL if by_email else ""
    db.session.commit()
    for text in all_texts(made["rejected"]):
        section = remedy(text)
        assert f"Stuur uw bezwaarschrift naar: {REMEDY_ADDRESSEE}" in section
        if by_email:
            assert f"U mag uw bezwaarschrift ook mailen naar {REMEDY_EMAIL}." in section
            assert "Via het portaal kan het niet." in section
        else:
            assert "Bezwaar maken per e-mail of via het portaal kan niet." in section
            assert "mailen" not in section
        # What an objection must hold (art. 6:5 Awb), with the letter's own kenmerk and date.
        for item in (
            "Zet in uw bezwaarschrift:",
            "uw naam en adres",
            "de datum waarop u het bezwaarschrift schrijft",
            "het kenmerk FON-2026-0042 en de datum van deze brief: 12 maart 2027",
            "waarom u het niet eens bent met het besluit",
            "uw handtekening",
        ):
            assert item in section, item
        assert "heroverweg" not in text.lower()


def test_reconsideration_has_its_term_and_address(decided):
    made = decided("private")
    made["round"].reconsideration_weeks = 4
    made["round"].remedy_email = "heroverweging@fonds.test"
    db.session.commit()
    for text in all_texts(made["award_low"]):
        section = remedy(text)
        assert "Doe dat binnen 4 weken na de datum van deze brief." in section
        assert f"Stuur uw verzoek naar: {REMEDY_ADDRESSEE}" in section
        assert "U mag uw verzoek ook mailen naar heroverweging@fonds.test." in section
        assert "het kenmerk FON-2026-0043 en de datum van deze brief (12 maart 2027)" in section
        assert "bezwaar" not in text.lower()
    made["round"].reconsideration_weeks = 1
    db.session.commit()
    assert_in_both(letter(made["award_low"]), "Doe dat binnen 1 week na de datum van deze brief.")


@pytest.mark.parametrize(
    ("legal_mode", "free_text", "other_route"),
    [
        ("awb", "Bent u het niet eens met dit besluit? Vraag dan om heroverweging.", "heroverweg"),
        ("private", "Of maak binnen zes weken bezwaar.", "bezwaar"),
        ("private", "Bent u het niet eens met dit besluit? Bel ons eerst.", None),
    ],
)
def test_the_round_s_own_text_never_adds_a_second_route(
    decided, legal_mode, free_text, other_route
):
    """A round made outside the round form (an old round, the demo) may carry such a text: the
    letter leaves it out, so it names one route and asks its question once."""
    made = decided(legal_mode)
    made["round"].legal_remedy_text = free_text
    db.session.commit()
    for text in all_texts(made["rejected"]):
        assert text.count(HEADING) == 1, text
        if other_route:
            assert other_route not in text.lower()
        assert free_text not in text


# --- legal basis ---------------------------------------------------------------------------------


@pytest.mark.parametrize("legal_mode", ["awb", "private"])
def test_the_legal_basis_reads_right_whatever_the_regulation_is_called(decided, legal_mode):
    made = decided(legal_mode)
    made["round"].regulation = "Subsidiereglement Fonds op Naam 2027."
    db.session.commit()
    for text in all_texts(made["award_low"]):
        assert "Op grond van welke regels wij besluiten" in text
        assert "Wij besluiten op grond van: Subsidiereglement Fonds op Naam 2027." in text
        assert "de Subsidiereglement" not in text
        assert "2027.." not in text
        assert "Wettelijke grondslag" not in text


# --- not admissible: two cases, two texts --------------------------------------------------------

ASKED = datetime(2027, 2, 1, 10, 0, tzinfo=UTC)
DEADLINE = datetime(2027, 2, 15, 22, 59, 59, tzinfo=UTC)  # the end of 15 February, Dutch time
QUESTION = "Stuur ons de begroting per bijeenkomst."
AFTER_DEADLINE = datetime(2027, 2, 16, tzinfo=UTC)


def not_admissible_after_a_question(
    made, *, by_admin: bool, when=datetime(2027, 2, 16, tzinfo=UTC)
):
    """The not-admissible application, made so after a question that was not answered: by the
    daily expiry (no actor) or by an administrator who stopped waiting."""
    application = made["not_admissible"]
    anna = db.session.scalar(select(User).where(User.email == "anna@example.nl"))
    db.session.execute(
        ApplicationEvent.__table__.delete().where(ApplicationEvent.application_id == application.id)
    )
    db.session.add(
        InfoRequest(
            application=application,
            question=QUESTION,
            steps=["budget"],
            deadline=DEADLINE,
            requested_by_id=anna.id,
            created_at=ASKED,
            resolved_at=when if not by_admin else None,
        )
    )
    db.session.add_all(
        [
            ApplicationEvent(
                application=application,
                actor_id=anna.id,
                from_status="submitted",
                to_status="info_requested",
                message=QUESTION,
                at=ASKED,
            ),
            ApplicationEvent(
                application=application,
                actor_id=anna.id if by_admin else None,
                from_status="info_requested",
                to_status="not_admissible",
                message="Wij wachten niet langer." if by_admin else "De termijn is voorbij.",
                at=when,
            ),
        ]
    )
    db.session.commit()
    return application


@pytest.mark.parametrize("legal_mode", ["awb", "private"])
@pytest.mark.parametrize("by_admin", [False, True])
def test_not_admissible_after_an_unanswered_question_says_what_was_asked_and_when(
    decided, legal_mode, by_admin
):
    made = decided(legal_mode)
    application = not_admissible_after_a_question(made, by_admin=by_admin)
    for text in all_texts(application):
        assert "Besluit over uw aanvraag: wij behandelen uw aanvraag niet" in text
        assert "Op 1 februari 2027 hebben wij u deze vraag gesteld:" in text
        assert QUESTION in text
        assert "De laatste dag om te antwoorden was 15 februari 2027." in text
        assert "Wij hebben op tijd geen antwoord gekregen." in text
        # Not the text for an application that does not meet the conditions.
        assert "voldoet niet aan de regels" not in text
        assert ("artikel 4:5 van de Algemene wet bestuursrecht" in text) == (legal_mode == "awb")
        assert "De termijn is voorbij." not in text  # the expiry's own history line
        assert ("Wij wachten niet langer." in text) == by_admin


def test_an_administrator_who_stops_before_the_deadline_gives_the_conditions_text(decided):
    """Before the deadline nothing was late: it is the conditions that are not met."""
    made = decided("awb")
    application = not_admissible_after_a_question(
        made, by_admin=True, when=datetime(2027, 2, 10, tzinfo=UTC)
    )
    for text in all_texts(application):
        assert "voldoet niet aan de regels van deze ronde" in text
        assert "Wij wachten niet langer." in text
        assert "4:5" not in text


@pytest.mark.parametrize("legal_mode", ["awb", "private"])
def test_not_admissible_for_the_conditions_names_them(decided, legal_mode):
    made = decided(legal_mode)
    for text in all_texts(made["not_admissible"]):
        assert "Besluit over uw aanvraag: uw aanvraag voldoet niet aan de regels" in text
        assert (
            "Uw aanvraag voldoet niet aan de regels van deze ronde. Daarom hebben wij uw plan "
            "niet beoordeeld. Dit is de reden: Uw organisatie is niet gevestigd in Nederland."
        ) in text
        assert "4:5" not in text
        assert "vraag gesteld" not in text


def test_the_question_says_what_happens_without_an_answer(decided, client_of, app):
    """The status page's question box and the screening form's hint say it; the e-mail is
    discreet and links to that page."""
    made = decided()
    application = made["rejected"]
    application.status = "info_requested"
    anna = db.session.scalar(select(User).where(User.email == "anna@example.nl"))
    db.session.add(
        InfoRequest(
            application=application,
            question=QUESTION,
            steps=["budget"],
            deadline=datetime(2100, 1, 1, tzinfo=UTC),
            requested_by_id=anna.id,
        )
    )
    db.session.commit()
    member = client_of("fatima@example.nl")
    member.get("/language/nl")
    page = html.unescape(member.get(f"/applications/{application.id}").text)
    box = page[page.index("question") : page.index("next-steps")]
    assert "Geen antwoord op tijd? Dan behandelen we uw aanvraag niet." in box
    application.status = "submitted"
    db.session.commit()
    admin = client_of("anna@example.nl")
    admin.get("/language/nl")
    page = html.unescape(admin.get(f"/screening/{application.id}").text)
    assert "Geen antwoord op tijd? Dan behandelen we uw aanvraag niet." in page


# --- rejection: the ceiling and the fund's points per criterion ----------------------------------


@pytest.mark.parametrize("legal_mode", ["awb", "private"])
def test_a_rejection_says_the_money_ran_out_when_the_ceiling_was_reached(decided, legal_mode):
    made = decided(legal_mode)
    # The two awards (7.500 and 9.000) came first; with the 9.000 asked the ceiling is passed.
    made["round"].budget_ceiling = Decimal("20000.00")
    made["round"].max_grant = Decimal("15000.00")
    db.session.commit()
    for text in all_texts(made["rejected"]):
        assert "Het geld voor deze ronde was op (het subsidieplafond was bereikt)." in text
        assert "Er was genoeg geld" not in text
        assert ("artikel 4:25 van de Algemene wet bestuursrecht" in text) == (legal_mode == "awb")


def test_a_rejection_within_the_budget_says_so_plainly(decided):
    made = decided("awb")
    for text in all_texts(made["rejected"]):
        assert "Er was genoeg geld voor uw aanvraag. Toch krijgt u geen subsidie." in text
        assert "subsidieplafond was bereikt" not in text
        assert "4:25" not in text


def test_a_rejection_prints_the_fund_s_points_per_criterion(decided):
    made = decided(
        points={
            1: "De leiding ligt nog bij mensen van buiten.",
            4: "Er is geen plan voor als het misgaat.",
        }
    )
    criteria = made["round"].criteria
    pdf = letter(made["rejected"])
    assert_in_both(
        pdf,
        "Wat wij ervan vinden",
        "De leiding ligt nog bij mensen van buiten.",
        "Er is geen plan voor als het misgaat.",
    )
    # Row by row (pypdf keeps a row's cells together; pdftotext reads a wrapped row by column).
    text = pypdf_text(pdf)
    assert f"{criteria[0].name_nl} 20% 2,5 4,5 De leiding ligt nog bij mensen van buiten." in text
    assert f"{criteria[3].name_nl} 15% 3,0 4,5 Er is geen plan voor als het misgaat." in text
    # A criterion without a point reads as scores only.
    assert f"{criteria[1].name_nl} 20% 3,0 4,5 {criteria[2].name_nl}" in text


def test_without_points_the_table_has_the_scores_only(decided):
    made = decided()
    criteria = made["round"].criteria
    for text in all_texts(made["rejected"]):
        assert "Wat wij ervan vinden" not in text
        assert (
            "Onderdeel Hoe zwaar telt dit? Uw score Gemiddelde van aanvragen die subsidie kregen"
        ) in text
        assert f"{criteria[0].name_nl} 20% 2,5 4,5 {criteria[1].name_nl}" in text
        assert "Weging" not in text and "Toegekende aanvragen" not in text


def test_a_partial_award_gives_the_reason_for_the_lower_amount(decided):
    made = decided(partial_reason="De kosten voor catering betalen wij niet.")
    for text in all_texts(made["award_low"]):
        assert "Onderwerp Besluit over uw aanvraag: u krijgt een deel van het bedrag" in text
        assert "Dat is minder dan de € 9.000,00 die u vroeg." in text
        assert "Waarom u minder krijgt: De kosten voor catering betalen wij niet." in text
    # The full award has no such paragraph.
    for text in all_texts(made["award_high"]):
        assert "minder" not in text.split("Ons besluit")[1].split("Wat wij subsidiëren")[0]


# --- award: the report ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (date(2028, 2, 1), date(2028, 2, 1)),  # a Tuesday
        (date(2028, 1, 1), date(2028, 1, 3)),  # New Year's Day, a Saturday: to Monday
        (date(2027, 12, 25), date(2027, 12, 27)),  # Christmas, a Saturday; Sunday the 26th
        (date(2028, 4, 17), date(2028, 4, 18)),  # Easter Monday
        (date(2028, 4, 27), date(2028, 4, 28)),  # King's Day, a Thursday
        (date(2028, 5, 25), date(2028, 5, 26)),  # Ascension Day
    ],
)
def test_a_report_deadline_is_a_working_day(given, expected):
    from fonds.letters.context import next_working_day

    assert next_working_day(given) == expected


def test_the_award_letter_names_one_report_where_to_send_it_and_a_working_day(decided):
    current_app.config.update(FUND)  # the context the letter is rendered in (the test's own)
    made = decided()
    application = made["award_low"]
    application.start_date = date(2027, 3, 1)
    application.end_date = date(2027, 11, 1)  # two months later is 1 January 2028, a Saturday
    db.session.commit()
    for text in all_texts(application):
        assert "Het project loopt van 1 maart 2027 tot en met 1 november 2027." in text
        assert "tussen" not in text
        assert "Stuur ons uiterlijk op 3 januari 2028 uw eindverslag." in text
        assert f"Mail uw eindverslag naar {FUND['FUND_EMAIL']}." in text
        assert "De rest betalen wij als wij uw eindverslag hebben goedgekeurd." in text
        assert "Dat is nooit meer dan € 7.500,00." in text
        assert re.search(r"verslagen|activiteitenverslag|financieel verslag", text) is None
        for word in ("Verantwoording", "restant", "vaststellen", "vast te stellen"):
            assert word not in text, word
        assert "Heeft u vragen over deze brief?" in text
        assert "Houdt u zich niet aan deze afspraken? Dan kunnen wij de subsidie verlagen." in text


@pytest.mark.parametrize(
    ("kind", "subject"),
    [
        ("award_high", "Besluit over uw aanvraag: u krijgt subsidie"),
        ("award_low", "Besluit over uw aanvraag: u krijgt een deel van het bedrag"),
        ("rejected", "Besluit over uw aanvraag: u krijgt geen subsidie"),
    ],
)
def test_subjects_say_the_outcome_in_plain_words(decided, kind, subject):
    made = decided()
    for text in all_texts(made[kind]):
        assert f"Onderwerp {subject}" in text
        for old in ("Toekenning subsidie", "Afwijzing aanvraag", "„"):
            assert old not in text


# --- a corrected letter --------------------------------------------------------------------------


@pytest.mark.parametrize("legal_mode", ["awb", "private"])
def test_a_corrected_letter_says_what_it_replaces_and_that_the_term_starts_again(
    decided, client_of, legal_mode
):
    made = decided(legal_mode)
    application = made["award_low"]
    anna = client_of("anna@example.nl")
    url = f"/letters/applications/{application.id}/issue"
    assert anna.post(url, data={"confirmed": "yes"}).status_code == 302
    original = db.session.scalar(select(Letter))
    note = "Het bedrag van het voorschot klopte niet."
    response = anna.post(url, data={"confirmed": "yes", "replaces": str(original.id), "note": note})
    assert response.status_code == 302
    correction = db.session.scalar(select(Letter).where(Letter.replaces_id == original.id))
    issued_on = original.issued_at.astimezone(ZoneInfo("Europe/Amsterdam")).date()
    for text in texts(correction.pdf):
        assert (
            f"Deze brief vervangt onze brief van {long_dutch(issued_on)} met kenmerk "
            f"{application.reference}."
        ) in text
        assert f"Wat is veranderd: {note}" in text
        if legal_mode == "awb":
            assert "U heeft weer zes weken om bezwaar te maken." in text
        else:
            assert (
                "U heeft weer 6 weken om ons te vragen opnieuw naar het besluit te kijken." in text
            )
        assert "Die tijd begint op de datum van deze brief." in text
    # The original says nothing of the kind.
    for text in texts(original.pdf):
        assert "vervangt" not in text


MONTHS = "januari februari maart april mei juni juli augustus september oktober november december"


def long_dutch(day: date) -> str:
    return f"{day.day} {MONTHS.split()[day.month - 1]} {day.year}"


# --- electronic delivery (art. 2:14 Awb) ------------------------------------------------------


@pytest.mark.parametrize(
    ("legal_mode", "consent", "by_post"),
    [
        ("awb", None, True),  # sent before the question was asked
        ("awb", False, True),
        ("awb", True, False),
        ("private", None, False),  # not asked: the Awb does not apply
    ],
)
def test_without_consent_to_the_portal_the_letter_also_goes_by_post(
    decided, legal_mode, consent, by_post
):
    made = decided(legal_mode)
    made["rejected"].electronic_delivery_consent = consent
    db.session.commit()
    for text in all_texts(made["rejected"]):
        assert ("Daarom sturen wij deze brief ook per post." in text) == by_post


def test_the_administrator_sees_which_letters_need_printing(decided, client_of):
    made = decided("awb")
    made["rejected"].electronic_delivery_consent = False
    made["award_low"].electronic_delivery_consent = True
    made["award_high"].electronic_delivery_consent = None
    made["not_admissible"].electronic_delivery_consent = True
    db.session.commit()
    anna = client_of("anna@example.nl")
    anna.get("/language/nl")
    page = html.unescape(anna.get(f"/letters/rounds/{made['round'].id}").text)
    rows = {
        reference: row
        for reference, row in re.findall(
            r'<tr class="utrecht-table__row">\s*<th[^>]*>.*?>(FON-[\d-]+)</a>(.*?)</tr>', page, re.S
        )
    }
    assert {reference for reference, row in rows.items() if "Ook per post versturen" in row} == {
        "FON-2026-0042",
        "FON-2026-0044",
    }
    assert "2 brieven moeten ook per post." in page
    filtered = html.unescape(anna.get(f"/letters/rounds/{made['round'].id}?post=1").text)
    assert "FON-2026-0042" in filtered and "FON-2026-0044" in filtered
    assert "FON-2026-0043" not in filtered and "FON-2026-0045" not in filtered
    assert "Toon alle brieven" in filtered
    # The decision page and the screening page say it where the letter is issued.
    decision_page = html.unescape(anna.get(f"/decisions/{made['rejected'].id}").text)
    assert "Ook per post versturen" in decision_page
    decision_page = html.unescape(anna.get(f"/decisions/{made['award_low'].id}").text)
    assert "Ook per post versturen" not in decision_page


@pytest.mark.parametrize("kind", ["rejected", "award_low", "not_admissible"])
def test_the_letter_names_the_fund_as_the_site_does(decided, kind):
    """'het Fonds op Naam', with its article, as everywhere in the portal."""
    made = decided("awb")
    for text in all_texts(made[kind]):
        assert "namens het bestuur van het Fonds op Naam," in " ".join(text.split())
