"""A private person registers online, asks for garden help, and a bemiddelaar sees the request in the queue;
a municipal employee restricts the activity and the client can no longer ask for it."""

from urllib.parse import urlsplit

import pytest
from django.core import mail
from playwright.sync_api import expect

from assignments.models import Client, HelpRequest
from tests.assignments.factories import seed_activity_list
from tests.e2e.conftest import assert_accessible, login, screenshot
from wijkwerken.core.dates import today

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

GARDEN = "Klein tuinonderhoud — Gras maaien"


def test_private_person_registers_asks_for_garden_help_and_bemiddelaar_sees_it(
    page, phone_page, live_server, organiser, herent, bemiddelaar
):
    seed_activity_list(organiser)
    visitor = phone_page
    visitor.goto(live_server.url + "/")
    visitor.locator("header a[href='/registreren/']").click()
    visitor.locator("#id_category").select_option("particulier")
    expect(visitor.locator("#id_kbo_number")).not_to_be_visible()  # organisation fields hidden for a private person
    visitor.get_by_label("Voornaam").fill("Lotte")
    visitor.get_by_label("Familienaam").fill("Claes")
    visitor.get_by_label("Rijksregisternummer").fill("85.07.30-033.29")  # wrong check digits
    visitor.get_by_label("Straat en huisnummer").fill("Kerkstraat 12")
    visitor.get_by_label("Postcode").fill("2000")  # Antwerpen: not one of ours
    visitor.get_by_label("Plaats").fill("Herent")
    visitor.get_by_label("E-mailadres").fill("lotte@example.test")
    visitor.locator("#id_password1").fill("Zonnebloem-2026!")
    visitor.locator("#id_password2").fill("Zonnebloem-2026!")
    visitor.get_by_role("button", name="Inschrijven").click()
    expect(visitor.get_by_text("Dit is geen geldig rijksregisternummer")).to_be_visible()
    expect(visitor.get_by_text("niet via deze website georganiseerd")).to_be_visible()
    assert not Client.objects.exists()
    assert_accessible(visitor)
    screenshot(visitor, "clients-register-errors-phone")

    visitor.get_by_label("Rijksregisternummer").fill("85.07.30-033.28")
    visitor.get_by_label("Postcode").fill("3020")
    visitor.locator("#id_password1").fill("Zonnebloem-2026!")
    visitor.locator("#id_password2").fill("Zonnebloem-2026!")
    visitor.get_by_role("button", name="Inschrijven").click()
    # The same answer whoever registers: check your mailbox. The link in the mail finishes the registration.
    expect(visitor.get_by_role("heading", name="Kijk in uw mailbox")).to_be_visible()
    assert not Client.objects.exists()
    assert_accessible(visitor)
    screenshot(visitor, "clients-register-sent-phone")
    [message] = [m for m in mail.outbox if "lotte@example.test" in m.to]
    link = next(word for word in message.body.split() if "/registreren/bevestigen/" in word)
    visitor.goto(live_server.url + urlsplit(link).path)
    assert_accessible(visitor)
    visitor.get_by_role("button", name="Mijn inschrijving bevestigen").click()
    visitor.wait_for_load_state("networkidle")
    client = Client.objects.get()
    expect(visitor.get_by_text(f"gebruikersnummer {client.number}")).to_be_visible()
    expect(visitor.get_by_role("heading", name="Mijn aanvragen")).to_be_visible()
    assert_accessible(visitor)
    screenshot(visitor, "clients-portal-phone")

    visitor.locator("main a[href='/mijn/aanvragen/nieuw/']").first.click()
    visitor.get_by_label("Waarmee hebt u hulp nodig?").select_option(label=GARDEN)
    visitor.get_by_label("Beschrijf de klus").fill("Het gras in de achtertuin maaien.")
    visitor.get_by_label("Datum (of eerste dag)").fill(today().isoformat())
    visitor.get_by_label("Bijzondere noden of opmerkingen").fill("Er loopt een hond in de tuin.")
    visitor.get_by_role("button", name="Aanvraag versturen").click()
    expect(visitor.get_by_text("Uw aanvraag is verstuurd")).to_be_visible()
    request = HelpRequest.objects.get()
    assert request.client == client and request.municipality == herent and request.status == "nieuw"

    login(page, live_server, bemiddelaar)
    page.get_by_role("link", name="Aanvragen").first.click()
    row = page.get_by_role("row").filter(has_text="Lotte Claes")
    expect(row.get_by_text("Gras maaien")).to_be_visible()
    expect(row.get_by_text("nieuw")).to_be_visible()
    page.locator("#id_category").select_option("onderwijs")  # htmx narrows the table
    page.wait_for_load_state("networkidle")
    expect(page.get_by_text("Geen aanvragen gevonden.")).to_be_visible()
    page.locator("#id_category").select_option("particulier")
    page.wait_for_load_state("networkidle")
    assert_accessible(page)
    screenshot(page, "clients-queue")
    page.get_by_role("link", name="Gras maaien").click()
    expect(page.get_by_text("Er loopt een hond in de tuin.")).to_be_visible()
    expect(page.get_by_text("Aanvraag voor “Gras maaien” ingediend")).to_be_visible()


def test_municipality_restricts_and_staff_register_on_behalf(page, live_server, organiser, leuven, bemiddelaar,
                                                             gemeente_user):
    seed_activity_list(organiser)
    login(page, live_server, gemeente_user)
    page.get_by_role("link", name="Activiteitenlijst").first.click()
    page.get_by_role("row").filter(has_text="Gras maaien").get_by_role("link", name="Beperken").click()
    page.get_by_label("Niet toegelaten vanaf").fill(today().isoformat())
    page.get_by_label("Reden").fill("Eigen groendienst")
    page.get_by_role("button", name="Beperken").click()
    expect(page.get_by_text("is vanaf").first).to_be_visible()
    assert_accessible(page)
    screenshot(page, "clients-gemeente-restricted")
    page.context.clear_cookies()

    login(page, live_server, bemiddelaar)
    page.goto(live_server.url + "/gebruikers/nieuw/")
    page.locator("#id_category").select_option("particulier")
    page.get_by_label("Voornaam").fill("Jef")
    page.get_by_label("Familienaam").fill("Wouters")
    page.get_by_label("Rijksregisternummer").fill("85.07.30-033.28")
    page.get_by_label("Straat en huisnummer").fill("Naamsestraat 1")
    page.get_by_label("Postcode").fill("3000")
    page.get_by_label("Plaats").fill("Leuven")
    page.get_by_label("E-mailadres").fill("jef@example.test")
    page.get_by_role("button", name="De gebruiker inschrijven").click()
    expect(page.get_by_text("Ingeschreven aan het loket")).to_be_visible()
    page.get_by_role("link", name="Nieuwe aanvraag voor deze gebruiker").click()
    options = page.locator("#id_activity option").all_inner_texts()
    assert GARDEN not in options and "Klein tuinonderhoud — Snoeien van hagen" in options
    page.get_by_label("Waarmee hebt u hulp nodig?").select_option(label="Klein tuinonderhoud — Snoeien van hagen")
    page.get_by_label("Beschrijf de klus").fill("Haag snoeien")
    page.get_by_label("Datum (of eerste dag)").fill(today().isoformat())
    page.get_by_role("button", name="Aanvraag versturen").click()
    expect(page.get_by_text("voor Jef Wouters").first).to_be_visible()  # "ingevoerd door ... voor Jef Wouters"
    assert_accessible(page)
    screenshot(page, "clients-request-on-behalf")
