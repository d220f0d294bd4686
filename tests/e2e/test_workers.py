"""A bemiddelaar registers a wijk-werker, starts and extends the trajectory and sees the warning list."""

import datetime

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible, login, screenshot
from tests.workers.factories import national_number
from wijkwerken.core.dates import add_months, today
from workers.models import Trajectory, Worker

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_bemiddelaar_registers_starts_extends_and_sees_the_warning_list(page, live_server, bemiddelaar, leuven):
    login(page, live_server, bemiddelaar)
    page.get_by_role("link", name="Wijk-werkers").first.click()
    page.get_by_role("link", name="Wijk-werker inschrijven").click()

    page.locator("#id_first_name").fill("Sara")
    page.locator("#id_last_name").fill("Peeters")
    page.get_by_label("Rijksregisternummer of BIS-nummer", exact=False).fill("85.07.30-033.29")  # wrong check digits
    page.locator("#id_street").fill("Tiensestraat 10")
    page.locator("#id_postcode").fill("1000")  # Brussels: not in the Flemish Region
    page.locator("#id_city").fill("Leuven")
    page.locator("#id_referral").select_option("vdab")
    page.locator("#id_referrer_name").fill("Jan VDAB")
    page.locator("#id_consent_signed_on").fill(today().isoformat())
    page.get_by_label("Klein tuinonderhoud").first.check()
    page.get_by_label("maandag voormiddag").check()
    page.get_by_role("button", name="Inschrijven").click()
    expect(page.get_by_text("Dit is geen geldig rijksregisternummer")).to_be_visible()
    assert not Worker.objects.exists()
    assert_accessible(page)  # the form with its errors

    page.get_by_label("Rijksregisternummer of BIS-nummer", exact=False).fill(national_number(4))
    page.get_by_role("button", name="Inschrijven").click()
    expect(page.get_by_text("ligt niet in het Vlaamse Gewest")).to_be_visible()
    page.locator("#id_postcode").fill("3000")
    page.locator("#id_consent_signed_on").fill(today().isoformat())
    page.get_by_role("button", name="Inschrijven").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Sara Peeters"
    worker = Worker.objects.get()
    assert worker.municipality == leuven

    # A trajectory that started almost six months ago ends within the warning period.
    start = add_months(today(), -6) + datetime.timedelta(days=10)
    page.get_by_role("link", name="Traject starten").click()
    page.get_by_label("Startdatum").fill("9999-12-31")  # the end of the calendar: a message, not a 500
    page.get_by_role("button", name="Bewaren", exact=True).click()
    expect(page.get_by_text("Vul een datum in van 01/01/2000 tot")).to_be_visible()
    assert not Trajectory.objects.exists()
    assert_accessible(page)
    screenshot(page, "workers_trajectory_start_out_of_range_desktop")
    page.get_by_label("Startdatum").fill(start.isoformat())
    page.get_by_role("button", name="Bewaren", exact=True).click()
    expect(page.get_by_text("Het traject is gestart.")).to_be_visible()
    trajectory = Trajectory.objects.get()
    assert_accessible(page)
    screenshot(page, "workers_detail_desktop")

    page.get_by_role("button", name="Meer").click()  # the menu groups the less frequent pages
    page.get_by_role("link", name="Trajecten die binnenkort eindigen").first.click()
    expect(page.get_by_role("rowheader").get_by_role("link", name="Sara Peeters")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "workers_ending_desktop")

    page.get_by_role("rowheader").get_by_role("link", name="Sara Peeters").click()
    page.get_by_role("link", name="Verlengen").click()
    page.get_by_label("Nieuwe einddatum").fill((trajectory.max_end_date + datetime.timedelta(days=1)).isoformat())
    page.get_by_label("Reden").fill("Stage volgt")
    page.get_by_role("button", name="Bewaren", exact=True).click()
    expect(page.get_by_text("Een traject loopt uiterlijk tot")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Nieuwe einddatum").fill(trajectory.max_end_date.isoformat())
    page.get_by_role("button", name="Bewaren", exact=True).click()
    expect(page.get_by_text("Het traject is verlengd.")).to_be_visible()
    trajectory.refresh_from_db()
    assert trajectory.end_date == trajectory.max_end_date

    page.goto(f"{live_server.url}/wijkwerkers/einde-nabij/")
    expect(page.get_by_text("Er eindigt geen traject in deze periode.")).to_be_visible()
