"""Someone registers online with the national number of a client the desk registered without a login: the
bemiddelaar finds the registration under Online inschrijvingen, compares, and links the login to the client."""

import pytest
from playwright.sync_api import expect

from assignments.services import client_registration_confirm, client_registration_submit
from tests.assignments.factories import ClientFactory
from tests.e2e.conftest import assert_accessible, login, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_bemiddelaar_checks_and_approves_a_held_registration(page, phone_page, live_server, herent, bemiddelaar):
    existing = ClientFactory(municipality=herent, first_name="An", last_name="Janssens",
                             national_number="85073003328", email="", phone="")
    registration = client_registration_submit(
        category="particulier", first_name="An", last_name="Janssens", national_number="85.07.30-033.28",
        street="Kerkstraat 3", postcode="3020", city="Herent", email="an.janssens@example.test",
        phone="0470 11 22 33", password="Zonnebloem-2026!")
    client_registration_confirm(registration=registration)

    login(page, live_server, bemiddelaar)
    page.get_by_role("button", name="Meer").click()
    page.get_by_role("link", name="Online inschrijvingen").click()
    row = page.get_by_role("row").filter(has_text="an.janssens@example.test")
    expect(row.get_by_role("cell", name=str(existing))).to_be_visible()
    assert_accessible(page)
    screenshot(page, "registrations-list")
    row.get_by_role("link", name="An Janssens").click()
    expect(page.get_by_text("85.07.30-033.28")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "registrations-detail")

    login(phone_page, live_server, bemiddelaar)
    phone_page.goto(page.url)
    assert_accessible(phone_page)
    screenshot(phone_page, "registrations-detail-phone")

    page.get_by_role("button", name="Goedkeuren en aan deze gebruiker koppelen").click()
    expect(page.get_by_text("an.janssens@example.test meldt zich nu aan")).to_be_visible()
    expect(page.get_by_role("heading", name=existing.name)).to_be_visible()
    assert_accessible(page)
