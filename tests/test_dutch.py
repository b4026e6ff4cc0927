"""Plain, consistent Dutch (../shared/design/dutch-review.md): no English or jargon words in any
Dutch text, one word for one thing, no status inside a sentence, plurals through ngettext, and
the error pages say how to reach the fund."""

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from flask_babel import force_locale, ngettext

ROOT = Path(__file__).resolve().parent.parent

# English words and jargon that a Dutch text must not contain (whole words, any case).
BANNED = [
    "pool",
    "deadline",
    "knock-out",
    "knockout",
    "hash",
    "axe-core",
    "screening",
    "dashboard",
    "upload",
    "feedback",
    "reviewer",
    "catering",
    "werkzame elementen",
    "risicoanalyse",
    "capaciteit",
]
# One word for one thing: the variants on the left are not used (the word we use instead).
VARIANTS = {
    r"\bhebt\b": "heeft",
    r"belangenverstrengeling": "belangenconflict",
    r"\bweg(halen|gehaald)\b": "verwijderen",
    r"\bhoogstens\b": "maximaal",
    r"\bminstens\b": "minimaal",
    r"aanvraag (in)?dienen|dien uw aanvraag in": "versturen",
    r"\bfinancieren\b": "toekennen",
    r"niet in behandeling nemen|buiten behandeling": "niet behandelen",
}


def words(pattern: list[str]) -> re.Pattern:
    return re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, pattern)) + r")(?![\w-])", re.I)


def dutch_catalogue() -> list[tuple[str, str]]:
    """(msgid, Dutch text) for every entry, each plural form on its own."""
    with (ROOT / "fonds/translations/nl/LC_MESSAGES/messages.po").open("rb") as po_file:
        catalog = read_po(po_file)
    texts = []
    for message in catalog:
        if not message.id:
            continue
        msgid = message.id[0] if message.pluralizable else message.id
        strings = message.string if message.pluralizable else (message.string,)
        texts.extend((msgid, text) for text in strings)
    return texts


def letter_texts() -> list[tuple[str, str]]:
    """The Dutch written in the letter templates themselves, without tags and expressions."""
    texts = []
    for path in sorted((ROOT / "templates/letters").glob("*.html")):
        source = path.read_text()
        source = re.sub(r"{#.*?#}|{%.*?%}|{{.*?}}", " ", source, flags=re.S)
        source = re.sub(r"<[^>]+>", " ", source)
        texts.append((path.name, " ".join(source.split())))
    return texts


def rubric_texts() -> list[tuple[str, str]]:
    """The default rubric's Dutch: applicants read it on the round page, reviewers score with it."""
    from fonds.rounds.rubric import DEFAULT_RUBRIC

    return [
        (name, text) for name, _en, _weight, dutch, _english in DEFAULT_RUBRIC for text in dutch
    ]


def test_no_english_or_jargon_words_in_dutch():
    banned = words(BANNED)
    found = [
        f"{where}: {text}"
        for where, text in dutch_catalogue() + letter_texts() + rubric_texts()
        if banned.search(text)
    ]
    assert found == []


def test_one_word_for_one_thing():
    found = [
        f"{where}: {text!r} (use {instead!r})"
        for where, text in dutch_catalogue() + letter_texts() + rubric_texts()
        for variant, instead in VARIANTS.items()
        if re.search(variant, text, re.I)
    ]
    assert found == []


def test_a_status_never_sits_inside_a_sentence():
    """ "is %(status)s" reads "is aanvulling gevraagd": name the status as a status instead."""
    found = [
        f"{msgid!r}: {text!r}"
        for msgid, text in dutch_catalogue()
        if re.search(r"\b(is|zijn|are)\s+%\(status\)s", msgid + " " + text)
    ]
    assert found == []


def test_the_banned_word_test_can_fail():
    assert words(BANNED).search("Aan de pool toevoegen")
    assert not words(BANNED).search("Aan de groep beoordelaars toevoegen")


@pytest.mark.parametrize(
    ("count", "dutch"),
    [(1, "1 brief kon niet worden verstuurd"), (2, "2 brieven konden niet worden verstuurd")],
)
def test_counts_agree_with_their_verb(app, count, dutch):
    with app.test_request_context(), force_locale("nl"):
        text = ngettext(
            "%(done)s of %(total)s letters issued, %(num)s could not be issued. Busy…",
            "%(done)s of %(total)s letters issued, %(num)s could not be issued. Busy…",
            count,
            done=3,
            total=5,
        )
        assert dutch in text
        done = ngettext("Done: the letter is issued.", "Done: all %(num)s letters are issued.", 1)
        assert done == "Klaar: de brief is verstuurd."


@pytest.mark.parametrize("status", [400, 413, 500])
def test_error_pages_say_how_to_reach_the_fund(own_app, status):
    from werkzeug.exceptions import BadRequest, InternalServerError, RequestEntityTooLarge

    errors = {400: BadRequest, 413: RequestEntityTooLarge, 500: InternalServerError}

    @own_app.route(f"/_test/error/{status}")
    def fail():
        raise errors[status]()

    page = own_app.test_client().get(f"/_test/error/{status}").text
    assert own_app.config["FUND_EMAIL"] in page and own_app.config["FUND_PHONE"] in page
    assert f"Foutcode: {status}" in page
    if status == 413:
        assert "Een bestand mag maximaal 10 MB zijn." in page


# The review's rewrites (../shared/design/dutch-review.md §1–§3), read back from the catalogue:
# a later edit that brings back the old wording fails here.
REWRITES = {
    "More information requested": "We hebben een vraag",
    "Decision being made": "We nemen een besluit",
    "Not admissible": "Niet behandeld",
    "Both": "Beide",
    "Fund": "Toekennen",
    "Fund in part": "Deels toekennen",
    "Do not fund": "Niet toekennen",
    "Reviewer pool": "Groep beoordelaars",
    "Remove": "Verwijderen",
    "Screening": "Controle",
    "Please check the following": "Er is iets niet goed ingevuld. Verbeter dit:",
    "Your reference number is": "Het nummer van uw aanvraag (kenmerk) is",
    "%(name)s invites you to work on the applications of %(organisation)s.": (
        "%(name)s nodigt u uit om mee te werken aan de aanvragen van %(organisation)s."
    ),
    "Fill in your e-mail address. Have you not confirmed your e-mail address yet? Then we send "
    "you a new link.": (
        "Vul uw e-mailadres in. Heeft u uw e-mailadres nog niet bevestigd? Dan sturen we u een "
        "nieuwe link."
    ),
    "Your application meets the conditions. Independent reviewers are now assessing it.": (
        "Uw aanvraag voldoet aan de voorwaarden. Nu lezen beoordelaars van buiten het fonds uw "
        "aanvraag."
    ),
    "A later run took this letter over.": "Deze brief is gemaakt bij een latere keer versturen.",
    "Latest run": "Laatste keer dat brieven zijn verstuurd",
    "Legal form": "Soort organisatie",
    "Host organisation": "Organisatie die het geld voor u ontvangt",
    "You can apply for": "Bedrag dat u kunt vragen",
    "Amounts and duration": "Bedragen en hoe lang uw project mag duren",
}


@pytest.mark.parametrize("msgid", list(REWRITES))
def test_the_reviews_rewrites_are_the_dutch_texts(msgid):
    assert dict(dutch_catalogue()).get(msgid) == REWRITES[msgid]


def test_a_stopped_letter_run_counts_with_the_right_verb(app):
    with app.test_request_context(), force_locale("nl"):
        one, two = (
            ngettext(
                "This run was stopped and started again. This time %(num)s of the %(total)s "
                "letters was issued.",
                "This run was stopped and started again. This time %(num)s of the %(total)s "
                "letters were issued.",
                done,
                total=3,
            )
            for done in (1, 2)
        )
    assert one.endswith("Deze keer is 1 van de 3 brieven verstuurd.")
    assert two.endswith("Deze keer zijn 2 van de 3 brieven verstuurd.")


def test_the_link_for_a_new_e_mail_sits_inside_one_sentence(client):
    page = client.get("/account/check-email", headers={"Accept-Language": "nl"}).text
    assert (
        "Kijk ook bij ongewenste e-mail (spam). Of "
        '<a class="utrecht-link" href="/account/verify">vraag een nieuwe link aan</a>.'
    ) in " ".join(page.split())


def test_the_round_page_names_the_parts_as_the_letter_does(client, make_round):
    """An applicant reads 'onderdeel' and 'Hoe zwaar telt dit?' on the round page and again in
    the rejection letter's score table, not 'criterium' and 'gewicht' on one and the other on
    the other."""
    round_ = make_round()
    page = " ".join(
        client.get(f"/rounds/{round_.id}", headers={"Accept-Language": "nl"}).text.split()
    )
    assert "Beoordelaars geven elk onderdeel een score van 1 tot 5." in page
    assert 'scope="col">Onderdeel</th>' in page and 'scope="col">Hoe zwaar telt dit?</th>' in page
    assert "Criterium" not in page and "Gewicht" not in page
    assert "Het plan zegt wat er moet veranderen." in page  # the rubric in B1
