"""Tables that fit, in a real browser. An administrator logs in, lands on the rounds page and
follows its work counts to the screening list, the assignment page and the ranking; an applicant
opens the attachments step; anyone reads the accessibility statement. At 320 px (Dutch and
English) no page scrolls sideways, a table that must scroll says so and has a name, captions and
buttons are never cut off, and axe-core passes; at 1280 px the ranking fits without scrolling."""

import re
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import expect

from fonds.applications.models import Attachment
from fonds.assignments.models import ReviewerPoolMember
from fonds.columns import utcnow
from fonds.demo.builders import make_decision
from fonds.extensions import db
from fonds.roles import Role
from tests.conftest import PASSWORD
from tests.test_browser_accounts import VIEWPORTS, assert_accessible

ORGANISATIONS = [
    "Stichting Vrouwen in Verbinding Rotterdam-Zuid en Omstreken",
    "Vereniging Dialoog en Zelfbeschikking Den Haag Transvaal",
    "Stichting Regenboogjongeren Utrecht Overvecht en Kanaleneiland",
    "Informele groep Moeders in Gesprek Amsterdam Nieuw-West (via Buurthuis De Ster)",
]
TITLES = [
    "Gesprekken in de moskee over eigen keuzes",
    "Dialoogtafels voor ouders over zelfbeschikking van hun dochters",
    "Veilige ontmoetingsavonden voor lhbtiq+-jongeren",
    "Getrainde gespreksleiders uit de eigen gemeenschap",
]

# What each page is called, in each language.
TEXTS = {
    "nl": {
        "login": ("E-mailadres", "Wachtwoord", "Inloggen"),
        "rounds": "Rondes",
        "to_screen": "2 aanvragen om te controleren",
        "to_assign": "1 aanvraag heeft nog beoordelaars nodig",
        "to_propose": "4 besluiten om voor te stellen",
        "screening": "Controle",
        "assignments": "Beoordelaars en toewijzingen",
        "ranking": "Rangschikking",
        "all_statuses": ("Status", "Alle", "Tonen"),
        "back": "Terug naar alle rondes",
        "applications": "Mijn aanvragen",
        "attachments": "Bijlagen",
        "accessibility": "Toegankelijkheidsverklaring",
        "hint": "Schuif de tabel opzij om alles te zien.",
    },
    "en": {
        "login": ("E-mail address", "Password", "Log in"),
        "rounds": "Rounds",
        "to_screen": "2 applications to screen",
        "to_assign": "1 application still needs reviewers",
        "to_propose": "4 decisions to propose",
        "screening": "Screening",
        "assignments": "Reviewers and assignments",
        "ranking": "Ranking",
        "all_statuses": ("Status", "All", "Show"),
        "back": "Back to all rounds",
        "applications": "My applications",
        "attachments": "Attachments",
        "accessibility": "Accessibility statement",
        "hint": "Scroll the table sideways to see everything.",
    },
}


@pytest.fixture
def busy_round(make_user, make_organisation, make_round, make_application, make_review):
    """A realistic round: long organisation names, every kind of work waiting, reviewed
    applications with scores and amounts, and an applicant's draft with two attachments."""
    anna = make_user("anna@example.nl", name="Anna Admin", roles=[Role.ADMIN])
    ben = make_user("ben@example.nl", name="Ben Beheer", roles=[Role.ADMIN])
    reviewers = [
        make_user(f"{name.lower()}@example.nl", name=f"{name} Beoordelaar", roles=[Role.REVIEWER])
        for name in ("Rana", "Bas", "Cato")
    ]
    fatima = make_user("fatima@example.nl", name="Fatima Bakkali")
    organisations = [
        make_organisation(name, members=[fatima if number == 0 else member])
        for number, name in enumerate(ORGANISATIONS)
        for member in [make_user(f"lid{number}@example.nl", name=f"Lid {number}")]
    ]
    round_ = make_round(name="Verandering van binnenuit 2027")
    for reviewer in reviewers:
        db.session.add(ReviewerPoolMember(round_id=round_.id, user_id=reviewer.id))
    number = 0

    def application(status, **values):
        nonlocal number
        number += 1
        organisation = organisations[number % len(organisations)]
        return make_application(
            round_,
            organisation,
            status=status,
            sent_at=utcnow() - timedelta(days=20 - number),
            title=TITLES[number % len(TITLES)],
            amount_requested=Decimal("18750.00") + number * Decimal("1250.50"),
            **values,
        )

    for status in ("submitted", "submitted"):
        application(status)
    waiting = application("in_review")
    make_review(waiting, reviewers[0], submitted=False)
    for scores, status in ((4, "reviewed"), (5, "reviewed"), (2, "reviewed"), (3, "reviewed")):
        reviewed = application(status)
        make_review(reviewed, reviewers[1], scores)
        make_review(reviewed, reviewers[2], scores)
    proposed = application("decision_proposed")
    awarded = application("approved")
    for decided in (proposed, awarded):
        make_review(decided, reviewers[1], 4)
        make_review(decided, reviewers[2], 5)
    make_decision(awarded, proposer=anna, decider=ben, amount=Decimal("20000.00"))
    db.session.commit()

    draft = make_application(make_round(name="Van binnenuit 2028"), organisations[0])
    for name in ("Begroting en dekkingsplan 2027 definitief.pdf", "Projectplan.pdf"):
        db.session.add(
            Attachment(
                application_id=draft.id,
                original_name=name,
                stored_name=f"stored-{len(name)}",
                content_type="application/pdf",
                size=123_456,
                sha256="0" * 64,
                uploaded_by_id=fatima.id,
            )
        )
    db.session.commit()
    return round_, draft


def log_in(page, live_server, email, language):
    page.goto(live_server + f"/language/{language}")
    page.goto(live_server + "/account/login")
    email_label, password_label, button = TEXTS[language]["login"]
    page.get_by_label(email_label).fill(email)
    page.get_by_label(password_label, exact=True).fill(PASSWORD)
    page.get_by_role("button", name=button).click()


# The problems a person meets in a page's tables, measured in the browser.
TABLE_PROBLEMS = """hint => {
  const problems = [];
  for (const region of document.querySelectorAll('.table-scroll')) {
    const labelled = document.getElementById(region.getAttribute('aria-labelledby') || '');
    const name = (region.getAttribute('aria-label') || (labelled && labelled.textContent) || '')
      .trim();
    if (region.getAttribute('role') !== 'region' || !name || region.tabIndex !== 0) {
      problems.push(`a table region without a name: ${region.outerHTML.slice(0, 120)}`);
    }
    const box = region.getBoundingClientRect();
    if (region.scrollWidth > region.clientWidth) {
      const cue = region.previousElementSibling;
      if (!cue || cue.textContent.trim() !== hint || cue.hidden || !cue.offsetParent) {
        problems.push(`${name}: scrolls sideways without saying so`);
      }
      if (!getComputedStyle(region).backgroundImage.includes('gradient')) {
        problems.push(`${name}: scrolls sideways without a shadow at the edge`);
      }
    }
    for (const caption of region.querySelectorAll('caption')) {
      if (caption.getBoundingClientRect().right > box.right + 1) {
        problems.push(`${name}: the caption is cut off at the edge of the table`);
      }
    }
    for (const button of region.querySelectorAll('td button, td .utrecht-button-link')) {
      const cell = button.closest('td').getBoundingClientRect();
      const rect = button.getBoundingClientRect();
      if (rect.right > cell.right + 1 || button.scrollWidth > button.clientWidth + 1
          || rect.right > box.right + 1) {
        problems.push(`${name}: the button "${button.textContent.trim()}" is cut off`);
      }
    }
  }
  return problems;
}"""


def check(page, where: str, language: str) -> None:
    assert_accessible(page, where)
    assert page.evaluate(TABLE_PROBLEMS, TEXTS[language]["hint"]) == [], where


@pytest.mark.parametrize(
    ("viewport", "language"), [("phone", "nl"), ("phone", "en"), ("desktop", "nl")]
)
def test_work_pages_and_their_tables_fit_the_screen(
    chromium, live_server, busy_round, viewport, language
):
    round_, draft = busy_round
    texts = TEXTS[language]
    context = chromium.new_context(bypass_csp=True, viewport=VIEWPORTS[viewport])
    page = context.new_page()

    # The administrator lands on the rounds page and follows its work counts.
    log_in(page, live_server, "anna@example.nl", language)
    expect(page.get_by_role("heading", level=1)).to_have_text(texts["rounds"])
    check(page, "rounds page", language)

    page.get_by_role("link", name=texts["to_screen"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(texts["screening"])
    check(page, "screening list", language)
    page.get_by_role("link", name=texts["back"]).click()

    page.get_by_role("link", name=texts["to_assign"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(texts["assignments"])
    check(page, "assignment page", language)
    page.get_by_role("link", name=texts["back"]).click()

    page.get_by_role("link", name=texts["to_propose"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(texts["ranking"])
    label, everything, show = texts["all_statuses"]
    page.get_by_label(label, exact=True).select_option(label=everything)
    page.get_by_role("button", name=show).click()
    expect(page.locator("table.ranking tbody tr")).to_have_count(7)
    check(page, "ranking", language)
    if viewport == "desktop":
        region = page.get_by_role("region", name=page.locator("#ranking-caption").inner_text())
        width = region.evaluate("region => [region.scrollWidth, region.clientWidth]")
        assert width[0] <= width[1], f"the ranking scrolls sideways at 1280 px: {width}"

    page.get_by_role("contentinfo").get_by_role("link", name=texts["accessibility"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(texts["accessibility"])
    check(page, "accessibility statement", language)
    context.close()

    # The applicant lands on their applications and opens the attachments step.
    context = chromium.new_context(bypass_csp=True, viewport=VIEWPORTS[viewport])
    page = context.new_page()
    log_in(page, live_server, "fatima@example.nl", language)
    expect(page.get_by_role("heading", level=1)).to_have_text(texts["applications"])
    page.goto(f"{live_server}/applications/{draft.id}/attachments")
    expect(page.get_by_role("heading", level=1)).to_have_text(texts["attachments"])
    check(page, "attachments step", language)
    context.close()


TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def test_every_table_region_in_the_templates_has_a_name_and_takes_the_keyboard():
    """Every scrolling table box, written out or made by the table_scroll macro, is a region
    named by a caption of the same template (or an aria-label), that the keyboard can reach."""
    found = 0
    for template in sorted(TEMPLATES.rglob("*.html")):
        text = template.read_text()
        captions = set(re.findall(r'<caption[^>]* id="([^"]+)"', text))
        for tag in re.findall(r'<div class="table-scroll[^"]*"[^>]*>', text):
            if template.name == "tables.html":
                continue  # the macro itself; its callers are checked below
            found += 1
            assert 'role="region"' in tag and 'tabindex="0"' in tag, (template, tag)
            labelled = re.search(r'aria-labelledby="([^"]+)"', tag)
            assert "aria-label=" in tag or (labelled and labelled[1] in captions), (template, tag)
        for caption_id in re.findall(r'table_scroll\("([^"]+)"', text):
            found += 1
            assert caption_id in captions, (template, caption_id)
    assert found >= 13
