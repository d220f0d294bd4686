"""Municipal staff ask for last year's report, watch it being made, and download the PDF and the XLSX; a private
client downloads its fiscal attest from its wallet page. The PDF is turned into pictures (pdftoppm) to look at."""

import datetime
import io
import subprocess
from pathlib import Path

import pytest
import time_machine
from openpyxl import load_workbook
from playwright.sync_api import expect

from assignments.models import ClientContact
from tests.accounts.factories import UserFactory
from tests.e2e.conftest import SCREENSHOTS, assert_accessible, login, screenshot, wait_for_requests
from tests.reports import dataset
from wijkwerken.accounts.models import Role
from wijkwerken.reports import services
from wijkwerken.reports.models import BuildStatus, Report

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

FEBRUARY_2026 = datetime.datetime(2026, 2, 10, 9, tzinfo=datetime.UTC)


@pytest.fixture
def world(organiser, leuven, herent, other_organiser):
    with time_machine.travel(FEBRUARY_2026, tick=True):
        yield dataset.build(organiser, leuven, herent, other_organiser)


def _pictures(pdf: bytes, name: str) -> list:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    prefix = SCREENSHOTS / name
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-", str(prefix)], input=pdf, check=True)
    return sorted(SCREENSHOTS.glob(f"{name}-*.png"))


def test_municipal_staff_ask_for_last_years_report_and_download_it(page, phone_page, live_server, world,
                                                                   gemeente_user, monkeypatch):
    queued = []
    monkeypatch.setattr(services, "_enqueue", lambda task, pk: queued.append(pk))  # a worker picks it up later
    login(page, live_server, gemeente_user)
    page.get_by_role("link", name="Rapporten").first.click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("heading", level=1).inner_text() == "Rapporten van Leuven"
    assert_accessible(page)
    assert page.get_by_role("spinbutton", name="Jaar").input_value() == "2025"
    page.get_by_role("button", name="Rapport maken").click()
    page.wait_for_load_state("networkidle")
    # Waiting for a worker: the page says so and asks every second how far it is.
    progress = page.locator("#report-progress")
    assert "Wacht op zijn beurt" in progress.inner_text() and progress.get_attribute("hx-trigger") == "every 1s"
    expect(page.get_by_role("progressbar")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "reports_progress_desktop")
    [report_id] = queued
    assert services.report_build(report_id).status == BuildStatus.DONE  # the worker
    page.get_by_role("link", name="PDF", exact=True).wait_for(timeout=15_000)  # the poll refreshed the page
    wait_for_requests(page)
    assert "Het rapport is klaar" in page.locator("main").inner_text()
    assert "6,52" in page.locator("main").inner_text()
    assert_accessible(page)
    screenshot(page, "reports_ready_desktop")
    with page.expect_download() as pdf_download:
        page.get_by_role("link", name="PDF", exact=True).click()
    assert pdf_download.value.suggested_filename == "rapport-wijkwerken-leuven-2025.pdf"
    pdf = Path(pdf_download.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF")
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True,
                          check=True).stdout.decode()
    assert "Wijk-werken in Leuven" in text and "Jaarrapport 2025, vergeleken met 2024" in text
    assert len(_pictures(pdf, "reports_leuven_2025")) >= 5
    with page.expect_download() as xlsx_download:
        page.get_by_role("link", name="Excel", exact=True).click()
    book = load_workbook(io.BytesIO(Path(xlsx_download.value.path()).read_bytes()))
    rows = {row[0].value: row[1].value for row in book["Kerncijfers"].iter_rows(min_row=3) if row[0].value}
    assert rows["Gepresteerde uren"] == pytest.approx(6.52) and rows["Actieve gebruikers"] == "< 5"
    report = Report.objects.get(pk=report_id)
    login(phone_page, live_server, gemeente_user)
    phone_page.goto(f"{live_server.url}/rapporten/{report.pk}/")
    wait_for_requests(phone_page)
    expect(phone_page.get_by_role("link", name="PDF", exact=True)).to_be_visible()
    assert_accessible(phone_page)
    screenshot(phone_page, "reports_ready_phone")


def test_a_private_client_downloads_its_fiscal_attest(page, live_server, world):
    c1 = world.clients["c1"]
    user = UserFactory(role=Role.GEBRUIKER, organiser=c1.organiser, municipality=c1.municipality)
    ClientContact.objects.create(client=c1, user=user, is_primary=True)
    with time_machine.travel(FEBRUARY_2026, tick=True):
        batch = services.attest_batch_request(organiser=world.organiser, year=2025, actor=None)
        services.attest_batch_run(batch.pk)
    login(page, live_server, user)
    page.goto(f"{live_server.url}/cheques/mijn/")
    link = page.get_by_role("link", name="Fiscaal attest 2025")
    link.wait_for()
    assert_accessible(page)
    screenshot(page, "reports_attest_wallet_desktop")
    with page.expect_download() as download:
        link.click()
    pdf = Path(download.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF") and download.value.suggested_filename.startswith("fiscaal-attest-2025-")
    assert _pictures(pdf, "reports_fiscal_attest")
