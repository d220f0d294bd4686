"""A client orders cheques and downloads the confirmation with the QR code; staff import the bank statement;
the order turns paid and the cheques show in the client's wallet."""

import pytest
from playwright.sync_api import expect

from cheques.models import ChequeOrder, OrderStatus
from tests.assignments.factories import client_with_login
from tests.cheques.factories import coda_file, credit
from tests.e2e.conftest import PHONE, assert_accessible, login, new_page, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_order_pay_by_bank_statement_and_see_the_wallet(page, phone_page, live_server, organiser, leuven,
                                                        bemiddelaar, tmp_path):
    client_obj, user = client_with_login(leuven, status="actief", agreement_signed_on="2026-01-05")

    login(page, live_server, user)
    page.goto(f"{live_server.url}/cheques/mijn/bestellen/")
    page.get_by_label("Aantal cheques").fill("12")
    page.get_by_role("button", name="Bestellen").click()
    page.wait_for_load_state("networkidle")
    order = ChequeOrder.objects.get(client=client_obj)
    assert page.get_by_test_id("communication").inner_text() == order.structured_communication_display
    assert page.locator(".epc-qr svg").count() == 1
    assert_accessible(page)
    screenshot(page, "cheques_order_detail_desktop")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Bestelbevestiging (pdf)").click()
    pdf_path = tmp_path / "bestelling.pdf"
    download_info.value.save_as(pdf_path)
    assert pdf_path.read_bytes().startswith(b"%PDF")

    statement = tmp_path / "uittreksel.cod"
    statement.write_bytes(coda_file(organiser, [
        credit(order.total, order.structured_communication, structured=True, name=client_obj.name)]))
    staff = new_page(page.context.browser)
    login(staff, live_server, bemiddelaar)
    staff.goto(f"{live_server.url}/cheques/bank/")
    staff.get_by_label("Rekeninguittreksel (CODA of CAMT.053)").set_input_files(str(statement))
    staff.get_by_role("button", name="Inlezen").click()
    staff.wait_for_load_state("networkidle")
    assert "1 automatisch gekoppeld" in staff.locator("#import-progress").inner_text()
    assert_accessible(staff)
    screenshot(staff, "cheques_bank_import_desktop")
    with staff.expect_download() as statement_download:
        staff.get_by_role("link", name="Bestand downloaden").click()
    assert statement_download.value.suggested_filename == "uittreksel.cod"
    assert statement_download.value.path().read_bytes() == statement.read_bytes()
    staff_phone = new_page(page.context.browser, viewport=PHONE)
    login(staff_phone, live_server, bemiddelaar)
    staff_phone.goto(staff.url)
    assert_accessible(staff_phone)
    screenshot(staff_phone, "cheques_bank_import_phone")
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID

    page.goto(f"{live_server.url}/cheques/mijn/")
    assert page.get_by_test_id("wallet-balance").inner_text() == "12"
    assert_accessible(page)
    screenshot(page, "cheques_wallet_desktop")
    login(phone_page, live_server, user)
    phone_page.goto(f"{live_server.url}/cheques/mijn/")
    expect(phone_page.get_by_test_id("wallet-balance")).to_be_visible()
    assert_accessible(phone_page)
    screenshot(phone_page, "cheques_wallet_phone")
