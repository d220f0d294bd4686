"""A client's own money pages cost the same with one order as with fifty: summarised, paginated, no query per
row (issue 16: the wallet and "Mijn bestellingen" grew with the client's history)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cheques.models import Cheque, ChequeKind
from tests.cheques.factories import order_for
from wijkwerken.core.dates import today

pytestmark = pytest.mark.django_db


def paper_cheques(client, count, *, days_ago):
    issued = today() - timedelta(days=days_ago)
    Cheque.objects.bulk_create([
        Cheque(organiser=client.organiser, client=client, serial=f"Q-{days_ago}-{n}", kind=ChequeKind.PAPER,
               value="9.00", issued_on=issued, expires_on=issued + timedelta(days=365 * 2)) for n in range(count)])


def queries(client, url):
    client.get(url)  # sessions and caches warm
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response


@pytest.mark.parametrize("url", ["/cheques/mijn/", "/cheques/mijn/bestellingen/"])
def test_the_clients_own_pages_do_not_grow_with_the_history(client, client_login, url):
    client_obj, user = client_login
    client.force_login(user)
    order_for(client_obj, quantity=1)
    paper_cheques(client_obj, 1, days_ago=1)
    one, _ = queries(client, url)
    for n in range(49):
        order_for(client_obj, quantity=1)
        paper_cheques(client_obj, 2, days_ago=n + 2)
    fifty, response = queries(client, url)
    assert fifty == one
    body = response.content.decode()
    assert "Pagina 1 van" in body  # cut into pages, not one long list


def test_my_orders_says_what_is_still_to_pay(client, client_login):
    client_obj, user = client_login
    client.force_login(user)
    order_for(client_obj, quantity=2)
    order_for(client_obj, quantity=3)
    body = client.get("/cheques/mijn/bestellingen/").content.decode()
    assert "2 bestellingen wachten nog op betaling" in body
