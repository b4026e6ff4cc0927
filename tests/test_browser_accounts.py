"""A newcomer in a real browser: register, verify with the link from the real SMTP server, log
in, switch language and log out. axe-core checks every page in Dutch and English, on a desktop
and on a 320 px wide screen."""

import pytest
from playwright.sync_api import expect

from fonds.auth.models import User
from tests.conftest import PASSWORD, axe_violations

VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 320, "height": 640}}


def assert_accessible(page, where: str) -> None:
    assert axe_violations(page) == [], where
    # Nothing sticks out sideways on a narrow screen (WCAG 1.4.10 reflow).
    width = page.evaluate("document.documentElement.scrollWidth")
    widest = page.evaluate(
        """limit => [...document.querySelectorAll('body *')]
        .filter(e => e.getBoundingClientRect().right > limit || e.scrollWidth > e.clientWidth + 1)
        .slice(-4)
        .map(e => `${e.tagName}.${e.className} ${e.scrollWidth}/${e.clientWidth}: `
                  + (e.textContent || '').trim().slice(0, 40))""",
        page.viewport_size["width"],
    )
    assert width <= page.viewport_size["width"], f"{where}: page is {width}px wide: {widest}"


@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
def test_newcomer_registers_verifies_logs_in_and_switches_language(
    page, live_server, mailbox, viewport
):
    page.set_viewport_size(VIEWPORTS[viewport])
    page.goto(live_server + "/")
    assert page.locator("html").get_attribute("lang") == "nl"
    assert_accessible(page, "start page")

    page.get_by_role("link", name="Maak een account aan").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Maak een account aan")
    assert_accessible(page, "registration form")

    # One mistake first: too short a password. The summary gets focus and keeps what was typed.
    page.get_by_label("Uw naam").fill("Fatima Bakkali")
    page.get_by_label("E-mailadres").fill("fatima@example.nl")
    page.get_by_label("Naam van uw organisatie of groep").fill("Stichting Samen Sterk")
    page.get_by_label("Wachtwoord", exact=True).fill("te kort")
    page.get_by_label("Wachtwoord herhalen").fill("te kort")
    page.get_by_label("Ik heb de privacyverklaring gelezen.").check()
    page.get_by_role("button", name="Account aanmaken").click()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_contain_text("Uw wachtwoord is te kort. Gebruik minimaal 12 tekens")
    # The deferred script moves focus to the summary once the page has loaded.
    expect(page.locator("[data-error-summary]")).to_be_focused()
    assert page.get_by_label("Uw naam").input_value() == "Fatima Bakkali"
    assert page.title().startswith("Fout:")
    assert_accessible(page, "registration form with an error")

    # The link in the summary takes the keyboard to the field.
    summary.get_by_role("link").click()
    expect(page.locator("#password")).to_be_focused()
    page.get_by_label("Wachtwoord", exact=True).fill(PASSWORD)
    page.get_by_label("Wachtwoord herhalen").fill(PASSWORD)
    page.get_by_role("button", name="Account aanmaken").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kijk in uw e-mail")
    assert_accessible(page, "check your e-mail")

    page.goto(live_server + mailbox.link_to("fatima@example.nl", "/account/verify/"))
    expect(page.locator("main")).to_contain_text("Uw e-mailadres is bevestigd")
    assert User.by_email("fatima@example.nl").is_verified
    assert_accessible(page, "log-in page after verifying")

    page.get_by_label("E-mailadres").fill("fatima@example.nl")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    # An applicant lands on her applications; her account is one click away.
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn aanvragen")
    assert_accessible(page, "my applications")
    menu = page.get_by_role("navigation", name="Hoofdmenu")
    menu.get_by_role("link", name="Mijn account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn account")
    main = page.locator("main").inner_text()
    assert "Mijn account" in main and "Stichting Samen Sterk" in main
    assert_accessible(page, "my account")

    # English, on the same page, and every page checked again.
    page.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert page.url.endswith("/account/")
    assert page.locator("html").get_attribute("lang") == "en"
    expect(page.get_by_role("heading", level=1)).to_have_text("My account")
    assert_accessible(page, "my account in English")
    page.get_by_role("link", name="Stichting Samen Sterk").click()
    assert_accessible(page, "organisation page in English")
    for path in ("/", "/privacy", "/accessibility"):
        page.goto(live_server + path)
        assert_accessible(page, f"{path} in English")

    page.get_by_role("button", name="Log out").click()
    expect(page.locator("main")).to_contain_text("You are logged out.")
    for path in ("/account/login", "/account/register", "/account/reset", "/nope"):
        page.goto(live_server + path)
        assert_accessible(page, f"{path} in English")

    page.get_by_role("link", name="Nederlands").click()
    assert page.locator("html").get_attribute("lang") == "nl"
    assert_accessible(page, "404 in Dutch")


def test_keyboard_only_reaches_the_content_through_the_skip_link(page, live_server):
    page.goto(live_server + "/account/login")
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    expect(skip).to_be_focused()
    assert skip.is_visible()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    expect(page.locator("#email")).to_be_focused()


def test_the_axe_check_itself_finds_violations(page):
    page.set_content('<html><body><img src="data:,"><a href="#"></a></body></html>')
    found = " ".join(axe_violations(page))
    assert "image-alt" in found and "html-has-lang" in found
