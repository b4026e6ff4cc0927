"""Dutch first, English second, switchable on every page; Dutch formats for money and dates."""

import re
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from flask_babel import force_locale

from fonds.formatting import date_time, long_date, money

ROOT = Path(__file__).resolve().parent.parent


def test_dutch_is_the_default(client):
    page = client.get("/account/login").text
    assert '<html lang="nl">' in page
    assert '<h1 class="utrecht-heading-1">Inloggen</h1>' in page
    assert "Wachtwoord vergeten?" in page
    assert 'hreflang="en">English</a>' in page


def test_switch_keeps_the_person_on_the_same_page(client):
    response = client.get("/language/en", query_string={"next": "/account/reset?x=1"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/account/reset?x=1"
    page = client.get("/account/reset").text
    assert '<html lang="en">' in page
    assert "Forgot your password?" in page
    assert 'hreflang="nl">Nederlands</a>' in page
    # And back.
    client.get("/language/nl")
    assert "Wachtwoord vergeten?" in client.get("/account/reset").text


def test_every_page_links_to_the_other_language_with_a_way_back(client):
    page = client.get("/privacy?tab=2").text
    assert 'href="/language/en?next=/privacy?tab%3D2"' in page


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example", "javascript:x"])
def test_switch_never_redirects_to_another_site(client, target):
    response = client.get("/language/en", query_string={"next": target})
    assert response.headers["Location"] == "/"


def test_unknown_language_is_not_found(client):
    assert client.get("/language/fr").status_code == 404
    assert '<html lang="nl">' in client.get("/").text


def test_logged_in_choice_is_remembered_for_e_mail(app, client, make_user, log_in, mailbox):
    """The language chosen while logged in is the language of the account's e-mail, also when
    the mail is asked for from another browser (here: a password reset from a Dutch one)."""
    from fonds.auth.models import User

    make_user("anna@example.nl")

    def reset_mail_subject() -> str:
        mailbox.clear()
        other_browser = app.test_client()  # Dutch, not logged in
        other_browser.post("/account/reset", data={"email": "anna@example.nl"})
        return mailbox.last_to("anna@example.nl")["Subject"]

    assert reset_mail_subject() == "Kies een nieuw wachtwoord"  # the default, Dutch

    log_in(client, "anna@example.nl")
    client.get("/language/en")
    assert User.by_email("anna@example.nl").locale == "en"
    assert reset_mail_subject() == "Choose a new password"


def test_money_and_dates_in_dutch(app):
    with app.test_request_context(), force_locale("nl"):
        assert money(Decimal("12500")) == "€\xa012.500,00"
        assert money(Decimal("0.5")) == "€\xa00,50"
        assert long_date(date(2027, 3, 12)) == "12 maart 2027"
        # 23:30 UTC on 11 March is already 12 March in Amsterdam (UTC+1 in winter).
        assert long_date(datetime(2027, 3, 11, 23, 30, tzinfo=UTC)) == "12 maart 2027"
        assert date_time(datetime(2027, 7, 1, 12, 5, tzinfo=UTC)) == "1 juli 2027 14:05"


def test_summer_time_after_2037_is_shown_right(app):
    """pytz, which Flask-Babel uses, knows no clock changes after 2037; zoneinfo does."""
    with app.test_request_context(), force_locale("nl"):
        assert date_time(datetime(2040, 7, 1, 12, 5, tzinfo=UTC)) == "1 juli 2040 14:05"
        assert date_time(datetime(2040, 12, 1, 12, 5, tzinfo=UTC)) == "1 december 2040 13:05"
        assert long_date(datetime(2040, 6, 30, 22, 30, tzinfo=UTC)) == "1 juli 2040"


def test_every_text_has_a_dutch_translation():
    """Fails when a text is added to the code or templates without a Dutch translation (run
    `make extract-messages` and translate the new entries)."""
    with (ROOT / "fonds/translations/nl/LC_MESSAGES/messages.po").open("rb") as po_file:
        catalog = read_po(po_file)
    # A fuzzy catalogue is skipped by `pybabel compile`: the whole site would be in English.
    assert not catalog.fuzzy
    # A plural (ngettext) counts as translated when both of its Dutch forms are there.
    translated = {
        m.id[0] if m.pluralizable else m.id
        for m in catalog
        if m.id and (all(m.string) if m.pluralizable else m.string) and not m.fuzzy
    }
    method_map = [("**.py", "python"), ("**.html", "jinja2"), ("**.txt", "jinja2")]
    options = {
        "**.html": {"extensions": "jinja2.ext.do"},
        "**.txt": {"extensions": "jinja2.ext.do"},
    }
    missing = []
    for folder in ("fonds", "templates"):
        for filename, _lineno, message, _comments, _context in extract_from_dir(
            ROOT / folder,
            method_map=method_map,
            options_map=options,
            keywords={
                "_": None,
                "gettext": None,
                "_l": None,
                "lazy_gettext": None,
                "ngettext": (1, 2),
            },
        ):
            msgid = message if isinstance(message, str) else message[0]
            if msgid not in translated:
                missing.append(f"{folder}/{filename}: {msgid}")
    assert missing == []


def test_translations_keep_their_placeholders():
    with (ROOT / "fonds/translations/nl/LC_MESSAGES/messages.po").open("rb") as po_file:
        catalog = read_po(po_file)
    for message in catalog:
        if not message.id:
            continue
        # A plural (ngettext) has a singular and a plural form, in Dutch as in English.
        ids = message.id if message.pluralizable else (message.id,)
        strings = message.string if message.pluralizable else (message.string,)
        for text, translation in zip(ids, strings, strict=True):
            assert sorted(re.findall(r"%\(\w+\)s", text)) == sorted(
                re.findall(r"%\(\w+\)s", translation)
            ), message.id


def test_deadlines_in_running_text(app):
    from fonds.formatting import deadline

    with app.test_request_context():
        with force_locale("nl"):
            # The end of a day is that day: "uiterlijk op 16 december 2026", not "vóór … 23:59".
            assert deadline(datetime(2026, 12, 16, 22, 59, 59, tzinfo=UTC)) == "16 december 2026"
            assert deadline(datetime(2099, 7, 1, 15, 0, tzinfo=UTC)) == "1 juli 2099 om 17.00 uur"
        with force_locale("en"):
            assert deadline(datetime(2099, 7, 1, 15, 0, tzinfo=UTC)) == "1 July 2099 at 17:00"
