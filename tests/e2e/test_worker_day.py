"""The wijk-werker's day on a phone (390 px): start page → job page (the address opens the maps app) → register
hours, confirming the plausibility warning → see the hours left → report an incident. Then the bemiddelaar sees
the warning in the validation queue and the accident's deadline on the start page."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from assignments.models import Incident, IncidentKind, Prestatie
from assignments.services import assignment_instructions_update
from tests.assignments.fixtures import make_assignment, make_worker
from tests.e2e.conftest import assert_accessible, login, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_worker_day_on_a_phone(page, phone_page, live_server, organiser, leuven, bemiddelaar):
    today = datetime.date.today()
    worker = make_worker(organiser, leuven, bemiddelaar, trajectory_start=today - datetime.timedelta(days=30),
                         first_name="Wout", last_name="Werker")
    # Planned every day but today, 09:00–12:00: hours this afternoon are unusual twice over.
    weekdays = tuple(day for day in range(7) if day != today.weekday())
    assignment = make_assignment(organiser, leuven, bemiddelaar, worker, start=today - datetime.timedelta(days=14),
                                 end=today + datetime.timedelta(days=30), weekdays=weekdays)
    contact = assignment.client.contacts.get()
    contact.user.phone = "0470 12 34 56"
    contact.user.save(update_fields=["phone"])
    assignment_instructions_update(assignment=assignment, instructions="De sleutel ligt onder de bloempot.",
                                   actor=contact.user)

    # 1. The start page, then "Mijn week" from the menu, then the job.
    login(phone_page, live_server, worker.user)
    assert_accessible(phone_page)
    screenshot(phone_page, "worker-day-1-start-phone")
    phone_page.get_by_role("button", name="Menu tonen").click()
    phone_page.get_by_role("link", name="Mijn week").click()
    phone_page.get_by_role("link", name=re.compile("Gras maaien")).last.click()

    # 2. The job page: the address with a link to the maps app, the contact's phone, what to bring.
    map_link = phone_page.get_by_test_id("map-link")
    expect(map_link).to_be_visible()
    assert map_link.get_attribute("href").startswith("geo:0,0?q=")
    assert assignment.request.street in phone_page.get_by_test_id("job-address").inner_text()
    expect(phone_page.locator('a[href="tel:0470123456"]')).to_be_visible()
    assert "onder de bloempot" in phone_page.get_by_test_id("instructions").inner_text()
    assert_accessible(phone_page)
    screenshot(phone_page, "worker-day-2-job-page-phone")

    # 3. Register hours this afternoon: the form warns, the worker confirms.
    phone_page.get_by_role("link", name="Uren registreren").first.click()
    phone_page.get_by_label("Beginuur").fill("13:00")
    phone_page.get_by_label("Einduur").fill("17:00")
    phone_page.get_by_role("button", name="Uren bewaren").click()
    warning = phone_page.get_by_test_id("hours-warnings")
    expect(warning).to_be_visible()
    assert "geen geplande dag" in warning.inner_text() and "buiten de geplande uren" in warning.inner_text()
    assert not Prestatie.objects.exists()
    assert_accessible(phone_page)
    screenshot(phone_page, "worker-day-3-hours-warning-phone")
    phone_page.get_by_label("De uren kloppen: bewaren met deze waarschuwing").check()
    phone_page.get_by_role("button", name="Uren bewaren").click()
    expect(phone_page.locator("body")).to_contain_text("Geregistreerd")
    prestatie = Prestatie.objects.get()
    assert prestatie.warnings == ["niet_gepland", "buiten_uren"]

    # 4. The week shows the hours left this month: 60 h - 4 h.
    expect(phone_page.get_by_text("nog 56 u 00").first).to_be_visible()
    assert_accessible(phone_page)
    screenshot(phone_page, "worker-day-4-hours-left-phone")

    # 5. Back to the job, report an accident.
    phone_page.get_by_role("link", name=re.compile("Gras maaien")).last.click()
    assert "4 u 00" in phone_page.get_by_test_id("hours-registered").inner_text()
    phone_page.get_by_role("link", name="Een incident melden").click()
    phone_page.get_by_label("Ongeval").check()
    phone_page.get_by_label("Wie raakte gewond?").fill("ikzelf, snee in de hand")
    phone_page.get_by_label("Wat is er gebeurd?").fill("Met de heggenschaar in mijn hand gesneden.")
    assert_accessible(phone_page)
    screenshot(phone_page, "worker-day-5-incident-phone")
    phone_page.get_by_role("button", name="Melding versturen").click()
    expect(phone_page.locator("body")).to_contain_text("Je melding is naar de wijk-werkorganisatie gestuurd")
    incident = Incident.objects.get()
    assert incident.kind == IncidentKind.ACCIDENT and incident.declaration_deadline > today
    screenshot(phone_page, "worker-day-6-reported-phone")

    # 6. The bemiddelaar: the deadline on the start page, the warning in the validation queue.
    login(page, live_server, bemiddelaar)
    panel = page.get_by_test_id("panel-incidents")
    panel.wait_for()
    assert incident.declaration_deadline.strftime("%d/%m/%Y") in panel.inner_text()
    assert_accessible(page)
    screenshot(page, "worker-day-7-bemiddelaar-start")
    page.goto(f"{live_server.url}/prestaties/")
    assert "geen geplande dag van de opdracht" in page.get_by_test_id("prestatie-warnings").inner_text()
    page.goto(f"{live_server.url}/prestaties/{prestatie.pk}/")
    expect(page.get_by_test_id("prestatie-warnings")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "worker-day-8-prestatie-warning")
