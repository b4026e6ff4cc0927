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
from pypdf import PdfReader
from sqlalchemy import select

from fonds.applications.models import ApplicationEvent
from fonds.auth.models import Role, User
from fonds.extensions import db
from fonds.letters import fetcher as fetcher_module
from fonds.letters.context import NoLetter, letter_context
from fonds.letters.render import LetterRenderTimeout, render_letter, render_pdf
from tests.conftest import confirmed_decision
from tests.pdf_text import catalog, no_space, page_count, pdfa_claim, pdftotext, texts

LETTER_DATE = date(2027, 3, 12)
RECEIVED = datetime(2027, 1, 15, 10, 30, tzinfo=UTC)
REVIEWER_NAMES = ("Rosa Beoordelaar", "Karel Keurder")
REVIEWER_NOTE = "Persoonlijke notitie van de beoordelaar"


@pytest.fixture
def cast(make_user, make_organisation, make_round, make_application, make_review):
    """A round with one rejected, two awarded and one not-admissible application, with
    submitted reviews by two named reviewers and decisions confirmed by a second administrator."""

    def build(
        legal_mode: str = "private",
        *,
        title: str = "Gesprekken in de moskee",
        motivation: str = "Het plan is nog te weinig uitgewerkt.",
    ):
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
            legal_remedy_text="Stuur uw brief naar Postbus 123, 1000 AA Amsterdam.",
        )
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
                organisation_snapshot=organisation.snapshot(),
            )
        # Rejected: criterion 1 scores 2 and 3 (mean 2,5), the others 3 and 3 (3,0).
        make_review(made["rejected"], rosa, [2, 3, 3, 3, 3, 3, 3], motivation=REVIEWER_NOTE)
        make_review(made["rejected"], karel, 3, motivation=REVIEWER_NOTE)
        # Awarded: one application with 4 and 4 (mean 4), one with a single 5 (mean 5). The mean
        # of the awarded applications is 4,5 (a mean over all their reviews would be 4,3).
        make_review(made["award_low"], rosa, 4)
        make_review(made["award_low"], karel, 4)
        make_review(made["award_high"], rosa, 5)
        for name, amount, decision_motivation in [
            ("rejected", None, motivation),
            ("award_low", Decimal("7500.00"), "Sterk plan, iets lagere begroting."),
            ("award_high", Decimal("9000.00"), "Uitstekend plan."),
        ]:
            confirmed_decision(
                made[name],
                proposer=anna,
                decider=ben,
                amount=amount,
                motivation=decision_motivation,
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
        "Gedeeltelijke toekenning subsidie",
        "Wij kennen u een subsidie toe van € 7.500,00",
        "Sterk plan, iets lagere begroting.",
        "loopt van 1 maart 2027 tot en met 1 december 2027",
        "80% als voorschot (€ 6.000,00)",
        "NL91ABNA0417164300",
        # Report deadline: two months after the end date.
        "Stuur uiterlijk 1 februari 2028",
    )
    # The full award is not "partial".
    assert_in_both(letter(made["award_high"]), "Onderwerp Toekenning subsidie", "€ 9.000,00")


@pytest.mark.parametrize("legal_mode", ["awb", "private"])
def test_rejection_letter_with_feedback_and_the_remedy_of_its_mode(cast, legal_mode):
    made = cast(legal_mode)
    application = made["rejected"]
    criteria = [c.name_nl for c in made["round"].criteria]
    pdf = letter(application)
    assert_common(pdf, "FON-2026-0042")
    assert_in_both(
        pdf,
        "Afwijzing aanvraag subsidie",
        "Wij wijzen uw aanvraag af.",
        "Het plan is nog te weinig uitgewerkt.",
        # The feedback table: criterion, weight, this application's mean, the awarded mean.
        f"{criteria[0]} ",
        "2,5 4,5",
        f"{criteria[1]} ",
        "3,0 4,5",
        # Ranking and ceiling: 3rd of 3 scored applications; budget € 250.000,00.
        "Het budget van deze ronde was € 250.000,00",
        "Uw aanvraag stond op plaats 3 van 3.",
        "Stuur uw brief naar Postbus 123, 1000 AA Amsterdam.",
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
            assert "U kunt Fonds op Naam vragen dit besluit te heroverwegen." in text


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
    assert (before["position"], before["scored"]) == (3, 3)
    # A fourth application with a higher score moves the rejected one down a place.
    extra = make_application(
        made["rejected"].round,
        made["rejected"].organisation,
        status="reviewed",
        reference="FON-2026-0099",
        submitted_at=RECEIVED,
    )
    reviewer = db.session.scalar(select(User).where(User.email == "r0@example.nl"))
    make_review(extra, reviewer, 5)
    after = letter_context(made["rejected"])["ranking"]
    assert (after["position"], after["scored"]) == (4, 4)
    # A new ceiling is used at once.
    made["rejected"].round.budget_ceiling = Decimal("300000.00")
    db.session.commit()
    assert letter_context(made["rejected"])["ranking"]["ceiling"] == Decimal("300000.00")
    # Another award counts in the awarded mean of the next letter: (4 + 5 + 5) / 3.
    extra.status = "approved"
    db.session.commit()
    rows = letter_context(made["rejected"])["feedback"]
    assert rows[0].awarded_mean == pytest.approx(14 / 3)


def test_not_admissible_letter(cast):
    made = cast("awb")
    pdf = letter(made["not_admissible"])
    assert_common(pdf, "FON-2026-0045")
    assert_in_both(
        pdf,
        "Aanvraag buiten behandeling",
        "Wij nemen uw aanvraag niet in behandeling.",
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
    assert info.subject == "Afwijzing aanvraag subsidie, FON-2026-0042"


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
