"""The monthly payout as a beheerder does it — preview, fix the exception (a worker without an IBAN), confirm,
download the SEPA file — and as the worker sees it on a 390 px phone: the statement and its PDF."""

import re
import subprocess
from decimal import Decimal

import pytest

from cheques.models import PayoutBatch
from tests.cheques import conftest as cheques_fixtures
from tests.cheques.factories import LAST_MONTH, day_of, paid_prestatie
from tests.cheques.test_sepa import assert_valid_pain001
from tests.e2e.conftest import SCREENSHOTS, assert_accessible, login, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

make_paid_worker = cheques_fixtures.make_paid_worker  # the fixture of the cheques tests

NEW_IBAN = "BE62 5100 0754 7061"


def test_the_beheerder_pays_last_month_and_the_worker_reads_the_statement(page, phone_page, live_server, organiser,
                                                                          beheerder, make_paid_worker, tmp_path):
    ahmed = make_paid_worker("Ahmed", last_name="Haddad")
    karim = make_paid_worker("Karim", last_name="Benali", iban="")
    paid_prestatie(ahmed, day_of(LAST_MONTH, 3), minutes=150, kilometres="24")  # 12,30 + 3,60
    paid_prestatie(ahmed, day_of(LAST_MONTH, 12), minutes=60)  # 4,10
    paid_prestatie(karim, day_of(LAST_MONTH, 5), minutes=120)  # 8,20

    login(page, live_server, beheerder)
    page.goto(f"{live_server.url}/cheques/uitbetalingen/")
    page.get_by_test_id("payout-preview-last-month").click()
    page.wait_for_load_state("networkidle")
    exceptions = page.get_by_test_id("payout-exceptions")
    assert "Karim Benali" in exceptions.inner_text() and "Geen IBAN" in exceptions.inner_text()
    assert "Ahmed Haddad" in page.get_by_test_id("payout-lines").inner_text()
    page.get_by_text("Ahmed Haddad", exact=True).click()  # the prestaties behind the row
    page.get_by_role("region", name="Prestaties van Ahmed Haddad").wait_for()
    assert_accessible(page)
    screenshot(page, "payout_preview_desktop")

    # Fix the exception: the IBAN on the worker's details, and back to the preview.
    exceptions.get_by_role("link", name="Gegevens aanpassen").click()
    page.wait_for_load_state("networkidle")
    page.get_by_label("IBAN voor uitbetalingen").fill(NEW_IBAN)
    page.get_by_role("button", name="Bewaren").click()
    page.wait_for_load_state("networkidle")
    page.goto(f"{live_server.url}/cheques/uitbetalingen/voorbeeld/?maand={LAST_MONTH:%Y-%m}")
    assert page.get_by_test_id("payout-exceptions").count() == 0
    assert page.get_by_test_id("preview-total").inner_text() == "€ 28,20"
    page.get_by_role("button", name="Bevestigen en het SEPA-bestand maken").click()
    page.wait_for_load_state("networkidle")
    batch = PayoutBatch.objects.get()
    assert page.url.endswith(f"/cheques/uitbetalingen/{batch.pk}/")
    assert page.get_by_test_id("payout-total").inner_text() == "€ 28,20"
    assert_accessible(page)
    screenshot(page, "payout_batch_desktop")
    with page.expect_download() as download:
        page.get_by_test_id("payout-download").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    content = saved.read_bytes()
    assert_valid_pain001(content)
    assert b"<CtrlSum>28.20</CtrlSum>" in content and NEW_IBAN.replace(" ", "").encode() in content
    assert batch.total == Decimal("28.20") and batch.count == 2

    # The worker, on the phone.
    login(phone_page, live_server, ahmed.worker.user)
    phone_page.goto(f"{live_server.url}/cheques/mijn/vergoedingen/")
    lines = phone_page.get_by_test_id("my-payout-lines")
    assert "€ 20,00" in lines.inner_text()
    assert_accessible(phone_page)
    screenshot(phone_page, "payout_my_allowances_phone")
    with phone_page.expect_download(timeout=30_000) as download:
        # The statement is rendered on its first download: no navigation to wait for, a file to receive.
        lines.get_by_role("link", name=re.compile(rf"^Afrekening \w+ {LAST_MONTH.year} \(pdf\)$")).click(
            no_wait_after=True)
    pdf = tmp_path / "afrekening.pdf"
    download.value.save_as(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True).stdout.decode()
    assert "Afrekening van uw wijk-werkvergoeding" in text and "€ 20,00" in text
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(pdf),
                    str(SCREENSHOTS / "payout_statement_pdf")], check=True)
