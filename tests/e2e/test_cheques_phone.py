"""The cheques pages fit a phone: nothing makes the page wider than the screen (wide tables scroll inside their
own box, labels stack above their values), and each passes axe-core."""

import pytest

from cheques.services.orders import cheque_order_create
from tests.assignments.factories import client_with_login
from tests.e2e.conftest import PHONE, assert_accessible, login, new_page, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _assert_fits(page, url):
    page.goto(url)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{url} is {width} px wide on a {PHONE['width']} px phone"
    assert_accessible(page)


def test_client_and_staff_cheque_pages_fit_a_phone(phone_page, browser, live_server, leuven, bemiddelaar):
    client_obj, user = client_with_login(leuven, status="actief", agreement_signed_on="2026-01-05")
    order = cheque_order_create(client=client_obj, quantity=12, actor=user)

    login(phone_page, live_server, user)
    for path in ("/cheques/mijn/", "/cheques/mijn/bestellingen/", f"/cheques/mijn/bestellingen/{order.pk}/"):
        _assert_fits(phone_page, f"{live_server.url}{path}")
    screenshot(phone_page, "cheques_my_order_phone")

    staff = new_page(browser, PHONE)
    login(staff, live_server, bemiddelaar)
    for path in ("/cheques/bestellingen/", f"/cheques/bestellingen/{order.pk}/", "/cheques/tegoeden/",
                 "/cheques/bank/", f"/cheques/gebruikers/{client_obj.pk}/"):
        _assert_fits(staff, f"{live_server.url}{path}")
    screenshot(staff, "cheques_client_money_phone")
    staff.context.close()
