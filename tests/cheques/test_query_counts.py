"""A client's own money pages cost the same with one order as with fifty: summarised, paginated, no query per
row (issue 16: the wallet and "Mijn bestellingen" grew with the client's history)."""

from datetime import timedelta
from decimal import Decimal

import pytest

from cheques.models import BankImport, BankLine, Cheque, ChequeKind, ChequeStatus, ClientCredit, CreditKind
from cheques.overview import FIGURES
from cheques.services.orders import cheque_order_cancel
from cheques.services.refunds import refund_batch_create
from tests.assignments.factories import ClientFactory
from tests.cheques.factories import VALID_PAYER_IBAN, order_for
from tests.query_counts import queries
from wijkwerken.core.dates import today
from wijkwerken.core.money import format_euro

pytestmark = pytest.mark.django_db


def paper_cheques(client, count, *, days_ago):
    issued = today() - timedelta(days=days_ago)
    Cheque.objects.bulk_create([
        Cheque(organiser=client.organiser, client=client, serial=f"Q-{days_ago}-{n}", kind=ChequeKind.PAPER,
               value="9.00", issued_on=issued, expires_on=issued + timedelta(days=365 * 2)) for n in range(count)])


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


# --- staff money pages (issue 16: the money overview, its lists, the bank queue and a refund's transfers) --------

def some_cheques(organiser, clients, count, *, start):
    """`count` cheques spread over the states that make the overview's figures: available, expired, refunded,
    issued before and within this year."""
    kinds = [(ChequeStatus.AVAILABLE, 400), (ChequeStatus.AVAILABLE, 10), (ChequeStatus.EXPIRED, 400),
             (ChequeStatus.REFUNDED, 10)]
    cheques = []
    for n in range(count):
        status, days_ago = kinds[n % len(kinds)]
        issued = today() - timedelta(days=days_ago)
        expires = issued + timedelta(days=200) if status == ChequeStatus.EXPIRED else issued + timedelta(days=730)
        cheques.append(Cheque(organiser=organiser, client=clients[n % len(clients)], serial=f"S-{start + n}",
                              kind=ChequeKind.PAPER, value="9.00", issued_on=issued, expires_on=expires,
                              status=status))
    Cheque.objects.bulk_create(cheques)


def some_credit(organiser, clients):
    ClientCredit.objects.bulk_create([
        ClientCredit(organiser=organiser, client=c, amount="12.50", kind=CreditKind.UNKNOWN_ORDER,
                     payer_iban=VALID_PAYER_IBAN) for c in clients])


def some_queue_lines(organiser, count, *, start):
    bank_import = BankImport.objects.create(organiser=organiser, file="bank_imports/x.cod", original_name="x.cod",
                                            file_format="coda")
    BankLine.objects.bulk_create([
        BankLine(organiser=organiser, bank_import=bank_import, checksum=f"line-{start + n}", amount="25.00",
                 booking_date=today() - timedelta(days=n), payer_name="Marie Janssens", communication="wijkwerk")
        for n in range(count)])


def staff_pages():
    period = f"van={today().year}-01-01&tot={today().isoformat()}"
    return ["/", "/cheques/geldoverzicht/", "/cheques/bank/te-behandelen/", "/cheques/bestellingen/?status=open"] + [
        f"/cheques/geldoverzicht/rijen/?cijfer={slug}&{period}" for slug in FIGURES]


def test_the_staff_money_pages_do_not_grow_with_the_organiser(client, organiser, leuven, beheerder):
    client.force_login(beheerder)
    first = ClientFactory(municipality=leuven)
    some_cheques(organiser, [first], 4, start=0)
    some_credit(organiser, [first])
    some_queue_lines(organiser, 1, start=0)
    order_for(first, quantity=1)
    one = {url: queries(client, url)[0] for url in staff_pages()}
    more = [ClientFactory(municipality=leuven) for _ in range(49)]
    some_cheques(organiser, more, 200, start=100)
    some_credit(organiser, more)
    some_queue_lines(organiser, 49, start=100)
    for c in more:
        order_for(c, quantity=1)
    fifty = {url: queries(client, url)[0] for url in staff_pages()}
    assert fifty == one


def test_an_empty_figure_lists_its_rows_in_as_many_queries(client, organiser, beheerder):
    """A figure without rows still runs the query for its page: the count does not depend on the data."""
    client.force_login(beheerder)
    url = f"/cheques/geldoverzicht/rijen/?cijfer=wachtrij&van={today().year}-01-01&tot={today().isoformat()}"
    empty, _ = queries(client, url)
    some_queue_lines(organiser, 1, start=0)
    assert queries(client, url)[0] == empty


def test_a_refunds_transfers_are_paginated_with_the_exact_total(client, organiser, leuven, bemiddelaar):
    client.force_login(bemiddelaar)

    def batch_of(n):
        clients = [ClientFactory(municipality=leuven, iban="BE71 0961 2345 6769") for _ in range(n)]
        some_credit(organiser, clients)
        return refund_batch_create(organiser=organiser, client_ids=[c.pk for c in clients], actor=bemiddelaar)

    small, large = batch_of(1), batch_of(60)
    one, _ = queries(client, f"/cheques/terugbetalingen/{small.pk}/")
    sixty, response = queries(client, f"/cheques/terugbetalingen/{large.pk}/")
    assert sixty == one
    body = response.content.decode()
    assert "Pagina 1 van 3" in body  # sixty lines in pages of 25
    assert body.count("Referentie TB") == 25
    assert large.total == Decimal("750.00") and format_euro(large.total) in body


# --- payouts (issue 16: "Mijn vergoedingen" cost one query more for a worker with pending hours) ---------------

@pytest.mark.parametrize("url", ["/cheques/mijn/vergoedingen/", "/cheques/mijn/vergoedingen/paneel/"])
def test_the_workers_payout_pages_cost_the_same_whatever_the_worker_has(client, organiser, beheerder,
                                                                         make_paid_worker, url):
    from cheques.services.payouts import payout_correction_create
    from tests.cheques.factories import LAST_MONTH, day_of, paid_prestatie
    from tests.cheques.test_settlement import confirmed

    assignment = make_paid_worker("Ahmed")
    client.force_login(assignment.worker.user)
    nothing, _ = queries(client, url)
    paid_prestatie(assignment, day_of(LAST_MONTH, 3), kilometres="24")  # to be paid
    paid_prestatie(assignment, day_of(LAST_MONTH, 4), settle=False)  # waits for the client's cheques
    confirmed(assignment, day_of(LAST_MONTH, 5))  # confirmed, not settled yet
    payout_correction_create(organiser=organiser, worker=assignment.worker, amount="-2", reason="Test",
                             actor=beheerder)
    everything, response = queries(client, url)
    assert everything == nothing
    assert "€ 5,70" in response.content.decode()  # 1 cheque × € 4,10 + 24 km × € 0,15 - € 2,00


def test_one_workers_prestaties_in_the_payout_preview_are_cut_into_pages(client, beheerder, make_paid_worker):
    from tests.cheques.factories import LAST_MONTH, day_of, paid_prestatie

    assignment = make_paid_worker("Ahmed")
    paid_prestatie(assignment, day_of(LAST_MONTH, 1))
    client.force_login(beheerder)
    url = f"/cheques/uitbetalingen/voorbeeld/{assignment.worker_id}/?maand={LAST_MONTH:%Y-%m}"
    one, _ = queries(client, url)
    for day in range(2, 27):
        paid_prestatie(assignment, day_of(LAST_MONTH, day))
    many, response = queries(client, url)
    assert many == one
    body = response.content.decode()
    assert "Pagina 1 van 2" in body and body.count("/prestaties/") == 25


def test_the_payout_previews_lists_are_cut_into_pages_and_its_totals_count_every_row(client, beheerder,
                                                                                       make_paid_worker, monkeypatch):
    from tests.cheques.factories import LAST_MONTH, day_of, paid_prestatie

    monkeypatch.setattr("cheques.views.payouts.PREVIEW_PAGE_SIZES", {"lines": 2, "exceptions": 2, "pending": 2})
    client.force_login(beheerder)
    url = f"/cheques/uitbetalingen/voorbeeld/?maand={LAST_MONTH:%Y-%m}"
    for n in range(3):
        paid_prestatie(make_paid_worker(f"Zonder{n}", iban=""), day_of(LAST_MONTH, 3))  # € 4,10 each, kept out
    paid_prestatie(make_paid_worker("Wacht"), day_of(LAST_MONTH, 4), settle=False)
    one, _ = queries(client, url)
    for n in range(2):
        paid_prestatie(make_paid_worker(f"Wacht{n}"), day_of(LAST_MONTH, 4), settle=False)
    count, response = queries(client, url)
    assert count == one
    body = response.content.decode()
    assert body.count("Pagina 1 van 2") == 2  # the workers kept out and the pending hours; one page of transfers
    assert "€ 12,30" in body  # carried over: all three workers kept out, not only this page's two
    second = client.get(f"{url}&uitzonderingen=2&wachtend=2").content.decode()
    assert second.count("Pagina 2 van 2") == 2 and "Zonder2" in second and "Zonder0" not in second


def test_an_order_makes_the_same_queries_open_with_credit_as_cancelled(client, organiser, bemiddelaar, client_login):
    """The client's credit comes with the order (the balance the database keeps), not from a query of its own that
    only an open order made."""
    client_obj, _user = client_login
    ClientCredit.objects.create(organiser=organiser, client=client_obj, amount="12.50", kind=CreditKind.UNKNOWN_ORDER,
                                payer_iban=VALID_PAYER_IBAN)
    open_order = order_for(client_obj, quantity=2)
    cancelled = order_for(client_obj, quantity=1)
    cheque_order_cancel(order=cancelled, actor=bemiddelaar, reason="Dubbel besteld")
    client.force_login(bemiddelaar)
    with_credit, response = queries(client, f"/cheques/bestellingen/{open_order.pk}/")
    assert "€ 12,50" in response.content.decode() and 'data-testid="order-credit"' in response.content.decode()
    without, response = queries(client, f"/cheques/bestellingen/{cancelled.pk}/")
    assert with_credit == without and 'data-testid="order-credit"' not in response.content.decode()
