"""Staff use a client's credit for its open order on the client's money page, then refund what is left (and another
client's credit) in one SEPA file from the credit list, and download the file."""

import datetime
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from cheques.models import ChequeOrder, ClientCredit, OrderStatus, PaymentMethod, RefundBatch
from cheques.services.orders import Receipt, cheque_order_cancel, payments_apply
from tests.assignments.factories import ClientFactory
from tests.cheques.factories import VALID_PAYER_IBAN, order_for
from tests.e2e.conftest import assert_accessible, login, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"}


def _credit(organiser, client, amount):
    """Money that arrived without an open order: it is kept as the client's credit."""
    payments_apply(organiser=organiser, actor=None, receipts=[Receipt(
        amount=Decimal(amount), received_on=datetime.date.today(), method=PaymentMethod.BANK_TRANSFER,
        client_id=client.pk, payer_iban=VALID_PAYER_IBAN)])


def test_staff_pay_an_order_with_credit_and_refund_the_rest(page, phone_page, live_server, organiser, leuven,
                                                            bemiddelaar, tmp_path):
    marie = ClientFactory(municipality=leuven, first_name="Marie", last_name="Claes")
    elise = ClientFactory(municipality=leuven, first_name="Élise", last_name="Van den Broeck",
                          iban="BE71 0961 2345 6769")
    _credit(organiser, marie, "40.00")
    _credit(organiser, elise, "12.50")
    order = order_for(marie, quantity=5)  # € 29,75

    login(page, live_server, bemiddelaar)
    page.goto(f"{live_server.url}/cheques/gebruikers/{marie.pk}/")
    card = page.get_by_test_id("client-credit")
    assert card.get_by_test_id("credit-balance").inner_text() == "€ 40,00"
    assert "€ 29,75 van het tegoed betaalt ze volledig." in card.inner_text()
    assert_accessible(page)
    screenshot(page, "credits_client_money_desktop")
    login(phone_page, live_server, bemiddelaar)
    phone_page.goto(f"{live_server.url}/cheques/gebruikers/{marie.pk}/")
    expect(phone_page.get_by_test_id("client-credit")).to_be_visible()
    assert_accessible(phone_page)
    screenshot(phone_page, "credits_client_money_phone")
    phone_page.goto(f"{live_server.url}/cheques/tegoeden/")
    assert_accessible(phone_page)
    screenshot(phone_page, "credits_credit_list_phone")
    card.get_by_role("button", name="Betalen met tegoed").click()
    page.wait_for_load_state("networkidle")
    assert f"€ 29,75 van het tegoed werd op bestelling {order.pk} gezet." in page.locator("main").inner_text()
    assert page.get_by_test_id("credit-balance").inner_text() == "€ 10,25"
    assert page.get_by_test_id("wallet-balance").inner_text() == "5"  # the cheques were issued
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert_accessible(page)
    screenshot(page, "credits_client_money_used_desktop")

    elise_order = order_for(elise, quantity=3)  # € 17,85: her credit would pay part of it
    page.goto(f"{live_server.url}/cheques/bestellingen/{elise_order.pk}/")
    assert "daarna blijft € 5,35 te betalen" in page.get_by_test_id("order-credit").inner_text()
    assert_accessible(page)
    screenshot(page, "credits_order_detail_desktop")
    cheque_order_cancel(order=elise_order, actor=bemiddelaar)

    page.goto(f"{live_server.url}/cheques/tegoeden/")
    page.get_by_role("button", name="Terugbetaling aanmaken").click()
    page.wait_for_load_state("networkidle")
    assert "Vink minstens één gebruiker aan" in page.locator("#refund-errors").inner_text()
    assert_accessible(page)
    screenshot(page, "credits_credit_list_error_desktop")
    page.get_by_label("Marie Claes").check()
    page.get_by_label("Élise Van den Broeck").check()
    assert page.get_by_label("Uitvoeringsdatum").input_value()  # the next working day is filled in
    assert_accessible(page)
    screenshot(page, "credits_credit_list_desktop")
    page.get_by_role("button", name="Terugbetaling aanmaken").click()
    page.wait_for_load_state("networkidle")
    batch = RefundBatch.objects.get()
    assert page.url.endswith(f"/cheques/terugbetalingen/{batch.pk}/")
    assert page.get_by_test_id("refund-total").inner_text() == "€ 22,75"
    assert "BE71 0961 2345 6769" in page.locator("main").inner_text()
    assert_accessible(page)
    screenshot(page, "credits_refund_detail_desktop")
    with page.expect_download() as download_info:
        page.get_by_test_id("refund-download").click()
    path = tmp_path / "terugbetaling.xml"
    download_info.value.save_as(path)
    assert download_info.value.suggested_filename == "terugbetaling-1.xml"
    root = ET.parse(path).getroot()
    assert root.find("p:CstmrCdtTrfInitn/p:GrpHdr/p:CtrlSum", NS).text == "22.75"
    assert root.find("p:CstmrCdtTrfInitn/p:GrpHdr/p:NbOfTxs", NS).text == "2"
    assert sum(c.amount for c in ClientCredit.objects.all()) == 0

    page.goto(f"{live_server.url}/cheques/tegoeden/")
    assert "Geen tegoed terug te betalen." in page.locator("main").inner_text()
    page.goto(f"{live_server.url}/cheques/terugbetalingen/")
    assert_accessible(page)
    screenshot(page, "credits_refund_list_desktop")

    phone_page.goto(f"{live_server.url}/cheques/terugbetalingen/{batch.pk}/")
    expect(phone_page.get_by_test_id("refund-download")).to_be_visible()
    assert_accessible(phone_page)
    screenshot(phone_page, "credits_refund_detail_phone")
    phone_page.goto(f"{live_server.url}/cheques/gebruikers/{marie.pk}/")
    assert phone_page.get_by_test_id("credit-balance").inner_text() == "€ 0,00"
    assert_accessible(phone_page)
    screenshot(phone_page, "credits_client_money_refunded_phone")
    assert ChequeOrder.objects.get(pk=order.pk).status == OrderStatus.PAID
