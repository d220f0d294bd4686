"""The coaching journey in the browser: the coach opens the caseload, writes a note and measures competences; the
worker scores themselves and checks in on a 390 px phone; the bemiddelaar sees only the shared summary; the
portfolio PDF renders and the worker downloads it. Every page is checked with axe-core."""

import subprocess

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from coaching.models import CheckIn, CoachingNote, Measurement, Portfolio
from tests.coaching.factories import coached_worker
from tests.e2e.conftest import DESKTOP, PHONE, SCREENSHOTS, login, new_page, screenshot
from wijkwerken.core.dates import add_months, today

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SECRET = "Vertelde over schulden; afgesproken om samen naar het OCMW te gaan."
SUMMARY = "Sara is stipt en werkt graag in team; klaar voor meer uren."


def _accessible(page, context=None):
    violations = [v for v in Axe().run(page, context=context).response["violations"]
                  if v["impact"] in ("serious", "critical")]
    assert violations == [], (page.url, [(v["id"], [n["html"][:200] for n in v["nodes"]]) for v in violations])


def _fits_the_phone(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_a_week_of_coaching_in_the_browser(page, phone_page, browser, live_server, organiser, leuven, bemiddelaar,
                                           werkcoach):
    worker = coached_worker(organiser, leuven, bemiddelaar=bemiddelaar, coach=werkcoach, first_name="Sara",
                            last_name="Peeters")

    # The coach: the start page is the caseload, with what needs attention.
    login(page, live_server, werkcoach)
    caseload = page.locator("#caseload")
    caseload.get_by_role("link", name="Sara Peeters").wait_for()
    expect(caseload.get_by_text("Competentiemeting te doen").first).to_be_visible()
    _accessible(page)
    screenshot(page, "coaching_caseload_desktop")
    caseload.get_by_role("link", name="Sara Peeters").click()
    page.get_by_role("heading", level=1, name="Sara Peeters").wait_for()
    _accessible(page)

    # A note, with an agreed action.
    page.get_by_role("link", name="Nieuwe notitie").first.click()
    page.get_by_label("Soort contact").select_option("gesprek")
    page.get_by_label("Notitie").fill(SECRET)
    page.locator("#id_actie-0-description").fill("Afspraak OCMW maken")
    page.locator("#id_actie-0-owner").select_option("wijkwerker")
    page.locator("#id_actie-0-due_on").fill(add_months(today(), 6).isoformat())
    _accessible(page)
    page.get_by_role("button", name="Bewaren").click()
    page.get_by_text("De notitie is bewaard.").wait_for()
    expect(page.get_by_text(SECRET)).to_be_visible()
    assert CoachingNote.objects.get().text == SECRET
    _accessible(page)
    screenshot(page, "coaching_notes_desktop")

    # The shared summary for the bemiddelaar.
    page.get_by_role("link", name="Sara Peeters").first.click()
    page.locator("#summary-title").locator("xpath=..").get_by_role("link", name="Schrijven").click()
    page.get_by_label("Gedeelde samenvatting").fill(SUMMARY)
    page.get_by_role("button", name="Bewaren").click()
    page.get_by_text("De gedeelde samenvatting is bewaard").wait_for()

    # The intake measurement: every competence on its described level.
    page.get_by_role("link", name="Competenties meten").first.click()
    page.get_by_label("Moment").select_option("intake")
    page.get_by_role("button", name="Bewaren").click()
    page.get_by_role("heading", name="De competenties scoren").wait_for()
    _accessible(page)
    for fieldset in page.locator("fieldset").all():
        fieldset.locator("input[type=radio]").nth(2).check()
    page.get_by_role("button", name="De scores bewaren").click()
    page.get_by_text("De scores zijn bewaard.").wait_for()
    measurement = Measurement.objects.get()
    assert measurement.is_coach_scored
    _accessible(page)
    screenshot(page, "coaching_measurement_desktop")

    # The worker, on a phone: the start page asks for the self-assessment.
    login(phone_page, live_server, worker.user)
    phone_page.get_by_role("link", name="Scoor jezelf").first.click()
    phone_page.get_by_role("heading", name="Scoor jezelf").wait_for()
    _accessible(phone_page)
    _fits_the_phone(phone_page)
    screenshot(phone_page, "coaching_self_assessment_phone")
    for fieldset in phone_page.locator("fieldset").all():
        fieldset.locator("label").nth(3).click()
    phone_page.get_by_role("button", name="De scores bewaren").click()
    phone_page.get_by_text("Je werkcoach ziet je scores").wait_for()
    measurement.refresh_from_db()
    assert measurement.is_self_scored
    assert phone_page.locator("svg polygon").count() == 2  # coach and self, side by side
    _accessible(phone_page)
    _fits_the_phone(phone_page)
    screenshot(phone_page, "coaching_my_progress_phone")

    # A check-in: a wrong tap left out is a clear message; then it is saved.
    phone_page.get_by_role("link", name="Check-in invullen").first.click()
    phone_page.get_by_role("heading", name="Hoe gaat het met je?").wait_for()
    _accessible(phone_page)
    _fits_the_phone(phone_page)
    phone_page.get_by_role("button", name="Versturen").click()
    expect(phone_page.get_by_text("Kies een getal van 1 tot 5.").first).to_be_visible()
    assert not CheckIn.objects.exists()
    for question, answer in (("Hoe voel je je?", "goed"), ("Hoeveel energie heb je?", "gaat wel"),
                             ("Hoe goed kan je omgaan met stress?", "slecht"),
                             ("Hoe verbonden voel je je met andere mensen?", "goed")):
        phone_page.get_by_role("group", name=question).get_by_text(answer, exact=True).click()
    phone_page.wait_for_timeout(400)  # let the buttons finish their colour transition for the screenshot
    screenshot(phone_page, "coaching_check_in_phone")
    phone_page.get_by_role("button", name="Versturen").click()
    phone_page.get_by_text("Bedankt voor je check-in!").wait_for()
    assert CheckIn.objects.get().stress == 2
    assert SECRET not in phone_page.content()

    # The bemiddelaar sees the shared summary, never the note.
    staff = new_page(browser, DESKTOP)
    login(staff, live_server, bemiddelaar)
    staff.goto(f"{live_server.url}/wijkwerkers/{worker.pk}/")
    staff.get_by_text(SUMMARY).wait_for()
    assert SECRET not in staff.content()
    assert staff.get_by_role("link", name="Coachingdossier").count() == 0
    _accessible(staff, context="section[aria-labelledby=coaching-title]")  # the rest of the page is the workers app's
    screenshot(staff, "coaching_worker_page_bemiddelaar")
    staff.goto(f"{live_server.url}/coaching/wijkwerker/{worker.pk}/notities/")
    assert SECRET not in staff.content()
    staff.context.close()

    # Closing: the coach issues the portfolio; the worker downloads it from their page.
    page.goto(f"{live_server.url}/coaching/wijkwerker/{worker.pk}/afronden/")
    _accessible(page)
    page.get_by_label("Eindverslag").fill("Sara werkt nauwkeurig en is klaar voor een opleiding.")
    page.get_by_role("button", name="Het portfolio uitreiken").click()
    page.get_by_text("Het portfolio is uitgereikt").wait_for()
    assert Portfolio.objects.get().pdf
    phone_page.goto(f"{live_server.url}/coaching/mijn/")
    with phone_page.expect_download() as download:
        phone_page.get_by_role("link", name="Download je portfolio (pdf)").click()
    pdf = SCREENSHOTS / "coaching_portfolio.pdf"
    download.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, check=True).stdout.decode()
    assert "Sara werkt nauwkeurig" in text and SECRET not in text
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(SCREENSHOTS / "coaching_portfolio")], check=True)


def test_the_caseload_on_a_phone(phone_page, live_server, organiser, leuven, bemiddelaar, werkcoach):
    for first_name in ("Sara", "Jan", "Aïcha"):
        coached_worker(organiser, leuven, bemiddelaar=bemiddelaar, coach=werkcoach, first_name=first_name,
                       last_name="Janssens")
    login(phone_page, live_server, werkcoach)
    phone_page.goto(f"{live_server.url}/coaching/")
    phone_page.get_by_role("link", name="Aïcha Janssens").wait_for()
    _accessible(phone_page)
    _fits_the_phone(phone_page)
    screenshot(phone_page, "coaching_caseload_phone")
