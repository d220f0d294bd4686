"""Each role logs in through the real login form and lands on its own start page (desktop and phone)."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible, login, screenshot
from wijkwerken.accounts.models import Role

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

EXPECTED_HEADING = {
    Role.BEHEERDER: "Goeiedag, Bea",
    Role.BEMIDDELAAR: "Goeiedag, Bea",
    Role.WERKCOACH: "Goeiedag, Bea",
    Role.GEMEENTE: "Wijk-werken in Leuven",
    Role.GEBRUIKER: "Welkom, Bea",
    Role.WIJKWERKER: "Dag Bea",
}
EXPECTED_TEXT = {
    Role.BEHEERDER: "Onze gemeenten",
    Role.BEMIDDELAAR: "Onze gemeenten en hun chequeprijs",
    Role.WERKCOACH: "Geldende trajectregels",
    Role.GEMEENTE: "per cheque vandaag",
    Role.GEBRUIKER: "Wat wijk-werken u kost",
    Role.WIJKWERKER: "maximaal 60 uur per maand",
}


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_role_logs_in_and_sees_its_start_page(page, phone_page, live_server, make_user, leuven, role):
    user = make_user(role, first_name="Bea", municipality=leuven if role in (Role.GEMEENTE, Role.GEBRUIKER) else None)
    login(page, live_server, user)
    assert page.get_by_role("heading", level=1).inner_text() == EXPECTED_HEADING[role]
    assert EXPECTED_TEXT[role] in page.content()
    assert page.locator("html").get_attribute("lang") == "nl-be"
    # The browser is a Flemish one: dates (and date fields) read day/month/year.
    assert page.evaluate("[navigator.language, new Date(2026, 0, 31).toLocaleDateString()]") == ["nl-BE", "31/1/2026"]
    assert_accessible(page)
    screenshot(page, f"start_{role.value}_desktop")

    login(phone_page, live_server, user)
    expect(phone_page.get_by_role("heading", level=1)).to_be_visible()
    # The menu collapses behind a labelled button on a phone.
    expect(phone_page.get_by_role("button", name="Menu tonen")).to_be_visible()
    assert phone_page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert_accessible(phone_page)
    screenshot(phone_page, f"start_{role.value}_phone")


def test_skip_link_is_the_first_tab_stop(page, live_server, bemiddelaar):
    login(page, live_server, bemiddelaar)
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Naar de inhoud"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"


def test_wrong_password_then_lockout_in_the_browser(page, live_server, bemiddelaar, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        login(page, live_server, bemiddelaar, password="fout-wachtwoord")
        expect(page.locator("body")).to_contain_text("horen niet bij elkaar")
    login(page, live_server, bemiddelaar, password="fout-wachtwoord")
    assert page.get_by_role("heading", level=1).inner_text() == "Te veel mislukte pogingen"
    # Even the right password is refused while the lock lasts.
    login(page, live_server, bemiddelaar)
    assert page.get_by_role("heading", level=1).inner_text() == "Te veel mislukte pogingen"
    assert_accessible(page)
    screenshot(page, "login_lockout")
