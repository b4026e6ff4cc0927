"""Decision letters read back from the PDF, as the applicant reads them: with pypdf and with
poppler's pdftotext. Scores are hand-computed from the reviews made here."""

from __future__ import annotations

import http.server
import io
import threading
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from flask import current_app
from pypdf import PdfReader
from sqlalchemy import select

from fonds.applications.models import Application, ApplicationEvent
from fonds.auth.models import User
from fonds.demo.builders import make_decision
from fonds.extensions import db
from fonds.letters import fetcher as fetcher_module
from fonds.letters.context import NoLetter, letter_context
from fonds.letters.render import LetterRenderTimeout, render_letter, render_pdf
from fonds.roles import Role
from fonds.rounds.models import RubricCriterion
from tests.pdf_text import catalog, no_space, page_count, pdfa_claim, pdftotext, texts

LETTER_DATE = date(2027, 3, 12)
RECEIVED = datetime(2027, 1, 15, 10, 30, tzinfo=UTC)
REVIEWER_NAMES = ("Rosa Beoordelaar", "Karel Keurder")
REVIEWER_NOTE = "Persoonlijke notitie van de beoordelaar"
REMEDY_ADDRESSEE = "Secretariaat Fonds op Naam, Postbus 99, 1000 AB Amsterdam"
REMEDY_EXTRA = "Een e-mail met uw handtekening als bijlage is ook goed."
FUND = {
    "FUND_POSTAL_ADDRESS": "Postbus 4242, 3000 AB Rotterdam",
    "FUND_EMAIL": "brieven@fonds.test",
    "FUND_PHONE": "010 123 45 67",
    "FUND_CONTACT": "Sanne Jansen",
}


@pytest.fixture
def cast(make_user, make_organisation, make_round, make_application, make_review):
    """A round with one rejected, two awarded and one not-admissible application, with
    submitted reviews by two named reviewers and decisions confirmed by a second administrator."""

    def build(
        legal_mode: str = "private",
        *,
        title: str = "Gesprekken in de moskee",
        motivation: str = "Het plan is nog te weinig uitgewerkt.",
        extra_criteria: int = 0,
        publication_consent: bool = False,
        points: dict[int, str] | None = None,
        partial_reason: str = "",
    ):
        """`points`: the fund's point per criterion (by position) of the rejection;
        `partial_reason`: why the lower award is lower."""
        member = make_user("fatima@example.nl", name="Fatima Bakkali")
        organisation = make_organisation("Stichting Samen Sterk", members=[member])
        anna = make_user("anna@example.nl", name="Anna", roles=[Role.ADMIN])
        ben = make_user("ben@example.nl", name="Ben", roles=[Role.ADMIN])
        rosa, karel = (
            make_user(f"r{i}@example.nl", name=name, roles=[Role.REVIEWER])
            for i, name in enumerate(REVIEWER_NAMES)
        )
        round_ = make_round(
            legal_mode=legal_mode,
            remedy_addressee=REMEDY_ADDRESSEE,
            legal_remedy_text=REMEDY_EXTRA,
        )
        for number in range(extra_criteria):  # a rubric long enough to run over a page
            round_.criteria.append(
                RubricCriterion(
                    position=8 + number,
                    name_nl=f"Extra criterium {number + 1}: hoe goed sluit het project aan bij "
                    "wat de gemeenschap zelf nodig vindt",
                    name_en=f"Extra {number + 1}",
                    weight=1,
                    descriptor_1_nl="",
                    descriptor_3_nl="",
                    descriptor_5_nl="",
                    descriptor_1_en="",
                    descriptor_3_en="",
                    descriptor_5_en="",
                )
            )
        db.session.commit()
        made = {}
        for number, (name, status) in enumerate(
            [
                ("rejected", "rejected"),
                ("award_low", "approved"),
                ("award_high", "approved"),
                ("not_admissible", "not_admissible"),
            ],
            start=42,
        ):
            made[name] = make_application(
                round_,
                organisation,
                title=title,
                status=status,
                reference=f"FON-2026-{number:04d}",
                submitted_at=RECEIVED,
                publication_consent=publication_consent,
            )
        # Rejected: criterion 1 scores 2 and 3 (mean 2,5), the others 3 and 3 (3,0).
        make_review(
            made["rejected"], rosa, [2] + [3] * (6 + extra_criteria), motivation=REVIEWER_NOTE
        )
        make_review(made["rejected"], karel, 3, motivation=REVIEWER_NOTE)
        # Awarded: one application with 4 and 4 (mean 4), one with a single 5 (mean 5). The mean
        # of the awarded applications is 4,5 (a mean over all their reviews would be 4,3).
        make_review(made["award_low"], rosa, 4)
        make_review(made["award_low"], karel, 4)
        make_review(made["award_high"], rosa, 5)
        by_position = {criterion.position: criterion.id for criterion in round_.criteria}
        for name, amount, decision_motivation, extra in [
            (
                "rejected",
                None,
                motivation,
                {"points": {by_position[p]: text for p, text in (points or {}).items()}},
            ),
            (
                "award_low",
                Decimal("7500.00"),
                "Sterk plan, iets lagere begroting.",
                {"partial_reason": partial_reason},
            ),
            ("award_high", Decimal("9000.00"), "Uitstekend plan.", {}),
        ]:
            make_decision(
                made[name],
                proposer=anna,
                decider=ben,
                amount=amount,
                motivation=decision_motivation,
                **extra,
            )
        db.session.add(
            ApplicationEvent(
                application=made["not_admissible"],
                actor_id=anna.id,
                from_status="submitted",
                to_status="not_admissible",
                message="Uw organisatie is niet gevestigd in Nederland.",
            )
        )
        db.session.commit()
        made["round"] = round_
        return made

    return build


def letter(application):
    return render_letter(application, letter_date=LETTER_DATE)[1]


def assert_in_both(pdf: bytes, *needles: str) -> None:
    for text in texts(pdf):
        for needle in needles:
            assert needle in text, f"{needle!r} not in {text!r}"


def assert_common(pdf: bytes, reference: str) -> None:
    """What every letter shows: letterhead, date, reference, addressee, KvK, contact person,
    the date received, the amount requested, numbering, the signatory; never a reviewer."""
    assert_in_both(
        pdf,
        "Fonds op Naam",
        "12 maart 2027",
        f"Kenmerk {reference}",
        "Stichting Samen Sterk",
        "KvK-nummer 12345678",
        "t.a.v. Fatima Bakkali",
        "Dorpsstraat 1",
        "1234 AB Rotterdam",
        "Op 15 januari 2027 hebben wij uw aanvraag",
        "€ 9.000,00",
        "Subsidieregeling Fonds op Naam 2027, artikel 4",
        "Anna de Vries",
        "Programmamanager",
    )
    pages = page_count(pdf)
    assert_in_both(pdf, f"Pagina 1 van {pages}", f"Pagina {pages} van {pages}")
    for text in texts(pdf):
        for name in REVIEWER_NAMES:
            assert name not in text
        assert REVIEWER_NOTE not in text
    if pages > 1:  # the reference is repeated at the top of the next page
        assert pdftotext(pdf, 2).startswith(f"Kenmerk {reference}")


def test_award_letter(cast):
    made = cast()
    pdf = letter(made["award_low"])
    assert page_count(pdf) == 2
    assert_common(pdf, "FON-2026-0043")
    assert_in_both(
        pdf,
        "Besluit over uw aanvraag: u krijgt een deel van het bedrag",
        "Wij kennen u een subsidie toe van € 7.500,00",
        "Sterk plan, iets lagere begroting.",
        "loopt van 1 maart 2027 tot en met 1 december 2027",
        "80% van de subsidie als voorschot: € 6.000,00",
        "NL91ABNA0417164300",
        # Report deadline: two months after the end date (a Tuesday).
        "Stuur ons uiterlijk op 1 februari 2028 uw eindverslag",
    )
    # The full award is not "partial".
    assert_in_both(
        letter(made["award_high"]),
        "Onderwerp Besluit over uw aanvraag: u krijgt subsidie",
        "€ 9.000,00",
    )


@pytest.mark.parametrize("legal_mode", ["awb", "private"])
def test_rejection_letter_with_feedback_and_the_remedy_of_its_mode(cast, legal_mode):
    made = cast(legal_mode)
    application = made["rejected"]
    criteria = [c.name_nl for c in made["round"].criteria]
    pdf = letter(application)
    assert_common(pdf, "FON-2026-0042")
    assert_in_both(
        pdf,
        "Besluit over uw aanvraag: u krijgt geen subsidie",
        "Wij wijzen uw aanvraag af.",
        "Het plan is nog te weinig uitgewerkt.",
        # The feedback table: criterion, weight, this application's mean, the awarded mean.
        f"{criteria[0]} ",
        "2,5 4,5",
        f"{criteria[1]} ",
        "3,0 4,5",
        # Ranking and ceiling: 3rd of 3 scored applications; budget € 250.000,00.
        "Voor deze ronde was € 250.000,00 beschikbaar (het subsidieplafond).",
        "Uw aanvraag stond op plaats 3 van 3.",
        REMEDY_EXTRA,
    )
    for text in texts(pdf):
        assert text.count("3,0 4,5") == len(criteria) - 1
        awb_clause = (
            "Dan kunt u bezwaar maken. Dat doet u binnen zes weken na de datum van deze brief."
        )
        if legal_mode == "awb":
            assert awb_clause in text
            assert "heroverwegen" not in text
        else:
            assert "bezwaar" not in text
            assert "Dan kunt u ons vragen om opnieuw naar dit besluit te kijken" in text


def test_feedback_values_from_the_context(cast):
    made = cast()
    rows = letter_context(made["rejected"])["feedback"]
    assert [(row.mean, row.awarded_mean) for row in rows] == [(2.5, 4.5)] + [(3.0, 4.5)] * 6
    # No awarded application: the table shows a dash.
    for name in ("award_low", "award_high"):
        made[name].status = "reviewed"
    db.session.commit()
    rows = letter_context(made["rejected"])["feedback"]
    assert {row.awarded_mean for row in rows} == {None}


def test_a_round_s_shared_facts_follow_every_change(cast, make_application, make_review):
    """The ranking and the awarded means are kept per round for the next letter of the round,
    but a new review, a changed application or a new budget ceiling is seen at once."""
    made = cast()
    before = letter_context(made["rejected"])["ranking"]
    assert (before["position"], before["assessed"]) == (3, 3)
    # A fourth application with a higher score moves the rejected one down a place.
    extra = make_application(
        made["rejected"].round,
        made["rejected"].organisation,
        status="reviewed",
        submitted_at=RECEIVED,
    )
    reviewer = db.session.scalar(select(User).where(User.email == "r0@example.nl"))
    make_review(extra, reviewer, 5)
    after = letter_context(made["rejected"])["ranking"]
    assert (after["position"], after["assessed"]) == (4, 4)
    # A new ceiling is used at once.
    made["rejected"].round.budget_ceiling = Decimal("300000.00")
    db.session.commit()
    assert letter_context(made["rejected"])["ranking"]["ceiling"] == Decimal("300000.00")
    # Another award counts in the awarded mean of the next letter: (4 + 5 + 5) / 3.
    extra.status = "approved"
    db.session.commit()
    rows = letter_context(made["rejected"])["feedback"]
    assert rows[0].awarded_mean == pytest.approx(14 / 3)


def remedy_section(text: str) -> str:
    """The letter's legal remedy: from its heading to the privacy paragraph."""
    start = text.index("Bent u het niet eens met dit besluit?")
    return text[start : text.index("Privacy", start)]


@pytest.mark.parametrize("legal_mode", ["awb", "private"])
@pytest.mark.parametrize("kind", ["rejected", "award_low", "not_admissible"])
def test_the_remedy_asks_once_and_names_the_round_s_one_addressee(cast, legal_mode, kind):
    made = cast(legal_mode)
    for text in texts(letter(made[kind])):
        assert text.count("Bent u het niet eens met dit besluit?") == 1, text
        section = remedy_section(text)
        # One addressee, the round's: not the board as well.
        assert section.count(REMEDY_ADDRESSEE) == 1, section
        assert "bestuur" not in section.lower(), section
        assert section.count("Stuur uw") == 1, section
        if legal_mode == "awb":
            assert f"Stuur uw bezwaarschrift naar: {REMEDY_ADDRESSEE}" in section
            assert "Zet in uw bezwaarschrift:" in section and "uw naam en adres" in section
        else:
            assert f"Stuur uw verzoek naar: {REMEDY_ADDRESSEE}" in section
        # The round's own text follows as an extra paragraph.
        assert section.count(REMEDY_EXTRA) == 1
        assert section.index(REMEDY_ADDRESSEE) < section.index(REMEDY_EXTRA)


@pytest.mark.parametrize("kind", ["rejected", "award_low", "not_admissible"])
def test_every_letter_names_the_fund_s_address_and_a_contact(cast, kind):
    current_app.config.update(FUND)  # the context the letter is rendered in (the test's own)
    made = cast()
    pdf = letter(made[kind])
    assert_in_both(
        pdf,
        *FUND.values(),
        "Heeft u vragen over deze brief? Neem dan contact op met Sanne Jansen",
    )
    # Page 1 starts with the letterhead: the sender and its details before the addressee.
    first = pdftotext(pdf, 1)
    assert first.index(FUND["FUND_POSTAL_ADDRESS"]) < first.index("Stichting Samen Sterk")
    # Every page's footer names the fund and how to reach it.
    for number in range(1, page_count(pdf) + 1):
        assert f"Fonds op Naam · {FUND['FUND_PHONE']} · {FUND['FUND_EMAIL']}" in pdftotext(
            pdf, number
        )


def test_the_site_footer_names_the_fund_s_address_and_contact(app, client):
    app.config.update(FUND)
    page = client.get("/")
    assert page.status_code == 200
    footer = page.text[page.text.index("<footer") :]
    for value in FUND.values():
        assert value in footer
    assert 'href="mailto:brieven@fonds.test"' in footer


def test_the_fund_s_details_come_from_the_environment():
    """Defaults are placeholders that say they must be set; the environment sets them."""
    import subprocess
    import sys

    show = "import config; c = config.Config; print(c.FUND_POSTAL_ADDRESS, c.FUND_EMAIL, sep='|')"
    default = subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", show],
        capture_output=True,
        text=True,
        check=True,
        env={"PATH": "/usr/bin:/bin"},
        cwd=Path(__file__).resolve().parent.parent,
    ).stdout.strip()
    assert default.endswith("@fondsopnaam.example")
    assert "0000" in default  # a postcode that cannot exist
    configured = subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", show],
        capture_output=True,
        text=True,
        check=True,
        env={"PATH": "/usr/bin:/bin", **FUND},
        cwd=Path(__file__).resolve().parent.parent,
    ).stdout.strip()
    assert configured == f"{FUND['FUND_POSTAL_ADDRESS']}|{FUND['FUND_EMAIL']}"


def test_the_place_counts_only_assessed_applications(cast, make_application, make_review):
    """Applications still in review (not all reviews in) count neither for the place nor for
    the total, even when one of their reviews is in."""
    made = cast()
    reviewer = db.session.scalar(select(User).where(User.email == "r0@example.nl"))
    for number, score in [(97, 5), (98, 1)]:
        waiting = make_application(
            made["round"],
            made["rejected"].organisation,
            status="in_review",
            reference=f"FON-2026-{number:04d}",
            submitted_at=RECEIVED,
        )
        make_review(waiting, reviewer, score)
    assert_in_both(letter(made["rejected"]), "Uw aanvraag stond op plaats 3 van 3.")
    ranking = letter_context(made["rejected"])["ranking"]
    assert (ranking["position"], ranking["assessed"]) == (3, 3)
    # Once its reviews are in, the stronger one counts, at once (the kept facts follow).
    waiting = db.session.scalar(select(Application).where(Application.reference == "FON-2026-0097"))
    waiting.status = "reviewed"
    db.session.commit()
    ranking = letter_context(made["rejected"])["ranking"]
    assert (ranking["position"], ranking["assessed"]) == (4, 4)


def test_a_long_feedback_table_keeps_its_introduction_and_repeats_its_header(cast):
    made = cast(extra_criteria=30)
    pdf = letter(made["rejected"])
    pages = [pdftotext(pdf, number) for number in range(1, page_count(pdf) + 1)]
    intro = "Hieronder ziet u uw gemiddelde score"
    first, last = made["round"].criteria[0], made["round"].criteria[-1]
    first_row = f"{first.name_nl} {first.weight}%"
    last_row = f"{last.name_nl} {last.weight}%"
    starts = next(i for i, text in enumerate(pages) if intro in text)
    ends = next(i for i, text in enumerate(pages) if last_row in text)
    assert ends > starts, "the table must run over a page for this test"
    # The introduction is on the page where the table's first rows are.
    assert first_row in pages[starts]
    assert pages[starts].index(intro) < pages[starts].index(first_row)
    for number in range(starts, ends + 1):
        for header in ("Onderdeel Hoe zwaar telt dit? Uw score", "Gemiddelde van aanvragen die"):
            assert header in pages[number], f"no table header on page {number + 1}"
    # Each row stays whole on one page.
    for number in range(1, 31):
        name = f"Extra criterium {number}: hoe goed sluit het project aan bij"
        assert sum(name in text for text in pages) == 1


@pytest.mark.parametrize(
    ("kind", "consent", "published"),
    [
        ("award_low", True, True),
        ("award_low", False, False),
        ("rejected", True, False),
        ("not_admissible", True, False),
    ],
)
def test_the_letter_says_what_is_published_as_the_applicant_chose(cast, kind, consent, published):
    made = cast(publication_consent=consent)
    for text in texts(letter(made[kind])):
        privacy = text[text.index("Privacy") :]
        assert "alleen als u daarvoor toestemming geeft" not in privacy
        if published:
            assert (
                "U vindt het goed dat wij uw subsidie bekendmaken. Daarom zetten wij de naam van "
                "uw organisatie, de titel van het project en het bedrag dat u krijgt op onze "
                "website. Gegevens over deelnemers of gemeenschappen maken wij nooit openbaar."
            ) in privacy
        else:
            assert "niets over uw aanvraag openbaar." in privacy
            assert "zetten wij de naam" not in privacy
        if kind != "award_low":
            assert "toekenning" not in privacy


def test_not_admissible_letter(cast):
    made = cast("awb")
    pdf = letter(made["not_admissible"])
    assert_common(pdf, "FON-2026-0045")
    assert_in_both(
        pdf,
        "Besluit over uw aanvraag: uw aanvraag voldoet niet aan de regels",
        "Daarom hebben wij uw plan niet beoordeeld.",
        "Uw organisatie is niet gevestigd in Nederland.",
        "binnen zes weken na de datum van deze brief",
    )


def test_metadata_pdfa_and_tags(cast):
    made = cast()
    pdf = letter(made["rejected"])
    assert pdf.startswith(b"%PDF-1.7")
    root = catalog(pdf)
    assert root["/Lang"] == "nl"
    assert "/StructTreeRoot" in root
    assert bool(root["/MarkInfo"]["/Marked"])
    assert pdfa_claim(pdf) == ("3", "A")
    info = PdfReader(io.BytesIO(pdf)).metadata
    assert info.title == "Besluit op aanvraag FON-2026-0042"
    assert info.author == "Fonds op Naam"
    assert info.subject == "Besluit over uw aanvraag: u krijgt geen subsidie, FON-2026-0042"


def test_no_letter_without_a_decided_status_or_a_confirmed_decision(cast):
    made = cast()
    made["rejected"].status = "reviewed"
    db.session.commit()
    with pytest.raises(NoLetter):
        render_letter(made["rejected"])
    made["award_low"].status = "rejected"  # its confirmed decision approves
    db.session.commit()
    with pytest.raises(NoLetter):
        render_letter(made["award_low"])


# The timer's exception may first land in a garbage-collection callback, where Python reports
# it as unraisable before the next one stops the render.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_the_time_limit_stops_a_long_render():
    html = "<html lang=nl><title>t</title>" + "<p>regel</p>" * 3000
    with pytest.raises(LetterRenderTimeout):
        render_pdf(html, seconds=0.05)


class Recorder(http.server.BaseHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self):  # noqa: N802 - the handler's name
        Recorder.requests.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def loopback_server():
    Recorder.requests = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_port, Recorder.requests
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def test_applicant_text_reads_embeds_and_requests_nothing(cast, loopback_server, monkeypatch):
    port, requests = loopback_server
    asked = []
    original = fetcher_module.LetterURLFetcher.fetch

    def spy(self, url, headers=None):
        asked.append(url)
        return original(self, url, headers)

    monkeypatch.setattr(fetcher_module.LetterURLFetcher, "fetch", spy)
    hostile = [
        '<img src="file:///etc/hostname">',
        '<link rel="attachment" href="file:///etc/hostname">',
        f"<style>body {{ background: url(http://127.0.0.1:{port}/css) }}</style>",
        f'<p style="background: url(http://127.0.0.1:{port}/inline)">x</p>',
        "{{ 7*7 }}",
    ]
    made = cast(title=hostile[0], motivation="\n".join(hostile[1:]))
    pdf = letter(made["rejected"])
    # Each appears as plain text (compared without whitespace: a long line may wrap anywhere).
    for text in texts(pdf):
        for needle in hostile:
            assert no_space(needle) in no_space(text)
    # Nothing was requested, read or embedded: the only URL asked for is the fund's logo.
    assert requests == []
    assert asked == [fetcher_module.LETTERS_STATIC.joinpath("logo.svg").as_uri()]
    hostname = Path("/etc/hostname").read_text().strip() if Path("/etc/hostname").exists() else ""
    if hostname:
        for text in texts(pdf):
            assert hostname not in text.replace("file:///etc/hostname", "")
    assert b"/EmbeddedFile" not in pdf and b"/FileAttachment" not in pdf
    assert "/Names" not in catalog(pdf) or "/EmbeddedFiles" not in catalog(pdf)["/Names"]


def test_administrators_preview_the_letter_as_page_and_pdf(cast, app, log_in):
    made = cast()
    client = app.test_client()
    log_in(client, "anna@example.nl")
    application = made["award_low"]
    page = client.get(f"/letters/applications/{application.id}/preview")
    assert page.status_code == 200
    assert page.mimetype == "text/html"
    assert "FON-2026-0043" in page.text and "€\xa07.500,00" in page.text
    assert '<base href="/static/letters/">' in page.text
    assert client.get("/static/letters/logo.svg").status_code == 200
    pdf = client.get(f"/letters/applications/{application.id}/preview.pdf")
    assert pdf.status_code == 200
    assert pdf.headers["Content-Type"] == "application/pdf"
    assert pdf.headers["Cache-Control"] == "no-store"
    assert_in_both(pdf.data, "FON-2026-0043", "€ 7.500,00")
    # Applicant text is escaped on the page too.
    made["rejected"].title = "<script>alert(1)</script>"
    db.session.commit()
    page = client.get(f"/letters/applications/{made['rejected'].id}/preview").text
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
    # An application without a decided status has no letter.
    made["rejected"].status = "reviewed"
    db.session.commit()
    assert client.get(f"/letters/applications/{made['rejected'].id}/preview").status_code == 404
    assert client.get("/letters/applications/999999/preview.pdf").status_code == 404
