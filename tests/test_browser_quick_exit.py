"""Reading over a shoulder, in a real browser: the tab (and so the history) names an application
by its reference, never by its title; "Snel weg" (quick exit) is the first thing after the skip
link, tells screen readers what it does, stays in view, and leaves at once for a neutral site in
place of the page, so going back does not return to the fund's page (issue 11)."""

import re

import pytest
from playwright.sync_api import expect

from fonds.columns import utcnow
from tests.test_browser_accounts import VIEWPORTS, assert_accessible
from tests.test_browser_review_journey import open_as

TITLE = "Gesprekken in de moskee"
DRAFT_TITLE = "Vrouwen aan het woord"
REFERENCE = "FON-2027-0042"
NEUTRAL = "https://weer.example/vandaag"
NEUTRAL_PAGE = (
    "<!doctype html><html lang=nl><head><title>Het weer</title></head>"
    "<body><h1>Het weer vandaag</h1></body></html>"
)


@pytest.fixture
def fund(app, make_user, make_organisation, make_round, make_application):
    """An applicant with a sent application and a draft; the quick exit goes to a stand-in
    for a weather site, served by the browser itself (the address does not exist)."""
    app.config["QUICK_EXIT_URL"] = NEUTRAL
    user = make_user("fatima@example.nl", name="Fatima Bakkali")
    organisation = make_organisation("Stichting Samen Sterk", members=[user])
    round_ = make_round()
    sent = make_application(
        round_, organisation, title=TITLE, reference=REFERENCE, status="submitted",
        submitted_at=utcnow(),
    )  # fmt: skip
    draft = make_application(round_, organisation, title=DRAFT_TITLE)
    return sent, draft


def assert_tab_is_discreet(page, where: str, *, names: str) -> None:
    # Wait for the navigation to finish: a title read mid-navigation is empty.
    expect(page).to_have_title(re.compile(re.escape(names)))
    title = page.title()
    assert TITLE not in title and DRAFT_TITLE not in title, f"{where}: {title}"
    assert names in title, f"{where}: {title}"


def test_tabs_name_the_reference_never_the_title(chromium, live_server, fund):
    sent, draft = fund
    context, page = open_as(chromium, live_server, "fatima@example.nl")
    page.get_by_role("link", name="Mijn aanvragen").click()

    page.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)  # the page itself may
    assert_tab_is_discreet(page, "status page", names=f"Aanvraag {REFERENCE}")
    page.get_by_role("link", name="Uw aanvraag lezen").click()
    assert_tab_is_discreet(page, "check page", names=REFERENCE)
    page.get_by_role("link", name="3. Gemeenschap en aanpak").click()
    assert_tab_is_discreet(page, "step page", names=REFERENCE)
    page.get_by_role("link", name="6. Bijlagen").click()
    assert_tab_is_discreet(page, "attachments", names=REFERENCE)
    page.go_back()
    page.go_back()
    page.go_back()
    page.get_by_role("link", name="Deze aanvraag intrekken").click()
    assert_tab_is_discreet(page, "withdraw page", names=REFERENCE)
    page.goto(f"{live_server}/applications/{sent.id}/sent")
    assert_tab_is_discreet(page, "sent page", names=REFERENCE)

    page.get_by_role("link", name="Mijn aanvragen").click()
    page.get_by_role("link", name=DRAFT_TITLE).click()
    assert_tab_is_discreet(page, "draft's status page", names="Aanvraag (concept)")
    page.get_by_role("link", name="Verder met uw aanvraag").click()
    assert_tab_is_discreet(page, "draft's first step", names="Aanvraag (concept)")
    page.go_back()
    page.get_by_role("link", name="Dit concept verwijderen").click()
    assert_tab_is_discreet(page, "delete page", names="Concept")
    context.close()


@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
def test_quick_exit_leaves_at_once_and_back_does_not_return(chromium, live_server, fund, viewport):
    sent, _draft = fund
    context, login_page = open_as(chromium, live_server, "fatima@example.nl")
    context.route(
        NEUTRAL,
        lambda route: route.fulfill(status=200, content_type="text/html", body=NEUTRAL_PAGE),
    )
    # A tab of its own with the application's page, as someone would have it open.
    page = context.new_page()
    page.set_viewport_size(VIEWPORTS[viewport])
    page.goto(f"{live_server}/applications/{sent.id}")
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    assert_accessible(page, f"status page with the quick exit ({viewport})")

    # Seen on the page, with what it does for screen readers, and still there after scrolling.
    exit_link = page.get_by_role("link", name="Snel weg", exact=True)
    expect(exit_link).to_be_visible()
    expect(exit_link).to_have_accessible_description(
        "Hiermee verlaat u deze website meteen en gaat u naar een andere website."
    )
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    expect(exit_link).to_be_in_viewport()
    page.evaluate("window.scrollTo(0, 0)")

    # The first thing after the skip link, for someone on a keyboard.
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Naar de inhoud")).to_be_focused()
    page.keyboard.press("Tab")
    expect(exit_link).to_be_focused()
    page.keyboard.press("Enter")

    expect(page).to_have_url(NEUTRAL)
    expect(page.get_by_role("heading", level=1)).to_have_text("Het weer vandaag")
    # The fund's page took the place of nothing: back goes to what was before it.
    page.go_back()
    assert "/applications/" not in page.url
    assert page.url in ("about:blank", "")

    # Without JavaScript the link still leaves (the history keeps the page then).
    plain = chromium.new_context(java_script_enabled=False, storage_state=context.storage_state())
    plain.route(
        NEUTRAL,
        lambda route: route.fulfill(status=200, content_type="text/html", body=NEUTRAL_PAGE),
    )
    no_script = plain.new_page()
    no_script.goto(f"{live_server}/applications/{sent.id}")
    no_script.get_by_role("link", name="Snel weg", exact=True).click()
    expect(no_script).to_have_url(NEUTRAL)
    plain.close()
    context.close()
