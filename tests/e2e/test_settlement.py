"""A client whose confirmed hours wait for cheques ("te betalen") orders exactly the missing cheques from the
wallet; staff import the bank statement; the order turns paid, the waiting prestatie is settled and the wallet
shows it."""

from datetime import time, timedelta

import pytest
from playwright.sync_api import expect

from assignments.models import Prestatie, PrestatieStatus
from cheques.models import Cheque, ChequeOrder, ChequeStatus, OrderStatus, Settlement, SettlementStatus
from cheques.services.settlement import prestaties_settle
from tests.assignments.factories import client_with_login
from tests.assignments.fixtures import make_assignment, make_worker
from tests.cheques.factories import coda_file, credit
from tests.e2e.conftest import assert_accessible, login, new_page, screenshot
from wijkwerken.core.dates import today

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_waiting_hours_are_settled_once_the_ordered_cheques_are_paid(page, phone_page, live_server, organiser,
                                                                     leuven, bemiddelaar, tmp_path):
    client_obj, user = client_with_login(leuven, status="actief", agreement_signed_on="2026-01-05")
    start = today() - timedelta(days=30)
    worker = make_worker(organiser, leuven, bemiddelaar, trajectory_start=start, first_name="Ahmed")
    assignment = make_assignment(organiser, leuven, bemiddelaar, worker, start=start, end=today(), client=client_obj)
    day = today() - timedelta(days=2)
    prestatie = Prestatie.objects.create(
        organiser=organiser, assignment=assignment, worker=worker, client=client_obj, date=day, start_time=time(9),
        end_time=time(10, 30), minutes=90, cheques=2, status=PrestatieStatus.CONFIRMED)
    prestaties_settle(prestatie_ids=[prestatie.pk])
    assert Settlement.objects.get(prestatie=prestatie).status == SettlementStatus.WAITING

    login(page, live_server, user)
    page.goto(f"{live_server.url}/cheques/mijn/")
    waiting = page.get_by_test_id("waiting-hours")
    assert "Ahmed" in waiting.inner_text() and day.strftime("%d/%m/%Y") in waiting.inner_text()
    assert_accessible(page)
    screenshot(page, "settlement_wallet_waiting_desktop")
    waiting.get_by_role("link", name="Bestel de 2 ontbrekende cheques").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_label("Aantal cheques").input_value() == "2"
    page.get_by_role("button", name="Bestellen").click()
    page.wait_for_load_state("networkidle")
    order = ChequeOrder.objects.get(client=client_obj)
    assert order.quantity == 2

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
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    staff.goto(f"{live_server.url}/cheques/gebruikers/{client_obj.pk}/")
    assert "2 cheques gebruikt voor de prestatie van" in staff.locator("main").inner_text()
    assert_accessible(staff)
    screenshot(staff, "settlement_client_money_desktop")

    assert Settlement.objects.get(prestatie=prestatie).status == SettlementStatus.PAID
    assert Cheque.objects.filter(prestatie=prestatie, status=ChequeStatus.REDEEMED).count() == 2
    page.goto(f"{live_server.url}/cheques/mijn/")
    assert page.get_by_test_id("waiting-hours").count() == 0
    assert page.get_by_test_id("wallet-balance").inner_text() == "0"
    used = page.get_by_test_id("history-used")
    assert f"Gebruikt voor de prestatie van {day:%d/%m/%Y} (Ahmed)" in used.inner_text()
    assert_accessible(page)
    screenshot(page, "settlement_wallet_settled_desktop")
    login(phone_page, live_server, user)
    phone_page.goto(f"{live_server.url}/cheques/mijn/")
    expect(phone_page.get_by_test_id("history-used")).to_be_visible()
    assert_accessible(phone_page)
    screenshot(phone_page, "settlement_wallet_settled_phone")

