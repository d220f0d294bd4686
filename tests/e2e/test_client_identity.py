"""A bemiddelaar corrects a school that was registered as a vzw with a mistyped enterprise number; the
client's history shows the correction. The page also works on a phone."""

import pytest
from playwright.sync_api import expect

from assignments.models import ClientCategory
from tests.assignments.factories import ClientFactory, valid_kbo
from tests.e2e.conftest import assert_accessible, login, screenshot
from wijkwerken.core.models import AuditEntry

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_bemiddelaar_corrects_category_and_enterprise_number(page, phone_page, live_server, herent, bemiddelaar):
    school = ClientFactory(municipality=herent, category=ClientCategory.VZW, name="Sint-Jozef")
    right_kbo = valid_kbo(321)
    login(page, live_server, bemiddelaar)
    page.goto(f"{live_server.url}/gebruikers/{school.pk}/")
    page.get_by_role("link", name="Identiteit corrigeren").click()
    expect(page.get_by_role("heading", name="Identiteit corrigeren")).to_be_visible()
    expect(page.get_by_label("Rijksregisternummer")).not_to_be_visible()  # a private person's fields are hidden
    page.get_by_label("Gebruikerscategorie").select_option("onderwijs")
    page.get_by_label("Naam van de organisatie").fill("Sint-Jozefsschool")
    page.get_by_label("Ondernemingsnummer (KBO)").fill(right_kbo[:-1] + str((int(right_kbo[-1]) + 1) % 10))
    page.get_by_label("Reden van de correctie").fill("Is een school, geen vzw; tikfout in het nummer")
    page.get_by_role("button", name="Correctie bewaren").click()
    expect(page.get_by_text("Dit is geen geldig ondernemingsnummer")).to_be_visible()
    school.refresh_from_db()
    assert school.category == ClientCategory.VZW and school.name == "Sint-Jozef"
    assert_accessible(page)
    screenshot(page, "client-identity-error")

    page.get_by_label("Ondernemingsnummer (KBO)").fill(right_kbo.replace(".", " "))
    page.get_by_role("button", name="Correctie bewaren").click()
    expect(page.get_by_text("De identiteit van Sint-Jozefsschool werd gecorrigeerd.")).to_be_visible()
    expect(page.get_by_text("Identiteit gecorrigeerd: Is een school, geen vzw")).to_be_visible()
    school.refresh_from_db()
    assert (school.category, school.name, school.kbo_number) == ("onderwijs", "Sint-Jozefsschool", right_kbo)
    assert AuditEntry.objects.for_object(school).filter(action="client.identity_correct").exists()
    assert_accessible(page)
    screenshot(page, "client-identity-history")

    login(phone_page, live_server, bemiddelaar)
    phone_page.goto(f"{live_server.url}/gebruikers/{school.pk}/identiteit/")
    phone_page.get_by_label("Gebruikerscategorie").select_option("particulier")
    expect(phone_page.get_by_label("Rijksregisternummer")).to_be_visible()
    expect(phone_page.get_by_label("Naam van de organisatie")).not_to_be_visible()
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    assert_accessible(phone_page)
    screenshot(phone_page, "client-identity-phone")
    page.goto(f"{live_server.url}/gebruikers/{school.pk}/identiteit/")
    assert_accessible(page)
    screenshot(page, "client-identity-desktop")
