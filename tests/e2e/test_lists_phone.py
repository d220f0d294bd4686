"""Lists on a phone are cards: each row shows its fields with their names and its buttons, nothing scrolls
sideways, and the filters fold behind a button. An action that cannot be undone asks first."""

import pytest
from playwright.sync_api import expect

from assignments.models import Activity
from tests.assignments.factories import ClientFactory, seed_activity_list
from tests.e2e.conftest import PHONE, assert_accessible, login, new_page, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SCROLLING_TABLES = """() => Array.from(document.querySelectorAll(".table-responsive"))
  .filter(box => box.scrollWidth > box.clientWidth + 1).length"""


def _fits(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert page.evaluate(SCROLLING_TABLES) == 0


def test_the_gemeente_restricts_an_activity_from_its_card_on_a_phone(phone_page, live_server, organiser,
                                                                      gemeente_user):
    seed_activity_list(organiser)
    login(phone_page, live_server, gemeente_user)
    phone_page.goto(f"{live_server.url}/activiteiten/")
    _fits(phone_page)
    restrict = phone_page.get_by_role("link", name="Beperken").first
    box = restrict.bounding_box()
    assert restrict.is_visible() and box["x"] + box["width"] <= PHONE["width"]
    # Each value says what it is, in Dutch, and the seed file's English notes on sources are not shown.
    assert phone_page.locator("td[data-label='Geldig']").count() > 0
    assert "captured" not in phone_page.content()
    assert_accessible(phone_page)
    screenshot(phone_page, "activity_list_gemeente_phone")


def test_the_client_list_shows_cards_and_folds_its_filters_on_a_phone(browser, live_server, leuven, bemiddelaar):
    ClientFactory.create_batch(3, municipality=leuven)
    page = new_page(browser, PHONE)
    login(page, live_server, bemiddelaar)
    page.goto(f"{live_server.url}/gebruikers/")
    filters = page.locator("#client-filters")
    expect(filters).not_to_be_visible()
    page.get_by_role("button", name="Lijst filteren").click()
    filters.wait_for(state="visible")
    _fits(page)
    assert page.locator("td[data-label='Nummer']").count() == 3
    assert_accessible(page)
    screenshot(page, "client_list_phone")
    page.context.close()


def test_ending_an_activity_asks_first_and_cancelling_changes_nothing(page, live_server, organiser, beheerder):
    seed_activity_list(organiser)
    activity = Activity.objects.filter(organiser=organiser, municipality__isnull=True).order_by("pk").first()
    login(page, live_server, beheerder)
    page.goto(f"{live_server.url}/activiteiten/?category={activity.category}")
    end = page.locator(f"form[action$='/{activity.pk}/beeindigen/'] button[type=submit]")

    page.answer_dialogs = False
    end.click()
    page.wait_for_timeout(300)
    assert page.dialogs == ["Deze activiteit beëindigen op de gekozen dag? Dit kan niet ongedaan gemaakt worden."]
    activity.refresh_from_db()
    assert activity.valid_until is None

    page.answer_dialogs = True
    with page.expect_navigation():
        end.click()
    activity.refresh_from_db()
    assert activity.valid_until is not None
